#!/bin/bash
# Build the wafer module inside Debian bookworm's ns-3 3.37 source tree (contrib/wafer, build_lib)
# and run its ns-3 TestSuite through test.py and both examples. Run as root on Debian bookworm:
#
#   tests/ns3-dev-test.sh /path/to/contrib-wafer [work-dir]     (make test-ns3-dev)
#
# work-dir (default: a new mktemp -d folder) receives the ns-3 source; it is kept for inspection.
# WAFER_SYMLINK=1 symlinks the module into contrib/wafer instead of copying it.
# Exits non-zero on any failure.
set -euo pipefail

MODULE=${1:?usage: $0 /path/to/contrib-wafer [work-dir]}
MODULE=$(cd "$MODULE" && pwd)
[ -f "$MODULE/CMakeLists.txt" ] || { echo "error: $MODULE/CMakeLists.txt not found" >&2; exit 1; }
WORK=${2:-$(mktemp -d /tmp/ns3-wafer.XXXXXX)}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
JOBS=$(nproc)
step() { echo; echo "=== $* ($(date +%T))"; }

[ "$(id -u)" = 0 ] || { echo "error: run as root (apt-get)" >&2; exit 1; }

step "deb-src for bookworm main"
SRC_LIST=/etc/apt/sources.list.d/debian-src-bookworm.sources
if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  cat > "$SRC_LIST" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi
time apt-get update -q

step "ns-3 build dependencies and the module's libraries"
# dpkg-dev/bzip2/xz-utils: apt-get source; cmake/g++/ninja/python3: ns-3; the rest: wafer.
# Only the missing ones are named: apt-get install upgrades a named package that is installed.
MISSING=()
for p in dpkg-dev bzip2 xz-utils cmake g++ ninja-build python3 \
         libhdf5-dev libspdlog-dev nlohmann-json3-dev libboost-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || MISSING+=("$p")
done
if [ ${#MISSING[@]} -gt 0 ]; then
  time DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${MISSING[@]}"
else
  echo "all installed"
fi

step "apt-get source ns3 into $WORK"
cd "$WORK"
time apt-get source -q ns3
NS3=$(ls -d "$WORK"/ns3-*/ns-3.* | head -n 1)
[ -x "$NS3/ns3" ] || { echo "error: no ns-3 source tree under $WORK" >&2; exit 1; }
echo "ns-3 source: $NS3"

step "module into $NS3/contrib/wafer"
rm -rf "$NS3/contrib/wafer"
if [ "${WAFER_SYMLINK:-0}" = 1 ]; then
  ln -s "$MODULE" "$NS3/contrib/wafer"
else
  cp -a "$MODULE" "$NS3/contrib/wafer"
fi

cd "$NS3"
step "configure (wafer and the modules it needs; its examples and tests only)"
time ./ns3 configure --enable-examples --enable-tests --enable-modules=wafer \
  --filter-module-examples-and-tests=wafer --disable-python-bindings

step "build with $JOBS jobs"
# ./ns3 build caps its jobs at nproc - 1; it runs this same command.
time cmake --build cmake-cache -j "$JOBS"

step "test.py --suite=wafer"
time ./test.py --no-build --suite=wafer | tee "$WORK/test.log"
grep -q '1 of 1 tests passed' "$WORK/test.log" || { echo "error: wafer suite did not pass" >&2; exit 1; }

step "wafer-pipeline-example"
time ./ns3 run --no-build wafer-pipeline-example | tee "$WORK/pipeline.log"
grep -q 'ttft_ms' "$WORK/pipeline.log" || { echo "error: no table from wafer-pipeline-example" >&2; exit 1; }

step "wafer-trace-example"
rm -f "$WORK/wafer-trace.csv"
time ./ns3 run --no-build "wafer-trace-example --out=$WORK/wafer-trace.csv"
[ "$(wc -l < "$WORK/wafer-trace.csv")" -gt 1 ] || { echo "error: empty trace CSV" >&2; exit 1; }
echo "trace: $(wc -l < "$WORK/wafer-trace.csv") lines in $WORK/wafer-trace.csv"

step "all passed (ns-3 tree kept in $WORK)"
