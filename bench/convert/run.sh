#!/usr/bin/env bash
# Benchmark: our converter vs `qemu-img convert -O raw`, whole process, alternating runs.
# Usage: bench/convert/run.sh [WORKDIR] [RUNS]   (default /var/tmp/ci-convert-bench, 3 runs)
# Prints per-run wall time and peak RSS, then the median time ratio per variant.
# Uses ./image-cli convert IN OUT when it exists, else the bench module's ConvertMain.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/var/tmp/ci-convert-bench}
runs=${2:-3}
"$repo/bench/convert/make-image.sh" "$work"

if [[ -x "$repo/image-cli" ]] && "$repo/image-cli" convert --help >/dev/null 2>&1; then
  ours=("$repo/image-cli" convert)
  echo "ours: ./image-cli convert"
else
  (cd "$repo" && mvn -q -B -pl bench -am package dependency:build-classpath \
    -Dmdep.outputFile=target/bench.cp -DskipTests >/dev/null)
  cp="$repo/bench/target/classes:$(cat "$repo/bench/target/bench.cp")"
  ours=(java ${BENCH_JAVA_OPTS:--Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} -cp "$cp"
        io.carbon.computeimage.bench.convert.ConvertMain)
  echo "ours: java ConvertMain (${BENCH_JAVA_OPTS:--Xmx160m -XX:+UseSerialGC -XX:TieredStopAtLevel=1})"
fi

measure() { # prints "seconds maxrss_kib"
  local out=$1; shift
  rm -f "$out"
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  cat "$work"/$variant.qcow2 > /dev/null   # same warm page cache for both tools
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/err.txt" \
    || { cat "$work/err.txt"; exit 1; }
  cat "$work/time.txt"
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

printf '%-6s %-5s %4s %8s %10s\n' variant tool run seconds rss_mib
for variant in zlib zstd none; do
  in="$work/$variant.qcow2"
  : > "$work/ours.t"; : > "$work/qemu.t"; : > "$work/ours.m"
  for ((i = 1; i <= runs; i++)); do
    read -r t m < <(measure "$work/qemu.raw" qemu-img convert -O raw "$in" "$work/qemu.raw")
    echo "$t" >> "$work/qemu.t"
    printf '%-6s %-5s %4d %8s %10d\n' "$variant" qemu "$i" "$t" $((m / 1024))
    read -r t m < <(measure "$work/ours.raw" "${ours[@]}" "$in" "$work/ours.raw")
    echo "$t" >> "$work/ours.t"; echo "$m" >> "$work/ours.m"
    printf '%-6s %-5s %4d %8s %10d\n' "$variant" ours "$i" "$t" $((m / 1024))
  done
  cmp "$work/ours.raw" "$work/qemu.raw" || { echo "OUTPUT DIFFERS for $variant"; exit 1; }
  q=$(median < "$work/qemu.t"); o=$(median < "$work/ours.t")
  rss=$(sort -n "$work/ours.m" | tail -1)
  echo "== $variant: median qemu ${q}s ours ${o}s ratio $(awk -v o="$o" -v q="$q" 'BEGIN{printf "%.2f", o/q}')x" \
       "peak RSS ours $((rss / 1024)) MiB; blocks ours $(stat -c %b "$work/ours.raw") qemu $(stat -c %b "$work/qemu.raw")"
done
rm -f "$work/ours.raw" "$work/qemu.raw"
