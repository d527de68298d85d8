#!/usr/bin/env bash
# Runs every test: formatting and lints, native core tests, wasm tests in headless Chromium,
# a release build and the end-to-end tests in Debian's Chromium driven by Playwright.
# Called by `make test` after scripts/ensure-tools.sh test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

step() { printf '\n=== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native: app and demo server; wasm32: app)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p calais-map -p calais-core -p calais-web --target wasm32-unknown-unknown --all-targets -- -D warnings
# The benchmark hook is left out of the shipped bundle: lint the benchmark build too.
cargo clippy -p calais-web --target wasm32-unknown-unknown --features bench -- -D warnings
# The shipped build's split points (src/web/split.rs, feature `split`).
cargo clippy -p calais-map --target wasm32-unknown-unknown --features split -- -D warnings

step "native tests (pure core, web shell logic, demo API server)"
cargo test --workspace

step "fuzz: the core's ingest parsers, 20,000 mutated inputs per target plus the hostile set (README "Fuzzing")"
cargo run --profile fuzz -p calais-fuzz -- --target all --inputs 20000

step "wasm tests in headless Chromium"
CHROMEDRIVER=/usr/bin/chromedriver \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p calais-map --target wasm32-unknown-unknown

step "release build"
trunk build --release

step "demo API server for the end-to-end tests (target/debug/calais-demo-server)"
cargo build -p calais-demo-server

step "end-to-end tests (Playwright + Debian chromium)"
mkdir -p target/e2e-screenshots
node --test --test-concurrency=1 tests/e2e/
