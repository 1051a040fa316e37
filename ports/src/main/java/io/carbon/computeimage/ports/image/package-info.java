/**
 * Container image sources: registry clients that resolve references to manifests and configs and
 * describe where each blob is downloaded from.
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports.image;
