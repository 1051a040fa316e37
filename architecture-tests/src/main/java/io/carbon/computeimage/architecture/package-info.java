/**
 * Reusable ArchUnit rules for compute-image and for third-party plugins.
 *
 * @since 0.1
 */
package io.carbon.computeimage.architecture;
