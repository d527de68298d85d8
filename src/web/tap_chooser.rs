//! The tap chooser (issue 14 item 1): on a tablet, a tap within 22 CSS px of several things
//! (incidents, cameras, fences, ports; zones when the tap is inside one and another thing)
//! opens a small list at the finger, best first, so that a camera under an incident can be
//! opened. Choosing opens the incident's or the feature's card, or flies to the zone; Esc,
//! the close button or a tap elsewhere on the map drops it. The map (`map.rs`) fills
//! `AppState::chooser`; at the desk the mouse's precision and hover cards do without it.
//!
//! Units: the list's position is CSS px of the map (the tap), kept inside the window.

use leptos::prelude::*;

use crate::core::units::Zoom;
use crate::core::viewport::Viewport;
use crate::env::window_size;
use crate::feed::IncidentSelection;
use crate::state::{Choice, Selection, use_app};
use crate::strings::{T, labels, tablet};
use crate::widgets::{KindIcon, kind_label, severity_class};

/// The chooser's width, CSS px (assets/style.css `.tap-chooser`), to keep it on screen.
const WIDTH_PX: f64 = 288.0;

/// The list of what a tap hit, while there is one (its code is the part `field`, fetched at
/// the first tap that hits several things).
#[component]
pub fn TapChooser() -> impl IntoView {
    let state = use_app();
    view! {
        <Show when=move || state.chooser.with(Option::is_some)>{move || chooser_list(())}</Show>
    }
}

crate::split::split_view! {
    /// The list itself: the part `field`.
    field: fn chooser_list(_none: ()) {
        let state = use_app();
        let feed = state.incidents;
        let choose = move |c: Choice| {
            state.chooser.set(None);
            match c {
                Choice::Incident(id) => {
                    state.selection.set(None);
                    feed.selected
                        .set(Some(IncidentSelection { id, pinned: true }));
                }
                Choice::Feature(sel) => {
                    feed.selected.set(None);
                    state.selection.set(Some(Selection {
                        pinned: true,
                        ..sel
                    }));
                }
                Choice::Zone { bounds, .. } => {
                    let v = state.view.get_untracked();
                    let fit = Viewport::fit(&bounds, v.width_css(), v.height_css(), v.dpr(), 48.0);
                    state.fly_to(fit.center(), Zoom::clamped(fit.zoom().get().min(16.0)));
                }
            }
        };
        (move || {
            let lang = state.lang.get();
            state.chooser.get().map(|tc| {
                let (w, h, _) = window_size();
                let rows_h = 56.0 + 48.0 * tc.choices.len() as f64;
                let left = tc.x.min(w - WIDTH_PX - 8.0).max(8.0);
                let top = (tc.y + 16.0).min(h - rows_h - 8.0).max(8.0);
                let n = tc.choices.len();
                let rows = tc
                    .choices
                    .into_iter()
                    .map(|c| {
                        let (icon, kind, text) = describe(&state, lang, &c);
                        view! {
                            <li>
                                <button class="tap-choice" data-testid="tap-choice" data-kind=kind on:click=move |_| choose(c.clone())>
                                    {icon}
                                    <span class="tap-choice-text">{text}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect::<Vec<_>>();
                view! {
                    <section
                        class="panel tap-chooser"
                        data-testid="tap-chooser"
                        role="dialog"
                        aria-label=tablet::chooser_title(lang, n)
                        style:left=format!("{left:.0}px")
                        style:top=format!("{top:.0}px")
                    >
                        <header>
                            <h2>{tablet::chooser_title(lang, n)}</h2>
                            <button class="close" data-testid="tap-chooser-close" aria-label=T::Close.get(lang) on:click=move |_| state.chooser.set(None)>
                                "×"
                            </button>
                        </header>
                        <ul>{rows}</ul>
                    </section>
                }
            })
        })
        .into_any()
    }
}

/// A choice's icon, its kind (the row's `data-kind`: `incident`, the layer's key or `zone`)
/// and its text.
fn describe(
    state: &crate::state::AppState,
    lang: crate::strings::Lang,
    c: &Choice,
) -> (Option<AnyView>, &'static str, String) {
    match c {
        Choice::Incident(id) => {
            let inc = state
                .incidents
                .with_store(|s| {
                    s.get(id)
                        .map(|i| (i.kind, i.kind_text.clone(), i.severity.get(), i.is_open()))
                })
                .flatten();
            match inc {
                Some((kind, text, sev, open)) => {
                    let class = severity_class(sev, open);
                    (
                        Some(view! { <KindIcon kind=kind class=class /> }.into_any()),
                        "incident",
                        format!("{} · {id}", kind_label(lang, kind, text.as_deref())),
                    )
                }
                None => (
                    None,
                    "incident",
                    format!("{} · {id}", T::ChooserIncident.get(lang)),
                ),
            }
        }
        Choice::Feature(sel) => {
            let name = state
                .layer_untracked(sel.layer)
                .data()
                .and_then(|d| {
                    d.features
                        .get(sel.feature)
                        .map(|f| f.name.clone().unwrap_or_else(|| f.id.clone()))
                })
                .unwrap_or_default();
            (
                None,
                sel.layer.key(),
                format!("{} · {name}", labels::layer(lang, sel.layer)),
            )
        }
        Choice::Zone { name, .. } => (
            None,
            "zone",
            format!("{} · {name}", T::ChooserZone.get(lang)),
        ),
    }
}
