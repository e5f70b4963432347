#!/usr/bin/env bash
# Benchmark (not a test): sweep throughput with 2 local workers, and the time wafer-analyze takes
# for 1,000 result files (target: under a minute).
#   1. scenarios/bench/sweep-default-flow.json: 40 points of the default scenario at flow fidelity
#   2. scenarios/bench/sweep-1000.json: 1,000 seeds of Llama 3.1 8B on one wafer (64 requests)
#   3. wafer-analyze on those 1,000 files: table, CSV, merged HDF5 and plots
# Usage: bench/sweep-benchmark.sh [build-dir] [work-dir]   (figures go to docs/performance.md)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
work=${2:-$(mktemp -d)}
mkdir -p "$work"

sweep() {
  local name=$1 file=$2
  rm -rf "${work:?}/$name"
  local t0 t1
  t0=$(date +%s.%N)
  "$build/bin/wafer-sweep" "$file" --out="$work/$name" --jobs=2 --quiet
  t1=$(date +%s.%N)
  local points
  points=$(grep -c '"status": "done"' "$work/$name/index.json")
  awk -v n="$points" -v a="$t0" -v b="$t1" -v name="$name" \
    'BEGIN { printf "%-22s %5d points, 2 workers: %7.1f s wall, %7.1f points/min\n", name, n, b - a, n * 60 / (b - a) }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
sweep default-flow scenarios/bench/sweep-default-flow.json
sweep seeds-1000 scenarios/bench/sweep-1000.json

t0=$(date +%s.%N)
"$build/bin/wafer-analyze" "$work/seeds-1000" --out="$work/report-1000" --quiet
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "wafer-analyze, 1000 files (table, CSV, merged HDF5, 4 plots): %.2f s wall\n", b - a }'
t0=$(date +%s.%N)
"$build/bin/wafer-analyze" "$work/seeds-1000/points" --group-by=none --metrics=ttft_s,tpot_s,tokens_per_s --quiet --csv="$work/folder.csv"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "wafer-analyze, 1000 files from a folder (CSV only): %.2f s wall\n", b - a }'
