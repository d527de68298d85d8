//! Where am I (issue 14 item 2): the device's position as a dot in a ring, inside its accuracy
//! circle, drawn on the screen canvas (like the selection; the layer is
//! `layers::DevicePositionLayer`) so that it follows the view during a pan or zoom.
//!
//! Units: the position is EPSG:3857 metres and the accuracy a radius in ground metres, turned
//! into EPSG:3857 metres by the WGS84 parallel scale at the position's latitude
//! (`core::earth::ground_scale`); both are projected through the [`Viewport`] to CSS px and
//! multiplied by the device pixel ratio (the screen bitmap is device px); sizes below are CSS px.

use web_sys::CanvasRenderingContext2d;

use crate::core::earth::ground_scale;
use crate::core::projection::to_mercator;
use crate::core::units::{LonLat, Mercator};
use crate::core::viewport::Viewport;

/// What to draw.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeviceMark {
    pub at: Mercator,
    /// The accuracy circle's radius, EPSG:3857 metres.
    pub radius_m: f64,
}

impl DeviceMark {
    /// The mark of a position `at` known to `accuracy_m` ground metres.
    pub fn new(at: LonLat, accuracy_m: f64) -> DeviceMark {
        let scale = ground_scale(at.lat);
        let radius_m = if scale > 0.0 && accuracy_m.is_finite() {
            accuracy_m.max(0.0) / scale
        } else {
            0.0
        };
        DeviceMark {
            at: to_mercator(at),
            radius_m,
        }
    }
}

/// The position's colours: a blue dot in a white ring on a dark casing, the accuracy circle a
/// translucent blue with a blue edge (apart from the cameras' cyan and the incidents' ramp).
const DOT: &str = "#2f7dff";
const RING: &str = "#ffffff";
const CASING: &str = "rgba(6,12,20,0.92)";
const AREA_FILL: &str = "rgba(47,125,255,0.16)";
const AREA_EDGE: &str = "rgba(120,170,255,0.9)";

/// Dot radius, CSS px.
const DOT_PX: f64 = 7.0;

/// Draws `mark` on `ctx` for `view`.
pub fn draw(ctx: &CanvasRenderingContext2d, view: &Viewport, mark: &DeviceMark) {
    let dpr = view.dpr();
    let (x, y) = view.world_to_screen(mark.at);
    let (x, y) = (x * dpr, y * dpr);
    let r = mark.radius_m / view.mercator_per_css_px() * dpr;
    let tau = std::f64::consts::TAU;
    ctx.save();
    if r.is_finite() && r > DOT_PX * dpr {
        ctx.begin_path();
        let _ = ctx.arc(x, y, r, 0.0, tau);
        ctx.set_fill_style_str(AREA_FILL);
        ctx.fill();
        ctx.set_stroke_style_str(AREA_EDGE);
        ctx.set_line_width(1.5 * dpr);
        ctx.stroke();
    }
    ctx.begin_path();
    let _ = ctx.arc(x, y, DOT_PX * dpr, 0.0, tau);
    ctx.set_fill_style_str(DOT);
    ctx.fill();
    for (colour, width) in [(CASING, 5.0), (RING, 2.5)] {
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(width * dpr);
        ctx.stroke();
    }
    ctx.restore();
}
