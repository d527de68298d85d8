//! The coordinates in the page: the OSTN15 grid file (fetched at start beside the layers),
//! the WGS84 form the operator chose (remembered per device) and the go-to marker.
//!
//! Units: positions are WGS84 degrees ([`LonLat`]); the conversions are the core's
//! (`core::grids`): Lambert-93 always, the British National Grid once the grid file has
//! arrived (until then, or if it failed, `BngError::GridUnavailable`).

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::grids::ostn15::Ostn15Grid;
use crate::core::grids::wgs84_text::Wgs84Form;
use crate::core::grids::{Readout, readout};
use crate::core::units::LonLat;
use crate::env::local_storage;
use crate::load::{GRID_FILE_URL, GridLoadError, load_grid_file};

/// The localStorage key of the chosen WGS84 form (`dd`, `dms`, `ddm`).
pub const FORM_KEY: &str = "calais.coords.form";

/// The grid file as loaded: `None` while it is on its way.
pub type GridFile = Option<Result<Arc<Ostn15Grid>, GridLoadError>>;

/// The coordinates' state (signals only: `Copy`).
#[derive(Clone, Copy)]
pub struct Grids {
    /// The OSTN15 grid file (`None` while it is on its way). A plain signal set by one future,
    /// not a `fetched::Fetched`: it is fetched once, never again, so it needs no effect.
    pub file: RwSignal<GridFile>,
    /// The WGS84 form of the readouts (DD, DMS, DDM).
    pub form: RwSignal<Wgs84Form>,
    /// Where the go-to box last went (`None`: no marker; the marker's × removes it).
    pub marker: RwSignal<Option<LonLat>>,
}

impl Grids {
    /// Starts the grid file's fetch; the form from this device's storage (decimal degrees by
    /// default, as the readout showed before).
    pub fn new() -> Self {
        let form = local_storage()
            .ok()
            .and_then(|s| s.get_item(FORM_KEY).ok().flatten())
            .and_then(|k| Wgs84Form::from_key(&k))
            .unwrap_or(Wgs84Form::Dd);
        let file = RwSignal::new(None);
        wasm_bindgen_futures::spawn_local(async move {
            let loaded = load_grid_file(GRID_FILE_URL).await;
            let _ = file.try_set(Some(loaded));
        });
        Grids {
            file,
            form: RwSignal::new(form),
            marker: RwSignal::new(None),
        }
    }

    /// Chooses the WGS84 form and remembers it on this device (a refused storage only loses
    /// the memory, not the choice).
    pub fn choose(self, form: Wgs84Form) {
        self.form.set(form);
        if let Ok(s) = local_storage() {
            let _ = s.set_item(FORM_KEY, form.key());
        }
    }

    /// The grid file if it loaded (tracked).
    pub fn grid(self) -> Option<Arc<Ostn15Grid>> {
        self.file.get().and_then(Result::ok)
    }

    /// The grid file if it loaded (untracked).
    pub fn grid_untracked(self) -> Option<Arc<Ostn15Grid>> {
        self.file.get_untracked().and_then(Result::ok)
    }

    /// Whether the grid file has arrived or failed (the map's readiness waits for it).
    pub fn settled_untracked(self) -> bool {
        self.file.get_untracked().is_some()
    }

    /// The failure of the grid file, if it failed (tracked).
    pub fn failure(self) -> Option<GridLoadError> {
        self.file.get().and_then(Result::err)
    }

    /// A position in the three systems (tracks the grid file).
    pub fn readout(self, at: LonLat) -> Readout {
        readout(at, self.grid().as_deref())
    }
}

impl Default for Grids {
    fn default() -> Self {
        Grids::new()
    }
}
