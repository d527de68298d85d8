//! ARCHITECTURE.md's code map names every source file of the repository (issue 11, item 10).
//!
//! Walks the folders that hold code (`src/`, `examples/`, `tests/`, `bench/`, `scripts/`,
//! `server/src/`, `server/tests/`, `fuzz/`) for source files (`.rs`, `.mjs`, `.sh`, and the crates'
//! `Cargo.toml`s under `src/`) and fails listing every one whose path (relative to the
//! repository, `/`-separated) does not appear in ARCHITECTURE.md. Fixtures and data are not
//! code and are not listed. Native only, std only.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// Folders searched, relative to the repository.
const ROOTS: &[&str] = &[
    "src",
    "examples",
    "tests",
    "bench",
    "scripts",
    "server/src",
    "server/tests",
    "fuzz",
];

/// Folders never searched (data, not code).
const SKIP: &[&str] = &["tests/fixtures", "node_modules", "target"];

fn is_source(rel: &str) -> bool {
    let ext = Path::new(rel).extension().and_then(|e| e.to_str());
    matches!(ext, Some("rs" | "mjs" | "sh"))
        || (rel.starts_with("src/") && rel.ends_with("/Cargo.toml"))
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if SKIP
            .iter()
            .any(|s| rel == *s || rel.starts_with(&format!("{s}/")))
        {
            continue;
        }
        if path.is_dir() {
            walk(root, &path, out);
        } else if is_source(&rel) {
            out.push(rel);
        }
    }
}

fn source_files(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for dir in ROOTS {
        walk(root, &root.join(dir), &mut out);
    }
    out
}

#[test]
fn the_code_map_names_every_source_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let map = std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let files = source_files(root);
    assert!(
        files.len() > 100,
        "the walk found only {} files: {files:?}",
        files.len()
    );
    let missing: Vec<&String> = files
        .iter()
        .filter(|f| !map.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's code map does not name these files (write each as `path`):\n{}",
        missing
            .iter()
            .map(|f| format!("  {f}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_walk_sees_sources_and_skips_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = source_files(root);
    for must in [
        "src/main.rs",
        "src/core/feed/machine.rs",
        "src/web/render/mod.rs",
        "tests/code_map.rs",
        "tests/e2e/harness.mjs",
        "bench/render.mjs",
        "scripts/test.sh",
        "server/src/main.rs",
        "src/core/Cargo.toml",
    ] {
        assert!(files.iter().any(|f| f == must), "{must} not found");
    }
    assert!(!files.iter().any(|f| f.starts_with("tests/fixtures/")));
    assert!(is_source("examples/incident_draw.rs"));
    assert!(!is_source("public/data/fences.geojson"));
    assert!(!is_source("Cargo.toml"));
}
