//! Calais command-centre map viewer.
//!
//! `core` is pure Rust (no web crate); `web` is the thin browser shell around it.
pub use calais_core as core;
pub use calais_web as web;
