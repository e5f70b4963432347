#!/usr/bin/env bash
# The link-failures study in one command (also `make study-link-failures`): run the sweep with two
# local workers, then write the report folder: tables (terminal text, CSV), the merged HDF5 file
# and plots (PNG and SVG). docs/studies/link-failures.md discusses the figures.
# Usage: scenarios/studies/link-failures/run.sh [BUILD_DIR] [OUT_DIR]
# A rerun only runs the points whose results are missing or invalid.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
out=${2:-results/studies/link-failures}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=$build/bin
report=$out/report
jobs=${JOBS:-2}

"$bin/wafer-sweep" "$here/sweep.json" --out="$out/runs" --jobs="$jobs" --progress
rm -rf "$report"
mkdir -p "$report"

keys=network.link,prefill_pool.kv_transfer,faults.0.rate_scale
metrics=ttft_s,tpot_s,e2e_s,kv_wait_s,tokens_per_s,network_energy_per_token_j
# Every configuration: table, CSV and the merged HDF5.
"$bin/wafer-analyze" "$out/runs" --group-by="$keys" --metrics="$metrics" \
  --csv="$report/all.csv" --h5="$report/all.h5" >"$report/all.txt"

# Tail latency against the failure rate, one line per link, for each way of
# moving the KV cache.
for mode in per-layer whole; do
  "$bin/wafer-analyze" "$out/runs" --where=prefill_pool.kv_transfer=$mode \
    --group-by=network.link,faults.0.rate_scale \
    --metrics=ttft_s,e2e_s,kv_wait_s \
    --csv="$report/$mode.csv" --plots="$report/plots-$mode" \
    --x=faults.0.rate_scale --series=network.link \
    --plot-stat=p99 --plot-metrics=ttft_s,e2e_s,kv_wait_s --title="KV $mode" >"$report/$mode.txt"
done
echo "report: $report (all.txt, all.csv, all.h5; per-layer.* and whole.* with plots-*/ PNG and SVG)"
