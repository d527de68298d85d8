//! The display mode the page starts in and keeps (issue 14 item 1, and its follow-up: the
//! tablet layout follows the device). `?mode=desk|wall|tablet` forces a mode for the page's
//! life (an unknown value is shown and the desk is used); without it a touch tablet
//! (`env::TABLET_MEDIA`: a coarse pointer on a window 768–1366 CSS px wide) gets the tablet
//! layout and any other screen the desk's, and the layout follows the device: when the window
//! crosses the band (a rotation, split screen, a resize) a `MediaQueryList` change listener
//! switches `AppState::mode` between desk and tablet without a reload. The app state keeps the
//! view, layers, filters, selection and open sheet across the switch; `lib.rs` rebuilds the
//! panels under the new mode as it does for a language switch.
//!
//! Units: none (a choice); the band is CSS px of the window, inside the media query.

use leptos::prelude::*;

use crate::core::display::{DisplayMode, UnknownMode};
use crate::env::{TABLET_MEDIA, media_listener, query_param};
use crate::state::AppState;

/// The mode at start and whether it follows the device.
#[derive(Clone, Debug, PartialEq)]
pub struct StartMode {
    pub mode: DisplayMode,
    /// A `?mode=` value that names no mode (the desk is used, the panels say so).
    pub problem: Option<UnknownMode>,
    /// No `?mode=`: the layout follows the device ([`follow_device`]).
    pub follows: bool,
}

/// The mode of `query` (`?mode=`'s value, `None` when absent) on a device that is
/// (`touch_tablet`) or is not a touch tablet.
pub fn mode_for(query: Option<&str>, touch_tablet: bool) -> StartMode {
    match DisplayMode::from_query(query) {
        Ok(_) if query.is_none() => StartMode {
            mode: device_layout(touch_tablet),
            problem: None,
            follows: true,
        },
        Ok(mode) => StartMode {
            mode,
            problem: None,
            follows: false,
        },
        Err(e) => StartMode {
            mode: DisplayMode::Desk,
            problem: Some(e),
            follows: false,
        },
    }
}

/// The layout a device gets without `?mode=`.
fn device_layout(touch_tablet: bool) -> DisplayMode {
    if touch_tablet {
        DisplayMode::Tablet
    } else {
        DisplayMode::Desk
    }
}

/// The page's mode at start, from its address and the device.
pub fn start_mode() -> StartMode {
    mode_for(
        query_param("mode").as_deref(),
        crate::env::is_touch_tablet(),
    )
}

/// When `start.follows`, switches `state.mode` between desk and tablet as the window enters or
/// leaves [`TABLET_MEDIA`]; the listener is removed when the calling component is cleaned up.
pub fn follow_device(state: AppState, start: &StartMode) {
    if !start.follows {
        return;
    }
    let Some(listener) = media_listener(TABLET_MEDIA, move |tablet| {
        let mode = device_layout(tablet);
        if state.mode.try_get_untracked().is_some_and(|m| m != mode) {
            state.mode.set(mode);
            // The map's size is the window's: fit it now (the scale stays 1 at desk and tablet).
            state.fit_to_window();
        }
    }) else {
        return;
    };
    let listener = send_wrapper::SendWrapper::new(listener);
    on_cleanup(move || drop(listener.take()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_mode_the_device_decides_and_is_followed() {
        let tablet = mode_for(None, true);
        assert_eq!((tablet.mode, tablet.follows), (DisplayMode::Tablet, true));
        let desk = mode_for(None, false);
        assert_eq!((desk.mode, desk.follows), (DisplayMode::Desk, true));
        assert_eq!(desk.problem, None);
    }

    #[test]
    fn a_mode_in_the_address_is_forced_and_never_followed() {
        for (q, mode) in [
            ("tablet", DisplayMode::Tablet),
            ("desk", DisplayMode::Desk),
            ("wall", DisplayMode::Wall),
            ("", DisplayMode::Desk),
        ] {
            for touch in [false, true] {
                let s = mode_for(Some(q), touch);
                assert_eq!(
                    (s.mode, s.follows, &s.problem),
                    (mode, false, &None),
                    "{q:?}"
                );
            }
        }
        let bad = mode_for(Some("kiosk"), true);
        assert_eq!((bad.mode, bad.follows), (DisplayMode::Desk, false));
        assert_eq!(bad.problem, Some(UnknownMode("kiosk".into())));
    }
}
