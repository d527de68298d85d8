//! The security headers every answer carries (issue 15 item 1): the build's Content Security
//! Policy, `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer`.
//!
//! The policy is not computed here: the app's build computes it from its own `config.json`
//! (`scripts/csp-build.mjs`) and writes it, with `frame-ancestors`, to
//! `security-headers.json` beside `index.html`; the server reads that file from `--static` at
//! start, so the header is the same policy as the built page's `<meta>` tag. A static directory
//! without the file (not a release build) still gets the two other headers, and a warning.

use std::path::Path;

use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;

/// The file the build writes beside `index.html`.
pub const FILE: &str = "security-headers.json";

/// The headers sent with every answer, in the file's order.
#[derive(Clone, Debug, Default)]
pub struct Headers(Vec<(HeaderName, HeaderValue)>);

impl Headers {
    /// Always sent, whatever the file says.
    fn baseline() -> Self {
        Headers(vec![
            (
                HeaderName::from_static("x-content-type-options"),
                HeaderValue::from_static("nosniff"),
            ),
            (
                HeaderName::from_static("referrer-policy"),
                HeaderValue::from_static("no-referrer"),
            ),
        ])
    }

    /// The headers for the build in `static_dir`: its `security-headers.json` (a JSON object of
    /// header names to string values) over the baseline; the baseline alone without the file.
    pub fn load(static_dir: &Path) -> Result<Self, String> {
        let path = static_dir.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Self::baseline());
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The baseline with the JSON object's headers added or replacing it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let obj = value.as_object().ok_or("not a JSON object")?;
        let mut h = Self::baseline();
        for (k, v) in obj {
            let name =
                HeaderName::try_from(k.as_str()).map_err(|_| format!("bad header name {k:?}"))?;
            let text = v.as_str().ok_or_else(|| format!("{k}: not a string"))?;
            let value =
                HeaderValue::try_from(text).map_err(|_| format!("{k}: bad header value"))?;
            h.0.retain(|(n, _)| n != name);
            h.0.push((name, value));
        }
        Ok(h)
    }

    /// Whether a Content-Security-Policy is among them.
    pub fn has_policy(&self) -> bool {
        self.0.iter().any(|(n, _)| n == "content-security-policy")
    }

    /// Sets them on an answer (replacing any of the same name).
    pub fn apply(&self, mut r: Response) -> Response {
        let h = r.headers_mut();
        for (n, v) in &self.0 {
            h.insert(n.clone(), v.clone());
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_adds_the_policy_over_the_baseline() {
        let h = Headers::parse(
            r#"{"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
                "Referrer-Policy": "strict-origin"}"#,
        )
        .unwrap();
        assert!(h.has_policy());
        let r = h.apply(Response::new(axum::body::Body::empty()));
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        assert_eq!(r.headers()["referrer-policy"], "strict-origin");
        assert_eq!(
            r.headers()["content-security-policy"],
            "default-src 'self'; frame-ancestors 'none'"
        );
    }

    #[test]
    fn bad_files_are_refused_with_the_reason() {
        assert!(Headers::parse("[]").unwrap_err().contains("object"));
        assert!(
            Headers::parse(r#"{"a b": "x"}"#)
                .unwrap_err()
                .contains("name")
        );
        assert!(
            Headers::parse(r#"{"x": 1}"#)
                .unwrap_err()
                .contains("string")
        );
        assert!(
            Headers::parse(r#"{"x": "a\nb"}"#)
                .unwrap_err()
                .contains("value")
        );
    }

    #[test]
    fn a_missing_file_gives_the_baseline() {
        let h = Headers::load(Path::new("/nonexistent-calais")).unwrap();
        assert!(!h.has_policy());
        assert_eq!(h.0.len(), 2);
    }
}
