#!/usr/bin/env bash
# Kernel extraction benchmark: a GPT disk with an ext4 /boot holding a 15 MB kernel and a 60 MB
# initrd (incompressible), as raw, qcow2 and zlib-compressed qcow2 (like distro cloud images).
# Prints in-process extraction times (JVM start-up excluded) and the peak RSS of the whole JVM.
# Needs root (loop mount). Usage: bench/kernel/run.sh [runs]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${1:-5}
W=$(mktemp -d /var/tmp/kernel-bench-XXXXXX)
cleanup() { umount "$W/m" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
cd "$ROOT"
mvn -B -q -o -pl adapters-convert -am compile
M2=${M2_REPO:-$HOME/.m2/repository}
prop() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/pom.xml" | head -1; }
CP="$ROOT/adapters-convert/target/classes:$ROOT/ports/target/classes"
CP="$CP:$M2/io/airlift/aircompressor/$(prop aircompressor.version)/aircompressor-$(prop aircompressor.version).jar"
CP="$CP:$M2/org/tukaani/xz/$(prop xz.version)/xz-$(prop xz.version).jar"
javac -d "$W/classes" -cp "$CP" "$ROOT/bench/kernel/KernelBench.java"

cd "$W"
head -c 15M /dev/urandom > vmlinuz-6.1.0-bench
head -c 60M /dev/urandom > initrd.img-6.1.0-bench
truncate -s 200M boot.img && mkfs.ext4 -q -L BOOT boot.img
mkdir m && mount -o loop boot.img m
cp vmlinuz-6.1.0-bench initrd.img-6.1.0-bench m/
mkdir -p m/grub && printf 'set default="0"\nmenuentry "Bench" {\n linux /vmlinuz-6.1.0-bench root=LABEL=x ro\n initrd /initrd.img-6.1.0-bench\n}\n' > m/grub/grub.cfg
umount m
truncate -s 260M disk.raw
sgdisk -o -n 15:2048:+8M -t 15:ef00 -n 16:18432:+200M -t 16:ea00 -n 1:428032:0 -t 1:8304 disk.raw >/dev/null
dd if=boot.img of=disk.raw bs=1M seek=9 conv=notrunc,sparse status=none
qemu-img convert -O qcow2 disk.raw disk.qcow2
qemu-img convert -c -O qcow2 disk.raw disk-zlib.qcow2

for d in disk.raw disk.qcow2 disk-zlib.qcow2; do
  echo "== $d"
  /usr/bin/time -f "peak RSS: %M KiB, wall incl. JVM start: %e s" \
    java -XX:+UseSerialGC -cp "$W/classes:$CP" KernelBench "$W/$d" "$W/out" "$RUNS"
  cmp "$W/out/vmlinuz" vmlinuz-6.1.0-bench && cmp "$W/out/initrd" initrd.img-6.1.0-bench
done
