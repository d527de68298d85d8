//! Entry point: only mounts the app.
fn main() {
    calais_map::web::mount();
}
