/**
 * Container operations behind the {@link io.carbon.computeimage.application.ComputeImage} facade:
 * pull, find, resolve paths and remove container images.
 *
 * @since 0.1
 */
package io.carbon.computeimage.application.container;
