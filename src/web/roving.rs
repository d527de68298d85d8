//! Keyboard access to long lists (issue 15, item 5): one tab stop per list (roving
//! `tabindex`), the arrow keys inside it, and the keyboard focus kept when the list renders its
//! rows again.
//!
//! No units: DOM rows of a list, each a focusable element carrying its key in a data attribute
//! (`data-incident-id` for the incident list). Rows stay static (`keyed_rows`: a row holds no
//! reactive closure of its own), so the roving state lives on the list: [`Roving`] remembers the
//! key of the row that has (or last had) the focus, and [`Roving::settle`], run after each
//! render, gives that row — or the first — `tabindex="0"` and every other row `-1`, and puts the
//! focus back on it when a render replaced or moved the focused row (the live list replaces a
//! row whose text changed, every few seconds, and a keyed render may move the focused row among
//! the others; the focus used to fall back to the page). A loss of focus to nowhere is the
//! operator's only when a press outside the list caused it (`pressed_outside`): the focus then
//! stays where the press left it.
//!
//! Keys in a list: ↓/↑ the next/previous row, Home/End the first/last, PageDown/PageUp ten
//! rows; Enter and Space act on the row (it is a button). Tab leaves the list.
//!
//! The lists: incidents (`data-incident-id`), zones (`data-zone-id` on the zone's button; a
//! drawn zone's Edit and Delete stay their own stops) and zone alerts (`data-alert-seq` on the
//! acknowledge button). A list wires [`Roving::on_key_down`], [`Roving::focus_in`] and
//! [`Roving::on_focus_out`] on its element and runs [`Roving::settle_next_frame`] after
//! every render.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, FocusEvent, HtmlElement, KeyboardEvent};

use crate::env::now_ms;

/// An event's target (or related target) as an element.
pub fn event_element(t: Option<web_sys::EventTarget>) -> Option<Element> {
    t.and_then(|t| t.dyn_into::<Element>().ok())
}

/// Rows that PageDown/PageUp move by.
const PAGE_ROWS: usize = 10;

/// How long after a press (a pointer down) a loss of the focus is taken for its doing, ms: a
/// mouse moves the focus at once, a tap when the finger lifts.
const PRESS_MS: f64 = 1_000.0;

thread_local! {
    /// The last press in the page not yet taken for a loss of focus: when (`env::now_ms`) and on
    /// what.
    static LAST_PRESS: std::cell::RefCell<Option<(f64, Element)>> = const { std::cell::RefCell::new(None) };
    static WATCHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps [`LAST_PRESS`] (one listener for the page, in the capture phase, installed once).
fn watch_presses() {
    if WATCHING.replace(true) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let capture = gloo_events::EventListenerOptions::run_in_capture_phase();
    gloo_events::EventListener::new_with_options(&window, "pointerdown", capture, |ev| {
        let on = event_element(ev.target());
        LAST_PRESS.with(|p| *p.borrow_mut() = on.map(|on| (now_ms(), on)));
    })
    .forget();
}

/// Whether the focus just went nowhere because of a press outside `list` (the press is taken:
/// it explains one loss of focus at most).
fn pressed_outside(list: &Element) -> bool {
    LAST_PRESS
        .with(|p| p.borrow_mut().take())
        .is_some_and(|(at, on)| now_ms() - at <= PRESS_MS && !list.contains(Some(&on)))
}

/// The roving focus of one list: the key of its current row and whether the keyboard focus
/// is in the list (so a render that replaced the focused row gives it back).
#[derive(Clone, Copy)]
pub struct Roving {
    /// The data attribute that carries a row's key.
    attr: &'static str,
    current: StoredValue<Option<String>>,
    focus_inside: StoredValue<bool>,
}

impl Roving {
    /// The roving state of a list whose rows carry their key in `attr`.
    pub fn new(attr: &'static str) -> Self {
        watch_presses();
        Roving {
            attr,
            current: StoredValue::new(None),
            focus_inside: StoredValue::new(false),
        }
    }

    /// `true` once the list that owns this state is gone (its owner disposed).
    pub fn is_disposed(self) -> bool {
        self.current.is_disposed() || self.focus_inside.is_disposed()
    }

    /// The list's rows (the elements carrying the key attribute), in order.
    fn rows(self, list: &Element) -> Vec<HtmlElement> {
        let Ok(nodes) = list.query_selector_all(&format!("[{}]", self.attr)) else {
            return Vec::new();
        };
        (0..nodes.length())
            .filter_map(|i| nodes.item(i))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            .collect()
    }

    /// A row's key.
    fn key_of(self, row: &Element) -> Option<String> {
        row.get_attribute(self.attr)
    }

    /// A focus event in the list: the focused row becomes the current one.
    pub fn focus_in(self, target: Option<Element>) {
        self.focus_inside.set_value(true);
        if let Some(key) = target
            .and_then(|t| t.closest(&format!("[{}]", self.attr)).ok().flatten())
            .and_then(|row| self.key_of(&row))
        {
            self.current.set_value(Some(key));
        }
    }

    /// The focus left a row: to somewhere else (the list no longer has it), or nowhere. Nowhere
    /// is a press where nothing takes the focus (a pointer down outside the list, just before:
    /// the list no longer has it), or a render that removed or moved the focused row (Chromium
    /// moves the focus to the page as the row leaves it, even when a keyed render only moves
    /// it): then it stays, for [`Roving::settle`] to give back.
    pub fn focus_out(self, list: &Element, to: Option<Element>) {
        let left = match to {
            Some(to) => !list.contains(Some(&to)),
            None => pressed_outside(list),
        };
        if left {
            self.focus_inside.set_value(false);
        }
    }

    /// `keydown` on the list's element (the event's current target): [`Roving::key_down`].
    pub fn on_key_down(self, ev: &KeyboardEvent) {
        if let Some(list) = event_element(ev.current_target()) {
            self.key_down(&list, ev);
        }
    }

    /// `focusout` on the list's element: [`Roving::focus_out`].
    pub fn on_focus_out(self, ev: &FocusEvent) {
        if let Some(list) = event_element(ev.current_target()) {
            self.focus_out(&list, event_element(ev.related_target()));
        }
    }

    /// [`Roving::settle`] at the next animation frame, once a render's rows are in the page;
    /// `list` gives the list's element then (`None`: not built, nothing to do). Nothing is done
    /// if the list was disposed meanwhile (a language switch rebuilds the panels: a render's
    /// frame can come after its list is gone; reading its state then would panic), and `list`
    /// is not called then: it may read the list's own `NodeRef` (read it with
    /// `try_get_untracked` all the same).
    pub fn settle_next_frame(self, list: impl FnOnce() -> Option<Element> + 'static) {
        request_animation_frame(move || {
            if self.is_disposed() {
                return;
            }
            if let Some(list) = list() {
                self.settle(&list);
            }
        });
    }

    /// After a render: one tab stop (the current row, else the first) and the focus given back
    /// if the render took it away from the list.
    pub fn settle(self, list: &Element) {
        let rows = self.rows(list);
        let current = self.current.get_value();
        let at = current
            .as_ref()
            .and_then(|k| {
                rows.iter()
                    .position(|r| self.key_of(r).as_deref() == Some(k.as_str()))
            })
            .unwrap_or(0);
        for (i, row) in rows.iter().enumerate() {
            let _ = row.set_attribute("tabindex", if i == at { "0" } else { "-1" });
        }
        let lost = web_sys::window()
            .and_then(|w| w.document())
            .map(|d| {
                d.active_element()
                    .is_none_or(|a| Some(a) == d.body().map(Into::into))
            })
            .unwrap_or(false);
        if self.focus_inside.get_value()
            && lost
            && let Some(row) = rows.get(at)
        {
            let _ = row.focus();
        }
    }

    /// The list's keys: moves the focus between rows (and the tab stop with it).
    pub fn key_down(self, list: &Element, ev: &KeyboardEvent) {
        let rows = self.rows(list);
        if rows.is_empty() {
            return;
        }
        let Some(from) = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest(&format!("[{}]", self.attr)).ok().flatten())
            .and_then(|row| rows.iter().position(|r| Element::from(r.clone()) == row))
        else {
            return;
        };
        let last = rows.len() - 1;
        let to = match ev.key().as_str() {
            "ArrowDown" => (from + 1).min(last),
            "ArrowUp" => from.saturating_sub(1),
            "Home" => 0,
            "End" => last,
            "PageDown" => (from + PAGE_ROWS).min(last),
            "PageUp" => from.saturating_sub(PAGE_ROWS),
            _ => return,
        };
        ev.prevent_default();
        if let (Some(old), Some(new)) = (rows.get(from), rows.get(to)) {
            let _ = old.set_attribute("tabindex", "-1");
            let _ = new.set_attribute("tabindex", "0");
            self.current.set_value(self.key_of(new));
            let _ = new.focus();
        }
    }
}
