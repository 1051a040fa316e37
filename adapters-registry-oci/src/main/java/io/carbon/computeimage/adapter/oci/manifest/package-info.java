/**
 * Manifest, index and config documents (Jackson DTOs, internal to the adapter), media types and
 * platform matching.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.oci.manifest;
