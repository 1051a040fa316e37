/**
 * Distro catalogs: which cloud images exist, where the mirror publishes them and how they are
 * checksummed. One {@link io.carbon.computeimage.ports.distro.DistroCatalog} per distro.
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.distro;
