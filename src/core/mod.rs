//! What pathway knows, pure and testable without files or a terminal: the roadmap, the
//! learner's progress and its history, review, stats, and the rules both front ends call.

pub(crate) mod clock;
pub mod cohort;
pub mod history;
pub(crate) mod notes;
pub mod ops;
pub mod probe;
pub mod progress;
pub mod review;
pub mod roadmap;
pub(crate) mod sql;
pub(crate) mod stats;
pub mod status;
pub mod synthetic;
pub mod text;
pub(crate) mod utc;
