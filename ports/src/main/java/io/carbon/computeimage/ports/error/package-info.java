/**
 * The checked exception hierarchy. Every failure the library reports is a {@link
 * io.carbon.computeimage.ports.error.ComputeImageException} whose {@link
 * io.carbon.computeimage.ports.error.ErrorKind} maps to a CLI exit code.
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.error;
