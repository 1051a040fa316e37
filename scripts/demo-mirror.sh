#!/usr/bin/env bash
# Offline demo: builds qcow2 images laid out like the distros' cloud images (real partition
# layouts and boot configuration, the real Debian cloud kernel with an initrd that prints a marker
# and powers off), publishes them at the distros' real mirror paths with their real checksum
# files and directory listings, serves them on 127.0.0.1:PORT until Ctrl-C, and prints the
# image-cli and qemu commands to try.
#
#   scripts/demo-mirror.sh [PORT] [NAME:VERSION...]   (default: 8080 ubuntu:24.04 debian:12; amd64)
#   scripts/demo-mirror.sh 8081 ubuntu:22.04 fedora:41 rocky:9 alpine:3.22 arch:latest
#
# The images are built once (as root: loop mounts; the tools come with
# scripts/install-test-deps.sh; the kernel with `apt-get download`) and cached in
# $COMPUTE_IMAGE_DEMO_CACHE (default /var/tmp/compute-image-demo). Needs Java 17+ and Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${COMPUTE_IMAGE_DEMO_CACHE:-/var/tmp/compute-image-demo}"
cpfile="$here/bench/target/demo-mirror.classpath"
classes="$here/bench/target/classes"

needs_build() {
  [ -f "$cpfile" ] && [ -d "$classes" ] || return 0
  local newer
  newer="$(find "$here" \( -name .git -o -name target -o -name .mvn \) -prune -o \
    \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$cpfile" -print -quit 2>/dev/null || true)"
  [ -n "$newer" ]
}

if needs_build; then
  command -v mvn >/dev/null 2>&1 || { echo "demo-mirror: Maven (mvn) is needed to build the demo" >&2; exit 1; }
  echo "demo-mirror: building (first use or sources changed; takes a minute or two)..." >&2
  # one reactor build: reactor modules resolve to this worktree's jars, never to ~/.m2 snapshots;
  # the relative output file lands in each module's own target/
  set +e
  (cd "$here" && mvn -q -B -Dstyle.color=never -DskipTests -pl bench -am package \
      dependency:build-classpath -Dmdep.outputFile=target/demo-mirror.classpath \
      -Dmdep.includeScope=runtime 2>&1) | sed -e 's/\x1b\[[0-9;]*m//g' | grep -v '^$' >&2
  status=("${PIPESTATUS[@]}")
  set -e
  [ "${status[0]}" = 0 ] || { echo "demo-mirror: build failed (see the Maven output above)" >&2; exit 1; }
  touch "$cpfile"
fi

exec java ${JAVA_OPTS--XX:+UseSerialGC -Xmx256m} -cp "$classes:$(cat "$cpfile")" \
  io.carbon.computeimage.bench.demo.DemoMirrorMain --cache "$cache" "$@"
