/**
 * The library's entry points: the {@link io.carbon.computeimage.application.ComputeImage} facade
 * (instance API with options), the static {@link io.carbon.computeimage.application.ComputeImages}
 * shortcuts mirroring the seed, plugin loading and host detection.
 */
package io.carbon.computeimage.application;
