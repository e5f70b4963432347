# The two commands of the README:
#   make run   install missing packages, build, run the default scenario
#   make test  install missing packages, build, run every test (CTest + GoogleTest)
# and: make bench (benchmarks), make study (the electrical-vs-photonic study),
#      make golden-full (the long tier of the golden-result test), make golden-update (record
#      the golden digests again, only after a deliberate change of results)
BUILD ?= build
JOBS ?= 2
SCENARIO ?= scenarios/default.json
OUT ?= results/default.h5

.PHONY: run test build deps bench study clean golden-full golden-update

run: build
	$(BUILD)/bin/wafer-sim --scenario=$(SCENARIO) --out=$(OUT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

deps:
	tools/install-deps.sh

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

clean:
	rm -rf $(BUILD)
