//! The comparison of two windows (issue 12, floor 4): the two windows' ends (typed in the
//! browser's time zone), the displacement summary (each window's reports, the shift of the
//! centre of activity in km and compass bearing) and the table of reports per day near each
//! port of the ports layer for both windows with the change in %. The heatmap meanwhile shows
//! the difference B − A per day (`render/heatmap.rs`), the map the arrow from A's centre to
//! B's (`render/shift_arrow.rs`).
//!
//! Units: window ends are ms since the Unix epoch, typed and shown as `datetime-local` in the
//! browser's time zone (named under the fields, `compare-zone`); the shift ground km and
//! degrees clockwise from true north; rates reports per day; changes per cent.
//!
//! `data-testid="displacement-summary"` carries `data-shift-km` and `data-bearing-deg` (the
//! centre of window B seen from the centre of window A; absent while a window has no
//! reports), `data-count-a` and `data-count-b`, so tools read what eyes read.

use leptos::prelude::*;

use crate::core::heatmap::displacement::Window;
use crate::displacement::{Comparison, Summary};
use crate::env::{local_input_text, parse_local_input};
use crate::state::use_app;
use crate::strings::compare::{self as words, Field, Refusal};
use crate::strings::{Lang, T, locale};
use crate::widgets::device_zone_name;

/// The comparison with one end changed to the text typed, or why it is refused.
pub fn with_end(c: Comparison, field: Field, typed: &str) -> Result<Comparison, (Field, Refusal)> {
    let t = parse_local_input(typed).ok_or((field, Refusal::NotADateTime))?;
    with_end_ms(c, field, t)
}

/// The comparison with one end moved to `t_ms`, or why it is refused (the window's end named).
pub fn with_end_ms(c: Comparison, field: Field, t_ms: i64) -> Result<Comparison, (Field, Refusal)> {
    let mut c = c;
    let (w, to_field) = match field {
        Field::AFrom | Field::ATo => (&mut c.a, Field::ATo),
        Field::BFrom | Field::BTo => (&mut c.b, Field::BTo),
        Field::CustomFrom | Field::CustomTo => return Err((field, Refusal::NotADateTime)),
    };
    let (from, to) = match field {
        Field::AFrom | Field::BFrom => (t_ms, w.to_ms),
        _ => (w.from_ms, t_ms),
    };
    *w = Window::new(from, to).ok_or((to_field, Refusal::NotAfterFrom))?;
    Ok(c)
}

/// The summary's contents.
fn summary_view(lang: Lang, s: &Summary) -> impl IntoView + use<> {
    let d = &s.displacement;
    let empty = if d.count_a == 0 {
        Some('A')
    } else if d.count_b == 0 {
        Some('B')
    } else {
        None
    };
    let sentence = words::shift(
        lang,
        d.shift.map(|s| s.km),
        d.shift.and_then(|s| s.bearing_deg),
        empty,
    );
    let rows = d
        .ports
        .iter()
        .filter_map(|r| Some((s.ports.get(r.port)?.name.clone(), *r)))
        .filter(|(_, r)| r.per_day_a > 0.0 || r.per_day_b > 0.0)
        .map(|(name, r)| {
            let trend = match r.change_pct {
                Some(p) if p > 0.5 => "up",
                Some(p) if p < -0.5 => "down",
                None if r.per_day_b > 0.0 => "up",
                _ => "flat",
            };
            let key = name.clone();
            view! {
                <tr data-port=key data-per-day-a=r.per_day_a.to_string() data-per-day-b=r.per_day_b.to_string()>
                    <th scope="row">{name}</th>
                    <td>{words::rate(lang, r.per_day_a)}</td>
                    <td>{words::rate(lang, r.per_day_b)}</td>
                    <td class=format!("change {trend}")>{words::change(lang, r.change_pct, r.per_day_b)}</td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let no_rows = rows.is_empty();
    view! {
        <p class="displacement-shift">{sentence}</p>
        <p class="displacement-counts">
            <span class="end-a">{words::window_count(lang, 'A', d.count_a, d.count_a as f64 / d.a.days())}</span>
            <span class="end-b">{words::window_count(lang, 'B', d.count_b, d.count_b as f64 / d.b.days())}</span>
        </p>
        <table class="displacement-ports" data-testid="displacement-ports" hidden=no_rows>
            <caption>{T::PortsNear.get(lang)}</caption>
            <thead>
                <tr>
                    <th scope="col">{T::Port.get(lang)}</th>
                    <th scope="col">"A"</th>
                    <th scope="col">"B"</th>
                    <th scope="col">{T::Change.get(lang)}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// The comparison panel: its box (shown while a comparison is open), its contents in the part
/// `heatmap` (built when a comparison is first opened).
#[component]
pub fn ComparePanel() -> impl IntoView {
    let state = use_app();
    let lang = state.lang.get_untracked();
    let open = move || state.compare.with(Option::is_some);
    view! {
        <section
            class="compare-panel"
            data-testid="compare-panel"
            data-map-reserved=""
            aria-label=T::CompareTitle.get(lang)
            hidden=move || !open()
        >
            <Show when=open>{move || compare_contents(())}</Show>
        </section>
    }
}

crate::split::split_view! {
    /// The two windows' ends, the zone they are typed in, the displacement summary: the part
    /// `heatmap`.
    heatmap: fn compare_contents(_none: ()) {
        let state = use_app();
        let lang = state.lang.get_untracked();
        let (refused, set_refused) = signal(None::<String>);
        let edit = move |field: Field, ev: leptos::ev::Event| {
            let Some(c) = state.compare.get_untracked() else {
                return;
            };
            match with_end(c, field, &event_target_value(&ev)) {
                Ok(c) => {
                    set_refused.set(None);
                    state.compare.set(Some(c));
                }
                Err((f, why)) => set_refused.set(Some(words::window_refused(lang, f, why))),
            }
        };
        let close = move |_| {
            set_refused.set(None);
            state.compare.set(None);
        };
        let end = move |field: Field, testid: &'static str, label: T| {
            let value = move || {
                state.compare.get().map_or_else(String::new, |c| {
                    local_input_text(match field {
                        Field::AFrom => c.a.from_ms,
                        Field::ATo => c.a.to_ms,
                        Field::BFrom => c.b.from_ms,
                        _ => c.b.to_ms,
                    })
                })
            };
            view! {
                <label class="compare-field">
                    <span>{label.get(lang)}</span>
                    <input
                        type="datetime-local"
                        data-testid=testid
                        prop:value=value
                        on:change=move |ev| edit(field, ev)
                    />
                </label>
            }
        };
        let summary = state.displacement;
        let attrs = move || {
            summary.with(|s| {
                let d = s.as_ref().map(|s| &s.displacement);
                let shift = d.and_then(|d| d.shift);
                (
                    shift.map(|s| s.km.to_string()),
                    shift.and_then(|s| s.bearing_deg).map(|b| b.to_string()),
                    d.map(|d| d.count_a.to_string()),
                    d.map(|d| d.count_b.to_string()),
                )
            })
        };
        view! {
            <header class="compare-head">
                <h2>{T::CompareTitle.get(lang)}</h2>
                <button
                    class="compare-close"
                    data-testid="compare-close"
                    aria-label=T::CompareClose.get(lang)
                    title=T::CompareClose.get(lang)
                    on:click=close
                >"×"</button>
            </header>
            <div class="compare-windows">
                <fieldset class="compare-window end-a">
                    <legend>{T::WindowA.get(lang)}</legend>
                    {end(Field::AFrom, "compare-a-from", T::HeatFrom)}
                    {end(Field::ATo, "compare-a-to", T::HeatTo)}
                </fieldset>
                <fieldset class="compare-window end-b">
                    <legend>{T::WindowB.get(lang)}</legend>
                    {end(Field::BFrom, "compare-b-from", T::HeatFrom)}
                    {end(Field::BTo, "compare-b-to", T::HeatTo)}
                </fieldset>
            </div>
            // The ends are typed in this device's zone: said, as every time shown says its zone.
            <p class="list-zone" data-testid="compare-zone">{locale::list_zone(lang, &device_zone_name(lang))}</p>
            <p class="heat-refused" role="alert" data-testid="compare-error">{refused}</p>
            <div
                class="displacement-summary"
                data-testid="displacement-summary"
                aria-label=T::Displacement.get(lang)
                data-shift-km=move || attrs().0
                data-bearing-deg=move || attrs().1
                data-count-a=move || attrs().2
                data-count-b=move || attrs().3
            >
                {move || summary.with(|s| s.as_ref().map(|s| summary_view(lang, s)))}
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;

    #[test]
    fn window_ends_are_checked() {
        let c = Comparison::default_at(30 * DAY);
        let moved = with_end_ms(c, Field::AFrom, DAY).unwrap();
        assert_eq!(moved.a.from_ms, DAY);
        assert_eq!(moved.b, c.b);
        assert_eq!(
            with_end_ms(c, Field::BTo, c.b.from_ms),
            Err((Field::BTo, Refusal::NotAfterFrom))
        );
        assert_eq!(
            with_end_ms(c, Field::AFrom, c.a.to_ms + 1),
            Err((Field::ATo, Refusal::NotAfterFrom))
        );
    }
}
