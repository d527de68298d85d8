//! Scale bar: a round ground length and its on-screen width.
//!
//! Input is ground metres per CSS px (see
//! [`Viewport::ground_metres_per_css_px`](super::viewport::Viewport::ground_metres_per_css_px));
//! output lengths are ground metres and widths are CSS px. The ground metres are those of
//! the one Earth model ([`earth`](super::earth), WGS84): the viewport converts with
//! [`ground_scale`](super::earth::ground_scale), the ellipsoid's scale along the parallel,
//! which is exactly what a horizontal bar measures.

/// A scale bar: `length_m` ground metres drawn `width_css` CSS px wide, labelled e.g. "2 km".
#[derive(Clone, Debug, PartialEq)]
pub struct ScaleBar {
    pub length_m: f64,
    pub width_css: f64,
    pub label: String,
}

/// The largest `{1, 2, 5} x 10^k` metres that fits in `max_width_css` CSS px.
///
/// `None` if either input is non-finite or not positive.
pub fn scale_bar(ground_m_per_css_px: f64, max_width_css: f64) -> Option<ScaleBar> {
    if !(ground_m_per_css_px.is_finite()
        && ground_m_per_css_px > 0.0
        && max_width_css.is_finite()
        && max_width_css > 0.0)
    {
        return None;
    }
    let max_len = ground_m_per_css_px * max_width_css;
    if !max_len.is_finite() || max_len <= 0.0 {
        return None;
    }
    let k0 = max_len.log10().floor();
    if !k0.is_finite() {
        return None;
    }
    let k0 = k0 as i32;
    // Try the decade above as well, in case log10 rounded down at an exact power of ten.
    let mut best: Option<f64> = None;
    for k in (k0 - 1)..=(k0 + 1) {
        for m in [1.0, 2.0, 5.0] {
            let len = nice(m, k);
            // Small relative tolerance so 1000 m fits exactly 1000 m of room.
            if len <= max_len * (1.0 + 1e-12) && best.is_none_or(|b| len > b) {
                best = Some(len);
            }
        }
    }
    let length_m = best?;
    Some(ScaleBar {
        length_m,
        width_css: length_m / ground_m_per_css_px,
        label: format_length(length_m),
    })
}

/// `m * 10^k`, computed so that negative `k` stays exact-ish (`5 / 10` rather than `5 * 0.1`).
fn nice(m: f64, k: i32) -> f64 {
    if k >= 0 {
        m * 10f64.powi(k)
    } else {
        m / 10f64.powi(-k)
    }
}

/// "50 m", "500 m", "2 km", "0.5 m".
pub fn format_length(length_m: f64) -> String {
    if length_m >= 1000.0 {
        format!("{} km", format_number(length_m / 1000.0))
    } else {
        format!("{} m", format_number(length_m))
    }
}

fn format_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{:.0}", v.round())
    } else {
        let s = format!("{v:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}
