//! The display mode: how the one app presents itself. No units (a choice, not a quantity).
//!
//! * `desk` (the default): the operator's desktop, panels and mouse.
//! * `wall`: the video wall in the Calais centre (issue 13: kiosk layout, tours, several screens).
//! * `tablet`: officers' tablets in the field (issue 14: touch, bottom sheets, offline).
//!
//! The page picks it from `?mode=` (and, later, config); panels and layers read it from the app
//! state. An unknown value is an error the shell shows, and the desk mode is used.

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
