//! An order-preserving JSON value shared by layer ingest and incident parsing (raw values; no
//! units), and the tolerant reading of bare `NaN`/`Infinity` tokens that some APIs emit.
//!
//! serde_json's `Value` sorts object keys unless its `preserve_order` feature is enabled
//! somewhere in the build; properties must keep source order regardless.

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
    /// Parse text: a leading BOM is ignored and, if strict parsing fails, bare
    /// `NaN`/`Infinity` tokens are read as `null` (as layer ingest does). Strings borrow
    /// from `text` where they can.
    pub(crate) fn parse(text: &'a str) -> Result<Json<'a>, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        serde_json::from_str(text).or_else(|strict: serde_json::Error| {
            replace_non_finite_tokens(text)
                .and_then(|fixed| {
                    serde_json::from_str::<Json<'_>>(&fixed)
                        .ok()
                        .map(Json::into_owned)
                })
                .ok_or_else(|| strict.to_string())
        })
    }

    /// The same value owning all its strings.
    pub(crate) fn into_owned(self) -> Json<'static> {
        match self {
            Json::Null => Json::Null,
            Json::Bool(b) => Json::Bool(b),
            Json::Num(n) => Json::Num(n),
            Json::Str(s) => Json::Str(Cow::Owned(s.into_owned())),
            Json::Arr(items) => Json::Arr(items.into_iter().map(Json::into_owned).collect()),
            Json::Obj(members) => Json::Obj(
                members
                    .into_iter()
                    .map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned()))
                    .collect(),
            ),
        }
    }

    /// Object member; the last one wins on duplicate keys (as in `JSON.parse`).
    pub(crate) fn get(&self, key: &str) -> Option<&Json<'a>> {
        let Json::Obj(members) = self else {
            return None;
        };
        members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
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
        assert_eq!(v.get("a").map(Json::kind), Some("an array"));
        assert_eq!(Json::Null.display(), "null");
    }

    #[test]
    fn bare_non_finite_tokens_become_null() {
        let v = Json::parse("[1, NaN, -Infinity]").expect("tolerated");
        assert_eq!(v.to_json(), "[1,null,null]");
        assert!(Json::parse("[1, NaN").is_err());
    }
}
