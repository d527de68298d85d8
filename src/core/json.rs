//! JSON helpers shared by the core's readers (raw values; no units).
//!
//! - [`replace_non_finite_tokens`]: bare `NaN`/`Infinity` tokens that some APIs emit, read as
//!   `null`; used by `core::geojson_read` (layers and zones) and `core::incident::parse`.
//! - [`kind`]: the kind of a `serde_json::Value` for the readers' problem reports.
//! - [`error_member`]: the `error` text of an API error body (`{"error": "..."}`, docs/api.md).
//!
//! The readers themselves are serde_json's (layers, zones and incidents alike): the core has no
//! JSON value type or scanner of its own.

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

/// The `error` string member of an API error body such as `{"error": "bad cursor"}`
/// (read with the layers' JSON reader, so the bundle holds one); `None` for anything else.
pub fn error_member(text: &str) -> Option<String> {
    let v = crate::geojson_read::parse_text(text).ok()?;
    v.get("error")?.as_str().map(str::to_string)
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
    fn the_error_member_of_an_api_error() {
        assert_eq!(
            error_member(r#"{"error": "cursor is not one of this history's"}"#).as_deref(),
            Some("cursor is not one of this history's")
        );
        assert_eq!(error_member(r#"{"error": 3}"#), None);
        assert_eq!(error_member("<html>"), None);
        assert_eq!(error_member("[]"), None);
    }

    #[test]
    fn bare_non_finite_tokens_become_null() {
        assert_eq!(
            replace_non_finite_tokens("[1, NaN, -Infinity, \"NaN\", NaNa]").as_deref(),
            Some("[1, null, null, \"NaN\", NaNa]")
        );
        assert_eq!(replace_non_finite_tokens("[1, 2]"), None);
        assert_eq!(kind(&serde_json::json!([1])), "an array");
    }
}
