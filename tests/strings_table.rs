//! The string table (`src/web/strings`): every fixed text has an English and a French entry,
//! none empty; every key and every wording function is used by the shell; the core words no
//! label for the UI (no `fn label` left in `src/core`). A missing French entry does not
//! compile (the table's macro and the wording functions' `match` on the language); these
//! checks catch what the compiler cannot.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use calais_map::core::config::{ConfigError, ConfigProblem, parse_config};
use calais_map::core::geofence::draft::DraftError;
use calais_map::core::incident::{IncidentError, IncidentKind, Status};
use calais_map::web::strings::{Lang, T, labels, messages};

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
            "Zoom",
            "RowPosition",
            "RowSource",
            "RowDescription",
            "RowZones"
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
    for file in ["labels.rs", "messages.rs", "heatmap.rs"] {
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
    let e = DraftError::EdgesCross("1.8390, 50.9505".into());
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
