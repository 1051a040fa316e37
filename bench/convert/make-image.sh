#!/usr/bin/env bash
# Builds the benchmark images: a 3.5 GiB GPT disk whose ext4 root holds ~450 MiB of real files
# (the JDK and /usr/share), converted to qcow2 three ways (zlib, zstd, uncompressed).
# Usage: bench/convert/make-image.sh WORKDIR
set -euo pipefail
work=${1:?usage: make-image.sh WORKDIR}
mkdir -p "$work"
cd "$work"
[[ -f zlib.qcow2 && -f zstd.qcow2 && -f none.qcow2 ]] && { echo "images exist in $work"; exit 0; }
rm -rf root && mkdir -p root/usr/lib root/usr/share
cp -a /usr/lib/jvm root/usr/lib/
# add /usr/share content until ~450 MiB of data
for d in doc locale man perl5 i18n zoneinfo mime icons fonts; do
  [[ -d /usr/share/$d ]] || continue
  cur=$(du -sm root | cut -f1)
  (( cur >= 450 )) && break
  cp -a "/usr/share/$d" root/usr/share/ 2>/dev/null || true
done
echo "root tree: $(du -sh root | cut -f1)"
rm -f disk.raw
truncate -s 3584M disk.raw
sfdisk -q disk.raw <<'SF'
label: gpt
unit: sectors
start=2048, size=204800, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="EFI"
start=206848, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="root"
SF
start=$((206848 * 512))
size=$(( (3584 * 1024 * 1024) - start - 1024 * 1024 ))
rm -f root.img && truncate -s "$size" root.img
mkfs.ext4 -q -F -L cloudimg-rootfs -d root root.img
rm -f esp.img && truncate -s 100M esp.img && mkfs.vfat -n ESP esp.img >/dev/null
dd if=esp.img of=disk.raw bs=1M seek=1 conv=notrunc,sparse status=none
dd if=root.img of=disk.raw bs=1M seek=$((start / 1048576)) conv=notrunc,sparse status=none
rm -f root.img esp.img && rm -rf root
qemu-img convert -f raw -O qcow2 -c -o compression_type=zlib disk.raw zlib.qcow2
qemu-img convert -f raw -O qcow2 -c -o compression_type=zstd disk.raw zstd.qcow2
qemu-img convert -f raw -O qcow2 disk.raw none.qcow2
rm -f disk.raw
ls -la "$work"
