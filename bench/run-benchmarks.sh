#!/usr/bin/env bash
# Benchmarks (not tests): wall time, events per second and simulated seconds per wall second of
# the default scenario and of Llama 3.1 405B on its minimum wafer count with 1,000 requests.
# Then the sweep and analysis benchmark (bench/sweep-benchmark.sh).
# Usage: bench/run-benchmarks.sh [build-dir]   (figures go to docs/performance.md by hand)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

attr() { h5dump -a "/$2" "$1" | awk '/\(0\)/ {print $2}'; }

run() {
  local name=$1 scenario=$2 reps=$3
  for i in $(seq 1 "$reps"); do
    local rss="n/a"
    if [ -x /usr/bin/time ]; then
      /usr/bin/time -f "%M" -o "$out/rss" "$build/bin/wafer-sim" --scenario="$scenario" --out="$out/$name.h5" --quiet
      rss="$(( $(cat "$out/rss") / 1024 )) MB"
    else
      "$build/bin/wafer-sim" --scenario="$scenario" --out="$out/$name.h5" --quiet
    fi
    printf '%-28s run %d: wall %8.3f s  events/s %12.0f  sim s per wall s %10.3f  peak RSS %s\n' \
      "$name" "$i" "$(attr "$out/$name.h5" wall_time_s)" "$(attr "$out/$name.h5" wall_events_per_s)" \
      "$(attr "$out/$name.h5" wall_sim_s_per_s)" "$rss"
  done
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m)"
run default scenarios/default.json 3
run llama-405b-1000 scenarios/bench/llama-405b-1000.json 1
bench/sweep-benchmark.sh "$build"
