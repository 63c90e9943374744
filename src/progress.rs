//! What the learner did: statuses, dates and notes, keyed by roadmap id and item id.
//! Pure data and its operations; reading and writing the file lives in `store`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::roadmap::{Roadmap, Step, task_key};

/// The schema version written into every progress file. A file with a larger number was written
/// by a newer pathway and is refused rather than rewritten without the fields it may carry.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    pub version: u32,
    /// Every roadmap the learner has used, not only the current one: switching roadmaps must not
    /// drop the progress of another.
    #[serde(default)]
    pub roadmaps: BTreeMap<String, RoadmapProgress>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            version: VERSION,
            roadmaps: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadmapProgress {
    /// When the learner first changed anything in this roadmap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    /// Keyed by `step/task` (tasks) or `step` (steps). Items whose ids left the roadmap stay here.
    #[serde(default)]
    pub items: BTreeMap<String, Item>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Timestamp>,
    /// The last time this item changed; kept so two copies of a progress file can be merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Todo,
    InProgress,
    Done,
    Skipped,
}

impl Status {
    pub fn checkbox(self) -> &'static str {
        match self {
            Status::Todo => "[ ]",
            Status::InProgress => "[~]",
            Status::Done => "[x]",
            Status::Skipped => "[-]",
        }
    }
}

impl RoadmapProgress {
    pub fn status(&self, key: &str) -> Status {
        self.items.get(key).map(|i| i.status).unwrap_or_default()
    }

    pub fn item(&self, key: &str) -> Option<&Item> {
        self.items.get(key)
    }

    /// Sets one item's status. Returns whether anything changed, so callers save only then.
    pub fn set_status(&mut self, key: &str, status: Status, now: Timestamp) -> bool {
        if self.status(key) == status {
            return false;
        }
        let item = self.items.entry(key.to_string()).or_default();
        item.completed = (status == Status::Done).then_some(now);
        item.status = status;
        item.updated = Some(now);
        self.started.get_or_insert(now);
        true
    }

    /// Done and total task counts of one step.
    pub fn step_counts(&self, step: &Step) -> Counts {
        let done = step
            .tasks
            .iter()
            .filter(|t| self.status(&task_key(step, t)) == Status::Done)
            .count();
        Counts {
            done,
            total: step.tasks.len(),
        }
    }

    /// When the last task of a step was completed, if all of them are done.
    pub fn step_completed(&self, step: &Step) -> Option<Timestamp> {
        if step.tasks.is_empty() {
            return None;
        }
        step.tasks
            .iter()
            .try_fold(None, |latest: Option<Timestamp>, t| {
                let item = self.item(&task_key(step, t))?;
                if item.status != Status::Done {
                    return None;
                }
                Some(latest.max(item.completed))
            })?
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub done: usize,
    pub total: usize,
}

impl Counts {
    /// 0.0..=1.0; an empty set counts as nothing done rather than dividing by zero.
    pub fn ratio(self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.done.min(self.total) as f64) / (self.total as f64)
        }
    }

    pub fn percent(self) -> usize {
        (self.ratio() * 100.0).floor() as usize
    }

    pub fn all_done(self) -> bool {
        self.total > 0 && self.done >= self.total
    }
}

impl Progress {
    pub fn roadmap(&self, id: &str) -> Option<&RoadmapProgress> {
        self.roadmaps.get(id)
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
            .fold(Counts::default(), |a, c| Counts {
                done: a.done + c.done,
                total: a.total + c.total,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("valid timestamp")
    }

    #[test]
    fn marking_done_records_completion_and_start() {
        let mut rp = RoadmapProgress::default();
        assert!(rp.set_status("s/a", Status::Done, at(100)));
        assert_eq!(rp.item("s/a").and_then(|i| i.completed), Some(at(100)));
        assert_eq!(rp.started, Some(at(100)));
        assert!(rp.set_status("s/a", Status::Todo, at(200)));
        let item = rp.item("s/a").expect("kept for merging");
        assert_eq!(
            (item.status, item.completed, item.updated),
            (Status::Todo, None, Some(at(200)))
        );
        assert_eq!(
            rp.started,
            Some(at(100)),
            "start date stays the first change"
        );
    }

    #[test]
    fn setting_the_same_status_is_no_change() {
        let mut rp = RoadmapProgress::default();
        assert!(!rp.set_status("s/a", Status::Todo, at(1)));
        assert!(rp.items.is_empty());
        assert_eq!(rp.started, None);
    }

    #[test]
    fn empty_counts_do_not_divide_by_zero() {
        let c = Counts { done: 0, total: 0 };
        assert_eq!((c.ratio(), c.percent(), c.all_done()), (0.0, 0, false));
        let c = Counts { done: 1, total: 3 };
        assert_eq!(c.percent(), 33);
    }
}
