package io.carbon.computeimage.ports.image;

/**
 * A container registry client. Its operations are defined with the container pull work.
 *
 * @since 0.1
 */
public interface ImageSource {}
