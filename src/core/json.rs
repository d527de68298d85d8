//! JSON reading shared by the core's readers (raw values; no units).
//!
//! Layers and zones (GeoJSON, `core::ingest`, `geofence::zone`) are read as `serde_json::Value`
//! through [`parse_value`]: objects keep source order (serde_json's `preserve_order`, enabled in
//! this crate's manifest), and bare `NaN`/`Infinity` tokens that some APIs emit are read as
//! `null` ([`replace_non_finite_tokens`], which incidents (`core::incident::parse`) use too).

/// Parse text (a leading BOM ignored; if strict parsing fails, bare
/// `NaN`/`Infinity` tokens read as `null`), to a `serde_json::Value`. The error is serde_json's
/// text for the original input.
pub(crate) fn parse_value(text: &str) -> Result<serde_json::Value, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).or_else(|strict: serde_json::Error| {
        replace_non_finite_tokens(text)
            .and_then(|fixed| serde_json::from_str(&fixed).ok())
            .ok_or_else(|| strict.to_string())
    })
}

/// "null", "a boolean", "a number", "a string", "an array", "an object".
pub(crate) fn kind(v: &serde_json::Value) -> &'static str {
    use serde_json::Value as V;
    match v {
        V::Null => "null",
        V::Bool(_) => "a boolean",
        V::Number(_) => "a number",
        V::String(_) => "a string",
        V::Array(_) => "an array",
        V::Object(_) => "an object",
    }
}

/// Display text: a string as-is, anything else as compact JSON, keys in source order.
pub(crate) fn display(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Number or numeric string (trimmed) as a finite f64.
pub(crate) fn number_lossy(v: &serde_json::Value) -> Option<f64> {
    let v = match v {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    v.is_finite().then_some(v)
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
        let v = parse_value("\u{feff}{\"z\":1,\"a\":[true,null],\"z\":\"two\"}").expect("json");
        assert_eq!(v.get("z"), Some(&serde_json::Value::from("two")));
        assert_eq!(display(&v), r#"{"z":"two","a":[true,null]}"#);
        assert_eq!(v.get("a").map(kind), Some("an array"));
        assert_eq!(display(&serde_json::Value::Null), "null");
        assert_eq!(number_lossy(&" 1.5 ".into()), Some(1.5));
        assert_eq!(number_lossy(&"NaN".into()), None);
    }

    #[test]
    fn bare_non_finite_tokens_become_null() {
        let v = parse_value("[1, NaN, -Infinity]").expect("tolerated");
        assert_eq!(display(&v), "[1,null,null]");
        assert!(parse_value("[1, NaN").is_err());
    }
}
