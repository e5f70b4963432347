# The two commands of the README:
#   make run   install missing packages, build, run the default scenario
#   make test  install missing packages, build, run every test (CTest + GoogleTest)
# and: make bench (benchmarks), make study (the electrical-vs-photonic study), make
#      study-link-failures (the link-failures study), study-cluster-scale-out (512 H200 and
#      tensor-parallel wafers),
#      make golden-full (the long tier of the golden-result test), make golden-update (record
#      the golden digests again, only after a deliberate change of results), make test-ns3-dev
#      (the module inside Debian's ns-3 3.37 source tree)
BUILD ?= build
JOBS ?= 2
SCENARIO ?= scenarios/default.json
OUT ?= results/default.h5

.PHONY: run test build deps bench study study-link-failures study-cluster-scale-out clean golden-full golden-update sanitize-build test-sanitize fuzz test-ns3-dev

run: build
	$(BUILD)/bin/wafer-sim --scenario=$(SCENARIO) --out=$(OUT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

deps:
	tools/install-deps.sh

# The module as an ns-3 user drops it in: Debian's ns-3 3.37 source (apt-get source, as root),
# contrib-wafer copied to its contrib/wafer, only the modules it needs configured and built,
# then ns-3's test.py runs the wafer TestSuite and both examples run. About 11 minutes on two
# idle cores (19 with another build sharing them): too long for CI beside the sanitizer build.
test-ns3-dev:
	tests/ns3-dev-test.sh contrib-wafer

# The golden-result test (tests/golden-test.cc): its regular tier runs in `make test`.
golden-full: build
	$(BUILD)/bin/wafer-tests --gtest_also_run_disabled_tests --gtest_filter='Shipped/Golden*'

golden-update: build
	WAFER_GOLDEN_UPDATE=1 $(BUILD)/bin/wafer-tests --gtest_also_run_disabled_tests \
	    --gtest_filter='Shipped/Golden*'

bench: build
	bench/run-benchmarks.sh $(BUILD)

# The electrical-vs-photonic study: sweep with 2 workers, then tables and plots in
# results/studies/electrical-vs-photonic/report (docs/studies/electrical-vs-photonic.md).
study: build
	JOBS=$(JOBS) scenarios/studies/electrical-vs-photonic/run.sh $(BUILD) results/studies/electrical-vs-photonic

# The link-failures study (docs/studies/link-failures.md): about a minute with 2 workers.
study-link-failures: build
	JOBS=$(JOBS) scenarios/studies/link-failures/run.sh $(BUILD) results/studies/link-failures

# The cluster scale-out study (docs/studies/cluster-scale-out.md): 512 H200 at 200 and 400 GB/s
# of scale-out per node, and 405B on tensor-parallel wafers; about two minutes with 2 workers.
study-cluster-scale-out: build
	JOBS=$(JOBS) scenarios/studies/cluster-scale-out/run.sh $(BUILD) results/studies/cluster-scale-out

clean:
	rm -rf $(BUILD)

# One clang build with AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's coverage
# instrumentation serves both: the whole test suite runs on it (leak detection on), and the
# fuzz targets link libFuzzer. ns-3, HDF5 and Boost are Debian's uninstrumented builds;
# tools/lsan.supp names leaks that are theirs.
SAN_BUILD ?= build-sanitize
sanitize-build: deps
	CC=clang CXX=clang++ cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Sanitize -DWAFER_FUZZ=ON \
	    -DWAFER_SANITIZE=address,undefined,fuzzer-no-link
	cmake --build $(SAN_BUILD) -j$(JOBS)

test-sanitize: sanitize-build
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tools/lsan.supp:print_suppressions=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j$(JOBS)

# libFuzzer: every fuzz target (or those in FUZZ_TARGETS, e.g. "catalog result") for FUZZ_SECONDS
# each (CI: 60), seeded with the shipped files; a crash, leak, sanitizer report or hang fails and
# leaves its input in $(SAN_BUILD)/findings.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: sanitize-build build
	fuzz/run-fuzzers.sh $(SAN_BUILD) $(FUZZ_SECONDS) $(BUILD) $(FUZZ_TARGETS)
