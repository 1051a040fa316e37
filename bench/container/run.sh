#!/usr/bin/env bash
# Container pull benchmark: image-cli pull container vs podman pull (overlay driver, fresh storage)
# vs skopeo copy + umoci unpack, against the same local docker-registry and the same two images:
#   big   one ~100 MB gzip base layer (a root-filesystem-like tree from this machine's /usr) + 2 small
#   five  the same files split into five layers of about equal size
# Whole-process wall time and peak RSS (GNU time), runs alternating between the tools, medians.
# Usage: bench/container/run.sh [runs]   (default 5; needs root, docker-registry, podman, skopeo, umoci)
# Not a test: numbers depend on the machine. Results go to stdout and bench/container/results.txt
# (RESULTS=<file> writes elsewhere). HOLD=1 only sets up the registry and waits (for profiling).
set -euo pipefail
RUNS="${1:-5}"
TOOLS="${TOOLS:-imagecli podman skopeo_umoci}"   # subset, e.g. TOOLS="podman skopeo_umoci"
IMAGES="${IMAGES:-big five}"   # subset, e.g. IMAGES=five
# JVM flags: the launcher's defaults unless JAVA_OPTS is set (serial GC, 256 MiB heap, C1 only
# when libcrypto is there: see image-cli)
if [ -n "${JAVA_OPTS+set}" ]; then
  jvm_flags="JAVA_OPTS=$JAVA_OPTS"
else
  jvm_flags="the launcher's defaults"
  [ "${IMAGE_CLI_NATIVE_DIGEST:-1}" = 0 ] && jvm_flags="$jvm_flags, IMAGE_CLI_NATIVE_DIGEST=0"
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/ci-bench-container.XXXXXX)"
reg_pid=""
cleanup() {
  [ -n "$reg_pid" ] && kill "$reg_pid" 2>/dev/null || true
  for m in $(mount | awk -v w="$work" '$3 ~ "^"w {print $3}' | sort -r); do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
echo "storage for the pulls: ${STORAGE:-loop}" >&2
trap cleanup EXIT

# the benchmarked tree: binaries, libraries, scripts, man pages, zoneinfo (about 270 MB, ~100 MB gzip)
SRC_DIRS=(/usr/sbin /usr/lib/python3.11 /usr/share/perl /usr/lib/x86_64-linux-gnu/perl /usr/share/zoneinfo
          /usr/lib/gcc /usr/share/man/man1 /usr/share/man/man3)

IMAGE_CLI="${IMAGE_CLI:-}"   # another image-cli command (e.g. a wrapper around an older build); skips the build
if [[ " $TOOLS " == *" imagecli "* && -z "$IMAGE_CLI" ]]; then
echo "== building image-cli" >&2
(cd "$repo" && mvn -q -B -o -DskipTests package -pl app-cli -am) >&2 || (cd "$repo" && mvn -q -B -DskipTests package -pl app-cli -am) >&2
touch "$repo/app-cli/target/image-cli.jar" "$repo/app-cli/target/.image-cli.built"   # no rebuild in a timed run
fi

echo "== building images in $work" >&2
L="$work/layout"
umoci init --layout "$L"
find "${SRC_DIRS[@]}" -path '*/__pycache__' -prune -o \( -type f -o -type l \) -printf '%s\t%p\n' 2>/dev/null \
  | sort -k2 > "$work/files.tsv"
cut -f2 "$work/files.tsv" | sed 's|^/||' > "$work/all.lst"
tar -C / --no-recursion -cf "$work/base.tar" -T "$work/all.lst"
tar -C / -cf "$work/etc.tar" etc/ssl etc/apt 2>/dev/null || tar -C / -cf "$work/etc.tar" etc/apt
mkdir -p "$work/small/app" && head -c 200000 /dev/urandom > "$work/small/app/blob" && echo 'echo hi' > "$work/small/app/run.sh"
tar -C "$work/small" -cf "$work/small.tar" app
umoci new --image "$L:big"
for t in base etc small; do umoci raw add-layer --image "$L:big" "$work/$t.tar"; done
# five layers of about equal size
total=$(awk -F'\t' '{s+=$1} END {print s}' "$work/files.tsv")
awk -F'\t' -v total="$total" -v dir="$work" '
  { part = int(acc * 5 / total); if (part > 4) part = 4; acc += $1; sub("^/", "", $2); print $2 > (dir "/part" part ".lst") }' \
  "$work/files.tsv"
umoci new --image "$L:five"
for i in 0 1 2 3 4; do
  tar -C / --no-recursion -cf "$work/part$i.tar" -T "$work/part$i.lst"
  umoci raw add-layer --image "$L:five" "$work/part$i.tar"
done
rm -f "$work"/*.tar
umoci config --image "$L:big" --config.cmd /bin/sh --os linux --architecture amd64
umoci config --image "$L:five" --config.cmd /bin/sh --os linux --architecture amd64
for t in big five; do
  echo "   $t: $(umoci stat --image "$L:$t" --json | python3 -c 'import json,sys; h=json.load(sys.stdin)["history"]; print(len(h), "layers")' 2>/dev/null || true)" >&2
done

echo "== starting docker-registry" >&2
mkdir -p "$work/registry"
cat > "$work/registry/config.yml" <<YML
version: 0.1
log:
  level: info
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry/data
http:
  addr: 127.0.0.1:0
YML
/usr/bin/docker-registry serve "$work/registry/config.yml" > "$work/registry/log" 2>&1 &
reg_pid=$!
for _ in $(seq 1 100); do
  port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/registry/log" | head -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/registry/log" >&2; exit 1; }
host="127.0.0.1:$port"
for t in big five; do
  skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$L:$t" "docker://$host/bench/$t:1"
done
for t in big five; do
  sz=$(skopeo inspect --tls-verify=false "docker://$host/bench/$t:1" --raw | python3 -c 'import json,sys; m=json.load(sys.stdin); print(sum(l["size"] for l in m["layers"]), len(m["layers"]))')
  echo "   pushed $host/bench/$t:1 (compressed bytes, layers: $sz)" >&2
done

if [ -n "${HOLD:-}" ]; then
  # profiling aid: keep the registry up (images at $host/bench/{big,five}:1) until killed
  echo "== holding: registry $host, work dir $work" >&2
  trap 'exit 143' TERM INT
  while :; do sleep 3600 & wait $!; done
fi

# one measured run: prints "<seconds> <peak RSS KiB> <CPU seconds (user+sys)>"
measure() {
  local out rc=0
  out="$(/usr/bin/time -f '%e %M %U %S' "$@" 2>&1 >/dev/null)" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAILED ($rc): $*" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "$out" | tail -1 | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}

# Every run gets fresh storage in a new directory; nothing is deleted until the end. Deleting the
# ~20k files of the previous run right before a run makes inode allocation crawl on ext4 without a
# journal (the allocator skips inodes deleted in the last minutes, rescanning them for every new
# file): that dominated earlier measurements, for every tool, and is not what a pull costs.
# Disk: about 0.4 GB per run and tool (6 GB for 5 runs of both images with all tools).
fresh() { mktemp -d "$work/run/$1.XXXXXX"; }
run_imagecli() {
  local d; d="$(fresh ic)"
  measure "${IMAGE_CLI:-$repo/image-cli}" pull container -q "$host/bench/$1:1" --dir "$d"
}
run_podman() {
  local d rr; d="$(fresh pd)"; rr="$(mktemp -d "$work/rr.XXXXXX")"   # podman: runroot under 50 chars
  measure podman --root "$d/root" --runroot "$rr" --storage-driver overlay --events-backend none \
    pull -q --tls-verify=false "docker://$host/bench/$1:1"
}
run_skopeo_umoci() {
  local d; d="$(fresh su)"
  local a b
  a=$(measure skopeo --insecure-policy copy -q --src-tls-verify=false "docker://$host/bench/$1:1" "oci:$d/layout:x")
  b=$(measure umoci unpack --image "$d/layout:x" "$d/bundle")
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.2f %d %.2f\n", x[1] + y[1], (x[2] > y[2] ? x[2] : y[2]), x[3] + y[3] }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

mkdir -p "$work/run" "$work/res"
if [ "${STORAGE:-loop}" = loop ]; then
  # The pulls write into a fresh ext4 with the default options (journal included) in a sparse loop
  # file, the same for every tool: this machine's root file system has no journal, and there the
  # inode allocator skips (and re-checks for every new file) inodes deleted in the last minutes,
  # so any mass deletion shortly before a run (another build's, or a previous bench's cleanup)
  # made file creation dominate every tool's time. STORAGE=here measures in $work instead.
  truncate -s 24G "$work/storage.img"
  mkfs.ext4 -q -F "$work/storage.img"
  mount -o loop "$work/storage.img" "$work/run"
fi
echo "== warm-up (one untimed run each)" >&2
for tool in $TOOLS; do "run_$tool" big >/dev/null; done
for t in $IMAGES; do
  for i in $(seq 1 "$RUNS"); do
    # alternate the order each round
    if [ $((i % 2)) -eq 1 ]; then order="$TOOLS"; else order="$(echo $TOOLS | tr ' ' '\n' | tac | tr '\n' ' ')"; fi
    for tool in $order; do
      r=$("run_$tool" "$t")
      echo "$r" >> "$work/res/$t.$tool"
      read -r sec rss cpu <<< "$r"
      echo "   $t run $i $tool: $sec s, peak RSS $(( rss / 1024 )) MiB, CPU $cpu s, load $(cut -d' ' -f1 /proc/loadavg)" >&2
    done
  done
done

{
  echo "container pull benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), runs=$RUNS (medians)"
  echo "image-cli JVM flags: $jvm_flags; storage: ${STORAGE:-loop} (loop: fresh journaled ext4 in a loop file)"
  printf '%-6s %-14s %9s %9s %9s %9s %13s\n' image tool seconds ratio cpu_s cpu_ratio peakRSS_MiB
  for t in $IMAGES; do
    pd=$(cut -d' ' -f1 "$work/res/$t.podman" 2>/dev/null | median)
    pc=$(cut -d' ' -f3 "$work/res/$t.podman" 2>/dev/null | median)
    for tool in $TOOLS; do
      s=$(cut -d' ' -f1 "$work/res/$t.$tool" | median)
      c=$(cut -d' ' -f3 "$work/res/$t.$tool" | median)
      m=$(cut -d' ' -f2 "$work/res/$t.$tool" | sort -n | tail -1)
      printf '%-6s %-14s %9.2f %8.2fx %9.2f %8.2fx %13d\n' "$t" "$tool" "$s" \
        "$(awk -v a="$s" -v b="$pd" 'BEGIN{ if (b > 0) print a/b; else print 0 }')" "$c" \
        "$(awk -v a="$c" -v b="$pc" 'BEGIN{ if (b > 0) print a/b; else print 0 }')" $((m / 1024))
    done
    echo "$t per run (s): $(for tool in $TOOLS; do printf '%s %s | ' "$tool" "$(cut -d' ' -f1 "$work/res/$t.$tool" | tr '\n' ' ')"; done)"
    if [ -f "$work/res/$t.podman" ]; then
      # the same round's runs alternate next to each other: the median of per-round ratios
      for tool in $TOOLS; do
        [ "$tool" = podman ] && continue
        mr=$(paste -d' ' "$work/res/$t.$tool" "$work/res/$t.podman" | awk '{ print $1 / $4 }' | median)
        mc=$(paste -d' ' "$work/res/$t.$tool" "$work/res/$t.podman" | awk '{ if ($6 > 0) print $3 / $6 }' | median)
        printf '%s %s vs podman, median of per-round ratios: wall %.2fx, CPU %.2fx\n' "$t" "$tool" "$mr" "$mc"
      done
    fi
  done
} | tee "${RESULTS:-$here/results.txt}"
