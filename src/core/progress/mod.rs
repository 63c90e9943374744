//! What the learner did: statuses, dates and notes, keyed by roadmap id and item id.
//! Pure data and its operations; reading and writing the file lives in `store`.
//!
//! One file per part of an item: `item` (the parts and their times), `status` (statuses and
//! counts), `notes`, `cards` (review states), `own` (the learner's own cards), `checked`
//! (check results), `merge` (part-by-part merging and resets) and `undo` (reverting a change's
//! parts).

mod cards;
mod checked;
mod item;
mod merge;
mod notes;
mod own;
mod status;
mod undo;

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::core::history::{self, DayTotals, Event};
use crate::core::roadmap::{Roadmap, task_key};
pub use crate::core::status::Status;

pub use cards::{ReviewPhase, ReviewState};
pub use checked::Checked;
pub use item::Item;
pub use merge::{NoteKept, kept_marker};
pub use own::{OwnCard, added_at};
pub use status::{Counts, StepChange, StepSummary};

/// The schema version written into every progress file. A file with a larger number was written
/// by a newer pathway and is refused rather than rewritten without the fields it may carry.
/// Version 2 added each task's review state. Version 3 gave each part of an item (status, note,
/// each card's review state, the check result) its own change time, so merges go part by part.
/// Version 4 added the learner's own cards (`own`, see `own.rs`).
/// Files of every earlier version read as they are.
pub const VERSION: u32 = 4;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub version: u32,
    /// Every roadmap the learner has used, not only the current one: switching roadmaps must not
    /// drop the progress of another.
    #[serde(default)]
    pub roadmaps: BTreeMap<String, RoadmapProgress>,
    /// What had to be repaired when the file was read (see `Progress::settle`), for the front
    /// ends to show; never written.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: VERSION,
            roadmaps: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadmapProgress {
    /// When the learner first changed anything in this roadmap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    /// When this roadmap's progress was last reset: anything older, from any copy of the file,
    /// is gone for good, so a TUI still open elsewhere cannot bring it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<Timestamp>,
    /// Keyed by `step/task` (tasks) or `step` (steps). Items whose ids left the roadmap stay here.
    #[serde(default)]
    pub items: BTreeMap<String, Item>,
    /// Every status change and note edit of the last year, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Event>,
    /// Older history, as totals per UTC day (`2025-11-24`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub daily: BTreeMap<String, DayTotals>,
}

impl RoadmapProgress {
    pub fn status(&self, key: &str) -> Status {
        self.items.get(key).map(|i| i.status).unwrap_or_default()
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.get(key)
    }

    /// Takes over, for each task that moved or was renamed (its `formerly`), the progress kept
    /// under its old key, as long as the new key has none of its own. A copy, not a move: the
    /// old item stays as any item whose id left the roadmap does, so a merge with a file
    /// written before the move brings nothing back to take over twice. Returns whether anything
    /// was taken over.
    pub fn adopt_former_keys(&mut self, roadmap: &Roadmap) -> bool {
        let mut adopted = false;
        for step in &roadmap.steps {
            for task in &step.tasks {
                let key = task_key(step, task);
                if self.items.contains_key(&key) {
                    continue;
                }
                let old = task.formerly.iter().find_map(|k| self.items.get(&**k));
                if let Some(item) = old.cloned() {
                    self.items.insert(key, item);
                    adopted = true;
                }
            }
        }
        adopted
    }

    /// The time to give a change to a part last changed at `previous`: see `change_time`. It
    /// is also after this roadmap's last reset, so a change made after a reset (on a machine whose
    /// clock is behind the one that reset) is never taken for one the reset cleared.
    pub fn stamp(&self, previous: Option<Timestamp>, now: Timestamp) -> Timestamp {
        change_time(previous.max(self.reset), now)
    }
    /// Appends to the change log, compacting what is more than a year older than the newest
    /// event already there. The newest event, not the clock: one command run with a clock far
    /// ahead must not fold the whole log (and the note texts it keeps) into daily totals.
    pub fn log(&mut self, event: Event) {
        let newest = self.history.iter().map(|e| e.at).max();
        let keeps_text = event.kept_text().is_some();
        // In time order even when the clock went back: compaction and merges rely on it.
        let place = self.history.partition_point(|e| *e <= event);
        self.history.insert(place, event);
        if keeps_text {
            history::bound_texts(&mut self.history);
        }
        let Some(horizon) = newest else {
            return;
        };
        if self.history.first().is_some_and(|e| {
            horizon
                .checked_sub(history::KEEP)
                .is_ok_and(|old| e.at < old)
        }) {
            history::compact(&mut self.history, &mut self.daily, horizon);
        }
    }
}

/// The time of a change to something last changed at `previous`: `now`, unless another machine's
/// clock put `previous` at or after it; then just after `previous`, so the change always wins a
/// merge against the state it replaced.
pub fn change_time(previous: Option<Timestamp>, now: Timestamp) -> Timestamp {
    match previous {
        Some(p) if p >= now => p
            .checked_add(jiff::SignedDuration::from_millis(1))
            .unwrap_or(p),
        _ => now,
    }
}

/// The earlier of two times, where a missing one does not count.
fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

impl Progress {
    /// Merges another copy of the progress (the file as another process left it) into this one,
    /// roadmap by roadmap and part by part (see `RoadmapProgress::merge_from`). Returns whether
    /// anything of theirs came in.
    pub fn merge_from(&mut self, other: &Progress) -> bool {
        other.roadmaps.iter().fold(false, |changed, (id, theirs)| {
            self.roadmap_mut(id).merge_from(theirs) | changed
        })
    }

    /// Writes the part times an older layout left implicit, drops what a roadmap's own reset
    /// cleared, and brings every review state into the scheduler's ranges; returns a warning for each state that had to start afresh.
    pub fn settle(&mut self) -> Vec<String> {
        let mut warnings = Vec::new();
        for (id, rp) in &mut self.roadmaps {
            // A hand-edited file may hold what its own reset cleared, or its log out of order.
            rp.forget_before_reset();
            if !rp.history.is_sorted() {
                rp.history.sort_unstable();
                rp.history.dedup();
            }
            // A day's totals stand for its events once they were compacted: events left on such
            // a day (a hand edit) would be dropped by the next merge on one side only.
            // Sorted, so only the events up to the end of the last totalled day are looked at.
            if let Some(last) = rp.daily.keys().next_back() {
                let daily = &rp.daily;
                let end = rp
                    .history
                    .partition_point(|e| history::day(e.at).as_str() <= last.as_str());
                let later = rp.history.split_off(end);
                rp.history
                    .retain(|e| !daily.contains_key(&history::day(e.at)));
                rp.history.extend(later);
            }
            for (key, item) in &mut rp.items {
                item.settle();
                for (card, state) in item
                    .cards
                    .iter_mut()
                    .map(|(c, s)| (Some(c.as_str()), s))
                    .chain(item.review.as_mut().map(|s| (None, s)))
                {
                    if !state.repair() {
                        let name = card.map_or(key.clone(), |c| format!("{key}#{c}"));
                        warnings.push(format!(
                            "the review state of {name} ({id}) held a number that is not finite; \
                             that card starts review afresh"
                        ));
                    }
                }
            }
        }
        warnings
    }

    pub fn roadmap(&self, id: &str) -> Option<&RoadmapProgress> {
        self.roadmaps.get(id)
    }

    /// A roadmap's progress, or an empty one for a roadmap never used: to read, without a copy.
    pub fn roadmap_or_empty(&self, id: &str) -> &RoadmapProgress {
        static EMPTY: std::sync::OnceLock<RoadmapProgress> = std::sync::OnceLock::new();
        self.roadmap(id)
            .unwrap_or_else(|| EMPTY.get_or_init(RoadmapProgress::default))
    }

    pub fn roadmap_mut(&mut self, id: &str) -> &mut RoadmapProgress {
        self.roadmaps.entry(id.to_string()).or_default()
    }

    /// Counts for a whole roadmap.
    pub fn counts(&self, roadmap: &Roadmap) -> Counts {
        let empty = RoadmapProgress::default();
        let rp = self.roadmap(&roadmap.id).unwrap_or(&empty);
        roadmap
            .steps
            .iter()
            .map(|s| rp.step_counts(s))
            .fold(Counts::default(), Counts::plus)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(crate) fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("valid timestamp")
    }

    #[test]
    fn every_change_is_logged_and_old_history_is_compacted() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("s/a", Status::Done, at(100));
        rp.set_note("s/a", "x", at(200));
        rp.set_note("s/a", "x", at(300));
        assert_eq!(
            rp.history,
            vec![
                Event::status(at(100), "s/a", Status::Todo, Status::Done),
                Event::note(at(200), "s/a", None),
            ],
            "a change that changes nothing is not logged"
        );
        let later = at(100) + history::KEEP + jiff::SignedDuration::from_hours(48);
        rp.set_status("s/a", Status::Todo, later);
        assert_eq!(
            rp.history.len(),
            3,
            "compaction waits for a newer event in the log"
        );
        rp.set_status("s/a", Status::Done, later);
        assert_eq!(rp.history.len(), 2, "only the recent changes stay events");
        assert_eq!(
            rp.daily.get("1970-01-01"),
            Some(&DayTotals {
                changes: 2,
                done: 1
            })
        );
    }

    #[test]
    fn a_moved_task_takes_over_the_progress_of_its_former_key() {
        let roadmap = Roadmap::parse(
            "id: r\ntitle: R\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - {id: new, title: N, formerly: [old/t]}\n      - {id: kept, title: K, formerly: [old/u]}\n",
            "r.yaml",
        )
        .expect("valid");
        let mut rp = RoadmapProgress::default();
        rp.set_status("old/t", Status::Done, at(10));
        rp.set_note("old/t", "learnt it", at(11));
        rp.set_status("old/u", Status::Done, at(10));
        rp.set_status("s/kept", Status::InProgress, at(12));
        assert!(rp.adopt_former_keys(&roadmap));
        assert_eq!(rp.status("s/new"), Status::Done);
        assert_eq!(rp.note("s/new"), Some("learnt it"));
        assert_eq!(
            rp.status("s/kept"),
            Status::InProgress,
            "progress under the new key wins"
        );
        assert!(rp.item("old/t").is_some(), "the old item stays, for merges");
        assert!(!rp.adopt_former_keys(&roadmap), "once only");
    }
}
