//! JSON reading shared by the core's readers (raw values; no units).
//!
//! - Layers and zones (GeoJSON) are read by `core::geojson_read`, which uses only
//!   [`replace_non_finite_tokens`] from here (bare `NaN`/`Infinity` tokens that some APIs emit
//!   read as `null`).
//! - Incidents (`core::incident::parse`) use [`Json`], a value whose strings borrow from the
//!   text, and [`Scan`], a fast pull reader over strict JSON for texts too large for a value
//!   tree (a 100k-incident snapshot); whether that reader stays is issue 11 item 2.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A JSON value whose strings borrow from the parsed text where they can (no escapes), so a
/// 100k-feature document costs few allocations.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json<'a> {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(Cow<'a, str>),
    Arr(Vec<Json<'a>>),
    Obj(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json<'de>, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

/// A string that borrows from the input when it has no escapes.
struct CowStr<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for CowStr<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CowStr<'de>, D::Error> {
        d.deserialize_str(CowStrVisitor)
    }
}

struct CowStrVisitor;

impl<'de> Visitor<'de> for CowStrVisitor {
    type Value = CowStr<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<CowStr<'de>, E> {
        Ok(CowStr(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<CowStr<'de>, E> {
        Ok(CowStr(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<CowStr<'de>, E> {
        Ok(CowStr(Cow::Owned(v)))
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json<'de>, E> {
        Ok(Json::Num(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json<'de>, E> {
        Ok(Json::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json<'de>, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Num))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(v)))
    }
    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        Json::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(x) = seq.next_element()? {
            items.push(x);
        }
        Ok(Json::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some((k, v)) = map.next_entry::<CowStr<'de>, Json<'de>>()? {
            members.push((k.0, v));
        }
        Ok(Json::Obj(members))
    }
}

impl<'a> Json<'a> {
    /// Display text: a string as-is, anything else as compact JSON.
    pub(crate) fn display(&self) -> String {
        match self {
            Json::Str(s) => s.to_string(),
            other => other.to_json(),
        }
    }

    /// Compact JSON text (strings quoted), keys in source order.
    pub(crate) fn to_json(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Number or numeric string (trimmed) as a finite f64.
    pub(crate) fn as_number_lossy(&self) -> Option<f64> {
        let v = match self {
            Json::Num(n) => n.as_f64()?,
            Json::Str(s) => s.trim().parse::<f64>().ok()?,
            _ => return None,
        };
        v.is_finite().then_some(v)
    }

    fn write(&self, out: &mut String) {
        let quote = |s: &str, out: &mut String| {
            out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}")));
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(n) => out.push_str(&n.to_string()),
            Json::Str(s) => quote(s, out),
            Json::Arr(items) => {
                out.push('[');
                for (i, x) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    x.write(out);
                }
                out.push(']');
            }
            Json::Obj(members) => {
                out.push('{');
                for (i, (k, x)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    quote(k, out);
                    out.push(':');
                    x.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// A fast pull reader over a strict subset of JSON, for texts too large for a
/// value tree (a 100k-incident snapshot).
///
/// It reads what serde_json reads, to the same values: strings without escapes
/// borrow from the text, strings with escapes and numbers it has no exact fast
/// conversion for are decoded by serde_json itself. Every method returns `None`
/// when the text leaves the subset: not JSON (or not strictly: `NaN`, trailing
/// characters, control characters in strings), nested deeper than
/// [`Scan::MAX_DEPTH`], or a number or string serde_json rejects. The caller then
/// reads the whole text with serde_json, which decides and reports the error.
pub(crate) struct Scan<'a> {
    text: &'a str,
    i: usize,
    depth: usize,
}

/// What the next value is, from its first byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    Null,
    Bool,
    Num,
    Str,
    Arr,
    Obj,
}

// The rare slow cases, kept out of line so the hot scanning code stays small
// (a wasm engine optimises a function in the background only once it is hot,
// in time roughly growing with its size).

/// A quoted JSON string with escapes.
#[cold]
#[inline(never)]
fn decode_string(quoted: &str) -> Option<String> {
    serde_json::from_str(quoted).ok()
}

/// A JSON number the fast conversion does not take.
#[cold]
#[inline(never)]
fn decode_number(text: &str) -> Option<serde_json::Number> {
    serde_json::from_str(text).ok()
}

/// A JSON array or object.
#[cold]
#[inline(never)]
fn decode_tree(text: &str) -> Option<Json<'_>> {
    serde_json::from_str(text).ok()
}

/// The high bit of each of the eight bytes of `w` (little-endian) that may be `"`, `\\` or
/// below 0x20. The lowest flag is exact (it marks the first such byte); flags above it
/// may be false.
#[inline(always)]
fn string_specials(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let quote = zero_byte(w ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(w ^ (ONES * u64::from(b'\\')));
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    quote | backslash | control
}

/// 10^0 ..= 10^15, all exact in f64.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

impl<'a> Scan<'a> {
    /// Below serde_json's recursion limit (128), so whatever is read here it would read too.
    pub(crate) const MAX_DEPTH: usize = 100;

    pub(crate) fn new(text: &'a str) -> Scan<'a> {
        Scan {
            text,
            i: 0,
            depth: 0,
        }
    }

    /// Bytes read so far.
    pub(crate) fn offset(&self) -> usize {
        self.i
    }

    /// Length of the whole text in bytes.
    pub(crate) fn text_len(&self) -> usize {
        self.text.len()
    }

    #[inline(always)]
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.i).copied()
    }

    /// Skip JSON white space (as serde_json: space, tab, line feed, carriage return).
    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.byte() {
            self.i += 1;
        }
    }

    /// `Some` if only white space is left.
    pub(crate) fn end(&mut self) -> Option<()> {
        self.ws();
        (self.i == self.text.len()).then_some(())
    }

    /// The kind of the next value (after white space), without reading it.
    #[inline(always)]
    pub(crate) fn peek(&mut self) -> Option<Next> {
        self.ws();
        Some(match self.byte()? {
            b'n' => Next::Null,
            b't' | b'f' => Next::Bool,
            b'-' | b'0'..=b'9' => Next::Num,
            b'"' => Next::Str,
            b'[' => Next::Arr,
            b'{' => Next::Obj,
            _ => return None,
        })
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.byte()? == c).then(|| self.i += 1)
    }

    #[inline(always)]
    fn word(&mut self, w: &[u8]) -> Option<()> {
        let rest = self.text.as_bytes().get(self.i..)?;
        rest.starts_with(w).then(|| self.i += w.len())
    }

    /// `null`.
    #[inline(always)]
    pub(crate) fn null(&mut self) -> Option<()> {
        self.ws();
        self.word(b"null")
    }

    /// `true` or `false`.
    #[inline(always)]
    pub(crate) fn bool(&mut self) -> Option<bool> {
        self.ws();
        if self.word(b"true").is_some() {
            return Some(true);
        }
        self.word(b"false").map(|()| false)
    }

    /// A string, borrowed unless it has escapes (then decoded by serde_json).
    pub(crate) fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let b = self.text.as_bytes();
        let start = self.i;
        let mut i = start;
        let mut escaped = false;
        loop {
            let c = match b.get(i..i + 8) {
                // Eight bytes at a time; the lowest flagged byte is the first special one.
                Some(chunk) => {
                    let mut w = [0; 8];
                    w.copy_from_slice(chunk);
                    let flags = string_specials(u64::from_le_bytes(w));
                    if flags == 0 {
                        i += 8;
                        continue;
                    }
                    i += (flags.trailing_zeros() / 8) as usize;
                    *b.get(i)?
                }
                // The last few bytes of the text one by one.
                None => *b.get(i)?,
            };
            match c {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i += 2;
                }
                0..=0x1f => return None,
                _ => i += 1,
            }
        }
        self.i = i + 1;
        if escaped {
            let quoted = self.text.get(start - 1..=i)?;
            decode_string(quoted).map(Cow::Owned)
        } else {
            self.text.get(start..i).map(Cow::Borrowed)
        }
    }

    /// A number, as serde_json reads it (`u64`, else `i64`, else `f64`).
    ///
    /// Integers of up to 18 digits and decimals of up to 15 digits without an
    /// exponent are converted here, exactly (the significand and the power of
    /// ten are exact in f64, so one division rounds correctly, as serde_json's
    /// does); any other number is handed to serde_json.
    pub(crate) fn number(&mut self) -> Option<serde_json::Number> {
        self.ws();
        let b = self.text.as_bytes();
        let start = self.i;
        let mut i = start;
        let neg = b.get(i) == Some(&b'-');
        i += usize::from(neg);
        let mut sig: u64 = 0;
        let mut digits = 0;
        let mut digit = |c: u8, digits: &mut usize| {
            if *digits < 19 {
                sig = sig * 10 + u64::from(c - b'0');
            }
            *digits += 1;
        };
        match *b.get(i)? {
            b'0' => {
                digit(b'0', &mut digits);
                i += 1;
            }
            b'1'..=b'9' => {
                while let Some(&c @ b'0'..=b'9') = b.get(i) {
                    digit(c, &mut digits);
                    i += 1;
                }
            }
            _ => return None,
        }
        let mut frac = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while let Some(&c @ b'0'..=b'9') = b.get(i) {
                digit(c, &mut digits);
                frac += 1;
                i += 1;
            }
            if frac == 0 {
                return None;
            }
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = b.get(i) {
            exponent = true;
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            let e = i;
            while let Some(b'0'..=b'9') = b.get(i) {
                i += 1;
            }
            if i == e {
                return None;
            }
        }
        self.i = i;
        if !exponent && frac == 0 && digits <= 18 {
            return Some(if !neg {
                sig.into()
            } else if sig == 0 {
                // serde_json reads -0 as a float.
                serde_json::Number::from_f64(-0.0)?
            } else {
                i64::try_from(sig).ok().map(|s| -s)?.into()
            });
        }
        if !exponent && digits <= 15 {
            #[allow(clippy::cast_precision_loss)] // sig < 10^15 < 2^53: exact
            let f = sig as f64 / POW10.get(frac)?;
            return serde_json::Number::from_f64(if neg { -f } else { f });
        }
        decode_number(self.text.get(start..i)?)
    }

    /// Enter an object: call [`Scan::member`] until it returns `false`.
    #[inline(always)]
    pub(crate) fn object(&mut self) -> Option<()> {
        self.eat(b'{')?;
        self.enter()
    }

    /// The next member's key (`None` inside the option at the end of the
    /// object); `first` is true for the first call after [`Scan::object`].
    /// The member's value must be read next.
    #[inline(always)]
    pub(crate) fn member(&mut self, first: &mut bool) -> Option<Option<Cow<'a, str>>> {
        if !self.more(b'}', first)? {
            return Some(None);
        }
        let key = self.string()?;
        self.eat(b':')?;
        Some(Some(key))
    }

    /// Enter an array: call [`Scan::element`] until it returns `false`.
    #[inline(always)]
    pub(crate) fn array(&mut self) -> Option<()> {
        self.eat(b'[')?;
        self.enter()
    }

    /// `true` if an element follows (read it next), `false` at the end of the array.
    #[inline(always)]
    pub(crate) fn element(&mut self, first: &mut bool) -> Option<bool> {
        self.more(b']', first)
    }

    #[inline(always)]
    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= Self::MAX_DEPTH).then_some(())
    }

    /// After an opening bracket or a member/element: `false` (and leave the
    /// container) at `close`, else `true` past the separating comma.
    #[inline(always)]
    fn more(&mut self, close: u8, first: &mut bool) -> Option<bool> {
        self.ws();
        if self.byte()? == close {
            self.i += 1;
            self.depth = self.depth.saturating_sub(1);
            return Some(false);
        }
        if !std::mem::replace(first, false) {
            self.eat(b',')?;
        }
        Some(true)
    }

    /// Read and check any value, keeping nothing.
    pub(crate) fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            Next::Null => self.null(),
            Next::Bool => self.bool().map(drop),
            Next::Num => self.number().map(drop),
            Next::Str => self.string().map(drop),
            Next::Arr => {
                self.array()?;
                let mut first = true;
                while self.element(&mut first)? {
                    self.skip()?;
                }
                Some(())
            }
            Next::Obj => {
                self.object()?;
                let mut first = true;
                while self.member(&mut first)?.is_some() {
                    self.skip()?;
                }
                Some(())
            }
        }
    }

    /// Any value as a [`Json`] (arrays and objects are checked here, then
    /// built by serde_json from their text).
    pub(crate) fn json(&mut self) -> Option<Json<'a>> {
        Some(match self.peek()? {
            Next::Null => self.null().map(|()| Json::Null)?,
            Next::Bool => Json::Bool(self.bool()?),
            Next::Num => Json::Num(self.number()?),
            Next::Str => Json::Str(self.string()?),
            Next::Arr | Next::Obj => {
                let start = self.i;
                self.skip()?;
                decode_tree(self.text.get(start..self.i)?)?
            }
        })
    }
}

/// Replace bare `NaN`, `Infinity`, `-Infinity` and `+Infinity` tokens that stand
/// outside JSON strings with `null`. Returns `None` if nothing was replaced.
pub fn replace_non_finite_tokens(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut changed = false;
    let mut i = 0;
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
    while let Some(&c) = b.get(i) {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == b'\\' {
                escaped = true;
            } else if c == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
            out.push(c);
            i += 1;
            continue;
        }
        let prev_ok = i == 0 || b.get(i - 1).is_none_or(|&p| !is_word(p));
        if prev_ok {
            let rest = b.get(i..).unwrap_or(&[]);
            let token_len = [&b"-Infinity"[..], b"+Infinity", b"Infinity", b"NaN"]
                .iter()
                .find(|t| rest.starts_with(t))
                .map(|t| t.len());
            if let Some(len) = token_len
                && b.get(i + len).is_none_or(|&n| !is_word(n))
            {
                out.extend_from_slice(b"null");
                changed = true;
                i += len;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    if changed {
        String::from_utf8(out).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_displays_as_null() {
        assert_eq!(Json::Null.display(), "null");
    }

    /// The number `Scan` reads from all of `text`, if it takes it.
    fn scan_number(text: &str) -> Option<serde_json::Number> {
        let mut s = Scan::new(text);
        let n = s.number()?;
        s.end().map(|()| n)
    }

    fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
        a.to_string() == b.to_string()
            && a.as_u64() == b.as_u64()
            && a.as_i64() == b.as_i64()
            && a.as_f64().map(f64::to_bits) == b.as_f64().map(f64::to_bits)
    }

    #[test]
    fn scan_numbers_are_serde_numbers() {
        let mut cases: Vec<String> = [
            "0",
            "-0",
            "7",
            "-7",
            "0.5",
            "-0.0",
            "1.0",
            "50.95",
            "1.816832",
            "0.000123",
            "123456789012345",
            "123456789012345678",
            "1234567890123456789",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5e3",
            "1E-7",
            "1e308",
            "1e309",
            "-1e999",
            "0.1234567890123456",
            "9007199254740993.0",
            "01",
            "1.",
            "-",
            ".5",
            "1e",
            "+1",
            "1.5.2",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Pseudo-random digits, points, signs and exponents.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut s = String::new();
            if x & 1 == 1 {
                s.push('-');
            }
            let int = 1 + (x >> 1) % 20;
            for k in 0..int {
                let d = (x >> ((8 + k * 3) % 60)) % 10;
                s.push(char::from(
                    b'0' + if k == 0 && int > 1 {
                        d.max(1) as u8
                    } else {
                        d as u8
                    },
                ));
            }
            if (x >> 5) & 1 == 1 {
                s.push('.');
                for k in 0..1 + (x >> 40) % 18 {
                    s.push(char::from(b'0' + ((x >> (k % 50)) % 10) as u8));
                }
            }
            if (x >> 6) & 7 == 0 {
                s.push_str(&format!("e{}", (x >> 50) as i64 % 40 - 20));
            }
            cases.push(s);
        }
        let mut fast = 0;
        for c in &cases {
            let serde = serde_json::from_str::<serde_json::Number>(c).ok();
            match (scan_number(c), serde) {
                (Some(a), Some(b)) => {
                    assert!(same_number(&a, &b), "{c}: {a} vs {b}");
                    fast += 1;
                }
                (Some(a), None) => panic!("{c}: scanned {a}, serde_json rejects it"),
                (None, Some(b)) => panic!("{c}: serde_json reads {b}, the scan does not"),
                (None, None) => {}
            }
        }
        assert!(fast > 19_000);
    }

    #[test]
    fn scan_strings_are_serde_strings() {
        for text in [
            r#""""#,
            r#""plain""#,
            r#""a\"b""#,
            r#""\u00e9\n\t\\""#,
            r#""\ud83d\ude00""#,
            r#""Blériot-Plage …""#,
            r#""exactly8""#,
            r#""sixteen bytes!!!""#,
            r#""\ud800""#,
            r#""\x""#,
            "\"tab\there\"",
            "\"unterminated",
            r#""ends in backslash\"#,
        ] {
            let serde = serde_json::from_str::<String>(text).ok();
            let mut s = Scan::new(text);
            let fast = s
                .string()
                .filter(|_| s.end().is_some())
                .map(Cow::into_owned);
            assert_eq!(fast, serde, "{text}");
        }
    }

    #[test]
    fn scan_reads_structure_strictly() {
        let skip = |t: &str| {
            let mut s = Scan::new(t);
            s.skip().and_then(|()| s.end()).is_some()
        };
        for ok in [
            "[]",
            " { } ",
            r#"{"a":[1,{"b":null}],"c":true}"#,
            "[false, -0.5, \"x\"]",
        ] {
            assert!(skip(ok), "{ok}");
            assert!(serde_json::from_str::<serde::de::IgnoredAny>(ok).is_ok());
        }
        for bad in [
            "[1,]",
            "{,}",
            r#"{"a" 1}"#,
            r#"{"a":1,}"#,
            "[1 2]",
            "nul",
            "[1] 2",
            "{1:2}",
            "[NaN]",
        ] {
            assert!(!skip(bad), "{bad}");
        }
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(skip(&deep(Scan::MAX_DEPTH)));
        assert!(!skip(&deep(Scan::MAX_DEPTH + 1)));
    }
}
