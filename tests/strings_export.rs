//! The string table's fixed texts in both languages, exported for the end-to-end language check
//! (`tests/e2e/lang.test.mjs` reads `target/strings.json`: in French no English text of the table
//! may be visible), and the checks of issue 14's texts: the property labels, the zone log CSV's
//! header in both languages, the number forms. A missing French entry does not compile (the
//! table's macro, the wording functions' `match`); these fail on an empty or an untranslated one.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use calais_map::core::geofence::events::CSV_COLUMNS;
use calais_map::core::geofence::{EventKind, ZoneKind};
use calais_map::core::incident::{IncidentKind, SortOrder, Status, StatusFilter, TimeWindow};
use calais_map::core::model::{FenceKind, LayerId, PortKind};
use calais_map::web::env::City;
use calais_map::web::strings::{Lang, T, labels, locale};

/// Every fixed text of the shell: the table's keys and the names of the core's enums.
fn fixed_texts() -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = T::ALL
        .iter()
        .map(|t| {
            (
                t.name().to_string(),
                t.get(Lang::En).to_string(),
                t.get(Lang::Fr).to_string(),
            )
        })
        .collect();
    let mut add = |key: String, f: &dyn Fn(Lang) -> &'static str| {
        out.push((key, f(Lang::En).to_string(), f(Lang::Fr).to_string()));
    };
    for id in LayerId::ALL {
        add(format!("layer.{}", id.key()), &|l| labels::layer(l, id));
    }
    for k in FenceKind::ALL {
        add(format!("fence.{k:?}"), &|l| labels::fence(l, k));
    }
    for k in PortKind::ALL {
        add(format!("port.{k:?}"), &|l| labels::port(l, k));
    }
    for k in IncidentKind::ALL {
        add(format!("kind.{}", k.key()), &|l| {
            labels::incident_kind(l, k)
        });
    }
    for s in [Status::Open, Status::Closed] {
        add(format!("status.{s:?}"), &|l| labels::status(l, s));
    }
    for f in StatusFilter::ALL {
        add(format!("status-filter.{f:?}"), &|l| {
            labels::status_filter(l, f)
        });
    }
    for w in TimeWindow::ALL {
        add(format!("window.{w:?}"), &|l| labels::time_window(l, w));
    }
    for o in SortOrder::ALL {
        add(format!("sort.{o:?}"), &|l| labels::sort_order(l, o));
    }
    for k in ZoneKind::ALL {
        add(format!("zone-kind.{k:?}"), &|l| labels::zone_kind(l, k));
    }
    for k in EventKind::ALL {
        add(format!("event.{k:?}"), &|l| labels::event_verb(l, k));
    }
    for m in 1..=12u8 {
        add(format!("month.{m}"), &|l| labels::month(l, m));
    }
    for c in [City::London, City::Paris] {
        add(format!("city.{c:?}"), &|l| labels::city(l, c));
    }
    out
}

#[test]
fn the_fixed_texts_are_exported_for_the_e2e_check() {
    let texts = fixed_texts();
    for (key, en, fr) in &texts {
        assert!(
            !en.trim().is_empty() && !fr.trim().is_empty(),
            "{key}: empty"
        );
    }
    // Most texts differ between the languages (the same word in both, "Zones", "Source", is
    // not a failure; the e2e check skips them).
    let differ = texts.iter().filter(|(_, en, fr)| en != fr).count();
    assert!(
        differ * 10 > texts.len() * 8,
        "{differ} of {} texts differ",
        texts.len()
    );
    let json = serde_json::json!({
        "texts": texts
            .iter()
            .map(|(key, en, fr)| serde_json::json!({ "key": key, "en": en, "fr": fr }))
            .collect::<Vec<_>>(),
    });
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&dir).expect("target/ can be made");
    let path = dir.join("strings.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json).expect("json")).expect("written");
    let back: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read back")).expect("json");
    assert_eq!(back["texts"].as_array().map(Vec::len), Some(texts.len()));
}

#[test]
fn every_property_of_the_demo_layers_has_a_label_in_both_languages() {
    for key in [
        "id",
        "name",
        "kind",
        "bearing",
        "fov",
        "range_m",
        "height_m",
        "model",
        "operator",
        "watches",
        "synthetic",
        "country",
        "source",
        "iso_a3",
        "critical",
        "dwell_s",
    ] {
        let (label, _) = locale::property(key).unwrap_or_else(|| panic!("{key} has no label"));
        assert_ne!(label.get(Lang::En), key, "{key}: the label is the raw key");
        assert!(!label.get(Lang::Fr).is_empty());
    }
    assert_eq!(locale::property("x_custom_field"), None);
}

#[test]
fn the_zone_log_csv_header_is_the_wire_form_in_english_and_as_wide_in_french() {
    assert_eq!(T::ZoneLogCsvHeader.get(Lang::En), CSV_COLUMNS);
    let columns = |s: &str| s.split(',').count();
    assert_eq!(
        columns(T::ZoneLogCsvHeader.get(Lang::Fr)),
        columns(CSV_COLUMNS)
    );
    assert_ne!(T::ZoneLogCsvHeader.get(Lang::Fr), CSV_COLUMNS);
}
