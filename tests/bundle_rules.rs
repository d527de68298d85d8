//! Calls that bring a large standard-library table into the release bundle stay out of the app's
//! code (BENCHMARKS "Bundle: tables in the data"): `str::parse::<f64>` (its 10.4 KB table of
//! powers of five and slow path: 13.4 KB gzip; numbers from text go through
//! `core::decimal::parse_f64`) and the Unicode case conversions `to_lowercase`/`to_uppercase`
//! on `str` or `char` (their case tables: 7.9 KB gzip; the labels are lower-cased as ASCII,
//! checked in `web::strings::messages`).
//!
//! Reads `src/**/*.rs` as text (std only) up to each file's `#[cfg(test)]` (unit tests may
//! compare against the standard library) and fails naming every file and line that calls one.
//! Native only: `cargo test -p calais-map --test bundle_rules`.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

/// What is looked for, and what to use instead.
const RULES: &[(&str, &str)] = &[
    (".parse::<f64>()", "calais_core::decimal::parse_f64"),
    (".parse::<f32>()", "calais_core::decimal::parse_f64"),
    (
        ".to_lowercase()",
        "to_ascii_lowercase (ASCII capitals only)",
    ),
    (".to_uppercase()", "to_ascii_uppercase (ASCII letters only)"),
];

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_call_links_a_large_std_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    files(&root.join("src"), &mut paths);
    assert!(paths.len() > 100, "only {} source files found", paths.len());
    let mut found = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            if line.trim_start().starts_with("//") {
                continue;
            }
            // A typed `let v: f64 = s.parse()` is the same call as `.parse::<f64>()`.
            let typed = line.contains(": f64 =") && line.contains(".parse()");
            for (call, instead) in RULES {
                if line.contains(call) || (typed && call.contains("f64")) {
                    let rel = path.strip_prefix(root).unwrap().display();
                    found.push(format!("{rel}:{}: {call} (use {instead})", n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "calls that link a large table:\n{}",
        found.join("\n")
    );
}
