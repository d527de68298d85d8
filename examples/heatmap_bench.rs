//! Native timing of the heatmap engine (`core::heatmap`): N weighted reports scattered over
//! the Calais–Dunkirk coast (`core::heatmap::synthetic`, seed 42, the benchmark page's points),
//! density over a 1920 × 1080 CSS px view at zoom 11 with the grid at half resolution (960 × 540
//! cells plus padding), σ = 500 ground metres, then colour mapping of the view to RGBA. Prints the median of the runs per stage, ms.
//!
//! `cargo run --release --example heatmap_bench [points] [runs]` (native, not wasm; the
//! browser figures come from the benchmark page, see BENCHMARKS.md).

use calais_map::core::heatmap::density;
use calais_map::core::heatmap::ramp::{Ramp, Scale, paint};
use calais_map::core::heatmap::synthetic;
use std::time::Instant;

mod common;
use common::{arg, median};

fn main() {
    let n = arg(1, 100_000);
    let runs = arg(2, 15);
    let pts = synthetic::points(42, n);
    let view = synthetic::view();
    let (mut t_density, mut t_paint, mut t_total) = (Vec::new(), Vec::new(), Vec::new());
    let mut rgba = Vec::new();
    let mut cells = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        let g = density(&view, 500.0, 0.5, pts.iter().copied()).expect("grid");
        let t1 = Instant::now();
        paint(
            g.view_rows(),
            Ramp::Sequential,
            Scale::Relative.top(g.peak_per_km2),
            &mut rgba,
        );
        let t2 = Instant::now();
        cells = g.spec.cols * g.spec.rows;
        t_density.push((t1 - t0).as_secs_f64() * 1e3);
        t_paint.push((t2 - t1).as_secs_f64() * 1e3);
        t_total.push((t2 - t0).as_secs_f64() * 1e3);
    }
    if std::env::var_os("HEATMAP_STAGES").is_some() {
        use calais_map::core::heatmap::blur::gaussian_2d;
        let (cols, rows) = (1024usize, 571usize);
        let mut grid = vec![0.0f32; cols * rows];
        let (sx, sy) = (vec![4.2; rows], vec![4.2; rows]);
        let mut t = Vec::new();
        for _ in 0..runs {
            let t0 = Instant::now();
            gaussian_2d(&mut grid, cols, rows, &sx, &sy);
            t.push(t0.elapsed().as_secs_f64() * 1e3);
        }
        let mut h = Vec::new();
        let mut line = vec![0.0f32; cols];
        let c = calais_map::core::heatmap::blur::Deriche::for_sigma(4.2).expect("σ");
        for _ in 0..runs {
            let t0 = Instant::now();
            for row in grid.chunks_exact_mut(cols) {
                calais_map::core::heatmap::blur::filter_line(row, &mut line, &c);
                row.copy_from_slice(&line);
            }
            h.push(t0.elapsed().as_secs_f64() * 1e3);
        }
        let mut e = Vec::new();
        for _ in 0..runs {
            let t0 = Instant::now();
            let g = density(&view, 500.0, 0.5, std::iter::empty());
            e.push(t0.elapsed().as_secs_f64() * 1e3);
            assert!(g.is_some());
        }
        println!("stages: density of no points {:.2} ms", median(e));
        println!(
            "stages: gaussian_2d on {cols}x{rows}: {:.2} ms, of which rows {:.2} ms",
            median(t),
            median(h)
        );
    }
    println!(
        "heatmap {n} points, 1920x1080 at zoom 11, half resolution ({cells} cells with padding), sigma 500 m: \
         density {:.2} ms, colour {:.2} ms, total {:.2} ms (median of {runs})",
        median(t_density),
        median(t_paint),
        median(t_total)
    );
}
