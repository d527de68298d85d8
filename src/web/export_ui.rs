//! The export dialog (issue 14 item 7, floor 4): a button over the map (`export-open`, or the
//! key E anywhere but in a text field) opens a small panel with the operator's note
//! (`export-note`) and the exports: the picture with its record (`export-png`), the filtered
//! incidents as GeoJSON and CSV (`export-geojson`, `export-csv`) and the zones as GeoJSON and
//! CSV (`export-zones-geojson`, `export-zones-csv`); `export-status` says what was saved or
//! why not (`data-state` `working|done|error`). Buttons are at least 44 × 44 CSS px.
//!
//! The picture (`export_image.rs`) is this screen's map as it shows it; on a wall of several
//! screens, this screen's part (the record names its tile and the grid, and gives the whole
//! wall's view): every screen holds only its own pixels, and the screens are separate pages.
//! With it come the record (`<base>.json`, `core::export::Sidecar`, also inside the PNG as the
//! `iTXt` chunk `Calais-Map-Sidecar`) and the incidents it counts and hashes
//! (`<base>.incidents.geojson`, the canonical bytes the record's SHA-256 is of). File names
//! start with `calais-map-YYYYMMDD-HHMMSSZ` (the export's UTC time).
//!
//! Units: times ms since the Unix epoch (the wall clock), shown in London and Paris time;
//! the view as `core::export::ViewRecord` (degrees WGS84, CSS px, dpr); the picture device px.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::export::sidecar::{FORMAT, PNG_KEYWORD};
use crate::core::export::{
    AppVersion, DataHash, ExportTimes, FeedRecord, HeatmapRecord, ImageRecord, Parameters, Sidecar,
    TextChunk, ViewRecord, ZoneRow, incidents_csv, incidents_geojson, insert_text_chunks,
    parse_gmt_offset, zones_csv,
};
use crate::core::feed::FeedStatus;
use crate::core::geofence::{Origin, zones_to_geojson};
use crate::core::heatmap::settings::ScaleMode;
use crate::core::incident::{Incident, IncidentKind, Severity, Timestamp};
use crate::core::incident_layer::{kind_shape, severity_css};
use crate::core::model::{FenceKind, LayerId, PortKind};
use crate::core::scale_bar::scale_bar;
use crate::env::{
    download, download_bytes, wall_ms, zone_clock_s, zone_date_time, zone_offset_name,
};
use crate::export_image::{Band, ImageError, LegendItem, Swatch, compose};
use crate::render::style;
use crate::state::{AppState, use_app};
use crate::strings::{Lang, T, compare::locale, export, labels, messages, problems};
use crate::widgets::window_keydown_while_mounted;

const LONDON: &str = "Europe/London";
const PARIS: &str = "Europe/Paris";

/// Longest note, characters.
pub const NOTE_MAX: usize = 500;

/// The note as the export writes it: trimmed, at most [`NOTE_MAX`] characters (not bytes).
pub fn note_text(note: &str) -> String {
    note.trim().chars().take(NOTE_MAX).collect()
}

/// `calais-map-20261205-201743Z` for `ms`.
fn file_base(ms: f64) -> Option<String> {
    let t = Timestamp::from_millis(ms as i64)?.to_rfc3339();
    let digits: String = t.chars().take(19).filter(char::is_ascii_digit).collect();
    let (date, time) = digits.split_at(8.min(digits.len()));
    Some(format!("calais-map-{date}-{time}Z"))
}

/// The incidents passing the operator's filter (as the map filters them) and the canonical
/// GeoJSON of them, with their count; `f` gets them too.
fn filtered<R>(state: AppState, f: impl FnOnce(&[&Incident]) -> R) -> Option<R> {
    let now = Timestamp::from_millis(state.incidents.clock.get_untracked())?;
    let filter = state.incidents.filter.get_untracked().for_map();
    state.incidents.with_store(|s| {
        let shown: Vec<&Incident> = s.iter().filter(|i| filter.matches(i, now)).collect();
        f(&shown)
    })
}

/// The visible layers: (wire key, name in `lang`).
fn visible_layers(state: AppState, lang: Lang) -> Vec<(String, String)> {
    let vis = state.visibility.get_untracked();
    let mut out: Vec<(String, String)> = LayerId::ALL
        .into_iter()
        .filter(|id| vis.get(*id))
        .map(|id| (id.key().to_string(), labels::layer(lang, id).to_string()))
        .collect();
    let tiles = state
        .config
        .get_untracked()
        .and_then(Result::ok)
        .is_some_and(|c| c.tiles.is_some());
    for (on, key, name) in [
        (state.zones_on.get_untracked(), "zones", T::Zones),
        (
            tiles && state.tiles_on.get_untracked(),
            "tiles",
            T::RasterTiles,
        ),
        (
            state.heatmap.with_untracked(|h| h.enabled),
            "heatmap",
            T::Heatmap,
        ),
        (true, "incidents", T::Incidents),
    ] {
        if on {
            out.push((key.to_string(), name.get(lang).to_string()));
        }
    }
    out
}

/// The heatmap as drawn (`None` when it is off).
fn heatmap_record(state: AppState) -> Option<(HeatmapRecord, String)> {
    let h = state.heatmap.get_untracked();
    if !h.enabled {
        return None;
    }
    let shown = state.heatmap_shown.get_untracked();
    let playback = state.playback.get_untracked();
    let compare = state.compare.get_untracked();
    let w = match (compare, playback) {
        (Some(c), _) => c.b,
        (None, Some(p)) => p.window(),
        (None, None) => h
            .window
            .at(state.incidents.clock.get_untracked() + crate::feed::CLOCK_STEP_MS),
    };
    let time = |ms: i64| Timestamp::from_millis(ms).map(Timestamp::to_rfc3339);
    let lang = state.lang.get_untracked();
    let bandwidth_m = shown.map_or(h.bandwidth.metres(), |s| s.bandwidth_m);
    let relative = h.scale == ScaleMode::Relative;
    let text = export::heatmap(
        lang,
        &crate::strings::heatmap::window(lang, h.window),
        bandwidth_m,
        relative,
        compare.is_some(),
        playback.is_some(),
    );
    let record = HeatmapRecord {
        window: h.window.key().to_string(),
        from: time(w.from_ms),
        to: time(w.to_ms),
        bandwidth_m,
        scale: if relative { "relative" } else { "fixed" }.to_string(),
        weighting: match h.weighting {
            crate::core::heatmap::history::Weighting::Count => "count",
            crate::core::heatmap::history::Weighting::Severity => "severity",
        }
        .to_string(),
        difference: compare.is_some(),
        playback: playback.is_some(),
    };
    Some((record, text))
}

fn legend(lang: Lang) -> Vec<LegendItem> {
    let item = |swatch, text: &str| LegendItem {
        swatch,
        text: text.to_string(),
    };
    let mut out: Vec<LegendItem> = FenceKind::ALL
        .into_iter()
        .map(|k| {
            let colour = style::fence_style(k).0;
            item(
                Swatch::Line {
                    colour,
                    dashed: false,
                },
                labels::fence(lang, k),
            )
        })
        .collect();
    out.push(item(
        Swatch::Area {
            fill: style::CAMERA_SECTOR_FILL,
            stroke: style::CAMERA_SECTOR_STROKE,
        },
        T::LegendCamera.get(lang),
    ));
    out.extend(
        PortKind::ALL
            .into_iter()
            .filter(|k| *k != PortKind::Other)
            .map(|k| {
                item(
                    Swatch::Dot {
                        colour: style::port_style(k).0,
                    },
                    labels::port(lang, k),
                )
            }),
    );
    out.push(item(
        Swatch::Line {
            colour: style::BORDER,
            dashed: true,
        },
        T::LegendBorder.get(lang),
    ));
    // The incidents' shapes say their kind, their colours their severity.
    out.extend(
        IncidentKind::ALL
            .into_iter()
            .map(|k| item(Swatch::Shape(kind_shape(k)), labels::incident_kind(lang, k))),
    );
    out.extend((1..=5u8).filter_map(Severity::new).map(|s| {
        item(
            Swatch::Dot {
                colour: severity_css(s),
            },
            &export::severity(lang, s.get()),
        )
    }));
    out.push(item(
        // The closed marker's ring, as the legend panel draws it (severity 3's orange).
        Swatch::Ring {
            colour: Severity::new(3).map_or("", severity_css),
        },
        T::LegendClosed.get(lang),
    ));
    out
}

/// Everything one export needs, read once (untracked) when the operator asks.
struct Facts {
    base: String,
    geojson: String,
    band: Band,
    sidecar: Sidecar,
}

fn clock_both(lang: Lang, ms: f64) -> String {
    let c = |z| zone_clock_s(ms, z).unwrap_or_else(|| "—".into());
    export::both_clocks(lang, &c(LONDON), &c(PARIS))
}

fn gather(state: AppState, note: &str) -> Result<Facts, ImageError> {
    let lang = state.lang.get_untracked();
    let now = wall_ms();
    let base = file_base(now).ok_or(ImageError::Clock)?;
    let offset = |z| zone_offset_name(now, z).and_then(|n| parse_gmt_offset(&n));
    let times =
        ExportTimes::new(now as i64, offset(LONDON), offset(PARIS)).ok_or(ImageError::Clock)?;
    let (geojson, count) = filtered(state, |v| (incidents_geojson(v.iter().copied()), v.len()))
        .ok_or(ImageError::NoData)?;
    let filter = state.incidents.filter.get_untracked();
    let layers = visible_layers(state, lang);
    let heat = heatmap_record(state);
    let feed = state.incidents.status.get_untracked();
    let view = state.view.get_untracked();
    let screen = state.wall_screen.get_untracked();
    let tile_view = screen.tile_view(&view);

    // The band's lines, in the operator's language.
    let kinds: Vec<&str> = IncidentKind::ALL
        .into_iter()
        .filter(|k| filter.kinds.get(k.index()).copied().unwrap_or(true))
        .map(|k| labels::incident_kind(lang, k))
        .collect();
    let all_kinds = kinds.len() == IncidentKind::ALL.len();
    let loc = locale(lang);
    let mut lines = vec![
        (
            T::ExportTime.get(lang).to_string(),
            export::times(
                lang,
                zone_date_time(now, LONDON, loc),
                zone_date_time(now, PARIS, loc),
            ),
        ),
        (
            T::Layers.get(lang).to_string(),
            layers
                .iter()
                .map(|(_, n)| n.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            T::ExportFilters.get(lang).to_string(),
            export::filters(
                lang,
                (!all_kinds).then_some(kinds.as_slice()),
                filter.min_severity,
                labels::status_filter(lang, filter.status),
                labels::time_window(lang, filter.window),
            ),
        ),
    ];
    if let Some((_, text)) = &heat {
        lines.push((T::Heatmap.get(lang).to_string(), text.clone()));
    }
    if screen.is_tiled() {
        // A wall screen's picture is its part of the wall: said in the picture, not only in
        // the record, so a printed page is not taken for the whole view.
        let grid = screen.layout.grid();
        lines.push((
            T::ExportScreen.get(lang).to_string(),
            export::wall_screen(
                lang,
                (screen.tile.col + 1, screen.tile.row + 1),
                (grid.cols(), grid.rows()),
            ),
        ));
    }
    lines.push((
        T::ExportData.get(lang).to_string(),
        format!(
            "{} · {}",
            messages::feed_status(lang, feed.status, feed.transport, &|ms| clock_both(
                lang, ms
            )),
            export::shown_count(lang, count)
        ),
    ));
    let note = note_text(note);
    let band = Band {
        title: T::ExportBandTitle.get(lang).to_string(),
        lines,
        legend_title: T::Legend.get(lang).to_string(),
        legend: legend(lang),
        note: (!note.is_empty()).then(|| (T::ExportNoteLine.get(lang).to_string(), note.clone())),
        scale: scale_bar(tile_view.ground_metres_per_css_px(), 140.0)
            .map(|b| (b.width_css, b.label)),
        north: T::ExportNorth.get(lang).to_string(),
    };

    let last = match feed.status {
        FeedStatus::Connecting => None,
        s => s.last(),
    };
    let tiled = screen.is_tiled();
    let grid = screen.layout.grid();
    let sidecar = Sidecar {
        format: FORMAT,
        app: AppVersion {
            name: "calais-map".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            commit: option_env!("CALAIS_GIT_COMMIT").map(str::to_string),
        },
        exported: times,
        lang: lang.key().to_string(),
        image: ImageRecord {
            file: format!("{base}.png"),
            width_px: 0,
            height_px: 0,
            map_height_px: 0,
            mode: state.mode.get_untracked().key().to_string(),
            wall_tile: tiled.then(|| format!("{},{}", screen.tile.col, screen.tile.row)),
            wall_grid: tiled.then(|| format!("{}x{}", grid.cols(), grid.rows())),
        },
        view: ViewRecord::of(&view),
        parameters: Parameters {
            layers: layers.into_iter().map(|(k, _)| k).collect(),
            kinds: IncidentKind::ALL
                .into_iter()
                .filter(|k| filter.kinds.get(k.index()).copied().unwrap_or(true))
                .map(|k| k.key().to_string())
                .collect(),
            min_severity: filter.min_severity,
            status: filter.status.key().to_string(),
            time_window: filter.window.key().to_string(),
            heatmap: heat.map(|(r, _)| r),
        },
        feed: FeedRecord {
            status: feed.status.key().to_string(),
            last_update: last
                .and_then(|ms| Timestamp::from_millis(ms as i64))
                .map(Timestamp::to_rfc3339),
        },
        note,
        incidents: DataHash::of(format!("{base}.incidents.geojson"), count, &geojson),
    };
    Ok(Facts {
        base,
        geojson,
        band,
        sidecar,
    })
}

/// What an export ended with.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Working,
    Done(String),
    Error(String),
}

/// The picture, its record and its incidents, downloaded in that order.
async fn export_picture(state: AppState, note: String) -> Outcome {
    let lang = state.lang.get_untracked();
    let facts = match gather(state, &note) {
        Ok(f) => f,
        Err(e) => return Outcome::Error(export::image_error(lang, e).to_string()),
    };
    let unit = state.view.get_untracked().dpr();
    let picture = match compose(&facts.band, unit).await {
        Ok(p) => p,
        Err(e) => return Outcome::Error(export::image_error(lang, e).to_string()),
    };
    let mut sidecar = facts.sidecar;
    sidecar.image.width_px = picture.width;
    sidecar.image.height_px = picture.height;
    sidecar.image.map_height_px = picture.map_height;
    let json = sidecar.to_json();
    let software = format!(
        "calais-map {}{}",
        sidecar.app.version,
        sidecar
            .app
            .commit
            .as_deref()
            .map(|c| format!(" ({c})"))
            .unwrap_or_default()
    );
    let chunks = [
        TextChunk::Latin1 {
            keyword: "Software".into(),
            text: software,
        },
        TextChunk::Latin1 {
            keyword: "Creation Time".into(),
            text: sidecar.exported.utc.clone(),
        },
        TextChunk::Utf8 {
            keyword: PNG_KEYWORD.into(),
            text: json.clone(),
        },
    ];
    let png = match insert_text_chunks(&picture.png, &chunks) {
        Ok(p) => p,
        Err(e) => return Outcome::Error(export::png_error(lang, &e)),
    };
    let files = [
        sidecar.image.file.clone(),
        format!("{}.json", facts.base),
        sidecar.incidents.file.clone(),
    ];
    let result = download_bytes(&files[0], "image/png", &png)
        .and_then(|()| download(&files[1], "application/json", &json))
        .and_then(|()| download(&files[2], "application/geo+json", &facts.geojson));
    match result {
        Ok(()) => Outcome::Done(export::saved(lang, &files)),
        Err(e) => Outcome::Error(problems::download_error(lang, &e)),
    }
}

/// The data exports: filtered incidents or zones, GeoJSON or CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Data {
    Incidents,
    Zones,
}

fn export_data(state: AppState, what: Data, csv: bool) -> Outcome {
    let lang = state.lang.get_untracked();
    let Some(base) = file_base(wall_ms()) else {
        return Outcome::Error(export::image_error(lang, ImageError::Clock).to_string());
    };
    let text = match what {
        Data::Incidents => filtered(state, |v| {
            if csv {
                incidents_csv(&export::incident_header(lang), v.iter().copied())
            } else {
                incidents_geojson(v.iter().copied())
            }
        }),
        Data::Zones => state.geofence.active.get_untracked().and_then(|a| {
            let zones = &a.set.zones;
            if zones.is_empty() {
                return None;
            }
            let counts = state.geofence.counts.get_untracked();
            Some(if csv {
                zones_csv(
                    &export::zone_header(lang),
                    zones.iter().enumerate().map(|(i, zone)| ZoneRow {
                        zone,
                        origin: match a.origins.get(i) {
                            Some(Origin::Drawn(_)) => "drawn",
                            _ => "loaded",
                        },
                        inside: counts.get(i).copied().unwrap_or(0),
                    }),
                )
            } else {
                zones_to_geojson(zones)
            })
        }),
    };
    let Some(text) = text else {
        return Outcome::Error(match what {
            Data::Incidents => export::image_error(lang, ImageError::NoData).to_string(),
            Data::Zones => export::no_zones(lang).to_string(),
        });
    };
    let (kind, ext, mime) = match (what, csv) {
        (Data::Incidents, false) => ("incidents", "geojson", "application/geo+json"),
        (Data::Incidents, true) => ("incidents", "csv", "text/csv"),
        (Data::Zones, false) => ("zones", "geojson", "application/geo+json"),
        (Data::Zones, true) => ("zones", "csv", "text/csv"),
    };
    let file = format!("{base}.{kind}.{ext}");
    match download(&file, mime, &text) {
        Ok(()) => Outcome::Done(export::saved(lang, &[file])),
        Err(e) => Outcome::Error(problems::download_error(lang, &e)),
    }
}

/// Whether a key press happens in a text field (where E is a letter, not a command).
fn typing(e: &web_sys::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
}

/// The export button, and its dialog when open (the key E opens it too).
#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    let open = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    window_keydown_while_mounted(move |e| {
        if e.key() == "Escape" {
            open.set(false);
        } else if (e.key() == "e" || e.key() == "E")
            && !(e.ctrl_key() || e.meta_key() || e.alt_key() || typing(&e))
        {
            // The key is a command: its letter must not land in the note focused on opening.
            e.prevent_default();
            open.set(true);
        }
    });
    view! {
        <button
            class="export-open"
            data-testid="export-open"
            data-map-reserved=""
            title=T::ExportOpen.get(lang)
            aria-label=T::ExportOpen.get(lang)
            aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)
        >"⤓"</button>
        <Show when=move || open.get()>{move || export_dialog((open, outcome))}</Show>
    }
}

crate::split::split_view! {
    /// The dialog and everything an export does (composing the picture, its record, SHA-256,
    /// the PNG chunks, the data files): the part `exports`, loaded on first use. `outcome` is
    /// the panel's, so a status outlives the dialog.
    exports: fn export_dialog(signals: (RwSignal<bool>, RwSignal<Option<Outcome>>)) {
        let (open, outcome) = signals;
        let state = use_app();
        let lang = state.lang.get_untracked();
        let note = state.export_note;
        let note_ref = NodeRef::<leptos::html::Textarea>::new();
        // Focus the note when the dialog opens (keyboard and screen-reader friendly).
        Effect::new(move |_| {
            if let Some(t) = note_ref.get() {
                let _ = t.focus();
            }
        });
        let busy = move || outcome.get() == Some(Outcome::Working);
        let picture = move |_| {
            if busy() {
                return;
            }
            outcome.set(Some(Outcome::Working));
            let text = note.get_untracked();
            wasm_bindgen_futures::spawn_local(async move {
                let done = export_picture(state, text).await;
                let _ = outcome.try_set(Some(done));
            });
        };
        let data = move |what: Data, csv: bool| outcome.set(Some(export_data(state, what, csv)));
        let status_text = move || match outcome.get() {
            Some(Outcome::Working) => T::ExportWorking.get(lang).to_string(),
            Some(Outcome::Done(t) | Outcome::Error(t)) => t,
            None => String::new(),
        };
        let status_key = move || match outcome.get() {
            Some(Outcome::Working) => "working",
            Some(Outcome::Done(_)) => "done",
            Some(Outcome::Error(_)) => "error",
            None => "",
        };
        view! {
            <section class="panel export-dialog" role="dialog" data-testid="export-dialog" data-map-reserved="" aria-label=T::ExportDialog.get(lang)>
                <h2>{T::ExportDialog.get(lang)}</h2>
                <label class="export-note">
                    <span>{T::ExportNote.get(lang)}</span>
                    <textarea
                        node_ref=note_ref
                        data-testid="export-note"
                        rows="3"
                        maxlength=NOTE_MAX.to_string()
                        prop:value=move || note.get()
                        on:input=move |e| note.set(event_target_value(&e))
                    ></textarea>
                </label>
                <button class="export-main" data-testid="export-png" title=T::ExportPngHelp.get(lang) disabled=busy on:click=picture>
                    {T::ExportPng.get(lang)}
                </button>
                <div class="export-row">
                    <span>{T::ExportFiltered.get(lang)}</span>
                    <button data-testid="export-geojson" on:click=move |_| data(Data::Incidents, false)>"GeoJSON"</button>
                    <button data-testid="export-csv" on:click=move |_| data(Data::Incidents, true)>"CSV"</button>
                </div>
                <div class="export-row">
                    <span>{T::Zones.get(lang)}</span>
                    <button data-testid="export-zones-geojson" on:click=move |_| data(Data::Zones, false)>"GeoJSON"</button>
                    <button data-testid="export-zones-csv" on:click=move |_| data(Data::Zones, true)>"CSV"</button>
                </div>
                <p class="export-status" data-testid="export-status" data-state=status_key role="status" aria-live="polite">{status_text}</p>
                <button class="export-close" data-testid="export-close" on:click=move |_| open.set(false)>{T::Close.get(lang)}</button>
            </section>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The picture's legend says what a shape means (the kind) as well as a colour (the
    /// severity): one shape swatch per kind, the map's shape, with the kind's label.
    #[test]
    fn the_legend_names_every_kinds_shape_in_both_languages() {
        for lang in Lang::ALL {
            let shapes: Vec<(Swatch, String)> = legend(lang)
                .into_iter()
                .filter(|i| matches!(i.swatch, Swatch::Shape(_)))
                .map(|i| (i.swatch, i.text))
                .collect();
            let expected: Vec<(Swatch, String)> = IncidentKind::ALL
                .into_iter()
                .map(|k| {
                    (
                        Swatch::Shape(kind_shape(k)),
                        labels::incident_kind(lang, k).to_string(),
                    )
                })
                .collect();
            assert_eq!(shapes, expected);
        }
    }
}
