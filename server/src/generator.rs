//! Seeded synthetic incidents around Calais (default mode).
//!
//! Every tick (1/rate s) emits exactly one event: a new incident or an update of an open one
//! (a boat's new position fix, a severity change, a closure). Content depends only on the seed;
//! timestamps are the server's clock (`clock::now_ms`: real time, or sped up by
//! `--time-scale`). Boats move at their real speed in generator time (tick × time scale / rate
//! seconds), so at the default rate they move a few metres per second; closed incidents leave
//! the snapshot [`CLOSED_RETENTION_MS`] of the server's clock after they closed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{Map, Value, json};
use tokio::sync::watch;

use crate::clock::{now_ms, now_rfc3339};
use crate::hub::Hub;
use crate::rng::Rng;

/// Incidents emitted at start so a fresh server has something to show.
pub const INITIAL_INCIDENTS: usize = 8;
/// Closed incidents stay in the snapshot this long (ms of the server's clock).
const CLOSED_RETENTION_MS: i64 = 600_000;
const MAX_OPEN: usize = 30;
const KNOT_MS: f64 = 0.514_444;
const M_PER_DEG_LAT: f64 = 111_320.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    SmallBoat,
    FenceBreach,
    LorryIntrusion,
    TunnelIntrusion,
    VehicleSighting,
    Other,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::SmallBoat,
        Kind::FenceBreach,
        Kind::LorryIntrusion,
        Kind::TunnelIntrusion,
        Kind::VehicleSighting,
        Kind::Other,
    ];
    const WEIGHTS: [u32; 6] = [25, 20, 25, 3, 17, 10];

    fn name(self) -> &'static str {
        match self {
            Kind::SmallBoat => "small_boat",
            Kind::FenceBreach => "fence_breach",
            Kind::LorryIntrusion => "lorry_intrusion",
            Kind::TunnelIntrusion => "tunnel_intrusion",
            Kind::VehicleSighting => "vehicle_sighting",
            Kind::Other => "other",
        }
    }

    /// Inclusive severity range of the kind.
    fn severities(self) -> (u64, u64) {
        match self {
            Kind::SmallBoat => (3, 5),
            Kind::FenceBreach => (2, 4),
            Kind::LorryIntrusion => (2, 3),
            Kind::TunnelIntrusion => (5, 5),
            Kind::VehicleSighting => (1, 2),
            Kind::Other => (1, 3),
        }
    }
}

const BEACHES: [(&str, f64, f64); 9] = [
    ("Wimereux", 1.605, 50.770),
    ("Ambleteuse", 1.603, 50.806),
    ("Wissant", 1.662, 50.888),
    ("Sangatte", 1.740, 50.950),
    ("Blériot-Plage", 1.805, 50.964),
    ("Oye-Plage", 2.040, 50.997),
    ("Gravelines", 2.130, 51.010),
    ("Dunkirk, Malo-les-Bains", 2.405, 51.058),
    ("Bray-Dunes", 2.520, 51.087),
];
const COQUELLES_TERMINAL: (f64, f64) = (1.812, 50.928);
/// The terminal perimeter's fence sectors in public/data/fences.geojson (`sector` T-01..T-25).
const TERMINAL_SECTORS: u64 = 25;
/// The port's cameras in public/data/cameras.geojson (cam-P-01..cam-P-03).
const PORT_CAMERAS: u64 = 3;
const TUNNEL_PORTAL: (f64, f64) = (1.780, 50.921);
const LORRY_SPOTS: [(&str, f64, f64); 5] = [
    ("Port of Calais, ferry check-in", 1.865, 50.966),
    ("Rocade portuaire (A216)", 1.885, 50.958),
    ("A16 junction 47, Marck", 1.935, 50.947),
    ("A16 junction 42, Coquelles", 1.820, 50.937),
    ("lorry park, zone Marcel Doret", 1.895, 50.952),
];
const TOWN_SPOTS: [(&str, f64, f64); 6] = [
    ("Coquelles, Cité Europe car park", 1.803, 50.933),
    ("Sangatte, D940 coast road", 1.742, 50.944),
    ("Calais, quai de la Loire", 1.852, 50.962),
    ("Marck, RD940", 1.948, 50.958),
    ("Gravelines, A16 services", 2.118, 50.985),
    ("Wimereux, D940", 1.612, 50.776),
];

struct Sim {
    id: String,
    kind: Kind,
    severity: u64,
    open: bool,
    reported_at: String,
    lon: f64,
    lat: f64,
    accuracy_m: Option<u64>,
    source: String,
    description: String,
    updates_left: u32,
    // Boats only.
    launch: (f64, f64),
    launch_tick: u64,
    bearing_deg: f64,
    speed_kn: f64,
    persons: u64,
    beach: &'static str,
}

pub struct Generator {
    rng: Rng,
    next_id: u64,
    tick: u64,
    secs_per_tick: f64,
    active: Vec<Sim>,
    /// Closed incidents (the server clock's ms when they closed, id), oldest first.
    closed: VecDeque<(i64, String)>,
}

/// Moves (lon, lat) by `east_m`, `north_m` metres.
fn offset(lon: f64, lat: f64, east_m: f64, north_m: f64) -> (f64, f64) {
    (
        lon + east_m / (M_PER_DEG_LAT * lat.to_radians().cos()),
        lat + north_m / M_PER_DEG_LAT,
    )
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Generator {
    /// `time_scale`: how many seconds of the server's clock a real second is (1 = real time).
    pub fn new(seed: u64, rate: f64, time_scale: f64) -> Self {
        Generator {
            rng: Rng::new(seed),
            next_id: 1,
            tick: 0,
            secs_per_tick: if rate > 0.0 { time_scale / rate } else { 0.5 },
            active: Vec::new(),
            closed: VecDeque::new(),
        }
    }

    /// A point uniformly within `radius_m` of (lon, lat).
    fn scatter(&mut self, (lon, lat): (f64, f64), radius_m: f64) -> (f64, f64) {
        let r = radius_m * self.rng.unit().sqrt();
        let a = self.rng.range(0.0, std::f64::consts::TAU);
        offset(lon, lat, r * a.sin(), r * a.cos())
    }

    fn spicy(&mut self) -> bool {
        self.rng.chance(0.15)
    }

    fn new_incident(&mut self) -> Sim {
        let kind = Kind::ALL[self.rng.weighted(&Kind::WEIGHTS)];
        let (lo, hi) = kind.severities();
        let id = format!("inc-{:05}", self.next_id);
        self.next_id += 1;
        let mut sim = Sim {
            id,
            kind,
            severity: self.rng.int(lo, hi),
            open: true,
            reported_at: now_rfc3339(),
            lon: 0.0,
            lat: 0.0,
            accuracy_m: None,
            source: String::new(),
            description: String::new(),
            updates_left: self.rng.int(1, 5) as u32,
            launch: (0.0, 0.0),
            launch_tick: self.tick,
            bearing_deg: 0.0,
            speed_kn: 0.0,
            persons: 0,
            beach: "",
        };
        match kind {
            Kind::SmallBoat => {
                let &(beach, lon, lat) = self.rng.pick(&BEACHES);
                // Launch just off the beach, then head north-west towards the English coast.
                let (lon, lat) = offset(
                    lon,
                    lat,
                    -self.rng.range(20.0, 150.0),
                    self.rng.range(20.0, 150.0),
                );
                sim.launch = (lon, lat);
                sim.lon = lon;
                sim.lat = lat;
                sim.beach = beach;
                sim.bearing_deg = self.rng.range(290.0, 335.0);
                sim.speed_kn = self.rng.range(2.5, 6.0);
                sim.persons = self.rng.int(12, 65);
                sim.updates_left = self.rng.int(6, 16) as u32;
                sim.accuracy_m = Some(self.rng.int(50, 400));
                sim.source = self
                    .rng
                    .pick(&[
                        "cam-B-02", "cam-B-05", "cam-B-11", "drone-2", "drone-4", "patrol",
                        "radar-GN",
                    ])
                    .to_string();
                sim.description = if self.spicy() {
                    format!(
                        "Launch at {beach}: \"{} persons\" on board <estimate> & engine running",
                        sim.persons
                    )
                } else {
                    format!(
                        "Small boat launched from {beach}, approx. {} persons on board, heading NW",
                        sim.persons
                    )
                };
            }
            Kind::FenceBreach => {
                (sim.lon, sim.lat) = self.scatter(COQUELLES_TERMINAL, 1_800.0);
                let cam = self.rng.int(1, 24);
                sim.source = format!("cam-T-{cam:02}");
                sim.accuracy_m = Some(self.rng.int(8, 30));
                // A fence sector of the terminal's perimeter as the fences layer names them
                // (`sector` "T-01".."T-25", labelled on the map from zoom 15); the pick is kept
                // so the seeded sequence is unchanged.
                let _ = self.rng.pick(&["A", "B", "C", "D", "E", "F"]);
                let sector = "T";
                let n = format!("{:02}", self.rng.int(1, TERMINAL_SECTORS));
                let persons = self.rng.int(1, 12);
                sim.description = if self.spicy() {
                    format!(
                        "Fence sector {sector}-{n}: cut <1 m> wide & {persons} persons seen; guard says \"they ran east\""
                    )
                } else {
                    format!(
                        "Perimeter fence breach at sector {sector}-{n}, Coquelles terminal; {persons} persons detected by camera"
                    )
                };
            }
            Kind::LorryIntrusion => {
                let &(place, lon, lat) = self.rng.pick(&LORRY_SPOTS);
                (sim.lon, sim.lat) = self.scatter((lon, lat), 500.0);
                sim.source = if self.rng.chance(0.5) {
                    format!("cam-P-{:02}", self.rng.int(1, PORT_CAMERAS))
                } else {
                    self.rng
                        .pick(&["patrol", "driver-report", "port-security"])
                        .to_string()
                };
                sim.accuracy_m = Some(self.rng.int(10, 60));
                let plate = self.rng.pick(&["GB", "PL", "RO", "LT", "NL", "ES"]);
                sim.description = if self.spicy() {
                    format!(
                        "Driver's note: 'noises in trailer' <{plate} plates> & seal broken near {place}"
                    )
                } else {
                    format!("Persons seen climbing into a trailer with {plate} plates near {place}")
                };
            }
            Kind::TunnelIntrusion => {
                (sim.lon, sim.lat) = self.scatter(TUNNEL_PORTAL, 300.0);
                sim.source = format!("sensor-TP-{}", self.rng.int(1, 6));
                sim.accuracy_m = Some(self.rng.int(5, 25));
                sim.updates_left = self.rng.int(2, 4) as u32;
                sim.description =
                    "Intrusion alarm at the French tunnel portal; traffic on hold".into();
            }
            Kind::VehicleSighting => {
                let &(place, lon, lat) = self.rng.pick(&TOWN_SPOTS);
                (sim.lon, sim.lat) = self.scatter((lon, lat), 400.0);
                sim.source = if self.rng.chance(0.6) {
                    format!("anpr-A16-{}", self.rng.int(1, 9))
                } else {
                    "patrol".into()
                };
                sim.accuracy_m = Some(self.rng.int(20, 100));
                let colour = self.rng.pick(&["white", "grey", "black", "blue"]);
                let what = self.rng.pick(&["van", "estate car", "minibus", "SUV"]);
                sim.description = if self.spicy() {
                    format!(
                        "{colour} {what} \"circling\" near {place} & towing an inflatable <unconfirmed>"
                    )
                } else {
                    format!("Vehicle of interest: {colour} {what} seen near {place}")
                };
            }
            Kind::Other => {
                let &(place, lon, lat) = self.rng.pick(&TOWN_SPOTS);
                (sim.lon, sim.lat) = self.scatter((lon, lat), 600.0);
                sim.source = self
                    .rng
                    .pick(&["patrol", "public-call", "cctv-city"])
                    .to_string();
                if self.rng.chance(0.5) {
                    sim.accuracy_m = Some(self.rng.int(30, 200));
                }
                let what = self.rng.pick(&[
                    "Unattended bag",
                    "Drone sighting",
                    "Crowd gathering",
                    "Fire reported",
                ]);
                sim.description = if self.spicy() {
                    format!("{what} near {place} — caller says \"<nothing urgent>\" & hung up")
                } else {
                    format!("{what} near {place}")
                };
            }
        }
        sim
    }

    /// Moves a boat to its position at the current tick; returns whether it crossed mid-Channel.
    fn move_boat(&mut self, i: usize) -> bool {
        let secs_per_tick = self.secs_per_tick;
        let tick = self.tick;
        let jitter_n = self.rng.range(-30.0, 30.0);
        let jitter_e = self.rng.range(-30.0, 30.0);
        let acc = self.rng.int(30, 300);
        let s = &mut self.active[i];
        let elapsed = (tick - s.launch_tick) as f64 * secs_per_tick;
        let d = s.speed_kn * KNOT_MS * elapsed;
        let b = s.bearing_deg.to_radians();
        let (lon, lat) = offset(
            s.launch.0,
            s.launch.1,
            d * b.sin() + jitter_e,
            d * b.cos() + jitter_n,
        );
        s.lon = lon;
        s.lat = lat;
        s.accuracy_m = Some(acc);
        s.lat > 51.08
    }

    fn update(&mut self, i: usize) {
        let kind = self.active[i].kind;
        let closing = self.active[i].updates_left <= 1;
        if kind == Kind::SmallBoat {
            let crossed = self.move_boat(i);
            let speed = self.active[i].speed_kn;
            let bearing = self.active[i].bearing_deg;
            let beach = self.active[i].beach;
            let text = if crossed {
                "Crossed the median line; handed over to UK Border Force".to_string()
            } else if closing {
                self.rng
                    .pick(&[
                        "Intercepted by the Gendarmerie maritime; persons taken ashore",
                        "Boat returned to shore; persons assisted by SNSM",
                        "Contact lost; search handed to CROSS Gris-Nez",
                    ])
                    .to_string()
            } else if self.spicy() {
                format!("Fix from {beach} launch: {speed:.1} kn <COG {bearing:.0}°> & overloaded")
            } else {
                format!("Position update: {speed:.1} kn, course {bearing:.0}°")
            };
            let s = &mut self.active[i];
            s.description = text;
            if crossed || closing {
                s.open = false;
            }
        } else if closing {
            let options: &[&str] = match kind {
                Kind::FenceBreach => &[
                    "Closed: fence repaired & secured",
                    "Closed: area searched, nobody found",
                ],
                Kind::LorryIntrusion => &[
                    "Closed: trailer searched, persons handed to PAF",
                    "Closed: false alarm",
                ],
                Kind::TunnelIntrusion => &["Closed: portal cleared, traffic resumed"],
                _ => &[
                    "Closed: no further action",
                    "Closed: handed over to local police",
                ],
            };
            let text = *self.rng.pick(options);
            let s = &mut self.active[i];
            s.description = format!("{text} — was: {}", s.description);
            s.open = false;
        } else {
            let (lo, hi) = kind.severities();
            let delta = self.rng.int(0, 2) as i64 - 1;
            let s = &mut self.active[i];
            s.severity = (s.severity as i64 + delta).clamp(lo as i64, hi as i64) as u64;
            if !s.description.starts_with("Update: ") {
                s.description = format!("Update: {}", s.description);
            }
        }
        self.active[i].updates_left = self.active[i].updates_left.saturating_sub(1);
    }

    fn feature(s: &Sim) -> (String, String) {
        let mut props = Map::new();
        props.insert("id".into(), json!(s.id));
        props.insert("kind".into(), json!(s.kind.name()));
        props.insert("severity".into(), json!(s.severity));
        props.insert(
            "status".into(),
            json!(if s.open { "open" } else { "closed" }),
        );
        props.insert("reported_at".into(), json!(s.reported_at));
        props.insert("updated_at".into(), json!(now_rfc3339()));
        props.insert("description".into(), json!(s.description));
        props.insert("source".into(), json!(s.source));
        if let Some(a) = s.accuracy_m {
            props.insert("accuracy_m".into(), json!(a));
        }
        let f = json!({
            "type": "Feature",
            "id": s.id,
            "geometry": {"type": "Point", "coordinates": [round6(s.lon), round6(s.lat)]},
            "properties": Value::Object(props),
        });
        (s.id.clone(), f.to_string())
    }

    /// Produces the next event: (incident id, Feature JSON). Also returns ids to forget.
    pub fn step(&mut self) -> ((String, String), Vec<String>) {
        self.tick += 1;
        let open = self.active.iter().filter(|s| s.open).count();
        let make_new = open < 3 || (open < MAX_OPEN && self.rng.chance(0.3));
        let out = if make_new {
            let sim = self.new_incident();
            let f = Self::feature(&sim);
            self.active.push(sim);
            f
        } else {
            let open_idx: Vec<usize> = (0..self.active.len())
                .filter(|&i| self.active[i].open)
                .collect();
            let i = *self.rng.pick(&open_idx);
            self.update(i);
            let f = Self::feature(&self.active[i]);
            if !self.active[i].open {
                let s = self.active.remove(i);
                self.closed.push_back((now_ms(), s.id));
            }
            f
        };
        let mut forget = Vec::new();
        let now = now_ms();
        while let Some((t, _)) = self.closed.front() {
            if now - t < CLOSED_RETENTION_MS {
                break;
            }
            forget.extend(self.closed.pop_front().map(|(_, id)| id));
        }
        (out, forget)
    }
}

/// A generator shared by its clock (`run`) and the `burst` fault (`faults.rs`).
pub type SharedGenerator = Arc<Mutex<Generator>>;

/// A generator to share; nothing is emitted until [`run`] or [`emit`].
pub fn shared(seed: u64, rate: f64, time_scale: f64) -> SharedGenerator {
    Arc::new(Mutex::new(Generator::new(seed, rate, time_scale)))
}

fn lock(generator: &SharedGenerator) -> MutexGuard<'_, Generator> {
    generator.lock().unwrap_or_else(|e| e.into_inner())
}

/// The generator's next event, published; closed incidents past their retention forgotten.
pub fn emit(hub: &Hub, generator: &SharedGenerator) {
    let ((id, json), forget) = lock(generator).step();
    hub.publish_feature(id, json);
    for id in forget {
        hub.forget(&id);
    }
}

/// Emits the initial incidents, then one event every 1/rate s until `stop` flips.
pub async fn run(
    hub: Arc<Hub>,
    generator: SharedGenerator,
    rate: f64,
    mut stop: watch::Receiver<bool>,
) {
    {
        let mut g = lock(&generator);
        for _ in 0..INITIAL_INCIDENTS {
            let sim = g.new_incident();
            let (id, json) = Generator::feature(&sim);
            g.active.push(sim);
            hub.publish_feature(id, json);
        }
    }
    if rate <= 0.0 {
        return;
    }
    let period = Duration::from_secs_f64(1.0 / rate);
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticker.tick() => {}
            _ = stop.changed() => return,
        }
        emit(&hub, &generator);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip_times(json: &str) -> Value {
        let mut v: Value = serde_json::from_str(json).unwrap();
        let p = v["properties"].as_object_mut().unwrap();
        p.remove("reported_at");
        p.remove("updated_at");
        v
    }

    #[test]
    fn same_seed_same_content() {
        let (mut a, mut b) = (Generator::new(7, 2.0, 1.0), Generator::new(7, 2.0, 1.0));
        for _ in 0..300 {
            let ((ia, ja), _) = a.step();
            let ((ib, jb), _) = b.step();
            assert_eq!(ia, ib);
            assert_eq!(strip_times(&ja), strip_times(&jb));
        }
    }

    #[test]
    fn plausible_incidents() {
        let mut g = Generator::new(1, 2.0, 1.0);
        let mut kinds = std::collections::BTreeSet::new();
        let mut closed = 0;
        for _ in 0..2000 {
            let ((_, j), _) = g.step();
            let v: Value = serde_json::from_str(&j).unwrap();
            let p = &v["properties"];
            let kind = p["kind"].as_str().unwrap().to_string();
            let sev = p["severity"].as_u64().unwrap();
            assert!((1..=5).contains(&sev));
            let c = v["geometry"]["coordinates"].as_array().unwrap();
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!(
                (1.4..2.7).contains(&lon) && (50.6..51.3).contains(&lat),
                "{lon},{lat}"
            );
            if kind == "fence_breach" {
                let dx = (lon - COQUELLES_TERMINAL.0) * M_PER_DEG_LAT * lat.to_radians().cos();
                let dy = (lat - COQUELLES_TERMINAL.1) * M_PER_DEG_LAT;
                assert!((dx * dx + dy * dy).sqrt() < 2_000.0);
            }
            if p["status"] == "closed" {
                closed += 1;
            }
            kinds.insert(kind);
        }
        assert_eq!(kinds.len(), 6, "{kinds:?}");
        assert!(closed > 100);
        assert!(g.active.iter().filter(|s| s.open).count() <= MAX_OPEN);
    }

    /// A small boat event's (lon, lat); `None` for other kinds.
    fn boat_fix(json: &str) -> Option<(f64, f64)> {
        let v: Value = serde_json::from_str(json).unwrap();
        if v["properties"]["kind"] != "small_boat" {
            return None;
        }
        let c = &v["geometry"]["coordinates"];
        Some((c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
    }

    #[test]
    fn boats_move_north_west() {
        let mut g = Generator::new(3, 2.0, 1.0);
        let mut first: std::collections::HashMap<String, (f64, f64)> = Default::default();
        let mut moved = 0;
        for _ in 0..3000 {
            let ((id, j), _) = g.step();
            let Some(p) = boat_fix(&j) else {
                continue;
            };
            if let Some(&(lon0, lat0)) = first.get(&id) {
                // A fix far enough from launch must lie to the north-west.
                if (p.1 - lat0).abs() > 0.002 {
                    assert!(p.1 > lat0 && p.0 < lon0, "{id}: {lon0},{lat0} -> {p:?}");
                    moved += 1;
                }
            } else {
                first.insert(id, p);
            }
        }
        assert!(moved > 10);
    }

    #[test]
    fn time_scale_speeds_boats_up() {
        // The same seed at 144x real time: the same boats, moved 144x as far per tick.
        let launch_to_fix = |scale: f64| {
            let mut g = Generator::new(3, 2.0, scale);
            let mut first: std::collections::HashMap<String, (f64, f64)> = Default::default();
            for _ in 0..400 {
                let ((id, j), _) = g.step();
                let Some(p) = boat_fix(&j) else {
                    continue;
                };
                if let Some(&(_, lat0)) = first.get(&id) {
                    return (id, p.1 - lat0);
                }
                first.insert(id, p);
            }
            panic!("no boat fix");
        };
        let (real_id, real_dlat) = launch_to_fix(1.0);
        let (fast_id, fast_dlat) = launch_to_fix(144.0);
        assert_eq!(real_id, fast_id);
        // At real time the first fix is half a second after launch: only the ±30 m jitter
        // (2.7e-4°) moves it. At 144x the same tick is 72 s: the boat has gone north.
        assert!(real_dlat.abs() < 2.8e-4, "{real_dlat}");
        assert!(fast_dlat > 2.8e-4, "{fast_dlat}");
    }
}
