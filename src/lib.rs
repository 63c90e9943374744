//! pathway: a learning roadmap as a terminal checklist.
//!
//! Data flows one way: keys → `Action` → `App` (pure) → `Store` (I/O) → `ui` (read-only).

pub mod app;
pub mod browser;
pub mod catalog;
pub mod checks;
pub mod cli;
pub mod clock;
pub mod editor;
pub mod history;
pub mod import;
pub mod keys;
pub mod notes;
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
pub mod trust;
pub mod tui;
pub mod ui;
pub mod utc;
pub mod watch;
