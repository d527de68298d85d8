//! Sentences with values, in English and French: the core's structured errors (config, display
//! mode, incidents, zone drafts), load failures, the feed's status and problems, counts and
//! the zone tools' reports. Units as the callers give them: times arrive already worded as
//! local clock text, distances as "85 m" / "2.4 km", sizes in MB.
//!
//! Each function is one `match` on [`Lang`] (a missing language does not compile). The English
//! texts are the ones the UI has always shown (end-to-end tests read them).

use super::faults;
use super::labels;
use super::limits;
use super::locale::number;
use super::problems::{self, json_kind};
use super::table::Lang;
use crate::core::config::{ConfigError, ConfigProblem};
use crate::core::display::UnknownMode;
use crate::core::feed::{FeedStatus, Problem, ResyncCause, Transport};
use crate::core::geofence::ZoneKind;
use crate::core::geofence::draft::{DraftError, MAX_NAME_CHARS, MAX_VERTICES};
use crate::core::incident::IncidentError;
use crate::core::incident::IncidentKind;
use crate::core::wall::settings::QueryError;
use crate::load::LoadError;

/// "1 zone", "3 zones" / "1 zone", "3 zones" (French counts 0 and 1 as singular).
fn count(lang: Lang, n: usize, en: (&str, &str), fr: (&str, &str)) -> String {
    let word = match lang {
        Lang::En if n == 1 => en.0,
        Lang::En => en.1,
        Lang::Fr if n <= 1 => fr.0,
        Lang::Fr => fr.1,
    };
    format!("{} {word}", number(lang, n as f64, 0))
}

/// "3 points" (the drawing banner).
pub fn points(lang: Lang, n: usize) -> String {
    count(lang, n, ("point", "points"), ("point", "points"))
}

/// The config banner: what went wrong, then that the defaults are used.
pub fn config_banner(lang: Lang, e: &LoadError) -> String {
    match lang {
        Lang::En => format!(
            "Configuration: {}. Using the default layers.",
            load_error(lang, e)
        ),
        Lang::Fr => format!(
            "Configuration : {}. Les couches par défaut sont utilisées.",
            load_error(lang, e)
        ),
    }
}

/// A file that could not be used, naming its URL.
pub fn load_error(lang: Lang, e: &LoadError) -> String {
    match (lang, e) {
        (Lang::En, LoadError::Unreachable { url, detail }) => {
            format!("could not load {url}: {detail}")
        }
        (Lang::Fr, LoadError::Unreachable { url, detail }) => {
            format!("impossible de charger {url} : {detail}")
        }
        (
            Lang::En,
            LoadError::Http {
                url,
                status,
                status_text,
            },
        ) => format!("could not load {url}: HTTP {status} {status_text}")
            .trim_end()
            .to_string(),
        (
            Lang::Fr,
            LoadError::Http {
                url,
                status,
                status_text,
            },
        ) => format!("impossible de charger {url} : HTTP {status} {status_text}")
            .trim_end()
            .to_string(),
        (Lang::En, LoadError::Unreadable { url, detail }) => {
            format!("could not read {url}: {detail}")
        }
        (Lang::Fr, LoadError::Unreadable { url, detail }) => {
            format!("impossible de lire {url} : {detail}")
        }
        (Lang::En, LoadError::Config { url, error }) => {
            format!("{url}: {}", config_error(lang, error))
        }
        (Lang::Fr, LoadError::Config { url, error }) => {
            format!("{url} : {}", config_error(lang, error))
        }
        (Lang::En, LoadError::Layer { url, error }) => {
            format!("{url}: {}", problems::ingest_error(lang, error))
        }
        (Lang::Fr, LoadError::Layer { url, error }) => {
            format!("{url} : {}", problems::ingest_error(lang, error))
        }
        (Lang::En, LoadError::Zones { url, error }) => {
            format!("{url}: {}", problems::zone_file_error(lang, error))
        }
        (Lang::Fr, LoadError::Zones { url, error }) => {
            format!("{url} : {}", problems::zone_file_error(lang, error))
        }
        (_, LoadError::TooLarge { url, cap, refused }) => {
            limits::file_too_large(lang, url, refused, cap.key())
        }
    }
}

/// A config that is not JSON, or a field and what is wrong with it.
pub fn config_error(lang: Lang, e: &ConfigError) -> String {
    match (lang, e) {
        (Lang::En, ConfigError::Json(d)) => format!("config is not valid JSON: {d}"),
        (Lang::Fr, ConfigError::Json(d)) => {
            format!("la configuration n’est pas du JSON valide : {d}")
        }
        (Lang::En, ConfigError::Invalid { field, problem }) => {
            format!("config field {field}: {}", config_problem(lang, problem))
        }
        (Lang::Fr, ConfigError::Invalid { field, problem }) => {
            format!(
                "champ {field} de la configuration : {}",
                config_problem(lang, problem)
            )
        }
    }
}

fn config_problem(lang: Lang, p: &ConfigProblem) -> String {
    use ConfigProblem as P;
    match lang {
        Lang::En => match p {
            P::NotAnObject(k) => format!("must be a JSON object, found {}", json_kind(lang, *k)),
            P::SectionNotObject => "must be an object".to_string(),
            P::WrongType(d) => d.clone(),
            P::Empty => "must not be empty".to_string(),
            P::OutOfRange { min, max } => format!("must be in {min}..{max}"),
            P::MissingPlaceholder(ph) => format!("must contain {ph}"),
            P::AtMost(n) => format!("must be at most {n}"),
            P::SecondsAtLeast(s) => format!("must be a number of seconds, at least {s}"),
            P::MetresAtLeast(m) => format!("must be a number of metres, at least {m}"),
            P::EventsInRange(n) => format!("must be 1..{n} events"),
            P::OneOf(words) => format!("must be one of {}", words.join(", ")),
            P::NotADateTime => {
                "must be an RFC 3339 date-time (e.g. 2026-12-05T14:00:00Z)".to_string()
            }
            P::NotAfterFrom => "must be later than from".to_string(),
            P::Missing => "is required".to_string(),
            P::NotPattern(form) => format!("must look like {form}"),
            P::NotWebUrl => "must be an http(s) URL or relative to the page".to_string(),
        },
        Lang::Fr => match p {
            P::NotAnObject(k) => format!("doit être un objet JSON, trouvé {}", json_kind(lang, *k)),
            P::SectionNotObject => "doit être un objet".to_string(),
            P::WrongType(d) => format!("type incorrect ({d})"),
            P::Empty => "ne doit pas être vide".to_string(),
            P::OutOfRange { min, max } => format!("doit être entre {min} et {max}"),
            P::MissingPlaceholder(ph) => format!("doit contenir {ph}"),
            P::AtMost(n) => format!("doit valoir au plus {n}"),
            P::SecondsAtLeast(s) => format!("doit être un nombre de secondes, au moins {s}"),
            P::MetresAtLeast(m) => format!("doit être un nombre de mètres, au moins {m}"),
            P::EventsInRange(n) => format!("doit être de 1 à {n} événements"),
            P::OneOf(words) => format!("doit être l’un de : {}", words.join(", ")),
            P::NotADateTime => {
                "doit être une date et heure RFC 3339 (par ex. 2026-12-05T14:00:00Z)".to_string()
            }
            P::NotAfterFrom => "doit être postérieur à from".to_string(),
            P::Missing => "est obligatoire".to_string(),
            P::NotPattern(form) => format!("doit avoir la forme {form}"),
            P::NotWebUrl => "doit être une URL http(s) ou relative à la page".to_string(),
        },
    }
}

/// A wall parameter of the address refused (`?tile=5,0`): the parameter and value named, and
/// what is wrong; this screen then shows the whole view.
pub fn wall_query_error(lang: Lang, e: &QueryError) -> String {
    let (param, value) = (e.param.key(), &e.value);
    match lang {
        Lang::En => format!(
            "address parameter ?{param}={value}: {}",
            config_problem(lang, &e.problem)
        ),
        Lang::Fr => format!(
            "paramètre d’adresse ?{param}={value} : {}",
            config_problem(lang, &e.problem)
        ),
    }
}

/// A `?config=` value that is not a relative path on this server.
pub fn config_param_refused(lang: Lang, value: &str) -> String {
    match lang {
        Lang::En => {
            format!("?config={value} ignored: only a relative path on this server is allowed")
        }
        Lang::Fr => {
            format!("?config={value} ignoré : seul un chemin relatif sur ce serveur est accepté")
        }
    }
}

/// A `?mode=` value that names no display mode.
pub fn unknown_mode(lang: Lang, e: &UnknownMode) -> String {
    let value = &e.0;
    match lang {
        Lang::En => format!(
            "Unknown display mode \"{value}\" in the address (?mode=): use desk, wall or tablet. Showing the desk layout."
        ),
        Lang::Fr => format!(
            "Mode d’affichage « {value} » inconnu dans l’adresse (?mode=) : utilisez desk, wall ou tablet. Affichage du poste de travail."
        ),
    }
}

/// A layer that failed: "Fences: could not load …".
pub fn layer_failed(lang: Lang, title: &str, e: &LoadError) -> String {
    match lang {
        Lang::En => format!("{title}: {}", load_error(lang, e)),
        Lang::Fr => format!("{title} : {}", load_error(lang, e)),
    }
}

/// A layer with skipped features: how many, how many shown, the first reason.
pub fn layer_skipped(lang: Lang, title: &str, skipped: usize, shown: usize, first: &str) -> String {
    let more = skipped.saturating_sub(1);
    match lang {
        Lang::En => {
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let s = if skipped == 1 { "" } else { "s" };
            format!("{title}: {skipped} feature{s} skipped, {shown} shown ({first}{more})")
        }
        Lang::Fr => {
            let more = if more > 0 {
                format!(" et {more} autres")
            } else {
                String::new()
            };
            let s = if skipped <= 1 { "" } else { "s" };
            format!("{title} : {skipped} objet{s} ignoré{s}, {shown} affichés ({first}{more})")
        }
    }
}

/// The info card's line for a camera (degrees, ground metres).
pub fn camera_line(lang: Lang, bearing: f64, fov: f64, range_m: f64) -> String {
    match lang {
        Lang::En => format!(
            "Camera · bearing {}° · field of view {}° · range {} m",
            number(lang, bearing, 0),
            number(lang, fov, 0),
            number(lang, range_m, 0)
        ),
        Lang::Fr => format!(
            "Caméra · cap {}° · champ de vision {}° · portée {} m",
            number(lang, bearing, 0),
            number(lang, fov, 0),
            number(lang, range_m, 0)
        ),
    }
}

/// The attribution with the raster tiles' own.
pub fn attribution_with_tiles(lang: Lang, base: &str, tiles: &str) -> String {
    match lang {
        Lang::En => format!("{base} · Tiles {tiles}"),
        Lang::Fr => format!("{base} · Tuiles {tiles}"),
    }
}

/// A position as "50.96123° N, 1.85012° E" (degrees WGS84).
pub fn lat_lon(lang: Lang, lat: f64, lon: f64) -> String {
    let (n, s, e, w) = match lang {
        Lang::En => ("N", "S", "E", "W"),
        Lang::Fr => ("N", "S", "E", "O"),
    };
    format!(
        "{}° {}, {}° {}",
        number(lang, lat.abs(), 5),
        if lat >= 0.0 { n } else { s },
        number(lang, lon.abs(), 5),
        if lon >= 0.0 { e } else { w }
    )
}

/// The feed status line: "Live · last update 07:59:08", "Stale since …"; `clock` words a
/// wall-clock time (ms since the Unix epoch) as local clock text.
pub fn feed_status(
    lang: Lang,
    status: FeedStatus,
    transport: Transport,
    clock: &dyn Fn(f64) -> String,
) -> String {
    let last = |l: Option<f64>| match (lang, l) {
        (Lang::En, Some(ms)) => format!("last update {}", clock(ms)),
        (Lang::En, None) => "no update yet".to_string(),
        (Lang::Fr, Some(ms)) => format!("dernière mise à jour {}", clock(ms)),
        (Lang::Fr, None) => "aucune mise à jour encore".to_string(),
    };
    let poll = transport == Transport::Poll;
    match lang {
        Lang::En => match status {
            FeedStatus::Connecting => "Connecting to the live feed…".to_string(),
            FeedStatus::Live { last: l } => {
                format!(
                    "Live{} · {}",
                    if poll { " (polling)" } else { "" },
                    last(Some(l))
                )
            }
            FeedStatus::Reconnecting { attempt, last: l } => {
                format!("Reconnecting (attempt {attempt}) · {}", last(l))
            }
            FeedStatus::Offline { last: l } => format!("Offline · {}", last(l)),
            FeedStatus::Stale { since, last: l } => {
                format!("Stale since {} · {}", clock(since), last(l))
            }
        },
        Lang::Fr => match status {
            FeedStatus::Connecting => "Connexion au flux en direct…".to_string(),
            FeedStatus::Live { last: l } => format!(
                "En direct{} · {}",
                if poll { " (interrogation)" } else { "" },
                last(Some(l))
            ),
            FeedStatus::Reconnecting { attempt, last: l } => {
                format!("Reconnexion (tentative {attempt}) · {}", last(l))
            }
            FeedStatus::Offline { last: l } => format!("Hors ligne · {}", last(l)),
            FeedStatus::Stale { since, last: l } => {
                format!("Périmé depuis {} · {}", clock(since), last(l))
            }
        },
    }
}

/// One sentence for a transport problem of the feed.
pub fn feed_problem(lang: Lang, problem: &Problem) -> String {
    match lang {
        Lang::En => match problem {
            Problem::Unreachable { request } => format!(
                "Could not reach the server for {}: retrying",
                labels::request(lang, *request)
            ),
            Problem::Http {
                request,
                status,
                retry_after_s: None,
            } => format!(
                "The server answered HTTP {status} to {}: retrying",
                labels::request(lang, *request)
            ),
            Problem::Http {
                request,
                status,
                retry_after_s: Some(s),
            } => format!(
                "The server answered HTTP {status} to {}; {}",
                labels::request(lang, *request),
                faults::retry_after(lang, *s)
            ),
            Problem::Truncated { request } => format!(
                "The answer to {} was cut off: retrying",
                labels::request(lang, *request)
            ),
            Problem::TooLarge { request, limit } => {
                limits::feed_too_large(lang, labels::request(lang, *request), *limit)
            }
            Problem::Unreadable { request, error } => format!(
                "The answer to {} could not be read ({}): retrying",
                labels::request(lang, *request),
                incident_error(lang, error)
            ),
            Problem::TimedOut { request } => {
                format!("No answer to {} in time: retrying", labels::request(lang, *request))
            }
            Problem::StreamLost => {
                "Lost the connection to the incident stream: retrying, then resuming from the last event"
                    .to_string()
            }
            Problem::StreamRefused => {
                "The browser refused to open the incident stream (check stream_url in the config)"
                    .to_string()
            }
            Problem::Silent { after_ms } => format!(
                "No event or heartbeat for {} s: reconnecting",
                number(lang, after_ms / 1_000.0, 0)
            ),
            Problem::Offline => {
                "This device is offline: the feed reconnects as soon as the network is back"
                    .to_string()
            }
        },
        Lang::Fr => match problem {
            Problem::Unreachable { request } => format!(
                "Serveur injoignable pour {} : nouvel essai",
                labels::request(lang, *request)
            ),
            Problem::Http {
                request,
                status,
                retry_after_s: None,
            } => format!(
                "Le serveur a répondu HTTP {status} à {} : nouvel essai",
                labels::request(lang, *request)
            ),
            Problem::Http {
                request,
                status,
                retry_after_s: Some(s),
            } => format!(
                "Le serveur a répondu HTTP {status} à {} ; {}",
                labels::request(lang, *request),
                faults::retry_after(lang, *s)
            ),
            Problem::Truncated { request } => format!(
                "La réponse à {} a été coupée : nouvel essai",
                labels::request(lang, *request)
            ),
            Problem::TooLarge { request, limit } => {
                limits::feed_too_large(lang, labels::request(lang, *request), *limit)
            }
            Problem::Unreadable { request, error } => format!(
                "La réponse à {} est illisible ({}) : nouvel essai",
                labels::request(lang, *request),
                incident_error(lang, error)
            ),
            Problem::TimedOut { request } => format!(
                "Pas de réponse à {} dans le délai : nouvel essai",
                labels::request(lang, *request)
            ),
            Problem::StreamLost => {
                "Connexion au flux d’incidents perdue : nouvel essai, puis reprise au dernier événement"
                    .to_string()
            }
            Problem::StreamRefused => {
                "Le navigateur a refusé d’ouvrir le flux d’incidents (vérifiez stream_url dans la configuration)"
                    .to_string()
            }
            Problem::Silent { after_ms } => format!(
                "Aucun événement ni signal de vie depuis {} s : reconnexion",
                number(lang, after_ms / 1_000.0, 0)
            ),
            Problem::Offline => {
                "Cet appareil est hors ligne : le flux se reconnecte dès le retour du réseau"
                    .to_string()
            }
        },
    }
}

/// The resync notice: when (`at`, local clock text), why and how the picture changed.
pub fn resync_notice(
    lang: Lang,
    at: &str,
    cause: ResyncCause,
    before: usize,
    after: usize,
) -> String {
    let why = labels::resync_cause(lang, cause);
    let change = match (lang, after.cmp(&before)) {
        (Lang::En, std::cmp::Ordering::Less) => format!("{} fewer", before - after),
        (Lang::En, std::cmp::Ordering::Greater) => format!("{} more", after - before),
        (Lang::En, std::cmp::Ordering::Equal) => "as many".to_string(),
        (Lang::Fr, std::cmp::Ordering::Less) => format!("{} de moins", before - after),
        (Lang::Fr, std::cmp::Ordering::Greater) => format!("{} de plus", after - before),
        (Lang::Fr, std::cmp::Ordering::Equal) => "autant".to_string(),
    };
    match lang {
        Lang::En => format!(
            "At {at} every incident was reloaded from the server ({why}): {before} → {after} incidents ({change})."
        ),
        Lang::Fr => format!(
            "À {at}, tous les incidents ont été rechargés depuis le serveur ({why}) : {before} → {after} incidents ({change})."
        ),
    }
}

/// A counter's tooltip: "Open small boat incidents".
pub fn open_kind_title(lang: Lang, kind: IncidentKind) -> String {
    let name = labels::incident_kind(lang, kind).to_ascii_lowercase();
    match lang {
        Lang::En => format!("Open {name} incidents"),
        Lang::Fr => format!("Incidents en cours : {name}"),
    }
}

/// Why an incident event or snapshot was rejected (the feed diagnostics' last error).
pub fn incident_error(lang: Lang, e: &IncidentError) -> String {
    use IncidentError as E;
    match lang {
        // The core's log texts are the English UI texts (e2e tests read them).
        Lang::En => e.to_string(),
        Lang::Fr => match e {
            E::Json(d) => format!("JSON invalide : {d}"),
            E::NotFeatureCollection(d) => format!("pas une FeatureCollection GeoJSON : {d}"),
            E::NotFeature(d) => format!("pas une Feature GeoJSON : {d}"),
            E::NoId => "pas d’identifiant (ni id de Feature ni propriété id)".to_string(),
            E::GeometryMissing => "géométrie absente ou nulle".to_string(),
            E::NotPoint(t) => format!("la géométrie est {t} (un Point est attendu)"),
            E::BadCoordinates(d) => format!("coordonnées du Point malformées : {d}"),
            E::NonFiniteCoordinates => "coordonnées du Point NaN ou infinies".to_string(),
            E::CoordinatesOutOfRange { lon, lat } => format!(
                "coordonnées du Point [{lon:?}, {lat:?}] hors limites (lon entre -180 et 180, lat entre -90 et 90)"
            ),
            E::KindMissing => "type absent ou vide".to_string(),
            E::BadKind(v) => format!("le type {v} n’est pas une chaîne"),
            E::SeverityMissing => "gravité absente".to_string(),
            E::BadSeverity(v) => format!("la gravité {v} n’est pas un entier de 1 à 5"),
            E::StatusMissing => "état absent".to_string(),
            E::BadStatus(v) => format!("l’état {v:?} n’est ni \"open\" ni \"closed\""),
            E::TimeMissing(f) => format!("{f} absent"),
            E::BadTime { field, found } => {
                format!("{field} {found:?} n’est pas une date-heure RFC 3339")
            }
            E::TooLarge { bytes, limit } => format!(
                "événement de {bytes} octets, au-delà du plafond de {limit} octets (limits.event_mb) : non lu"
            ),
        },
    }
}

/// Why a zone being drawn cannot be saved, as the editor shows it.
pub fn draft_error(lang: Lang, e: &DraftError) -> String {
    use DraftError as E;
    match lang {
        Lang::En => match e {
            E::BadPoint => "That point is not a valid position (not a number or outside the map)".to_string(),
            E::Duplicate => "There is already a point there".to_string(),
            E::TooMany => format!("A zone has at most {MAX_VERTICES} points"),
            E::NoSuchVertex(i) => format!("There is no point {i}"),
            E::TooFew(n) => format!("A zone needs at least 3 distinct points (it has {n})"),
            E::EdgesCross(at) => {
                format!("Edges cross near {at}: move a point so that the outline does not cross itself")
            }
            E::Invalid(why) => {
                format!("The outline is not a valid zone: {}", problems::zone_problem(lang, why))
            }
            E::NotWritten => "The outline is not a valid zone: the zone could not be written".to_string(),
            E::EmptyName => "The zone needs a name".to_string(),
            E::NameTooLong => format!("The name is too long (at most {MAX_NAME_CHARS} characters)"),
            E::BadDwell(v) => format!(
                "Dwell time {v:?} is not a number of seconds between 1 and 604800 (or empty for none)"
            ),
            E::NotEditable => {
                "This zone has several parts or holes: its outline cannot be edited here".to_string()
            }
        },
        Lang::Fr => match e {
            E::BadPoint => "Ce point n’est pas une position valide (pas un nombre ou hors de la carte)".to_string(),
            E::Duplicate => "Il y a déjà un point ici".to_string(),
            E::TooMany => format!("Une zone a au plus {MAX_VERTICES} points"),
            E::NoSuchVertex(i) => format!("Il n’y a pas de point {i}"),
            E::TooFew(n) => format!("Une zone demande au moins 3 points distincts (elle en a {n})"),
            E::EdgesCross(at) => format!(
                "Des côtés se croisent près de {at} : déplacez un point pour que le tracé ne se croise pas"
            ),
            E::Invalid(why) => {
                format!("Le tracé n’est pas une zone valide : {}", problems::zone_problem(lang, why))
            }
            E::NotWritten => "Le tracé n’est pas une zone valide : la zone n’a pas pu être écrite".to_string(),
            E::EmptyName => "La zone doit avoir un nom".to_string(),
            E::NameTooLong => format!("Le nom est trop long (au plus {MAX_NAME_CHARS} caractères)"),
            E::BadDwell(v) => format!(
                "La durée de présence {v:?} n’est pas un nombre de secondes entre 1 et 604800 (ou vide pour aucune)"
            ),
            E::NotEditable => {
                "Cette zone a plusieurs parties ou des trous : son tracé ne peut pas être modifié ici".to_string()
            }
        },
    }
}

/// The incident list's count: "12 shown".
pub fn shown(lang: Lang, n: usize) -> String {
    count(lang, n, ("shown", "shown"), ("affiché", "affichés"))
}

/// Below the list's last row when more match than are listed.
pub fn more_not_listed(lang: Lang, n: usize) -> String {
    let what = count(
        lang,
        n,
        ("more not listed", "more not listed"),
        ("autre non listé", "autres non listés"),
    );
    match lang {
        Lang::En => format!("{what}: narrow the filters"),
        Lang::Fr => format!("{what} : affinez les filtres"),
    }
}

/// The feed diagnostics' count.
pub fn rejected_events(lang: Lang, n: u64) -> String {
    let n = number(lang, n as f64, 0);
    match lang {
        Lang::En => format!("Rejected events: {n}"),
        Lang::Fr => format!("Événements rejetés : {n}"),
    }
}

/// How far a time is ahead of this device's clock (ms), rounded: "10 minutes",
/// "3 h 05 min", "2 days".
pub fn ahead(lang: Lang, ms: i64) -> String {
    let min = ms.saturating_add(30_000) / 60_000;
    if min < 120 {
        let n = usize::try_from(min).unwrap_or(0);
        count(lang, n, ("minute", "minutes"), ("minute", "minutes"))
    } else if min < 48 * 60 {
        format!("{} h {:02} min", min / 60, min % 60)
    } else {
        match lang {
            Lang::En => format!("{} days", min / (24 * 60)),
            Lang::Fr => format!("{} jours", min / (24 * 60)),
        }
    }
}

/// The incident card's clock-skew note; `ahead` from [`ahead`].
pub fn clock_skew_note(lang: Lang, ahead: &str) -> String {
    match lang {
        Lang::En => format!("⚠ Clock skew: updated {ahead} ahead of this device's clock"),
        Lang::Fr => format!(
            "⚠ Décalage d’horloge : mis à jour {ahead} en avance sur l’horloge de cet appareil"
        ),
    }
}

/// "Severity 3".
pub fn severity(lang: Lang, n: u8) -> String {
    match lang {
        Lang::En => format!("Severity {n}"),
        Lang::Fr => format!("Gravité {n}"),
    }
}

/// The card's track row: "4 earlier positions", "1 earlier position".
pub fn earlier_positions(lang: Lang, n: usize) -> String {
    count(
        lang,
        n,
        ("earlier position", "earlier positions"),
        ("position antérieure", "positions antérieures"),
    )
}

/// A zone row's tooltip: "Restricted zone · show on the map".
pub fn zone_row_title(lang: Lang, kind: ZoneKind) -> String {
    match lang {
        Lang::En => format!("{} zone · show on the map", labels::zone_kind(lang, kind)),
        Lang::Fr => format!(
            "Zone {} · afficher sur la carte",
            labels::zone_kind(lang, kind).to_ascii_lowercase()
        ),
    }
}

/// The coverage line's tooltip (`spacing_m` ground metres).
pub fn coverage_sampling(lang: Lang, spacing_m: f64) -> String {
    match lang {
        Lang::En => format!(
            "Sampled every {} m along the fences",
            number(lang, spacing_m, 0)
        ),
        Lang::Fr => format!(
            "Échantillonné tous les {} m le long des clôtures",
            number(lang, spacing_m, 0)
        ),
    }
}

/// The coverage line: fence length no camera sees (distances already worded).
pub fn coverage_gap(lang: Lang, unseen: &str, total: &str, stretches: usize) -> String {
    match lang {
        Lang::En => format!("Fence unseen by cameras: {unseen} of {total} ({stretches} stretches)"),
        Lang::Fr => {
            format!("Clôture non vue par les caméras : {unseen} sur {total} ({stretches} tronçons)")
        }
    }
}

/// A drawn zone listed under another id because a loaded zone has its id.
pub fn drawn_renamed(lang: Lang, from: &str, to: &str) -> String {
    match lang {
        Lang::En => {
            format!(
                "drawn zone \"{from}\" is listed as \"{to}\": a zone of the zones file has its id"
            )
        }
        Lang::Fr => format!(
            "la zone dessinée « {from} » est listée comme « {to} » : une zone du fichier de zones a son identifiant"
        ),
    }
}

/// The inline delete confirmation.
pub fn delete_zone_confirm(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("Delete “{name}”?"),
        Lang::Fr => format!("Supprimer « {name} » ?"),
    }
}

/// An import refused for its size (MB).
pub fn file_too_big(lang: Lang, size_mb: f64, max_mb: f64) -> String {
    match lang {
        Lang::En => format!(
            "the file is {} MB; zone files of at most {} MB are imported",
            number(lang, size_mb, 1),
            number(lang, max_mb, 0)
        ),
        Lang::Fr => format!(
            "le fichier fait {} Mo ; seuls les fichiers de zones d’au plus {} Mo sont importés",
            number(lang, size_mb, 1),
            number(lang, max_mb, 0)
        ),
    }
}

/// An import file the browser could not read (its description).
pub fn file_unreadable(lang: Lang, detail: &str) -> String {
    match lang {
        Lang::En => format!("the file could not be read ({detail})"),
        Lang::Fr => format!("le fichier n’a pas pu être lu ({detail})"),
    }
}

/// The import report's summary when nothing was imported.
pub fn not_imported(lang: Lang, file: &str, why: &str) -> String {
    match lang {
        Lang::En => format!("{file}: not imported: {why}."),
        Lang::Fr => format!("{file} : non importé : {why}."),
    }
}

/// The import report's summary: zones added (with their names) and skipped.
pub fn imported(lang: Lang, file: &str, names: &[&str], skipped: usize) -> String {
    let added = count(lang, names.len(), ("zone", "zones"), ("zone", "zones"));
    let list = if names.is_empty() {
        String::new()
    } else {
        format!(" ({})", names.join(", "))
    };
    match lang {
        Lang::En => format!("{file}: {added} imported{list}, {skipped} skipped."),
        Lang::Fr => format!("{file} : {added} importée(s){list}, {skipped} ignorée(s)."),
    }
}

/// An imported zone whose id was taken.
pub fn import_renamed(lang: Lang, from: &str, to: &str) -> String {
    match lang {
        Lang::En => format!("“{from}” was already taken: imported as “{to}”."),
        Lang::Fr => format!("« {from} » était déjà pris : importé sous « {to} »."),
    }
}

/// The zone diagnostics' count.
pub fn zone_problems(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("Zone problems: {n}"),
        Lang::Fr => format!("Problèmes de zones : {n}"),
    }
}

/// Unacknowledged alerts in the ticker's head.
pub fn new_alerts(lang: Lang, n: usize) -> String {
    count(lang, n, ("new", "new"), ("nouvelle", "nouvelles"))
}

/// The critical banner's count: "1 critical alert", "3 critical alerts".
pub fn critical_alerts(lang: Lang, n: usize) -> String {
    count(
        lang,
        n,
        ("critical alert", "critical alerts"),
        ("alerte critique", "alertes critiques"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::incident::IncidentKind;

    /// The kind labels put mid-sentence are lower-cased with `to_ascii_lowercase` (the full
    /// Unicode `to_lowercase` links a case table into the bundle): right only while every
    /// capital in them is ASCII, which this checks in both languages.
    #[test]
    fn labels_lower_cased_mid_sentence_have_ascii_capitals_only() {
        for lang in Lang::ALL {
            for kind in IncidentKind::ALL {
                let label = labels::incident_kind(lang, kind);
                assert_eq!(label.to_ascii_lowercase(), label.to_lowercase(), "{label}");
            }
            for kind in ZoneKind::ALL {
                let label = labels::zone_kind(lang, kind);
                assert_eq!(label.to_ascii_lowercase(), label.to_lowercase(), "{label}");
            }
        }
        assert_eq!(
            open_kind_title(Lang::Fr, IncidentKind::VehicleSighting),
            "Incidents en cours : véhicule repéré"
        );
    }

    /// Counted texts agree with their number in both languages (French takes the singular
    /// for 0 and 1): "1 nouvelles" and "1 earlier positions" were on screen.
    #[test]
    fn counted_texts_agree_with_their_number() {
        type Counted = fn(Lang, usize) -> String;
        let cases: [(Counted, [&str; 4]); 5] = [
            (new_alerts, ["1 new", "2 new", "1 nouvelle", "2 nouvelles"]),
            (shown, ["1 shown", "2 shown", "1 affiché", "2 affichés"]),
            (
                earlier_positions,
                [
                    "1 earlier position",
                    "2 earlier positions",
                    "1 position antérieure",
                    "2 positions antérieures",
                ],
            ),
            (
                more_not_listed,
                [
                    "1 more not listed: narrow the filters",
                    "2 more not listed: narrow the filters",
                    "1 autre non listé : affinez les filtres",
                    "2 autres non listés : affinez les filtres",
                ],
            ),
            (
                critical_alerts,
                [
                    "1 critical alert",
                    "2 critical alerts",
                    "1 alerte critique",
                    "2 alertes critiques",
                ],
            ),
        ];
        for (f, [en1, en2, fr1, fr2]) in cases {
            assert_eq!(f(Lang::En, 1), en1);
            assert_eq!(f(Lang::En, 2), en2);
            assert_eq!(f(Lang::Fr, 1), fr1);
            assert_eq!(f(Lang::Fr, 2), fr2);
        }
        assert_eq!(new_alerts(Lang::Fr, 0), "0 nouvelle");
    }
}
