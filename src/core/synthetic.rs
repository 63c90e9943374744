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

/// `learners` snapshots of `roadmap` at `now`, each learner a different distance along: tasks
/// done (a third of them verified by a check), one in progress, one check failing, and cards
/// reviewed with some forgotten, so every column and flag of the cohort has work to do.
pub fn cohort(
    roadmap: &Roadmap,
    learners: usize,
    now: Timestamp,
) -> Vec<(String, crate::core::cohort::Snapshot)> {
    let settings = crate::core::review::ReviewSettings::default();
    let keys: Vec<(String, String)> = roadmap
        .steps
        .iter()
        .flat_map(|s| {
            s.tasks
                .iter()
                .map(move |t| (task_key(s, t), t.cards()[0].id.to_string()))
        })
        .collect();
    let day = |n: i64| now - jiff::SignedDuration::from_hours(24 * n);
    (0..learners)
        .map(|l| {
            let mut rp = crate::core::progress::RoadmapProgress::default();
            let done = (l * 7) % keys.len().max(1);
            for (i, (key, card)) in keys.iter().take(done).enumerate() {
                let at = day(40 - (i % 30) as i64);
                if i % 3 == 0 {
                    rp.record_check(key, true, None, at);
                } else {
                    rp.set_status(key, Status::Done, at);
                }
                let rating = if (i + l) % 4 == 0 {
                    crate::core::status::Rating::Again
                } else {
                    crate::core::status::Rating::Good
                };
                crate::core::review::rate(&mut rp, key, card, true, rating, day(5), &settings);
            }
            if let Some((key, _)) = keys.get(done) {
                rp.set_status(key, Status::InProgress, day((l % 20) as i64));
                rp.record_check(key, false, Some("probe 1 failed".into()), day(1));
            }
            let name = format!("learner-{l:03}");
            let snapshot = crate::core::cohort::Snapshot::build(
                &name,
                roadmap,
                &rp,
                now,
                &jiff::tz::TimeZone::UTC,
                &settings,
                false,
            );
            (name, snapshot)
        })
        .collect()
}
