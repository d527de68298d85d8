//! Build script of the app (`calais-map`, the root Cargo.toml names it): with the feature `split`
//! (code loaded on first use, `src/web/split.rs`) on wasm32, the linker keeps its relocations
//! (`--emit-relocs`), which `wasm-split-cli` reads to cut the module at its split points
//! (`scripts/split-build.mjs`). Only the final link changes: no other crate is rebuilt.

fn main() {
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
    if wasm && std::env::var_os("CARGO_FEATURE_SPLIT").is_some() {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
    println!("cargo:rerun-if-changed=scripts/app-build.rs");
}
