//! The fuzz targets: each ingest path of the core, from the text the page receives to what it
//! keeps (the same calls as the shell's, so a panic, an allocation or a loop past its bound is
//! found where the page would meet it). Units: none of their own (text in; the core's values).
//!
//! - `layer`: `ingest::ingest_layer` under every layer's rules (basemap, fences, cameras, ports).
//! - `zones`: `geofence::zone::parse_zones` (the config's zones file), then the zone index the
//!   engine classifies against, and a point classified.
//! - `zone-import`: an imported zones file (`geofence::drawn::import`, ids renamed against
//!   taken ones), the saved drawn zones (`drawn::restore`), both combined.
//! - `event`: one live event (`incident::parse_incident`), its SSE id (`parse_seq`), merged twice
//!   into a store (the second a replay).
//! - `snapshot`: `incident::parse_snapshot`, applied to a store, written as the offline picture
//!   and read back (`picture::read_picture`), closed incidents capped and purged.
//! - `snapshot-sliced`: the page's path for a snapshot (issue 15 item 4):
//!   `incident::SnapshotReader` in steps of 1 to 64 features (from the text's length), checked
//!   equal to `parse_snapshot` (but for serde_json's nesting limit, counted from the feature
//!   there), then `store::SnapshotMerge` in steps as a resync over the first reading, checked
//!   equal to `apply_snapshot`.
//! - `feed-machine`: `feed::FeedMachine` driven by a JSON script of browser and server
//!   happenings (`feed_script`), its promises checked after every step.
//! - `config`: `config::parse_config` (with the wall section's own reader).
//! - `history`: a history page as the shell reads it (`json::error_member`, then the snapshot
//!   reader), its reports into the heatmap's columns (`heatmap::history::History`, a small cap so
//!   its eviction runs), dropped before a time and a range's points read.

use calais_core::config::{PropertyNames, parse_config};
use calais_core::geofence::{ZoneIndex, combine, import, restore, zone::parse_zones};
use calais_core::heatmap::history::{History, Weighting};
use calais_core::incident::{
    IncidentError, IncidentFilter, IncidentNames, IncidentStore, SnapshotMerge, SnapshotReader,
    Timestamp, parse_incident, parse_seq, parse_snapshot,
    picture::{read_picture, write_picture},
};
use calais_core::ingest::ingest_layer;
use calais_core::json::error_member;
use calais_core::model::LayerId;
use calais_core::units::Mercator;
use std::collections::BTreeSet;

/// One fuzz target: its name on the command line (and its corpus folder) and the call under
/// test, which says whether the text was accepted as a whole (read as its format, whatever
/// its features): the share of accepted inputs tells how deep the mutations reach.
pub struct Target {
    pub name: &'static str,
    pub run: fn(&str) -> bool,
}

/// Every target, in the order `--target all` runs them.
pub const ALL: &[Target] = &[
    Target {
        name: "layer",
        run: layer,
    },
    Target {
        name: "zones",
        run: zones,
    },
    Target {
        name: "zone-import",
        run: zone_import,
    },
    Target {
        name: "event",
        run: event,
    },
    Target {
        name: "snapshot",
        run: snapshot,
    },
    Target {
        name: "snapshot-sliced",
        run: snapshot_sliced,
    },
    Target {
        name: "feed-machine",
        run: crate::feed_script::feed_machine,
    },
    Target {
        name: "config",
        run: config,
    },
    Target {
        name: "history",
        run: history,
    },
];

fn layer(text: &str) -> bool {
    let names = PropertyNames::default();
    let mut accepted = false;
    for id in LayerId::ALL {
        accepted |= std::hint::black_box(ingest_layer(id, text, &names)).is_ok();
    }
    accepted
}

fn zones(text: &str) -> bool {
    let Ok(set) = parse_zones(text) else {
        return false;
    };
    let index = ZoneIndex::new(&set.zones);
    let calais = Mercator {
        x: 207_600.0,
        y: 6_610_000.0,
    };
    std::hint::black_box(index.zones_at(calais));
    std::hint::black_box(index.classify_all(&[calais]));
    true
}

fn zone_import(text: &str) -> bool {
    let taken: BTreeSet<String> = ["import-good", "zone-1", "zone-1-2"]
        .into_iter()
        .map(String::from)
        .collect();
    let imported = import(text, &taken);
    let restored = restore(Some(text));
    let Ok(imp) = imported else {
        return false;
    };
    std::hint::black_box(combine(&restored.zones, &imp.zones));
    true
}

fn event(text: &str) -> bool {
    let names = IncidentNames::default();
    let Ok(inc) = parse_incident(text, &names) else {
        return false;
    };
    let mut store = IncidentStore::new();
    std::hint::black_box(store.upsert(inc.clone()));
    let seq = parse_seq(&inc.id).unwrap_or(u64::MAX);
    std::hint::black_box(store.upsert(inc.with_seq(seq)));
    true
}

fn snapshot(text: &str) -> bool {
    let names = IncidentNames::default();
    let Ok(snap) = parse_snapshot(text, &names) else {
        return false;
    };
    let mut store = IncidentStore::new();
    std::hint::black_box(store.apply_snapshot(snap));
    let picture = write_picture(&store, &names);
    let now = store.newest_update();
    let as_of = now.map_or_else(|| "2024-06-01T05:00:00Z".to_string(), Timestamp::to_rfc3339);
    std::hint::black_box(read_picture(&picture, &as_of, &names).is_ok());
    store.cap_closed(2);
    if let Some(now) = now {
        store.purge(now, 600_000);
    }
    true
}

fn snapshot_sliced(text: &str) -> bool {
    let names = IncidentNames::default();
    let whole = parse_snapshot(text, &names);
    let mut reader = SnapshotReader::new(text.to_string(), &names);
    let size = 1 + text.len() % 64;
    while !reader.step(size) {}
    let sliced = reader.finish();
    let deep = matches!(&whole, Err(IncidentError::Json(e)) if e.contains("recursion limit"));
    assert!(
        deep || sliced == whole,
        "the reader in steps of {size} differs from one reading"
    );
    let Ok(snap) = sliced else {
        return false;
    };
    let mut held = IncidentStore::new();
    held.apply_snapshot(snap.clone());
    let mut want = held.clone();
    let want_out = want.apply_snapshot(snap.clone());
    let mut merge = SnapshotMerge::new(&held, snap);
    while !merge.step(&held, size) {}
    let (got, got_out) = merge.finish(&held);
    assert_eq!(got_out, want_out, "the merge's outcome");
    assert!(
        got.version() == want.version()
            && got.len() == want.len()
            && got.iter().zip(want.iter()).all(|(a, b)| a == b),
        "the merge's store"
    );
    true
}

fn config(text: &str) -> bool {
    std::hint::black_box(parse_config(text)).is_ok()
}

fn history(text: &str) -> bool {
    std::hint::black_box(error_member(text));
    let names = IncidentNames::default();
    let Ok(page) = parse_snapshot(text, &names) else {
        return false;
    };
    let mut h = History::with_cap(64);
    let added = page
        .incidents
        .iter()
        .filter(|i| h.insert_incident(i))
        .count();
    std::hint::black_box(added);
    if let Some((from, to)) = h.span() {
        let filter = IncidentFilter::default();
        let mid = from / 2 + to / 2;
        let n = h.points(from, mid, &filter, Weighting::default()).count();
        std::hint::black_box(n);
        h.drop_before(mid);
    }
    true
}
