//! The registry: every map layer, in draw order, in one list. A new layer is one implementation of `layer::MapLayer` and one line here; the renderer names none.
//!
//! No units: the order is the painter's order within and across stages (base bitmap, then
//! composite, then the canvases over it, then the screen).

use std::rc::Rc;

use web_sys::HtmlCanvasElement;

use crate::core::display::DisplayMode;

use super::heatmap::Heatmap;
use super::incidents::IncidentOverlays;
use super::label_layer::Labels;
use super::layer::MapLayer;
use super::layers;

/// The layers of a map in `mode` whose canvas is `screen` (`None` in native tests: incidents are
/// then drawn into the composite); `on_tile_load` schedules a frame when a raster tile arrives.
/// On the wall the labels are drawn over the incidents (`render/label_layer.rs`).
pub fn registry(
    screen: Option<&HtmlCanvasElement>,
    mode: DisplayMode,
    on_tile_load: Rc<dyn Fn()>,
) -> Vec<Box<dyn MapLayer>> {
    vec![
        Box::new(layers::Basemap::default()),
        Box::new(layers::Tiles::new(on_tile_load)),
        Box::new(layers::zones()),
        Box::new(layers::fences()),
        Box::new(layers::coverage_gaps()),
        Box::new(layers::cameras()),
        Box::new(layers::ports()),
        Box::new(Labels::new(mode, screen)),
        Box::new(Heatmap::new(screen)),
        Box::new(IncidentOverlays::new(screen)),
        Box::new(layers::ShiftArrowLayer),
        Box::new(layers::DevicePositionLayer),
        Box::new(layers::Selection::default()),
        Box::new(layers::Draft),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::layer::Stage;

    #[test]
    fn layers_in_draw_order() {
        let layers = registry(None, DisplayMode::Desk, Rc::new(|| {}));
        let names: Vec<&str> = layers.iter().map(|l| l.name()).collect();
        assert_eq!(
            names,
            [
                "basemap",
                "tiles",
                "zones",
                "fences",
                "coverage-gaps",
                "cameras",
                "ports",
                "labels",
                "heatmap",
                "incidents",
                "shift-arrow",
                "device-position",
                "selection",
                "zone-draft"
            ]
        );
    }

    #[test]
    fn stages_never_go_back() {
        for mode in [DisplayMode::Desk, DisplayMode::Wall, DisplayMode::Tablet] {
            let layers = registry(None, mode, Rc::new(|| {}));
            let stages: Vec<Stage> = layers.iter().map(|l| l.stage()).collect();
            assert!(stages.is_sorted(), "{mode:?}: {stages:?}");
            assert_eq!(stages.first(), Some(&Stage::Base));
            assert!(stages.contains(&Stage::Map) && stages.contains(&Stage::Over));
        }
    }

    #[test]
    fn labels_go_over_the_incidents_on_the_wall_only() {
        let stage_of_labels = |mode| {
            registry(None, mode, Rc::new(|| {}))
                .iter()
                .find(|l| l.name() == "labels")
                .map(|l| l.stage())
        };
        assert_eq!(stage_of_labels(DisplayMode::Desk), Some(Stage::Map));
        assert_eq!(stage_of_labels(DisplayMode::Tablet), Some(Stage::Map));
        assert_eq!(stage_of_labels(DisplayMode::Wall), Some(Stage::Over));
    }
}
