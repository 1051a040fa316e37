package io.carbon.computeimage.adapter.convert.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BootSelectorTest {
  private static final String EL9_OLD = "5.14.0-427.13.1.el9_4.x86_64";
  private static final String EL9_NEW = "5.14.0-503.14.1.el9_5.x86_64";
  private static final String MID = "0123456789abcdef0123456789abcdef";

  private static MapBootView elBoot(String savedEntry) {
    MapBootView v = new MapBootView()
        .files("/vmlinuz-" + EL9_OLD, "/initramfs-" + EL9_OLD + ".img",
            "/vmlinuz-" + EL9_NEW, "/initramfs-" + EL9_NEW + ".img",
            "/vmlinuz-0-rescue-" + MID, "/initramfs-0-rescue-" + MID + ".img")
        .file("/loader/entries/" + MID + "-" + EL9_OLD + ".conf",
            "title Rocky (" + EL9_OLD + ")\nversion " + EL9_OLD + "\nlinux /vmlinuz-" + EL9_OLD
                + "\ninitrd /initramfs-" + EL9_OLD + ".img $tuned_initrd\noptions root=UUID=r1 ro "
                + "console=ttyS0,115200n8 no_timer_check\n")
        .file("/loader/entries/" + MID + "-" + EL9_NEW + ".conf",
            "title Rocky (" + EL9_NEW + ")\nversion " + EL9_NEW + "\nlinux /vmlinuz-" + EL9_NEW
                + "\ninitrd /initramfs-" + EL9_NEW + ".img\noptions root=UUID=r2 ro\n")
        .file("/loader/entries/" + MID + "-0-rescue.conf",
            "title Rocky (0-rescue)\nversion 0-rescue-" + MID + "\nlinux /vmlinuz-0-rescue-" + MID
                + "\ninitrd /initramfs-0-rescue-" + MID + ".img\noptions root=UUID=r3 ro\n");
    if (savedEntry != null) {
      v.file("/grub2/grubenv", "# GRUB Environment Block\nsaved_entry=" + savedEntry
          + "\nboot_success=0\n" + "#".repeat(900));
    }
    return v;
  }

  @Test
  void choose_blsWithSavedEntry_takesSavedEntryEvenIfOlder() throws Exception {
    MapBootView v = elBoot(MID + "-" + EL9_OLD);
    BootChoice c = BootSelector.choose(v, "", v).orElseThrow();
    assertThat(c.kernelPath()).isEqualTo("/vmlinuz-" + EL9_OLD);
    assertThat(c.initrdPath()).isEqualTo("/initramfs-" + EL9_OLD + ".img");
    assertThat(c.commandLine()).isEqualTo("root=UUID=r1 ro console=ttyS0,115200n8 no_timer_check");
    assertThat(c.source()).contains("saved_entry");
  }

  @Test
  void choose_blsWithoutSavedEntry_takesNewestNonRescue() throws Exception {
    MapBootView v = elBoot(null);
    BootChoice c = BootSelector.choose(v, "", v).orElseThrow();
    assertThat(c.version()).isEqualTo(EL9_NEW);
    assertThat(c.commandLine()).isEqualTo("root=UUID=r2 ro");
  }

  @Test
  void choose_blsSavedEntryIsRescue_neverTakesRescue() throws Exception {
    MapBootView v = elBoot(MID + "-0-rescue");
    BootChoice c = BootSelector.choose(v, "", v).orElseThrow();
    assertThat(c.kernelPath()).doesNotContain("rescue");
    assertThat(c.initrdPath()).doesNotContain("rescue");
  }

  @Test
  void choose_el8Kernelopts_expandsFromGrubenv() throws Exception {
    String ver = "4.18.0-553.el8_10.x86_64";
    MapBootView v = new MapBootView()
        .files("/boot/vmlinuz-" + ver, "/boot/initramfs-" + ver + ".img")
        .file("/boot/loader/entries/abc-" + ver + ".conf", "title EL8\nversion " + ver
            + "\nlinux /vmlinuz-" + ver + "\ninitrd /initramfs-" + ver + ".img $tuned_initrd\n"
            + "options $kernelopts $tuned_params\n")
        .file("/boot/grub2/grubenv", "# GRUB Environment Block\nsaved_entry=abc-" + ver
            + "\nkernelopts=root=UUID=aaaa ro crashkernel=auto console=ttyS0,115200n8\n####\n");
    BootChoice c = BootSelector.choose(v, "/boot", v).orElseThrow();
    assertThat(c.kernelPath()).isEqualTo("/boot/vmlinuz-" + ver);
    assertThat(c.commandLine()).isEqualTo("root=UUID=aaaa ro crashkernel=auto console=ttyS0,115200n8");
  }

  @Test
  void choose_blsInitrdOfOtherVersion_usesTheKernelsOwnInitrd() throws Exception {
    MapBootView v = new MapBootView()
        .files("/vmlinuz-6.2.0", "/initramfs-6.2.0.img", "/initramfs-6.1.0.img")
        .file("/loader/entries/x.conf", "linux /vmlinuz-6.2.0\ninitrd /initramfs-6.1.0.img\noptions a\n");
    BootChoice c = BootSelector.choose(v, "", v).orElseThrow();
    assertThat(c.initrdPath()).isEqualTo("/initramfs-6.2.0.img");
  }

  private static final String DEBIAN_GRUB = String.join("\n",
      "if [ -s $prefix/grubenv ]; then", "  load_env", "fi",
      "if [ \"${next_entry}\" ] ; then", "   set default=\"${next_entry}\"", "   set next_entry=",
      "else", "   set default=\"0\"", "fi",
      "menuentry 'Debian GNU/Linux' --class debian $menuentry_id_option 'gnulinux-simple-x' {",
      "\tload_video", "\tinsmod gzio",
      "\tif [ x$grub_platform = xxen ]; then insmod xzio; insmod lzopio; fi",
      "\techo\t'Loading Linux 6.1.0-28-cloud-amd64 ...'",
      "\tlinux\t/boot/vmlinuz-6.1.0-28-cloud-amd64 root=PARTUUID=1234 ro console=tty0 console=ttyS0,115200 earlyprintk=ttyS0,115200 consoleblank=0",
      "\tinitrd\t/boot/initrd.img-6.1.0-28-cloud-amd64", "}",
      "submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-x' {",
      "\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-28-cloud-amd64' --class debian $menuentry_id_option 'gnulinux-6.1.0-28-advanced' {",
      "\t\tlinux\t/boot/vmlinuz-6.1.0-28-cloud-amd64 root=PARTUUID=1234 ro console=tty0",
      "\t\tinitrd\t/boot/initrd.img-6.1.0-28-cloud-amd64", "\t}",
      "\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-27-cloud-amd64' --class debian $menuentry_id_option 'gnulinux-6.1.0-27-advanced' {",
      "\t\tlinux\t/boot/vmlinuz-6.1.0-27-cloud-amd64 root=PARTUUID=1234 ro console=tty0 quiet",
      "\t\tinitrd\t/boot/initrd.img-6.1.0-27-cloud-amd64", "\t}", "}", "");

  private static MapBootView debian(String grub) {
    return new MapBootView()
        .files("/boot/vmlinuz-6.1.0-28-cloud-amd64", "/boot/initrd.img-6.1.0-28-cloud-amd64",
            "/boot/vmlinuz-6.1.0-27-cloud-amd64", "/boot/initrd.img-6.1.0-27-cloud-amd64",
            "/etc/fstab")
        .file("/boot/grub/grub.cfg", grub);
  }

  @Test
  void choose_grubDefaultZero_takesFirstEntryAndItsLinuxLine() throws Exception {
    MapBootView v = debian(DEBIAN_GRUB);
    BootChoice c = BootSelector.choose(v, "/boot", v).orElseThrow();
    assertThat(c.kernelPath()).isEqualTo("/boot/vmlinuz-6.1.0-28-cloud-amd64");
    assertThat(c.initrdPath()).isEqualTo("/boot/initrd.img-6.1.0-28-cloud-amd64");
    assertThat(c.commandLine()).isEqualTo("root=PARTUUID=1234 ro console=tty0 console=ttyS0,115200 earlyprintk=ttyS0,115200 consoleblank=0");
  }

  @Test
  void choose_grubDefaultSubmenuPath_takesNestedEntry() throws Exception {
    MapBootView v = debian(DEBIAN_GRUB.replace("set default=\"0\"", "set default=\"1>1\""));
    BootChoice c = BootSelector.choose(v, "/boot", v).orElseThrow();
    assertThat(c.version()).isEqualTo("6.1.0-27-cloud-amd64");
    assertThat(c.commandLine()).isEqualTo("root=PARTUUID=1234 ro console=tty0 quiet");
  }

  @Test
  void choose_grubDefaultById_takesThatEntry() throws Exception {
    MapBootView v = debian(DEBIAN_GRUB.replace("set default=\"0\"", "set default=\"gnulinux-6.1.0-27-advanced\""));
    assertThat(BootSelector.choose(v, "/boot", v).orElseThrow().version()).isEqualTo("6.1.0-27-cloud-amd64");
  }

  @Test
  void choose_grubRecoveryDefault_skipsRecovery() throws Exception {
    String grub = "set default=\"0\"\nmenuentry 'Ubuntu (recovery mode)' {\n linux /vmlinuz-6.8.0-45-generic root=LABEL=x ro recovery nomodeset\n initrd /initrd.img-6.8.0-45-generic\n}\n"
        + "menuentry 'Ubuntu' {\n linux /vmlinuz-6.8.0-45-generic root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0 $vt_handoff\n initrd /initrd.img-6.8.0-45-generic\n}\n";
    MapBootView v = new MapBootView().files("/vmlinuz-6.8.0-45-generic", "/initrd.img-6.8.0-45-generic")
        .file("/grub/grub.cfg", grub);
    BootChoice c = BootSelector.choose(v, "", v).orElseThrow();
    assertThat(c.commandLine()).isEqualTo("root=LABEL=cloudimg-rootfs ro console=tty1 console=ttyS0");
  }

  @Test
  void choose_extlinux_takesDefaultLabelAndAppend() throws Exception {
    MapBootView v = new MapBootView().files("/boot/vmlinuz-virt", "/boot/initramfs-virt",
            "/boot/vmlinuz-lts", "/boot/initramfs-lts")
        .file("/boot/extlinux.conf", "DEFAULT menu.c32\nPROMPT 0\nMENU TITLE Alpine\nDEFAULT virt\n"
            + "LABEL lts\n  MENU LABEL Linux lts\n  LINUX vmlinuz-lts\n  INITRD initramfs-lts\n  APPEND root=UUID=x\n"
            + "LABEL virt\n  MENU LABEL Linux virt\n  LINUX vmlinuz-virt\n  INITRD initramfs-virt\n"
            + "  APPEND root=UUID=abcd modules=sd-mod,usb-storage,ext4 quiet rootfstype=ext4\n");
    BootChoice c = BootSelector.choose(v, "/boot", v).orElseThrow();
    assertThat(c.kernelPath()).isEqualTo("/boot/vmlinuz-virt");
    assertThat(c.initrdPath()).isEqualTo("/boot/initramfs-virt");
    assertThat(c.commandLine()).isEqualTo("root=UUID=abcd modules=sd-mod,usb-storage,ext4 quiet rootfstype=ext4");
  }

  @Test
  void choose_symlinks_followTheDistroLinkNotTheNewest() throws Exception {
    MapBootView v = new MapBootView()
        .files("/boot/vmlinuz-6.8.0-40-generic", "/boot/initrd.img-6.8.0-40-generic",
            "/boot/vmlinuz-6.8.0-45-generic", "/boot/initrd.img-6.8.0-45-generic")
        .link("/boot/vmlinuz", "vmlinuz-6.8.0-40-generic")
        .link("/boot/initrd.img", "initrd.img-6.8.0-40-generic");
    BootChoice c = BootSelector.choose(v, "/boot", v).orElseThrow();
    assertThat(c.version()).isEqualTo("6.8.0-40-generic");
    assertThat(c.commandLine()).isEmpty();
  }

  @Test
  void choose_noConfig_takesHighestVersionWithMatchingInitrd() throws Exception {
    MapBootView v = new MapBootView()
        .files("/boot/vmlinuz-6.9.12", "/boot/initrd.img-6.9.12", "/boot/vmlinuz-6.10.1",
            "/boot/initrd.img-6.10.1", "/boot/vmlinuz-6.11.0", "/boot/vmlinuz-0-rescue-abc",
            "/boot/initramfs-0-rescue-abc.img");
    BootChoice c = BootSelector.choose(v, "/boot", v).orElseThrow();
    assertThat(c.version()).isEqualTo("6.10.1");
    assertThat(c.initrdPath()).isEqualTo("/boot/initrd.img-6.10.1");
  }

  @Test
  void choose_archVersionless_pairsLinuxWithItsInitramfsNotFallback() throws Exception {
    MapBootView v = new MapBootView()
        .files("/boot/vmlinuz-linux", "/boot/initramfs-linux-fallback.img", "/boot/initramfs-linux.img");
    BootChoice c = BootSelector.choose(v, "/boot", v).orElseThrow();
    assertThat(c.initrdPath()).isEqualTo("/boot/initramfs-linux.img");
  }

  @Test
  void choose_opensuseImage_pairsWithInitrd() throws Exception {
    MapBootView v = new MapBootView()
        .files("/boot/Image-6.4.0-150600.23.25-default", "/boot/initrd-6.4.0-150600.23.25-default")
        .link("/boot/Image", "Image-6.4.0-150600.23.25-default");
    BootChoice c = BootSelector.choose(v, "/boot", v).orElseThrow();
    assertThat(c.initrdPath()).isEqualTo("/boot/initrd-6.4.0-150600.23.25-default");
  }

  @Test
  void choose_noInitrdAnywhere_isEmpty() throws Exception {
    MapBootView v = new MapBootView().files("/boot/vmlinuz-6.1.0");
    assertThat(BootSelector.choose(v, "/boot", v)).isEmpty();
  }

  @Test
  void versionOrder_numericRuns_compareNumerically() {
    assertThat(VersionOrder.INSTANCE.compare("6.10.0", "6.9.12")).isPositive();
    assertThat(VersionOrder.INSTANCE.compare("5.14.0-503.el9", "5.14.0-427.el9")).isPositive();
    assertThat(VersionOrder.INSTANCE.compare("6.1.0-28-cloud-amd64", "6.1.0-28-cloud-amd64")).isZero();
    assertThat(VersionOrder.INSTANCE.compare("6.1", "6.1.1")).isNegative();
  }

  @Test
  void grubEnv_expand_selfReferenceTerminates() {
    assertThat(GrubEnv.expand("a $x b", Map.of("x", "${x} y"))).isEqualTo("a y y y y b");
  }

  @Test
  void grubEnv_expand_replacesKnownAndDropsUnknown() {
    assertThat(GrubEnv.expand("$kernelopts ${tuned_params} x", Map.of("kernelopts", "root=a ro")))
        .isEqualTo("root=a ro x");
  }
}
