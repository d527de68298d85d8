#!/usr/bin/env bash
# Installs what the build (`build`) or the tests (`test`) need and is missing.
# Idempotent: every step checks first and skips what is already present.
# Usage: scripts/ensure-tools.sh build|test
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-build}"
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

TRUNK_VERSION=0.21.14
say() { printf '[ensure-tools] %s\n' "$*"; }

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_version() {
  if [ -f Cargo.lock ]; then
    awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock
  else
    echo 0.2.130
  fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores)"
  # 0.22 needs a newer rustc than this machine's 1.95.
  cargo install trunk --version "=$TRUNK_VERSION" --locked
fi

WB=$(wasm_bindgen_version)
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WB" ]; then
  say "installing wasm-bindgen-cli $WB"
  # No --locked: its lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "=$WB" --force
fi

# The build cuts the wasm at its split points (scripts/split-build.mjs, code loaded on first use).
# Its version goes with Cargo.lock's wasm_split_helpers (0.2.3: the same magic constants).
WSPLIT=0.2.4
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WSPLIT:"; then
  say "installing wasm-split-cli (wasm_split_cli_support $WSPLIT, about a minute)"
  cargo install wasm_split_cli_support --version "=$WSPLIT" --features build-binary --locked
fi

# Node packages: binaryen (wasm-opt 132; Debian's 108 breaks the wasm), terser (the built JS), playwright-core, benchmark peers.
if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.ensure-tools-lock; then
  say "installing node packages from package-lock.json"
  npm ci --no-audit --no-fund
  cp package-lock.json node_modules/.ensure-tools-lock
fi

if [ "$what" = test ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends chromium chromium-driver
  fi
fi

# Offline builds (Trunk.toml: offline = true) need every crate in the local registry.
if [ -f Cargo.lock ]; then
  cargo fetch --quiet
fi
say "tools ready for '$what'"
