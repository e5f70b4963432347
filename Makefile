# The two commands of the README:
#   make run   install missing packages, build, run the default scenario
#   make test  install missing packages, build, run every test (CTest + GoogleTest)
BUILD ?= build
JOBS ?= 2
SCENARIO ?= scenarios/default.json
OUT ?= results/default.h5

.PHONY: run test build deps bench clean

run: build
	$(BUILD)/bin/wafer-sim --scenario=$(SCENARIO) --out=$(OUT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(BUILD) -j$(JOBS)

deps:
	tools/install-deps.sh

bench: build
	bench/run-benchmarks.sh $(BUILD)

clean:
	rm -rf $(BUILD)
