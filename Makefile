# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: run test build tools test-tools bench dev fuzz

# Builds the app and serves it with the demo API (live synthetic incidents) on 127.0.0.1:8080.
run: tools
	trunk build --release
	cargo run -p calais-demo-server --release -- --static dist --bind 127.0.0.1 --port 8080

build: tools
	trunk build --release

tools:
	@scripts/ensure-tools.sh build

test-tools:
	@scripts/ensure-tools.sh test

test: test-tools
	@scripts/test.sh

# The long fuzz run of README "Fuzzing" (1,000,000 inputs per target, at idle priority);
# `make test` runs 20,000 per target. FUZZ_INPUTS and FUZZ_TARGET override.
FUZZ_INPUTS ?= 1000000
FUZZ_TARGET ?= all
fuzz: tools
	cargo build --profile fuzz -p calais-fuzz
	nice -n 19 target/fuzz/calais-fuzz --target $(FUZZ_TARGET) --inputs $(FUZZ_INPUTS)

# Render benchmark, the wall's tour flights at 3840x2160 (target/bench/flight.json) and its 2x1
# tiles against one screen, then the
# live-incident benchmark (100k snapshot, 1,000 events/s from the release demo server, incident
# layer draw); figures in bench/results.json, target/bench/incidents.json; the main thread's
# longest blocks under a 100k snapshot, a resync and a 10,000-event burst (target/bench/blocks.json).
# Then the video wall's accelerated-day soak (10 minutes; target/bench/soak.json and soak.csv),
# and on the shipped build (dist/) the tablet layout's map fraction and targets and the offline start.
# The benchmarks drive a build with the benchmark hook (target/dist-bench); the bundle size is
# measured on the shipped build (dist/).
bench: test-tools build
	trunk build --release --features bench,split --dist target/dist-bench
	cargo build -p calais-demo-server --release
	CALAIS_DIST=target/dist-bench node bench/render.mjs
	CALAIS_DIST=target/dist-bench node bench/flight.mjs
	CALAIS_DIST=target/dist-bench node bench/wall.mjs
	CALAIS_DIST=target/dist-bench node bench/incidents.mjs
	CALAIS_DIST=target/dist-bench node bench/blocks.mjs
	CALAIS_DIST=target/dist-bench node bench/geofence.mjs
	CALAIS_DIST=target/dist-bench node bench/heatmap.mjs
	node bench/history.mjs
	CALAIS_DIST=target/dist-bench node bench/soak.mjs
	node bench/tablet.mjs
	cargo build -p calais-demo-server
	node bench/offline.mjs --runs 7

# Development: trunk's own server with rebuild on change (no demo API).
dev: tools
	trunk serve --release
