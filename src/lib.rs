//! pathway: a learning roadmap as a terminal checklist.
//!
//! Data flows one way: event sources → `Action` → `App` (pure) → `Effect` → its runner (I/O) →
//! render (read-only). Layers import downward: `cli` and `tui` use `checks`, `storage` and
//! `core`; `storage` and `checks` use `core`; `core` uses nothing above it (`architecture.rs`).

// Signals, file modes, process groups and non-blocking opens are Unix's: one clear message
// instead of a page of errors on a system pathway does not run on.
#[cfg(not(unix))]
compile_error!(
    "pathway runs on Linux and macOS (and on Windows under WSL): it needs Unix signals, file \
     modes and process groups"
);

#[cfg(test)]
mod architecture;
pub mod checks;
pub mod cli;
pub mod core;
pub mod storage;
pub mod tui;
