#!/usr/bin/env bash
# The electrical-vs-photonic study in one command (also `make study`): run the sweep with two
# local workers, then write the report folder: tables (terminal text, CSV), the merged HDF5 file
# and plots (PNG and SVG). docs/studies/electrical-vs-photonic.md discusses the figures.
# Usage: scenarios/studies/electrical-vs-photonic/run.sh [BUILD_DIR] [OUT_DIR]
# A rerun only runs the points whose results are missing or invalid.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-build}" && pwd)
out=${2:-results/studies/electrical-vs-photonic}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin=$build/bin
report=$out/report
jobs=${JOBS:-2}

"$bin/wafer-sweep" "$here/sweep.json" --out="$out/runs" --jobs="$jobs" --progress
rm -rf "$report"
mkdir -p "$report"

keys=name,network.link,prefill_pool.kv_transfer
metrics=ttft_s,tpot_s,e2e_s,prefill_s,kv_wait_s,tokens_per_s_per_accelerator,tokens_per_s_per_user,energy_per_token_j,network_energy_per_token_j,io_bandwidth_bytes_per_s
# Every configuration: table, CSV and the merged HDF5.
"$bin/wafer-analyze" "$out/runs" --group-by="$keys" --metrics="$metrics" \
  --csv="$report/all.csv" --h5="$report/all.h5" >"$report/all.txt"

# Plots against the wafer's I/O bandwidth, one line per model and context, for each way of
# moving the KV cache.
for mode in per-layer whole; do
  "$bin/wafer-analyze" "$out/runs" --where=prefill_pool.kv_transfer=$mode \
    --group-by=name,network.link --metrics=ttft_s,tpot_s,kv_wait_s,network_energy_per_token_j \
    --csv="$report/$mode.csv" --plots="$report/plots-$mode" \
    --x=io_bandwidth_bytes_per_s --series=name --log-y \
    --plot-metrics=ttft_s,tpot_s,kv_wait_s,energy_per_token_j,network_energy_per_token_j \
    --title="KV $mode" >"$report/$mode.txt"
done
echo "report: $report (all.txt, all.csv, all.h5; per-layer.* and whole.* with plots-*/ PNG and SVG)"
