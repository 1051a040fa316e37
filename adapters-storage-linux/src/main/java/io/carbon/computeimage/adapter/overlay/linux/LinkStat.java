package io.carbon.computeimage.adapter.overlay.linux;

/**
 * What {@code lstat} reports about a path (the final symlink not followed).
 *
 * @param mode file type and permission bits ({@code st_mode})
 * @param uid the owner's user id
 * @param gid the owner's group id
 * @param rdev the device number of a device node, as {@code makedev} encodes it
 * @param mtimeSeconds modification time, seconds since the epoch
 * @param mtimeNanos modification time, nanoseconds within the second
 */
public record LinkStat(int mode, int uid, int gid, long rdev, long mtimeSeconds, int mtimeNanos) {}
