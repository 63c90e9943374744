//! Running checks on the learner's machine: probes by kind (`command`, `http`, `file`, `work`, `sql`), the
//! processes they start, trust before anything runs, and watching a project folder.

mod command;
mod conventions;
mod file;
mod http;
mod process;
mod run;
mod show;
mod sql;
pub(crate) mod trust;
pub(crate) mod watch;
mod words;
mod work;

#[cfg(test)]
mod tests;

pub use process::{Ran, run_quiet};
pub use run::*;
