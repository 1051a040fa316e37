/**
 * The OCI/Docker registry client ({@link io.carbon.computeimage.adapter.oci.RegistryImageSource}),
 * registered by {@link io.carbon.computeimage.adapter.oci.OciPlugin}.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.oci;
