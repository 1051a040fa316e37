/**
 * The compute-image SPI: port interfaces and the JDK-only value types in their signatures.
 *
 * <p>This package tree depends on nothing but the JDK. Adapters and third-party plugins depend on
 * it (at {@code provided} scope for plugins) and on nothing else of ours.
 *
 * @since 0.1
 */
package io.carbon.computeimage.ports;
