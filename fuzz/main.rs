//! Stable-Rust fuzz driver for the core's ingest parsers (issue 15, item 3): cargo-fuzz needs a
//! nightly toolchain, this one runs on the project's stable Rust.
//!
//! `cargo run --profile fuzz -p calais-fuzz -- --target snapshot --inputs 1000000 [--seed N]`
//! (`--target all` runs every target in turn; `--input FILE` runs one file alone and prints its
//! peak allocation and time: a finding reproduced, or a real file measured). For each target it reads its corpus
//! (`tests/fuzz-corpus/<target>/`: real fixtures around Calais and Dover), runs the named hostile
//! inputs ([`hostile`]), then `--inputs` mutations of the corpus ([`mutate`]), and checks every
//! input for:
//! - no panic: the call runs under `catch_unwind` (the `fuzz` profile unwinds, with overflow
//!   checks on, so an arithmetic overflow is a panic too);
//! - bounded stack: the parsers run on a thread with a 1 MiB stack, the wasm32 target's default
//!   (a recursion past it aborts the run);
//! - bounded allocation: the peak bytes allocated during the call ([`alloc::Peak`]) at most
//!   `MEM_PER_INPUT_BYTE` times the input's size plus `MEM_CONSTANT`;
//! - bounded time: at most `--max-ms` of the thread's CPU time per input (1,000 ms by default;
//!   CPU time, not wall time: the long run is niced on a shared machine).
//!
//! Units: bytes, milliseconds, inputs per second. Prints one line per target; exits 1 if any
//! input failed a check, and writes each such input to `target/fuzz-findings/<target>/`.

mod alloc;
mod feed_script;
mod hostile;
mod mutate;
mod targets;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[global_allocator]
static GLOBAL: alloc::Peak = alloc::Peak;

/// Allocation bound per input: this many bytes per byte of input …
const MEM_PER_INPUT_BYTE: usize = 256;
/// … plus this many bytes.
const MEM_CONSTANT: usize = 4 << 20;

/// The wasm32 target's default stack (Rust's `-z stack-size` for wasm32-unknown-unknown).
const STACK_BYTES: usize = 1 << 20;

/// The calling thread's CPU time.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; the clock id is a constant Linux provides.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) } == 0;
    if ok {
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_nsec).unwrap_or(0),
        )
    } else {
        Duration::ZERO
    }
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

struct Options {
    targets: Vec<&'static targets::Target>,
    inputs: u64,
    seed: u64,
    corpus: PathBuf,
    max_ms: u64,
    /// One file to run alone (a finding to reproduce, a real file to measure).
    input: Option<PathBuf>,
}

fn usage() -> ! {
    let names: Vec<_> = targets::ALL.iter().map(|t| t.name).collect();
    eprintln!(
        "usage: calais-fuzz --target <{}|all> [--inputs N] [--seed N] [--corpus DIR] [--max-ms N] [--input FILE]",
        names.join("|")
    );
    std::process::exit(2)
}

fn options() -> Options {
    let mut o = Options {
        targets: Vec::new(),
        inputs: 20_000,
        seed: 15,
        corpus: PathBuf::from("tests/fuzz-corpus"),
        max_ms: 1_000,
        input: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--target" if value == "all" => o.targets = targets::ALL.iter().collect(),
            "--target" => match targets::ALL.iter().find(|t| t.name == value) {
                Some(t) => o.targets.push(t),
                None => usage(),
            },
            "--inputs" => o.inputs = value.parse().unwrap_or_else(|_| usage()),
            "--seed" => o.seed = value.parse().unwrap_or_else(|_| usage()),
            "--corpus" => o.corpus = PathBuf::from(value),
            "--max-ms" => o.max_ms = value.parse().unwrap_or_else(|_| usage()),
            "--input" => o.input = Some(PathBuf::from(value)),
            _ => usage(),
        }
    }
    if o.targets.is_empty() {
        usage()
    }
    o
}

fn corpus(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "geojson"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect()
}

/// What one target's run found and measured.
#[derive(Default)]
struct Tally {
    inputs: u64,
    /// Inputs the target accepted as a whole (read as its format).
    accepted: u64,
    panics: u64,
    over_memory: u64,
    over_time: u64,
    /// Largest peak allocation / input size, over inputs of at least 4 KiB.
    worst_ratio: f64,
    worst_peak: usize,
    slowest: Duration,
    slowest_len: usize,
    slowest_label: String,
    largest_input: usize,
}

fn check(target: &targets::Target, label: &str, text: &str, max: Duration, t: &mut Tally) {
    alloc::reset_peak();
    let base = alloc::in_use();
    let start = thread_cpu();
    let outcome = catch_unwind(AssertUnwindSafe(|| (target.run)(text)));
    let took = thread_cpu().saturating_sub(start);
    if matches!(outcome, Ok(true)) {
        t.accepted += 1;
    }
    let extra = alloc::peak().saturating_sub(base);
    let len = text.len();
    t.inputs += 1;
    t.largest_input = t.largest_input.max(len);
    t.worst_peak = t.worst_peak.max(extra);
    if len >= 4096 {
        t.worst_ratio = t.worst_ratio.max(extra as f64 / len as f64);
    }
    if took > t.slowest {
        t.slowest = took;
        t.slowest_len = len;
        t.slowest_label = label.to_string();
    }
    let mut finding = None;
    if outcome.is_err() {
        t.panics += 1;
        let why = LAST_PANIC.lock().map(|mut p| p.take()).ok().flatten();
        finding = Some(format!("panic: {}", why.unwrap_or_default()));
    } else if extra > MEM_PER_INPUT_BYTE * len + MEM_CONSTANT {
        t.over_memory += 1;
        finding = Some(format!("allocated {extra} B for {len} B of input"));
    } else if took > max {
        t.over_time += 1;
        finding = Some(format!("took {took:?} of CPU for {len} B of input"));
    }
    if let Some(what) = finding {
        eprintln!("[{}] {label}: {what}", target.name);
        let dir = Path::new("target/fuzz-findings").join(target.name);
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join(format!("{}.txt", t.panics + t.over_memory + t.over_time));
        let _ = std::fs::write(&file, text);
    }
}

fn run(o: &Options) -> bool {
    let max = Duration::from_millis(o.max_ms);
    let mut clean = true;
    for target in &o.targets {
        if let Some(file) = &o.input {
            // One file alone: its checks, peak allocation and time.
            let text = std::fs::read(file).map(|b| String::from_utf8_lossy(&b).into_owned());
            let Ok(text) = text else {
                eprintln!("cannot read {}", file.display());
                return false;
            };
            let mut t = Tally::default();
            check(target, &file.display().to_string(), &text, max, &mut t);
            println!(
                "{:<12} {}: {} B, accepted {}, peak alloc {} B ({:.1} B/B), {:.1} ms CPU",
                target.name,
                file.display(),
                text.len(),
                t.accepted == 1,
                t.worst_peak,
                t.worst_peak as f64 / text.len().max(1) as f64,
                t.slowest.as_secs_f64() * 1e3
            );
            clean &= t.panics + t.over_memory + t.over_time == 0;
            continue;
        }
        let seeds = corpus(&o.corpus.join(target.name));
        if seeds.is_empty() {
            eprintln!(
                "[{}] no corpus in {}",
                target.name,
                o.corpus.join(target.name).display()
            );
            clean = false;
            continue;
        }
        let mut t = Tally::default();
        let start = Instant::now();
        for (label, text) in hostile::inputs(&seeds) {
            check(target, &label, &text, max, &mut t);
        }
        let hostile = t.inputs;
        let mut m = mutate::Mutator::new(o.seed, seeds);
        for i in 0..o.inputs {
            let text = m.next_input();
            check(
                target,
                &format!("mutation {i} (seed {})", o.seed),
                &text,
                max,
                &mut t,
            );
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{:<12} {:>9} inputs ({hostile} hostile) in {secs:.1} s ({:.0}/s), {:.0} % accepted: {} panics, {} over memory, {} over time; peak alloc {:.1} MB, worst ratio {:.1} B/B (inputs >= 4 KiB); slowest {:.1} ms CPU ({} B, {}); largest input {} B",
            target.name,
            t.inputs,
            t.inputs as f64 / secs,
            100.0 * t.accepted as f64 / t.inputs as f64,
            t.panics,
            t.over_memory,
            t.over_time,
            t.worst_peak as f64 / 1e6,
            t.worst_ratio,
            t.slowest.as_secs_f64() * 1e3,
            t.slowest_len,
            t.slowest_label,
            t.largest_input,
        );
        clean &= t.panics + t.over_memory + t.over_time == 0;
    }
    clean
}

fn main() {
    let o = options();
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut p) = LAST_PANIC.lock() {
            *p = Some(info.to_string());
        }
    }));
    let worker = std::thread::Builder::new()
        .name("fuzz".into())
        .stack_size(STACK_BYTES)
        .spawn(move || run(&o));
    let clean = matches!(worker.map(|w| w.join()), Ok(Ok(true)));
    std::process::exit(if clean { 0 } else { 1 });
}
