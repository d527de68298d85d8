//! Command-line flags, parsed by hand (no clap).

use std::net::IpAddr;
use std::path::PathBuf;

pub const USAGE: &str = "\
calais-demo-server: demo stand-in for the command centre's incident API (see docs/api.md)

USAGE: calais-demo-server [FLAGS]
  --bind <ip>              loopback address to listen on (default 127.0.0.1; others are refused)
  --port <n>               TCP port (default 8080; 0 = any free port)
  --static <dir>           built app to serve at / (default dist)
  --rate <events/s>        generator rate (default 2; 0 = only the initial incidents)
  --seed <u64>             generator seed (default 20240611)
  --scenario <file.json>   scripted mode: emit the file's events instead of generating
  --replay-window <n>      past events kept for since= and Last-Event-ID (default 10000)
  --heartbeat-ms <n>       SSE heartbeat period (default 5000; 0 = none)
  --first-seq <u64>        seq of the first event (default: start time in ms x 1000, so ids
                           keep increasing across restarts; tests pass 1)
  --history-days <n>       days of seeded history before the start (default 30; 0 = no history
                           endpoint; scenario mode takes the file's history member)
  --history-per-hour <x>   mean history reports per hour (default 60)
  --time-scale <x>         the server's clock runs x times real time from its start
                           (default 1; 1..=10000): event and heartbeat timestamps, closed
                           incidents' retention and boat speeds follow it (144 = a day in 10 min)
  --faults                 test only: enable fault injection through /__faults (docs/api.md,
                           \"Fault injection\"); without it /__faults answers 404
  -h, --help               this text
On start prints one line `listening on http://ADDR:PORT` to stdout.";

#[derive(Debug, Clone, PartialEq)]
pub struct Args {
    pub bind: IpAddr,
    pub port: u16,
    pub static_dir: PathBuf,
    pub rate: f64,
    pub seed: u64,
    pub scenario: Option<PathBuf>,
    pub replay_window: usize,
    pub heartbeat_ms: u64,
    pub first_seq: Option<u64>,
    pub history_days: u32,
    pub history_per_hour: f64,
    pub time_scale: f64,
    /// `--faults`: the fault-control endpoint is on (tests only).
    pub faults: bool,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 8080,
            static_dir: PathBuf::from("dist"),
            rate: 2.0,
            seed: 20_240_611,
            scenario: None,
            replay_window: 10_000,
            heartbeat_ms: 5_000,
            first_seq: None,
            history_days: 30,
            history_per_hour: 60.0,
            time_scale: 1.0,
            faults: false,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Run(Args),
    Help,
}

fn num<T: std::str::FromStr>(flag: &str, v: &str) -> Result<T, String> {
    v.parse()
        .map_err(|_| format!("{flag}: `{v}` is not a valid number"))
}

pub fn parse<I: IntoIterator<Item = String>>(argv: I) -> Result<Parsed, String> {
    let mut a = Args::default();
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Parsed::Help);
        }
        if arg == "--faults" {
            a.faults = true;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let known = [
            "--bind",
            "--port",
            "--static",
            "--rate",
            "--seed",
            "--scenario",
            "--replay-window",
            "--heartbeat-ms",
            "--first-seq",
            "--history-days",
            "--history-per-hour",
            "--time-scale",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown argument `{arg}` (try --help)"));
        }
        let v = match inline {
            Some(v) => v,
            None => it.next().ok_or_else(|| format!("{flag} needs a value"))?,
        };
        match flag.as_str() {
            "--bind" => {
                let ip: IpAddr = if v == "localhost" {
                    IpAddr::from([127, 0, 0, 1])
                } else {
                    v.parse()
                        .map_err(|_| format!("--bind: `{v}` is not an IP address"))?
                };
                if !ip.is_loopback() {
                    return Err(format!(
                        "--bind: refusing to listen on non-loopback address {ip}: this demo server \
                         has no authentication and is for local use only (use 127.0.0.1 or ::1)"
                    ));
                }
                a.bind = ip;
            }
            "--port" => a.port = num(&flag, &v)?,
            "--static" => a.static_dir = PathBuf::from(v),
            "--rate" => {
                let r: f64 = num(&flag, &v)?;
                if !(r.is_finite() && (0.0..=1000.0).contains(&r)) {
                    return Err(format!("--rate: {v} is outside 0..=1000 events per second"));
                }
                a.rate = r;
            }
            "--seed" => a.seed = num(&flag, &v)?,
            "--scenario" => a.scenario = Some(PathBuf::from(v)),
            "--replay-window" => {
                a.replay_window = num(&flag, &v)?;
                if a.replay_window == 0 {
                    return Err("--replay-window must be at least 1".into());
                }
            }
            "--heartbeat-ms" => a.heartbeat_ms = num(&flag, &v)?,
            "--first-seq" => {
                let s: u64 = num(&flag, &v)?;
                if s == 0 {
                    return Err("--first-seq must be at least 1".into());
                }
                a.first_seq = Some(s);
            }
            "--history-days" => {
                a.history_days = num(&flag, &v)?;
                if a.history_days > 400 {
                    return Err(format!("--history-days: {v} is more than 400 days"));
                }
            }
            "--history-per-hour" => {
                let r: f64 = num(&flag, &v)?;
                if !(r.is_finite() && (0.0..=10_000.0).contains(&r)) {
                    return Err(format!("--history-per-hour: {v} is outside 0..=10000"));
                }
                a.history_per_hour = r;
            }
            "--time-scale" => {
                let x: f64 = num(&flag, &v)?;
                if !(x.is_finite() && (1.0..=10_000.0).contains(&x)) {
                    return Err(format!("--time-scale: {v} is outside 1..=10000"));
                }
                a.time_scale = x;
            }
            _ => unreachable!(),
        }
    }
    Ok(Parsed::Run(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Args, String> {
        match parse(args.iter().map(|s| s.to_string()))? {
            Parsed::Run(a) => Ok(a),
            Parsed::Help => Err("help".into()),
        }
    }

    #[test]
    fn defaults_and_flags() {
        assert_eq!(run(&[]).unwrap(), Args::default());
        let a = run(&[
            "--port",
            "0",
            "--rate=5.5",
            "--bind",
            "::1",
            "--static",
            "x",
            "--first-seq",
            "1",
        ])
        .unwrap();
        assert_eq!(a.port, 0);
        assert_eq!(a.rate, 5.5);
        assert_eq!(a.bind.to_string(), "::1");
        assert_eq!(a.static_dir, PathBuf::from("x"));
        assert_eq!(a.first_seq, Some(1));
        assert_eq!(a.time_scale, 1.0);
        assert!(!a.faults, "fault injection is off by default");
        assert!(run(&["--faults", "--port", "0"]).unwrap().faults);
        assert!(run(&["--faults=1"]).is_err(), "a switch takes no value");
        assert_eq!(run(&["--time-scale", "144"]).unwrap().time_scale, 144.0);
        assert_eq!(
            run(&["--bind", "localhost"]).unwrap().bind.to_string(),
            "127.0.0.1"
        );
        assert_eq!(parse(["--help".to_string()]).unwrap(), Parsed::Help);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(
            run(&["--bind", "0.0.0.0"])
                .unwrap_err()
                .contains("non-loopback")
        );
        assert!(run(&["--bind", "192.168.1.4"]).is_err());
        assert!(run(&["--port"]).is_err());
        assert!(run(&["--port", "70000"]).is_err());
        assert!(run(&["--rate", "-1"]).is_err());
        assert!(run(&["--replay-window", "0"]).is_err());
        assert!(run(&["--frobnicate"]).is_err());
        assert!(run(&["--history-days", "401"]).is_err());
        assert!(run(&["--history-per-hour", "-3"]).is_err());
        assert_eq!(run(&["--history-days", "0"]).unwrap().history_days, 0);
        for bad in ["0.5", "0", "-2", "10001", "NaN", "fast"] {
            assert!(run(&["--time-scale", bad]).is_err(), "{bad}");
        }
    }
}
