//! The learner's notes together, in roadmap order: each step's own note first, then its tasks'.
//! The notes view, `pathway notes` and its formats all read this one list.

use jiff::Timestamp;

use crate::core::history::Change;
use crate::core::progress::{RoadmapProgress, Status};
use crate::core::roadmap::{Roadmap, task_key};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEntry {
    /// The progress key: `step` or `step/task`.
    pub key: String,
    pub step: usize,
    pub task: Option<usize>,
    pub title: String,
    /// The task's status, or the step's (from its tasks).
    pub status: Status,
    /// When the note was last edited, as far as the change log knows.
    pub edited: Option<Timestamp>,
    pub note: String,
}

/// Every note on the roadmap (or on one step), in roadmap order.
pub fn collect(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    only_step: Option<usize>,
) -> Vec<NoteEntry> {
    if rp.items.values().all(|i| i.note.is_none()) {
        return Vec::new();
    }
    // The last note edit of each item, from the change log.
    let mut edited: std::collections::HashMap<&str, Timestamp> = Default::default();
    for event in &rp.history {
        if matches!(event.change, Change::Note { .. }) {
            edited.insert(event.item.as_str(), event.at);
        }
    }
    // Only the change log knows: an item's own change time also moves with its status.
    let when = |key: &str| edited.get(key).copied();
    let mut out = Vec::new();
    for (s, step) in roadmap.steps.iter().enumerate() {
        if only_step.is_some_and(|only| only != s) {
            continue;
        }
        if let Some(note) = rp.note(&step.id) {
            out.push(NoteEntry {
                key: step.id.to_string(),
                step: s,
                task: None,
                title: step.title.to_string(),
                status: rp.step_counts(step).status(),
                edited: when(&step.id),
                note: note.to_string(),
            });
        }
        for (t, task) in step.tasks.iter().enumerate() {
            let key = task_key(step, task);
            if let Some(note) = rp.note(&key) {
                out.push(NoteEntry {
                    status: rp.status(&key),
                    edited: when(&key),
                    note: note.to_string(),
                    key,
                    step: s,
                    task: Some(t),
                    title: task.title.to_string(),
                });
            }
        }
    }
    out
}

/// The entries whose title or note contains `query`, ignoring case.
pub fn matching<'a>(entries: &'a [NoteEntry], query: &str) -> Vec<&'a NoteEntry> {
    let query = query.to_lowercase();
    entries
        .iter()
        .filter(|e| {
            query.is_empty()
                || e.note.to_lowercase().contains(&query)
                || e.title.to_lowercase().contains(&query)
        })
        .collect()
}
