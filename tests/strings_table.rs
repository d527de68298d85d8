//! The string table (`src/web/strings`): every fixed text has an English and a French entry,
//! none empty; every key and every wording function is used by the shell; the core words no
//! label for the UI (no `fn label` left in `src/core`). A missing French entry does not
//! compile (the table's macro and the wording functions' `match` on the language); these
//! checks catch what the compiler cannot.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use calais_map::core::config::{ConfigError, ConfigProblem, parse_config};
use calais_map::core::geofence::draft::DraftError;
use calais_map::core::geofence::{
    Near, RingProblem, ShapeError, ZoneError, ZoneFileError, ZoneProblem, parse_zones,
};
use calais_map::core::geojson_read::{FeatureProblem, Found, JsonKind, Located, Member};
use calais_map::core::incident::{IncidentError, IncidentKind, Status};
use calais_map::core::ingest::{IngestError, RootProblem};
use calais_map::core::model::SkippedFeature;
use calais_map::core::units::LonLat;
use calais_map::core::wall::WallQuery;
use calais_map::web::env::{City, DownloadError, DownloadStep, StorageError};
use calais_map::web::strings::{Lang, T, labels, messages, problems};

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(rust_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shell's sources, without the table itself (`strings/table.rs`, which names every key).
fn shell_sources() -> String {
    rust_files(&root().join("src/web"))
        .into_iter()
        .filter(|p| !p.ends_with("strings/table.rs"))
        .map(|p| std::fs::read_to_string(p).expect("readable source"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` contains `word` not followed by an identifier character.
fn mentions(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        !text[i + word.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn every_key_has_english_and_french() {
    assert!(T::ALL.len() > 50, "the table holds the UI's texts");
    for &k in T::ALL {
        for lang in Lang::ALL {
            let text = k.get(lang);
            assert!(
                !text.trim().is_empty(),
                "{} has an empty {lang:?} entry",
                k.name()
            );
            assert_eq!(
                text,
                text.trim(),
                "{} {lang:?}: no stray white space",
                k.name()
            );
        }
    }
    // Most French entries differ from the English ones (a copied English text is not French).
    let same = T::ALL
        .iter()
        .filter(|k| k.get(Lang::En) == k.get(Lang::Fr))
        .map(|k| k.name())
        .collect::<Vec<_>>();
    assert!(
        same.iter().all(|n| [
            "Zones",
            "Incidents",
            "Pause",
            "Port",
            "Zoom",
            "RowPosition",
            "RowSource",
            "RowDescription",
            "RowZones",
            // The switch names each language in itself (issue 14).
            "LangEnglish",
            "LangFrench",
            // The coordinates' form switch: the same abbreviations in both languages.
            "CoordFormDd",
            "CoordFormDms",
            // Issue 14, exports: the same words in French.
            "ExportNoteLine",
            "ExportNorth",
            "CsvLon",
            "CsvLat",
            "CsvSource",
            "CsvDescription",
            "ChooserZone",
            "ChooserIncident"
        ]
        .contains(n)),
        "French entries equal to the English ones: {same:?}"
    );
}

#[test]
fn every_key_is_used() {
    let src = shell_sources();
    let unused: Vec<&str> = T::ALL
        .iter()
        .map(|k| k.name())
        .filter(|n| !mentions(&src, &format!("T::{n}")))
        .collect();
    assert!(unused.is_empty(), "keys no module uses: {unused:?}");
}

#[test]
fn every_wording_function_is_used_outside_its_file() {
    for file in ["labels.rs", "messages.rs", "problems.rs", "heatmap.rs"] {
        let path = root().join("src/web/strings").join(file);
        let own = std::fs::read_to_string(&path).expect("readable");
        let others: String = rust_files(&root().join("src/web"))
            .into_iter()
            .filter(|p| *p != path)
            .map(|p| std::fs::read_to_string(p).expect("readable"))
            .collect::<Vec<_>>()
            .join("\n");
        let module = file.trim_end_matches(".rs");
        for line in own.lines() {
            let Some(rest) = line.strip_prefix("pub fn ") else {
                continue;
            };
            let name = rest.split('(').next().unwrap_or_default();
            assert!(
                mentions(&others, &format!("{module}::{name}"))
                    || own.contains(&format!(" {name}(lang")),
                "strings::{module}::{name} is used nowhere"
            );
        }
    }
}

#[test]
fn the_core_words_no_label() {
    let found: Vec<String> = rust_files(&root().join("src/core"))
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable");
            text.lines()
                .position(|l| l.contains("fn label("))
                .map(|i| format!("{}:{}", p.display(), i + 1))
        })
        .collect();
    assert!(
        found.is_empty(),
        "`fn label` in the core (UI words belong to web::strings): {found:?}"
    );
}

#[test]
fn core_enums_and_errors_are_worded_from_their_variants() {
    assert_eq!(
        labels::incident_kind(Lang::En, IncidentKind::SmallBoat),
        "Small boat"
    );
    assert_eq!(
        labels::incident_kind(Lang::En, IncidentKind::VehicleSighting),
        "Vehicle sighting"
    );
    assert_eq!(
        labels::incident_kind(Lang::Fr, IncidentKind::SmallBoat),
        "Petite embarcation"
    );
    assert_eq!(labels::status(Lang::En, Status::Closed), "Closed");
    assert_eq!(labels::status(Lang::Fr, Status::Closed), "Clos");
    assert_eq!(labels::month(Lang::Fr, 12), "déc.");
    assert_eq!(labels::month(Lang::En, 13), "?");

    // The config error is a field and a problem; English as the banner always said it.
    let e = parse_config(r#"{"layers": {"fences": ""}}"#).expect_err("invalid");
    assert_eq!(
        e,
        ConfigError::Invalid {
            field: "layers.fences".into(),
            problem: ConfigProblem::Empty
        }
    );
    assert_eq!(
        messages::config_error(Lang::En, &e),
        "config field layers.fences: must not be empty"
    );
    assert_eq!(
        messages::config_error(Lang::En, &e),
        e.to_string(),
        "log and UI agree in English"
    );
    assert_eq!(
        messages::config_error(Lang::Fr, &e),
        "champ layers.fences de la configuration : ne doit pas être vide"
    );
    let e = parse_config("[1, 2]").expect_err("not an object");
    assert_eq!(
        messages::config_error(Lang::En, &e),
        "config field (root): must be a JSON object, found an array"
    );
    assert_eq!(messages::config_error(Lang::En, &e), e.to_string());

    // Zone drafts: the editor's sentences, capitalised, from the variants.
    let e = DraftError::EdgesCross(Near(LonLat {
        lon: 1.83904,
        lat: 50.95051,
    }));
    assert_eq!(
        messages::draft_error(Lang::En, &e),
        "Edges cross near 1.8390, 50.9505: move a point so that the outline does not cross itself"
    );
    assert!(
        messages::draft_error(Lang::Fr, &e)
            .starts_with("Des côtés se croisent près de 1.8390, 50.9505")
    );
    assert_eq!(
        messages::draft_error(Lang::En, &DraftError::EmptyName),
        "The zone needs a name"
    );

    // Incident errors: English is the core's text (e2e tests read it); French from the variant.
    let e = IncidentError::BadSeverity("0".into());
    assert_eq!(
        messages::incident_error(Lang::En, &e),
        "severity 0 is not an integer from 1 to 5"
    );
    assert_eq!(
        messages::incident_error(Lang::Fr, &e),
        "la gravité 0 n’est pas un entier de 1 à 5"
    );

    // Counted nouns: French counts 0 and 1 as singular.
    assert_eq!(messages::points(Lang::En, 1), "1 point");
    assert_eq!(messages::points(Lang::En, 0), "0 points");
    assert_eq!(messages::points(Lang::Fr, 0), "0 point");
    assert_eq!(
        messages::critical_alerts(Lang::Fr, 2),
        "2 alertes critiques"
    );
    assert_eq!(messages::ahead(Lang::En, 60_000), "1 minute");
    assert_eq!(messages::ahead(Lang::En, 3 * 60_000), "3 minutes");
    assert_eq!(messages::ahead(Lang::En, 185 * 60_000), "3 h 05 min");
    assert_eq!(messages::ahead(Lang::Fr, 3 * 24 * 3_600_000), "3 jours");
}

#[test]
fn the_walls_problems_are_worded_with_the_option_named() {
    // A tour view out of range, in the config (never fatal: in `wall.problems`).
    let cfg = parse_config(
        r#"{"wall": {"tours": [{"name": "A", "center": [1.86, 50.96], "zoom": 13},
                               {"name": "B", "center": [1.5, 50.9], "zoom": 40}]}}"#,
    )
    .expect("a wall problem is not fatal");
    let [e] = cfg.wall.problems.as_slice() else {
        panic!("one problem: {:?}", cfg.wall.problems)
    };
    assert!(
        messages::config_error(Lang::En, e)
            .starts_with("config field wall.tours[1].zoom: must be in "),
        "{}",
        messages::config_error(Lang::En, e)
    );
    assert!(
        messages::config_error(Lang::Fr, e)
            .starts_with("champ wall.tours[1].zoom de la configuration : doit être entre ")
    );
    // A tile outside the grid, in the address: the parameter and its value named.
    let q = WallQuery {
        wall: Some("2x1"),
        tile: Some("5,0"),
        bezel: None,
    };
    let (_, refused) = cfg.wall.placement(&q);
    let [e] = refused.as_slice() else {
        panic!("one refusal: {refused:?}")
    };
    for (lang, text) in [
        (Lang::En, "address parameter ?tile=5,0: must be in 0..1"),
        (
            Lang::Fr,
            "paramètre d’adresse ?tile=5,0 : doit être entre 0 et 1",
        ),
    ] {
        assert_eq!(messages::wall_query_error(lang, e), text);
    }
}

/// English equals the core's `Display` (logs and UI agree; e2e tests read the English), French
/// is worded (not empty, not the English).
fn worded(en: String, fr: String, display: String) {
    assert_eq!(en, display, "English is the core's text");
    assert!(!fr.trim().is_empty(), "French for {en:?}");
    assert_ne!(fr, en, "French for {en:?} is a translation");
}

fn near() -> Near {
    Near(LonLat {
        lon: 1.85501,
        lat: 50.93749,
    })
}

/// One of each variant of the readers' problems (a new variant belongs here too).
fn feature_problems() -> Vec<FeatureProblem> {
    use FeatureProblem as P;
    vec![
        P::NotAnObject(JsonKind::Number),
        P::NoType,
        P::NotAFeature(Found::Text("Point".into())),
        P::NotAFeature(Found::Kind(JsonKind::Null)),
        P::PropertiesNotAnObject(JsonKind::Array),
        P::GeometryMissing,
        P::GeometryNull,
        P::GeometryNotAnObject(JsonKind::String),
        P::GeometryNoType,
        P::GeometryTypeNotText(JsonKind::Boolean),
        P::UnknownGeometryType("Circle".into()),
        P::NoGeometries,
        P::NullMember(2),
        P::NotAllowed {
            geometry: "Point",
            layer: "fences",
            expects: &["LineString", "MultiLineString", "Polygon"],
        },
        P::NoCoordinates,
        P::Empty,
        P::NotAnArray {
            member: Member::PolygonRing,
            found: JsonKind::Object,
        },
        P::PositionTooShort(1),
        P::NotFinite,
        P::NotANumber(JsonKind::String),
        P::LonOutOfRange {
            lon: calais_map::core::geojson_read::Coordinate(200.0),
            lat: calais_map::core::geojson_read::Coordinate(50.9),
        },
        P::LatOutOfRange {
            lon: calais_map::core::geojson_read::Coordinate(1.8),
            lat: calais_map::core::geojson_read::Coordinate(1e308),
        },
        P::LineTooShort,
        P::RingTooShort(3),
        P::RingNotClosed,
        P::CameraNotOnePoint,
        P::CameraBearing,
        P::CameraFovMissing,
        P::CameraFovOutOfRange,
        P::CameraRangeMissing,
        P::CameraRangeNotPositive,
    ]
}

fn ring_problems() -> Vec<RingProblem> {
    use RingProblem as R;
    vec![
        R::NoRings,
        R::TooFewPositions {
            ring: 0,
            positions: 3,
        },
        R::NotClosed(1),
        R::NotFinite(0),
        R::OutOfRange {
            ring: 0,
            lon: 1.8,
            lat: 89.0,
        },
        R::TooFewDistinct(0),
        R::DoublesBack {
            ring: 0,
            near: near(),
        },
        R::IntersectsItself {
            ring: 0,
            near: near(),
        },
        R::Overlaps {
            ring: 1,
            other: 0,
            near: near(),
        },
        R::Crosses {
            ring: 2,
            other: 1,
            near: near(),
        },
        R::NoArea(0),
        R::HoleOutside {
            ring: 1,
            near: near(),
        },
        R::HoleInHole {
            ring: 2,
            other: 1,
            near: near(),
        },
    ]
}

#[test]
fn every_reader_problem_is_worded_in_both_languages_from_its_variant() {
    for p in feature_problems() {
        worded(
            problems::feature_problem(Lang::En, &p),
            problems::feature_problem(Lang::Fr, &p),
            p.to_string(),
        );
        let skip = SkippedFeature {
            index: 4,
            id: None,
            problem: p.clone(),
        };
        worded(
            problems::skipped_feature(Lang::En, &skip),
            problems::skipped_feature(Lang::Fr, &skip),
            skip.to_string(),
        );
        let located = ZoneProblem::Geometry(Located {
            polygon: Some(1),
            ring: Some(0),
            problem: p,
        });
        worded(
            problems::zone_problem(Lang::En, &located),
            problems::zone_problem(Lang::Fr, &located),
            located.to_string(),
        );
    }
    let roots = [
        RootProblem::TopLevel(JsonKind::Array),
        RootProblem::TypeNotText(JsonKind::Number),
        RootProblem::NoType,
        RootProblem::FeaturesNotArray(JsonKind::Object),
        RootProblem::NoFeatures,
        RootProblem::FeatureWithoutGeometry,
        RootProblem::UnknownType("Topology".into()),
    ];
    for r in roots {
        worded(
            problems::root_problem(Lang::En, &r),
            problems::root_problem(Lang::Fr, &r),
            r.to_string(),
        );
        let e = IngestError::NotGeoJson(r.clone());
        worded(
            problems::ingest_error(Lang::En, &e),
            problems::ingest_error(Lang::Fr, &e),
            e.to_string(),
        );
        let e = ZoneFileError::NotGeoJson(r);
        worded(
            problems::zone_file_error(Lang::En, &e),
            problems::zone_file_error(Lang::Fr, &e),
            e.to_string(),
        );
    }
    let json = IngestError::Json("expected value at line 1 column 1".into());
    worded(
        problems::ingest_error(Lang::En, &json),
        problems::ingest_error(Lang::Fr, &json),
        json.to_string(),
    );
    let mut zone_problems: Vec<ZoneProblem> = vec![
        ZoneProblem::Feature(FeatureProblem::GeometryNull),
        ZoneProblem::NoId,
        ZoneProblem::DuplicateId(0),
        ZoneProblem::NotAZone("LineString".into()),
        ZoneProblem::UnknownGeometryType("Circle".into()),
        ZoneProblem::NoPolygons,
        ZoneProblem::NotABoolean {
            name: "critical",
            found: JsonKind::String,
        },
        ZoneProblem::DwellNotPositive("-5".into()),
        ZoneProblem::DwellNotANumber(JsonKind::String),
        ZoneProblem::Shape(ShapeError::MissingId),
        ZoneProblem::Shape(ShapeError::EmptyGeometry),
    ];
    for r in ring_problems() {
        worded(
            problems::ring_problem(Lang::En, &r),
            problems::ring_problem(Lang::Fr, &r),
            r.to_string(),
        );
        for polygon in [None, Some(1)] {
            zone_problems.push(ZoneProblem::Shape(ShapeError::Polygon {
                polygon,
                problem: r.clone(),
            }));
        }
    }
    for p in zone_problems {
        worded(
            problems::zone_problem(Lang::En, &p),
            problems::zone_problem(Lang::Fr, &p),
            p.to_string(),
        );
        let e = ZoneError {
            index: 3,
            id: Some("port".into()),
            name: Some("Port".into()),
            problem: p.clone(),
        };
        worded(
            problems::zone_error(Lang::En, &e),
            problems::zone_error(Lang::Fr, &e),
            e.to_string(),
        );
        let d = DraftError::Invalid(p);
        worded(
            messages::draft_error(Lang::En, &d),
            messages::draft_error(Lang::Fr, &d),
            // The editor's sentence is the log text, capitalised.
            {
                let t = d.to_string();
                format!("{}{}", t[..1].to_uppercase(), &t[1..])
            },
        );
    }
}

#[test]
fn zone_reports_storage_downloads_and_clocks_are_worded() {
    // A zones file's skipped zone, as the diagnostics and the import report word it.
    let set = parse_zones(include_str!("fixtures/geofence/zones_invalid.geojson")).expect("file");
    let bowtie = set.rejected.iter().find(|e| e.index == 1).expect("bowtie");
    assert_eq!(
        problems::zone_error(Lang::En, bowtie),
        "zone \"bowtie\": ring 0 intersects itself near 1.8601, 50.9702"
    );
    assert_eq!(
        problems::zone_error(Lang::Fr, bowtie),
        "zone \"bowtie\" : l’anneau 0 se recoupe près de 1.8601, 50.9702"
    );
    let no_id = set.rejected.iter().find(|e| e.index == 5).expect("no id");
    assert!(problems::zone_error(Lang::En, no_id).starts_with("zone 5: missing id"));
    let named = ZoneError {
        index: 0,
        id: Some("import-bowtie".into()),
        name: Some("Crossed fence line".into()),
        problem: bowtie.problem.clone(),
    };
    assert_eq!(
        problems::import_skipped(Lang::Fr, &named),
        "Ignorée : « Crossed fence line » (import-bowtie) : l’anneau 0 se recoupe près de 1.8601, 50.9702"
    );
    let anonymous = ZoneError {
        id: None,
        name: None,
        ..named
    };
    assert!(problems::import_skipped(Lang::En, &anonymous).starts_with("Skipped zone 1: ring 0"));

    // Storage: the e2e tests read the English.
    let refused = StorageError::Refused("QuotaExceededError: full".into());
    assert_eq!(
        problems::save_failed(Lang::En, &refused),
        "Drawn zones could not be saved in this browser: the browser refused to store them (QuotaExceededError: full). They work until the page is closed; use Export to keep them."
    );
    assert!(
        problems::save_failed(Lang::Fr, &refused).starts_with("Les zones dessinées n’ont pas pu")
    );
    for e in [
        StorageError::NoWindow,
        StorageError::NoStorage,
        StorageError::Unavailable("SecurityError".into()),
        StorageError::Unreadable("SecurityError".into()),
        refused,
    ] {
        let (en, fr) = (
            problems::saved_unreadable(Lang::En, &e),
            problems::saved_unreadable(Lang::Fr, &e),
        );
        assert!(en.starts_with("Saved zones could not be read: ") && en.ends_with('.'));
        assert!(fr.starts_with("Les zones enregistrées") && fr != en);
    }
    let damaged = ZoneFileError::Json("EOF while parsing an object at line 1 column 38".into());
    assert_eq!(
        problems::saved_damaged(Lang::En, &damaged, Some("calais-map.zones.v1.corrupt")),
        "Saved drawn zones are damaged and were not loaded (the saved zones cannot be read: zones file is not valid JSON: EOF while parsing an object at line 1 column 38). The text is kept under calais-map.zones.v1.corrupt."
    );
    assert!(problems::saved_damaged(Lang::Fr, &damaged, None).ends_with("column 38)."));
    assert_eq!(
        problems::saved_zone_skipped(Lang::En, bowtie),
        "Saved drawn zone \"bowtie\": ring 0 intersects itself near 1.8601, 50.9702 (skipped)"
    );

    // Downloads, the panic message and the wall clocks' cities.
    for step in [
        DownloadStep::Blob,
        DownloadStep::ObjectUrl,
        DownloadStep::Document,
        DownloadStep::Link,
    ] {
        let e = DownloadError {
            file: "zone-events.csv".into(),
            step,
        };
        let (en, fr) = (
            problems::download_error(Lang::En, &e),
            problems::download_error(Lang::Fr, &e),
        );
        assert!(
            en.starts_with("could not export zone-events.csv: no "),
            "{en}"
        );
        assert!(
            fr.starts_with("impossible d’exporter zone-events.csv : pas d"),
            "{fr}"
        );
    }
    assert!(
        problems::internal_error(Lang::En, "boom")
            .starts_with("The map stopped because of an internal error. Reload the page (F5). If")
    );
    assert!(problems::internal_error(Lang::Fr, "boom").ends_with("signalez ce texte : boom"));
    assert_eq!(labels::city(Lang::En, City::London), "London");
    assert_eq!(labels::city(Lang::Fr, City::London), "Londres");
    assert_eq!(labels::city(Lang::Fr, City::Paris), "Paris");
}
