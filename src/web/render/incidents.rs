//! The live incident layer on the canvas: rasterised in wasm by `core::incident_layer` into
//! 256-px tiles and written onto the composite bitmap with `putImageData`.
//!
//! Units: device px (the composite's bitmap); incident positions are EPSG:3857 metres; times
//! ms since the Unix epoch. Only tiles that hold incidents now, or held them in the last
//! plan, are written: an emptied tile is restored from the composite's own pixels (read
//! once per composite with `getImageData`), so nothing else is re-rendered when incidents
//! change, and a 100k-incident frame costs about one full-canvas `putImageData`.

use std::collections::BTreeSet;

use wasm_bindgen::Clamped;
use web_sys::{CanvasRenderingContext2d, ImageData};

use crate::core::incident::{IncidentFilter, IncidentStore, TimeWindow};
use crate::core::incident_layer::{DrawOptions, Marks, Mode, Plan, TileRect};
use crate::core::viewport::Viewport;

/// What the incident layer is drawn from in one frame.
pub struct IncidentInput<'a> {
    pub store: &'a IncidentStore,
    /// `store.version()`, read once.
    pub version: u64,
    pub filter: IncidentFilter,
    /// Wall clock (ms since the epoch) in steps of `feed::CLOCK_STEP_MS`: fading and windows.
    pub clock_ms: i64,
}

/// The last incident draw, for `window.calaisMap.incidentDraw()` and the benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct IncidentDrawStat {
    /// Plan + raster + upload, ms.
    pub ms: f64,
    /// Of which planning (projection, density binning, tile buckets), ms.
    pub plan_ms: f64,
    pub mode: Option<Mode>,
    pub visible: usize,
    pub drawn: usize,
    /// Tiles written (including restored ones).
    pub tiles: usize,
}

#[derive(Clone, Copy, PartialEq)]
struct MarksKey {
    version: u64,
    filter: IncidentFilter,
    /// The clock when a time window filters (else 0).
    clock: i64,
}

#[derive(Clone, Copy, PartialEq)]
struct PlanKey {
    view: Viewport,
    composite: u64,
    marks: u64,
    clock: i64,
}

#[derive(Default)]
pub struct IncidentLayer {
    marks: Marks,
    marks_key: Option<MarksKey>,
    marks_gen: u64,
    plan: Option<Plan>,
    plan_key: Option<PlanKey>,
    /// Tiles of the composite that currently carry incidents.
    on_canvas: Vec<TileRect>,
    /// The composite's pixels without incidents (RGBA), read lazily.
    background: Option<Vec<u8>>,
    out: Vec<u8>,
    pub last: IncidentDrawStat,
}

impl IncidentLayer {
    /// The composite was re-rendered (it has no incidents on it now).
    pub fn composite_changed(&mut self) {
        self.on_canvas.clear();
        self.background = None;
        self.plan_key = None;
    }

    /// Forces the next [`IncidentLayer::update`] to plan and draw again (benchmarks).
    pub fn invalidate(&mut self) {
        self.plan_key = None;
    }

    /// Brings the incidents on the composite up to date; returns whether anything was drawn.
    pub fn update(
        &mut self,
        ctx: &CanvasRenderingContext2d,
        view: &Viewport,
        composite: u64,
        input: Option<&IncidentInput>,
        now_ms: &dyn Fn() -> f64,
    ) -> bool {
        let map_filter = input.map(|i| i.filter.for_map()).unwrap_or_default();
        let marks_key = input.map(|i| MarksKey {
            version: i.version,
            filter: map_filter,
            clock: if map_filter.window == TimeWindow::All {
                0
            } else {
                i.clock_ms
            },
        });
        if marks_key != self.marks_key {
            self.marks = match input {
                Some(i) if map_filter.is_everything() => Marks::from_incidents(i.store.iter()),
                Some(i) => {
                    let now = crate::core::incident::Timestamp::from_millis(i.clock_ms)
                        .unwrap_or(crate::core::incident::Timestamp::EPOCH);
                    Marks::from_incidents(i.store.iter().filter(|inc| map_filter.matches(inc, now)))
                }
                None => Marks::new(),
            };
            self.marks_key = marks_key;
            self.marks_gen += 1;
        }
        let clock = input.map_or(0, |i| i.clock_ms);
        let key = PlanKey {
            view: *view,
            composite,
            marks: self.marks_gen,
            clock,
        };
        if self.plan_key == Some(key) {
            return false;
        }
        self.plan_key = Some(key);
        if self.marks.is_empty() && self.on_canvas.is_empty() {
            self.plan = None;
            self.last = IncidentDrawStat::default();
            return false;
        }
        let start = now_ms();
        let plan = Plan::new(&self.marks, view, clock, &DrawOptions::default());
        let plan_ms = now_ms() - start;
        let dirty: BTreeSet<(u32, u32, u32, u32)> = self
            .on_canvas
            .iter()
            .chain(plan.tiles())
            .map(|t| (t.y, t.x, t.w, t.h))
            .collect();
        let width = view.width_px();
        if !dirty.is_empty() && self.background.is_none() {
            self.background = ctx
                .get_image_data(0.0, 0.0, f64::from(width), f64::from(view.height_px()))
                .ok()
                .map(|img| img.data().0);
        }
        let mut written = 0;
        if let Some(bg) = &self.background {
            for (y, x, w, h) in dirty {
                let tile = TileRect { x, y, w, h };
                plan.render_tile(tile, bg, width, &mut self.out);
                if let Ok(img) =
                    ImageData::new_with_u8_clamped_array_and_sh(Clamped(&self.out[..]), w, h)
                {
                    ctx.put_image_data(&img, f64::from(x), f64::from(y)).ok();
                    written += 1;
                }
            }
        }
        self.on_canvas = plan.tiles().to_vec();
        self.last = IncidentDrawStat {
            ms: now_ms() - start,
            plan_ms,
            mode: Some(plan.mode()),
            visible: plan.visible(),
            drawn: plan.drawn(),
            tiles: written,
        };
        self.plan = Some(plan);
        true
    }

    /// The id of the incident drawn under a point (CSS px) of `view`, if the last plan was
    /// drawn for that view.
    pub fn pick(
        &self,
        view: &Viewport,
        x_css: f64,
        y_css: f64,
        tolerance_css: f64,
    ) -> Option<String> {
        if self.plan_key.is_none_or(|k| k.view != *view) {
            return None;
        }
        let dpr = view.dpr();
        let i = self
            .plan
            .as_ref()?
            .pick(x_css * dpr, y_css * dpr, tolerance_css * dpr)?;
        self.marks.id(i).map(str::to_string)
    }
}
