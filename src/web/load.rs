//! Fetching the config and the layers (browser `fetch` through gloo-net).
//!
//! This module only moves text: parsing and validation are the core's (`core::config`,
//! `core::ingest`). Every failure becomes a message that names the URL and the problem.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use gloo_net::http::Request;
use web_sys::RequestCache;

use crate::core::config::{Config, parse_config};
use crate::core::ingest::ingest_layer;
use crate::core::model::LayerId;
use crate::state::LayerState;

/// Data versions key the renderer's caches; every successful load gets a new one.
static NEXT_VERSION: AtomicU64 = AtomicU64::new(1);

/// GETs `url` as text; HTTP errors are errors (with the status), not empty layers.
pub async fn fetch_text(url: &str) -> Result<String, String> {
    let response = Request::get(url)
        // Revalidate with the server each time: the data layers change under us.
        .cache(RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| format!("could not load {url}: {e}"))?;
    if !response.ok() {
        let status = response.status();
        let text = response.status_text();
        return Err(format!("could not load {url}: HTTP {status} {text}")
            .trim_end()
            .to_string());
    }
    response
        .text()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))
}

/// Loads and validates the config.
pub async fn load_config(url: String) -> Result<Config, String> {
    let text = fetch_text(&url).await?;
    parse_config(&text).map_err(|e| format!("{url}: {e}"))
}

/// Loads one layer once the config is known (`None`: still loading).
/// A config that failed to load falls back to the defaults (its banner says so).
pub async fn load_layer(id: LayerId, config: Option<Result<Config, String>>) -> LayerState {
    let Some(config) = config else {
        return LayerState::Loading;
    };
    let config = config.unwrap_or_default();
    let url = config.layers.get(id).to_string();
    match fetch_text(&url).await {
        Err(message) => LayerState::Failed { message },
        Ok(text) => match ingest_layer(id, &text, &config.properties) {
            Ok(data) => LayerState::Loaded {
                data: Arc::new(data),
                version: NEXT_VERSION.fetch_add(1, Ordering::Relaxed),
            },
            Err(e) => LayerState::Failed {
                message: format!("{url}: {e}"),
            },
        },
    }
}

/// The `?config=` parameter, accepted only as a same-origin relative path.
pub fn config_url_from_query(query: &str) -> Result<String, String> {
    const DEFAULT: &str = "public/config.json";
    let Some(value) = query_param(query, "config") else {
        return Ok(DEFAULT.to_string());
    };
    let lower = value.to_ascii_lowercase();
    if value.is_empty()
        || lower.contains("://")
        || value.starts_with("//")
        || lower.starts_with("javascript:")
        || lower.starts_with("data:")
        || value.contains('\\')
    {
        return Err(format!(
            "?config={value} ignored: only a relative path on this server is allowed"
        ));
    }
    Ok(value)
}

/// Reads `name` from a `?a=b&c` query string (percent-decoding `%XX` and `+`).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k) == name).then(|| percent_decode(v))
        })
        .next()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_param_defaults_and_decodes() {
        assert_eq!(config_url_from_query("").unwrap(), "public/config.json");
        assert_eq!(
            config_url_from_query("?perf").unwrap(),
            "public/config.json"
        );
        assert_eq!(
            config_url_from_query("?perf&config=%2Ffixtures%2Fconfigs%2Fbad.json").unwrap(),
            "/fixtures/configs/bad.json"
        );
    }

    #[test]
    fn config_param_rejects_other_origins() {
        for q in [
            "?config=https://evil.example/c.json",
            "?config=//evil.example/c.json",
            "?config=javascript:alert(1)",
            "?config=",
        ] {
            assert!(config_url_from_query(q).is_err(), "{q}");
        }
    }

    #[test]
    fn percent_decoding_keeps_bad_escapes() {
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("a%zz"), "a%zz");
        assert_eq!(percent_decode("a+b%41"), "a bA");
    }
}
