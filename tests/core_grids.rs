//! `core::grids` against the committed reference points (tests/fixtures/grids-reference.csv,
//! made by scripts/grids-reference.py: Lambert-93 from PROJ through pyproj, the National Grid
//! from OSTN15 through convertbng) with the committed OSTN15 region file
//! (public/data/ostn15-kent.bin): Lambert-93 within 1 cm and the BNG within 0.1 m, both
//! directions; "outside OSTN15" where the reference has no BNG; round-trip properties; the
//! go-to reader's forms and errors; the hand-written projections (`core::grids::proj`) against
//! proj4rs over the region to 1 mm. Native only (proptest does not build for wasm32).
#![cfg(not(target_arch = "wasm32"))]

use calais_map::core::grids::bng::{self, Bng, BngError};
use calais_map::core::grids::goto::{self, GotoError, System};
use calais_map::core::grids::lambert93::{self, L93};
use calais_map::core::grids::letters::{self, Precision, RefError};
use calais_map::core::grids::ostn15::Ostn15Grid;
use calais_map::core::grids::proj::{Projected, forward, inverse};
use calais_map::core::grids::wgs84_text::{self, Half, Wgs84Error, Wgs84Form};
use calais_map::core::grids::{Readout, readout};
use calais_map::core::units::LonLat;
use proptest::prelude::*;

struct Point {
    name: String,
    at: LonLat,
    l93: L93,
    bng: Option<Bng>,
}

fn grid() -> Ostn15Grid {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/data/ostn15-kent.bin"
    ))
    .expect("the committed grid file");
    Ostn15Grid::parse(&bytes).expect("a valid grid file")
}

fn points() -> Vec<Point> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/grids-reference.csv"
    ))
    .expect("the committed reference points");
    text.lines()
        .skip(1)
        .map(|line| {
            // Names may be quoted with a comma inside: the numbers are the last seven fields.
            let fields: Vec<&str> = line.rsplitn(8, ',').collect();
            let f = |i: usize| fields[6 - i].parse::<f64>().ok();
            Point {
                name: fields[7].trim_matches('"').to_string(),
                at: LonLat::new(f(0).unwrap(), f(1).unwrap()).unwrap(),
                l93: L93 {
                    x: f(2).unwrap(),
                    y: f(3).unwrap(),
                },
                bng: f(4).zip(f(5)).map(|(e, n)| Bng { e, n }),
            }
        })
        .collect()
}

/// Ground metres between two nearby WGS84 points (local flat Earth, enough at 1 m).
fn metres(a: LonLat, b: LonLat) -> f64 {
    let k = 6_371_000f64.to_radians();
    ((a.lon - b.lon) * k * a.lat.to_radians().cos()).hypot((a.lat - b.lat) * k)
}

#[test]
fn reference_points_are_many_and_varied() {
    let p = points();
    assert!(p.len() >= 45, "{} points", p.len());
    assert!(
        p.iter().filter(|p| p.bng.is_none()).count() >= 3,
        "points outside OSTN15"
    );
    assert!(p.iter().any(|p| p.name.starts_with("Dover")));
}

#[test]
fn lambert93_within_1_cm_both_ways() {
    let (mut worst, mut worst_back) = (0f64, 0f64);
    for p in points() {
        let got = lambert93::from_lonlat(p.at).unwrap();
        let err = (got.x - p.l93.x).hypot(got.y - p.l93.y);
        assert!(err < 0.01, "{}: {err} m", p.name);
        let back = lambert93::to_lonlat(p.l93).unwrap();
        assert!(
            metres(back, p.at) < 0.01,
            "{}: back {} m",
            p.name,
            metres(back, p.at)
        );
        (worst, worst_back) = (worst.max(err), worst_back.max(metres(back, p.at)));
    }
    println!("Lambert-93 vs PROJ: worst {worst:.6} m forward, {worst_back:.6} m inverse");
}

#[test]
fn bng_within_10_cm_both_ways_and_out_of_range_where_ostn15_has_no_data() {
    let g = grid();
    let (mut worst, mut worst_back) = (0f64, 0f64);
    for p in points() {
        let got = bng::from_lonlat(&g, p.at);
        match p.bng {
            Some(want) => {
                let got = got.unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
                let err = (got.e - want.e).hypot(got.n - want.n);
                assert!(err < 0.1, "{}: {err} m", p.name);
                let back = bng::to_lonlat(&g, want).unwrap();
                assert!(
                    metres(back, p.at) < 0.1,
                    "{}: back {} m",
                    p.name,
                    metres(back, p.at)
                );
                (worst, worst_back) = (worst.max(err), worst_back.max(metres(back, p.at)));
            }
            None => {
                assert_eq!(got, Err(BngError::OutsideOstn15), "{}", p.name);
            }
        }
    }
    println!("BNG vs OSTN15 (convertbng): worst {worst:.6} m forward, {worst_back:.6} m inverse");
}

#[test]
fn readout_says_bng_unavailable_without_the_grid_file() {
    let at = LonLat {
        lon: 1.3125,
        lat: 51.125,
    };
    let r: Readout = readout(at, None);
    assert_eq!(r.bng, Err(BngError::GridUnavailable));
    assert!(r.l93.is_some_and(|(_, inside)| inside));
    let r = readout(at, Some(&grid()));
    let b = r.bng.unwrap();
    assert_eq!(letters::format(b, Precision::M100).unwrap(), "TR 318 414");
}

#[test]
fn goto_reads_each_form() {
    let g = grid();
    let dover = LonLat {
        lon: 1.3125,
        lat: 51.125,
    };
    let near = |t: goto::Target, want: LonLat, tol: f64| metres(t.at, want) < tol;
    let cases: [(&str, System, f64); 9] = [
        ("51.125, 1.3125", System::Wgs84, 0.01),
        ("51°07'30\"N 1°18'45\"E", System::Wgs84, 0.01),
        ("51°07.500'N 001°18.750'E", System::Wgs84, 0.01),
        ("L93 581588.3092 7115667.8758", System::Lambert93, 0.01),
        ("581588.3092 7115667.8758", System::Lambert93, 0.01),
        ("TR 31885 41408", System::Bng, 1.5),
        ("TR3188541408", System::Bng, 1.5),
        ("631885.468 141408.159", System::Bng, 0.1),
        ("BNG 631885.468, 141408.159", System::Bng, 0.1),
    ];
    for (text, system, tol) in cases {
        let t = goto::parse(text, Some(&g)).unwrap_or_else(|e| panic!("{text}: {e:?}"));
        assert_eq!(t.system, system, "{text}");
        assert!(
            near(t, dover, tol),
            "{text}: {:?} is {} m away",
            t.at,
            metres(t.at, dover)
        );
    }
}

#[test]
fn goto_errors_say_what_is_wrong() {
    let g = grid();
    let err = |t: &str| goto::parse(t, Some(&g)).unwrap_err();
    assert_eq!(err("  "), GotoError::Empty);
    assert_eq!(err("51.1x 1.3"), GotoError::Wgs84(Wgs84Error::Character(4)));
    assert_eq!(err("51.125"), GotoError::Wgs84(Wgs84Error::Shape));
    assert_eq!(
        err("51 75 1 18"),
        GotoError::Wgs84(Wgs84Error::MinutesOrSeconds(Half::Latitude))
    );
    assert_eq!(err("TI 318 413"), GotoError::GridRef(RefError::Letters));
    assert_eq!(err("TR 3181 413"), GotoError::GridRef(RefError::Digits));
    assert_eq!(err("L93 600000"), GotoError::Metres(System::Lambert93));
    // Paris: a valid position outside the app's region, in each system.
    assert_eq!(
        err("48.8566, 2.3522"),
        GotoError::OutsideRegion(System::Wgs84)
    );
    assert_eq!(
        err("L93 652469 6862035"),
        GotoError::OutsideRegion(System::Lambert93)
    );
    // Dunkirk in National Grid metres: no OSTN15 data there; a London grid ref: outside the file.
    assert_eq!(err("707000 135000"), GotoError::OutsideOstn15);
    assert_eq!(err("TQ 300 800"), GotoError::OutsideOstn15);
    assert_eq!(
        goto::parse("TR 318 413", None),
        Err(GotoError::GridUnavailable)
    );
}

/// proj4rs (PROJ's formulas in Rust, a native dev-dependency): (lon, lat) degrees → metres.
fn proj4rs_forward(def: &str, lon: f64, lat: f64) -> (f64, f64) {
    let src = proj4rs::Proj::from_proj_string("+proj=longlat +ellps=GRS80 +no_defs").unwrap();
    let dst = proj4rs::Proj::from_proj_string(def).unwrap();
    let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
    proj4rs::transform::transform(&src, &dst, &mut p).unwrap();
    (p.0, p.1)
}

const L93_DEF: &str = "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +units=m +no_defs";
const TM_DEF: &str = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=GRS80 +units=m +no_defs";

fn region() -> impl Strategy<Value = LonLat> {
    (0.7f64..2.1, 50.6f64..51.5).prop_map(|(lon, lat)| LonLat { lon, lat })
}

proptest! {
    #[test]
    fn projections_match_proj4rs_to_1_mm(lon in -1.5f64..5.5, lat in 49.4f64..52.5) {
        for (p, def) in [(Projected::Lambert93, L93_DEF), (Projected::NationalGridTm, TM_DEF)] {
            let (x, y) = forward(p, lon, lat).unwrap();
            let (rx, ry) = proj4rs_forward(def, lon, lat);
            prop_assert!((x - rx).hypot(y - ry) < 1e-3, "{:?}: {} {} vs {} {}", p, x, y, rx, ry);
            let (blon, blat) = inverse(p, rx, ry).unwrap();
            let back = metres(LonLat { lon: blon, lat: blat }, LonLat { lon, lat });
            prop_assert!(back < 1e-3, "{:?} inverse: {} m", p, back);
        }
    }

    #[test]
    fn lambert93_round_trips(p in region()) {
        let back = lambert93::to_lonlat(lambert93::from_lonlat(p).unwrap()).unwrap();
        prop_assert!(metres(back, p) < 1e-4);
    }

    #[test]
    fn bng_round_trips_inside_the_file(p in region()) {
        let g = grid();
        if let Ok(b) = bng::from_lonlat(&g, p) {
            let back = bng::to_lonlat(&g, b).unwrap();
            prop_assert!(metres(back, p) < 1e-3, "{} m", metres(back, p));
        }
    }

    #[test]
    fn grid_letters_round_trip(e in 0.0f64..699_999.0, n in 0.0f64..1_299_999.0) {
        let b = Bng { e, n };
        let text = letters::format(b, Precision::M1).unwrap();
        let back = letters::parse(&text).unwrap();
        prop_assert_eq!(back, Bng { e: e.floor(), n: n.floor() });
        let coarse = letters::parse(&letters::format(b, Precision::M100).unwrap()).unwrap();
        prop_assert!(e - coarse.e < 100.0 && n - coarse.n < 100.0 && e >= coarse.e && n >= coarse.n);
    }

    #[test]
    fn wgs84_text_round_trips(lon in -180.0f64..180.0, lat in -90.0f64..90.0) {
        for (form, tol) in [(Wgs84Form::Dd, 1e-6), (Wgs84Form::Dms, 0.05 / 3600.0 + 1e-9), (Wgs84Form::Ddm, 0.0005 / 60.0 + 1e-9)] {
            let text = wgs84_text::format(lon, lat, form);
            let (blon, blat) = wgs84_text::parse(&text).unwrap();
            prop_assert!((blon - lon).abs() <= tol && (blat - lat).abs() <= tol, "{} -> {} {}", text, blon, blat);
        }
    }

    #[test]
    fn goto_never_panics(s in "\\PC{0,40}") {
        let _ = goto::parse(&s, None);
    }
}
