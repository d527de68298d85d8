//! The device's position from the browser's Geolocation API (floor 0), asked only when the
//! officer taps "Where am I": one `getCurrentPosition` per tap (high accuracy, a 15 s timeout, a
//! fix at most 10 s old), never a watch and never a retry by itself, so a refused permission is
//! asked again only by another tap (and the browser remembers a refusal without a prompt).
//!
//! The two callbacks are the `resolve` and `reject` functions of a JS `Promise` awaited here,
//! so no Rust closure outlives the answer. The answer's fields are read through `Reflect`:
//! web-sys types `GeolocationPosition` and its error only behind `web_sys_unstable_apis`. Units: WGS84 degrees; the accuracy is the API's, a
//! radius in ground metres (95 % confidence).

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use web_sys::PositionOptions;

use crate::core::units::LonLat;

/// How long the browser may take to find the position, ms.
pub const TIMEOUT_MS: u32 = 15_000;
/// The oldest position the browser may answer with, ms.
pub const MAX_AGE_MS: u32 = 10_000;

/// A position of the device.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeviceFix {
    pub at: LonLat,
    /// Radius of the area the device is in, ground metres (95 % confidence).
    pub accuracy_m: f64,
}

/// Why there is no position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LocateError {
    /// The browser has no Geolocation API (or not on this insecure page).
    Unsupported,
    /// The officer or the browser's settings refused the permission.
    Denied,
    /// The device could not find where it is (no satellite or network fix).
    Unavailable,
    /// No position within [`TIMEOUT_MS`].
    Timeout,
    /// The browser answered with coordinates that are not a position.
    Invalid,
}

/// Asks the browser once for the device's position.
pub async fn locate() -> Result<DeviceFix, LocateError> {
    let geo = web_sys::window()
        .and_then(|w| w.navigator().geolocation().ok())
        .ok_or(LocateError::Unsupported)?;
    let options = PositionOptions::new();
    options.set_enable_high_accuracy(true);
    options.set_timeout(TIMEOUT_MS);
    options.set_maximum_age(MAX_AGE_MS);
    let mut asked = Ok(());
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        asked = geo.get_current_position_with_error_callback_and_options(
            &resolve,
            Some(&reject),
            &options,
        );
    });
    asked.map_err(|_| LocateError::Unsupported)?;
    match JsFuture::from(promise).await {
        Ok(v) => fix(&v),
        Err(e) => Err(error(&e)),
    }
}

/// A number member of a JS object (`NaN` when missing).
fn number(v: &JsValue, key: &str) -> f64 {
    Reflect::get(v, &JsValue::from_str(key))
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(f64::NAN)
}

/// A `GeolocationPosition` to a fix.
fn fix(v: &JsValue) -> Result<DeviceFix, LocateError> {
    let c = Reflect::get(v, &JsValue::from_str("coords")).map_err(|_| LocateError::Invalid)?;
    let at =
        LonLat::new(number(&c, "longitude"), number(&c, "latitude")).ok_or(LocateError::Invalid)?;
    let accuracy_m = number(&c, "accuracy");
    if !(accuracy_m.is_finite() && accuracy_m >= 0.0) {
        return Err(LocateError::Invalid);
    }
    Ok(DeviceFix { at, accuracy_m })
}

/// A `GeolocationPositionError`'s code: 1 permission denied, 2 position unavailable, 3 timeout.
fn error(e: &JsValue) -> LocateError {
    match number(e, "code") as i32 {
        1 => LocateError::Denied,
        3 => LocateError::Timeout,
        _ => LocateError::Unavailable,
    }
}
