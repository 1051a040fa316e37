/**
 * Raw output: sparse, written to a temporary name and renamed into place when complete.
 *
 * @since 0.1
 */
package io.carbon.computeimage.adapter.convert.raw;
