//! Running checks on the learner's machine: probes (run), trust before anything runs, and
//! watching a project folder.

mod run;
pub mod trust;
pub mod watch;

pub use run::*;
