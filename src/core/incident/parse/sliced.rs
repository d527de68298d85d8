//! The snapshot reader in steps (issue 15 item 4): [`SnapshotReader`] reads a snapshot
//! FeatureCollection a few features at a time from a byte position in the text, so that the
//! page can read a 100k-incident snapshot (36 MB) in slices of a few milliseconds with the
//! browser's frames and events in between, instead of one block of 150–300 ms.
//!
//! Units: byte offsets into the UTF-8 text; a step's size is a number of features; the
//! incidents are as [`parse_snapshot`]'s (degrees WGS84, EPSG:3857 metres, RFC 3339 times).
//!
//! The result is [`parse_snapshot`]'s, feature for feature, whatever the step sizes (tested
//! natively against it on the fixtures for every split from 1 feature up): the root object is
//! walked here member by member (its punctuation checked as serde_json checks it, errors worded
//! and placed as serde_json words and places them), each member's value and each element of
//! `features` is read by serde_json from its byte position with the one-shot reader's own
//! visitors ([`FeatureSeed`], [`ExpectFeatures`], [`Value`]), and the byte position after it is
//! serde_json's (`StreamDeserializer::byte_offset`). The members may come in any order (the
//! `cursor` after the features too); the last of duplicate members wins, as in one reading.
//! A text that is not strict JSON is read again with bare `NaN`/`Infinity` as `null`, from
//! the start, in steps too. One difference, on purpose: serde_json's nesting limit (128) counts
//! from the element here, from the root in one reading, so a feature nested 126 or 127 levels
//! deep is read (and validated) here where one reading fails the whole text.

use super::{
    ExpectFeatures, FeatureSeed, Features, Key, Object, Rejected, Root, Snapshot, Value, Visit,
    collection, incident, parse_snapshot,
};
use crate::incident::{IncidentError, IncidentNames};
use crate::json::replace_non_finite_tokens;
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny};
use std::borrow::Cow;

/// Where the reader is in the root object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// Before the root's `{`.
    Start,
    /// After `{` (first) or after a member's value: a member or the end of the object next.
    Members { first: bool },
    /// Inside the `features` array: an element or the end of the array next.
    Features { first: bool },
    /// After the root's `}`: only whitespace may follow.
    End,
}

/// A snapshot read in steps; [`SnapshotReader::step`] reads up to n features, then returns.
pub struct SnapshotReader {
    text: String,
    names: IncidentNames,
    state: State,
    /// The strict reading's error, once the text is being read again with `NaN` as `null`.
    strict: Option<String>,
    done: Option<Result<Snapshot, IncidentError>>,
}

/// What is read so far: the position, and the root's members (the last of each).
struct State {
    pos: usize,
    at: At,
    ty: Value<'static>,
    cursor: Value<'static>,
    next_cursor: Value<'static>,
    features: Object<Features>,
}

impl State {
    fn at(pos: usize) -> State {
        State {
            pos,
            at: At::Start,
            ty: Value::Missing,
            cursor: Value::Missing,
            next_cursor: Value::Missing,
            features: Object::Missing,
        }
    }
}

/// A serde_json error at `pos`, or a hand-placed one (message, position as serde_json's).
enum Fail {
    Serde(serde_json::Error, usize),
    Syntax(&'static str, usize),
}

impl SnapshotReader {
    /// A reader of `text` (a leading BOM is dropped). A root that is not an object is judged
    /// at once, as [`parse_snapshot`] judges it.
    pub fn new(mut text: String, names: &IncidentNames) -> SnapshotReader {
        let body = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let done = (!body.trim_start().starts_with('{')).then(|| parse_snapshot(&text, names));
        // Without the BOM, as one reading reads it (its errors' columns count from there).
        if done.is_none() && text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        SnapshotReader {
            text,
            names: names.clone(),
            state: State::at(0),
            strict: None,
            done,
        }
    }

    /// Bytes read so far and the text's length (the text read again after a `NaN` counts
    /// from 0).
    pub fn progress(&self) -> (usize, usize) {
        (self.state.pos, self.text.len())
    }

    /// Whether the whole text is read ([`SnapshotReader::finish`] then returns at once).
    pub fn is_done(&self) -> bool {
        self.done.is_some()
    }

    /// Reads up to `features` features (at least one) and the root members on the way;
    /// returns whether the whole text is read.
    pub fn step(&mut self, features: usize) -> bool {
        if self.done.is_some() {
            return true;
        }
        match walk(&self.text, &mut self.state, &self.names, features.max(1)) {
            Ok(false) => false,
            Ok(true) => {
                let state = std::mem::replace(&mut self.state, State::at(0));
                let root = Root {
                    ty: state.ty,
                    cursor: state.cursor,
                    next_cursor: state.next_cursor,
                    features: state.features,
                };
                self.done = Some(collection(root));
                true
            }
            Err(fail) => {
                let message = message(&self.text, fail);
                self.failed(message);
                self.done.is_some()
            }
        }
    }

    /// The snapshot, reading what is left in one go.
    pub fn finish(mut self) -> Result<Snapshot, IncidentError> {
        while !self.step(usize::MAX) {}
        self.done
            .take()
            .unwrap_or_else(|| Err(IncidentError::Json("not read".to_string())))
    }

    /// A reading failed: read again with `NaN`/`Infinity` as `null` once, else the strict
    /// reading's error.
    fn failed(&mut self, message: String) {
        if let Some(strict) = self.strict.take() {
            self.done = Some(Err(IncidentError::Json(strict)));
            return;
        }
        match replace_non_finite_tokens(&self.text) {
            Some(fixed) => {
                self.text = fixed;
                self.state = State::at(0);
                self.strict = Some(message);
            }
            None => self.done = Some(Err(IncidentError::Json(message))),
        }
    }
}

/// Walks the root until `budget` features are read or the text ends (`Ok(true)`).
fn walk(
    text: &str,
    st: &mut State,
    names: &IncidentNames,
    mut budget: usize,
) -> Result<bool, Fail> {
    let mut props = Vec::new();
    loop {
        match st.at {
            At::Start => {
                // `new` judged any root that is not an object.
                st.pos = skip_ws(text, st.pos) + 1;
                st.at = At::Members { first: true };
            }
            At::Members { first } => {
                let p = skip_ws(text, st.pos);
                let p = match (byte(text, p), first) {
                    (Some(b'}'), _) => {
                        st.pos = p + 1;
                        st.at = At::End;
                        continue;
                    }
                    (None, _) => return Err(Fail::Syntax("EOF while parsing an object", p)),
                    (Some(b','), false) => skip_ws(text, p + 1),
                    (Some(_), true) => p,
                    (Some(_), false) => {
                        return Err(Fail::Syntax("expected `,` or `}`", p));
                    }
                };
                match byte(text, p) {
                    Some(b'"') => {}
                    Some(b'}') => return Err(Fail::Syntax("trailing comma", p)),
                    Some(_) => return Err(Fail::Syntax("key must be a string", p)),
                    None => return Err(Fail::Syntax("EOF while parsing a value", p)),
                }
                let (Key(key), p) = read(text, p, |de| Key::deserialize(de))?;
                let p = skip_ws(text, p);
                match byte(text, p) {
                    Some(b':') => {}
                    Some(_) => return Err(Fail::Syntax("expected `:`", p)),
                    None => return Err(Fail::Syntax("EOF while parsing an object", p)),
                }
                let p = p + 1;
                let slot = match key.as_ref() {
                    "type" => Some(&mut st.ty),
                    "cursor" => Some(&mut st.cursor),
                    "next_cursor" => Some(&mut st.next_cursor),
                    "features" => None,
                    _ => {
                        let ((), p) = read(text, p, |de| IgnoredAny::deserialize(de).map(drop))?;
                        st.pos = p;
                        st.at = At::Members { first: false };
                        continue;
                    }
                };
                if let Some(slot) = slot {
                    let (value, p) = read(text, p, |de| Value::deserialize(de))?;
                    *slot = owned(value);
                    st.pos = p;
                    st.at = At::Members { first: false };
                    continue;
                }
                // `features`: an array is walked element by element; anything else is read
                // whole as the one-shot reader reads it (its kind named).
                let v = skip_ws(text, p);
                if byte(text, v) == Some(b'[') {
                    st.features = Object::Obj(Features(Vec::new(), Vec::new()));
                    st.pos = v + 1;
                    st.at = At::Features { first: true };
                } else {
                    let (features, p) =
                        read(text, p, |de| Visit(ExpectFeatures(names)).deserialize(de))?;
                    st.features = features;
                    st.pos = p;
                    st.at = At::Members { first: false };
                }
            }
            At::Features { first } => {
                let p = skip_ws(text, st.pos);
                let p = match (byte(text, p), first) {
                    (Some(b']'), _) => {
                        if let Object::Obj(Features(incidents, _)) = &mut st.features {
                            incidents.shrink_to_fit();
                        }
                        st.pos = p + 1;
                        st.at = At::Members { first: false };
                        continue;
                    }
                    (None, _) => return Err(Fail::Syntax("EOF while parsing a list", p)),
                    (Some(b','), false) => skip_ws(text, p + 1),
                    (Some(_), true) => p,
                    (Some(_), false) => {
                        return Err(Fail::Syntax("expected `,` or `]`", p));
                    }
                };
                match byte(text, p) {
                    Some(b']') => return Err(Fail::Syntax("trailing comma", p)),
                    Some(_) => {}
                    None => return Err(Fail::Syntax("EOF while parsing a value", p)),
                }
                if budget == 0 {
                    // Resume at this element (`first` is spent: a comma was eaten or
                    // there was none).
                    st.pos = p;
                    st.at = At::Features { first: true };
                    return Ok(false);
                }
                let (feature, p) =
                    read(text, p, |de| Visit(FeatureSeed(&mut props)).deserialize(de))?;
                if let Object::Obj(Features(incidents, rejected)) = &mut st.features {
                    let index = incidents.len() + rejected.len();
                    match incident(feature, &props, names) {
                        Ok(inc) => incidents.push(inc),
                        Err((id, error)) => rejected.push(Rejected { index, id, error }),
                    }
                }
                budget -= 1;
                st.pos = p;
                st.at = At::Features { first: false };
            }
            At::End => {
                let p = skip_ws(text, st.pos);
                return match byte(text, p) {
                    None => Ok(true),
                    Some(_) => Err(Fail::Syntax("trailing characters", p)),
                };
            }
        }
    }
}

/// A failure worded and placed (line and column in the whole text) as serde_json does.
fn message(text: &str, fail: Fail) -> String {
    let (what, line, column) = match fail {
        Fail::Syntax(what, at) => {
            // serde_json's `peek_position`: the position just after the byte looked at.
            let (line, column) = line_column(text, (at + 1).min(text.len()));
            (what.to_string(), line, column)
        }
        Fail::Serde(e, base) => {
            let full = e.to_string();
            if e.line() == 0 {
                return full;
            }
            let what = match full.rsplit_once(" at line ") {
                Some((what, _)) => what.to_string(),
                None => full.clone(),
            };
            let (base_line, base_column) = line_column(text, base);
            let column = if e.line() == 1 {
                base_column + e.column()
            } else {
                e.column()
            };
            (what, base_line + e.line() - 1, column)
        }
    };
    format!("{what} at line {line} column {column}")
}

/// One value read by serde_json from byte `pos` of `text`, and the byte position after it.
fn read<'t, T>(
    text: &'t str,
    pos: usize,
    f: impl FnOnce(&mut serde_json::Deserializer<serde_json::de::StrRead<'t>>) -> serde_json::Result<T>,
) -> Result<(T, usize), Fail> {
    let rest = text.get(pos..).unwrap_or_default();
    let mut de = serde_json::Deserializer::from_str(rest);
    let value = f(&mut de).map_err(|e| Fail::Serde(e, pos))?;
    let used = de.into_iter::<IgnoredAny>().byte_offset();
    Ok((value, pos + used))
}

fn byte(text: &str, pos: usize) -> Option<u8> {
    text.as_bytes().get(pos).copied()
}

/// The first byte at or after `pos` that is not JSON whitespace.
fn skip_ws(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut p = pos;
    while matches!(bytes.get(p), Some(b' ' | b'\n' | b'\t' | b'\r')) {
        p += 1;
    }
    p
}

/// serde_json's position of byte index `i`: 1-based line, column = bytes since the line's start.
fn line_column(text: &str, i: usize) -> (usize, usize) {
    let before = text.as_bytes().get(..i).unwrap_or_default();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = 1 + before.iter().take(start).filter(|&&b| b == b'\n').count();
    (line, i - start)
}

/// A root member's value, owning its strings.
fn owned(v: Value<'_>) -> Value<'static> {
    match v {
        Value::Missing => Value::Missing,
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(b),
        Value::Num(n) => Value::Num(n),
        Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
        Value::Tree(t) => Value::Tree(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = include_str!("../../../../tests/fixtures/incidents/snapshot_mixed.geojson");

    fn sliced(text: &str, n: usize) -> Result<Snapshot, IncidentError> {
        let mut r = SnapshotReader::new(text.to_string(), &IncidentNames::default());
        let mut steps = 0;
        while !r.step(n) {
            steps += 1;
            assert!(steps < 1_000_000, "the reader moves on");
        }
        r.finish()
    }

    #[test]
    fn every_split_reads_what_one_reading_reads() {
        let names = IncidentNames::default();
        let whole = parse_snapshot(MIXED, &names);
        assert!(whole.as_ref().is_ok_and(|s| !s.incidents.is_empty()));
        for n in [1, 2, 3, 5, 8, 1000] {
            assert_eq!(sliced(MIXED, n), whole, "{n} features a step");
        }
    }

    #[test]
    fn members_in_any_order_and_broken_texts_fail_as_one_reading() {
        let names = IncidentNames::default();
        let f = r#"{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1.8,50.9]},"properties":{"kind":"other","severity":1,"status":"open","reported_at":"2024-06-01T00:00:00Z","updated_at":"2024-06-01T00:00:00Z"}}"#;
        let texts = [
            format!(r#"{{"features":[{f},{f}],"cursor":7,"type":"FeatureCollection"}}"#),
            format!(
                "\u{feff} {{ \"type\" : \"FeatureCollection\" , \"features\" : [ ] , \"x\" : [{f}] }} \n"
            ),
            format!(
                r#"{{"type":"FeatureCollection","features":[{f}],"features":[1,{f}],"next_cursor":"n"}}"#
            ),
            r#"{"type":"FeatureCollection","features":{},"cursor":"c"}"#.to_string(),
            format!(r#"{{"type":"FeatureCollection","features":[{f}, NaN]}}"#),
            format!(r#"{{"type":"FeatureCollection","features":[{f},]}}"#),
            format!(r#"{{"type":"FeatureCollection","features":[{f}],}}"#),
            format!("{{\"type\":\"FeatureCollection\",\n\"features\":[{f} {f}]}}"),
            format!(r#"{{"type":"FeatureCollection","features":[{f}]}} x"#),
            r#"{"type" "FeatureCollection"}"#.to_string(),
            r#"{"type":"FeatureCollection",7:1}"#.to_string(),
            "{\"type\":\"FeatureCollection\",\n \"features\":[{\"a\":tru}]}".to_string(),
            r#"{"type":"Feature"}"#.to_string(),
            "\u{feff}\u{feff}{\"type\":1}".to_string(),
            "\u{feff}{\"type".to_string(),
            "[1]".to_string(),
            "nope".to_string(),
            "{".to_string(),
            String::new(),
        ];
        for text in &texts {
            let whole = parse_snapshot(text, &names);
            for n in [1, 2, 100] {
                assert_eq!(sliced(text, n), whole, "{text:?} in steps of {n}");
            }
        }
        // Cut anywhere: the same error (or the same snapshot) as one reading.
        let full = format!(r#"{{"type":"FeatureCollection","features":[{f},{f}],"cursor":"c"}}"#);
        for cut in 0..full.len() {
            let text = full.get(..cut).unwrap_or_default();
            assert_eq!(
                sliced(text, 1),
                parse_snapshot(text, &names),
                "cut at {cut}"
            );
        }
    }
}
