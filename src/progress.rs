//! What the learner did: statuses, dates and notes, keyed by roadmap id and item id.
//! Pure data and its operations; reading and writing the file lives in `store`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::history::{self, DayTotals, Event};
use crate::roadmap::{Roadmap, Step, task_key};
pub use crate::status::Status;

/// The schema version written into every progress file. A file with a larger number was written
/// by a newer pathway and is refused rather than rewritten without the fields it may carry.
/// Version 2 added each task's review state; version 1 files read as they are.
pub const VERSION: u32 = 2;

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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[serde(default)]
    pub status: Status,
    /// The first time the item left "todo": when the learner started on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Timestamp>,
    /// The last time this item changed; kept so two copies of a progress file can be merged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
    /// Where the task stands in spaced review, once it has been reviewed or taken out of review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewState>,
    /// The learner's own note; never empty (an empty note is removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A done task's place in spaced review: the scheduler's memory of it. One line in the file:
/// `due=… stability=… difficulty=… reviews=… lapses=… phase=… last=…`, and ` off` when the
/// learner took the task out of review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReviewState {
    pub due: Timestamp,
    /// Days until recall drops to 90%.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    pub reviews: u32,
    /// Times it was forgotten ("again") after it had been learned.
    pub lapses: u32,
    pub phase: ReviewPhase,
    pub last: Option<Timestamp>,
    /// Taken out of review by the learner: never due until put back.
    pub off: bool,
}

impl Eq for ReviewState {}

/// The scheduler's phase of a task in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewPhase {
    New,
    Learning,
    Review,
    Relearning,
}

impl ReviewPhase {
    const ALL: [ReviewPhase; 4] = [
        ReviewPhase::New,
        ReviewPhase::Learning,
        ReviewPhase::Review,
        ReviewPhase::Relearning,
    ];

    pub fn word(self) -> &'static str {
        match self {
            ReviewPhase::New => "new",
            ReviewPhase::Learning => "learning",
            ReviewPhase::Review => "review",
            ReviewPhase::Relearning => "relearning",
        }
    }
}

impl std::fmt::Display for ReviewState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "due={} stability={} difficulty={} reviews={} lapses={} phase={} last={}",
            self.due,
            self.stability,
            self.difficulty,
            self.reviews,
            self.lapses,
            self.phase.word(),
            self.last.map_or("-".to_string(), |t| t.to_string())
        )?;
        if self.off {
            f.write_str(" off")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for ReviewState {
    type Err = String;

    fn from_str(s: &str) -> Result<ReviewState, String> {
        let bad = || format!("not a review state: {s:?}");
        let mut words = s.split(' ');
        let mut field = |name: &str| -> Result<&str, String> {
            words
                .next()
                .and_then(|w| w.strip_prefix(name))
                .and_then(|w| w.strip_prefix('='))
                .ok_or_else(bad)
        };
        let number = |text: &str| -> Result<f64, String> {
            text.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(bad)
        };
        let due = field("due")?.parse().map_err(|_| bad())?;
        let stability = number(field("stability")?)?;
        let difficulty = number(field("difficulty")?)?;
        let reviews = field("reviews")?.parse().map_err(|_| bad())?;
        let lapses = field("lapses")?.parse().map_err(|_| bad())?;
        let phase = field("phase")?;
        let phase = ReviewPhase::ALL
            .into_iter()
            .find(|p| p.word() == phase)
            .ok_or_else(bad)?;
        let last = match field("last")? {
            "-" => None,
            t => Some(t.parse().map_err(|_| bad())?),
        };
        let off = match words.next() {
            None => false,
            Some("off") if words.next().is_none() => true,
            Some(_) => return Err(bad()),
        };
        Ok(ReviewState {
            due,
            stability,
            difficulty,
            reviews,
            lapses,
            phase,
            last,
            off,
        })
    }
}

impl TryFrom<String> for ReviewState {
    type Error = String;
    fn try_from(s: String) -> Result<ReviewState, String> {
        s.parse()
    }
}

impl From<ReviewState> for String {
    fn from(r: ReviewState) -> String {
        r.to_string()
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
        let from = item.status;
        item.completed = (status == Status::Done).then_some(now);
        // Skipping a task is not starting on it.
        if matches!(status, Status::InProgress | Status::Done) {
            item.started.get_or_insert(now);
        }
        if from == Status::Done {
            // Unticked: what is not learned is not reviewed; ticked again, it starts afresh.
            item.review = None;
        }
        item.status = status;
        item.updated = Some(change_time(item.updated, now));
        self.started.get_or_insert(now);
        self.log(Event::status(now, key, from, status));
        true
    }

    /// Appends to the change log, compacting what is more than a year old.
    pub fn log(&mut self, event: Event) {
        let now = event.at;
        self.history.push(event);
        if self
            .history
            .first()
            .is_some_and(|e| e.at < now - history::KEEP)
        {
            history::compact(&mut self.history, &mut self.daily, now);
        }
    }

    pub fn note(&self, key: &str) -> Option<&str> {
        self.items.get(key).and_then(|i| i.note.as_deref())
    }

    /// Sets an item's note; text that is empty or only white space removes it. Returns whether
    /// anything changed.
    pub fn set_note(&mut self, key: &str, text: &str, now: Timestamp) -> bool {
        let note = (!text.trim().is_empty()).then(|| text.trim_end().to_string());
        if self.note(key) == note.as_deref() {
            return false;
        }
        let item = self.items.entry(key.to_string()).or_default();
        let replaced = std::mem::replace(&mut item.note, note);
        item.updated = Some(change_time(item.updated, now));
        self.started.get_or_insert(now);
        self.log(Event::note(now, key, replaced.as_deref()));
        true
    }

    /// A step's counts and dates, in one pass over its tasks.
    pub fn step_summary(&self, step: &Step) -> StepSummary {
        let mut summary = StepSummary::default();
        let mut last_completed = None;
        for task in &step.tasks {
            let item = self.items.get(&task_key(step, task));
            let status = item.map(|i| i.status).unwrap_or_default();
            summary.counts.add(status);
            let hours = task.hours.unwrap_or(0.0);
            match status {
                Status::Done => summary.hours_done += hours,
                Status::Todo | Status::InProgress => summary.hours_left += hours,
                Status::Skipped => {}
            }
            if let Some(item) = item {
                summary.started = earliest(summary.started, item.started);
                last_completed = last_completed.max(item.completed);
            }
        }
        if summary.counts.status() == Status::Done {
            summary.completed = last_completed;
        }
        summary
    }

    /// The one rule for changing all tasks of a step at once, for the TUI and the command line
    /// alike: which tasks change, and to what. Marking a step done or skipped leaves alone the
    /// tasks already settled (a skipped task stays skipped when the step is marked done, a done
    /// one stays done when it is skipped); reopening it (todo) reopens every task; clearing a
    /// status puts only the tasks that have it back to todo.
    pub fn step_updates(&self, step: &Step, change: StepChange) -> Vec<(String, Status)> {
        step.tasks
            .iter()
            .map(|task| task_key(step, task))
            .filter_map(|key| {
                let status = self.status(&key);
                let next = match change {
                    StepChange::Set(Status::Todo) if status != Status::Todo => Status::Todo,
                    StepChange::Set(target)
                        if target != Status::Todo
                            && !matches!(status, Status::Done | Status::Skipped) =>
                    {
                        target
                    }
                    StepChange::Clear(target) if status == target => Status::Todo,
                    _ => return None,
                };
                (next != status).then_some((key, next))
            })
            .collect()
    }

    /// Clears this roadmap's progress for good: everything changed until `now` is dropped here
    /// and, through the reset time, from any other copy it is merged with.
    pub fn reset(&mut self, now: Timestamp) {
        *self = RoadmapProgress {
            reset: Some(change_time(self.reset, now)),
            ..RoadmapProgress::default()
        };
    }

    /// Drops whatever is not newer than the last reset; returns whether anything went.
    fn forget_before_reset(&mut self) -> bool {
        let Some(reset) = self.reset else {
            return false;
        };
        let before = (
            self.items.len(),
            self.history.len(),
            self.daily.len(),
            self.started,
        );
        self.items
            .retain(|_, i| i.updated.is_some_and(|u| u > reset));
        self.history.retain(|e| e.at > reset);
        let reset_day = history::day(reset);
        self.daily.retain(|day, _| *day > reset_day);
        if self.started.is_some_and(|s| s <= reset) {
            self.started = None;
        }
        before
            != (
                self.items.len(),
                self.history.len(),
                self.daily.len(),
                self.started,
            )
    }

    /// Task counts of one step by status.
    pub fn step_counts(&self, step: &Step) -> Counts {
        self.step_summary(step).counts
    }
}

/// A change to a whole step: see `RoadmapProgress::step_updates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepChange {
    /// Give every open task this status.
    Set(Status),
    /// Put the tasks with this status back to todo.
    Clear(Status),
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

/// What a step's tasks add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StepSummary {
    pub counts: Counts,
    /// Estimated hours of the tasks done, and of those still to do (skipped ones count in neither).
    pub hours_done: f64,
    pub hours_left: f64,
    /// The first time any task left "todo".
    pub started: Option<Timestamp>,
    /// When the last task was completed, if the step is done.
    pub completed: Option<Timestamp>,
}

/// Tasks by status. Skipped tasks do not count against the percentage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub done: usize,
    pub in_progress: usize,
    pub skipped: usize,
    pub total: usize,
}

impl Counts {
    pub fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Done => self.done += 1,
            Status::InProgress => self.in_progress += 1,
            Status::Skipped => self.skipped += 1,
            Status::Todo => {}
        }
    }

    pub fn plus(self, other: Counts) -> Counts {
        Counts {
            done: self.done + other.done,
            in_progress: self.in_progress + other.in_progress,
            skipped: self.skipped + other.skipped,
            total: self.total + other.total,
        }
    }

    /// "2/37": tasks done of those that count. Every count pathway shows has this one form,
    /// with skipped tasks named apart where there is room.
    pub fn fraction(self) -> String {
        format!("{}/{}", self.done, self.counted())
    }

    /// Tasks that count: all but the skipped ones.
    pub fn counted(self) -> usize {
        self.total.saturating_sub(self.skipped)
    }

    /// 0.0..=1.0 of the counted tasks; nothing to count is nothing done, not a division by zero.
    pub fn ratio(self) -> f64 {
        match self.counted() {
            0 => 0.0,
            n => (self.done.min(n) as f64) / (n as f64),
        }
    }

    pub fn percent(self) -> usize {
        (self.ratio() * 100.0).floor() as usize
    }

    /// Every task that counts is done (and there is at least one).
    pub fn all_done(self) -> bool {
        self.done > 0 && self.done >= self.counted()
    }

    /// The status of a group of tasks: done when every task not skipped is done, skipped when all
    /// are skipped, in progress once any is started or done, else todo.
    pub fn status(self) -> Status {
        if self.all_done() {
            Status::Done
        } else if self.total > 0 && self.skipped == self.total {
            Status::Skipped
        } else if self.done + self.in_progress > 0 {
            Status::InProgress
        } else {
            Status::Todo
        }
    }
}

impl Progress {
    /// Merges another copy of the progress (the file as another process left it) into this one,
    /// item by item: the later change wins, and on a tie this copy's. Items only one side has are
    /// kept, so two processes changing different items both keep their changes.
    /// Returns whether anything of theirs came in.
    pub fn merge_from(&mut self, other: &Progress) -> bool {
        let mut changed = false;
        for (id, theirs) in &other.roadmaps {
            let ours = self.roadmap_mut(id);
            let reset = ours.reset.max(theirs.reset);
            let after_reset =
                |at: Option<Timestamp>| reset.is_none_or(|r| at.is_some_and(|at| at > r));
            let started = earliest(
                ours.started,
                theirs.started.filter(|s| after_reset(Some(*s))),
            );
            changed |= started != ours.started;
            ours.started = started;
            for (key, item) in &theirs.items {
                if !after_reset(item.updated) {
                    continue;
                }
                match ours.items.get(key) {
                    Some(mine) if mine.updated >= item.updated => {}
                    _ => {
                        ours.items.insert(key.clone(), item.clone());
                        changed = true;
                    }
                }
            }
            changed |= history::merge(
                &mut ours.history,
                &mut ours.daily,
                &theirs.history,
                &theirs.daily,
            );
            if reset != ours.reset {
                ours.reset = reset;
                changed = true;
            }
            changed |= ours.forget_before_reset();
        }
        changed
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
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("valid timestamp")
    }

    #[test]
    fn merging_keeps_the_later_change_of_each_item() {
        let mut disk = Progress::default();
        disk.roadmap_mut("r")
            .set_status("s/a", Status::Done, at(20));
        disk.roadmap_mut("r").set_status("s/b", Status::Done, at(5));
        disk.roadmap_mut("other")
            .set_status("x/y", Status::Done, at(1));
        let mut ours = Progress::default();
        ours.roadmap_mut("r")
            .set_status("s/a", Status::InProgress, at(10));
        ours.roadmap_mut("r")
            .set_status("s/b", Status::Skipped, at(30));
        ours.roadmap_mut("r").set_status("s/c", Status::Done, at(3));
        ours.merge_from(&disk);
        let r = ours.roadmap("r").expect("r");
        assert_eq!(r.status("s/a"), Status::Done, "theirs is newer");
        assert_eq!(r.status("s/b"), Status::Skipped, "ours is newer");
        assert_eq!(r.status("s/c"), Status::Done, "only ours has it");
        assert_eq!(r.started, Some(at(10)), "the earlier of the two starts");
        assert_eq!(
            ours.roadmap("other").map(|o| o.status("x/y")),
            Some(Status::Done)
        );
    }

    #[test]
    fn a_change_always_supersedes_the_state_it_replaced_despite_clock_skew() {
        let mut disk = Progress::default();
        // Another machine's clock ran ahead: its change carries a time in our future.
        disk.roadmap_mut("r")
            .set_status("s/a", Status::Done, at(1_000));
        let mut ours = disk.clone();
        assert!(
            ours.roadmap_mut("r")
                .set_status("s/a", Status::Todo, at(10))
        );
        let updated = ours
            .roadmap("r")
            .and_then(|r| r.item("s/a"))
            .and_then(|i| i.updated);
        assert!(updated > Some(at(1_000)), "{updated:?}");
        disk.merge_from(&ours);
        assert_eq!(
            disk.roadmap("r").map(|r| r.status("s/a")),
            Some(Status::Todo)
        );
    }

    #[test]
    fn a_reset_is_a_fact_that_merging_respects() {
        let mut open_tui = Progress::default();
        open_tui
            .roadmap_mut("r")
            .set_status("s/a", Status::Done, at(10));
        open_tui.roadmap_mut("r").set_note("s/b", "kept?", at(11));
        let mut disk = open_tui.clone();
        disk.roadmap_mut("r").reset(at(20));
        disk.roadmap_mut("other")
            .set_status("x/y", Status::Done, at(5));
        // The open TUI merges the reset file in: its old progress goes.
        open_tui.merge_from(&disk);
        let r = open_tui.roadmap("r").expect("r");
        assert!(r.items.is_empty(), "{r:?}");
        assert!(r.history.is_empty());
        assert_eq!(r.started, None);
        // A change made after the reset stays, on both sides of any merge.
        open_tui
            .roadmap_mut("r")
            .set_status("s/c", Status::Done, at(30));
        disk.merge_from(&open_tui);
        let r = disk.roadmap("r").expect("r");
        assert_eq!(r.status("s/c"), Status::Done);
        assert_eq!(r.status("s/a"), Status::Todo);
        assert_eq!(
            disk.roadmap("other").map(|o| o.status("x/y")),
            Some(Status::Done)
        );
    }

    #[test]
    fn on_a_tie_our_change_wins() {
        let mut disk = Progress::default();
        disk.roadmap_mut("r")
            .set_status("s/a", Status::Done, at(10));
        let mut ours = Progress::default();
        ours.roadmap_mut("r")
            .set_status("s/a", Status::Skipped, at(10));
        ours.merge_from(&disk);
        assert_eq!(
            ours.roadmap("r").map(|r| r.status("s/a")),
            Some(Status::Skipped)
        );
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
        assert_eq!(rp.history.len(), 1, "only the recent change stays an event");
        assert_eq!(
            rp.daily.get("1970-01-01"),
            Some(&DayTotals {
                changes: 2,
                done: 1
            })
        );
    }

    #[test]
    fn status_words_are_the_ones_serde_writes() {
        for status in [
            Status::Todo,
            Status::InProgress,
            Status::Done,
            Status::Skipped,
        ] {
            let serde_word = serde_yaml::to_string(&status).expect("serializes");
            assert_eq!(serde_word.trim(), status.word());
            assert_eq!(Status::from_word(status.word()), Some(status));
        }
        assert_eq!(Status::from_word("finished"), None);
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
    fn skipping_an_untouched_task_records_no_start() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("s/a", Status::Skipped, at(10));
        assert_eq!(rp.item("s/a").and_then(|i| i.started), None);
        rp.set_status("s/a", Status::InProgress, at(20));
        assert_eq!(rp.item("s/a").and_then(|i| i.started), Some(at(20)));
    }

    #[test]
    fn setting_the_same_status_is_no_change() {
        let mut rp = RoadmapProgress::default();
        assert!(!rp.set_status("s/a", Status::Todo, at(1)));
        assert!(rp.items.is_empty());
        assert_eq!(rp.started, None);
    }

    fn counts(statuses: &[Status]) -> Counts {
        let mut c = Counts::default();
        statuses.iter().for_each(|s| c.add(*s));
        c
    }

    #[test]
    fn empty_counts_do_not_divide_by_zero() {
        let c = Counts::default();
        assert_eq!(
            (c.ratio(), c.percent(), c.all_done(), c.status()),
            (0.0, 0, false, Status::Todo)
        );
        let c = counts(&[Status::Skipped, Status::Skipped]);
        assert_eq!((c.ratio(), c.status()), (0.0, Status::Skipped));
    }

    #[test]
    fn skipped_tasks_do_not_count_against_the_percentage() {
        use Status::*;
        let c = counts(&[Done, Todo, Skipped, InProgress]);
        assert_eq!((c.done, c.in_progress, c.skipped, c.total), (1, 1, 1, 4));
        assert_eq!(c.percent(), 33);
        let c = counts(&[Done, Skipped]);
        assert_eq!((c.percent(), c.status()), (100, Done));
    }

    #[test]
    fn step_status_is_derived_from_its_tasks() {
        use Status::*;
        assert_eq!(counts(&[Todo, Todo]).status(), Todo);
        assert_eq!(counts(&[InProgress, Todo]).status(), InProgress);
        assert_eq!(counts(&[Done, Todo]).status(), InProgress);
        assert_eq!(counts(&[Done, Done]).status(), Done);
        assert_eq!(counts(&[Skipped, Skipped]).status(), Skipped);
    }

    #[test]
    fn started_is_the_first_time_an_item_leaves_todo() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("s/a", Status::InProgress, at(10));
        rp.set_status("s/a", Status::Done, at(20));
        let item = rp.item("s/a").expect("item");
        assert_eq!((item.started, item.completed), (Some(at(10)), Some(at(20))));
    }

    #[test]
    fn notes_are_set_trimmed_at_the_end_and_removed_when_empty() {
        let mut rp = RoadmapProgress::default();
        assert!(rp.set_note("s", "Practise joins ✎\nthen indexes\n\n", at(1)));
        assert_eq!(rp.note("s"), Some("Practise joins ✎\nthen indexes"));
        assert!(
            !rp.set_note("s", "Practise joins ✎\nthen indexes", at(2)),
            "same text, no change"
        );
        assert!(rp.set_note("s", "  \n ", at(3)));
        assert_eq!(rp.note("s"), None);
        assert_eq!(rp.item("s").and_then(|i| i.updated), Some(at(3)));
    }
}
