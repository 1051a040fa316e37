#!/usr/bin/env bash
# Builds an OCI layout with umoci: two layers made by umoci repack (real deletions become
# whiteouts), then the hand-made layer tars given as arguments, appended with `umoci raw add-layer`.
# Usage: build-umoci-image.sh <workdir> [extra-layer.tar ...]
set -euo pipefail
work=$1; shift
cd "$work"
umoci init --layout img
umoci new --image img:t

# Layer 1: a small root filesystem with every file type and the metadata that must survive.
umoci unpack --image img:t b >/dev/null
r=b/rootfs
mkdir -p $r/etc $r/usr/lib $r/usr/bin $r/tmp $r/var/lib/gone $r/var/cache/recreated $r/srv/data $r/dev
chmod 1777 $r/tmp
ln -s usr/lib $r/lib
ln -s usr/bin $r/bin
echo "root:x:0:0:root:/root:/bin/sh" > $r/etc/passwd
echo "hello" > $r/etc/motd
printf 'ELF-ish\n' > $r/usr/bin/ping
chown 1000:1000 $r/usr/bin/ping
setfattr -n security.capability -v 0x0100000280000000000000000000000000000000 $r/usr/bin/ping
printf 'su\n' > $r/usr/bin/su && chmod 4755 $r/usr/bin/su
printf 'wall\n' > $r/usr/bin/wall && chgrp 5 $r/usr/bin/wall && chmod 2755 $r/usr/bin/wall
printf 'lib\n' > $r/usr/lib/libx.so.1
ln -s libx.so.1 $r/usr/lib/libx.so
ln $r/usr/bin/su $r/usr/bin/su-hardlink
mknod $r/dev/null c 1 3 && chmod 666 $r/dev/null
mknod $r/dev/sda b 8 0
mkfifo $r/dev/initctl
setfattr -n user.comment -v "layer one" $r/etc/motd
setfattr -n trusted.custom -v 0xff00ff $r/etc/motd
echo "gone" > $r/var/lib/gone/file
echo "old" > $r/var/cache/recreated/old
echo "d" > $r/srv/data/one
echo "d" > $r/srv/data/two
echo "deleted" > $r/etc/deleted.conf
umoci repack --image img:t b >/dev/null
rm -rf b

# Layer 2: deletions (file, directory, directory removed and recreated), changes, additions.
umoci unpack --image img:t b >/dev/null
r=b/rootfs
rm $r/etc/deleted.conf
rm -rf $r/var/lib/gone
rm -rf $r/var/cache/recreated && mkdir $r/var/cache/recreated && echo new > $r/var/cache/recreated/new
rm $r/srv/data/one
echo "changed" > $r/etc/motd
chmod 600 $r/etc/passwd
mkdir -p $r/opt/app && echo app > $r/opt/app/run && chmod 755 $r/opt/app/run
umoci repack --image img:t b >/dev/null
rm -rf b

for t in "$@"; do
  umoci raw add-layer --image img:t "$t"
done
umoci unpack --keep-dirlinks --image img:t ref >/dev/null
