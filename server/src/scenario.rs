//! Scripted mode (`--scenario file.json`) for end-to-end tests.
//!
//! File: `{"events": [{"at_ms": 0, "feature": {...}}, {"at_ms": 500, "raw": "..."}], "then": "idle"|"loop",
//! "loop_gap_ms": 1000}`. Each entry is emitted `at_ms` after start (entries are taken in
//! `at_ms` order, ties in file order). With "loop" the script starts over `loop_gap_ms`
//! (default 1000) after its last entry.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;

use crate::history::ScriptedShift;
use crate::hub::Hub;

#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// Incident id and the Feature re-serialised as one line of JSON.
    Feature(String, String),
    Raw(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub events: Vec<(u64, Payload)>,
    pub looping: bool,
    pub loop_gap_ms: u64,
    /// The `"history"` member: what `GET /api/incidents/history` serves (none without it).
    pub history: Option<HistorySpec>,
}

/// A scripted history: `{"days": 14, "per_hour": 20, "seed": 7, "shift": {"a": [lon, lat],
/// "b": [lon, lat], "spread_m": 1500}}` (`seed` and `shift` optional; without `shift` the
/// generator's coastal drift is used).
#[derive(Debug, Clone, PartialEq)]
pub struct HistorySpec {
    pub days: u32,
    pub per_hour: f64,
    pub seed: u64,
    pub shift: Option<ScriptedShift>,
}

fn lonlat(v: Option<&Value>, what: &str) -> Result<(f64, f64), String> {
    let pair = v.and_then(Value::as_array).filter(|a| a.len() == 2);
    let nums = pair.and_then(|a| Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?)));
    match nums {
        Some((lon, lat)) if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) => {
            Ok((lon, lat))
        }
        _ => Err(format!(
            "history.shift.{what} must be [lon, lat] in degrees"
        )),
    }
}

fn history_spec(h: &Value) -> Result<HistorySpec, String> {
    let days = h
        .get("days")
        .and_then(Value::as_u64)
        .filter(|d| (1..=400).contains(d))
        .ok_or("history.days must be a whole number of days from 1 to 400")?;
    let per_hour = h
        .get("per_hour")
        .and_then(Value::as_f64)
        .filter(|r| r.is_finite() && (0.0..=10_000.0).contains(r))
        .ok_or("history.per_hour must be a number from 0 to 10000")?;
    let seed = h.get("seed").and_then(Value::as_u64).unwrap_or(1);
    let shift = match h.get("shift") {
        None | Some(Value::Null) => None,
        Some(sh) => Some(ScriptedShift {
            a: lonlat(sh.get("a"), "a")?,
            b: lonlat(sh.get("b"), "b")?,
            spread_m: sh
                .get("spread_m")
                .and_then(Value::as_f64)
                .filter(|m| m.is_finite() && (0.0..=100_000.0).contains(m))
                .ok_or("history.shift.spread_m must be metres from 0 to 100000")?,
        }),
    };
    Ok(HistorySpec {
        days: days as u32,
        per_hour,
        seed,
        shift,
    })
}

fn feature_id(f: &Value) -> Option<String> {
    let id = f
        .get("id")
        .filter(|v| !v.is_null())
        .or_else(|| f.get("properties")?.get("id"))?;
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn parse(text: &str) -> Result<Scenario, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let list = v
        .get("events")
        .and_then(Value::as_array)
        .ok_or("missing \"events\" array")?;
    let mut events = Vec::with_capacity(list.len());
    for (i, e) in list.iter().enumerate() {
        let at = e.get("at_ms").and_then(Value::as_u64).ok_or_else(|| {
            format!("events[{i}]: missing or invalid \"at_ms\" (ms as a non-negative integer)")
        })?;
        let payload = match (e.get("feature"), e.get("raw")) {
            (Some(f), None) => {
                if !f.is_object() {
                    return Err(format!("events[{i}]: \"feature\" must be an object"));
                }
                let id = feature_id(f).ok_or_else(|| {
                    format!("events[{i}]: the feature needs a string or number \"id\"")
                })?;
                Payload::Feature(id, f.to_string())
            }
            (None, Some(Value::String(raw))) => Payload::Raw(raw.clone()),
            _ => {
                return Err(format!(
                    "events[{i}]: needs exactly one of \"feature\" (object) or \"raw\" (string)"
                ));
            }
        };
        events.push((at, payload));
    }
    events.sort_by_key(|(at, _)| *at);
    let looping = match v.get("then").and_then(Value::as_str).unwrap_or("idle") {
        "idle" => false,
        "loop" => true,
        other => {
            return Err(format!(
                "\"then\" must be \"idle\" or \"loop\", not {other:?}"
            ));
        }
    };
    if looping && events.is_empty() {
        return Err("a looping scenario needs at least one event".into());
    }
    let loop_gap_ms = v.get("loop_gap_ms").and_then(Value::as_u64).unwrap_or(1000);
    let history = v.get("history").map(history_spec).transpose()?;
    Ok(Scenario {
        events,
        looping,
        loop_gap_ms,
        history,
    })
}

pub fn load(path: &Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

pub async fn run(hub: Arc<Hub>, scenario: Scenario, mut stop: watch::Receiver<bool>) {
    let mut start = tokio::time::Instant::now();
    loop {
        for (at, payload) in &scenario.events {
            tokio::select! {
                _ = tokio::time::sleep_until(start + Duration::from_millis(*at)) => {}
                _ = stop.changed() => return,
            }
            match payload {
                Payload::Feature(id, json) => hub.publish_feature(id.clone(), json.clone()),
                Payload::Raw(raw) => hub.publish_raw(raw.clone()),
            };
        }
        if !scenario.looping {
            return;
        }
        let last = scenario.events.last().map_or(0, |(at, _)| *at);
        start += Duration::from_millis(last + scenario.loop_gap_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        let s = parse(
            r#"{"events": [{"at_ms": 5, "raw": "x"}, {"at_ms": 0, "feature": {"type": "Feature", "id": 7, "properties": {}}}], "then": "loop"}"#,
        )
        .unwrap();
        assert!(s.looping);
        let Payload::Feature(id, json) = &s.events[0].1 else {
            panic!("{:?}", s.events[0])
        };
        assert_eq!(id, "7");
        let back: Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            back,
            serde_json::json!({"type": "Feature", "id": 7, "properties": {}})
        );
        assert_eq!(s.events[1], (5, Payload::Raw("x".into())));
        assert!(parse(r#"{"events": [{"at_ms": 0}]}"#).is_err());
        assert!(parse(r#"{"events": [{"at_ms": 0, "feature": {"type": "Feature"}}]}"#).is_err());
        assert!(parse(r#"{"events": [], "then": "forever"}"#).is_err());
        assert!(parse("nope").is_err());
        assert_eq!(s.history, None);
        let h = parse(
            r#"{"events": [], "history": {"days": 14, "per_hour": 20, "shift": {"a": [1.8, 50.9], "b": [2.4, 51.05], "spread_m": 1500}}}"#,
        )
        .unwrap()
        .history
        .unwrap();
        assert_eq!(h.days, 14);
        assert_eq!(h.shift.unwrap().b, (2.4, 51.05));
        assert!(parse(r#"{"events": [], "history": {"days": 0, "per_hour": 20}}"#).is_err());
        assert!(parse(r#"{"events": [], "history": {"days": 3, "per_hour": 20, "shift": {"a": [1], "b": [2.4, 51.05], "spread_m": 1}}}"#).is_err());
    }

    #[test]
    fn shipped_basic_scenario_is_valid() {
        let s = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/basic.json")).unwrap();
        let raws = s
            .events
            .iter()
            .filter(|(_, p)| matches!(p, Payload::Raw(_)))
            .count();
        assert_eq!(raws, 2);
        assert!(s.events.len() >= 15);
    }
}
