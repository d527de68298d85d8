//! Operators' zones: draw a zone on the map, reshape, rename and delete it, keep the drawn
//! zones in the browser (localStorage) and export / import them as GeoJSON.
//!
//! Units: taps and drags are CSS px relative to the map canvas (converted through the
//! [`Viewport`]); the draft's vertices are degrees WGS84 (`core::geofence::Draft`); dwell
//! times are seconds. The geometry, validation, ids and file format are the core's
//! (`core::geofence::{draft, drawn}`); this module holds the editor's signals and the
//! storage. Its views are panels: the zone list's Edit / Delete and Draw / Export / Import
//! (`geofence_ui`) and the drawing banner and zone form (`zone_editor_ui`); the map feeds it
//! taps and drags (`map`).
//!
//! Storage: one key, [`STORAGE_KEY`], holds the drawn zones as a GeoJSON FeatureCollection in
//! the zones file format (what the config's zones URL serves, what Export writes and Import
//! reads). Text that cannot be read is copied to [`CORRUPT_KEY`] and reported; the loaded
//! zones keep working. A failed write (storage full, private mode) is reported; the zone
//! works for the session. Every text from storage or a file is rendered as text by the
//! panels.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;

use crate::core::geofence::{
    Draft, DraftError, Handle, TapOutcome, Zone, ZoneError, ZoneFileError, ZoneForm, ZoneKind,
    import, new_zone_id, parse_dwell, restore, zones_to_geojson,
};
use crate::core::viewport::Viewport;
use crate::env::{StorageError, js_error_text, local_storage};
use crate::geofence::{DrawnZones, Geofence};
use crate::render::draft::DraftOverlay;

/// The localStorage key of the drawn zones.
pub const STORAGE_KEY: &str = "calais-map.zones.v1";
/// Where unreadable saved text is set aside before it is overwritten.
pub const CORRUPT_KEY: &str = "calais-map.zones.v1.corrupt";
/// Largest file Import reads, bytes.
pub const MAX_IMPORT_BYTES: f64 = 5_000_000.0;

/// A file of `bytes` may be imported (at most [`MAX_IMPORT_BYTES`], the browser's `File` size,
/// checked before it is read); else why not.
pub fn check_import_size(bytes: f64) -> Result<(), ImportFailure> {
    if bytes > MAX_IMPORT_BYTES {
        Err(ImportFailure::TooBig(bytes))
    } else {
        Ok(())
    }
}
/// Hit radius of a vertex handle, CSS px, for a mouse and for a finger.
pub const HANDLE_PX_MOUSE: f64 = 11.0;
pub const HANDLE_PX_TOUCH: f64 = 22.0;

/// What the editor is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Idle,
    /// Taps add vertices.
    Drawing,
    /// The outline is closed: vertices can be dragged, the form is shown.
    Shaping,
}

/// Why a whole file could not be imported (the zone panel words it).
#[derive(Clone, Debug, PartialEq)]
pub enum ImportFailure {
    /// Larger than [`MAX_IMPORT_BYTES`]; its size in bytes.
    TooBig(f64),
    NotText,
    /// The browser could not read it; its description.
    Unreadable(String),
    /// Not a zones file.
    NotZones(ZoneFileError),
}

/// What an import did (shown under the zone list until dismissed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    pub file: String,
    /// The whole file could not be read.
    pub error: Option<ImportFailure>,
    /// `(id, name)` of each zone added.
    pub added: Vec<(String, String)>,
    /// `(id in the file, id given)`.
    pub renamed: Vec<(String, String)>,
    /// Each zone skipped, and why.
    pub rejected: Vec<ZoneError>,
    /// The import could not be saved in the browser.
    pub save_error: Option<StorageError>,
}

/// A problem with the drawn zones saved in the browser (the zone panels word it).
#[derive(Clone, Debug, PartialEq)]
pub enum StorageProblem {
    /// The saved zones could not be read from storage.
    Unreadable(StorageError),
    /// The saved text is not a zones file; `kept`: it was copied to [`CORRUPT_KEY`].
    Damaged { error: ZoneFileError, kept: bool },
    /// A saved zone was skipped.
    Skipped(ZoneError),
}

/// The editor's state: signals only, `Copy`.
#[derive(Clone, Copy)]
pub struct ZoneEditor {
    geo: Geofence,
    pub mode: RwSignal<Mode>,
    pub draft: RwSignal<Draft>,
    /// The drawn zone being edited (its id in the drawn list); `None`: a new zone.
    pub editing: RwSignal<Option<String>>,
    /// The zone being edited, when its outline cannot be (several parts or holes).
    fixed: RwSignal<Option<Arc<Zone>>>,
    pub name: RwSignal<String>,
    pub kind: RwSignal<ZoneKind>,
    pub enter: RwSignal<bool>,
    pub exit: RwSignal<bool>,
    pub critical: RwSignal<bool>,
    /// The dwell time as typed (seconds; empty: none).
    pub dwell: RwSignal<String>,
    /// The last refusal or validation error of the draft or the form (the editor panel words
    /// it through `strings::messages::draft_error`).
    pub error: RwSignal<Option<DraftError>>,
    /// The pointer while drawing (CSS px), for the rubber-band edge.
    pub pointer: RwSignal<Option<(f64, f64)>>,
    /// The vertex being dragged.
    pub drag: RwSignal<Option<usize>>,
    /// The last pointer was a finger (bigger handles).
    pub touch: RwSignal<bool>,
    /// Problems reading the saved zones at start.
    pub load_problems: RwSignal<Vec<StorageProblem>>,
    /// The last save to the browser's storage failed.
    pub save_error: RwSignal<Option<StorageError>>,
    pub import_report: RwSignal<Option<ImportReport>>,
    /// The drawn zone (id) whose delete is waiting for "Yes".
    pub confirm_delete: RwSignal<Option<String>>,
}

fn read_saved() -> Result<Option<String>, StorageError> {
    local_storage()?
        .get_item(STORAGE_KEY)
        .map_err(|e| StorageError::Unreadable(js_error_text(&e)))
}

fn write_saved(zones: &[Zone]) -> Result<(), StorageError> {
    let s = local_storage()?;
    let r = if zones.is_empty() {
        s.remove_item(STORAGE_KEY)
    } else {
        s.set_item(STORAGE_KEY, &zones_to_geojson(zones))
    };
    r.map_err(|e| StorageError::Refused(js_error_text(&e)))
}

impl ZoneEditor {
    /// The editor; reads the saved zones into `geo.drawn` (call inside the root component).
    pub fn new(geo: Geofence) -> ZoneEditor {
        let ed = ZoneEditor {
            geo,
            mode: RwSignal::new(Mode::Idle),
            draft: RwSignal::new(Draft::new()),
            editing: RwSignal::new(None),
            fixed: RwSignal::new(None),
            name: RwSignal::new(String::new()),
            kind: RwSignal::new(ZoneKind::Watch),
            enter: RwSignal::new(true),
            exit: RwSignal::new(true),
            critical: RwSignal::new(false),
            dwell: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            pointer: RwSignal::new(None),
            drag: RwSignal::new(None),
            touch: RwSignal::new(false),
            load_problems: RwSignal::new(Vec::new()),
            save_error: RwSignal::new(None),
            import_report: RwSignal::new(None),
            confirm_delete: RwSignal::new(None),
        };
        ed.load();
        ed
    }

    /// Reads the saved zones (never fails: problems are listed, good zones kept).
    fn load(&self) {
        let text = match read_saved() {
            Ok(t) => t,
            Err(e) => {
                self.load_problems.set(vec![StorageProblem::Unreadable(e)]);
                return;
            }
        };
        let r = restore(text.as_deref());
        let mut problems: Vec<StorageProblem> = Vec::new();
        if let Some(error) = r.unreadable {
            let kept = text
                .as_deref()
                .is_some_and(|t| local_storage().is_ok_and(|s| s.set_item(CORRUPT_KEY, t).is_ok()));
            problems.push(StorageProblem::Damaged { error, kept });
        }
        problems.extend(r.skipped.into_iter().map(StorageProblem::Skipped));
        self.load_problems.set(problems);
        if !r.zones.is_empty() {
            self.geo.drawn.set(DrawnZones::new(r.zones));
        }
    }

    /// Replaces the drawn zones and saves them; the save error, if any, is shown.
    fn commit(&self, zones: Vec<Zone>) -> Result<(), StorageError> {
        let result = write_saved(&zones);
        self.geo.drawn.set(DrawnZones::new(zones));
        self.save_error.set(result.clone().err());
        result
    }

    /// Ids already used by a loaded or drawn zone.
    fn taken_ids(&self) -> BTreeSet<String> {
        // Inserted one by one: `collect` into a set sorts first, a sort instance of its own.
        let mut taken = BTreeSet::new();
        self.geo
            .drawn
            .with_untracked(|d| taken.extend(d.zones.iter().map(|z| z.id.clone())));
        if let Some(a) = self.geo.active.get_untracked() {
            taken.extend(a.set.zones.iter().map(|z| z.id.clone()));
        }
        taken
    }

    fn set_form(&self, f: &ZoneForm) {
        self.name.set(f.name.clone());
        self.kind.set(f.kind);
        self.enter.set(f.alert_on_enter);
        self.exit.set(f.alert_on_exit);
        self.critical.set(f.critical);
        self.dwell
            .set(f.dwell_s.map(|s| s.to_string()).unwrap_or_default());
    }

    /// The form as typed (the dwell text parsed).
    fn form(&self) -> Result<ZoneForm, DraftError> {
        Ok(ZoneForm {
            name: self.name.get_untracked(),
            kind: self.kind.get_untracked(),
            alert_on_enter: self.enter.get_untracked(),
            alert_on_exit: self.exit.get_untracked(),
            dwell_s: parse_dwell(&self.dwell.get_untracked())?,
            critical: self.critical.get_untracked(),
        })
    }

    /// The zone being edited keeps its outline as it is (several parts or holes); tracked.
    pub fn outline_fixed(&self) -> bool {
        self.fixed.with(Option::is_some)
    }

    /// Anything under way (drawing or shaping).
    pub fn is_active(&self) -> bool {
        self.mode.get_untracked() != Mode::Idle
    }

    /// Starts drawing a new zone.
    pub fn start_drawing(&self) {
        self.reset();
        self.set_form(&ZoneForm::new(ZoneKind::Watch));
        self.mode.set(Mode::Drawing);
    }

    fn reset(&self) {
        self.mode.set(Mode::Idle);
        self.draft.set(Draft::new());
        self.editing.set(None);
        self.fixed.set(None);
        self.error.set(None);
        self.pointer.set(None);
        self.drag.set(None);
        self.geo.hidden.set(None);
    }

    /// Leaves drawing or editing without saving.
    pub fn cancel(&self) {
        self.reset();
    }

    /// "Undo point".
    pub fn undo(&self) {
        if self.mode.get_untracked() == Mode::Drawing {
            self.draft.update(|d| {
                d.undo();
            });
            self.error.set(None);
        }
    }

    /// "Finish": closes the outline (3 distinct points at least) and shows the form.
    pub fn finish(&self) {
        if self.mode.get_untracked() != Mode::Drawing {
            return;
        }
        let d = self.draft.get_untracked();
        if d.can_close() {
            self.mode.set(Mode::Shaping);
            self.pointer.set(None);
            self.error.set(d.check().err());
        } else {
            self.error.set(Some(DraftError::TooFew(d.distinct_count())));
        }
    }

    /// "Add points": back to drawing a new zone's outline.
    pub fn add_points(&self) {
        if self.editing.get_untracked().is_none() && self.mode.get_untracked() == Mode::Shaping {
            self.mode.set(Mode::Drawing);
            self.error.set(None);
        }
    }

    /// A tap on the map at `(x, y)` CSS px; `true` if the editor took it.
    pub fn tap(&self, view: &Viewport, x: f64, y: f64) -> bool {
        match self.mode.get_untracked() {
            Mode::Idle => false,
            Mode::Shaping => true,
            Mode::Drawing => {
                let r = self.radius();
                let mut outcome = TapOutcome::Refused(DraftError::BadPoint);
                self.draft.update(|d| outcome = d.tap(view, x, y, r));
                match outcome {
                    TapOutcome::Added(_) => self.error.set(None),
                    TapOutcome::Close => self.finish(),
                    TapOutcome::Refused(e) => self.error.set(Some(e)),
                }
                true
            }
        }
    }

    fn radius(&self) -> f64 {
        if self.touch.get_untracked() {
            HANDLE_PX_TOUCH
        } else {
            HANDLE_PX_MOUSE
        }
    }

    /// Whether the outline's handles can be dragged now.
    fn reshaping(&self) -> bool {
        self.mode.get_untracked() == Mode::Shaping && self.fixed.with_untracked(Option::is_none)
    }

    /// A handle of the outline under `(x, y)` (shaping only).
    pub fn handle_at(&self, view: &Viewport, x: f64, y: f64) -> Option<Handle> {
        if !self.reshaping() {
            return None;
        }
        let r = self.radius();
        self.draft.with_untracked(|d| d.handle_at(view, x, y, r))
    }

    /// A pointer went down at `(x, y)`: starts dragging a vertex (or a new one out of an edge
    /// midpoint) if there is one; `true` if the editor took the pointer.
    pub fn begin_drag(&self, view: &Viewport, x: f64, y: f64) -> bool {
        let Some(handle) = self.handle_at(view, x, y) else {
            return false;
        };
        let index = match handle {
            Handle::Vertex(i) => Some(i),
            Handle::Midpoint(i) => {
                let Some(p) = view.lonlat_at(x, y) else {
                    return false;
                };
                let mut added = None;
                self.draft.update(|d| added = d.insert_after(i, p).ok());
                added
            }
        };
        self.drag.set(index);
        index.is_some()
    }

    /// The dragged vertex follows the pointer; `true` if a vertex is being dragged.
    pub fn drag_to(&self, view: &Viewport, x: f64, y: f64) -> bool {
        let Some(i) = self.drag.get_untracked() else {
            return false;
        };
        if let Some(p) = view.lonlat_at(x, y) {
            self.draft.update(|d| {
                let _ = d.move_vertex(i, p);
            });
        }
        true
    }

    /// The drag ended; `true` if there was one (the pointer's up is then no tap).
    pub fn end_drag(&self) -> bool {
        if self.drag.get_untracked().is_none() {
            return false;
        }
        self.drag.set(None);
        // The outline changed: say now whether it is valid.
        let problem = self.draft.with_untracked(|d| d.check().err());
        self.error.set(problem);
        true
    }

    /// Edits drawn zone `id`: its outline (when it is one polygon without holes) and form.
    pub fn edit(&self, id: &str) {
        let Some(zone) = self
            .geo
            .drawn
            .with_untracked(|d| d.zones.iter().find(|z| z.id == id).cloned())
        else {
            return;
        };
        self.reset();
        self.set_form(&ZoneForm::of_zone(&zone));
        match Draft::from_zone(&zone) {
            Ok(d) => {
                self.draft.set(d);
                self.geo.hidden.set(Some(zone.id.clone()));
            }
            Err(_) => self.fixed.set(Some(Arc::new(zone.clone()))),
        }
        self.editing.set(Some(zone.id.clone()));
        self.mode.set(Mode::Shaping);
    }

    /// Validates and saves the zone being drawn or edited. On error the draft and form stay
    /// for correction and the error is shown.
    pub fn save(&self) {
        if self.mode.get_untracked() != Mode::Shaping {
            return;
        }
        let form = match self.form() {
            Ok(f) => f,
            Err(e) => return self.error.set(Some(e)),
        };
        let editing = self.editing.get_untracked();
        let id = match &editing {
            Some(id) => id.clone(),
            None => {
                let taken = self.taken_ids();
                new_zone_id(&form.name, &|s| taken.contains(s))
            }
        };
        let zone = match self.fixed.get_untracked() {
            Some(z) => form.apply(&z),
            None => self.draft.with_untracked(|d| d.to_zone(&id, &form)),
        };
        let zone = match zone {
            Ok(z) => z,
            Err(e) => return self.error.set(Some(e)),
        };
        let mut zones: Vec<Zone> = self.geo.drawn.with_untracked(|d| d.zones.to_vec());
        match zones.iter_mut().find(|z| Some(&z.id) == editing.as_ref()) {
            Some(slot) => *slot = zone,
            None => zones.push(zone),
        }
        let _ = self.commit(zones);
        self.reset();
    }

    /// Deletes drawn zone `id` (after the inline confirmation).
    pub fn delete(&self, id: &str) {
        if self.editing.get_untracked().as_deref() == Some(id) {
            self.reset();
        }
        let zones: Vec<Zone> = self
            .geo
            .drawn
            .with_untracked(|d| d.zones.iter().filter(|z| z.id != id).cloned().collect());
        let _ = self.commit(zones);
        self.confirm_delete.set(None);
    }

    /// The drawn zones as a GeoJSON FeatureCollection (the zones file format).
    pub fn export_text(&self) -> String {
        self.geo
            .drawn
            .with_untracked(|d| zones_to_geojson(&d.zones))
    }

    /// Imports the text of file `file`: good zones added (taken ids renamed), bad ones
    /// reported per zone; nothing is removed.
    pub fn import_text(&self, file: &str, text: &str) {
        let mut report = ImportReport {
            file: file.to_string(),
            ..ImportReport::default()
        };
        match import(text, &self.taken_ids()) {
            Err(e) => report.error = Some(ImportFailure::NotZones(e)),
            Ok(imp) => {
                report.added = imp
                    .zones
                    .iter()
                    .map(|z| (z.id.clone(), z.name.clone()))
                    .collect();
                report.renamed = imp.renamed;
                report.rejected = imp.rejected;
                if !imp.zones.is_empty() {
                    let mut zones: Vec<Zone> = self.geo.drawn.with_untracked(|d| d.zones.to_vec());
                    zones.extend(imp.zones);
                    report.save_error = self.commit(zones).err();
                }
            }
        }
        self.import_report.set(Some(report));
    }

    /// What the renderer draws for the zone under way (untracked).
    pub fn overlay(&self) -> Option<DraftOverlay> {
        let mode = self.mode.get_untracked();
        if mode == Mode::Idle || self.fixed.with_untracked(Option::is_some) {
            return None;
        }
        let closed = mode == Mode::Shaping;
        self.draft.with_untracked(|d| {
            Some(DraftOverlay {
                vertices: d.mercator(),
                closed,
                pointer: if closed {
                    None
                } else {
                    self.pointer.get_untracked()
                },
                can_close: d.can_close(),
                crossing: if closed || d.len() >= 4 {
                    d.crossing()
                } else {
                    None
                },
                active: self.drag.get_untracked(),
                midpoints: closed && self.drag.get_untracked().is_none(),
                touch: self.touch.get_untracked(),
            })
        })
    }

    /// Tracks everything the overlay depends on (for the map's redraw effect).
    pub fn track(&self) {
        self.mode.track();
        self.draft.track();
        self.pointer.track();
        self.drag.track();
        self.fixed.track();
    }
}
