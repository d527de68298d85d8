//! The display mode: how the one app presents itself. No units (a choice, not a quantity),
//! except [`DisplayMode::scale`]: screen CSS px per CSS px of the map and the type.
//!
//! * `desk` (the default): the operator's desktop, panels and mouse.
//! * `wall`: the video wall in the Calais centre (issue 13: kiosk layout, tours, several screens).
//! * `tablet`: officers' tablets in the field (issue 14: touch, bottom sheets, offline).
//!
//! The page picks it from `?mode=` (and, later, config); panels and layers read it from the app
//! state. An unknown value is an error the shell shows, and the desk mode is used.

/// The wall's root font size as a fraction of the screen's width (`0.84vw` in the CSS).
pub const WALL_ROOT_FONT_PER_WIDTH: f64 = 0.0084;
/// The desk's root font size, CSS px.
pub const DESK_ROOT_FONT_PX: f64 = 15.0;

/// How the app presents itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DisplayMode {
    #[default]
    Desk,
    Wall,
    Tablet,
}

/// A `?mode=` value that names no display mode (the value as given, cut to 40 characters).
#[derive(thiserror::Error, Clone, Debug, PartialEq, Eq)]
#[error("unknown display mode {0:?}")]
pub struct UnknownMode(pub String);

impl DisplayMode {
    /// Every mode, in the order of [`DisplayMode::key`]'s documentation.
    pub const ALL: [DisplayMode; 3] = [DisplayMode::Desk, DisplayMode::Wall, DisplayMode::Tablet];

    /// Wire key: "desk", "wall", "tablet" (the `?mode=` values and `data-mode`).
    pub fn key(self) -> &'static str {
        match self {
            DisplayMode::Desk => "desk",
            DisplayMode::Wall => "wall",
            DisplayMode::Tablet => "tablet",
        }
    }

    /// How many of the screen's CSS px one CSS px of the map and the type is drawn with, for a
    /// screen `width_css` CSS px wide: 1 at the desk and on tablets; on the wall the type and
    /// the map's symbols grow with the screen so that they are read from metres away: the
    /// wall's root font is [`WALL_ROOT_FONT_PER_WIDTH`] of the width (assets/style.css; 32 CSS
    /// px at 3840), `scale` is that over the desk's 15 px (never below 1): 2.15 at 3840.
    pub fn scale(self, width_css: f64) -> f64 {
        match self {
            DisplayMode::Wall if width_css.is_finite() => {
                (width_css * WALL_ROOT_FONT_PER_WIDTH / DESK_ROOT_FONT_PX).max(1.0)
            }
            _ => 1.0,
        }
    }

    /// How far from a feature a tap or click still hits it, CSS px of the map: a finger on a
    /// tablet is about 44 CSS px wide, so 22 px (its radius); a mouse at the desk and the wall
    /// 12 px.
    pub fn tap_tolerance_css(self) -> f64 {
        match self {
            DisplayMode::Tablet => 22.0,
            DisplayMode::Desk | DisplayMode::Wall => 12.0,
        }
    }

    /// The mode a `?mode=` value names: absent or empty is the desk; the match is exact
    /// after trimming white space and ignoring ASCII case.
    pub fn from_query(value: Option<&str>) -> Result<DisplayMode, UnknownMode> {
        let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
            return Ok(DisplayMode::Desk);
        };
        DisplayMode::ALL
            .into_iter()
            .find(|m| m.key().eq_ignore_ascii_case(v))
            .ok_or_else(|| UnknownMode(v.chars().take(40).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wall_scales_with_the_screen() {
        assert_eq!(DisplayMode::Desk.scale(3840.0), 1.0);
        assert_eq!(DisplayMode::Tablet.scale(3840.0), 1.0);
        assert!((DisplayMode::Wall.scale(3840.0) - 2.1504).abs() < 1e-9);
        assert_eq!(DisplayMode::Wall.scale(1280.0), 1.0);
        assert_eq!(DisplayMode::Wall.scale(f64::NAN), 1.0);
        assert_eq!(DisplayMode::Tablet.tap_tolerance_css(), 22.0);
        assert_eq!(DisplayMode::Desk.tap_tolerance_css(), 12.0);
    }

    #[test]
    fn modes_from_the_query() {
        assert_eq!(DisplayMode::from_query(None), Ok(DisplayMode::Desk));
        assert_eq!(DisplayMode::from_query(Some("")), Ok(DisplayMode::Desk));
        assert_eq!(DisplayMode::from_query(Some("wall")), Ok(DisplayMode::Wall));
        assert_eq!(
            DisplayMode::from_query(Some(" Tablet ")),
            Ok(DisplayMode::Tablet)
        );
        assert_eq!(DisplayMode::from_query(Some("desk")), Ok(DisplayMode::Desk));
        assert_eq!(
            DisplayMode::from_query(Some("kiosk")),
            Err(UnknownMode("kiosk".into()))
        );
        let long = "x".repeat(100);
        assert_eq!(
            DisplayMode::from_query(Some(&long)),
            Err(UnknownMode("x".repeat(40)))
        );
        for m in DisplayMode::ALL {
            assert_eq!(DisplayMode::from_query(Some(m.key())), Ok(m));
        }
    }
}
