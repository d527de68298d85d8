//! Why data was refused, in English and French: the GeoJSON readers' structured problems (a
//! text's root, a layer's skipped feature, a zone's rings and rules, a zones file), the
//! browser's storage and download failures, and the sentences built on them. Coordinates and
//! counts keep the core's number forms (`near` as `lon, lat` with 4 decimals).
//!
//! Each function is one `match` on [`Lang`] (a missing language does not compile). The English
//! texts are the ones the UI has always shown, equal to the core's `Display` texts (kept for
//! logs; `tests/strings_table.rs` checks they agree), which end-to-end tests read.

use super::table::Lang;
use crate::core::geofence::{RingProblem, ShapeError, ZoneError, ZoneFileError, ZoneProblem};
use crate::core::geojson_read::{FeatureProblem, Found, JsonKind, Located, Member, or_list};
use crate::core::ingest::{IngestError, RootProblem};
use crate::core::model::SkippedFeature;
use crate::env::{CanvasError, DownloadError, DownloadStep, StorageError};

/// "an array" / "un tableau".
pub(super) fn json_kind(lang: Lang, k: JsonKind) -> &'static str {
    match lang {
        Lang::En => k.article(),
        Lang::Fr => match k {
            JsonKind::Null => "null",
            JsonKind::Boolean => "un booléen",
            JsonKind::Number => "un nombre",
            JsonKind::String => "une chaîne",
            JsonKind::Array => "un tableau",
            JsonKind::Object => "un objet",
        },
    }
}

/// A member's value: a string quoted, else its kind.
fn found(lang: Lang, f: &Found) -> String {
    match f {
        Found::Text(s) => format!("{s:?}"),
        Found::Kind(k) => json_kind(lang, *k).to_string(),
    }
}

fn member(lang: Lang, m: Member) -> &'static str {
    use Member as M;
    match lang {
        Lang::En => match m {
            M::Position => "position",
            M::LineCoordinates => "line coordinates",
            M::PolygonCoordinates => "polygon coordinates",
            M::PolygonRing => "polygon ring",
            M::MultiPointCoordinates => "MultiPoint coordinates",
            M::MultiLineStringCoordinates => "MultiLineString coordinates",
            M::MultiPolygonCoordinates => "MultiPolygon coordinates",
            M::Geometries => "geometries",
        },
        Lang::Fr => match m {
            M::Position => "la position",
            M::LineCoordinates => "les coordonnées de la ligne",
            M::PolygonCoordinates => "les coordonnées du polygone",
            M::PolygonRing => "l’anneau du polygone",
            M::MultiPointCoordinates => "les coordonnées du MultiPoint",
            M::MultiLineStringCoordinates => "les coordonnées du MultiLineString",
            M::MultiPolygonCoordinates => "les coordonnées du MultiPolygon",
            M::Geometries => "geometries",
        },
    }
}

/// Why a text's root is not GeoJSON.
pub fn root_problem(lang: Lang, p: &RootProblem) -> String {
    use RootProblem as R;
    match lang {
        Lang::En => match p {
            R::TopLevel(k) => format!("top level is {}", k.article()),
            R::TypeNotText(k) => format!("type is {}", k.article()),
            R::NoType => "no \"type\" member".to_string(),
            R::FeaturesNotArray(k) => format!("no features array (features is {})", k.article()),
            R::NoFeatures => "no features array".to_string(),
            R::FeatureWithoutGeometry => "a Feature with no \"geometry\" member".to_string(),
            R::UnknownType(t) => format!(
                "type is {t:?} (expected \"FeatureCollection\", \"Feature\" or a geometry type)"
            ),
        },
        Lang::Fr => match p {
            R::TopLevel(k) => format!("le premier niveau est {}", json_kind(lang, *k)),
            R::TypeNotText(k) => format!("type est {}", json_kind(lang, *k)),
            R::NoType => "pas de membre \"type\"".to_string(),
            R::FeaturesNotArray(k) => {
                format!(
                    "pas de tableau features (features est {})",
                    json_kind(lang, *k)
                )
            }
            R::NoFeatures => "pas de tableau features".to_string(),
            R::FeatureWithoutGeometry => "une Feature sans membre \"geometry\"".to_string(),
            R::UnknownType(t) => format!(
                "le type est {t:?} (\"FeatureCollection\", \"Feature\" ou un type de géométrie attendu)"
            ),
        },
    }
}

/// Why one feature of a layer (or zone) was skipped.
pub fn feature_problem(lang: Lang, p: &FeatureProblem) -> String {
    use FeatureProblem as P;
    let kind = |k: &JsonKind| json_kind(lang, *k);
    match lang {
        Lang::En => match p {
            P::NotAnObject(k) => format!("feature is {} (expected an object)", kind(k)),
            P::NoType => "feature has no type".to_string(),
            P::NotAFeature(f) => format!("type is {} (expected \"Feature\")", found(lang, f)),
            P::PropertiesNotAnObject(k) => {
                format!("properties is {} (expected an object or null)", kind(k))
            }
            P::GeometryMissing => "geometry is missing".to_string(),
            P::GeometryNull => "geometry is null".to_string(),
            P::GeometryNotAnObject(k) => format!("geometry is {} (expected an object)", kind(k)),
            P::GeometryNoType => "geometry has no type".to_string(),
            P::GeometryTypeNotText(k) => format!("geometry type is {}", kind(k)),
            P::UnknownGeometryType(t) => format!("unknown geometry type {t:?}"),
            P::NoGeometries => "GeometryCollection has no geometries array".to_string(),
            P::NullMember(i) => format!("GeometryCollection member {i} is null"),
            P::NotAllowed {
                geometry,
                layer,
                expects,
            } => format!(
                "{geometry} geometry not allowed in layer {layer} (expects {})",
                or_list(expects, "or")
            ),
            P::NoCoordinates => "geometry has no coordinates".to_string(),
            P::Empty => "empty geometry".to_string(),
            P::NotAnArray { member: m, found } => format!(
                "{} is {} (expected an array)",
                member(lang, *m),
                kind(found)
            ),
            P::PositionTooShort(n) => format!("position has {n} number(s) (needs at least 2)"),
            P::NotFinite => "coordinate is NaN or infinite".to_string(),
            P::NotANumber(k) => format!("coordinate is {} (expected a number)", kind(k)),
            P::LonOutOfRange { lon, lat } => {
                format!("coordinate [{lon}, {lat}] out of range (lon must be in -180..180)")
            }
            P::LatOutOfRange { lon, lat } => {
                format!("coordinate [{lon}, {lat}] out of range (lat must be in -90..90)")
            }
            P::LineTooShort => "line has fewer than 2 positions".to_string(),
            P::RingTooShort(n) => format!("polygon ring has {n} positions (needs at least 4)"),
            P::RingNotClosed => "polygon ring not closed".to_string(),
            P::CameraNotOnePoint => "camera needs exactly one Point".to_string(),
            P::CameraBearing => "camera bearing missing or not a number".to_string(),
            P::CameraFovMissing => "camera fov missing or not a number".to_string(),
            P::CameraFovOutOfRange => "camera fov must be in (0, 360]".to_string(),
            P::CameraRangeMissing => "camera range missing or not a number".to_string(),
            P::CameraRangeNotPositive => "camera range must be > 0 m".to_string(),
        },
        Lang::Fr => match p {
            P::NotAnObject(k) => format!("l’entité est {} (un objet est attendu)", kind(k)),
            P::NoType => "l’entité n’a pas de type".to_string(),
            P::NotAFeature(f) => format!("le type est {} (\"Feature\" attendu)", found(lang, f)),
            P::PropertiesNotAnObject(k) => {
                format!("properties est {} (un objet ou null est attendu)", kind(k))
            }
            P::GeometryMissing => "la géométrie est absente".to_string(),
            P::GeometryNull => "la géométrie est nulle".to_string(),
            P::GeometryNotAnObject(k) => {
                format!("la géométrie est {} (un objet est attendu)", kind(k))
            }
            P::GeometryNoType => "la géométrie n’a pas de type".to_string(),
            P::GeometryTypeNotText(k) => format!("le type de géométrie est {}", kind(k)),
            P::UnknownGeometryType(t) => format!("type de géométrie inconnu {t:?}"),
            P::NoGeometries => "la GeometryCollection n’a pas de tableau geometries".to_string(),
            P::NullMember(i) => format!("le membre {i} de la GeometryCollection est null"),
            P::NotAllowed {
                geometry,
                layer,
                expects,
            } => format!(
                "géométrie {geometry} refusée dans la couche {layer} (attendu : {})",
                or_list(expects, "ou")
            ),
            P::NoCoordinates => "la géométrie n’a pas de coordonnées".to_string(),
            P::Empty => "géométrie vide".to_string(),
            P::NotAnArray { member: m, found } => format!(
                "{} : {} au lieu d’un tableau",
                member(lang, *m),
                kind(found)
            ),
            P::PositionTooShort(n) => {
                format!("la position a {n} nombre(s) (au moins 2 sont nécessaires)")
            }
            P::NotFinite => "coordonnée NaN ou infinie".to_string(),
            P::NotANumber(k) => format!("la coordonnée est {} (un nombre est attendu)", kind(k)),
            P::LonOutOfRange { lon, lat } => {
                format!("coordonnée [{lon}, {lat}] hors limites (lon doit être dans -180..180)")
            }
            P::LatOutOfRange { lon, lat } => {
                format!("coordonnée [{lon}, {lat}] hors limites (lat doit être dans -90..90)")
            }
            P::LineTooShort => "la ligne a moins de 2 positions".to_string(),
            P::RingTooShort(n) => {
                format!("l’anneau du polygone a {n} positions (au moins 4 sont nécessaires)")
            }
            P::RingNotClosed => "anneau du polygone non fermé".to_string(),
            P::CameraNotOnePoint => "une caméra doit être exactement un Point".to_string(),
            P::CameraBearing => {
                "orientation (bearing) de la caméra absente ou non numérique".to_string()
            }
            P::CameraFovMissing => {
                "champ de vision (fov) de la caméra absent ou non numérique".to_string()
            }
            P::CameraFovOutOfRange => {
                "le champ de vision (fov) de la caméra doit être dans ]0, 360]".to_string()
            }
            P::CameraRangeMissing => {
                "portée (range) de la caméra absente ou non numérique".to_string()
            }
            P::CameraRangeNotPositive => {
                "la portée (range) de la caméra doit être > 0 m".to_string()
            }
        },
    }
}

/// A skipped feature with its index: "feature 3: geometry is null".
pub fn skipped_feature(lang: Lang, s: &SkippedFeature) -> String {
    let (i, why) = (s.index, feature_problem(lang, &s.problem));
    match lang {
        Lang::En => format!("feature {i}: {why}"),
        Lang::Fr => format!("entité {i} : {why}"),
    }
}

/// Why a whole layer could not be read.
pub fn ingest_error(lang: Lang, e: &IngestError) -> String {
    match (lang, e) {
        (Lang::En, IngestError::Json(d)) => format!("not valid JSON: {d}"),
        (Lang::Fr, IngestError::Json(d)) => format!("JSON invalide : {d}"),
        (Lang::En, IngestError::NotGeoJson(p)) => format!("not GeoJSON: {}", root_problem(lang, p)),
        (Lang::Fr, IngestError::NotGeoJson(p)) => {
            format!("pas du GeoJSON : {}", root_problem(lang, p))
        }
    }
}

/// Why a whole zones file could not be read.
pub fn zone_file_error(lang: Lang, e: &ZoneFileError) -> String {
    match (lang, e) {
        (Lang::En, ZoneFileError::Json(d)) => format!("zones file is not valid JSON: {d}"),
        (Lang::Fr, ZoneFileError::Json(d)) => {
            format!("le fichier de zones n’est pas du JSON valide : {d}")
        }
        (Lang::En, ZoneFileError::NotGeoJson(p)) => {
            format!("zones file is not GeoJSON: {}", root_problem(lang, p))
        }
        (Lang::Fr, ZoneFileError::NotGeoJson(p)) => format!(
            "le fichier de zones n’est pas du GeoJSON : {}",
            root_problem(lang, p)
        ),
    }
}

/// Why the rings of a zone's polygon make no zone.
pub fn ring_problem(lang: Lang, p: &RingProblem) -> String {
    use RingProblem as R;
    match lang {
        Lang::En => match p {
            R::NoRings => "polygon has no rings".to_string(),
            R::TooFewPositions { ring, positions } => {
                format!("ring {ring} has {positions} positions (needs at least 4)")
            }
            R::NotClosed(r) => {
                format!("ring {r} is not closed (its first and last positions differ)")
            }
            R::NotFinite(r) => format!("ring {r} has a NaN or infinite coordinate"),
            R::OutOfRange { ring, lon, lat } => format!(
                "ring {ring} has coordinate {lon}, {lat} out of range (lon -180..180, lat -85.05..85.05)"
            ),
            R::TooFewDistinct(r) => format!(
                "ring {r} has fewer than 3 distinct positions (needs at least 3 plus the closing one)"
            ),
            R::DoublesBack { ring, near } => {
                format!("ring {ring} doubles back on itself near {near}")
            }
            R::IntersectsItself { ring, near } => {
                format!("ring {ring} intersects itself near {near}")
            }
            R::Overlaps { ring, other, near } => {
                format!("ring {ring} overlaps ring {other} near {near}")
            }
            R::Crosses { ring, other, near } => {
                format!("ring {ring} crosses ring {other} near {near}")
            }
            R::NoArea(r) => format!("ring {r} has no area (all its positions are on one line)"),
            R::HoleOutside { ring, near } => {
                format!("ring {ring} (a hole) lies outside ring 0 near {near}")
            }
            R::HoleInHole { ring, other, near } => {
                format!("ring {ring} (a hole) lies inside ring {other} (another hole) near {near}")
            }
        },
        Lang::Fr => match p {
            R::NoRings => "le polygone n’a pas d’anneau".to_string(),
            R::TooFewPositions { ring, positions } => {
                format!("l’anneau {ring} a {positions} positions (au moins 4 sont nécessaires)")
            }
            R::NotClosed(r) => format!(
                "l’anneau {r} n’est pas fermé (sa première et sa dernière position diffèrent)"
            ),
            R::NotFinite(r) => format!("l’anneau {r} a une coordonnée NaN ou infinie"),
            R::OutOfRange { ring, lon, lat } => format!(
                "l’anneau {ring} a la coordonnée {lon}, {lat} hors limites (lon -180..180, lat -85.05..85.05)"
            ),
            R::TooFewDistinct(r) => format!(
                "l’anneau {r} a moins de 3 positions distinctes (il en faut au moins 3, plus celle qui le ferme)"
            ),
            R::DoublesBack { ring, near } => {
                format!("l’anneau {ring} revient sur lui-même près de {near}")
            }
            R::IntersectsItself { ring, near } => {
                format!("l’anneau {ring} se recoupe près de {near}")
            }
            R::Overlaps { ring, other, near } => {
                format!("l’anneau {ring} chevauche l’anneau {other} près de {near}")
            }
            R::Crosses { ring, other, near } => {
                format!("l’anneau {ring} croise l’anneau {other} près de {near}")
            }
            R::NoArea(r) => {
                format!("l’anneau {r} n’a pas de surface (toutes ses positions sont alignées)")
            }
            R::HoleOutside { ring, near } => {
                format!("l’anneau {ring} (un trou) est hors de l’anneau 0 près de {near}")
            }
            R::HoleInHole { ring, other, near } => format!(
                "l’anneau {ring} (un trou) est dans l’anneau {other} (un autre trou) près de {near}"
            ),
        },
    }
}

/// Why an outline makes no zone.
pub fn shape_error(lang: Lang, e: &ShapeError) -> String {
    match (lang, e) {
        (Lang::En, ShapeError::MissingId) => "missing id".to_string(),
        (Lang::Fr, ShapeError::MissingId) => "identifiant absent".to_string(),
        (Lang::En, ShapeError::EmptyGeometry) => "empty geometry".to_string(),
        (Lang::Fr, ShapeError::EmptyGeometry) => "géométrie vide".to_string(),
        (_, ShapeError::Polygon { polygon, problem }) => {
            let why = ring_problem(lang, problem);
            match (lang, polygon) {
                (_, None) => why,
                (Lang::En, Some(p)) => format!("polygon {p} {why}"),
                (Lang::Fr, Some(p)) => format!("polygone {p} : {why}"),
            }
        }
    }
}

/// A feature problem inside a zone's geometry: "polygon 1 ring 0: coordinate is NaN…".
fn located(lang: Lang, l: &Located) -> String {
    let mut out = String::new();
    match (lang, l.polygon) {
        (Lang::En, Some(p)) => out.push_str(&format!("polygon {p} ")),
        (Lang::Fr, Some(p)) => out.push_str(&format!("polygone {p}, ")),
        (_, None) => {}
    }
    match (lang, l.ring) {
        (Lang::En, Some(r)) => out.push_str(&format!("ring {r}: ")),
        (Lang::Fr, Some(r)) => out.push_str(&format!("anneau {r} : ")),
        (_, None) => {}
    }
    out + &feature_problem(lang, &l.problem)
}

/// Why one zone was skipped (without the zone).
pub fn zone_problem(lang: Lang, p: &ZoneProblem) -> String {
    use ZoneProblem as Z;
    match (lang, p) {
        (_, Z::Feature(f)) => feature_problem(lang, f),
        (_, Z::Geometry(l)) => located(lang, l),
        (_, Z::Shape(e)) => shape_error(lang, e),
        (Lang::En, Z::NoId) => {
            "missing id (give the Feature an id or an \"id\" property)".to_string()
        }
        (Lang::Fr, Z::NoId) => {
            "identifiant absent (donnez à la Feature un id ou une propriété \"id\")".to_string()
        }
        (Lang::En, Z::DuplicateId(i)) => format!("duplicate id (zone {i} has the same id)"),
        (Lang::Fr, Z::DuplicateId(i)) => {
            format!("identifiant en double (la zone {i} a le même)")
        }
        (Lang::En, Z::NotAZone(t)) => {
            format!("{t} geometry is not a zone (expects Polygon or MultiPolygon)")
        }
        (Lang::Fr, Z::NotAZone(t)) => {
            format!("une géométrie {t} n’est pas une zone (Polygon ou MultiPolygon attendu)")
        }
        (Lang::En, Z::UnknownGeometryType(t)) => {
            format!("unknown geometry type {t:?} (expects Polygon or MultiPolygon)")
        }
        (Lang::Fr, Z::UnknownGeometryType(t)) => {
            format!("type de géométrie inconnu {t:?} (Polygon ou MultiPolygon attendu)")
        }
        (Lang::En, Z::NoPolygons) => "MultiPolygon has no polygons".to_string(),
        (Lang::Fr, Z::NoPolygons) => "le MultiPolygon n’a aucun polygone".to_string(),
        (Lang::En, Z::NotABoolean { name, found }) => format!(
            "property {name} is {} (expected true or false)",
            found.article()
        ),
        (Lang::Fr, Z::NotABoolean { name, found }) => format!(
            "la propriété {name} est {} (true ou false attendu)",
            json_kind(lang, *found)
        ),
        (Lang::En, Z::DwellNotPositive(n)) => {
            format!("dwell_s is {n} (expected a number of seconds > 0)")
        }
        (Lang::Fr, Z::DwellNotPositive(n)) => {
            format!("dwell_s vaut {n} (un nombre de secondes > 0 est attendu)")
        }
        (Lang::En, Z::DwellNotANumber(k)) => format!(
            "dwell_s is {} (expected a number of seconds > 0)",
            k.article()
        ),
        (Lang::Fr, Z::DwellNotANumber(k)) => format!(
            "dwell_s est {} (un nombre de secondes > 0 est attendu)",
            json_kind(lang, *k)
        ),
    }
}

/// A skipped zone of a zones file: `zone "port": ring 0 is not closed …` (`zone 3: …`
/// without an id).
pub fn zone_error(lang: Lang, e: &ZoneError) -> String {
    let who = match &e.id {
        Some(id) => crate::core::geofence::quote(id),
        None => e.index.to_string(),
    };
    let why = zone_problem(lang, &e.problem);
    match lang {
        Lang::En => format!("zone {who}: {why}"),
        Lang::Fr => format!("zone {who} : {why}"),
    }
}

/// A skipped zone of an imported file, named as the operator knows it: `“name” (id): reason`.
pub fn import_skipped(lang: Lang, e: &ZoneError) -> String {
    let who = match (lang, &e.name, &e.id) {
        (Lang::En, Some(n), Some(id)) if n != id => format!("“{n}” ({id})"),
        (Lang::Fr, Some(n), Some(id)) if n != id => format!("« {n} » ({id})"),
        (Lang::En, Some(n), _) => format!("“{n}”"),
        (Lang::Fr, Some(n), _) => format!("« {n} »"),
        (_, None, Some(id)) => id.clone(),
        (_, None, None) => format!("zone {}", e.index + 1),
    };
    let why = zone_problem(lang, &e.problem);
    match lang {
        Lang::En => format!("Skipped {who}: {why}"),
        Lang::Fr => format!("Ignorée : {who} : {why}"),
    }
}

/// Why the browser's local storage could not be used.
pub fn storage_error(lang: Lang, e: &StorageError) -> String {
    use StorageError as S;
    match (lang, e) {
        (Lang::En, S::NoWindow) => "no window".to_string(),
        (Lang::Fr, S::NoWindow) => "pas de fenêtre".to_string(),
        (Lang::En, S::NoStorage) => "this browser has no local storage".to_string(),
        (Lang::Fr, S::NoStorage) => "ce navigateur n’a pas de stockage local".to_string(),
        (Lang::En, S::Unavailable(d)) => format!("local storage is not available ({d})"),
        (Lang::Fr, S::Unavailable(d)) => format!("le stockage local n’est pas disponible ({d})"),
        (Lang::En, S::Unreadable(d)) => format!("local storage cannot be read ({d})"),
        (Lang::Fr, S::Unreadable(d)) => format!("le stockage local ne peut pas être lu ({d})"),
        (Lang::En, S::Refused(d)) => format!("the browser refused to store them ({d})"),
        (Lang::Fr, S::Refused(d)) => format!("le navigateur a refusé de les enregistrer ({d})"),
    }
}

/// The saved drawn zones could not be read from storage.
pub fn saved_unreadable(lang: Lang, e: &StorageError) -> String {
    let why = storage_error(lang, e);
    match lang {
        Lang::En => format!("Saved zones could not be read: {why}."),
        Lang::Fr => format!("Les zones enregistrées n’ont pas pu être lues : {why}."),
    }
}

/// The saved text is not a zones file; `kept_under`: the key it was copied to.
pub fn saved_damaged(lang: Lang, e: &ZoneFileError, kept_under: Option<&str>) -> String {
    let why = zone_file_error(lang, e);
    match lang {
        Lang::En => format!(
            "Saved drawn zones are damaged and were not loaded (the saved zones cannot be read: {why}).{}",
            kept_under.map_or(String::new(), |k| format!(" The text is kept under {k}."))
        ),
        Lang::Fr => format!(
            "Les zones dessinées enregistrées sont endommagées et n’ont pas été chargées (illisibles : {why}).{}",
            kept_under.map_or(String::new(), |k| format!(
                " Le texte est conservé sous {k}."
            ))
        ),
    }
}

/// A saved drawn zone that was skipped.
pub fn saved_zone_skipped(lang: Lang, e: &ZoneError) -> String {
    let zone = zone_error(lang, e);
    match lang {
        Lang::En => format!("Saved drawn {zone} (skipped)"),
        Lang::Fr => format!("Zone dessinée enregistrée ignorée : {zone}"),
    }
}

/// The drawn zones could not be saved.
pub fn save_failed(lang: Lang, e: &StorageError) -> String {
    let why = storage_error(lang, e);
    match lang {
        Lang::En => format!(
            "Drawn zones could not be saved in this browser: {why}. They work until the page is closed; use Export to keep them."
        ),
        Lang::Fr => format!(
            "Les zones dessinées n’ont pas pu être enregistrées dans ce navigateur : {why}. Elles fonctionnent jusqu’à la fermeture de la page ; utilisez Exporter pour les conserver."
        ),
    }
}

/// A part of the app loaded on first use (`split.rs`) could not be fetched.
pub fn part_unavailable(lang: Lang) -> String {
    match lang {
        Lang::En => "This part of the map could not be loaded (no network, or the server refused it). Try again when the network is back, or reload the page if the app was just updated.".into(),
        Lang::Fr => "Cette partie de la carte n’a pas pu être chargée (pas de réseau, ou le serveur l’a refusée). Réessayez quand le réseau sera revenu, ou rechargez la page si l’application vient d’être mise à jour.".into(),
    }
}

/// A download the browser refused.
pub fn download_error(lang: Lang, e: &DownloadError) -> String {
    use DownloadStep as D;
    let file = &e.file;
    match lang {
        Lang::En => {
            let step = match e.step {
                D::Blob => "no Blob",
                D::ObjectUrl => "no object URL",
                D::Document => "no document",
                D::Link => "no link",
            };
            format!("could not export {file}: {step}")
        }
        Lang::Fr => {
            let step = match e.step {
                D::Blob => "pas de Blob",
                D::ObjectUrl => "pas d’URL d’objet",
                D::Document => "pas de document",
                D::Link => "pas de lien",
            };
            format!("impossible d’exporter {file} : {step}")
        }
    }
}

/// The map cannot be drawn: the browser's canvas refused.
pub fn canvas_error(lang: Lang, e: CanvasError) -> String {
    use CanvasError as C;
    match lang {
        Lang::En => {
            let why = match e {
                C::Refused => "the browser refused a 2D canvas context",
                C::NoContext => "the browser has no 2D canvas context",
                C::WrongType => "unexpected canvas context type",
                C::NoOffscreen => "could not create an offscreen canvas",
            };
            format!("Cannot draw the map: {why}")
        }
        Lang::Fr => {
            let why = match e {
                C::Refused => "le navigateur a refusé un contexte de canevas 2D",
                C::NoContext => "le navigateur n’a pas de contexte de canevas 2D",
                C::WrongType => "type de contexte de canevas inattendu",
                C::NoOffscreen => "impossible de créer un canevas hors écran",
            };
            format!("Impossible de dessiner la carte : {why}")
        }
    }
}

/// The panic hook's message, with the panic's own text.
pub fn internal_error(lang: Lang, info: &str) -> String {
    match lang {
        Lang::En => format!(
            "The map stopped because of an internal error. Reload the page (F5). If it happens again, report this text: {info}"
        ),
        Lang::Fr => format!(
            "La carte s’est arrêtée sur une erreur interne. Rechargez la page (F5). Si cela se reproduit, signalez ce texte : {info}"
        ),
    }
}
