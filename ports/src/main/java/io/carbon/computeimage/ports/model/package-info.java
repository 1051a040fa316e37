/**
 * Shared-kernel values used in port signatures: architectures, digests, platforms, disk formats.
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.model;
