#!/usr/bin/env bash
# Builds an OCI layout made only of the given layer tars (`umoci raw add-layer`, base first) and
# unpacks it with umoci into <workdir>/ref/rootfs. Without --keep-dirlinks: a directory entry
# replaces a symlink of the same path, as containerd does.
# Usage: build-umoci-layers.sh <workdir> layer.tar...
set -euo pipefail
work=$1; shift
cd "$work"
umoci init --layout img
umoci new --image img:t
for t in "$@"; do
  umoci raw add-layer --image img:t "$t"
done
umoci unpack --image img:t ref >/dev/null
