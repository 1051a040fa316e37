#!/usr/bin/env bash
# Benchmark: our converter vs `qemu-img convert -O raw`, whole process, alternating runs.
# Usage: bench/convert/run.sh [WORKDIR] [RUNS]   (default /var/tmp/ci-convert-bench, 3 runs)
#        BENCH_DRIVER=1 bench/convert/run.sh ...   the converter alone (bench ConvertMain, no CLI)
# For each image (zlib, zstd, uncompressed) it runs, alternately: qemu-img, ours with the final
# fdatasync (the default, crash-safe) and ours without it (`--no-sync`, BENCH_SYNC=0 for the bench
# driver; like qemu-img, which does not flush). Prints per-run wall time, CPU time (user+sys) and peak RSS, then the medians
# and the median wall-time ratio, and the load average (the machine may be shared).
# Uses ./image-cli convert IN OUT when it exists, else the bench module's ConvertMain with
# BENCH_JAVA_OPTS (default: the launcher flags we recommend, see docs/convert.md).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/var/tmp/ci-convert-bench}
runs=${2:-3}
"$repo/bench/convert/make-image.sh" "$work"

# BENCH_DRIVER=1 times the bench module's ConvertMain (the converter without the CLI's start-up)
if [[ -z "${BENCH_DRIVER:-}" && -x "$repo/image-cli" ]] && "$repo/image-cli" convert --help >/dev/null 2>&1; then
  ours=("$repo/image-cli" convert)
  ours_nosync=("$repo/image-cli" convert --no-sync)
  echo "ours: ./image-cli convert (default JAVA_OPTS of the launcher)"
else
  if [[ -z "${BENCH_NO_BUILD:-}" ]]; then # BENCH_NO_BUILD=1 reuses the last build
    (cd "$repo" && mvn -q -B -pl bench -am package dependency:build-classpath \
      -Dmdep.outputFile=target/bench.cp -DskipTests >/dev/null)
  fi
  cp="$repo/bench/target/compute-image-bench-0.1.0-SNAPSHOT.jar:$(cat "$repo/bench/target/bench.cp")"
  jsa="$work/convert-cds.jsa"
  opts=${BENCH_JAVA_OPTS:--Xmx160m -XX:+UseSerialGC -XX:SharedArchiveFile=$jsa -Xshare:auto}
  if [[ -z "${BENCH_JAVA_OPTS:-}" ]]; then # AppCDS archive from one training run (JDK 17)
    rm -f "$jsa" "$work/train.raw"
    BENCH_SYNC=0 java -Xmx160m -XX:+UseSerialGC \
      -XX:ArchiveClassesAtExit="$jsa" -cp "$cp" io.carbon.computeimage.bench.convert.ConvertMain \
      "$work/zstd.qcow2" "$work/train.raw" >/dev/null 2>&1
    rm -f "$work/train.raw"
  fi
  # shellcheck disable=SC2206
  ours=(java $opts -cp "$cp" io.carbon.computeimage.bench.convert.ConvertMain)
  ours_nosync=("${ours[@]}")
  echo "ours: java $opts ConvertMain"
fi

measure() { # prints "wall cpu maxrss_kib"
  local out=$1; shift
  rm -f "$out"
  sync                                    # start each run with no dirty data pending
  cat "$work"/$variant.qcow2 > /dev/null   # same warm page cache for both tools
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" \
    || { cat "$work/err.txt"; exit 1; }
  if grep -q '^note:' "$work/err.txt"; then grep '^note:' "$work/err.txt" >&2; fi
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time.txt"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk -v o="$1" -v q="$2" 'BEGIN{printf "%.2f", o/q}'; }

echo "start: load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
printf '%-6s %-11s %4s %8s %8s %8s\n' variant tool run wall_s cpu_s rss_mib
for variant in zlib zstd none; do
  in="$work/$variant.qcow2"
  for t in qemu qemusync sync nosync; do : > "$work/$t.w"; : > "$work/$t.c"; : > "$work/$t.m"; done
  for ((i = 1; i <= runs; i++)); do
    for t in qemu qemusync sync nosync; do
      case $t in
        qemu) read -r w c m < <(measure "$work/qemu.raw" qemu-img convert -O raw "$in" "$work/qemu.raw") ;;
        # qemu-img followed by an fdatasync of its output: the durability our default gives
        qemusync) read -r w c m < <(measure "$work/qemu.raw" sh -c \
          'qemu-img convert -O raw "$1" "$2" && sync -d "$2"' sh "$in" "$work/qemu.raw") ;;
        sync) read -r w c m < <(BENCH_SYNC=1 measure "$work/ours.raw" "${ours[@]}" "$in" "$work/ours.raw") ;;
        nosync) read -r w c m < <(BENCH_SYNC=0 measure "$work/ours.raw" "${ours_nosync[@]}" "$in" "$work/ours.raw") ;;
      esac
      echo "$w" >> "$work/$t.w"; echo "$c" >> "$work/$t.c"; echo "$m" >> "$work/$t.m"
      printf '%-6s %-11s %4d %8s %8s %8d\n' "$variant" "$t" "$i" "$w" "$c" $((m / 1024))
    done
  done
  cmp "$work/ours.raw" "$work/qemu.raw" || { echo "OUTPUT DIFFERS for $variant"; exit 1; }
  for pair in nosync:qemu sync:qemusync sync:qemu; do
    t=${pair%%:*}; q=${pair##*:}
    qw=$(median < "$work/$q.w"); qc=$(median < "$work/$q.c")
    ow=$(median < "$work/$t.w"); oc=$(median < "$work/$t.c")
    rss=$(sort -n "$work/$t.m" | tail -1)
    echo "== $variant ours-$t vs $q: median wall $q ${qw}s ours ${ow}s ratio $(ratio "$ow" "$qw")x;" \
         "median CPU $q ${qc}s ours ${oc}s ratio $(ratio "$oc" "$qc")x; peak RSS ours $((rss / 1024)) MiB"
  done
  echo "== $variant allocated blocks: ours $(stat -c %b "$work/ours.raw") qemu $(stat -c %b "$work/qemu.raw")"
done
echo "end: load average $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$work/ours.raw" "$work/qemu.raw"
