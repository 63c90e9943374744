//! Generated roadmaps and progress of any size, for benchmarks and performance checks.

use jiff::Timestamp;

use crate::core::progress::{Progress, Status};
use crate::core::roadmap::{Roadmap, task_key};

/// Roadmap YAML with `steps` steps of `tasks` tasks each, shaped like the shipped one: a summary
/// and a paragraph of notes per step, a resource per step, short task titles. 100 × 1,000 makes a
/// 4.9 MB file, the size of the 100,000-task file the performance targets were set against.
pub fn roadmap_yaml(steps: usize, tasks: usize) -> String {
    let mut out = String::with_capacity(steps * tasks * 60 + steps * 400);
    out.push_str(
        "id: synthetic\ntitle: Synthetic roadmap\noverview: Generated for benchmarks.\nsteps:\n",
    );
    for s in 0..steps {
        out.push_str(&format!(
            "  - id: step-{s}\n    title: Step number {s} of the generated roadmap\n    \
             summary: A generated step to measure how pathway scales.\n    notes: |\n      \
             Generated guidance for step {s}, long enough to wrap over a few lines in the detail \
             pane like the real guidance does.\n    resources:\n      - title: Docs {s}\n        \
             url: https://example.com/docs/{s}\n        kind: docs\n    tasks:\n"
        ));
        for t in 0..tasks {
            out.push_str(&format!(
                "      - {{id: t{t}, title: Topic {t} of step {s}}}\n"
            ));
        }
    }
    out
}

/// Progress with every task of `roadmap` done, at distinct times.
pub fn all_done(roadmap: &Roadmap) -> Progress {
    let mut progress = Progress::default();
    let rp = progress.roadmap_mut(&roadmap.id);
    let mut ms = 1_700_000_000_000;
    for step in &roadmap.steps {
        for task in &step.tasks {
            ms += 1;
            let at = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
            rp.set_status(&task_key(step, task), Status::Done, at);
        }
    }
    progress
}
