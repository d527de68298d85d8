//! Drawing the map's layers onto a 2D canvas context, each in two halves: `prepare_*` projects
//! a layer's geometry into `Path2D`s (and icon positions) for one view, `draw_*` fills and
//! strokes them. `render/layers.rs` calls the halves through the layer seam (`render/layer.rs`).
//!
//! Geometry arrives in EPSG:3857 metres and is projected here (through `core::scene`) to device
//! px of the target bitmap; style sizes are CSS px multiplied by the view's device pixel ratio.
//! All text drawn here goes through `fillText`, never through HTML.

use wasm_bindgen::JsValue;
use web_sys::{CanvasRenderingContext2d, CanvasWindingRule, Path2d};

use crate::core::basemap::Outlines;
use crate::core::cluster::{Cluster, cluster_at, grid_clusters, merge_overlapping};
use crate::core::geofence::{CoverageGaps, Zone, ZoneKind};
use crate::core::labels::{
    ID_LABELS_FROM_ZOOM, LabelCandidate, SECTOR_PROPERTY, place_label_groups,
};
use crate::core::model::{Feature, FeatureKind, FenceKind, LayerData, PortKind, Shape, property};
use crate::core::scene::{is_visible, project_path, project_point};
use crate::core::units::Mercator;
use crate::core::viewport::Viewport;
use crate::core::wall::{Tile, WallLayout};
use crate::render::style::{self, PortIcon};

/// Simplification step for projected paths, in device px.
const MIN_STEP_PX: f64 = 0.75;

/// Where a traced path goes: a canvas context's current path or a `Path2D`.
pub trait PathSink {
    fn move_to(&self, x: f64, y: f64);
    fn line_to(&self, x: f64, y: f64);
    fn close_path(&self);
}

impl PathSink for CanvasRenderingContext2d {
    fn move_to(&self, x: f64, y: f64) {
        CanvasRenderingContext2d::move_to(self, x, y);
    }
    fn line_to(&self, x: f64, y: f64) {
        CanvasRenderingContext2d::line_to(self, x, y);
    }
    fn close_path(&self) {
        CanvasRenderingContext2d::close_path(self);
    }
}

impl PathSink for Path2d {
    fn move_to(&self, x: f64, y: f64) {
        Path2d::move_to(self, x, y);
    }
    fn line_to(&self, x: f64, y: f64) {
        Path2d::line_to(self, x, y);
    }
    fn close_path(&self) {
        Path2d::close_path(self);
    }
}

/// The view paths are projected for, and a reusable point buffer.
pub struct Pen<'a> {
    pub view: &'a Viewport,
    pub scratch: &'a mut Vec<[f32; 2]>,
}

impl Pen<'_> {
    fn dpr(&self) -> f64 {
        self.view.dpr()
    }

    /// Projects `points` to device px and appends them to `sink` as one sub-path.
    fn path<P: Copy + Into<Mercator>>(&mut self, sink: &impl PathSink, points: &[P], close: bool) {
        self.scratch.clear();
        project_path(points, self.view, MIN_STEP_PX, self.scratch);
        let mut it = self.scratch.iter();
        if let Some(p) = it.next() {
            sink.move_to(p[0] as f64, p[1] as f64);
            for p in it {
                sink.line_to(p[0] as f64, p[1] as f64);
            }
            if close {
                sink.close_path();
            }
        }
    }
}

/// A new empty `Path2D` (`None` if the browser refuses one: the layer is then not drawn).
fn new_path() -> Option<Path2d> {
    Path2d::new().ok()
}

fn set_dash(ctx: &CanvasRenderingContext2d, dpr: f64, dash_css: &[f64]) {
    let arr = js_sys::Array::new();
    for d in dash_css {
        arr.push(&JsValue::from_f64(d * dpr));
    }
    let _ = ctx.set_line_dash(&arr);
}

/// Strokes `path` (or, `None`, the context's current path) with a CSS px width.
fn stroke(
    ctx: &CanvasRenderingContext2d,
    path: Option<&Path2d>,
    dpr: f64,
    colour: &str,
    width_css: f64,
) {
    ctx.set_stroke_style_str(colour);
    ctx.set_line_width(width_css * dpr);
    match path {
        Some(p) => ctx.stroke_with_path(p),
        None => ctx.stroke(),
    }
}

/// The basemap projected for one view: land, and the coastline and borders when split.
pub struct BasemapPaths {
    land: Path2d,
    outlines: Option<(Path2d, Path2d)>,
    drawn: usize,
}

/// Projects the land polygons (and the coast/border outlines) of the features in view.
pub fn prepare_basemap(
    pen: &mut Pen,
    data: &LayerData,
    outlines: Option<&Outlines>,
) -> Option<BasemapPaths> {
    let land = new_path()?;
    let mut drawn = 0;
    for f in &data.features {
        if !is_visible(&f.bounds, pen.view, 0.0) {
            continue;
        }
        drawn += 1;
        for s in &f.shapes {
            if let Shape::Polygon(_) = s {
                s.paths().for_each(|r| pen.path(&land, &r.0, true));
            }
        }
    }
    let outlines = match outlines {
        Some(o) => {
            let (coast, borders) = (new_path()?, new_path()?);
            for line in &o.coast {
                pen.path(&coast, line, false);
            }
            for line in &o.borders {
                pen.path(&borders, line, false);
            }
            Some((coast, borders))
        }
        None => None,
    };
    Some(BasemapPaths {
        land,
        outlines,
        drawn,
    })
}

/// Sea, land, coastline and borders. Returns the number of features drawn.
pub fn draw_basemap(
    ctx: &CanvasRenderingContext2d,
    view: &Viewport,
    paths: Option<&BasemapPaths>,
) -> usize {
    let (w, h) = (view.width_px() as f64, view.height_px() as f64);
    ctx.set_fill_style_str(style::SEA);
    ctx.fill_rect(0.0, 0.0, w, h);
    let Some(p) = paths else { return 0 };
    let dpr = view.dpr();
    ctx.set_line_join("round");
    ctx.set_line_cap("round");
    ctx.set_fill_style_str(style::LAND);
    ctx.fill_with_path_2d_and_winding(&p.land, CanvasWindingRule::Evenodd);
    if let Some((coast, borders)) = &p.outlines {
        stroke(ctx, Some(coast), dpr, style::COAST, 1.2);
        set_dash(ctx, dpr, &[7.0, 4.0]);
        stroke(ctx, Some(borders), dpr, style::BORDER, 1.4);
        set_dash(ctx, dpr, &[]);
    }
    p.drawn
}

fn visible_features<'d>(data: &'d LayerData, view: &Viewport) -> impl Iterator<Item = &'d Feature> {
    data.features
        .iter()
        .filter(move |f| is_visible(&f.bounds, view, 40.0))
}

/// Fences projected for one view: one path per fence kind in view.
pub struct FencePaths {
    kinds: Vec<(FenceKind, Path2d)>,
    drawn: usize,
}

/// Projects the fences in view, grouped by kind.
pub fn prepare_fences(pen: &mut Pen, data: &LayerData) -> FencePaths {
    let mut kinds = Vec::new();
    let mut drawn = 0;
    for kind in FenceKind::ALL {
        let Some(path) = new_path() else { continue };
        let mut any = false;
        for f in visible_features(data, pen.view) {
            if f.kind != FeatureKind::Fence(kind) {
                continue;
            }
            any = true;
            drawn += 1;
            for s in &f.shapes {
                match s {
                    Shape::Line(points) => pen.path(&path, &points.0, false),
                    Shape::Polygon(_) => s.paths().for_each(|r| pen.path(&path, &r.0, true)),
                    Shape::Point(_) => {}
                }
            }
        }
        if any {
            kinds.push((kind, path));
        }
    }
    FencePaths { kinds, drawn }
}

/// Fences, styled by kind, with a dark casing so they read on land and sea.
pub fn draw_fences(ctx: &CanvasRenderingContext2d, dpr: f64, paths: &FencePaths) -> usize {
    ctx.set_line_join("round");
    ctx.set_line_cap("round");
    for (kind, path) in &paths.kinds {
        let (colour, width, dash) = style::fence_style(*kind);
        set_dash(ctx, dpr, &[]);
        stroke(ctx, Some(path), dpr, style::LABEL_HALO, width + 2.5);
        set_dash(ctx, dpr, dash);
        stroke(ctx, Some(path), dpr, colour, width);
        set_dash(ctx, dpr, &[]);
    }
    paths.drawn
}

/// Below this zoom, cameras are drawn as clusters (a badge with a count) without sectors.
pub const CLUSTER_BELOW_ZOOM: f64 = 12.0;
/// Grid cell for camera clusters, CSS px.
const CLUSTER_CELL_CSS: f64 = 44.0;

/// Badge radius for a cluster of `count` cameras, CSS px.
pub fn cluster_radius(count: usize) -> f64 {
    9.0 + 3.0 * (count.max(1) as f64).log2()
}

/// The on-screen cameras of `data` grouped into clusters (CSS px), at any zoom.
pub fn camera_clusters(data: &LayerData, view: &Viewport) -> Vec<Cluster> {
    let (w, h) = (view.width_css(), view.height_css());
    let points = data
        .features
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match &f.kind {
            FeatureKind::Camera(c) => {
                let (x, y) = view.world_to_screen(crate::core::projection::to_mercator(c.position));
                (x > -50.0 && y > -50.0 && x < w + 50.0 && y < h + 50.0).then_some((i, x, y))
            }
            _ => None,
        });
    merge_overlapping(grid_clusters(points, CLUSTER_CELL_CSS), cluster_radius, 2.0)
}

/// The cluster badge of two or more cameras under (x, y) CSS px, when cameras are clustered.
pub fn camera_cluster_at(data: &LayerData, view: &Viewport, x: f64, y: f64) -> Option<Cluster> {
    if view.zoom().get() >= CLUSTER_BELOW_ZOOM {
        return None;
    }
    let clusters: Vec<Cluster> = camera_clusters(data, view)
        .into_iter()
        .filter(|c| c.count() > 1)
        .collect();
    let max_r = clusters
        .iter()
        .map(|c| cluster_radius(c.count()))
        .fold(0.0, f64::max);
    cluster_at(&clusters, x, y, max_r)
        .filter(|c| ((c.x - x).powi(2) + (c.y - y).powi(2)).sqrt() <= cluster_radius(c.count()))
        .cloned()
}

/// Cameras projected for one view: badges when zoomed out, else sectors and icons.
pub enum CameraMarks {
    Badges(Vec<Cluster>),
    Icons {
        sectors: Path2d,
        /// Device px position and bearing (degrees) of each camera in view.
        icons: Vec<([f32; 2], f64)>,
        /// Icon radius, device px.
        r: f64,
    },
}

/// Clusters the cameras (zoomed out) or projects their sectors and positions.
pub fn prepare_cameras(pen: &mut Pen, data: &LayerData) -> Option<CameraMarks> {
    if pen.view.zoom().get() < CLUSTER_BELOW_ZOOM {
        return Some(CameraMarks::Badges(camera_clusters(data, pen.view)));
    }
    let sectors = new_path()?;
    for f in visible_features(data, pen.view) {
        if let FeatureKind::Camera(cam) = &f.kind {
            pen.path(&sectors, &cam.sector.exterior().0, true);
        }
    }
    let r = if pen.view.zoom().get() >= 14.0 {
        5.0
    } else {
        3.5
    } * pen.dpr();
    let icons = visible_features(data, pen.view)
        .filter_map(|f| match &f.kind {
            FeatureKind::Camera(cam) => Some((
                project_point(crate::core::projection::to_mercator(cam.position), pen.view),
                cam.bearing.degrees(),
            )),
            _ => None,
        })
        .collect();
    Some(CameraMarks::Icons { sectors, icons, r })
}

/// Camera fields of view (true ground sectors) and camera icons; clusters when zoomed out.
pub fn draw_cameras(ctx: &CanvasRenderingContext2d, dpr: f64, marks: &CameraMarks) -> usize {
    let (sectors, icons, r) = match marks {
        CameraMarks::Badges(clusters) => return camera_badges(ctx, dpr, clusters),
        CameraMarks::Icons { sectors, icons, r } => (sectors, icons, *r),
    };
    ctx.set_fill_style_str(style::CAMERA_SECTOR_FILL);
    ctx.fill_with_path_2d(sectors);
    stroke(ctx, Some(sectors), dpr, style::CAMERA_SECTOR_STROKE, 1.0);
    for ([x, y], bearing) in icons {
        camera_icon(ctx, *x as f64, *y as f64, r, Some(*bearing), dpr);
    }
    icons.len()
}

/// A camera dot with an optional direction tick along `bearing_deg`; device px.
fn camera_icon(
    ctx: &CanvasRenderingContext2d,
    x: f64,
    y: f64,
    r: f64,
    bearing_deg: Option<f64>,
    dpr: f64,
) {
    if let Some(b) = bearing_deg.map(f64::to_radians) {
        // Screen y grows downwards.
        ctx.begin_path();
        ctx.move_to(x, y);
        ctx.line_to(x + b.sin() * r * 2.4, y - b.cos() * r * 2.4);
        ctx.set_stroke_style_str(style::CAMERA);
        ctx.set_line_width(2.0 * dpr);
        ctx.stroke();
    }
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str(style::CAMERA);
    ctx.fill();
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.set_line_width(1.5 * dpr);
    ctx.stroke();
}

fn camera_badges(ctx: &CanvasRenderingContext2d, dpr: f64, clusters: &[Cluster]) -> usize {
    let mut drawn = 0;
    for c in clusters {
        drawn += c.count();
        let (x, y) = (c.x * dpr, c.y * dpr);
        if c.count() == 1 {
            camera_icon(ctx, x, y, 3.5 * dpr, None, dpr);
            continue;
        }
        let r = cluster_radius(c.count()) * dpr;
        ctx.begin_path();
        let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
        // Translucent, so port icons and fences under it still show; the count is a pill
        // drawn with the labels, on top.
        ctx.set_fill_style_str(style::CAMERA_CLUSTER_FILL);
        ctx.fill();
        ctx.set_stroke_style_str(style::CAMERA);
        ctx.set_line_width(2.0 * dpr);
        ctx.stroke();
    }
    drawn
}

/// Where a cluster's count pill sits: its top-right, CSS px (left edge, vertical centre).
fn count_pill_anchor(c: &Cluster) -> (f64, f64) {
    let r = cluster_radius(c.count());
    (c.x + r * 0.55, c.y - r * 0.75)
}

/// Ports projected for one view: areas (one path per polygon) and icon positions.
pub struct PortMarks {
    areas: Vec<(PortKind, Path2d)>,
    icons: Vec<(PortKind, [f32; 2])>,
    drawn: usize,
}

/// Projects the port, terminal and portal areas and icons in view.
pub fn prepare_ports(pen: &mut Pen, data: &LayerData) -> PortMarks {
    let mut marks = PortMarks {
        areas: Vec::new(),
        icons: Vec::new(),
        drawn: 0,
    };
    for f in visible_features(data, pen.view) {
        let FeatureKind::Port(kind) = f.kind else {
            continue;
        };
        marks.drawn += 1;
        for s in &f.shapes {
            if let Shape::Polygon(_) = s
                && let Some(path) = new_path()
            {
                s.paths().for_each(|r| pen.path(&path, &r.0, true));
                marks.areas.push((kind, path));
            }
        }
    }
    for f in visible_features(data, pen.view) {
        let FeatureKind::Port(kind) = f.kind else {
            continue;
        };
        for s in &f.shapes {
            if let Shape::Point(m) = s {
                marks
                    .icons
                    .push((kind, project_point((*m).into(), pen.view)));
            }
        }
    }
    marks
}

/// Port, terminal and portal areas and icons.
pub fn draw_ports(ctx: &CanvasRenderingContext2d, dpr: f64, marks: &PortMarks) -> usize {
    for (kind, path) in &marks.areas {
        let (colour, _) = style::port_style(*kind);
        ctx.set_fill_style_str(style::port_area_fill(*kind));
        ctx.fill_with_path_2d_and_winding(path, CanvasWindingRule::Evenodd);
        set_dash(ctx, dpr, &[5.0, 3.0]);
        stroke(ctx, Some(path), dpr, colour, 1.5);
        set_dash(ctx, dpr, &[]);
    }
    for (kind, [x, y]) in &marks.icons {
        port_icon(ctx, *kind, *x as f64, *y as f64, 7.0 * dpr);
    }
    marks.drawn
}

/// Draws a port icon of radius `r` device px centred on (x, y).
pub fn port_icon(ctx: &CanvasRenderingContext2d, kind: PortKind, x: f64, y: f64, r: f64) {
    let (colour, icon) = style::port_style(kind);
    ctx.begin_path();
    match icon {
        PortIcon::Square => ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7),
        PortIcon::Triangle => {
            ctx.move_to(x, y - r);
            ctx.line_to(x + r * 0.95, y + r * 0.75);
            ctx.line_to(x - r * 0.95, y + r * 0.75);
            ctx.close_path();
        }
        PortIcon::Circle | PortIcon::Anchor => {
            let _ = ctx.arc(x, y, r * 0.8, 0.0, std::f64::consts::TAU);
        }
    }
    ctx.set_fill_style_str(colour);
    ctx.fill();
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.set_line_width(r * 0.3);
    ctx.stroke();
    if icon == PortIcon::Anchor {
        // A stylised anchor: shank and crown, dark on the white disc.
        ctx.begin_path();
        ctx.move_to(x, y - r * 0.55);
        ctx.line_to(x, y + r * 0.5);
        ctx.move_to(x - r * 0.45, y + r * 0.1);
        let _ = ctx.arc(x, y + r * 0.05, r * 0.45, std::f64::consts::PI, 0.0);
        ctx.set_stroke_style_str(style::SEA);
        ctx.set_line_width(r * 0.22);
        ctx.stroke();
    }
}

/// Labels placed for one view: the cluster count pills and the names, in device px.
pub struct PlacedLabels {
    pills: Vec<(String, LabelCandidate)>,
    /// Each name and where it goes (CSS px of its left edge and vertical centre).
    names: Vec<(String, LabelCandidate)>,
}

impl PlacedLabels {
    /// Nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.pills.is_empty() && self.names.is_empty()
    }

    /// Each name and its box `[x, y, width, height]` (CSS px, top-left corner).
    pub fn names(&self) -> Vec<(String, [f64; 4])> {
        self.names
            .iter()
            .map(|(t, c)| (t.clone(), [c.x, c.y - c.height / 2.0, c.width, c.height]))
            .collect()
    }

    /// Labels placed in a wall's whole view, as `tile` draws them: those that meet it (their
    /// halo included), moved into its px (`WallLayout::label_to_tile`).
    pub fn on_tile(self, layout: &WallLayout, tile: Tile) -> PlacedLabels {
        let keep = |v: Vec<(String, LabelCandidate)>| -> Vec<(String, LabelCandidate)> {
            v.into_iter()
                .filter_map(|(t, c)| Some((t, layout.label_to_tile(&c, tile, LABEL_HALO_CSS)?)))
                .collect()
        };
        PlacedLabels {
            pills: keep(self.pills),
            names: keep(self.names),
        }
    }
}

/// How far a label's halo and shadow may reach past its box, CSS px (the box has 2 px round
/// the text; the widest halo, the wall's, reaches half its width past the text).
const LABEL_HALO_CSS: f64 = style::LABEL_HALO_WALL_PX / 2.0 + 1.0;

fn set_label_font(ctx: &CanvasRenderingContext2d, dpr: f64) {
    let font_px = style::LABEL_PX * dpr;
    ctx.set_font(&format!(
        "600 {font_px}px system-ui, 'Segoe UI', Roboto, sans-serif"
    ));
    ctx.set_text_baseline("middle");
}

/// The data layers whose features are labelled.
#[derive(Clone, Copy, Default)]
pub struct Labelled<'d> {
    pub ports: Option<&'d LayerData>,
    pub cameras: Option<&'d LayerData>,
    pub fences: Option<&'d LayerData>,
}

/// Places the names of ports (always), camera ids (`cam-T-16`) and fence sector ids (`T-11`)
/// from zoom `labels::ID_LABELS_FROM_ZOOM` (the ids incident texts name) without collisions,
/// each trying right, left, above and below its anchor; when cameras are clustered, their count
/// pills, which are always drawn and which the names avoid. No name goes under a `reserved`
/// panel (`[x, y, w, h]` CSS px). `ctx` measures the text.
pub fn prepare_labels(
    pen: &mut Pen,
    ctx: &CanvasRenderingContext2d,
    layers: Labelled,
    reserved: &[[f64; 4]],
) -> PlacedLabels {
    let Labelled {
        ports,
        cameras,
        fences,
    } = layers;
    let dpr = pen.dpr();
    set_label_font(ctx, dpr);
    let height = style::LABEL_PX + 4.0;
    // Count pills first: top priority, so they are placed and the names go round them.
    let mut pills: Vec<(String, LabelCandidate)> = Vec::new();
    if let Some(data) = cameras
        && pen.view.zoom().get() < CLUSTER_BELOW_ZOOM
    {
        for c in camera_clusters(data, pen.view)
            .iter()
            .filter(|c| c.count() > 1)
        {
            let text = c.count().to_string();
            let (x, y) = count_pill_anchor(c);
            let width = ctx.measure_text(&text).map(|t| t.width()).unwrap_or(0.0) / dpr + 10.0;
            let cand = LabelCandidate {
                x,
                y,
                width,
                height: height + 2.0,
                priority: i32::MAX,
            };
            pills.push((text, cand));
        }
    }
    let mut names: Vec<(String, [LabelCandidate; 4])> = Vec::new();
    let mut push = |name: &str, m: Mercator, priority: i32, offset: f64| {
        let (x, y) = pen.view.world_to_screen(m);
        let width = ctx.measure_text(name).map(|t| t.width()).unwrap_or(0.0) / dpr + 4.0;
        let at = |x: f64, y: f64| LabelCandidate {
            x,
            y,
            width,
            height,
            priority,
        };
        names.push((
            name.to_string(),
            [
                at(x + offset, y),
                at(x - offset - width, y),
                at(x - width / 2.0, y - offset - height / 2.0),
                at(x - width / 2.0, y + offset + height / 2.0),
            ],
        ));
    };
    if let Some(data) = ports {
        for f in visible_features(data, pen.view) {
            let (FeatureKind::Port(kind), Some(name)) = (&f.kind, &f.name) else {
                continue;
            };
            let priority = match kind {
                PortKind::FerryPort | PortKind::RailTerminal => 30,
                PortKind::TunnelPortal => 20,
                _ => 10,
            };
            let at = f.shapes.iter().find_map(|s| match s {
                Shape::Point(m) => Some(Mercator::from(*m)),
                _ => None,
            });
            // Areas are labelled at their centre, below point labels.
            let (m, priority) = at.map_or((f.bounds.center(), priority - 5), |m| (m, priority));
            push(name, m, priority, 10.0);
        }
    }
    let ids = pen.view.zoom().get() >= ID_LABELS_FROM_ZOOM;
    if let Some(data) = cameras.filter(|_| ids) {
        for f in visible_features(data, pen.view) {
            if let FeatureKind::Camera(cam) = &f.kind {
                push(
                    &f.id,
                    crate::core::projection::to_mercator(cam.position),
                    0,
                    8.0,
                );
            }
        }
    }
    if let Some(data) = fences.filter(|_| ids) {
        for f in visible_features(data, pen.view) {
            let sector = property(&f.properties, SECTOR_PROPERTY);
            let at = f.shapes.iter().find_map(Shape::midpoint);
            if let (Some(sector), Some(at)) = (sector, at) {
                push(sector, Mercator::from(at), -1, 4.0);
            }
        }
    }
    // Panels block labels like placed labels do: top priority, never drawn.
    let (vw, vh) = (pen.view.width_css(), pen.view.height_css());
    let blockers: Vec<LabelCandidate> = reserved
        .iter()
        .filter_map(|[x, y, w, h]| {
            let (x0, y0) = (x.max(0.0), y.max(0.0));
            let (x1, y1) = ((x + w).min(vw), (y + h).min(vh));
            (x1 > x0 && y1 > y0).then(|| LabelCandidate {
                x: x0,
                y: (y0 + y1) / 2.0,
                width: x1 - x0,
                height: y1 - y0,
                priority: i32::MAX,
            })
        })
        .collect();
    let groups: Vec<&[LabelCandidate]> = blockers
        .iter()
        .map(std::slice::from_ref)
        .chain(pills.iter().map(|(_, c)| std::slice::from_ref(c)))
        .chain(names.iter().map(|(_, alts)| alts.as_slice()))
        .collect();
    let placed = place_label_groups(&groups, pen.view.width_css(), pen.view.height_css(), 3.0);
    let placed = placed
        .get(blockers.len() + pills.len()..)
        .unwrap_or_default();
    let names = names
        .into_iter()
        .zip(placed)
        .filter_map(|((text, alts), alt)| Some((text, *alt.and_then(|i| alts.get(i))?)))
        .collect();
    PlacedLabels { pills, names }
}

/// Draws the placed count pills and names, the names with a dark halo `halo_px` CSS px wide
/// (`style::LABEL_HALO_PX`, or `LABEL_HALO_WALL_PX` over the markers on the wall).
pub fn draw_labels(ctx: &CanvasRenderingContext2d, dpr: f64, labels: &PlacedLabels, halo_px: f64) {
    set_label_font(ctx, dpr);
    for (text, c) in &labels.pills {
        let (x, y, w, h) = (c.x * dpr, c.y * dpr, c.width * dpr, c.height * dpr);
        ctx.begin_path();
        let _ = ctx.round_rect_with_f64(x, y - h / 2.0, w, h, h / 2.0);
        ctx.set_fill_style_str(style::CAMERA);
        ctx.fill();
        ctx.set_stroke_style_str(style::LABEL_HALO);
        ctx.set_line_width(1.5 * dpr);
        ctx.stroke();
        ctx.set_fill_style_str(style::SEA);
        let _ = ctx.fill_text(text, x + 5.0 * dpr, y + 0.5 * dpr);
    }
    ctx.set_line_join("round");
    ctx.set_line_width(halo_px * dpr);
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.set_fill_style_str(style::LABEL);
    for (text, c) in &labels.names {
        let (x, y) = ((c.x + 2.0) * dpr, c.y * dpr);
        let _ = ctx.stroke_text(text, x, y);
        let _ = ctx.fill_text(text, x, y);
    }
}

/// The selected feature's outline, drawn on top of everything.
pub fn highlight(pen: &mut Pen, ctx: &CanvasRenderingContext2d, feature: &Feature) {
    let dpr = pen.dpr();
    ctx.begin_path();
    let mut points: Vec<Mercator> = Vec::new();
    for s in &feature.shapes {
        match s {
            Shape::Point(m) => points.push((*m).into()),
            Shape::Line(l) => pen.path(ctx, &l.0, false),
            Shape::Polygon(_) => s.paths().for_each(|r| pen.path(ctx, &r.0, true)),
        }
    }
    if let FeatureKind::Camera(cam) = &feature.kind {
        pen.path(ctx, &cam.sector.exterior().0, true);
        points.push(crate::core::projection::to_mercator(cam.position));
    }
    for m in points {
        let [x, y] = project_point(m, pen.view);
        ctx.move_to(x as f64 + 11.0 * dpr, y as f64);
        let _ = ctx.arc(x as f64, y as f64, 11.0 * dpr, 0.0, std::f64::consts::TAU);
    }
    stroke(ctx, None, dpr, style::LABEL_HALO, 6.0);
    stroke(ctx, None, dpr, style::HIGHLIGHT, 2.5);
}

/// A ring round the selected incident at (`x`, `y`) CSS px, on a canvas in device px.
pub fn incident_ring(ctx: &CanvasRenderingContext2d, x: f64, y: f64, dpr: f64) {
    let (x, y, r) = (x * dpr, y * dpr, 15.0 * dpr);
    ctx.begin_path();
    let _ = ctx.arc(x, y, r, 0.0, std::f64::consts::TAU);
    ctx.set_line_width(7.0 * dpr);
    ctx.set_stroke_style_str(style::LABEL_HALO);
    ctx.stroke();
    ctx.set_line_width(3.0 * dpr);
    ctx.set_stroke_style_str(style::HIGHLIGHT);
    ctx.stroke();
}

/// Zones projected for one view: one path (outer rings and holes) per zone in view.
pub struct ZonePaths(Vec<(ZoneKind, Path2d)>);

/// Projects the zones in view.
pub fn prepare_zones(pen: &mut Pen, zones: &[Zone]) -> ZonePaths {
    let visible = pen.view.visible_bounds();
    let mut out = Vec::new();
    for z in zones.iter().filter(|z| z.bounds.intersects(&visible)) {
        let Some(path) = new_path() else { continue };
        for r in z.polygons.iter().flat_map(crate::core::geometry::rings) {
            pen.path(&path, &r.0, true);
        }
        out.push((z.kind, path));
    }
    ZonePaths(out)
}

/// Geofencing zones: a faint fill by kind (holes left out) and a cased outline. Returns the
/// number of zones drawn.
pub fn draw_zones(ctx: &CanvasRenderingContext2d, dpr: f64, zones: &ZonePaths) -> usize {
    ctx.set_line_join("round");
    for (kind, path) in &zones.0 {
        let (colour, fill, dash) = style::zone_style(*kind);
        ctx.set_fill_style_str(fill);
        ctx.fill_with_path_2d_and_winding(path, CanvasWindingRule::Evenodd);
        set_dash(ctx, dpr, &[]);
        stroke(ctx, Some(path), dpr, style::LABEL_HALO, 4.0);
        set_dash(ctx, dpr, dash);
        stroke(ctx, Some(path), dpr, colour, 2.0);
        set_dash(ctx, dpr, &[]);
    }
    zones.0.len()
}

/// Coverage gaps projected for one view: the stretches that touch it, as one path.
pub struct GapPaths {
    path: Option<Path2d>,
    drawn: usize,
}

/// Projects the fence stretches no camera sees that have a point in view.
pub fn prepare_gaps(pen: &mut Pen, gaps: &CoverageGaps) -> GapPaths {
    let Some(path) = new_path() else {
        return GapPaths {
            path: None,
            drawn: 0,
        };
    };
    let visible = pen.view.visible_bounds();
    let mut drawn = 0;
    for g in &gaps.gaps {
        if g.path.iter().any(|p| {
            p.x >= visible.min_x
                && p.x <= visible.max_x
                && p.y >= visible.min_y
                && p.y <= visible.max_y
        }) {
            pen.path(&path, &g.path, false);
            drawn += 1;
        }
    }
    GapPaths {
        path: Some(path),
        drawn,
    }
}

/// The fence stretches no camera sees, as a thick warning stripe over the fence.
pub fn draw_gaps(ctx: &CanvasRenderingContext2d, dpr: f64, gaps: &GapPaths) -> usize {
    ctx.set_line_cap("butt");
    if let Some(path) = gaps.path.as_ref().filter(|_| gaps.drawn > 0) {
        // Dotted, so it reads apart from the solid fence and wall lines under it.
        set_dash(ctx, dpr, &[2.0, 5.0]);
        stroke(ctx, Some(path), dpr, style::LABEL_HALO, 7.0);
        stroke(ctx, Some(path), dpr, style::COVERAGE_GAP, 5.0);
        set_dash(ctx, dpr, &[]);
    }
    ctx.set_line_cap("round");
    gaps.drawn
}
