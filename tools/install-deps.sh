#!/usr/bin/env bash
# Install the Debian (bookworm) packages the simulator builds and tests with, if any are missing.
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

packages=(
  g++ cmake make
  ns3 libns3-dev libgsl-dev libxml2-dev libpython3.11-dev # Debian's ns-3 3.37 and what its CMake targets reference
  libhdf5-dev hdf5-tools                                  # results (C++ API) and h5dump
  libspdlog-dev libboost-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev
  gnuplot-nox parallel                                    # wafer-analyze plots; wafer-sweep --backend=parallel
  time                                                    # make bench: peak memory of each run
  clang                                                   # make test-sanitize, make fuzz: ASan, UBSan, libFuzzer
  slurmctld slurmd slurm-client munge                     # the SLURM back end's test (a one-node SLURM on loopback)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}" >&2
  echo "run as root: $cmd" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
