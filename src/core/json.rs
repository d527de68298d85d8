//! An order-preserving JSON value shared by layer ingest and incident parsing (raw values; no
//! units), and the tolerant reading of bare `NaN`/`Infinity` tokens that some APIs emit.
//!
//! serde_json's `Value` sorts object keys unless its `preserve_order` feature is enabled
//! somewhere in the build; properties must keep source order regardless.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Num(v.into()))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Num(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Num))
    }
    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::Str(v))
    }
    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        Json::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(x) = seq.next_element()? {
            items.push(x);
        }
        Ok(Json::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some(entry) = map.next_entry::<String, Json>()? {
            members.push(entry);
        }
        Ok(Json::Obj(members))
    }
}

impl Json {
    /// Parse text: a leading BOM is ignored and, if strict parsing fails, bare
    /// `NaN`/`Infinity` tokens are read as `null` (as layer ingest does).
    pub(crate) fn parse(text: &str) -> Result<Json, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_json::from_str(text).or_else(|strict: serde_json::Error| {
            replace_non_finite_tokens(text)
                .and_then(|fixed| serde_json::from_str(&fixed).ok())
                .ok_or_else(|| strict.to_string())
        })
    }

    /// Object member; the last one wins on duplicate keys (as in `JSON.parse`).
    pub(crate) fn get(&self, key: &str) -> Option<&Json> {
        let Json::Obj(members) = self else {
            return None;
        };
        members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Member that is present and not null.
    pub(crate) fn get_some(&self, key: &str) -> Option<&Json> {
        self.get(key).filter(|v| !matches!(v, Json::Null))
    }

    /// "null", "a boolean", "a number", "a string", "an array", "an object".
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Num(_) => "a number",
            Json::Str(_) => "a string",
            Json::Arr(_) => "an array",
            Json::Obj(_) => "an object",
        }
    }

    /// Display text: a string as-is, anything else as compact JSON.
    pub(crate) fn display(&self) -> String {
        match self {
            Json::Str(s) => s.clone(),
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
    fn keeps_order_and_last_duplicate_wins() {
        let v = Json::parse("\u{feff}{\"z\":1,\"a\":[true,null],\"z\":\"two\"}").expect("json");
        assert_eq!(v.get("z"), Some(&Json::Str("two".into())));
        assert_eq!(v.to_json(), r#"{"z":1,"a":[true,null],"z":"two"}"#);
        assert_eq!(v.get_some("a").map(Json::kind), Some("an array"));
        assert_eq!(Json::Null.display(), "null");
    }

    #[test]
    fn bare_non_finite_tokens_become_null() {
        let v = Json::parse("[1, NaN, -Infinity]").expect("tolerated");
        assert_eq!(v.to_json(), "[1,null,null]");
        assert!(Json::parse("[1, NaN").is_err());
    }
}
