//! Units and projection against values computed independently with Python's
//! `math` module (EPSG:3857 sphere R = 6 378 137 m; ground lengths on the WGS84 ellipsoid,
//! checked against an independent Python implementation of Vincenty's formulae, which agree
//! with Karney's to well under a millimetre at these distances).

use calais_map::core::earth::distance_m;
use calais_map::core::projection::{
    EARTH_RADIUS_M, MAX_LAT, MAX_MERCATOR_M, destination, ground_scale, initial_bearing, to_lonlat,
    to_mercator,
};
use calais_map::core::units::{Bearing, LonLat, Mercator, Zoom};

const CALAIS_PORT: (f64, f64) = (1.8650, 50.9660);
const DOVER: (f64, f64) = (1.3134, 51.1279);
const COQUELLES: (f64, f64) = (1.8030, 50.9270);

fn ll(p: (f64, f64)) -> LonLat {
    LonLat::new(p.0, p.1).expect("fixture coordinates are valid")
}

fn assert_close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: got {actual}, expected {expected} ± {tol}"
    );
}

#[test]
fn lonlat_constructor_validates() {
    assert_eq!(
        LonLat::new(1.865, 50.966),
        Some(LonLat {
            lon: 1.865,
            lat: 50.966
        })
    );
    assert!(LonLat::new(180.0, 90.0).is_some());
    assert!(LonLat::new(-180.0, -90.0).is_some());
    assert!(LonLat::new(180.0001, 0.0).is_none());
    assert!(LonLat::new(0.0, -90.5).is_none());
    assert!(LonLat::new(f64::NAN, 0.0).is_none());
    assert!(LonLat::new(0.0, f64::INFINITY).is_none());
    assert!(Mercator::new(1.0, f64::NAN).is_none());
    assert!(Mercator::new(207_610.0, 6_615_281.0).is_some());
}

#[test]
fn zoom_and_bearing_newtypes() {
    assert_eq!(Zoom::new(12.5).map(Zoom::get), Some(12.5));
    assert!(Zoom::new(1.99).is_none());
    assert!(Zoom::new(20.01).is_none());
    assert!(Zoom::new(f64::NAN).is_none());
    assert_eq!(Zoom::clamped(f64::NAN).get(), Zoom::MIN);
    assert_eq!(Zoom::clamped(99.0).get(), Zoom::MAX);
    assert_eq!(Zoom::clamped(f64::NEG_INFINITY).get(), Zoom::MIN);
    assert_eq!(Zoom::clamped(7.25).get(), 7.25);

    assert_eq!(Bearing::new(-90.0).map(Bearing::degrees), Some(270.0));
    assert_eq!(Bearing::new(360.0).map(Bearing::degrees), Some(0.0));
    assert_eq!(Bearing::new(725.0).map(Bearing::degrees), Some(5.0));
    let tiny = Bearing::new(-1e-20).expect("finite").degrees();
    assert!((0.0..360.0).contains(&tiny), "{tiny}");
    assert!(Bearing::new(f64::INFINITY).is_none());
    assert!(Bearing::new(f64::NAN).is_none());
}

#[test]
fn mercator_known_values() {
    // python: R*radians(lon), R*log(tan(pi/4 + radians(lat)/2))
    let cases = [
        (CALAIS_PORT, 207610.8503, 6615281.7186),
        (DOVER, 146207.0192, 6643949.0112),
        (COQUELLES, 200709.0419, 6608391.0122),
    ];
    for (p, x, y) in cases {
        let m = to_mercator(ll(p));
        assert_close(m.x, x, 0.01, "x");
        assert_close(m.y, y, 0.01, "y");
    }
    let origin = to_mercator(ll((0.0, 0.0)));
    assert_close(origin.x, 0.0, 1e-9, "origin x");
    assert_close(origin.y, 0.0, 1e-9, "origin y");
    assert_close(MAX_MERCATOR_M, 20_037_508.342_789_244, 1e-6, "max");
    assert_close(
        EARTH_RADIUS_M * std::f64::consts::PI,
        MAX_MERCATOR_M,
        0.0,
        "pi R",
    );
}

#[test]
fn latitude_is_clamped() {
    let top = to_mercator(ll((0.0, MAX_LAT)));
    assert_close(
        top.y,
        MAX_MERCATOR_M,
        0.01,
        "y at MAX_LAT is the square's edge",
    );
    for lat in [85.2, 89.0, 90.0] {
        let m = to_mercator(ll((10.0, lat)));
        assert_close(m.y, MAX_MERCATOR_M, 0.01, "north clamp");
        assert!(m.y.is_finite());
    }
    let south = to_mercator(ll((10.0, -90.0)));
    assert_close(south.y, -MAX_MERCATOR_M, 0.01, "south clamp");
}

#[test]
fn round_trips() {
    for p in [
        CALAIS_PORT,
        DOVER,
        COQUELLES,
        (-1.5, 49.4),
        (5.5, 52.5),
        (-179.9, -60.0),
    ] {
        let back = to_lonlat(to_mercator(ll(p)));
        assert_close(back.lon, p.0, 1e-10, "lon");
        assert_close(back.lat, p.1, 1e-10, "lat");
    }
    let m = Mercator {
        x: 207610.8503,
        y: 6615281.7186,
    };
    let again = to_mercator(to_lonlat(m));
    assert_close(again.x, m.x, 1e-6, "x");
    assert_close(again.y, m.y, 1e-6, "y");
    // Beyond the antimeridian: wrapped back into range.
    let wrapped = to_lonlat(Mercator {
        x: MAX_MERCATOR_M + 111_319.490_793_273_57,
        y: 0.0,
    });
    assert_close(wrapped.lon, -179.0, 1e-9, "wrapped lon");
}

#[test]
fn ground_scale_is_the_wgs84_parallel_scale() {
    // cos(lat) / sqrt(1 - e2 sin2(lat)): the sphere's cos(lat) (0.629781, 0.5) was 0.2 % low.
    assert_close(ground_scale(0.0), 1.0, 1e-15, "equator");
    assert_close(ground_scale(50.966), 0.631_057_228_172_927, 1e-12, "Calais");
    assert_close(ground_scale(60.0), 0.501_259_942_664_127_1, 1e-12, "60N");
}

#[test]
fn geodesic_dover_calais() {
    // Vincenty (python) on WGS84: 42669.4896 m (haversine on the mean sphere said 42555.6484 m,
    // 0.27 % less).
    let d = distance_m(ll(DOVER), ll(CALAIS_PORT));
    assert_close(d, 42_669.489_6, 0.001, "Dover-Calais");
    assert_close(distance_m(ll(CALAIS_PORT), ll(DOVER)), d, 1e-6, "symmetric");
    assert_eq!(distance_m(ll(CALAIS_PORT), ll(CALAIS_PORT)), 0.0);
    let nan = LonLat {
        lon: f64::NAN,
        lat: 51.0,
    };
    assert!(distance_m(ll(CALAIS_PORT), nan).is_nan());
    // One degree of latitude at 50.5 N on the ellipsoid (the mean sphere said 111,195.08 m).
    assert_close(
        distance_m(ll((1.0, 50.0)), ll((1.0, 51.0))),
        111_238.680_86,
        0.001,
        "1 degree",
    );
}

#[test]
fn destination_known_values_and_round_trip() {
    let calais = ll(CALAIS_PORT);
    // Due north 1 km (Vincenty direct): 50.974988948924 (the mean sphere said 50.9749932036).
    let n = destination(calais, Bearing::new(0.0).expect("bearing"), 1000.0);
    assert_close(n.lat, 50.974_988_948_9, 1e-9, "north lat");
    assert_close(n.lon, 1.865, 1e-12, "north lon");
    // Vincenty direct: 300 degrees, 42555.6484 m -> (1.3382201602, 51.1560782925)
    let w = destination(calais, Bearing::new(300.0).expect("bearing"), 42555.6484);
    assert_close(w.lon, 1.338_220_160_2, 1e-8, "lon");
    assert_close(w.lat, 51.156_078_292_5, 1e-8, "lat");

    // Round trip: bearing+distance from Calais to Dover lands on Dover (to 1 cm).
    let dover = ll(DOVER);
    let b = initial_bearing(calais, dover).expect("distinct points");
    assert_close(
        b.degrees(),
        295.182_118_2,
        1e-6,
        "initial bearing Calais->Dover (Vincenty; the sphere said 295.240492)",
    );
    let d = distance_m(calais, dover);
    let arrived = destination(calais, b, d);
    assert!(distance_m(arrived, dover) < 0.001, "{arrived:?}");
    assert!(initial_bearing(calais, calais).is_none());
}
