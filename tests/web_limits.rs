//! The shell's caps that are pure logic (issue 15 item 6, README "Limits"): the zone alert
//! ticker keeps the newest [`TICKER_LEN`] alerts, an imported zones file over
//! [`MAX_IMPORT_BYTES`] (5 MB) is refused before it is read, and the export note is cut at
//! [`NOTE_MAX`] characters (not bytes). Native: no browser involved.
#![cfg(not(target_arch = "wasm32"))]

use calais_map::core::geofence::EventKind;
use calais_map::web::export_ui::{NOTE_MAX, note_text};
use calais_map::web::geofence::{Alert, TICKER_LEN, push_alerts};
use calais_map::web::zone_editor::{ImportFailure, MAX_IMPORT_BYTES, check_import_size};

fn alert(seq: u64) -> Alert {
    Alert {
        seq,
        time_ms: 1_750_000_000_000 + seq as i64,
        kind: EventKind::Enter,
        zone_id: "eurotunnel-coquelles".into(),
        zone_name: "Eurotunnel terminal".into(),
        incident_id: format!("inc-{seq}"),
        critical: seq.is_multiple_of(2),
        acked: false,
    }
}

#[test]
fn the_ticker_keeps_the_newest_alerts_up_to_its_cap() {
    let mut ticker = Vec::new();
    let mut next = 0u64;
    // Bursts of 7 (newest first, as the engine hands them over), far past the cap.
    for _ in 0..40 {
        let fresh: Vec<Alert> = (next..next + 7).rev().map(alert).collect();
        next += 7;
        push_alerts(&mut ticker, fresh);
        assert!(ticker.len() <= TICKER_LEN, "{} alerts kept", ticker.len());
    }
    assert_eq!(ticker.len(), TICKER_LEN);
    let seqs: Vec<u64> = ticker.iter().map(|a| a.seq).collect();
    let expected: Vec<u64> = (next - TICKER_LEN as u64..next).rev().collect();
    assert_eq!(seqs, expected, "the newest, newest first");
    // One burst larger than the cap alone keeps its newest.
    let mut ticker = vec![alert(0)];
    push_alerts(&mut ticker, (1..=120).rev().map(alert).collect());
    assert_eq!(ticker.len(), TICKER_LEN);
    assert_eq!(ticker.first().map(|a| a.seq), Some(120));
    assert_eq!(ticker.last().map(|a| a.seq), Some(71));
}

#[test]
fn an_imported_file_over_5_mb_is_refused_before_reading() {
    assert_eq!(MAX_IMPORT_BYTES, 5_000_000.0);
    assert_eq!(check_import_size(0.0), Ok(()));
    assert_eq!(check_import_size(MAX_IMPORT_BYTES), Ok(()));
    assert_eq!(
        check_import_size(MAX_IMPORT_BYTES + 1.0),
        Err(ImportFailure::TooBig(5_000_001.0))
    );
    assert_eq!(check_import_size(500e6), Err(ImportFailure::TooBig(500e6)));
}

#[test]
fn the_export_note_is_cut_at_500_characters() {
    assert_eq!(NOTE_MAX, 500);
    assert_eq!(note_text("  Shift B, gate 4  "), "Shift B, gate 4");
    let long = "é".repeat(NOTE_MAX + 100);
    let cut = note_text(&long);
    assert_eq!(cut.chars().count(), NOTE_MAX, "characters, not bytes");
    assert_eq!(cut.len(), 2 * NOTE_MAX);
    let exact = "a".repeat(NOTE_MAX);
    assert_eq!(note_text(&exact), exact);
}
