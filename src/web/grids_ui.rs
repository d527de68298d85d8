//! The coordinates' panels (issue 14, item 6): the status bar's readout of the cursor (the last
//! position pointed at once the pointer has left the map; on touch, the last tapped point) in WGS84 (DD/DMS/DDM switch, remembered per device), Lambert-93 and
//! the British National Grid with a copy button; the go-to box and its marker over the map; the
//! grid file's failure banner.
//!
//! Units: positions are WGS84 degrees; the marker is placed in CSS px of the map canvas (this
//! screen's part of the view, times the map's scale); conversions are the core's
//! (`core::grids`), texts the string table's (`strings::grids`, `T::Coord*`, `T::Goto*`).

use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::core::grids::goto::{self, GotoError, Target};
use crate::core::grids::ostn15::Ostn15Grid;
use crate::core::grids::wgs84_text::Wgs84Form;
use crate::core::projection::to_mercator;
use crate::core::units::Zoom;
use crate::env::js_error_text;
use crate::state::use_app;
use crate::strings::{T, grids as text, problems};

/// The zoom the go-to box flies to at least (the harbour's basins are recognisable).
pub const GOTO_ZOOM: f64 = 14.0;

/// What the copy button last did.
#[derive(Clone, Debug, PartialEq)]
enum Copy {
    Done,
    Failed(String),
}

/// Copies `text` to the clipboard and reports the outcome.
fn copy_to_clipboard(text: String, done: RwSignal<Option<Copy>>) {
    let Some(window) = web_sys::window() else {
        done.set(Some(Copy::Failed("no window".to_string())));
        return;
    };
    let promise = window.navigator().clipboard().write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = match JsFuture::from(promise).await {
            Ok(_) => Copy::Done,
            Err(e) => Copy::Failed(js_error_text(&e)),
        };
        let _ = done.try_set(Some(outcome));
    });
}

/// The status bar's readout (`coord-readout`): the form switch (`coord-format`), the three
/// lines (`coord-wgs84`, `coord-l93`, `coord-bng`) and the copy button (`coord-copy`, its
/// outcome in `coord-copy-status`).
#[component]
pub fn CoordReadout() -> impl IntoView {
    let state = use_app();
    let grids = state.grids;
    // The last position pointed at stays when the pointer leaves the map (for the copy button,
    // and on touch the last tapped point).
    let at =
        Memo::new(move |prev: Option<&Option<_>>| state.cursor.get().or(prev.copied().flatten()));
    let readout = Memo::new(move |_| at.get().map(|at| grids.readout(at)));
    let copied = RwSignal::new(None::<Copy>);
    // A new position clears the last copy's outcome.
    Effect::new(move |_| {
        readout.track();
        copied.set(None);
    });
    let lang = move || state.lang.get();
    let options = move || {
        Wgs84Form::ALL
            .into_iter()
            .map(|f| {
                let (short, long) = text::form_label(lang(), f);
                view! {
                    <option value=f.key() title=long selected=move || grids.form.get() == f>{short}</option>
                }
            })
            .collect_view()
    };
    let line =
        move |f: fn(&crate::core::grids::Readout, Wgs84Form, crate::strings::Lang) -> String| {
            move || match readout.get() {
                Some(r) => f(&r, grids.form.get(), lang()),
                None => "—".to_string(),
            }
        };
    let copy = move |_| match readout.get_untracked() {
        Some(r) => copy_to_clipboard(
            text::copy_text(lang(), &r, grids.form.get_untracked()),
            copied,
        ),
        None => copied.set(Some(Copy::Failed(T::CoordTapHint.get(lang()).to_string()))),
    };
    view! {
        <div class="coord-readout" data-testid="coord-readout" title=move || T::CursorPosition.get(lang())
            data-form=move || grids.form.get().key()>
            <select
                class="coord-format"
                data-testid="coord-format"
                aria-label=move || T::CoordFormat.get(lang())
                on:change=move |ev| {
                    if let Some(f) = Wgs84Form::from_key(&event_target_value(&ev)) {
                        grids.choose(f);
                    }
                }
            >
                {options}
            </select>
            <div class="coord-lines">
                <span data-testid="coord-wgs84">{line(|r, f, l| text::wgs84(l, r, f))}</span>
                <span class="coord-grids">
                    <span data-testid="coord-l93">{line(|r, _, l| text::l93(l, r))}</span>
                    " · "
                    <span data-testid="coord-bng" data-out=move || readout.get().is_some_and(|r| r.bng.is_err()).then_some("true")>
                        {line(|r, _, l| text::bng(l, r))}
                    </span>
                </span>
            </div>
            <button
                class="coord-copy"
                data-testid="coord-copy"
                title=move || T::CoordCopyTitle.get(lang())
                on:click=copy
            >
                {move || T::CoordCopy.get(lang())}
            </button>
            <span
                class="coord-copy-status"
                data-testid="coord-copy-status"
                role="status"
                data-outcome=move || copied.get().map(|c| if c == Copy::Done { "copied" } else { "failed" })
            >
                {move || match copied.get() {
                    Some(Copy::Done) => T::CoordCopied.get(lang()).to_string(),
                    Some(Copy::Failed(d)) => text::copy_failed(lang(), &d),
                    None => String::new(),
                }}
            </span>
        </div>
    }
}

/// How the go-to box reads a text ([`goto::parse`]).
type Parse = fn(&str, Option<&Ostn15Grid>) -> Result<Target, GotoError>;

crate::split::split_point! {
    /// The go-to box's reader (the three text forms and the inverse projections back to
    /// WGS84): the part `goto`, loaded at the first submit (`split.rs`).
    goto: fn parser_part() -> Parse {
        goto::parse
    }
}

/// The go-to box (`goto-box`): a text field (`goto-input`) and a button (`goto-submit`); Enter
/// submits. A position read flies the map there and puts the marker there; a bad one says what
/// was expected (`goto-error`, `data-error` names the variant) and moves nothing.
#[component]
pub fn GotoBox() -> impl IntoView {
    let state = use_app();
    let grids = state.grids;
    let lang = move || state.lang.get();
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<GotoError>);
    // The reader's part could not be fetched (the next submit asks again).
    let unavailable = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = typed.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(parse) = parser_part().await else {
                let _ = unavailable.try_set(true);
                return;
            };
            let _ = unavailable.try_set(false);
            let grid = grids.grid_untracked();
            match parse(&text, grid.as_deref()) {
                Ok(t) => {
                    let _ = error.try_set(None);
                    grids.marker.set(Some(t.at));
                    let z = state.view.get_untracked().zoom().get().max(GOTO_ZOOM);
                    state.fly_to(to_mercator(t.at), Zoom::clamped(z));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="goto-box" data-testid="goto-box" data-map-reserved="" role="search" on:submit=submit>
            <input
                type="text"
                data-testid="goto-input"
                enterkeyhint="go"
                autocomplete="off"
                spellcheck="false"
                aria-label=move || T::GotoLabel.get(lang())
                placeholder=move || T::GotoPlaceholder.get(lang())
                prop:value=move || typed.get()
                aria-invalid=move || error.get().map(|_| "true")
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <button type="submit" data-testid="goto-submit" title=move || T::GotoSubmitTitle.get(lang())>
                {move || T::GotoSubmit.get(lang())}
            </button>
            {move || grids.marker.get().map(|_| view! {
                <button
                    type="button"
                    class="goto-clear"
                    data-testid="goto-marker-remove"
                    title=move || T::GotoMarkerRemove.get(lang())
                    aria-label=move || T::GotoMarkerRemove.get(lang())
                    on:click=move |_| grids.marker.set(None)
                >
                    "×"
                </button>
            })}
            {move || error.get().map(|e| view! {
                <p class="goto-error" data-testid="goto-error" role="alert" data-error=format!("{e:?}")>
                    {move || text::goto_error(lang(), e)}
                </p>
            })}
            {move || unavailable.get().then(|| view! {
                <p class="goto-error part-unavailable" data-testid="part-unavailable" role="alert">
                    {move || problems::part_unavailable(lang())}
                </p>
            })}
        </form>
    }
}

/// The go-to marker over the map (`goto-marker`, `data-lon`/`data-lat`), following the view.
#[component]
pub fn GotoMarker() -> impl IntoView {
    let state = use_app();
    let grids = state.grids;
    let place = move || {
        let at = grids.marker.get()?;
        let view = state.wall_screen.with(|s| s.tile_view(&state.view.get()));
        let (x, y) = view.world_to_screen(to_mercator(at));
        let k = state.map_scale.get();
        Some((at, x * k, y * k))
    };
    move || {
        place().map(|(at, x, y)| {
            view! {
                <div
                    class="goto-marker"
                    data-testid="goto-marker"
                    data-lon=format!("{:.6}", at.lon)
                    data-lat=format!("{:.6}", at.lat)
                    style:left=format!("{x:.1}px")
                    style:top=format!("{y:.1}px")
                    aria-hidden="true"
                ></div>
            }
        })
    }
}

/// The grid file's failure, as a banner (`error-banner`, `data-layer="grids"`): the National
/// Grid is unavailable, Lambert-93 and WGS84 still work.
#[component]
pub fn GridFileBanner() -> impl IntoView {
    let state = use_app();
    move || {
        state.grids.failure().map(|e| {
            view! {
                <div class="error-banner" role="alert" data-testid="error-banner" data-layer="grids">
                    {move || text::grid_file_error(state.lang.get(), &e)}
                </div>
            }
        })
    }
}
