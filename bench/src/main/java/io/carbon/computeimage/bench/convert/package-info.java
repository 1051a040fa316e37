/**
 * Benchmark driver for disk conversion (see bench/convert/run.sh).
 *
 * @since 0.1
 */
package io.carbon.computeimage.bench.convert;
