//! Pointer gestures: drag to pan, two-finger pinch/pan, tap; plus wheel and key mapping.
//!
//! Pure logic, no web types, so it is tested natively. Units: CSS px relative to the map
//! canvas' top-left corner; times in ms. The map component feeds it pointer events and applies
//! the returned [`Action`]s to the view.

/// What a pointer event asks of the view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Action {
    None,
    /// Move the content by (dx, dy) CSS px.
    Pan {
        dx: f64,
        dy: f64,
    },
    /// Move the content by (dx, dy), then zoom by `dz` levels anchored at (ax, ay).
    PanZoom {
        dx: f64,
        dy: f64,
        dz: f64,
        ax: f64,
        ay: f64,
    },
    /// A tap or click that did not move: select what is under (x, y).
    Tap {
        x: f64,
        y: f64,
    },
}

/// A press that moves less than this (CSS px) and lasts less than [`TAP_MS`] is a tap.
pub const TAP_SLOP_PX: f64 = 8.0;
pub const TAP_MS: f64 = 600.0;

#[derive(Clone, Copy, Debug)]
struct Pointer {
    id: i32,
    x: f64,
    y: f64,
}

/// Tracks the pointers that are down.
#[derive(Debug, Default)]
pub struct Gestures {
    pointers: Vec<Pointer>,
    start: Option<(f64, f64, f64)>,
    travelled: f64,
    was_multi: bool,
}

impl Gestures {
    pub fn active(&self) -> usize {
        self.pointers.len()
    }

    pub fn down(&mut self, id: i32, x: f64, y: f64, t_ms: f64) {
        self.pointers.retain(|p| p.id != id);
        self.pointers.push(Pointer { id, x, y });
        if self.pointers.len() == 1 {
            self.start = Some((x, y, t_ms));
            self.travelled = 0.0;
            self.was_multi = false;
        } else {
            self.was_multi = true;
        }
    }

    fn centroid_and_spread(&self) -> Option<((f64, f64), f64)> {
        match self.pointers.as_slice() {
            [a, b, ..] => Some((
                ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0),
                ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt(),
            )),
            _ => None,
        }
    }

    pub fn moved(&mut self, id: i32, x: f64, y: f64) -> Action {
        let before = self.centroid_and_spread();
        let Some(idx) = self.pointers.iter().position(|p| p.id == id) else {
            return Action::None;
        };
        let old = self.pointers[idx];
        self.pointers[idx].x = x;
        self.pointers[idx].y = y;
        self.travelled += ((x - old.x).powi(2) + (y - old.y).powi(2)).sqrt();
        // Only the first two pointers steer a pinch.
        if idx > 1 {
            return Action::None;
        }
        match (before, self.centroid_and_spread()) {
            (Some((c0, d0)), Some((c1, d1))) => {
                let dz = if d0 > 1.0 && d1 > 1.0 {
                    (d1 / d0).log2()
                } else {
                    0.0
                };
                Action::PanZoom {
                    dx: c1.0 - c0.0,
                    dy: c1.1 - c0.1,
                    dz,
                    ax: c1.0,
                    ay: c1.1,
                }
            }
            _ => Action::Pan {
                dx: x - old.x,
                dy: y - old.y,
            },
        }
    }

    pub fn up(&mut self, id: i32, x: f64, y: f64, t_ms: f64) -> Action {
        let known = self.pointers.iter().any(|p| p.id == id);
        self.pointers.retain(|p| p.id != id);
        if !known || !self.pointers.is_empty() {
            return Action::None;
        }
        let tap = match self.start.take() {
            Some((_, _, t0)) => {
                !self.was_multi && self.travelled <= TAP_SLOP_PX && t_ms - t0 <= TAP_MS
            }
            None => false,
        };
        if tap {
            Action::Tap { x, y }
        } else {
            Action::None
        }
    }

    /// A cancelled pointer (e.g. the browser took over the touch) ends without a tap.
    pub fn cancel(&mut self, id: i32) {
        self.pointers.retain(|p| p.id != id);
        if self.pointers.is_empty() {
            self.start = None;
        }
    }
}

/// Wheel delta to zoom levels. `mode`: 0 pixels, 1 lines, 2 pages (DOM WheelEvent.deltaMode).
pub fn wheel_zoom_delta(delta_y: f64, mode: u32) -> f64 {
    let px = match mode {
        1 => delta_y * 40.0,
        2 => delta_y * 800.0,
        _ => delta_y,
    };
    if !px.is_finite() {
        return 0.0;
    }
    (-px / 250.0).clamp(-1.0, 1.0)
}

/// What a key press on the map does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum KeyAction {
    Pan { dx: f64, dy: f64 },
    Zoom(f64),
    Close,
}

/// Arrow keys pan by this many CSS px.
pub const KEY_PAN_PX: f64 = 120.0;

pub fn key_action(key: &str) -> Option<KeyAction> {
    Some(match key {
        "ArrowLeft" => KeyAction::Pan {
            dx: KEY_PAN_PX,
            dy: 0.0,
        },
        "ArrowRight" => KeyAction::Pan {
            dx: -KEY_PAN_PX,
            dy: 0.0,
        },
        "ArrowUp" => KeyAction::Pan {
            dx: 0.0,
            dy: KEY_PAN_PX,
        },
        "ArrowDown" => KeyAction::Pan {
            dx: 0.0,
            dy: -KEY_PAN_PX,
        },
        "+" | "=" | "Add" => KeyAction::Zoom(1.0),
        "-" | "_" | "Subtract" => KeyAction::Zoom(-1.0),
        "Escape" => KeyAction::Close,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drag_pans_by_the_pointer_delta() {
        let mut g = Gestures::default();
        g.down(1, 100.0, 100.0, 0.0);
        assert_eq!(
            g.moved(1, 130.0, 90.0),
            Action::Pan {
                dx: 30.0,
                dy: -10.0
            }
        );
        assert_eq!(
            g.up(1, 130.0, 90.0, 200.0),
            Action::None,
            "a drag is no tap"
        );
    }

    #[test]
    fn short_still_press_is_a_tap() {
        let mut g = Gestures::default();
        g.down(1, 50.0, 60.0, 0.0);
        g.moved(1, 52.0, 61.0);
        assert_eq!(g.up(1, 52.0, 61.0, 120.0), Action::Tap { x: 52.0, y: 61.0 });
        g.down(1, 50.0, 60.0, 1000.0);
        assert_eq!(g.up(1, 50.0, 60.0, 1000.0 + TAP_MS + 1.0), Action::None);
    }

    #[test]
    fn pinch_out_zooms_in_at_the_centroid() {
        let mut g = Gestures::default();
        g.down(1, 100.0, 100.0, 0.0);
        g.down(2, 200.0, 100.0, 10.0);
        // Second finger moves right: spread 100 -> 200 px, one zoom level.
        match g.moved(2, 300.0, 100.0) {
            Action::PanZoom { dx, dy, dz, ax, ay } => {
                assert!((dz - 1.0).abs() < 1e-12);
                assert_eq!((dx, dy), (50.0, 0.0));
                assert_eq!((ax, ay), (200.0, 100.0));
            }
            other => panic!("expected a pinch, got {other:?}"),
        }
        assert_eq!(g.up(2, 300.0, 100.0, 50.0), Action::None);
        assert_eq!(
            g.up(1, 100.0, 100.0, 60.0),
            Action::None,
            "a pinch is no tap"
        );
    }

    #[test]
    fn two_finger_drag_pans_without_zoom() {
        let mut g = Gestures::default();
        g.down(1, 100.0, 100.0, 0.0);
        g.down(2, 200.0, 100.0, 0.0);
        // Both fingers move down 40 px, one event each: the zooms cancel, the pans add up.
        let (mut total_dy, mut total_dz) = (0.0, 0.0);
        for action in [g.moved(1, 100.0, 140.0), g.moved(2, 200.0, 140.0)] {
            match action {
                Action::PanZoom { dy, dz, .. } => {
                    total_dy += dy;
                    total_dz += dz;
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(total_dz.abs() < 1e-12, "{total_dz}");
        assert!((total_dy - 40.0).abs() < 1e-12, "{total_dy}");
    }

    #[test]
    fn unknown_pointers_are_ignored() {
        let mut g = Gestures::default();
        assert_eq!(g.moved(7, 1.0, 1.0), Action::None);
        assert_eq!(g.up(7, 1.0, 1.0, 0.0), Action::None);
        g.cancel(7);
        assert_eq!(g.active(), 0);
    }

    #[test]
    fn wheel_and_keys() {
        assert!(wheel_zoom_delta(-100.0, 0) > 0.0, "wheel up zooms in");
        assert!(wheel_zoom_delta(3.0, 1) < 0.0);
        assert_eq!(wheel_zoom_delta(f64::NAN, 0), 0.0);
        assert_eq!(wheel_zoom_delta(-1e9, 0), 1.0);
        assert_eq!(key_action("+"), Some(KeyAction::Zoom(1.0)));
        assert_eq!(key_action("-"), Some(KeyAction::Zoom(-1.0)));
        assert_eq!(key_action("q"), None);
    }
}
