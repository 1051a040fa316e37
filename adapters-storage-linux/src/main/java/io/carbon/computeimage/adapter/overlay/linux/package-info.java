/** Linux system calls (through JNA) that act on a path without following a final symlink. */
package io.carbon.computeimage.adapter.overlay.linux;
