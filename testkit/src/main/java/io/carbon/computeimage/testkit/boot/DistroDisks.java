package io.carbon.computeimage.testkit.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Builds disks laid out like each distro's cloud image with real tools: {@code mkfs.*}, loop
 * mounts (always unmounted, also on failure), {@code sgdisk}/{@code sfdisk}, {@code btrfs
 * subvolume}, then {@code qemu-img convert -O qcow2}. The default kernel is the real Debian
 * kernel with a marker initrd; other kernels (newer, rescue, fallback) are junk, so booting a
 * wrong choice fails.
 */
public final class DistroDisks {
  private static final String PRELUDE = String.join("\n",
      "set -euo pipefail",
      "MNTS=()",
      "cleanup() { for m in \"${MNTS[@]}\"; do umount \"$m\" 2>/dev/null || umount -l \"$m\" 2>/dev/null || true; done; }",
      "trap cleanup EXIT",
      "mnt() { mkdir -p \"$2\"; local i; for i in 1 2 3 4 5; do mount -o \"loop${3:+,$3}\" \"$1\" \"$2\" && break; [ $i -lt 5 ] || return 1; sleep 1; done; MNTS=(\"$2\" \"${MNTS[@]}\"); }",
      "umnt() { sync; umount \"$1\"; }",
      "put() { dd if=\"$1\" of=disk.raw bs=1M seek=\"$2\" conv=notrunc,sparse status=none; }",
      "junk() { head -c 4096 /dev/urandom > \"$1\"; }",
      "");

  private DistroDisks() {}

  /**
   * Builds a layout.
   *
   * @param layout the layout
   * @param work an empty work directory (the disk files stay there)
   * @param kernel the real kernel
   * @return the built disk
   */
  public static BuiltLayout build(DistroLayout layout, Path work, Path kernel) {
    try {
      Files.createDirectories(work);
      String marker = "MARKER-" + layout.id() + "-" + UUID.randomUUID().toString().substring(0, 8);
      Path initrd = MarkerInitrd.build(work.resolve("marker-initrd.img"), marker);
      String rootUuid = UUID.randomUUID().toString();
      String partUuid = UUID.randomUUID().toString();
      String mid = UUID.randomUUID().toString().replace("-", "");
      String[] spec = script(layout, rootUuid, partUuid, mid);
      String version = spec[0];
      String cmdline = spec[1];
      String body = spec[2];
      Path script = work.resolve("build.sh");
      Files.writeString(script, "K=" + kernel + "\nI=" + initrd + "\ncd " + work + "\n" + PRELUDE
          + body);
      Cmd.run("bash", script.toString());
      Path raw = work.resolve("disk.raw");
      Path qcow2 = work.resolve("disk.qcow2");
      Cmd.run("qemu-img", "convert", "-f", "raw", "-O", "qcow2", raw.toString(), qcow2.toString());
      Cmd.sh("cd " + work + " && rm -f esp.img boot.img root.img");
      return new BuiltLayout(layout, raw, qcow2, marker, cmdline, version, kernel, initrd);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String grubEntry(String title, String kernel, String cmdline, String initrd) {
    return "menuentry '" + title + "' --class gnu-linux $menuentry_id_option 'gnulinux-" + title.hashCode()
        + "' {\n\trecordfail\n\tload_video\n\tinsmod gzio\n\tif [ x$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi\n"
        + "\tsearch --no-floppy --fs-uuid --set=root 0000\n"
        + "\tlinux\t" + kernel + " " + cmdline + "\n\tinitrd\t" + initrd + "\n}\n";
  }

  private static String heredoc(String path, String text) {
    return "cat > " + path + " <<'CFG_EOF'\n" + text + (text.endsWith("\n") ? "" : "\n") + "CFG_EOF\n";
  }

  private static String[] script(DistroLayout l, String rootUuid, String partUuid, String mid) {
    switch (l) {
      case UBUNTU_2204: {
        String v = "5.15.0-91-generic";
        String newer = "5.15.0-92-generic";
        String cmd = "root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0";
        String grub = "set default=\"0\"\nif [ \"${recordfail}\" = 1 ] ; then\n  set timeout=30\nfi\n"
            + grubEntry("Ubuntu", "/boot/vmlinuz-" + v, cmd + " $vt_handoff", "/boot/initrd.img-" + v)
            + "submenu 'Advanced options for Ubuntu' {\n"
            + grubEntry("Ubuntu, with Linux " + newer, "/boot/vmlinuz-" + newer, cmd, "/boot/initrd.img-" + newer)
            + grubEntry("Ubuntu, with Linux " + v + " (recovery mode)", "/boot/vmlinuz-" + v, "root=LABEL=cloudimg-rootfs ro recovery nomodeset", "/boot/initrd.img-" + v)
            + "}\n";
        return new String[] {v, cmd, String.join("\n",
            "truncate -s 8M esp.img && mkfs.vfat -n UEFI esp.img >/dev/null",
            "truncate -s 96M root.img && mkfs.ext4 -q -b 4096 -i 8192 -m 0 -L cloudimg-rootfs -U " + rootUuid + " root.img",
            "mnt root.img m",
            "mkdir -p m/etc m/boot/grub m/usr/lib/modules/" + v,
            "echo 'LABEL=cloudimg-rootfs / ext4 discard,errors=remount-ro 0 1' > m/etc/fstab",
            "cp $K m/boot/vmlinuz-" + v + " && cp $I m/boot/initrd.img-" + v,
            "junk m/boot/vmlinuz-" + newer + " && junk m/boot/initrd.img-" + newer,
            "ln -s vmlinuz-" + v + " m/boot/vmlinuz && ln -s initrd.img-" + v + " m/boot/initrd.img",
            heredoc("m/boot/grub/grub.cfg", grub),
            "umnt m",
            "truncate -s 120M disk.raw",
            "sgdisk -o -n 14:2048:+4M -t 14:ef02 -n 15:10240:+8M -t 15:ef00 -n 1:28672:+96M -t 1:8300 -c 1:cloudimg-rootfs disk.raw >/dev/null",
            "put esp.img 5 && put root.img 14", "")};
      }
      case UBUNTU_2404:
      case UBUNTU_2510: {
        String v = l == DistroLayout.UBUNTU_2404 ? "6.8.0-45-generic" : "6.17.0-5-generic";
        String older = l == DistroLayout.UBUNTU_2404 ? "6.8.0-40-generic" : "6.17.0-4-generic";
        String bootPart = l == DistroLayout.UBUNTU_2404 ? "16" : "13";
        String cmd = "root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0";
        String grub = "set default=\"0\"\n"
            + grubEntry("Ubuntu", "/vmlinuz-" + v, cmd + " $vt_handoff", "/initrd.img-" + v)
            + "submenu 'Advanced options for Ubuntu' {\n"
            + grubEntry("Ubuntu, with Linux " + older, "/vmlinuz-" + older, cmd, "/initrd.img-" + older)
            + "}\n";
        return new String[] {v, cmd, String.join("\n",
            "truncate -s 8M esp.img && mkfs.vfat -n UEFI esp.img >/dev/null",
            "truncate -s 48M boot.img && mkfs.ext4 -q -L BOOT boot.img",
            "truncate -s 32M root.img && mkfs.ext4 -q -b 4096 -i 8192 -m 0 -L cloudimg-rootfs -U " + rootUuid + " root.img",
            "mnt boot.img b",
            "mkdir -p b/grub",
            "cp $K b/vmlinuz-" + v + " && cp $I b/initrd.img-" + v,
            "junk b/vmlinuz-" + older + " && junk b/initrd.img-" + older,
            "ln -s vmlinuz-" + v + " b/vmlinuz && ln -s initrd.img-" + v + " b/initrd.img",
            heredoc("b/grub/grub.cfg", grub),
            "umnt b",
            "mnt root.img m && mkdir -p m/etc m/boot && echo 'LABEL=BOOT /boot ext4 defaults 0 2' > m/etc/fstab && umnt m",
            "truncate -s 100M disk.raw",
            "sgdisk -o -n 14:2048:+4M -t 14:ef02 -n 15:10240:+8M -t 15:ef00 -n " + bootPart
                + ":28672:+48M -t " + bootPart + ":ea00 -c " + bootPart + ":BOOT -n 1:129024:+32M -t 1:8300 disk.raw >/dev/null",
            "put esp.img 5 && put boot.img 14 && put root.img 63", "")};
      }
      case DEBIAN:
      case DEBIAN_12: {
        boolean bookworm = l == DistroLayout.DEBIAN_12;
        String v = bookworm ? "6.1.0-41-cloud-amd64" : "6.12.57+deb13-cloud-amd64";
        String newer = bookworm ? "6.1.0-42-cloud-amd64" : "6.12.63+deb13-cloud-amd64";
        // the ext4 features of each release's mke2fs.conf (bookworm's e2fsprogs 1.47.0 does not
        // turn on metadata_csum_seed or orphan_file)
        String features = "none,has_journal,ext_attr,resize_inode,dir_index,filetype,extent,flex_bg,"
            + "sparse_super,large_file,huge_file,uninit_bg,metadata_csum,64bit,dir_nlink,extra_isize"
            + (bookworm ? "" : ",metadata_csum_seed,orphan_file");
        String fallback = bookworm ? "metadata_csum,64bit" : "metadata_csum,64bit,metadata_csum_seed,orphan_file";
        String cmd = "root=PARTUUID=" + partUuid + " ro console=tty0 console=ttyS0,115200 earlyprintk=ttyS0,115200 consoleblank=0";
        String grub = "if [ -s $prefix/grubenv ]; then\n  load_env\nfi\nif [ \"${next_entry}\" ] ; then\n"
            + "   set default=\"${next_entry}\"\n   set next_entry=\nelse\n   set default=\"0\"\nfi\n"
            + grubEntry("Debian GNU/Linux", "/boot/vmlinuz-" + v, cmd, "/boot/initrd.img-" + v)
            + "submenu 'Advanced options for Debian GNU/Linux' {\n"
            + grubEntry("Debian GNU/Linux, with Linux " + newer, "/boot/vmlinuz-" + newer, cmd, "/boot/initrd.img-" + newer)
            + "}\n";
        return new String[] {v, cmd, String.join("\n",
            "truncate -s 8M esp.img && mkfs.vfat esp.img >/dev/null",
            "truncate -s 96M root.img && mkfs.ext4 -q -O " + features + " -U " + rootUuid + " root.img 2>/dev/null || mkfs.ext4 -q -O " + fallback + " -U " + rootUuid + " root.img",
            "mnt root.img m",
            "mkdir -p m/etc/kernel m/boot/grub",
            "echo 'do_symlinks = no' > m/etc/kernel-img.conf && echo 'PARTUUID=" + partUuid + " / ext4 rw,discard,errors=remount-ro,x-systemd.growfs 0 1' > m/etc/fstab",
            "cp $K m/boot/vmlinuz-" + v + " && cp $I m/boot/initrd.img-" + v,
            "junk m/boot/vmlinuz-" + newer + " && junk m/boot/initrd.img-" + newer,
            heredoc("m/boot/grub/grub.cfg", grub),
            "umnt m",
            "truncate -s 120M disk.raw",
            "sgdisk -o -n 14:2048:+3M -t 14:ef02 -n 15:8192:+8M -t 15:ef00 -n 1:26624:+96M -t 1:8304 -u 1:" + partUuid + " disk.raw >/dev/null",
            "put esp.img 4 && put root.img 13", "")};
      }
      case ALPINE_MBR:
      case ALPINE_BARE: {
        String cmd = "root=UUID=" + rootUuid + " modules=sd-mod,usb-storage,ext4 quiet rootfstype=ext4";
        String ext = "DEFAULT menu.c32\nPROMPT 0\nMENU TITLE Alpine/Linux Boot Menu\nMENU HIDDEN\nMENU AUTOBOOT Alpine will be booted automatically in # seconds.\nTIMEOUT 10\n"
            + "LABEL lts\n  MENU LABEL Linux lts\n  LINUX vmlinuz-lts\n  INITRD initramfs-lts\n  APPEND root=UUID=" + rootUuid + " quiet\n"
            + "LABEL virt\n  MENU DEFAULT\n  MENU LABEL Linux virt\n  LINUX vmlinuz-virt\n  INITRD initramfs-virt\n  APPEND " + cmd + "\n"
            + "DEFAULT virt\nMENU SEPARATOR\n";
        String fill = String.join("\n",
            "truncate -s 64M root.img && mkfs.ext4 -q -O ^64bit -L / -U " + rootUuid + " root.img",
            "mnt root.img m",
            "mkdir -p m/etc m/boot",
            "echo 'UUID=" + rootUuid + " / ext4 rw,relatime 0 1' > m/etc/fstab",
            "cp $K m/boot/vmlinuz-virt && cp $I m/boot/initramfs-virt",
            "junk m/boot/vmlinuz-lts && junk m/boot/initramfs-lts",
            heredoc("m/boot/extlinux.conf", ext),
            "umnt m", "");
        if (l == DistroLayout.ALPINE_BARE) {
          return new String[] {"virt", cmd, fill + "mv root.img disk.raw\n"};
        }
        return new String[] {"virt", cmd, fill + String.join("\n",
            "truncate -s 66M disk.raw",
            "printf 'label: dos\\nstart=2048, size=131072, type=83, bootable\\n' | sfdisk -q disk.raw",
            "put root.img 1", "")};
      }
      case FEDORA: {
        String v = "6.11.4-301.fc41.x86_64";
        String newer = "6.12.5-200.fc41.x86_64";
        String cmd = "root=UUID=" + rootUuid + " ro rootflags=subvol=root no_timer_check net.ifnames=0 console=tty1 console=ttyS0,115200n8";
        return new String[] {v, cmd, String.join("\n",
            "truncate -s 8M esp.img && mkfs.vfat -n EFI esp.img >/dev/null",
            "truncate -s 48M boot.img && mkfs.ext4 -q -L BOOT boot.img",
            "truncate -s 128M root.img && mkfs.btrfs -q -L fedora -U " + rootUuid + " root.img >/dev/null",
            "mnt boot.img b",
            "mkdir -p b/loader/entries b/grub2",
            "cp $K b/vmlinuz-" + v + " && cp $I b/initramfs-" + v + ".img",
            "junk b/vmlinuz-" + newer + " && junk b/initramfs-" + newer + ".img",
            heredoc("b/loader/entries/" + mid + "-" + v + ".conf", "title Fedora Linux (" + v + ") 41 (Cloud Edition)\nversion " + v
                + "\nlinux /vmlinuz-" + v + "\ninitrd /initramfs-" + v + ".img\noptions " + cmd + "\ngrub_users $grub_users\ngrub_arg --unrestricted\ngrub_class fedora"),
            heredoc("b/loader/entries/" + mid + "-" + newer + ".conf", "title Fedora Linux (" + newer + ") 41 (Cloud Edition)\nversion " + newer
                + "\nlinux /vmlinuz-" + newer + "\ninitrd /initramfs-" + newer + ".img\noptions root=UUID=" + rootUuid + " ro WRONG"),
            "printf '# GRUB Environment Block\\nsaved_entry=" + mid + "-" + v + "\\nboot_success=1\\n' > b/grub2/grubenv && head -c 900 /dev/zero | tr '\\0' '#' >> b/grub2/grubenv",
            "umnt b",
            "mnt root.img m && btrfs subvolume create m/root >/dev/null && btrfs subvolume create m/home >/dev/null",
            "mkdir -p m/root/etc m/root/boot && echo 'UUID=" + rootUuid + " / btrfs subvol=root,compress=zstd:1 0 0' > m/root/etc/fstab && umnt m",
            "truncate -s 190M disk.raw",
            "sgdisk -o -n 1:2048:+1M -t 1:ef02 -n 2:4096:+8M -t 2:ef00 -n 3:20480:+48M -t 3:8300 -n 4:118784:+128M -t 4:8300 disk.raw >/dev/null",
            "put esp.img 2 && put boot.img 10 && put root.img 58", "")};
      }
      case EL9:
      case EL8: {
        boolean el8 = l == DistroLayout.EL8;
        String v = el8 ? "4.18.0-553.el8_10.x86_64" : "5.14.0-427.13.1.el9_4.x86_64";
        String other = el8 ? "4.18.0-513.5.1.el8_9.x86_64" : "5.14.0-503.14.1.el9_5.x86_64";
        String cmd = "root=UUID=" + rootUuid + " ro console=ttyS0,115200n8 no_timer_check net.ifnames=0 crashkernel=auto";
        String opts = el8 ? "$kernelopts $tuned_params" : cmd;
        String env = "# GRUB Environment Block\\nsaved_entry=" + mid + "-" + v + "\\n"
            + (el8 ? "kernelopts=" + cmd + "\\n" : "") + "boot_success=0\\n";
        String entry = "title Rocky Linux (%s)\nversion %s\nlinux /vmlinuz-%s\ninitrd /initramfs-%s.img $tuned_initrd\noptions %s\nid rocky-%s\ngrub_users $grub_users\ngrub_arg --unrestricted\ngrub_class rocky";
        String bootType = el8 ? "8300" : "ea00";
        return new String[] {v, cmd, String.join("\n",
            "truncate -s 8M esp.img && mkfs.vfat -n EFI esp.img >/dev/null",
            "truncate -s 300M boot.img && mkfs.xfs -q -L boot boot.img",
            "truncate -s 300M root.img && mkfs.xfs -q -L root -m uuid=" + rootUuid + (el8 ? ",bigtime=0,inobtcount=0" : "") + " root.img",
            "mnt boot.img b",
            "mkdir -p b/loader/entries b/grub2",
            "cp $K b/vmlinuz-" + v + " && cp $I b/initramfs-" + v + ".img",
            "junk b/vmlinuz-" + other + " && junk b/initramfs-" + other + ".img",
            "junk b/vmlinuz-0-rescue-" + mid + " && junk b/initramfs-0-rescue-" + mid + ".img",
            heredoc("b/loader/entries/" + mid + "-" + v + ".conf", String.format(entry, v, v, v, v, opts, v)),
            heredoc("b/loader/entries/" + mid + "-" + other + ".conf", String.format(entry, other, other, other, other, "root=UUID=" + rootUuid + " ro WRONG", other)),
            heredoc("b/loader/entries/" + mid + "-0-rescue.conf", String.format(entry, "0-rescue-" + mid, "0-rescue-" + mid, "0-rescue-" + mid, "0-rescue-" + mid, "root=UUID=" + rootUuid + " ro RESCUE", "rescue")),
            "printf '" + env + "' > b/grub2/grubenv && head -c 900 /dev/zero | tr '\\0' '#' >> b/grub2/grubenv",
            "umnt b",
            "mnt root.img m && mkdir -p m/etc m/boot && echo 'UUID=" + rootUuid + " / xfs defaults 0 0' > m/etc/fstab && umnt m",
            "truncate -s 620M disk.raw",
            "sgdisk -o -n 1:2048:+1M -t 1:ef02 -n 2:4096:+8M -t 2:ef00 -n 3:20480:+300M -t 3:" + bootType + " -n 4:634880:+300M -t 4:8304 disk.raw >/dev/null",
            "put esp.img 2 && put boot.img 10 && put root.img 310", "")};
      }
      case OPENSUSE: {
        String v = "6.12.0-1-default";
        String cmd = "root=UUID=" + rootUuid + " splash=silent mitigations=auto quiet security=selinux selinux=1 console=tty0 console=ttyS0,115200";
        String grub = "set btrfs_relative_path=\"y\"\nexport btrfs_relative_path\nset default=0\n"
            + "menuentry 'openSUSE Tumbleweed' --class opensuse --class gnu-linux --class gnu --class os $menuentry_id_option 'gnulinux-simple-" + rootUuid + "' {\n"
            + "\tload_video\n\tset gfxpayload=keep\n\tinsmod gzio\n\tinsmod part_gpt\n\tinsmod btrfs\n"
            + "\techo\t'Loading Linux " + v + " ...'\n"
            + "\tlinux\t${btrfs_subvol}/boot/vmlinuz-" + v + " " + cmd + "\n"
            + "\techo\t'Loading initial ramdisk ...'\n"
            + "\tinitrd\t${btrfs_subvol}/boot/initrd-" + v + "\n}\n";
        return new String[] {v, cmd, String.join("\n",
            "truncate -s 8M esp.img && mkfs.vfat -n EFI esp.img >/dev/null",
            "truncate -s 128M root.img && mkfs.btrfs -q -U " + rootUuid + " root.img >/dev/null",
            "mnt root.img m",
            "btrfs subvolume create m/@ >/dev/null && btrfs subvolume create m/@/.snapshots >/dev/null",
            "mkdir -p m/@/.snapshots/1 && btrfs subvolume create m/@/.snapshots/1/snapshot >/dev/null",
            "S=m/@/.snapshots/1/snapshot",
            "mkdir -p $S/etc $S/boot/grub2 $S/usr/lib/modules/" + v,
            "echo 'UUID=" + rootUuid + " / btrfs defaults 0 0' > $S/etc/fstab",
            "cp $K $S/usr/lib/modules/" + v + "/vmlinuz && ln -s ../usr/lib/modules/" + v + "/vmlinuz $S/boot/vmlinuz-" + v,
            "cp $I $S/boot/initrd-" + v,
            "ln -s vmlinuz-" + v + " $S/boot/vmlinuz && ln -s initrd-" + v + " $S/boot/initrd",
            heredoc("$S/boot/grub2/grub.cfg", grub),
            "ID=$(btrfs subvolume list m | awk '/\\.snapshots\\/1\\/snapshot/{print $2}') && btrfs subvolume set-default $ID m",
            "umnt m",
            "truncate -s 150M disk.raw",
            "sgdisk -o -n 1:2048:+1M -t 1:ef02 -n 2:4096:+8M -t 2:ef00 -n 3:20480:+128M -t 3:8300 disk.raw >/dev/null",
            "put esp.img 2 && put root.img 10", "")};
      }
      case ARCH: {
        String cmd = "root=UUID=" + rootUuid + " rw net.ifnames=0 rootflags=compress=zstd:1 console=tty0 console=ttyS0,115200";
        String grub = "set default=\"0\"\n"
            + grubEntry("Arch Linux", "/boot/vmlinuz-linux", cmd, "/boot/initramfs-linux.img")
            + grubEntry("Arch Linux, with Linux linux (fallback initramfs)", "/boot/vmlinuz-linux", cmd, "/boot/initramfs-linux-fallback.img");
        return new String[] {"linux", cmd, String.join("\n",
            "truncate -s 40M esp.img && mkfs.fat -F 32 esp.img >/dev/null",
            "truncate -s 128M root.img && mkfs.btrfs -q -U " + rootUuid + " root.img >/dev/null",
            "mnt root.img m compress-force=zstd",
            "mkdir -p m/etc m/boot/grub m/efi",
            "echo 'UUID=" + rootUuid + " / btrfs rw,relatime,compress=zstd:1 0 0' > m/etc/fstab",
            "cp $K m/boot/vmlinuz-linux && cp $I m/boot/initramfs-linux.img",
            "junk m/boot/initramfs-linux-fallback.img",
            heredoc("m/boot/grub/grub.cfg", grub),
            "btrfs subvolume create m/swap >/dev/null",
            "umnt m",
            "n=$(btrfs inspect-internal dump-tree -t 5 root.img | grep -c 'compression 3' || true)",
            "[ \"$n\" -gt 0 ] || { echo 'no zstd-compressed extents were written' >&2; exit 1; }",
            "truncate -s 180M disk.raw",
            "sgdisk -o -n 1:2048:+1M -t 1:ef02 -n 2:4096:+40M -t 2:ef00 -n 3:86016:+128M -t 3:8304 disk.raw >/dev/null",
            "put esp.img 2 && put root.img 42", "")};
      }
      default:
        throw new IllegalArgumentException(l.toString());
    }
  }
}
