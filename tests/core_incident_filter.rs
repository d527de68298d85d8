//! The operator's incident filter and list order, and local clock text.
//!
//! Positions are degrees WGS84 around Calais; times are ms since the Unix epoch (UTC), with
//! expected wall-clock texts for London (UTC+0 / +1) and Paris (UTC+1 / +2).

use calais_map::core::incident::{
    Incident, IncidentFilter, IncidentKind, IncidentStore, Severity, SortOrder, Status,
    StatusFilter, TimeWindow, Timestamp, listing,
};
use calais_map::core::projection::to_mercator;
use calais_map::core::units::LonLat;

/// 2026-11-25T12:00:00Z.
const NOON: i64 = 1_795_608_000_000;

fn t(min_before_noon: i64) -> Timestamp {
    Timestamp::from_millis(NOON - min_before_noon * 60_000).expect("in range")
}

fn mk(id: &str, kind: IncidentKind, sev: u8, status: Status, min_ago: i64) -> Incident {
    let position = LonLat::new(1.81, 50.93).expect("Coquelles");
    Incident {
        id: id.to_string(),
        kind,
        kind_text: None,
        severity: Severity::new(sev).expect("1..5"),
        status,
        position,
        at: to_mercator(position),
        reported_at: t(min_ago),
        updated_at: t(min_ago),
        description: String::new(),
        source: None,
        accuracy_m: None,
        seq: None,
        track: Vec::new(),
        properties: Vec::new(),
    }
}

fn store() -> IncidentStore {
    let mut s = IncidentStore::new();
    for inc in [
        mk("boat-1", IncidentKind::SmallBoat, 4, Status::Open, 5),
        mk("boat-2", IncidentKind::SmallBoat, 2, Status::Closed, 90),
        mk("fence-1", IncidentKind::FenceBreach, 5, Status::Open, 30),
        mk("lorry-1", IncidentKind::LorryIntrusion, 3, Status::Open, 1),
        mk(
            "lorry-2",
            IncidentKind::LorryIntrusion,
            3,
            Status::Open,
            400,
        ),
        mk("other-1", IncidentKind::Other, 1, Status::Closed, 2_000),
    ] {
        s.upsert(inc);
    }
    s
}

fn ids(filter: &IncidentFilter, limit: usize) -> (usize, Vec<String>) {
    let s = store();
    let l = listing(&s, filter, t(0), limit);
    (l.total, l.rows.iter().map(|i| i.id.clone()).collect())
}

#[test]
fn default_shows_everything_newest_first() {
    let f = IncidentFilter::default();
    assert!(f.is_everything());
    let (total, rows) = ids(&f, 100);
    assert_eq!(total, 6);
    assert_eq!(
        rows,
        [
            "lorry-1", "boat-1", "fence-1", "boat-2", "lorry-2", "other-1"
        ]
    );
}

#[test]
fn severity_order_breaks_ties_by_newest() {
    let f = IncidentFilter {
        sort: SortOrder::Severity,
        ..IncidentFilter::default()
    };
    let (_, rows) = ids(&f, 100);
    assert_eq!(
        rows,
        [
            "fence-1", "boat-1", "lorry-1", "lorry-2", "boat-2", "other-1"
        ]
    );
    // The map does not care about order.
    assert_eq!(f.for_map(), IncidentFilter::default());
}

#[test]
fn each_criterion_filters() {
    let mut f = IncidentFilter::default();
    f.kinds[IncidentKind::SmallBoat.index()] = false;
    assert!(!f.is_everything());
    assert_eq!(ids(&f, 100).1, ["lorry-1", "fence-1", "lorry-2", "other-1"]);

    let f = IncidentFilter {
        min_severity: 4,
        ..IncidentFilter::default()
    };
    assert_eq!(ids(&f, 100).1, ["boat-1", "fence-1"]);

    let f = IncidentFilter {
        status: StatusFilter::Closed,
        ..IncidentFilter::default()
    };
    assert_eq!(ids(&f, 100).1, ["boat-2", "other-1"]);
    let f = IncidentFilter {
        status: StatusFilter::Open,
        ..IncidentFilter::default()
    };
    assert_eq!(ids(&f, 100).0, 4);

    // Windows count back from "now" by updated_at, inclusive at the edge.
    let window = |w| IncidentFilter {
        window: w,
        ..IncidentFilter::default()
    };
    assert_eq!(
        ids(&window(TimeWindow::Min15), 100).1,
        ["lorry-1", "boat-1"]
    );
    assert_eq!(ids(&window(TimeWindow::Hour1), 100).0, 3);
    assert_eq!(ids(&window(TimeWindow::Hour6), 100).0, 4);
    assert_eq!(ids(&window(TimeWindow::Hour24), 100).0, 5);
    let edge = mk("edge", IncidentKind::Other, 1, Status::Open, 15);
    assert!(window(TimeWindow::Min15).matches(&edge, t(0)));
    let future = mk("future", IncidentKind::Other, 1, Status::Open, -3);
    assert!(window(TimeWindow::Min15).matches(&future, t(0)));
}

#[test]
fn limit_keeps_the_first_rows_and_the_full_total() {
    let f = IncidentFilter {
        sort: SortOrder::Severity,
        ..IncidentFilter::default()
    };
    assert_eq!(ids(&f, 2), (6, vec!["fence-1".into(), "boat-1".into()]));
    assert_eq!(ids(&f, 0), (6, vec![]));

    // 10k incidents: the top 200 by selection equal the top 200 of a full sort.
    let mut s = IncidentStore::new();
    for n in 0..10_000i64 {
        let sev = (n * 7 % 5 + 1) as u8;
        s.upsert(mk(
            &format!("i{n:05}"),
            IncidentKind::Other,
            sev,
            Status::Open,
            n % 977,
        ));
    }
    let l = listing(&s, &f, t(0), 200);
    let mut all: Vec<&Incident> = s.iter().collect();
    all.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.updated_at.cmp(&a.updated_at))
            .then(a.id.cmp(&b.id))
    });
    assert_eq!(l.total, 10_000);
    let got: Vec<&str> = l.rows.iter().map(|i| i.id.as_str()).collect();
    let want: Vec<&str> = all.iter().take(200).map(|i| i.id.as_str()).collect();
    assert_eq!(got, want);
}

#[test]
fn form_keys_round_trip() {
    for s in StatusFilter::ALL {
        assert_eq!(StatusFilter::from_key(s.key()), Some(s));
    }
    for w in TimeWindow::ALL {
        assert_eq!(TimeWindow::from_key(w.key()), Some(w));
    }
    for o in SortOrder::ALL {
        assert_eq!(SortOrder::from_key(o.key()), Some(o));
    }
    assert_eq!(TimeWindow::from_key("2h"), None);
}

#[test]
fn clock_text_in_london_and_paris() {
    // 2026-11-25T12:00:00Z: winter, London UTC+0, Paris UTC+1.
    let winter = t(0);
    assert_eq!(winter.clock_text(0), "12:00:00");
    assert_eq!(winter.clock_text(60), "13:00:00");
    assert_eq!(winter.date_time_text(60), "2026-11-25 13:00:00");
    // 2026-07-01T23:30:05Z: summer, London UTC+1, Paris UTC+2 (next day).
    let summer = Timestamp::parse_rfc3339("2026-07-01T23:30:05Z").expect("valid");
    assert_eq!(summer.clock_text(60), "00:30:05");
    assert_eq!(summer.date_time_text(120), "2026-07-02 01:30:05");
    // West of UTC, before the epoch, and the extremes do not panic.
    assert_eq!(Timestamp::EPOCH.date_time_text(-300), "1969-12-31 19:00:00");
    let _ = Timestamp::MAX.date_time_text(i32::MAX);
}
