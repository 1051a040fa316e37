package io.carbon.computeimage.adapter.overlay.tar;

import java.util.List;
import java.util.Map;

/**
 * One tar entry with every header extension applied (GNU long names, PAX local and global
 * records, sparse maps).
 *
 * @param name the entry name as stored (not normalised)
 * @param linkName the link target of symlinks and hard links, else empty
 * @param type the entry type
 * @param mode the permission bits including setuid, setgid and sticky
 * @param uid the owner
 * @param gid the group
 * @param mtimeSeconds modification time, seconds
 * @param mtimeNanos modification time, nanoseconds
 * @param size the logical file size (the real size of a sparse file)
 * @param devMajor device major number
 * @param devMinor device minor number
 * @param xattrs extended attributes from {@code SCHILY.xattr.*} and {@code LIBARCHIVE.xattr.*}
 * @param sparse the data regions of a sparse file, or {@code null} for a plain file
 */
public record TarEntry(
    String name,
    String linkName,
    TarType type,
    int mode,
    long uid,
    long gid,
    long mtimeSeconds,
    long mtimeNanos,
    long size,
    long devMajor,
    long devMinor,
    Map<String, byte[]> xattrs,
    List<SparseRegion> sparse) {}
