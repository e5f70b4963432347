#!/usr/bin/env bash
# Benchmarks (not tests): they print figures, nothing asserts on wall time (docs/performance.md).
#  1. Serving runs by wafer-eventbench, per scenario and fidelity: wall time of the simulation,
#     events, events/s, simulated seconds per wall second, peak RSS, the mean number of pending
#     events, and ns-3's raw scheduler timed in the same process with that many pending events
#     (its events/s and the ratio of the two). Scenarios: the default, and Llama 3.1 405B on 21
#     WSE-3 at 2 requests/s with 250, 1,000 and 7,200 requests (one simulated hour), so that the
#     growth of wall time with simulated time can be read off; and the 512-GPU DeepSeek V3
#     cluster for ten simulated minutes at flow fidelity.
#  2. End to end: wafer-sim on the same scenarios (wall time including start-up and HDF5).
#  3. The sweep and analysis benchmark (bench/sweep-benchmark.sh).
# Usage: bench/run-benchmarks.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"

# The 405B deployment at 250 requests: the one-hour scenario with fewer requests.
sed 's/"requests": 7200/"requests": 250/; s/"name": "bench-llama-405b-1h"/"name": "bench-llama-405b-250"/' \
  scenarios/bench/llama-405b-1h.json > "$out/llama-405b-250.json"

echo
echo "== serving runs: the module against ns-3's raw scheduler (wafer-eventbench)"
bench() { "$build/bin/wafer-eventbench" --scenario="$1" --fidelity="$2" --label="$3"; }
for fidelity in chunk flow; do
  bench scenarios/default.json "$fidelity" "default (70B, 4 WSE-3, 32 req)"
  bench "$out/llama-405b-250.json" "$fidelity" "405B, 21 WSE-3, 250 req"
  bench scenarios/bench/llama-405b-1000.json "$fidelity" "405B, 21 WSE-3, 1,000 req"
  bench scenarios/bench/llama-405b-1h.json "$fidelity" "405B, 21 WSE-3, 7,200 req (1 h)"
  bench scenarios/cluster/llama-70b-16-replicas.json "$fidelity" "16 x 70B on 4 WSE-3, 800 req"
done
bench scenarios/default.json packet "default (70B, 4 WSE-3, 32 req)"
# The 512-GPU cluster (DeepSeek V3, experts across nodes, P/D split), 10 simulated minutes.
bench scenarios/bench/deepseek-v3-512-h200-10min.json flow "512 H200 DeepSeek V3, 90,000 req"

echo
echo "== end to end: wafer-sim (start-up, simulation, HDF5), wall and peak RSS"
sim() {
  local name=$1 scenario=$2 fidelity=$3
  /usr/bin/time -f "%e %M" -o "$out/time" "$build/bin/wafer-sim" --scenario="$scenario" \
    --fidelity="$fidelity" --out="$out/run.h5" --quiet
  read -r wall kb < "$out/time"
  printf '%-34s %-6s wall %8.2f s  peak RSS %4d MB\n' "$name" "$fidelity" "$wall" "$((kb / 1024))"
}
for fidelity in chunk flow; do
  sim "default (70B, 4 WSE-3, 32 req)" scenarios/default.json "$fidelity"
  sim "405B, 21 WSE-3, 7,200 req (1 h)" scenarios/bench/llama-405b-1h.json "$fidelity"
done
sim "512 H200, 90,000 req (10 min)" scenarios/bench/deepseek-v3-512-h200-10min.json flow

echo
bench/sweep-benchmark.sh "$build"
