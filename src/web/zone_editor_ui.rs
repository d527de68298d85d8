//! The zone editor's floating panel: the drawing banner (hint, Undo point / Finish / Cancel)
//! and the zone form (name, kind, rules, Save / Cancel), shown while a zone is drawn or edited,
//! and the editor's keys (Esc, Enter, Backspace) meanwhile. The editor's state is
//! `zone_editor::ZoneEditor`; its buttons in the zone list are `geofence_ui`'s.
//!
//! Units: the dwell time is typed in seconds; point counts are the draft's vertices (degrees
//! WGS84 in the core). Every text (names as typed, errors) is rendered as text.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::geofence::{ZoneKind, ZoneRules};
use crate::state::use_app;
use crate::strings::{T, labels, messages};
use crate::widgets::window_keydown_while_mounted;
use crate::zone_editor::Mode;

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
    let state = use_app();
    let ed = state.zone_editor;
    // Keys while drawing or shaping (not while typing in the form).
    window_keydown_while_mounted(move |ev| {
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
    view! {
        <Show when=move || ed.mode.get() != Mode::Idle>{move || zone_editor_form(())}</Show>
    }
}

crate::split::split_view! {
    /// The banner and the form themselves: the part `zones`, loaded when a zone is first drawn
    /// or edited.
    zones: fn zone_editor_form(_none: ()) {
        let state = use_app();
        let ed = state.zone_editor;
        let lang = state.lang.get_untracked();
        let mode = move || ed.mode.get();
        let points = move || ed.draft.with(|d| d.len());
        let can_close = move || ed.draft.with(|d| d.can_close());
        let new_zone = move || ed.editing.with(Option::is_none);
        let fixed = move || ed.outline_fixed();
        let title = move || match (mode(), ed.editing.get()) {
            (Mode::Drawing, _) => T::DrawingZone.get(lang),
            (_, None) => T::NewZone.get(lang),
            (_, Some(_)) => T::EditZone.get(lang),
        };
        let hint = move || match mode() {
            Mode::Drawing => T::HintDrawing.get(lang),
            _ if fixed() => T::HintFixed.get(lang),
            _ => T::HintShaping.get(lang),
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
                ed.critical.set(ZoneRules::defaults(k).critical);
            }
        };
        view! {
            <section
                class="panel zone-editor"
                data-testid="zone-editor"
                data-mode=move || if mode() == Mode::Drawing { "drawing" } else { "shaping" }
                data-points=move || points().to_string()
                data-map-reserved=""
                aria-label=T::ZoneEditor.get(lang)
            >
                <header>
                    <h2 data-testid="zone-editor-title">{title}</h2>
                    <Show when=move || mode() == Mode::Drawing>
                        <span class="zone-points" data-testid="zone-draw-points">
                            {move || messages::points(state.lang.get(), points())}
                        </span>
                    </Show>
                </header>
                <p class="zone-hint" data-testid="zone-draw-banner">{hint}</p>
                <Show when=move || mode() == Mode::Drawing>
                    <div class="zone-buttons">
                        <button data-testid="zone-undo" disabled=move || points() == 0 on:click=move |_| ed.undo()>
                            {T::UndoPoint.get(lang)}
                        </button>
                        <button class="primary" data-testid="zone-finish" disabled=move || !can_close() on:click=move |_| ed.finish()>
                            {T::Finish.get(lang)}
                        </button>
                        <button data-testid="zone-cancel" on:click=move |_| ed.cancel()>{T::Cancel.get(lang)}</button>
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
                            <span>{T::Name.get(lang)}</span>
                            <input
                                type="text"
                                data-testid="zone-name"
                                maxlength="120"
                                required=""
                                placeholder=T::NamePlaceholder.get(lang)
                                prop:value=move || ed.name.get()
                                on:input=move |ev| ed.name.set(event_target_value(&ev))
                            />
                        </label>
                        <label>
                            <span>{T::Kind.get(lang)}</span>
                            <select data-testid="zone-kind" prop:value=move || ed.kind.get().key() on:change=on_kind>
                                {kinds.into_iter().map(|k| view! { <option value=k.key()>{labels::zone_kind(lang, k)}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>
                            <span>{T::DwellAfter.get(lang)}</span>
                            <input
                                type="text"
                                inputmode="numeric"
                                data-testid="zone-dwell"
                                placeholder=T::DwellPlaceholder.get(lang)
                                prop:value=move || ed.dwell.get()
                                on:input=move |ev| ed.dwell.set(event_target_value(&ev))
                            />
                        </label>
                        <fieldset class="wide zone-rules">
                            <legend>{T::AlertOn.get(lang)}</legend>
                            <label class="check">
                                <input type="checkbox" data-testid="zone-enter" prop:checked=move || ed.enter.get()
                                    on:change=move |ev| ed.enter.set(event_target_checked(&ev)) />
                                {T::AlertEnter.get(lang)}
                            </label>
                            <label class="check">
                                <input type="checkbox" data-testid="zone-exit" prop:checked=move || ed.exit.get()
                                    on:change=move |ev| ed.exit.set(event_target_checked(&ev)) />
                                {T::AlertExit.get(lang)}
                            </label>
                            <label class="check" title=T::CriticalTitle.get(lang)>
                                <input type="checkbox" data-testid="zone-critical" prop:checked=move || ed.critical.get()
                                    on:change=move |ev| ed.critical.set(event_target_checked(&ev)) />
                                {T::CriticalFlash.get(lang)}
                            </label>
                        </fieldset>
                        <div class="zone-buttons wide">
                            <button type="submit" class="primary" data-testid="zone-save">{T::Save.get(lang)}</button>
                            <Show when=move || new_zone()>
                                <button type="button" data-testid="zone-add-points" on:click=move |_| ed.add_points()>
                                    {T::AddPoints.get(lang)}
                                </button>
                            </Show>
                            <button type="button" data-testid="zone-cancel" on:click=move |_| ed.cancel()>{T::Cancel.get(lang)}</button>
                        </div>
                    </form>
                </Show>
                <Show when=move || ed.error.get().is_some()>
                    <p class="zone-form-error" role="alert" data-testid="zone-form-error">{move || ed.error.get().map(|e| messages::draft_error(state.lang.get(), &e))}</p>
                </Show>
            </section>
        }
        .into_any()
    }
}
