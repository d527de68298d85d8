//! Mutations of the corpus: structure-aware (the JSON tree edited, then hostile raw tokens put
//! where a value stood) and byte-level (bit flips, inserted and deleted runs, splices,
//! truncation), stacked. Units: bytes of UTF-8 text; the page reads every body as text, so
//! bytes that are not UTF-8 become U+FFFD as the browser's decoder makes them.
//!
//! Hand-written (about 200 lines) rather than a fuzzing framework: libFuzzer's and AFL's
//! mutators need nightly or a C toolchain and instrumentation; `arbitrary` builds values from
//! bytes but knows nothing of a corpus. The randomness is `fastrand`'s seeded generator, so a
//! run is reproduced by its `--seed`.

use serde_json::{Map, Value};

/// A placeholder string standing for raw token `i` of [`RAW`] until the tree is written out.
fn placeholder(i: usize) -> String {
    format!("\u{1}RAW{i}\u{1}")
}

/// Raw JSON tokens that a JSON value cannot hold or that readers mishandle: numbers past f64
/// and i64, NaN-like words, unpaired surrogate escapes, control and BOM characters, absurd
/// dates, deep nesting. Each is a complete JSON value (or a near miss of one).
pub const RAW: &[&str] = &[
    "1e400",
    "-1e400",
    "1e-400",
    "-0",
    "1.7976931348623157e309",
    "18446744073709551616",
    "-9223372036854775809",
    "NaN",
    "-NaN",
    "Infinity",
    "-Infinity",
    "+Infinity",
    "nan",
    "\"NaN\"",
    "\"Infinity\"",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"a\\ud800b\"",
    "\"\\u0000\"",
    "\"\u{feff}\"",
    "\"\\uFFFF\\uFFFE\"",
    "\"2024-02-30T25:61:61Z\"",
    "\"+999999-12-31T23:59:59Z\"",
    "\"-000001-01-01T00:00:00Z\"",
    "\"9999-12-31T23:59:59.999999999+23:59\"",
    "\"1970-01-01T00:00:00-23:59\"",
    "[]",
    "{}",
    "\"\"",
];

/// A decimal integer of `n` digits (400 in the hostile set).
pub fn digits(n: usize) -> String {
    let mut s = String::with_capacity(n);
    s.push('9');
    s.extend(std::iter::repeat_n('7', n.saturating_sub(1)));
    s
}

/// Keys the readers look for: an inserted member is one of these, so a mutation reaches the
/// code behind them rather than being ignored as a foreign member.
const KEYS: &[&str] = &[
    "type",
    "features",
    "geometry",
    "coordinates",
    "properties",
    "id",
    "geometries",
    "bbox",
    "name",
    "kind",
    "bearing",
    "fov",
    "range_m",
    "severity",
    "status",
    "reported_at",
    "updated_at",
    "accuracy_m",
    "cursor",
    "next_cursor",
    "error",
    "layers",
    "incidents",
    "zones",
    "heatmap",
    "wall",
    "tiles",
    "initial_view",
    "alert_on",
    "dwell_s",
    "max_zoom",
    "zoom",
];

const TYPES: &[&str] = &[
    "Feature",
    "FeatureCollection",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// Characters that steer a JSON reader, for byte-level insertion.
const STRUCTURE: &[u8] = b"{}[]\":,\\-+.eE0123456789 \tntfu";

/// Largest mutated input, bytes (stacked repetitions grow fast; the hostile set has its own
/// large inputs, and the page refuses bodies past its caps, README "Limits").
pub const MAX_INPUT: usize = (1 << 20) + (1 << 16);

pub struct Mutator {
    rng: fastrand::Rng,
    seeds: Vec<String>,
    trees: Vec<Option<Value>>,
}

impl Mutator {
    pub fn new(seed: u64, seeds: Vec<String>) -> Mutator {
        let trees = seeds.iter().map(|s| serde_json::from_str(s).ok()).collect();
        Mutator {
            rng: fastrand::Rng::with_seed(seed),
            seeds,
            trees,
        }
    }

    /// The next input: a seed through structure-aware edits alone (55 %: mostly still JSON, so
    /// the readers' per-feature and per-field checks are reached), byte-level mutations alone
    /// (30 %: one to four), or both (15 %).
    pub fn next_input(&mut self) -> String {
        let i = self.rng.usize(..self.seeds.len());
        let seed = self.seeds.get(i).cloned().unwrap_or_default();
        let tree = self.trees.get(i).cloned().flatten();
        let (structural, bytes) = match (self.rng.u8(..20), tree) {
            (0..=10, Some(t)) => (Some(t), 0),
            (11..=16, _) | (_, None) => (None, self.rng.usize(1..5)),
            (_, Some(t)) => (Some(t), self.rng.usize(1..4)),
        };
        let mut text = match structural {
            Some(tree) => self.structural(tree),
            None => seed,
        };
        for _ in 0..bytes {
            if text.len() > MAX_INPUT {
                break;
            }
            text = self.bytes(text.into_bytes());
        }
        if text.len() > MAX_INPUT {
            let cut = (0..=MAX_INPUT)
                .rev()
                .find(|&c| text.is_char_boundary(c))
                .unwrap_or(0);
            text.truncate(cut);
        }
        text
    }

    // --- structure-aware -------------------------------------------------------------

    fn structural(&mut self, mut tree: Value) -> String {
        let mut raws = Vec::new();
        for _ in 0..=self.rng.usize(..3) {
            let node = self.pick(&mut tree);
            self.edit(node, &mut raws);
        }
        let mut text = if self.rng.u8(..4) == 0 {
            serde_json::to_string_pretty(&tree)
        } else {
            serde_json::to_string(&tree)
        }
        .unwrap_or_default();
        for (i, raw) in raws {
            text = text.replace(&format!("\"{}\"", placeholder(i)), &raw);
        }
        text
    }

    /// A random node: a walk down from the root that stops at each level below it with chance
    /// 1/4 (the root itself is edited only when it has no children: an edited root is mostly a
    /// text refused as a whole).
    fn pick<'a>(&mut self, mut v: &'a mut Value) -> &'a mut Value {
        let mut root = true;
        loop {
            let n = match &*v {
                Value::Array(a) => a.len(),
                Value::Object(m) => m.len(),
                _ => 0,
            };
            if n == 0 || (!root && self.rng.u8(..4) == 0) {
                return v;
            }
            root = false;
            let k = self.rng.usize(..n);
            v = match v {
                Value::Array(a) => &mut a[k],
                Value::Object(m) => m.values_mut().nth(k).unwrap_or_else(|| unreachable!()),
                _ => unreachable!(),
            };
        }
    }

    fn edit(&mut self, v: &mut Value, raws: &mut Vec<(usize, String)>) {
        match self.rng.u8(..12) {
            // A hostile raw token in place of the value.
            0 | 1 => {
                let i = raws.len();
                raws.push((i, self.raw_token()));
                *v = Value::String(placeholder(i));
            }
            // A number pushed to an edge, or a value of another type.
            2 | 3 => *v = self.edge_value(v),
            // A member or element dropped.
            4 => match v {
                Value::Array(a) if !a.is_empty() => {
                    a.remove(self.rng.usize(..a.len()));
                }
                Value::Object(m) if !m.is_empty() => {
                    let k = self.rng.usize(..m.len());
                    if let Some(key) = m.keys().nth(k).cloned() {
                        m.shift_remove(&key);
                    }
                }
                _ => *v = Value::Null,
            },
            // An element repeated (2,000 copies one time in 32: long lists).
            5 => {
                if let Value::Array(a) = v
                    && let Some(e) = a.get(self.rng.usize(..a.len().max(1))).cloned()
                {
                    let n = if self.rng.u8(..32) == 0 {
                        2_000
                    } else {
                        self.rng.usize(1..20)
                    };
                    a.extend(std::iter::repeat_n(e, n));
                }
            }
            // A known member inserted, with a value from another seed or an edge.
            6 | 7 => {
                let key = KEYS[self.rng.usize(..KEYS.len())].to_string();
                let val = if self.rng.bool() {
                    self.splice_value()
                } else {
                    self.edge_value(&Value::Null)
                };
                match v {
                    Value::Object(m) => {
                        m.insert(key, val);
                    }
                    _ => {
                        let mut m = Map::new();
                        m.insert(key, val);
                        *v = Value::Object(m);
                    }
                }
            }
            // A subtree from another seed.
            8 => *v = self.splice_value(),
            // Wrapped in arrays (up to 200 levels: around serde_json's limit of 128).
            9 => {
                let n = if self.rng.bool() {
                    self.rng.usize(1..4)
                } else {
                    self.rng.usize(100..200)
                };
                for _ in 0..n {
                    *v = Value::Array(vec![v.take()]);
                }
            }
            // A GeoJSON type word swapped.
            10 => *v = Value::String(TYPES[self.rng.usize(..TYPES.len())].to_string()),
            // A long string (a megabyte one time in 64).
            _ => {
                let n = if self.rng.u8(..64) == 0 {
                    1 << 20
                } else {
                    self.rng.usize(..300)
                };
                *v = Value::String("é".repeat(n / 2));
            }
        }
    }

    fn raw_token(&mut self) -> String {
        match self.rng.u8(..8) {
            0 => digits(self.rng.usize(19..420)),
            1 => format!("-{}", digits(self.rng.usize(19..420))),
            2 => format!("{}{}", "[".repeat(150), "]".repeat(150)),
            _ => RAW[self.rng.usize(..RAW.len())].to_string(),
        }
    }

    fn edge_value(&mut self, v: &Value) -> Value {
        let x = v.as_f64().unwrap_or(1.85);
        let f = match self.rng.u8(..14) {
            0 => -x,
            1 => x * 1e6,
            2 => x + 1e-9,
            3 => 0.0,
            4 => -0.0,
            5 => f64::MAX,
            6 => f64::MIN_POSITIVE,
            7 => 180.0 + self.rng.f64(),
            8 => 90.0 + self.rng.f64(),
            9 => return Value::from(i64::MIN),
            10 => return Value::from(u64::MAX),
            11 => return Value::String(x.to_string()),
            12 => return Value::Bool(self.rng.bool()),
            _ => return Value::Null,
        };
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }

    fn splice_value(&mut self) -> Value {
        let i = self.rng.usize(..self.trees.len());
        match self.trees.get(i).cloned().flatten() {
            Some(mut t) => self.pick(&mut t).take(),
            None => Value::Null,
        }
    }

    // --- byte-level ------------------------------------------------------------------

    fn bytes(&mut self, mut b: Vec<u8>) -> String {
        let len = b.len();
        let at = self.rng.usize(..=len);
        match self.rng.u8(..11) {
            0 if len > 0 => {
                let i = self.rng.usize(..len);
                b[i] ^= 1 << self.rng.u8(..8);
            }
            1 if len > 0 => {
                let i = self.rng.usize(..len);
                b[i] = STRUCTURE[self.rng.usize(..STRUCTURE.len())];
            }
            2 => {
                let n = self.rng.usize(1..16);
                let run: Vec<u8> = (0..n).map(|_| self.rng.u8(..)).collect();
                b.splice(at..at, run);
            }
            3 => {
                let end = (at + self.rng.usize(1..64)).min(len);
                b.drain(at..end);
            }
            4 if len > 0 => {
                let end = (at + self.rng.usize(1..256)).min(len);
                let run = b[at.min(end)..end].to_vec();
                let reps = if self.rng.u8(..64) == 0 { 500 } else { 1 };
                for _ in 0..reps {
                    b.splice(at..at, run.iter().copied());
                }
            }
            5 => b.truncate(at),
            6 => {
                let t = self.raw_token();
                b.splice(at..at, t.into_bytes());
            }
            7 => {
                b.splice(0..0, "\u{feff}".bytes());
            }
            8 => {
                let other = self.seeds[self.rng.usize(..self.seeds.len())].as_bytes();
                let from = self.rng.usize(..=other.len());
                let to = (from + self.rng.usize(..512)).min(other.len());
                let run = other[from..to].to_vec();
                b.splice(at..at, run);
            }
            9 => {
                let c = STRUCTURE[self.rng.usize(..STRUCTURE.len())];
                b.insert(at, c);
            }
            _ => {
                // A number's digits replaced: find a digit near `at` and put a raw token there.
                if let Some(i) = b.iter().skip(at).position(u8::is_ascii_digit) {
                    let t = self.raw_token();
                    b.splice(at + i..=at + i, t.into_bytes());
                }
            }
        }
        String::from_utf8_lossy(&b).into_owned()
    }
}
