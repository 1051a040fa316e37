/**
 * The built-in distro catalogs: one class per distro, each holding its release table, its real
 * mirror layout and how it finds the newest build.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.distro.catalog;
