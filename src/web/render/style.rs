//! The map's palette and sizes: dark, high contrast, readable on a video wall.
//!
//! Sizes are CSS px; the renderer multiplies them by the device pixel ratio. Colours are CSS
//! strings shared with the legend (assets/style.css uses the same values).

use crate::core::model::{FenceKind, PortKind};

/// Sea and land: told apart at a glance, a WCAG contrast ratio of 3.1:1 (issue 14 item 8; it
/// was 1.25:1), still a dark map. Checked by `tests/map_style.rs` from these values and by
/// `tests/e2e/map-drawn.test.mjs` from the drawn pixels. What sits on the land keeps its own
/// contrast: labels with their dark halo (5.97:1 without it), fences over a dark casing.
pub const SEA: &str = "#040910";
pub const LAND: &str = "#55606c";
pub const COAST: &str = "#6f9cc4";
pub const BORDER: &str = "#b9a3e3";
pub const REGION_EDGE: &str = "rgba(255,255,255,0.08)";

pub const CAMERA: &str = "#4dd0ff";
pub const CAMERA_SECTOR_FILL: &str = "rgba(77,208,255,0.16)";
pub const CAMERA_SECTOR_STROKE: &str = "rgba(77,208,255,0.65)";
pub const CAMERA_CLUSTER_FILL: &str = "rgba(77,208,255,0.30)";

pub const LABEL: &str = "#f4f7fb";
pub const LABEL_HALO: &str = "rgba(6,12,20,0.92)";
pub const HIGHLIGHT: &str = "#ffffff";

/// Label font size in CSS px.
pub const LABEL_PX: f64 = 13.0;
/// Width of the dark halo round label text, CSS px: on the desk, and on the wall, where labels
/// are drawn over the incident markers and read from across the room.
pub const LABEL_HALO_PX: f64 = 3.5;
pub const LABEL_HALO_WALL_PX: f64 = 6.0;

/// Fences: colour, line width (CSS px) and dash pattern (CSS px, empty = solid).
pub fn fence_style(kind: FenceKind) -> (&'static str, f64, &'static [f64]) {
    match kind {
        FenceKind::Fence => ("#ffb300", 2.5, &[]),
        FenceKind::Wall => ("#ff6b6b", 4.0, &[]),
        FenceKind::Gate => ("#3ee89a", 6.0, &[]),
        FenceKind::Other => ("#e0e0e0", 2.0, &[6.0, 4.0]),
    }
}

/// Geofencing zones: outline colour, fill and dash pattern (CSS px, empty = solid). Hues kept
/// apart from the fences (amber), cameras (cyan) and incidents (severity green → magenta).
pub fn zone_style(
    kind: crate::core::geofence::ZoneKind,
) -> (&'static str, &'static str, &'static [f64]) {
    use crate::core::geofence::ZoneKind;
    match kind {
        ZoneKind::Restricted => ("#ff5c8a", "rgba(255,92,138,0.10)", &[8.0, 5.0]),
        ZoneKind::Watch => ("#8fa8ff", "rgba(143,168,255,0.09)", &[]),
        ZoneKind::Approach => ("#c6f06a", "rgba(198,240,106,0.08)", &[3.0, 4.0]),
        ZoneKind::Other => ("#cfd8dc", "rgba(207,216,220,0.07)", &[]),
    }
}

/// Fence stretches no camera sees: a warning stripe over the fence.
pub const COVERAGE_GAP: &str = "#ff3d00";

/// Ports: icon colour and shape.
pub fn port_style(kind: PortKind) -> (&'static str, PortIcon) {
    match kind {
        PortKind::FerryPort => ("#ffffff", PortIcon::Anchor),
        PortKind::RailTerminal => ("#d09cff", PortIcon::Square),
        PortKind::TunnelPortal => ("#ff9e6b", PortIcon::Triangle),
        PortKind::Harbour => ("#8fe3ff", PortIcon::Circle),
        PortKind::Other => ("#cfd8dc", PortIcon::Circle),
    }
}

pub fn port_area_fill(kind: PortKind) -> &'static str {
    match kind {
        PortKind::RailTerminal => "rgba(208,156,255,0.14)",
        _ => "rgba(255,255,255,0.10)",
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortIcon {
    Anchor,
    Square,
    Triangle,
    Circle,
}
