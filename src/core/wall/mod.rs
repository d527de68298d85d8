//! The video wall's pure half (issue 13): its configuration, the screens as one map, the tour
//! clock with its alert interrupts, the home view and the reload policy. The shell
//! (`?mode=wall`) feeds these the clock, the screen size and the feed's alerts, and draws what
//! they return.
//!
//! Units (each module states its own): clocks in milliseconds since the Unix epoch, durations in
//! milliseconds (seconds in the config), positions in EPSG:3857 metres (degrees WGS84 in the
//! config), screens in CSS px (virtual px for the whole wall, tile px for one screen).
//!
//! * [`settings`]: the `wall` section of `config.json` and the `?wall=&tile=&bezel=` query;
//!   problems collected, never fatal;
//! * [`tiling`]: the grid of screens, each screen's viewport as its part of one virtual
//!   viewport, bezels hidden, labels placed once;
//! * [`tour`]: the tour as a function of the wall clock, and the player that interrupts it for
//!   critical alerts;
//! * [`fit`]: the home view, fitting the open incidents (or the region);
//! * [`reload`]: reloads after a fatal error (back-off) and at the daily quiet hour;
//! * [`watchdog`]: what the page's watchdog script is armed with, and the note a reload leaves
//!   for the next load.

pub mod fit;
pub mod reload;
pub mod settings;
pub mod tiling;
pub mod tour;
pub mod watchdog;

pub use settings::{TourLayer, TourView, WallConfig, WallQuery, parse_wall};
pub use tiling::{Grid, Tile, WallLayout};
pub use tour::{Show, Tour, TourPlayer, TourState, WallEvent};
