# The two commands of the README: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

.PHONY: run test build tools test-tools lint test-native test-wasm test-e2e bench

run: tools
	trunk serve --release

build: tools
	trunk build --release

tools:
	@scripts/ensure-tools.sh build

test-tools:
	@scripts/ensure-tools.sh test

test: test-tools
	@scripts/test.sh

bench: test-tools build
	node bench/render.mjs
