//! Calais command-centre map viewer.
//!
//! `core` is pure Rust (no web crate); `web` is the thin browser shell around it.
pub mod core;
pub mod web;
