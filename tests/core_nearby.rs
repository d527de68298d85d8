//! Where am I (`core::nearby`, issue 14 item 2) with Calais fixtures: the demo cameras and zones
//! and incident positions round the Eurotunnel terminal at Coquelles and the port of Calais.

use calais_map::core::config::PropertyNames;
use calais_map::core::earth::{destination, distance_m, initial_bearing};
use calais_map::core::geofence::parse_zones;
use calais_map::core::ingest::ingest_layer;
use calais_map::core::model::{FeatureKind, LayerId};
use calais_map::core::nearby::{
    Candidate, MAX_LISTED, NearKind, Place, Radius, in_region, nearest_first,
};
use calais_map::core::units::{Bearing, LonLat};

const DEMO_ZONES: &str = include_str!("../public/data/zones.geojson");
const CAMERAS: &str = include_str!("../public/data/cameras.geojson");

fn ll(lon: f64, lat: f64) -> LonLat {
    LonLat::new(lon, lat).expect("valid")
}

fn brg(d: f64) -> Bearing {
    Bearing::new(d).expect("finite")
}

/// The demo cameras' positions, in file order.
fn cameras() -> Vec<(String, LonLat)> {
    let layer = ingest_layer(LayerId::Cameras, CAMERAS, &PropertyNames::default()).expect("cams");
    layer
        .features
        .iter()
        .filter_map(|f| match &f.kind {
            FeatureKind::Camera(c) => Some((f.id.clone(), c.position)),
            _ => None,
        })
        .collect()
}

#[test]
fn points_nearest_first_with_geodesic_distance_and_bearing() {
    // Standing at the Eurotunnel terminal (ports.csv position).
    let here = ll(1.8120, 50.9280);
    let north_300 = destination(here, brg(0.0), 300.0);
    let east_120 = destination(here, brg(90.0), 120.0);
    let sw_700 = destination(here, brg(225.0), 700.0);
    let far = destination(here, brg(10.0), 3_000.0);
    let incidents = [north_300, east_120, sw_700, far];
    let got = nearest_first(
        here,
        Radius::Km1,
        incidents.iter().enumerate().map(|(index, p)| Candidate {
            kind: NearKind::Incident,
            index,
            place: Place::Point(*p),
        }),
    );
    let order: Vec<usize> = got.listed.iter().map(|n| n.index).collect();
    assert_eq!(order, [1, 0, 2], "nearest first, the 3 km one out");
    assert_eq!(got.total, 3);
    let expect = [(120.0, 90.0), (300.0, 0.0), (700.0, 225.0)];
    for (n, (d, b)) in got.listed.iter().zip(expect) {
        assert!((n.distance_m - d).abs() < 1e-6, "{n:?}");
        let bearing = n.bearing.expect("a bearing").degrees();
        let diff = (bearing - b + 540.0).rem_euclid(360.0) - 180.0;
        assert!(diff.abs() < 1e-6, "{n:?} against {b}");
    }
    // The same at 250 m: only the 120 m one.
    let near = nearest_first(
        here,
        Radius::M250,
        incidents.iter().enumerate().map(|(index, p)| Candidate {
            kind: NearKind::Incident,
            index,
            place: Place::Point(*p),
        }),
    );
    assert_eq!(near.listed.len(), 1);
    assert_eq!(near.listed[0].index, 1);
}

#[test]
fn demo_cameras_near_the_terminal_agree_with_earth() {
    let here = ll(1.8120, 50.9280);
    let cams = cameras();
    assert!(cams.len() > 50);
    let got = nearest_first(
        here,
        Radius::Km2,
        cams.iter().enumerate().map(|(index, (_, p))| Candidate {
            kind: NearKind::Camera,
            index,
            place: Place::Point(*p),
        }),
    );
    assert!(!got.listed.is_empty(), "terminal cameras within 2 km");
    // Every listed camera's figures are the ellipsoid's; sorted; all within the radius; and no
    // camera left out is within it.
    for w in got.listed.windows(2) {
        assert!(w[0].distance_m <= w[1].distance_m);
    }
    for n in &got.listed {
        let p = cams[n.index].1;
        assert_eq!(n.distance_m, distance_m(here, p));
        assert_eq!(n.bearing, initial_bearing(here, p));
        assert!(n.distance_m <= 2_000.0);
    }
    let within = cams
        .iter()
        .filter(|(_, p)| distance_m(here, *p) <= 2_000.0)
        .count();
    assert_eq!(got.total, within);
    let nearest = cams
        .iter()
        .map(|(_, p)| distance_m(here, *p))
        .fold(f64::INFINITY, f64::min);
    assert_eq!(got.listed[0].distance_m, nearest);
    assert!(
        cams[got.listed[0].index].0.starts_with("cam-T-"),
        "a terminal camera"
    );
}

#[test]
fn zones_are_zero_inside_and_to_the_nearest_edge_outside() {
    let zones = parse_zones(DEMO_ZONES).expect("demo zones").zones;
    let ix = |id: &str| zones.iter().position(|z| z.id == id).expect(id);
    let all = |from: LonLat, r: Radius| {
        nearest_first(
            from,
            r,
            zones.iter().enumerate().map(|(index, z)| Candidate {
                kind: NearKind::Zone,
                index,
                place: Place::Zone(z),
            }),
        )
    };
    // Inside the terminal perimeter: 0 m, no bearing, listed first.
    let inside = all(ll(1.8100, 50.9300), Radius::M500);
    let first = inside.listed[0];
    assert_eq!(first.index, ix("eurotunnel-coquelles"));
    assert_eq!(first.distance_m, 0.0);
    assert_eq!(first.bearing, None);
    // In the port's check-in hole: outside the port zone, a short walk to its edge.
    let hole = ll(1.8610, 50.9635);
    let got = all(hole, Radius::M500);
    let port = got
        .listed
        .iter()
        .find(|n| n.index == ix("port-calais"))
        .expect("the port is within 500 m of its own hole");
    assert!(port.distance_m > 0.0 && port.distance_m < 500.0, "{port:?}");
    assert!(port.bearing.is_some());
    // Calais town hall (lon 1.8530, lat 50.9520): no zone within 250 m, the port within 2 km.
    let town = ll(1.8530, 50.9520);
    assert!(
        all(town, Radius::M250)
            .listed
            .iter()
            .all(|n| n.index != ix("port-calais"))
    );
    let far = all(town, Radius::Km2);
    let port = far
        .listed
        .iter()
        .find(|n| n.index == ix("port-calais"))
        .expect("port within 2 km of the town hall");
    // The distance is to the edge, so shorter than to any of the zone's vertices.
    let z = &zones[ix("port-calais")];
    let to_vertex = z
        .polygons
        .iter()
        .flat_map(|p| p.exterior().0.iter())
        .map(|c| {
            let m = calais_map::core::units::Mercator { x: c.x, y: c.y };
            distance_m(town, calais_map::core::projection::to_lonlat(m))
        })
        .fold(f64::INFINITY, f64::min);
    assert!(
        port.distance_m <= to_vertex + 1e-6,
        "{} vs {to_vertex}",
        port.distance_m
    );
}

#[test]
fn mixed_kinds_cap_and_ties() {
    let here = ll(1.8650, 50.9660);
    let p = destination(here, brg(45.0), 50.0);
    // An incident and a camera at the same place: the incident first.
    let got = nearest_first(
        here,
        Radius::M250,
        [
            Candidate {
                kind: NearKind::Camera,
                index: 0,
                place: Place::Point(p),
            },
            Candidate {
                kind: NearKind::Incident,
                index: 7,
                place: Place::Point(p),
            },
        ],
    );
    let kinds: Vec<NearKind> = got.listed.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, [NearKind::Incident, NearKind::Camera]);
    // More than the cap: the nearest MAX_LISTED, the total counted.
    let many: Vec<LonLat> = (0..MAX_LISTED + 10)
        .map(|i| destination(here, brg(0.0), 10.0 + i as f64))
        .collect();
    let got = nearest_first(
        here,
        Radius::M250,
        many.iter().enumerate().rev().map(|(index, p)| Candidate {
            kind: NearKind::Incident,
            index,
            place: Place::Point(*p),
        }),
    );
    assert_eq!(got.total, MAX_LISTED + 10);
    assert_eq!(got.listed.len(), MAX_LISTED);
    assert_eq!(got.listed[0].index, 0);
    // At the position itself: 0 m and no bearing.
    let same = nearest_first(
        here,
        Radius::M250,
        [Candidate {
            kind: NearKind::Camera,
            index: 3,
            place: Place::Point(here),
        }],
    );
    assert_eq!(same.listed[0].distance_m, 0.0);
    assert_eq!(same.listed[0].bearing, None);
}

#[test]
fn region_and_radius_values() {
    assert!(in_region(ll(1.8530, 50.9520)), "Calais");
    assert!(in_region(ll(1.3133, 51.1279)), "Dover");
    assert!(
        !in_region(ll(2.3522, 48.8566)),
        "Paris is south of the region"
    );
    assert!(!in_region(ll(-3.19, 55.95)), "Edinburgh");
    assert_eq!(Radius::from_metres("250"), Some(Radius::M250));
    assert_eq!(Radius::from_metres("2000"), Some(Radius::Km2));
    assert_eq!(Radius::from_metres("300"), None);
    assert_eq!(Radius::from_metres("abc"), None);
    assert_eq!(Radius::default().metres(), 500.0);
}
