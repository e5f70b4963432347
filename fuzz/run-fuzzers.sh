#!/usr/bin/env bash
# Run every libFuzzer target of a fuzz build for a set time each, seeded with the shipped input
# files, and print each one's executions. Exit 1 on the first finding (its input is kept).
#   fuzz/run-fuzzers.sh FUZZ_BUILD SECONDS MAIN_BUILD [TARGET...]
set -euo pipefail
build=$1
seconds=$2
main=$3
shift 3
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario trace catalog sweep netcase result)
src=$(cd "$(dirname "$0")/.." && pwd)
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{scenario,trace,catalog,sweep,netcase,result} "$build/corpus" "$build/findings"

cp "$src"/scenarios/*.json "$src"/scenarios/showcase/*.json "$seeds/scenario/"
cp "$src"/traces/*.csv "$seeds/trace/"
i=0
for f in "$src"/contrib-wafer/data/devices.json "$src"/contrib-wafer/data/models.json \
         "$src"/contrib-wafer/data/links.json; do
  # The first byte picks the catalog (0 devices, 1 models, 2 links).
  printf "\\x0$i" | cat - "$f" > "$seeds/catalog/$(basename "$f")"
  i=$((i + 1))
done
find "$src/scenarios" -name 'sweep*.json' -exec cp --backup=numbered {} "$seeds/sweep/" \;
cp "$src"/scenarios/bench/kv60-*.json "$seeds/netcase/"
# Result files of several shapes: one pipeline, a prefill/decode split with its transfer log,
# collectives, and a scenario text past 64 KiB (stored in HDF5's 1.8 object format).
for s in llama-8b-1-wafer pd-split-70b llama-70b-gb300; do
  "$main/bin/wafer-sim" --scenario="$src/scenarios/$s.json" --fidelity=flow --quiet \
    --out="$seeds/result/$s.h5"
done
long=$(head -c 70000 /dev/zero | tr '\0' 'x')
sed "s/\"description\": \"/\"description\": \"$long/" "$src/scenarios/llama-8b-1-wafer.json" \
  > "$build/long-text.json"
"$main/bin/wafer-sim" --scenario="$build/long-text.json" --quiet --out="$seeds/result/long-text.h5"

export LSAN_OPTIONS="suppressions=$src/tools/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Inputs that once were findings stay in the seeds, so that they are tried first.
for dir in "$src"/fuzz/regressions/*/; do
  cp "$dir"* "$seeds/$(basename "$dir")/"
done

# Sort the result target's crashes: one whose faulting frame (below any sanitizer interceptor)
# is inside libhdf5 is the library's and is kept in findings/hdf5/; any other fails the run. The
# interceptors (malloc, strdup, memcpy, ...) are linked into the fuzz binary and have no source
# line there, unlike the simulator's own frames; libFuzzer's own frames and the system libraries'
# (libc, libstdc++: a memcpy or the signal trampoline) are skipped too, so that the frame that
# decides is the first one of HDF5 or of the simulator. A timeout is stopped after 45 s with
# SIGABRT, which prints where it was: HDF5 1.10.8 can loop for ever in its global heap on a
# corrupt text attribute (found once result files held variable-length texts), and that too is
# the library's. (libFuzzer's handler prints that stack from inside the signal, below libc's
# trampoline, which once decided a timeout inside HDF5 as the simulator's.)
sort_hdf5_findings() {
  local build=$1 log=$2 ok=0 input frame
  mkdir -p "$build/findings/hdf5"
  for input in "$build"/findings/result-*; do
    [ -e "$input" ] || continue
    frame=$(ASAN_OPTIONS=allocator_may_return_null=1:handle_abort=1 \
      timeout -s ABRT 45 "$build/bin/fuzz-result" "$input" 2>&1 | grep -E "^ +#[0-9]+ " \
      | grep -v -E "__interceptor_|__asan_|__sanitizer|in (malloc|free|realloc|calloc|memcpy|memmove|memset) " \
      | grep -v -E "bin/fuzz-result\+0x| in fuzzer::|/(libc|libstdc\+\+|libgcc_s|libm|ld-linux-x86-64)\.so" \
      | head -1)
    if [ -z "$frame" ]; then
      mkdir -p "$build/findings/unreproduced"
      mv "$input" "$build/findings/unreproduced/"
    elif echo "$frame" | grep -q "libhdf5"; then
      mv "$input" "$build/findings/hdf5/"
    else
      echo "fuzz-result: FINDING in the simulator's code: $input"
      echo "  $frame"
      ok=1
    fi
  done
  echo "fuzz-result: $(ls "$build/findings/hdf5" | wc -l) inputs crash inside libhdf5 itself (kept in $build/findings/hdf5)"
  return $ok
}

status=0
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target
  mkdir -p "$corpus"
  log=$build/fuzz-$target.log
  echo "fuzz-$target: ${seconds} s"
  extra=()
  asan=${ASAN_OPTIONS:-}
  if [ "$target" = result ]; then
    # A corrupt object header makes HDF5 itself ask for any amount of memory, which it handles
    # (an error) when malloc says no: let malloc say no instead of counting it as a finding.
    # And Debian's HDF5 1.10.8 has memory errors of its own on corrupt files (found within
    # minutes: a use after free while it looks up an attribute, before any of our code reads
    # anything). Those cannot be fixed here: the run goes on past crashes (fork mode), and each
    # crash is sorted afterwards by where it happened.
    extra=(-malloc_limit_mb=1048576 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    asan=allocator_may_return_null=1${asan:+:$asan}
  fi
  rc=0
  ASAN_OPTIONS=$asan "$build/bin/fuzz-$target" "$corpus" "$seeds/$target" \
      -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" -timeout=30 -rss_limit_mb=3072 \
      "${extra[@]}" \
      -dict="$src/fuzz/wafer.dict" -print_final_stats=1 \
      -artifact_prefix="$build/findings/$target-" >"$log" 2>&1 || rc=$?
  # In fork mode libFuzzer exits with its last job's code: a run that went the whole time but
  # whose last job crashed (inside HDF5 or not) exits 1, and the sorting below decides.
  if [ "$target" = result ] && grep -q "^INFO: fuzzed for" "$log"; then
    rc=0
  fi
  if [ $rc -ne 0 ]; then
    echo "fuzz-$target: FINDING (log: $log, inputs: $build/findings/$target-*)"
    grep -m 5 -E "ERROR|SUMMARY|==[0-9]+==" "$log" || tail -20 "$log"
    status=1
    continue
  fi
  if [ "$target" = result ]; then
    # Fork mode prints no final statistics: the last progress line has the executions.
    grep -E "^#[0-9]+" "$log" | tail -1
    if ! sort_hdf5_findings "$build" "$log"; then
      status=1
    fi
    continue
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | tr '\n' ' '
  echo
done
exit $status
