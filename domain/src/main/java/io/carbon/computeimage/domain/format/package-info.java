/** Formatting of values for people (byte counts). */
package io.carbon.computeimage.domain.format;
