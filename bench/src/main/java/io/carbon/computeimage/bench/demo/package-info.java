/**
 * The offline demo: {@code scripts/demo-mirror.sh} runs {@link
 * io.carbon.computeimage.bench.demo.DemoMirrorMain}, which builds distro-like images, serves them
 * as a local mirror and prints the {@code image-cli} commands to try.
 *
 * @since 0.1
 */
package io.carbon.computeimage.bench.demo;
