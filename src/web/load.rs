//! Fetching the config, the layers and the OSTN15 grid file (browser `fetch` through gloo-net),
//! and what is known about each layer's data ([`LayerState`], held by `state::AppState`).
//!
//! This module only moves text: parsing and validation are the core's (`core::config`,
//! `core::ingest`). Every failure is a [`LoadError`] that names the URL and the problem as
//! values; `strings::messages::load_error` words it in the operator's language.
//!
//! Every body is read under a size cap (`core::limits`: the config's `limits` section; the
//! config itself under `limits::CONFIG_MAX_BYTES`): refused at once when its `Content-Length`
//! is over the cap, and cut (the stream cancelled) as soon as it grows past the cap without
//! one ([`read_capped`], which the feed's and the history's requests use too).
//! URLs are relative to the page; layer data is EPSG:3857 once ingested.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use gloo_net::http::{Request, Response};
use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, RequestCache};

use crate::core::config::{Config, ConfigError, parse_config};
use crate::core::geofence::ZoneFileError;
use crate::core::grids::ostn15::{GridFileError, Ostn15Grid};
use crate::core::ingest::{IngestError, ingest_layer};
use crate::core::limits::{Cap, CappedBody, Limits, TooLarge, check_declared};
use crate::core::model::{LayerData, LayerId};

/// What is known about one layer's data.
#[derive(Clone, Debug, PartialEq)]
pub enum LayerState {
    /// Not fetched yet (or the config is still loading).
    Loading,
    /// Loaded; `version` changes whenever the data does (it keys the renderer's caches).
    Loaded { data: Arc<LayerData>, version: u64 },
    /// Could not load at all (network, HTTP status, not JSON, not a FeatureCollection).
    Failed { error: LoadError },
}

/// Why a file (config, layer, zones) could not be used.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// The request failed (network, CORS, …); the browser's description.
    Unreachable { url: String, detail: String },
    /// The server answered with an error status.
    Http {
        url: String,
        status: u16,
        status_text: String,
    },
    /// The answer's body could not be read; the browser's description.
    Unreadable { url: String, detail: String },
    /// The config is not JSON or a field is invalid.
    Config { url: String, error: ConfigError },
    /// A layer's GeoJSON is unusable as a whole.
    Layer { url: String, error: IngestError },
    /// The zones file's GeoJSON is unusable as a whole.
    Zones { url: String, error: ZoneFileError },
    /// The body is larger than its cap (`limits` in the config): refused, not read.
    TooLarge {
        url: String,
        cap: Cap,
        refused: TooLarge,
    },
}

impl LayerState {
    pub fn data(&self) -> Option<&Arc<LayerData>> {
        match self {
            LayerState::Loaded { data, .. } => Some(data),
            _ => None,
        }
    }

    pub fn version(&self) -> u64 {
        match self {
            LayerState::Loaded { version, .. } => *version,
            _ => 0,
        }
    }

    pub fn is_settled(&self) -> bool {
        !matches!(self, LayerState::Loading)
    }
}

/// Data versions key the renderer's caches; every successful load gets a new one.
static NEXT_VERSION: AtomicU64 = AtomicU64::new(1);

/// GETs `url`; HTTP errors are errors (with the status), not empty answers.
async fn fetch_ok(url: &str) -> Result<gloo_net::http::Response, LoadError> {
    let response = Request::get(url)
        // Revalidate with the server each time: the data layers change under us.
        .cache(RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| LoadError::Unreachable {
            url: url.to_string(),
            detail: e.to_string(),
        })?;
    if !response.ok() {
        return Err(LoadError::Http {
            url: url.to_string(),
            status: response.status(),
            status_text: response.status_text(),
        });
    }
    Ok(response)
}

/// GETs `url` as text, at most `limits`' bytes for `cap`; HTTP errors are errors (with the
/// status), not empty layers.
pub async fn fetch_text(url: &str, cap: Cap, limits: &Limits) -> Result<String, LoadError> {
    let response = fetch_ok(url).await?;
    let limit = limits.bytes(cap);
    read_capped(&response, limit)
        .await
        .map_err(|cut| match cut {
            Cut::TooLarge(refused) => LoadError::TooLarge {
                url: url.to_string(),
                cap,
                refused,
            },
            Cut::Unreadable(detail) => LoadError::Unreadable {
                url: url.to_string(),
                detail,
            },
        })
}

/// Why a body was not read whole.
pub enum Cut {
    /// Over its cap (declared, or found while reading).
    TooLarge(TooLarge),
    /// The stream failed; the browser's description.
    Unreadable(String),
}

/// Reads `response`'s body as text (UTF-8, as `Response.text()` decodes it), refusing it
/// before reading if its `Content-Length` is over `limit` bytes, and cancelling the stream as
/// soon as more than `limit` bytes arrive.
pub async fn read_capped(response: &Response, limit: u64) -> Result<String, Cut> {
    let declared = response.headers().get("content-length");
    check_declared(declared.as_deref(), limit).map_err(Cut::TooLarge)?;
    if declared.is_some_and(|d| d.trim().parse::<u64>().is_ok()) {
        // A declared length within the cap (checked above): the browser reads the body whole
        // (`Response.text()`), as every file and most API answers come. A stream read here left
        // a request now and then reported as aborted (net::ERR_ABORTED) once its body was
        // read. A body that decodes to more than its cap (a compressed transfer) is still refused.
        let text = response
            .text()
            .await
            .map_err(|e| Cut::Unreadable(e.to_string()))?;
        if text.len() as u64 > limit {
            return Err(Cut::TooLarge(TooLarge {
                limit,
                declared: None,
            }));
        }
        return Ok(text);
    }
    // No declared length: read as it comes, cut past the cap.
    let mut body = CappedBody::new(limit, None);
    let Some(stream) = response.body() else {
        return Ok(body.into_text());
    };
    let unreadable = |e: wasm_bindgen::JsValue| Cut::Unreadable(format!("{e:?}"));
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(unreadable)?;
        if Reflect::get(&chunk, &"done".into()).map_or(true, |d| d.is_truthy()) {
            return Ok(body.into_text());
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(unreadable)?;
        let Some(bytes) = value.dyn_ref::<Uint8Array>() else {
            return Err(Cut::Unreadable("not bytes".to_string()));
        };
        if let Err(refused) = body.push(&bytes.to_vec()) {
            // Stop the download; the page keeps what it had.
            let _ = reader.cancel();
            return Err(Cut::TooLarge(refused));
        }
    }
}

/// Bytes copied from the browser into wasm memory per slice by [`read_capped_sliced`]
/// (about 2 ms each).
const COPY_SLICE: u32 = 4 << 20;

/// [`read_capped`] for a big body (the feed's snapshot, 36 MB for 100k incidents): with a
/// declared length the body is read as bytes (`Response.arrayBuffer()`) and copied into wasm
/// memory a slice at a time with the browser given the thread between slices, then decoded
/// as `Response.text()` decodes it (`CappedBody::into_text`). Copied at once as a JS string
/// (`Response.text()`), the snapshot's body blocked the page for 50–75 ms (issue 15 item 4).
/// Without a declared length it is read as it comes, as by [`read_capped`].
pub async fn read_capped_sliced(response: Response, limit: u64) -> Result<String, Cut> {
    let declared = response.headers().get("content-length");
    check_declared(declared.as_deref(), limit).map_err(Cut::TooLarge)?;
    if declared.is_none_or(|d| d.trim().parse::<u64>().is_err()) {
        return read_capped(&response, limit).await;
    }
    let unreadable = |e: wasm_bindgen::JsValue| Cut::Unreadable(format!("{e:?}"));
    let raw: web_sys::Response = response.into();
    let promise = raw.array_buffer().map_err(unreadable)?;
    let buffer = JsFuture::from(promise).await.map_err(unreadable)?;
    let bytes = Uint8Array::new(&buffer);
    let mut body = CappedBody::new(limit, None);
    let len = bytes.length();
    let mut at = 0;
    while at < len {
        let _m = crate::env::Measured::start("copy");
        let end = at.saturating_add(COPY_SLICE).min(len);
        body.push(&bytes.subarray(at, end).to_vec())
            .map_err(Cut::TooLarge)?;
        at = end;
        drop(_m);
        crate::env::yield_now().await;
    }
    let _m = crate::env::Measured::start("decode");
    Ok(body.into_text())
}

/// The OSTN15 grid file of the region (Kent and the Strait; `tools/ostn15-region`), relative to
/// the page like the layers; fetched at start beside them (`grids::Grids`).
pub const GRID_FILE_URL: &str = "public/data/ostn15-kent.bin";

/// Why the grid file is not there: the fetch (worded by `messages::load_error`) or the file.
#[derive(Clone, Debug, PartialEq)]
pub enum GridLoadError {
    /// Not fetched (network, HTTP status, unreadable body).
    Load(LoadError),
    /// Fetched but not an OSTN15 region file.
    File { url: String, error: GridFileError },
}

/// Fetches and reads the OSTN15 grid file.
pub async fn load_grid_file(url: &str) -> Result<Arc<Ostn15Grid>, GridLoadError> {
    let bytes = fetch_ok(url)
        .await
        .map_err(GridLoadError::Load)?
        .binary()
        .await
        .map_err(|e| {
            GridLoadError::Load(LoadError::Unreadable {
                url: url.to_string(),
                detail: e.to_string(),
            })
        })?;
    Ostn15Grid::parse(&bytes)
        .map(Arc::new)
        .map_err(|error| GridLoadError::File {
            url: url.to_string(),
            error,
        })
}

/// Loads and validates the config.
pub async fn load_config(url: String) -> Result<Config, LoadError> {
    let text = fetch_text(&url, Cap::Config, &Limits::default()).await?;
    parse_config(&text).map_err(|error| LoadError::Config { url, error })
}

/// Loads one layer once the config is known (`None`: still loading).
/// A config that failed to load falls back to the defaults (its banner says so).
pub async fn load_layer(id: LayerId, config: Option<Result<Config, LoadError>>) -> LayerState {
    let Some(config) = config else {
        return LayerState::Loading;
    };
    let config = config.unwrap_or_default();
    let url = config.layers.get(id).to_string();
    match fetch_text(&url, Cap::Layer, &config.limits).await {
        Err(error) => LayerState::Failed { error },
        Ok(text) => match ingest_layer(id, &text, &config.properties) {
            Ok(data) => LayerState::Loaded {
                data: Arc::new(data),
                version: NEXT_VERSION.fetch_add(1, Ordering::Relaxed),
            },
            Err(error) => LayerState::Failed {
                error: LoadError::Layer { url, error },
            },
        },
    }
}

/// The config URL from the `?config=` parameter's decoded value (`env::query_param`),
/// accepted only as a same-origin relative path; the default without one. The error is the
/// refused value (`strings::messages::config_param_refused` words it).
pub fn config_url(param: Option<String>) -> Result<String, String> {
    const DEFAULT: &str = "public/config.json";
    let Some(value) = param else {
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
        return Err(value);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_param_defaults_and_decodes() {
        assert_eq!(config_url(None).unwrap(), "public/config.json");
        assert_eq!(
            config_url(Some("/fixtures/configs/bad.json".into())).unwrap(),
            "/fixtures/configs/bad.json"
        );
    }

    #[test]
    fn config_param_rejects_other_origins() {
        for q in [
            "https://evil.example/c.json",
            "//evil.example/c.json",
            "javascript:alert(1)",
            "DATA:text/plain,x",
            "a\\b",
            "",
        ] {
            assert!(config_url(Some(q.into())).is_err(), "{q}");
        }
    }
}
