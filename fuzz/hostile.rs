//! The named hostile inputs of issue 15, run before the mutations for every target: JSON nested
//! 100,000 levels deep (arrays, objects, coordinates), every number and every string of each
//! seed replaced by each raw token of `mutate::RAW` (numbers past f64, 400-digit integers,
//! NaN-like text, unpaired surrogate escapes, …), megabyte strings, byte order marks, truncated
//! input, and inputs that are large for their size (100,000 empty features).
//! Units: bytes of UTF-8 text.

use crate::mutate::{RAW, digits};
use serde_json::Value;

const DEEP: usize = 100_000;
const MEGABYTE: usize = 1 << 20;

/// Every hostile input for a corpus of `seeds`, labelled for the report.
pub fn inputs(seeds: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |label: &str, text: String| out.push((label.to_string(), text));

    add(
        "nested arrays, 100k levels",
        format!("{}{}", "[".repeat(DEEP), "]".repeat(DEEP)),
    );
    add("unclosed arrays, 100k levels", "[".repeat(DEEP));
    add(
        "nested objects, 100k levels",
        format!("{}1{}", "{\"a\":".repeat(DEEP), "}".repeat(DEEP)),
    );
    add(
        "coordinates nested 100k levels",
        format!(
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":{}1.8{}}},\"properties\":{{}}}}",
            "[".repeat(DEEP),
            "]".repeat(DEEP)
        ),
    );
    add(
        "geometry collections nested 100k levels",
        format!(
            "{{\"type\":\"Feature\",\"geometry\":{}{{\"type\":\"Point\",\"coordinates\":[1.8,50.9]}}{},\"properties\":{{}}}}",
            "{\"type\":\"GeometryCollection\",\"geometries\":[".repeat(DEEP),
            "]}".repeat(DEEP)
        ),
    );
    add(
        "100k empty features",
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}{{}}]}}",
            "{},".repeat(DEEP)
        ),
    );
    add("megabyte string", format!("\"{}\"", "x".repeat(MEGABYTE)));
    add(
        "megabyte key",
        format!("{{\"{}\":1}}", "k".repeat(MEGABYTE)),
    );
    add("megabyte of spaces", " ".repeat(MEGABYTE));
    add("400-digit integer", digits(400));
    for (i, t) in [
        "",
        " ",
        "\0",
        "null",
        "true",
        "0",
        "[]",
        "{}",
        "\u{feff}",
        "\u{feff}{}",
    ]
    .into_iter()
    .chain(RAW.iter().copied())
    .enumerate()
    {
        add(&format!("bare token {i}"), t.to_string());
    }

    for (s, seed) in seeds.iter().enumerate() {
        add(&format!("seed {s} after a BOM"), format!("\u{feff}{seed}"));
        add(
            &format!("seed {s} after UTF-16 BOM bytes"),
            String::from_utf8_lossy(&[&[0xff, 0xfe][..], seed.as_bytes()].concat()).into_owned(),
        );
        for k in 1..16 {
            let cut = seed.len() * k / 16;
            let cut = (0..=cut)
                .rev()
                .find(|&c| seed.is_char_boundary(c))
                .unwrap_or(0);
            add(
                &format!("seed {s} truncated at {cut}"),
                seed[..cut].to_string(),
            );
        }
        let Ok(tree) = serde_json::from_str::<Value>(seed) else {
            continue;
        };
        let raws = RAW.iter().map(|r| r.to_string()).chain([
            digits(400),
            format!("-{}", digits(400)),
            format!("\"{}\"", "é".repeat(MEGABYTE / 2)),
        ]);
        for (r, raw) in raws.enumerate() {
            for (what, numbers) in [("numbers", true), ("strings", false)] {
                let mut t = tree.clone();
                replace_leaves(&mut t, numbers);
                let text = serde_json::to_string(&t)
                    .unwrap_or_default()
                    .replace("\"\u{1}HOSTILE\u{1}\"", &raw);
                add(&format!("seed {s}, every {what} as raw token {r}"), text);
            }
        }
    }
    out
}

/// Every number (or every string) leaf of `v` replaced by the placeholder the caller swaps for
/// a raw token.
fn replace_leaves(v: &mut Value, numbers: bool) {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(a) => stack.extend(a.iter_mut()),
            Value::Object(m) => stack.extend(m.values_mut()),
            Value::Number(_) if numbers => *v = Value::String("\u{1}HOSTILE\u{1}".into()),
            Value::String(_) if !numbers => *v = Value::String("\u{1}HOSTILE\u{1}".into()),
            _ => {}
        }
    }
}
