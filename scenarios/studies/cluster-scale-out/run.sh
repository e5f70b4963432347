#!/usr/bin/env bash
# The cluster scale-out study in one command (also `make study-cluster-scale-out`): run both
# sweeps with two local workers, then write the report folder (terminal tables and CSV).
# docs/studies/cluster-scale-out.md discusses the figures.
# Usage: scenarios/studies/cluster-scale-out/run.sh [BUILD_DIR] [OUT_DIR]
# A rerun only runs the points whose results are missing or invalid.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
out=${2:-results/studies/cluster-scale-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=$build/bin
report=$out/report
jobs=${JOBS:-2}

"$bin/wafer-sweep" "$here/sweep-scale-out.json" --out="$out/scale-out" --jobs="$jobs" --progress
"$bin/wafer-sweep" "$here/sweep-wafer-tp.json" --out="$out/wafer-tp" --jobs="$jobs" --progress
rm -rf "$report"
mkdir -p "$report"

metrics=ttft_s,tpot_s,e2e_s,tokens_per_s,tokens_per_s_per_accelerator
# 512 H200: per load, 200 against 400 GB/s of scale-out per node.
"$bin/wafer-analyze" "$out/scale-out" --group-by=name,network.port_rate_bps --metrics="$metrics" \
  --csv="$report/scale-out.csv" >"$report/scale-out.txt"
# 405B on WSE-3: wafers per stage against the wafer I/O.
"$bin/wafer-analyze" "$out/wafer-tp" --group-by=tensor_parallel,network.link \
  --metrics="$metrics,tokens_per_s_per_user" --csv="$report/wafer-tp.csv" >"$report/wafer-tp.txt"
echo "report: $report (scale-out.txt/.csv, wafer-tp.txt/.csv)"
