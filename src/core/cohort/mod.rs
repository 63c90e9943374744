//! A mentor's view of a cohort: each learner publishes a snapshot of where they stand on a
//! roadmap (`snapshot`), and the mentor reads every snapshot of the cohort's folder into one
//! summary (`summary`): a row per learner with the flags that ask for attention, sorted by who
//! needs it first, and per task how far the cohort has come. Pure: the files and Git are the
//! command line's.
//!
//! A snapshot holds what a mentor needs and nothing private: statuses, dates, check results as
//! passed or not, review figures. Never notes (unless the learner asks), paths, the project
//! folder, the environment or what a check printed.

mod snapshot;
mod summary;

pub use snapshot::{CardLapses, ReviewSummary, RoadmapRef, Snapshot, TaskSnapshot, Totals};
pub use summary::{CardTally, Cohort, Flag, Row, TaskTally, Unreadable, parse, summarize};

/// The snapshot layout this pathway writes and reads: a file with a larger number was written by
/// a newer pathway and is listed as unreadable rather than half understood.
pub const FORMAT: u32 = 1;

/// The folder of the cohort's repository that holds the snapshots, one file per learner.
pub const FOLDER: &str = "learners";

/// How many days a task may stay in progress, or a learner stay away, before it is flagged.
pub const STALL_DAYS: i64 = 14;

/// Failed checks of one task in a row (since its last pass) that make a flag.
pub const REPEATED_FAILURES: u32 = 3;

/// A step's reviews of the last 30 days are flagged when at least this many were rated "again"
/// out of at least `AGAIN_MIN_REVIEWS`: FSRS aims at 10% forgotten, so 40% means the step's
/// ideas did not stick.
pub const AGAIN_SHARE: f64 = 0.4;
pub const AGAIN_MIN_REVIEWS: u32 = 5;

/// Whether a learner's name can be a snapshot's file name on every system: 1 to 64 ASCII
/// letters, digits, `.`, `_` and `-`, not starting with `.` or `-` (a hidden file, an option).
pub fn valid_name(name: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
    if name.is_empty() || name.len() > 64 {
        return Err("a learner's name is 1 to 64 characters".into());
    }
    if name.starts_with(['.', '-']) {
        return Err("a learner's name does not start with . or -".into());
    }
    if !name.chars().all(allowed) {
        return Err(
            "a learner's name is letters, digits, '.', '_' and '-' only (it names the file learners/NAME.json)"
                .into(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests;
