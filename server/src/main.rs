//! `calais-demo-server`: a real (not mocked) stand-in for the command centre's incident API,
//! serving the built app too. Contract: docs/api.md. Loopback only.

mod args;
mod clock;
mod faults;
mod generator;
mod history;
mod http;
mod hub;
mod rng;
mod scenario;
mod security;

use std::future::IntoFuture;
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::args::{Args, Parsed};
use crate::hub::Hub;
use crate::scenario::Scenario;

/// How long in-flight requests get after SIGINT/SIGTERM before the process exits anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

fn main() -> ExitCode {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(Parsed::Run(a)) => a,
        Ok(Parsed::Help) => {
            println!("{}", args::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("calais-demo-server: {e}");
            return ExitCode::from(2);
        }
    };
    let scenario = match args.scenario.as_deref().map(scenario::load).transpose() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("calais-demo-server: --scenario: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("calais-demo-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(serve(args, scenario));
    runtime.shutdown_timeout(Duration::from_millis(500));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("calais-demo-server: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args, scenario: Option<Scenario>) -> std::io::Result<()> {
    let listener = TcpListener::bind((args.bind, args.port))
        .await
        .map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("cannot listen on {}:{}: {e}", args.bind, args.port),
            )
        })?;
    let addr = listener.local_addr()?;

    // Default first seq: start time in ms x 1000, so event ids and cursors keep increasing across
    // restarts and a client's id from an earlier run is always "too old" (=> reset), never
    // mistaken for an event of this run. Stays below 2^53 (safe as a JavaScript number).
    let first_seq = args.first_seq.unwrap_or_else(|| {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        ms * 1000 + 1
    });
    let hub = Arc::new(Hub::new(first_seq, args.replay_window));
    let (stop_tx, stop_rx) = watch::channel(false);

    let now_ms = clock::real_ms();
    if args.time_scale != 1.0 {
        clock::set_time_scale(clock::TimeScale {
            origin_ms: now_ms,
            scale: args.time_scale,
        });
        eprintln!(
            "clock: {}x real time from {} ({now_ms} ms)",
            args.time_scale,
            clock::rfc3339_ms(now_ms)
        );
    }
    let history = match &scenario {
        Some(s) => s.history.as_ref().map(|h| {
            let mut hist = history::History::ending_at(now_ms, h.days, h.per_hour, h.seed);
            hist.script = h.shift.clone();
            hist
        }),
        None => (args.history_days > 0).then(|| {
            history::History::ending_at(now_ms, args.history_days, args.history_per_hour, args.seed)
        }),
    };
    if let Some(h) = &history {
        eprintln!(
            "history: {} days before the start, {} reports/h{}",
            (h.end_ms - h.start_ms) / 86_400_000,
            h.per_hour,
            if h.script.is_some() {
                ", scripted shift"
            } else {
                ""
            }
        );
    }
    // Shared with the `burst` fault; in scenario mode only a burst makes it emit.
    let generator = generator::shared(args.seed, args.rate, args.time_scale);
    let mode = if let Some(s) = scenario {
        eprintln!(
            "scenario mode: {} events, then {}",
            s.events.len(),
            if s.looping { "loop" } else { "idle" }
        );
        tokio::spawn(scenario::run(hub.clone(), s, stop_rx.clone()));
        "scenario"
    } else {
        eprintln!("generator mode: seed {}, {} events/s", args.seed, args.rate);
        tokio::spawn(generator::run(
            hub.clone(),
            generator.clone(),
            args.rate,
            stop_rx.clone(),
        ));
        "generator"
    };
    if !args.static_dir.join("index.html").is_file() {
        eprintln!(
            "warning: {} has no index.html; build the app (trunk build) or pass --static <dir>",
            args.static_dir.display()
        );
    }
    let faults = args.faults.then(|| {
        eprintln!("fault injection on: POST/DELETE /__faults (tests only)");
        Arc::new(faults::Faults::new(hub.clone(), generator.clone()))
    });
    let app = http::App {
        faults,
        hub,
        heartbeat: (args.heartbeat_ms > 0).then(|| Duration::from_millis(args.heartbeat_ms)),
        stop: stop_rx.clone(),
        mode,
        history: history.map(Arc::new),
    };
    let headers = security::Headers::load(&args.static_dir).map_err(std::io::Error::other)?;
    if !headers.has_policy() {
        eprintln!(
            "warning: {} has no {} with a Content-Security-Policy (a release build writes it)",
            args.static_dir.display(),
            security::FILE
        );
    }
    let router = http::router(app, &args.static_dir, headers);

    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{addr}")?;
        out.flush()?;
    }

    tokio::spawn(async move {
        shutdown_signal().await;
        eprintln!("signal received, shutting down");
        let _ = stop_tx.send(true);
        // Keep the sender alive so receivers see `true`, not a closed channel, until exit.
        std::future::pending::<()>().await;
    });

    let mut graceful = stop_rx.clone();
    let shutdown = async move {
        let _ = graceful.wait_for(|s| *s).await;
    };
    // With --faults the connections carry a switch the `refuse` fault throws (faults/refuse.rs).
    let server: std::pin::Pin<Box<dyn std::future::Future<Output = std::io::Result<()>> + Send>> =
        if args.faults {
            let service = router.into_make_service_with_connect_info::<faults::refuse::Conn>();
            Box::pin(
                axum::serve(faults::refuse::Listener(listener), service)
                    .with_graceful_shutdown(shutdown)
                    .into_future(),
            )
        } else {
            Box::pin(
                axum::serve(listener, router)
                    .with_graceful_shutdown(shutdown)
                    .into_future(),
            )
        };
    let mut forced = stop_rx;
    tokio::select! {
        r = server => r,
        _ = async {
            let _ = forced.wait_for(|s| *s).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } => {
            eprintln!("connections still open after {SHUTDOWN_GRACE:?}; exiting anyway");
            Ok(())
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
