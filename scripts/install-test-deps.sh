#!/usr/bin/env bash
# Installs every Debian package the tests need: the union of .ci/packages/*.txt (one package per
# line, '#' comments). Idempotent; needs root (CI and the dev machines run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t pkgs < <(cat .ci/packages/*.txt | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# the boot fixtures fetch a real Debian kernel with `apt-get download`, which needs package lists
if [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]; then
  apt-get update -qq
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# loop devices for filesystem fixtures
modprobe loop 2>/dev/null || true
echo "test dependencies ready (${#pkgs[@]} packages)"
