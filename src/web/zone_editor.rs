//! Operators' zones: draw a zone on the map, reshape, rename and delete it, keep the drawn
//! zones in the browser (localStorage) and export / import them as GeoJSON.
//!
//! Units: taps and drags are CSS px relative to the map canvas (converted through the
//! [`Viewport`]); the draft's vertices are degrees WGS84 (`core::geofence::Draft`); dwell
//! times are seconds. The geometry, validation, ids and file format are the core's
//! (`core::geofence::{draft, drawn}`); this module holds the signals, the storage, the file
//! input and the components.
//!
//! Storage: one key, [`STORAGE_KEY`], holds the drawn zones as a GeoJSON FeatureCollection in
//! the zones file format (what the config's zones URL serves, what Export writes and Import
//! reads). Text that cannot be read is copied to [`CORRUPT_KEY`] and reported; the loaded
//! zones keep working. A failed write (storage full, private mode) is reported; the zone
//! works for the session. Every text from storage or a file is rendered as text.

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::geofence::{
    Draft, DraftError, Handle, Origin, TapOutcome, Zone, ZoneForm, ZoneKind, import, new_zone_id,
    parse_dwell, restore, zones_to_geojson,
};
use crate::core::viewport::Viewport;
use crate::geofence::{DrawnZones, Geofence};
use crate::render::draft::DraftOverlay;

/// The localStorage key of the drawn zones.
pub const STORAGE_KEY: &str = "calais-map.zones.v1";
/// Where unreadable saved text is set aside before it is overwritten.
pub const CORRUPT_KEY: &str = "calais-map.zones.v1.corrupt";
/// Largest file Import reads, bytes.
pub const MAX_IMPORT_BYTES: f64 = 5_000_000.0;
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

/// What an import did (shown under the zone list until dismissed).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    pub file: String,
    /// The whole file could not be read.
    pub error: Option<String>,
    /// `(id, name)` of each zone added.
    pub added: Vec<(String, String)>,
    /// `(id in the file, id given)`.
    pub renamed: Vec<(String, String)>,
    /// `(id, text)` of each zone skipped.
    pub rejected: Vec<(Option<String>, String)>,
    /// The import could not be saved in the browser.
    pub save_error: Option<String>,
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
    /// The last refusal or validation error of the draft or the form.
    pub error: RwSignal<Option<String>>,
    /// The pointer while drawing (CSS px), for the rubber-band edge.
    pub pointer: RwSignal<Option<(f64, f64)>>,
    /// The vertex being dragged.
    pub drag: RwSignal<Option<usize>>,
    /// The last pointer was a finger (bigger handles).
    pub touch: RwSignal<bool>,
    /// Problems reading the saved zones at start.
    pub load_problems: RwSignal<Vec<String>>,
    /// The last save to the browser's storage failed.
    pub save_error: RwSignal<Option<String>>,
    pub import_report: RwSignal<Option<ImportReport>>,
    /// The drawn zone (id) whose delete is waiting for "Yes".
    pub confirm_delete: RwSignal<Option<String>>,
}

fn js_error_text(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| {
            let name = String::from(e.name());
            let msg = String::from(e.message());
            if msg.is_empty() {
                name
            } else {
                format!("{name}: {msg}")
            }
        })
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}

fn storage() -> Result<web_sys::Storage, String> {
    let w = web_sys::window().ok_or("no window")?;
    match w.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".to_string()),
        Err(e) => Err(format!(
            "local storage is not available ({})",
            js_error_text(&e)
        )),
    }
}

fn read_saved() -> Result<Option<String>, String> {
    storage()?
        .get_item(STORAGE_KEY)
        .map_err(|e| format!("local storage cannot be read ({})", js_error_text(&e)))
}

fn write_saved(zones: &[Zone]) -> Result<(), String> {
    let s = storage()?;
    let r = if zones.is_empty() {
        s.remove_item(STORAGE_KEY)
    } else {
        s.set_item(STORAGE_KEY, &zones_to_geojson(zones))
    };
    r.map_err(|e| format!("the browser refused to store them ({})", js_error_text(&e)))
}

fn save_failure(reason: &str) -> String {
    format!(
        "Drawn zones could not be saved in this browser: {reason}. They work until the page is \
         closed; use Export to keep them."
    )
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
                self.load_problems
                    .set(vec![format!("Saved zones could not be read: {e}.")]);
                return;
            }
        };
        let r = restore(text.as_deref());
        let mut problems: Vec<String> = Vec::new();
        if r.corrupt {
            let kept = text
                .as_deref()
                .map(|t| {
                    storage().and_then(|s| s.set_item(CORRUPT_KEY, t).map_err(|_| String::new()))
                })
                .is_some_and(|r| r.is_ok());
            for p in &r.problems {
                problems.push(format!(
                    "Saved drawn zones are damaged and were not loaded ({p}).{}",
                    if kept {
                        format!(" The text is kept under {CORRUPT_KEY}.")
                    } else {
                        String::new()
                    }
                ));
            }
        } else {
            problems.extend(r.problems.iter().map(|p| format!("Saved drawn {p}")));
        }
        self.load_problems.set(problems);
        if !r.zones.is_empty() {
            self.geo.drawn.set(DrawnZones::new(r.zones));
        }
    }

    /// Replaces the drawn zones and saves them; the save error, if any, is shown.
    fn commit(&self, zones: Vec<Zone>) -> Result<(), String> {
        let result = write_saved(&zones).map_err(|e| save_failure(&e));
        self.geo.drawn.set(DrawnZones::new(zones));
        self.save_error.set(result.clone().err());
        result
    }

    /// Ids already used by a loaded or drawn zone.
    fn taken_ids(&self) -> BTreeSet<String> {
        let mut taken: BTreeSet<String> = self
            .geo
            .drawn
            .with_untracked(|d| d.zones.iter().map(|z| z.id.clone()).collect());
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
            self.error
                .set(d.check().err().map(|e| capitalise(&e.to_string())));
        } else {
            self.error.set(Some(capitalise(
                &DraftError::TooFew(d.distinct_count()).to_string(),
            )));
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
                    TapOutcome::Refused(e) => self.error.set(Some(capitalise(&e.to_string()))),
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
        self.error.set(problem.map(|e| capitalise(&e.to_string())));
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
            Err(e) => return self.error.set(Some(capitalise(&e.to_string()))),
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
            Err(e) => return self.error.set(Some(capitalise(&e.to_string()))),
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
            Err(e) => report.error = Some(e.to_string()),
            Ok(imp) => {
                report.added = imp
                    .zones
                    .iter()
                    .map(|z| (z.id.clone(), z.name.clone()))
                    .collect();
                report.renamed = imp.renamed;
                report.rejected = imp
                    .rejected
                    .iter()
                    .map(|r| (r.id.clone(), r.describe()))
                    .collect();
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

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn use_editor() -> ZoneEditor {
    crate::state::use_app().zone_editor
}

/// "Edit" and "Delete" (with an inline "Delete? Yes / No") for a drawn zone's row; a
/// "read-only" tag for a loaded one. `drawn_id`: the id in the drawn list.
pub fn row_actions(origin: Origin, drawn_id: Option<String>, name: String) -> AnyView {
    let ed = use_editor();
    let Origin::Drawn(_) = origin else {
        return view! {
            <span class="zone-source" data-testid="zone-readonly" title="From the centre's zones file: read-only here">
                "fixed"
            </span>
        }
        .into_any();
    };
    let Some(id) = drawn_id else {
        return ().into_any();
    };
    let confirming = {
        let id = id.clone();
        move || {
            ed.confirm_delete
                .with(|c| c.as_deref() == Some(id.as_str()))
        }
    };
    let (id_edit, id_ask, id_yes) = (id.clone(), id.clone(), id.clone());
    view! {
        <span class="zone-actions">
            <Show
                when=confirming
                fallback=move || {
                    let (a, b) = (id_edit.clone(), id_ask.clone());
                    view! {
                        <button
                            class="zone-action"
                            data-testid="zone-edit"
                            title="Reshape, rename or change the rules"
                            disabled=move || ed.mode.get() != Mode::Idle
                            on:click=move |_| ed.edit(&a)
                        >
                            "Edit"
                        </button>
                        <button class="zone-action" data-testid="zone-delete" title="Delete this zone" on:click=move |_| ed.confirm_delete.set(Some(b.clone()))>
                            "Delete"
                        </button>
                    }
                }
            >
                {
                    let yes = id_yes.clone();
                    let name = name.clone();
                    view! {
                        <span class="zone-confirm" role="alert" data-testid="zone-delete-confirm">
                            {format!("Delete “{name}”?")}
                        </span>
                        <button class="zone-action danger" data-testid="zone-delete-yes" on:click=move |_| ed.delete(&yes)>"Yes"</button>
                        <button class="zone-action" data-testid="zone-delete-no" on:click=move |_| ed.confirm_delete.set(None)>"No"</button>
                    }
                }
            </Show>
        </span>
    }
    .into_any()
}

/// Draw / export / import buttons, storage problems and the last import's report (in the
/// zone panel).
#[component]
pub fn ZoneTools() -> impl IntoView {
    let ed = use_editor();
    let geo = ed.geo;
    let drawn_count = move || geo.drawn.with(|d| d.zones.len());
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        let text = ed.export_text();
        export_error.set(
            crate::geofence_ui::download(
                "calais-drawn-zones.geojson",
                "application/geo+json",
                &text,
            )
            .err(),
        );
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let file = input.files().and_then(|f| f.get(0));
        input.set_value("");
        let Some(file) = file else {
            return;
        };
        let name = file.name();
        if file.size() > MAX_IMPORT_BYTES {
            ed.import_report.set(Some(ImportReport {
                error: Some(format!(
                    "the file is {:.1} MB; zone files of at most {:.0} MB are imported",
                    file.size() / 1e6,
                    MAX_IMPORT_BYTES / 1e6
                )),
                file: name,
                ..ImportReport::default()
            }));
            return;
        }
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(v) => match v.as_string() {
                    Some(text) => ed.import_text(&name, &text),
                    None => ed.import_report.set(Some(ImportReport {
                        file: name,
                        error: Some("the file is not text".to_string()),
                        ..ImportReport::default()
                    })),
                },
                Err(e) => ed.import_report.set(Some(ImportReport {
                    file: name,
                    error: Some(format!(
                        "the file could not be read ({})",
                        js_error_text(&e)
                    )),
                    ..ImportReport::default()
                })),
            }
        });
    };
    let problems = move || {
        let mut p = ed.load_problems.get();
        p.extend(ed.save_error.get());
        p
    };
    let report = move || {
        ed.import_report.get().map(|r| {
            let summary = match &r.error {
                Some(e) => format!("{}: not imported: {e}.", r.file),
                None => format!(
                    "{}: {} imported{}, {} skipped.",
                    r.file,
                    plural(r.added.len(), "zone", "zones"),
                    if r.added.is_empty() {
                        String::new()
                    } else {
                        format!(
                            " ({})",
                            r.added
                                .iter()
                                .map(|(_, n)| n.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    },
                    r.rejected.len()
                ),
            };
            let failed = r.error.is_some() || !r.rejected.is_empty();
            view! {
                <div
                    class="zone-import-report"
                    class:has-errors=failed
                    role="status"
                    data-testid="zone-import-report"
                    data-added=r.added.len().to_string()
                    data-rejected=r.rejected.len().to_string()
                >
                    <p>{summary}</p>
                    <ul>
                        {r.renamed.iter().map(|(from, to)| view! {
                            <li data-testid="zone-import-renamed" data-zone-id=to.clone()>
                                {format!("“{from}” was already taken: imported as “{to}”.")}
                            </li>
                        }).collect::<Vec<_>>()}
                        {r.rejected.iter().map(|(id, text)| view! {
                            <li class="rejected" data-testid="zone-import-rejected" data-zone-id=id.clone().unwrap_or_default()>
                                {format!("Skipped {text}")}
                            </li>
                        }).collect::<Vec<_>>()}
                        {r.save_error.clone().map(|e| view! { <li class="rejected">{e}</li> })}
                    </ul>
                    <button class="zone-action" data-testid="zone-import-dismiss" on:click=move |_| ed.import_report.set(None)>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    };
    let idle = move || ed.mode.get() == Mode::Idle;
    let state = crate::state::use_app();
    view! {
        <div class="zone-tools">
            <button
                class="zone-draw"
                data-testid="zone-draw"
                disabled=move || !idle()
                title="Draw a new zone on the map"
                on:click=move |_| {
                    state.selection.set(None);
                    state.incidents.selected.set(None);
                    ed.start_drawing();
                }
            >
                "✎ Draw zone"
            </button>
            <button
                class="zone-action"
                data-testid="zone-export"
                disabled=move || drawn_count() == 0
                title="Download the drawn zones as GeoJSON"
                on:click=export
            >
                "Export"
            </button>
            <label class="zone-action zone-import" title="Add zones from a GeoJSON file">
                "Import…"
                <input
                    type="file"
                    accept=".geojson,.json,application/geo+json,application/json"
                    data-testid="zone-import-input"
                    on:change=on_file
                />
            </label>
        </div>
        <ul class="zone-problems" data-testid="zone-storage-error" data-count=move || problems().len().to_string()>
            {move || problems().into_iter().map(|p| view! { <li role="alert">{p}</li> }).collect::<Vec<_>>()}
        </ul>
        <Show when=move || export_error.get().is_some()>
            <p class="zone-problems" role="alert" data-testid="zone-export-error">{move || export_error.get()}</p>
        </Show>
        {report}
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The tag name of the key event's target (upper case), if it is an element.
fn target_tag(ev: &web_sys::KeyboardEvent) -> String {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.tag_name())
        .unwrap_or_default()
}

/// The drawing banner (hint, Undo point / Finish / Cancel) and the zone form (name, kind,
/// rules, Save / Cancel), floating beside the layer panel while a zone is under way.
#[component]
pub fn ZoneEditorPanel() -> impl IntoView {
    let ed = use_editor();
    // Keys while drawing or shaping (not while typing in the form).
    let _keys = window_event_listener(leptos::ev::keydown, move |ev| {
        let mode = ed.mode.get_untracked();
        let tag = target_tag(&ev);
        // Typing in the form, or a focused button's own Enter / Space: not ours.
        let typing = matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA");
        if mode == Mode::Idle || typing {
            return;
        }
        match (mode, ev.key().as_str()) {
            (_, "Escape") => ed.cancel(),
            (Mode::Drawing, "Enter") if tag == "BUTTON" => {}
            (Mode::Drawing, "Backspace" | "Delete") => {
                ev.prevent_default();
                ed.undo();
            }
            (Mode::Drawing, "Enter") => {
                ev.prevent_default();
                ed.finish();
            }
            _ => {}
        }
    });
    let mode = move || ed.mode.get();
    let points = move || ed.draft.with(|d| d.len());
    let can_close = move || ed.draft.with(|d| d.can_close());
    let new_zone = move || ed.editing.with(Option::is_none);
    let fixed = move || ed.fixed.with(Option::is_some);
    let title = move || match (mode(), ed.editing.get()) {
        (Mode::Drawing, _) => "Drawing a zone".to_string(),
        (_, None) => "New zone".to_string(),
        (_, Some(_)) => "Edit zone".to_string(),
    };
    let hint = move || match mode() {
        Mode::Drawing => {
            "Click or tap the map to add points; click the first point or Finish to close. \
             Drag to pan. Backspace: undo point · Esc: cancel."
        }
        _ if fixed() => "This zone has several parts or holes: its outline stays as it is.",
        _ => "Drag a point to move it, or the small circle on an edge to add one.",
    };
    let kinds = [
        ZoneKind::Restricted,
        ZoneKind::Watch,
        ZoneKind::Approach,
        ZoneKind::Other,
    ];
    let on_kind = move |ev: leptos::ev::Event| {
        let k = ZoneKind::from_str_lossy(&event_target_value(&ev));
        ed.kind.set(k);
        if new_zone() {
            // A new zone follows its kind's default (restricted zones flash on the wall).
            ed.critical
                .set(crate::core::geofence::ZoneRules::defaults(k).critical);
        }
    };
    view! {
        <Show when=move || mode() != Mode::Idle>
            <section
                class="panel zone-editor"
                data-testid="zone-editor"
                data-mode=move || if mode() == Mode::Drawing { "drawing" } else { "shaping" }
                data-points=move || points().to_string()
                data-map-reserved=""
                aria-label="Zone editor"
            >
                <header>
                    <h2 data-testid="zone-editor-title">{title}</h2>
                    <Show when=move || mode() == Mode::Drawing>
                        <span class="zone-points" data-testid="zone-draw-points">
                            {move || plural(points(), "point", "points")}
                        </span>
                    </Show>
                </header>
                <p class="zone-hint" data-testid="zone-draw-banner">{hint}</p>
                <Show when=move || mode() == Mode::Drawing>
                    <div class="zone-buttons">
                        <button data-testid="zone-undo" disabled=move || points() == 0 on:click=move |_| ed.undo()>
                            "Undo point"
                        </button>
                        <button class="primary" data-testid="zone-finish" disabled=move || !can_close() on:click=move |_| ed.finish()>
                            "Finish"
                        </button>
                        <button data-testid="zone-cancel" on:click=move |_| ed.cancel()>"Cancel"</button>
                    </div>
                </Show>
                <Show when=move || mode() == Mode::Shaping>
                    <form
                        class="zone-form"
                        data-testid="zone-form"
                        novalidate=""
                        on:submit=move |ev| {
                            ev.prevent_default();
                            ed.save();
                        }
                    >
                        <label class="wide">
                            <span>"Name"</span>
                            <input
                                type="text"
                                data-testid="zone-name"
                                maxlength="120"
                                required=""
                                placeholder="e.g. Sangatte beach, north"
                                prop:value=move || ed.name.get()
                                on:input=move |ev| ed.name.set(event_target_value(&ev))
                            />
                        </label>
                        <label>
                            <span>"Kind"</span>
                            <select data-testid="zone-kind" prop:value=move || ed.kind.get().key() on:change=on_kind>
                                {kinds.into_iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>
                            <span>"Dwell alert after (s)"</span>
                            <input
                                type="text"
                                inputmode="numeric"
                                data-testid="zone-dwell"
                                placeholder="none"
                                prop:value=move || ed.dwell.get()
                                on:input=move |ev| ed.dwell.set(event_target_value(&ev))
                            />
                        </label>
                        <fieldset class="wide zone-rules">
                            <legend>"Alert on"</legend>
                            <label class="check">
                                <input type="checkbox" data-testid="zone-enter" prop:checked=move || ed.enter.get()
                                    on:change=move |ev| ed.enter.set(event_target_checked(&ev)) />
                                "enter"
                            </label>
                            <label class="check">
                                <input type="checkbox" data-testid="zone-exit" prop:checked=move || ed.exit.get()
                                    on:change=move |ev| ed.exit.set(event_target_checked(&ev)) />
                                "exit"
                            </label>
                            <label class="check" title="Alerts of critical zones flash on the video wall">
                                <input type="checkbox" data-testid="zone-critical" prop:checked=move || ed.critical.get()
                                    on:change=move |ev| ed.critical.set(event_target_checked(&ev)) />
                                "critical (flash)"
                            </label>
                        </fieldset>
                        <div class="zone-buttons wide">
                            <button type="submit" class="primary" data-testid="zone-save">"Save"</button>
                            <Show when=move || new_zone()>
                                <button type="button" data-testid="zone-add-points" on:click=move |_| ed.add_points()>
                                    "Add points"
                                </button>
                            </Show>
                            <button type="button" data-testid="zone-cancel" on:click=move |_| ed.cancel()>"Cancel"</button>
                        </div>
                    </form>
                </Show>
                <Show when=move || ed.error.get().is_some()>
                    <p class="zone-form-error" role="alert" data-testid="zone-form-error">{move || ed.error.get()}</p>
                </Show>
            </section>
        </Show>
    }
}
