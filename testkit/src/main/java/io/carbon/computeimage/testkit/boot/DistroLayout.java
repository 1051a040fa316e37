package io.carbon.computeimage.testkit.boot;

/**
 * Disk layouts of the distro cloud images (partition numbers, types, filesystems, boot
 * configuration), as found in the research notes; each is built by {@link DistroDisks}.
 */
public enum DistroLayout {
  /** Ubuntu 22.04: GPT p14 BIOS, p15 ESP, p1 ext4 root with /boot, grub.cfg, /boot symlinks. */
  UBUNTU_2204("ubuntu-22.04", false),
  /** Ubuntu 24.04: p16 XBOOTLDR ext4 /boot. */
  UBUNTU_2404("ubuntu-24.04", false),
  /** Ubuntu 25.10+: p13 XBOOTLDR ext4 /boot. */
  UBUNTU_2510("ubuntu-25.10", false),
  /** Debian 13: p1 discoverable root ext4 with csum_seed and orphan_file, root=PARTUUID. */
  DEBIAN("debian-13", false),
  /** Debian 12: as Debian 13 with bookworm's ext4 features (no csum_seed, no orphan_file), 6.1 kernels. */
  DEBIAN_12("debian-12", false),
  /** Alpine BIOS with an MBR: p1 ext4 (^64bit), extlinux. */
  ALPINE_MBR("alpine-mbr", false),
  /** Alpine BIOS with no partition table: bare ext4, extlinux. */
  ALPINE_BARE("alpine-bare", false),
  /** Fedora: p3 ext4 /boot with BLS, p4 btrfs with a root subvolume. */
  FEDORA("fedora-41", true),
  /** EL9 (Rocky/Alma/CentOS): XBOOTLDR xfs /boot, BLS, rescue, two kernels, saved_entry. */
  EL9("el-9", true),
  /** EL8: xfs /boot, BLS with $kernelopts from grubenv. */
  EL8("el-8", true),
  /** openSUSE: btrfs root, default subvolume @/.snapshots/1/snapshot, usrmerged kernel. */
  OPENSUSE("opensuse-tumbleweed", true),
  /** Arch: btrfs root written with compress-force=zstd, versionless kernel names. */
  ARCH("arch", true);

  private final String id;
  private final boolean needsXfsOrBtrfs;

  DistroLayout(String id, boolean needsXfsOrBtrfs) {
    this.id = id;
    this.needsXfsOrBtrfs = needsXfsOrBtrfs;
  }

  /** @return a short id, used in markers and file names */
  public String id() {
    return id;
  }

  /** @return true when reading the layout needs the XFS or btrfs reader */
  public boolean needsXfsOrBtrfs() {
    return needsXfsOrBtrfs;
  }
}
