//! Every integration test, in one binary: one link instead of one per file, and one run whose
//! tests share the test threads instead of eleven runs one after another. Each file stays where
//! it was as a module of its own; a test file added to tests/ must be declared here, or it is
//! never built (`autotests = false` in Cargo.toml).
//!
//! The tests share one process: none may change its environment or current folder (a child
//! process gets its own through `Command::env` and `Command::current_dir`).

mod common;

mod app;
mod attacks;
mod cli;
mod cohort;
mod content;
mod evidence;
mod evidence_data;
mod evidence_stacks;
mod hostile;
mod layouts;
mod properties;
mod pty;
mod reliability;
mod render;
mod safety;
mod store;
