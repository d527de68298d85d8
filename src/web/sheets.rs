//! The tablet layout's bottom sheets (issue 14 item 1): every panel a `Sheet` wraps becomes,
//! in `?mode=tablet` (or on a touch tablet, `env::TABLET_MEDIA`), a sheet pulled up from the
//! tab bar: collapsed to its tab by default, one open at a time, half or full height by a tap
//! or a drag of its handle, hidden by its tab, its "Hide" button or Esc. At the desk and on the
//! wall a sheet is no box at all (`display: contents`): the panel keeps its place.
//!
//! A new panel becomes a sheet with one line in `lib.rs`:
//! `<Sheet key="nearby" label=T::Nearby><NearbyPanel /></Sheet>`: the sheet registers its
//! tab in `AppState::sheets` and [`TabBar`] shows it. The cards' sheet (`CARD_SHEET`, no tab)
//! opens by itself while something is selected.
//!
//! Units: CSS px of the page (the handle's drag; heights as fractions of the space above the
//! tab bar, `core::layout::SheetHeight`).

use leptos::prelude::*;
use web_sys::PointerEvent;

use crate::core::display::DisplayMode;
use crate::core::layout::SheetHeight;
use crate::env::window_size;
use crate::state::{SheetTab, use_app};
use crate::strings::T;

/// The tab bar's height, CSS px (assets/style.css `--tab-h`).
pub const TAB_BAR_PX: f64 = 56.0;

/// A panel that is a bottom sheet in the tablet layout; `label`: its tab (none for the
/// cards' sheet, which opens with a selection).
#[component]
pub fn Sheet(
    key: &'static str,
    #[prop(optional)] label: Option<T>,
    children: Children,
) -> impl IntoView {
    let state = use_app();
    let sheets = state.sheets;
    if let Some(label) = label {
        sheets.tabs.update(|t| {
            if !t.iter().any(|s| s.key == key) {
                t.push(SheetTab { key, label });
            }
        });
    }
    let tablet = state.mode.get_untracked() == DisplayMode::Tablet;
    let open = move || state.shown_sheet() == Some(key);
    // `data-state`: closed, half or full (CSS lays it out); `data-map-reserved` is static: a
    // closed sheet (or any at the desk, `display: contents`) has no box, so it reserves nothing.
    // While the handle is dragged: the sheet's height in CSS px and where the drag began.
    let drag = RwSignal::new(None::<(f64, f64, f64)>);
    let lang = state.lang.get_untracked();
    let avail = || window_size().1 - TAB_BAR_PX;
    let on_down = move |ev: PointerEvent| {
        let h = sheets.height.get_untracked().fraction() * avail();
        drag.set(Some((ev.client_y() as f64, h, h)));
        if let Some(t) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        {
            let _ = t.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_move = move |ev: PointerEvent| {
        drag.update(|d| {
            if let Some((y0, h0, h)) = d.as_mut() {
                *h = (*h0 + *y0 - ev.client_y() as f64).clamp(0.0, avail());
            }
        });
    };
    let on_up = move |_ev: PointerEvent| {
        let Some((_, h0, h)) = drag.get_untracked() else {
            return;
        };
        drag.set(None);
        let height = sheets.height.get_untracked();
        if (h - h0).abs() < 8.0 {
            // A tap: half and full swap.
            sheets.height.set(height.toggled());
            return;
        }
        match height.snap(h / avail()) {
            SheetHeight::Collapsed => state.hide_sheet(),
            snapped => sheets.height.set(snapped),
        }
    };
    let expanded = move || sheets.height.get() == SheetHeight::Full;
    let controls = tablet.then(|| {
        view! {
            <button
                class="sheet-handle"
                data-testid="sheet-handle"
                aria-label=T::SheetHandle.get(lang)
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=move |_| drag.set(None)
            >
                <span class="sheet-grip" aria-hidden="true"></span>
            </button>
        }
    });
    // The sheet's own actions at its bottom edge, within a thumb's reach.
    let actions = tablet.then(|| {
        view! {
            <div class="sheet-actions">
                <button
                    class="sheet-size"
                    data-testid="sheet-size"
                    on:click=move |_| sheets.height.update(|h| *h = h.toggled())
                >
                    {move || if expanded() { T::SheetShrink.get(lang) } else { T::SheetExpand.get(lang) }}
                </button>
                <button class="sheet-hide" data-testid="sheet-hide" on:click=move |_| state.hide_sheet()>
                    {if key == crate::state::CARD_SHEET { T::Close.get(lang) } else { T::SheetHide.get(lang) }}
                </button>
            </div>
        }
    });
    view! {
        <section
            class="sheet"
            data-sheet=key
            data-testid=format!("sheet-{key}")
            data-state=move || if open() { sheets.height.get().key() } else { "closed" }
            data-map-reserved=""
            style:height=move || drag.get().map(|(_, _, h)| format!("{h:.0}px"))
        >
            {controls}
            <div class="sheet-body">{children()}</div>
            {actions}
        </section>
    }
}

/// The tablet layout's tab bar: one tab per registered sheet (the open one pressed); the app
/// puts it in the status bar. Nothing at the desk and on the wall.
#[component]
pub fn TabBar() -> impl IntoView {
    let state = use_app();
    if state.mode.get_untracked() != DisplayMode::Tablet {
        return ().into_any();
    }
    let lang = state.lang.get_untracked();
    let tabs = move || {
        state
            .sheets
            .tabs
            .get()
            .into_iter()
            .map(|t| {
                let pressed = move || (state.shown_sheet() == Some(t.key)).to_string();
                view! {
                    <button
                        class="sheet-tab"
                        data-testid=format!("sheet-tab-{}", t.key)
                        aria-pressed=pressed
                        on:click=move |_| state.toggle_sheet(t.key)
                    >
                        {t.label.get(lang)}
                    </button>
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <nav class="tab-bar" data-testid="tab-bar" aria-label=T::Panels.get(lang)>
            {tabs}
        </nav>
    }
    .into_any()
}
