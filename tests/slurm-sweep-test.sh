#!/usr/bin/env bash
# The SLURM back end for real: a one-node SLURM (munged, slurmctld, slurmd) on 127.0.0.1 with
# its state in a temporary folder, a 4-point sweep submitted with
# `wafer-sweep --backend=slurm --wait`, and every result checked against a local run of the
# same sweep. Exits 77 (CTest: skipped) with a message where SLURM cannot be had.
# Usage: tests/slurm-sweep-test.sh BIN_DIR
set -euo pipefail
bin=$(cd "$1" && pwd)
skip() { echo "SKIP: $*"; exit 77; }

need=(slurmctld slurmd sbatch sinfo scancel munged)
have_all() { for p in "${need[@]}"; do command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || return 1; done; }
if ! have_all; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing slurmctld slurmd slurm-client munge"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      slurmctld slurmd slurm-client munge >/dev/null 2>&1 || true
  fi
  have_all || skip "SLURM (Debian packages slurmctld, slurmd, slurm-client, munge) is not installed and cannot be installed here"
fi
[ "$(id -u)" -eq 0 ] || skip "starting slurmd needs root (run the tests as root, as make test does on CI)"
export PATH="$PATH:/usr/sbin:/sbin"

d=$(mktemp -d /tmp/wafer-slurm.XXXXXX)
chmod 755 "$d"
cleanup() {
  for f in slurmd slurmctld munged; do
    [ -f "$d/$f.pid" ] && kill "$(cat "$d/$f.pid")" 2>/dev/null || true
  done
  sleep 0.5
  rm -rf "$d"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=$((20000 + ($$ % 20000) * 2))
for _ in 1 2 3 4 5; do
  port_free "$port" && port_free $((port + 1)) && break
  port=$((port + 2))
done

mkdir -p "$d/munge" "$d/state" "$d/spool"
chmod 700 "$d/munge"
if command -v mungekey >/dev/null || [ -x /usr/sbin/mungekey ]; then
  mungekey --create --keyfile="$d/munge/munge.key"
else
  dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 2>/dev/null
fi
chmod 600 "$d/munge/munge.key"
munged --force --socket="$d/munge/socket" --key-file="$d/munge/munge.key" \
  --log-file="$d/munge/log" --pid-file="$d/munged.pid" --seed-file="$d/munge/seed"

cat >"$d/slurm.conf" <<CONF
ClusterName=wafertest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/socket
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$d/slurm.conf"
slurmctld -f "$SLURM_CONF" -i
slurmd -f "$SLURM_CONF" -N localhost
for _ in $(seq 1 60); do
  state=$(sinfo -h -o %T 2>/dev/null || true)
  [ "$state" = "idle" ] && break
  sleep 0.5
done
if [ "${state:-}" != "idle" ]; then
  echo "FAIL: the SLURM node did not come up (state '${state:-}')"
  tail -n 5 "$d/slurmctld.log" "$d/slurmd.log" 2>/dev/null || true
  exit 1
fi
echo "SLURM up on 127.0.0.1:$port"

cat >"$d/base.json" <<'JSON'
{"schema": "wafer-scenario/1", "name": "slurm", "model": "llama-3.1-8b", "device": "wse-3",
 "wafers": 1, "fidelity": "flow",
 "workload": {"generator": {"rate_per_s": 20, "requests": 4,
   "input_tokens": {"dist": "fixed", "value": 128},
   "output_tokens": {"dist": "uniform", "min": 2, "max": 16}}}}
JSON
cat >"$d/sweep.json" <<'JSON'
{"schema": "wafer-sweep/1", "name": "slurm-test", "base": "base.json",
 "grid": {"network.link": ["ethernet-100g-dac", "photonic-face-15t"]}, "replications": 2}
JSON

# 4 points in 3 array tasks: one task runs two points in turn.
"$bin/wafer-sweep" "$d/sweep.json" --out="$d/out" --backend=slurm --wait --max-array=3
grep -q '#SBATCH --array=0-2' "$d/out/slurm/job.sh"
done_points=$(grep -c '"status": "done"' "$d/out/index.json")
[ "$done_points" -eq 4 ] || { echo "FAIL: $done_points of 4 points done"; cat "$d/out/index.csv"; exit 1; }
job=$(grep -o '"job": "[0-9]*"' "$d/out/index.json" | sort -u | wc -l)
[ "$job" -eq 1 ] || { echo "FAIL: expected one job id in the index"; exit 1; }

# The same sweep run here gives the same results, file for file.
"$bin/wafer-sweep" "$d/sweep.json" --out="$d/local" --jobs=2 --quiet
n=0
for f in "$d"/out/points/*.h5; do
  name=$(basename "$f")
  h5dump -a /schema_version "$f" | grep -q 'wafer-results/1' || { echo "FAIL: $name: schema"; exit 1; }
  for ds in /requests /summary /links; do
    cmp -s <(h5dump -d "$ds" "$f" | tail -n +2) <(h5dump -d "$ds" "$d/local/points/$name" | tail -n +2) \
      || { echo "FAIL: $name: $ds differs from the local run"; exit 1; }
  done
  n=$((n + 1))
done
[ "$n" -eq 4 ] || { echo "FAIL: $n result files"; exit 1; }

# Submitting again has nothing to do; --collect agrees.
"$bin/wafer-sweep" "$d/sweep.json" --out="$d/out" --backend=slurm --wait 2>&1 | grep -q 'nothing to submit'
"$bin/wafer-sweep" "$d/sweep.json" --out="$d/out" --collect
echo "PASS: 4 points through SLURM (sbatch job array), every result equal to the local run"
