/** The set of distro catalogs in use, looked up by name or alias. */
package io.carbon.computeimage.domain.catalog;
