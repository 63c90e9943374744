//! pathway: a learning roadmap as a terminal checklist.
//!
//! Data flows one way: keys → `Action` → `App` (pure) → `Store` (I/O) → `ui` (read-only).

// Signals, file modes, process groups and non-blocking opens are Unix's: one clear message
// instead of a page of errors on a system pathway does not run on.
#[cfg(not(unix))]
compile_error!(
    "pathway runs on Linux and macOS (and on Windows under WSL): it needs Unix signals, file \
     modes and process groups"
);

pub mod action;
pub mod app;
#[cfg(test)]
mod architecture;
pub mod browser;
pub mod card;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod clock;
pub mod config;
pub mod editor;
pub mod fsio;
pub mod history;
pub mod import;
pub mod keys;
pub mod notes;
pub mod ops;
pub mod probe;
pub mod progress;
pub mod progress_yaml;
pub mod report;
pub mod review;
pub mod roadmap;
pub mod settings;
pub mod stats;
pub mod status;
pub mod store;
pub mod synthetic;
pub mod text;
pub mod theme;
pub mod trust;
pub mod tui;
pub mod ui;
pub mod utc;
pub mod watch;
