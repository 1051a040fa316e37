/** Image records (what a completed pull leaves behind) and listing of pulled images. */
package io.carbon.computeimage.domain.image;
