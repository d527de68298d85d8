//! Entry point: mounts the app, with the counting allocator (`web::alloc`) as the global one.

#[global_allocator]
static ALLOC: calais_map::web::alloc::Counting = calais_map::web::alloc::Counting;

fn main() {
    calais_map::web::mount();
}
