//! What the learner did: statuses, dates and notes, keyed by roadmap id and item id.
//! Pure data and its operations; reading and writing the file lives in `store`.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::core::history::{self, DayTotals, Event};
use crate::core::roadmap::{Roadmap, Step, task_key};
pub use crate::core::status::Status;

/// The schema version written into every progress file. A file with a larger number was written
/// by a newer pathway and is refused rather than rewritten without the fields it may carry.
/// Version 2 added each task's review state. Version 3 gave each part of an item (status, note,
/// each card's review state, the check result) its own change time, so merges go part by part.
/// Files of every earlier version read as they are.
pub const VERSION: u32 = 3;

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

/// What the learner did with one task (or step), in parts that change independently: its
/// status (with the dates that go with it), its note, its review state (one per card) and the
/// result of its last check. Each part carries its own change time, so two copies that changed
/// different parts of one task both keep their change when they are merged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[serde(default)]
    pub status: Status,
    /// The first time the item left "todo": when the learner started on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    /// When the task was last ticked done; unticking keeps it, so ticking again resumes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Timestamp>,
    /// When the status last changed. In files before version 3 it is when anything about the
    /// item changed, and it stands for the time of every part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
    /// The result of the task's last check, with its own time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<Checked>,
    /// Version 2's review state of the whole task: since version 3 it is the state of the
    /// task's first card, until that card is reviewed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewState>,
    /// Each card's place in spaced review, by card id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cards: BTreeMap<String, ReviewState>,
    /// When the note was last written or removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noted: Option<Timestamp>,
    /// The learner's own note; never empty (an empty note is removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Item {
    /// When the note part last changed. A note from before version 3 changed when the item did.
    pub fn note_at(&self) -> Option<Timestamp> {
        self.noted.or_else(|| self.note.as_ref().and(self.updated))
    }

    /// When a review state last changed. One from before version 3 changed when the item did.
    pub fn review_at(&self, state: &ReviewState) -> Option<Timestamp> {
        state.changed.or(self.updated)
    }

    /// The latest change to any part.
    pub fn last_change(&self) -> Option<Timestamp> {
        let cards = self.cards.values().chain(&self.review);
        [
            self.updated,
            self.note_at(),
            self.checked.as_ref().map(|c| c.at),
        ]
        .into_iter()
        .chain(cards.map(|s| self.review_at(s)))
        .max()
        .flatten()
    }

    /// Nothing recorded in any part, not even the time a part was cleared.
    pub fn is_blank(&self) -> bool {
        *self == Item::default()
    }

    /// The status part: the status and the dates that change with it.
    pub fn status_part(
        &self,
    ) -> (
        Option<Timestamp>,
        Status,
        Option<Timestamp>,
        Option<Timestamp>,
    ) {
        (self.updated, self.status, self.started, self.completed)
    }

    fn set_status_part(&mut self, from: &Item) {
        self.updated = from.updated;
        self.status = from.status;
        self.started = from.started;
        self.completed = from.completed;
    }

    pub fn note_part(&self) -> (Option<Timestamp>, Option<&String>) {
        (self.note_at(), self.note.as_ref())
    }

    /// Writes the part times a file before version 3 left implicit, so that taking one part of
    /// the item from another copy cannot move the time of the others.
    /// A part with no time at all (a hand-written file) is as old as can be, once and for all:
    /// it must not take the time of a status change merged in later.
    fn settle(&mut self) {
        let updated = self.updated.unwrap_or(Timestamp::UNIX_EPOCH);
        if self.note.is_some() && self.noted.is_none() {
            self.noted = Some(updated);
        }
        for state in self.cards.values_mut().chain(self.review.as_mut()) {
            if state.changed.is_none() {
                state.changed = Some(updated);
            }
        }
    }
}

/// The result of a task's last check: when it ran, whether it passed, and for a failure, what
/// failed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Checked {
    pub at: Timestamp,
    pub passed: bool,
    /// Which probe failed and how, in a few words.
    pub failed: Option<String>,
}

/// `at=… passed`, or `at=… failed "what failed"`: one line in the file.
impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at={} ", self.at)?;
        match (&self.failed, self.passed) {
            (_, true) => f.write_str("passed"),
            (None, false) => f.write_str("failed"),
            (Some(what), false) => write!(
                f,
                "failed {}",
                serde_json::to_string(what).unwrap_or_default()
            ),
        }
    }
}

impl std::str::FromStr for Checked {
    type Err = String;
    fn from_str(s: &str) -> Result<Checked, String> {
        let bad = || format!("not a check result: {s:?}");
        let (at, rest) = s
            .strip_prefix("at=")
            .and_then(|r| r.split_once(' '))
            .ok_or_else(bad)?;
        let at = at.parse().map_err(|_| bad())?;
        let (passed, failed) = match rest {
            "passed" => (true, None),
            "failed" => (false, None),
            _ => {
                let what = rest.strip_prefix("failed ").ok_or_else(bad)?;
                (false, Some(serde_json::from_str(what).map_err(|_| bad())?))
            }
        };
        Ok(Checked { at, passed, failed })
    }
}

impl TryFrom<String> for Checked {
    type Error = String;
    fn try_from(s: String) -> Result<Checked, String> {
        s.parse()
    }
}

impl From<Checked> for String {
    fn from(c: Checked) -> String {
        c.to_string()
    }
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
    /// When this state last changed (`None` in files before version 3: the item's change time).
    pub changed: Option<Timestamp>,
    /// Taken out of review by the learner: never due until put back.
    pub off: bool,
}

impl Eq for ReviewState {}

impl ReviewState {
    /// A card never reviewed, due at `due`.
    pub fn new_card(due: Timestamp) -> ReviewState {
        ReviewState {
            due,
            stability: 0.0,
            difficulty: 0.0,
            reviews: 0,
            lapses: 0,
            phase: ReviewPhase::New,
            last: None,
            changed: None,
            off: false,
        }
    }

    /// The scheduler's valid stability, in days, for a card that has been reviewed.
    pub const STABILITY: std::ops::RangeInclusive<f64> = 0.01..=36_500.0;
    /// The scheduler's valid difficulty.
    pub const DIFFICULTY: std::ops::RangeInclusive<f64> = 1.0..=10.0;

    /// Brings a state read from a file (or computed from one) into the scheduler's valid ranges.
    /// A number that is not finite cannot be brought back: the card's memory starts afresh, as a
    /// new card due when it was, and `false` says so. Counts and dates are kept.
    pub fn repair(&mut self) -> bool {
        if !self.stability.is_finite() || !self.difficulty.is_finite() {
            self.stability = 0.0;
            self.difficulty = 0.0;
            self.phase = ReviewPhase::New;
            self.last = None;
            return false;
        }
        if self.phase != ReviewPhase::New {
            self.stability = self
                .stability
                .clamp(*Self::STABILITY.start(), *Self::STABILITY.end());
            self.difficulty = self
                .difficulty
                .clamp(*Self::DIFFICULTY.start(), *Self::DIFFICULTY.end());
        }
        true
    }
}

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
        if let Some(at) = self.changed {
            write!(f, " changed={at}")?;
        }
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
        // Not-a-number and infinities parse here and are repaired by `ReviewState::repair`, so
        // that one damaged state costs that card its schedule, not the whole file.
        let number = |text: &str| -> Result<f64, String> { text.parse::<f64>().map_err(|_| bad()) };
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
        let mut next = words.next();
        let changed = match next.and_then(|w| w.strip_prefix("changed=")) {
            Some(at) => {
                next = words.next();
                Some(at.parse().map_err(|_| bad())?)
            }
            None => None,
        };
        let off = match next {
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
            changed,
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

    /// Sets one item's status. Returns whether anything changed, so callers save only then.
    /// Only the status part changes: the note, the review state and the check result stay as
    /// they are, so unticking a task by mistake and ticking it again loses nothing.
    pub fn set_status(&mut self, key: &str, status: Status, now: Timestamp) -> bool {
        if self.status(key) == status {
            return false;
        }
        let at = self.stamp(self.items.get(key).and_then(|i| i.updated), now);
        let item = self.items.entry(key.to_string()).or_default();
        let from = item.status;
        if status == Status::Done {
            // Ticked again after an untick: the first completion stands.
            item.completed.get_or_insert(at);
        }
        // Skipping a task is not starting on it.
        if matches!(status, Status::InProgress | Status::Done) {
            item.started.get_or_insert(at);
        }
        item.status = status;
        item.updated = Some(at);
        self.started.get_or_insert(at);
        self.log(Event::status(at, key, from, status));
        true
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

    pub fn note(&self, key: &str) -> Option<&str> {
        self.items.get(key).and_then(|i| i.note.as_deref())
    }

    /// Sets an item's note; text that is empty or only white space removes it. Returns whether
    /// anything changed. Only the note part changes.
    pub fn set_note(&mut self, key: &str, text: &str, now: Timestamp) -> bool {
        let note = (!text.trim().is_empty()).then(|| text.trim_end().to_string());
        if self.note(key) == note.as_deref() {
            return false;
        }
        let at = self.stamp(self.items.get(key).and_then(Item::note_at), now);
        let item = self.items.entry(key.to_string()).or_default();
        let replaced = std::mem::replace(&mut item.note, note);
        item.noted = Some(at);
        self.started.get_or_insert(at);
        self.log(Event::note(at, key, replaced.as_deref()));
        true
    }

    /// A step's counts and dates, in one pass over its tasks.
    pub fn step_summary(&self, step: &Step) -> StepSummary {
        let mut summary = StepSummary::default();
        let mut last_completed = None;
        // The step's items, found once by their common prefix and in key order, so each task's
        // is looked up among them rather than in every item of the roadmap (a 100,000-task
        // roadmap's progress made those lookups a sixth of a status).
        let prefix = format!("{}/", step.id);
        let items: Vec<(&str, &Item)> = self
            .items
            .range(prefix.clone()..)
            .take_while(|(key, _)| key.starts_with(&prefix))
            .map(|(key, item)| (&key[prefix.len()..], item))
            .collect();
        for task in &step.tasks {
            let item = items
                .binary_search_by(|(id, _)| (*id).cmp(&*task.id))
                .ok()
                .and_then(|i| items.get(i))
                .map(|(_, item)| *item);
            let status = item.map(|i| i.status).unwrap_or_default();
            summary.counts.add_task(task, status);
            if status == Status::Done
                && item.is_some_and(|i| i.checked.as_ref().is_some_and(|c| c.passed))
            {
                summary.verified += 1;
            }
            let hours = task.hours.unwrap_or(0.0);
            match status {
                Status::Done => summary.hours_done += hours,
                _ if task.counts_with(status) => summary.hours_left += hours,
                _ => {}
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
    /// status puts only the tasks that have it back to todo. Stretch tasks not started are left
    /// waiting when a step is marked done or started: the step is done without them, and
    /// starting them is the learner's choice, task by task.
    pub fn step_updates(&self, step: &Step, change: StepChange) -> Vec<(String, Status)> {
        step.tasks
            .iter()
            .map(|task| (task, task_key(step, task)))
            .filter_map(|(task, key)| {
                let status = self.status(&key);
                let next = match change {
                    StepChange::Set(Status::Todo) if status != Status::Todo => Status::Todo,
                    StepChange::Set(Status::Done | Status::InProgress)
                        if task.is_stretch() && status == Status::Todo =>
                    {
                        return None;
                    }
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

    /// Clears this roadmap's progress for good: everything it holds is dropped here and,
    /// through the reset time, from any other copy it is merged with. The reset is stamped with
    /// the latest change it cleared, not with the clock: a clock running ahead must not make the
    /// reset swallow changes made after it on another machine, and changes it never saw (made
    /// elsewhere at the same time) survive it.
    pub fn reset(&mut self, now: Timestamp) {
        let latest = self
            .items
            .values()
            .filter_map(Item::last_change)
            .chain(self.history.iter().map(|e| e.at))
            .chain(self.started)
            .max();
        let at = latest.unwrap_or(now);
        *self = RoadmapProgress {
            reset: Some(self.reset.map_or(at, |r| r.max(at))),
            ..RoadmapProgress::default()
        };
    }

    /// Drops every part not newer than the last reset; returns whether anything went.
    /// Whether anything here is from before `reset` (which `forget_before_reset` would clear):
    /// history, daily totals, or a start.
    fn holds_before_reset(&self, reset: Option<Timestamp>) -> bool {
        let Some(reset) = reset else {
            return false;
        };
        let reset_day = history::day(reset);
        self.history.first().is_some_and(|e| e.at <= reset)
            || self
                .daily
                .keys()
                .next()
                .is_some_and(|day| *day <= reset_day)
            || self.started.is_some_and(|s| s <= reset)
            || self.items.values().any(|i| {
                let old = |at: Option<Timestamp>| at.is_some_and(|at| at <= reset);
                old(i.updated)
                    || old(i.noted)
                    || i.checked.as_ref().is_some_and(|c| c.at <= reset)
                    || i.review
                        .as_ref()
                        .is_some_and(|s| s.changed.is_none_or(|c| c <= reset))
                    || i.cards
                        .values()
                        .any(|s| s.changed.is_none_or(|c| c <= reset))
            })
    }

    fn forget_before_reset(&mut self) -> bool {
        let Some(reset) = self.reset else {
            return false;
        };
        let before_len = (self.history.len(), self.daily.len(), self.started);
        let mut changed = false;
        let old = |at: Option<Timestamp>| at.is_none_or(|at| at <= reset);
        for item in self.items.values_mut() {
            item.settle();
            let before = item.clone();
            if item.updated.is_some() && old(item.updated) {
                item.set_status_part(&Item::default());
            }
            if item.noted.is_some() && old(item.noted) {
                item.note = None;
                item.noted = None;
            }
            item.cards.retain(|_, s| !old(s.changed));
            if item.review.as_ref().is_some_and(|s| old(s.changed)) {
                item.review = None;
            }
            if item.checked.as_ref().is_some_and(|c| c.at <= reset) {
                item.checked = None;
            }
            changed |= *item != before;
        }
        self.items.retain(|_, i| !i.is_blank());
        self.history.retain(|e| e.at > reset);
        let reset_day = history::day(reset);
        self.daily.retain(|day, _| *day > reset_day);
        if self.started.is_some_and(|s| s <= reset) {
            self.started = None;
        }
        changed || before_len != (self.history.len(), self.daily.len(), self.started)
    }

    /// Merges another copy of this roadmap's progress into this one, part by part: for each
    /// item's status, note, card and check result, the later change wins (on a tie, the larger
    /// value, so that the order of a merge never matters). A note that loses to a different
    /// note, and that no history keeps, is kept in the history as a merge conflict.
    pub fn merge_from(&mut self, theirs: &RoadmapProgress) -> bool {
        let reset = self.reset.max(theirs.reset);
        // What the reset cleared is left out of their copy first: taken in and then cleared
        // again, it would count as a change, and a merge repeated would never say "nothing".
        let cleared;
        let theirs = match reset {
            Some(_) if theirs.reset != reset || theirs.holds_before_reset(reset) => {
                let mut copy = theirs.clone();
                copy.reset = reset;
                copy.forget_before_reset();
                cleared = copy;
                &cleared
            }
            _ => theirs,
        };
        // Ours is cleared by the later reset before the parts are compared, as theirs was: a
        // part of ours the reset clears must not win over one of theirs it leaves (a part with
        // no time, from a hand-written file), or the result would depend on who merges.
        let mut changed = reset != self.reset;
        self.reset = reset;
        changed |= self.forget_before_reset();
        let after_reset = |at: Option<Timestamp>| reset.is_none_or(|r| at.is_some_and(|at| at > r));
        let started = earliest(
            self.started,
            theirs.started.filter(|s| after_reset(Some(*s))),
        );
        changed |= started != self.started;
        self.started = started;
        changed |= history::merge(
            &mut self.history,
            &mut self.daily,
            &theirs.history,
            &theirs.daily,
        );
        let mut lost = Vec::new();
        for (key, item) in &theirs.items {
            match self.items.get_mut(key) {
                Some(mine) => {
                    changed |= merge_item(mine, item, |at, text| lost.push((key, at, text)))
                }
                None => {
                    let mut item = item.clone();
                    item.settle();
                    self.items.insert(key.clone(), item);
                    changed = true;
                }
            }
        }
        for (key, at, text) in lost {
            if !history::keeps_text(&self.history, key, &text) {
                let event = Event {
                    at,
                    item: key.clone(),
                    change: history::Change::NoteConflict { lost: text },
                };
                let place = self.history.partition_point(|e| *e < event);
                self.history.insert(place, event);
                history::bound_texts(&mut self.history);
                changed = true;
            }
        }
        changed | self.forget_before_reset()
    }

    /// Records the result of a task's check: a pass marks the task done if it was not (it is
    /// now verified, not only self-reported); a failure never unticks it, it is only recorded.
    /// Returns whether anything changed.
    pub fn record_check(
        &mut self,
        key: &str,
        passed: bool,
        failed: Option<String>,
        now: Timestamp,
    ) -> bool {
        let previous = self
            .items
            .get(key)
            .and_then(|i| i.checked.as_ref().map(|c| c.at));
        let at = self.stamp(previous, now);
        if passed {
            self.set_status(key, Status::Done, now);
        }
        let item = self.items.entry(key.to_string()).or_default();
        item.checked = Some(Checked {
            at,
            passed,
            failed: if passed { None } else { failed },
        });
        self.started.get_or_insert(at);
        self.log(Event {
            at,
            item: key.to_string(),
            change: history::Change::Checked(passed),
        });
        true
    }

    /// Puts the parts of item `key` that a change turned from `from` into `to` back as they
    /// were in `from` (an undo, or with the two swapped a redo), each only if it still holds
    /// exactly what that change wrote: a part another process changed since is left alone.
    /// Reverted parts are stamped as new changes, so a merge treats them as the newest, and are
    /// logged. Returns whether anything changed.
    pub fn revert(
        &mut self,
        key: &str,
        from: Option<&Item>,
        to: Option<&Item>,
        now: Timestamp,
    ) -> bool {
        let blank = Item::default();
        let (from, to) = (from.unwrap_or(&blank), to.unwrap_or(&blank));
        let Some(mut item) = self.items.get(key).cloned() else {
            return false;
        };
        item.settle();
        let before = item.clone();
        let mut events = Vec::new();
        if to.status_part() != from.status_part() && item.status_part() == to.status_part() {
            let at = self.stamp(item.updated, now);
            events.push(Event::status(at, key, item.status, from.status));
            item.set_status_part(&Item {
                updated: Some(at),
                ..from.clone()
            });
        }
        if to.note_part() != from.note_part() && item.note_part() == to.note_part() {
            let at = self.stamp(item.note_at(), now);
            events.push(Event::note(at, key, item.note.as_deref()));
            item.note = from.note.clone();
            item.noted = Some(at);
        }
        let revert_state =
            |current: Option<&ReviewState>,
             was: Option<&ReviewState>,
             wrote: Option<&ReviewState>,
             at_of: &dyn Fn(&ReviewState) -> Option<Timestamp>| {
                let written = wrote.map(|s| (at_of(s), s));
                (was.map(|s| (at_of(s), s)) != written && current.map(|s| (at_of(s), s)) == written)
                    .then(|| was.cloned())
            };
        let review = revert_state(
            item.review.as_ref(),
            from.review.as_ref(),
            to.review.as_ref(),
            &|s| to.review_at(s),
        );
        if let Some(was) = review {
            let at = self.stamp(item.review.as_ref().and_then(|s| s.changed), now);
            item.review = Some(fresh_or(was, at));
        }
        let cards: std::collections::BTreeSet<&String> =
            from.cards.keys().chain(to.cards.keys()).collect();
        for card in cards {
            if let Some(was) = revert_state(
                item.cards.get(card),
                from.cards.get(card),
                to.cards.get(card),
                &|s| to.review_at(s),
            ) {
                let at = self.stamp(item.cards.get(card).and_then(|s| s.changed), now);
                item.cards.insert(card.clone(), fresh_or(was, at));
            }
        }
        if item == before {
            return false;
        }
        self.items.insert(key.to_string(), item);
        for event in events {
            self.log(event);
        }
        true
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

/// A review state put back by an undo, stamped `at`: the state it had, or, for a card that had
/// none, a new card's (never reviewed, due now), which a merge cannot mistake for no change.
fn fresh_or(was: Option<ReviewState>, at: Timestamp) -> ReviewState {
    let state = was.unwrap_or_else(|| ReviewState::new_card(at));
    ReviewState {
        changed: Some(at),
        ..state
    }
}

/// The earlier of two times, where a missing one does not count.
fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Merges `theirs` into `mine` part by part; `lost` hears of a note that lost to a different one
/// (its time and text). Returns whether anything of theirs came in.
fn merge_item(mine: &mut Item, theirs: &Item, mut lost: impl FnMut(Timestamp, String)) -> bool {
    mine.settle();
    let mut changed = false;
    if theirs.status_part() > mine.status_part() {
        mine.set_status_part(theirs);
        changed = true;
    }
    let (ours_note, their_note) = (mine.note_part(), theirs.note_part());
    if ours_note != their_note {
        let theirs_wins = their_note > ours_note;
        let (winner, loser) = if theirs_wins {
            (their_note, ours_note)
        } else {
            (ours_note, their_note)
        };
        if let (Some(at), Some(text)) = loser
            && winner.1 != Some(text)
        {
            lost(at, text.clone());
        }
        if theirs_wins {
            mine.note = theirs.note.clone();
            mine.noted = theirs.note_at();
            changed = true;
        }
    }
    let later = |a: &ReviewState, at_a, b: &ReviewState, at_b| {
        (at_b, b.to_string()) > (at_a, a.to_string())
    };
    if let Some(their_review) = &theirs.review {
        let at = theirs.review_at(their_review);
        let take = match &mine.review {
            Some(ours) => later(ours, mine.review_at(ours), their_review, at),
            None => true,
        };
        if take {
            mine.review = Some(ReviewState {
                changed: at,
                ..their_review.clone()
            });
            changed = true;
        }
    }
    for (card, their_state) in &theirs.cards {
        let at = theirs.review_at(their_state);
        let take = match mine.cards.get(card) {
            Some(ours) => later(ours, mine.review_at(ours), their_state, at),
            None => true,
        };
        if take {
            mine.cards.insert(
                card.clone(),
                ReviewState {
                    changed: at,
                    ..their_state.clone()
                },
            );
            changed = true;
        }
    }
    if theirs.checked > mine.checked {
        mine.checked = theirs.checked.clone();
        changed = true;
    }
    changed
}

/// What a step's tasks add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StepSummary {
    pub counts: Counts,
    /// Estimated hours of the tasks done, and of those still to do (skipped ones and stretch
    /// tasks not started count in neither).
    pub hours_done: f64,
    pub hours_left: f64,
    /// The first time any task left "todo".
    pub started: Option<Timestamp>,
    /// When the last task was completed, if the step is done.
    pub completed: Option<Timestamp>,
    /// Done tasks whose last check passed: verified, not only ticked.
    pub verified: usize,
}

/// Tasks by status. Skipped tasks do not count against the percentage, and neither do stretch
/// tasks not yet started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub done: usize,
    pub in_progress: usize,
    pub skipped: usize,
    pub total: usize,
    /// Stretch tasks, whatever their status (a part of `total`).
    pub stretch: usize,
    /// Stretch tasks not started: they wait, and count in no figure but `total` and `stretch`.
    pub stretch_waiting: usize,
}

impl Counts {
    /// Counts a core task.
    pub fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Done => self.done += 1,
            Status::InProgress => self.in_progress += 1,
            Status::Skipped => self.skipped += 1,
            Status::Todo => {}
        }
    }

    /// Counts a task of the roadmap with its status, core or stretch.
    pub fn add_task(&mut self, task: &crate::core::roadmap::Task, status: Status) {
        self.add(status);
        if task.is_stretch() {
            self.stretch += 1;
            if status == Status::Todo {
                self.stretch_waiting += 1;
            }
        }
    }

    pub fn plus(self, other: Counts) -> Counts {
        Counts {
            done: self.done + other.done,
            in_progress: self.in_progress + other.in_progress,
            skipped: self.skipped + other.skipped,
            total: self.total + other.total,
            stretch: self.stretch + other.stretch,
            stretch_waiting: self.stretch_waiting + other.stretch_waiting,
        }
    }

    /// "2/37": tasks done of those that count. Every count pathway shows has this one form,
    /// with skipped tasks named apart where there is room.
    pub fn fraction(self) -> String {
        format!("{}/{}", self.done, self.counted())
    }

    /// Tasks that count: all but the skipped ones and the stretch tasks not started.
    pub fn counted(self) -> usize {
        self.total
            .saturating_sub(self.skipped)
            .saturating_sub(self.stretch_waiting)
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
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("valid timestamp")
    }

    #[test]
    fn merging_what_a_reset_cleared_again_changes_nothing() {
        // Found by the merge property: their daily total from before our reset was taken in,
        // cleared again, and the merge said it changed something, every time.
        let mine = RoadmapProgress {
            reset: Some(at(1_429_574_400)),
            ..RoadmapProgress::default()
        };
        let mut theirs = RoadmapProgress::default();
        theirs.daily.insert(
            "1990-01-01".into(),
            DayTotals {
                changes: 0,
                done: 0,
            },
        );
        theirs.set_status("s/t", Status::Done, at(1_000));
        let mut merged = mine.clone();
        merged.merge_from(&theirs);
        assert_eq!(merged, mine, "all of theirs is from before the reset");
        assert!(!merged.merge_from(&theirs), "and merging it again says so");
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
            (Status::Todo, Some(at(100)), Some(at(200))),
            "unticking keeps the completion date"
        );
        assert!(rp.set_status("s/a", Status::Done, at(300)));
        assert_eq!(
            rp.item("s/a").and_then(|i| i.completed),
            Some(at(100)),
            "ticking again resumes it"
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

    /// A step of tasks a (2 h), b (3 h) and c (5 h), where c is a stretch task.
    fn step_with_stretch() -> Step {
        serde_yaml::from_str(
            "id: s\ntitle: S\ntasks:\n  - {id: a, title: A, hours: 2}\n  - {id: b, title: B, hours: 3}\n  - {id: c, title: C, hours: 5, level: stretch, why_later: Later.}\n",
        )
        .expect("a step")
    }

    #[test]
    fn a_stretch_task_counts_in_no_figure_until_it_is_started() {
        let step = step_with_stretch();
        let mut rp = RoadmapProgress::default();
        rp.set_status("s/a", Status::Done, at(10));
        let s = rp.step_summary(&step);
        assert_eq!((s.counts.stretch, s.counts.stretch_waiting), (1, 1));
        assert_eq!(
            (s.counts.fraction(), s.counts.percent()),
            ("1/2".into(), 50)
        );
        assert_eq!((s.hours_done, s.hours_left), (2.0, 3.0), "c's 5 h wait");
        rp.set_status("s/b", Status::Done, at(11));
        let s = rp.step_summary(&step);
        assert_eq!(
            s.counts.status(),
            Status::Done,
            "done without its stretch task"
        );
        assert!(s.completed.is_some());
        rp.set_status("s/c", Status::InProgress, at(12));
        let s = rp.step_summary(&step);
        assert_eq!(
            (s.counts.fraction(), s.counts.stretch_waiting),
            ("2/3".into(), 0)
        );
        assert_eq!(s.hours_left, 5.0, "started, it counts");
        assert_eq!(s.counts.status(), Status::InProgress);
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

    #[test]
    fn marking_a_step_done_leaves_its_stretch_tasks_waiting() {
        let step = step_with_stretch();
        let rp = RoadmapProgress::default();
        let keys = |change| {
            rp.step_updates(&step, change)
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>()
        };
        assert_eq!(keys(StepChange::Set(Status::Done)), ["s/a", "s/b"]);
        assert_eq!(keys(StepChange::Set(Status::InProgress)), ["s/a", "s/b"]);
        assert_eq!(
            keys(StepChange::Set(Status::Skipped)),
            ["s/a", "s/b", "s/c"],
            "skipping a step skips all of it"
        );
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
        let item = rp.item("s").expect("the removal is kept for merging");
        assert_eq!((item.noted, item.updated), (Some(at(3)), None));
    }

    #[test]
    fn two_copies_changing_different_parts_of_one_task_both_keep_their_change() {
        let mut base = RoadmapProgress::default();
        base.set_status("s/a", Status::InProgress, at(1));
        let (mut laptop, mut desktop) = (base.clone(), base);
        laptop.set_status("s/a", Status::Done, at(10));
        desktop.set_note("s/a", "written on the desktop", at(20));
        let mut one = laptop.clone();
        one.merge_from(&desktop);
        desktop.merge_from(&laptop);
        assert_eq!(one, desktop, "the order of a merge does not matter");
        assert_eq!(
            one.status("s/a"),
            Status::Done,
            "the older status change stays"
        );
        assert_eq!(one.note("s/a"), Some("written on the desktop"));
    }

    #[test]
    fn a_note_that_loses_a_merge_is_kept_in_the_history() {
        let mut base = RoadmapProgress::default();
        base.set_note("s/a", "first draft", at(1));
        let (mut a, mut b) = (base.clone(), base);
        a.set_note("s/a", "edited here", at(10));
        b.set_note("s/a", "edited there", at(20));
        let mut merged = a.clone();
        assert!(merged.merge_from(&b));
        assert_eq!(merged.note("s/a"), Some("edited there"));
        let conflicts: Vec<&Event> = merged
            .history
            .iter()
            .filter(|e| matches!(e.change, history::Change::NoteConflict { .. }))
            .collect();
        assert_eq!(conflicts.len(), 1, "{:?}", merged.history);
        assert_eq!(conflicts[0].kept_text(), Some("edited here"));
        let again = merged.clone();
        assert!(
            !merged.merge_from(&b) && !merged.merge_from(&a),
            "merging again changes nothing"
        );
        assert_eq!(merged, again);
        // A note the other copy simply had not seen the edit of is no conflict: the history
        // keeps it as the text the edit replaced.
        let mut stale = RoadmapProgress::default();
        stale.set_note("s/b", "old", at(1));
        let mut fresh = stale.clone();
        fresh.set_note("s/b", "new", at(5));
        stale.merge_from(&fresh);
        assert!(
            !stale
                .history
                .iter()
                .any(|e| matches!(e.change, history::Change::NoteConflict { .. }))
        );
    }

    #[test]
    fn undo_reverts_only_the_parts_its_change_wrote_while_they_still_hold_it() {
        let mut rp = RoadmapProgress::default();
        let before = rp.item("s/a").cloned();
        rp.set_status("s/a", Status::Done, at(10));
        let after = rp.item("s/a").cloned();
        // Another process writes a note on that task before the undo.
        let mut other = rp.clone();
        other.set_note("s/a", "theirs", at(11));
        rp.merge_from(&other);
        assert!(rp.revert("s/a", before.as_ref(), after.as_ref(), at(12)));
        assert_eq!(rp.status("s/a"), Status::Todo, "the status is undone");
        assert_eq!(rp.note("s/a"), Some("theirs"), "their note stays");
        // A status changed again since is not the undo's to revert.
        let mut rp2 = RoadmapProgress::default();
        rp2.set_status("s/a", Status::Done, at(10));
        let written = rp2.item("s/a").cloned();
        rp2.set_status("s/a", Status::Skipped, at(11));
        assert!(!rp2.revert("s/a", None, written.as_ref(), at(12)));
        assert_eq!(rp2.status("s/a"), Status::Skipped);
    }

    #[test]
    fn a_reset_from_a_clock_running_ahead_does_not_swallow_later_changes() {
        let mut disk = RoadmapProgress::default();
        disk.set_status("s/a", Status::Done, at(100));
        let mut elsewhere = disk.clone();
        // Reset on a machine whose clock is a day ahead.
        disk.reset(at(100 + 86_400));
        assert_eq!(disk.reset, Some(at(100)), "stamped with what it cleared");
        // A correct clock, later than the reset but long before the skewed clock's time.
        elsewhere.set_status("s/b", Status::Done, at(200));
        elsewhere.merge_from(&disk);
        assert_eq!(
            elsewhere.status("s/a"),
            Status::Todo,
            "what it cleared is gone"
        );
        assert_eq!(
            elsewhere.status("s/b"),
            Status::Done,
            "the later change stays"
        );
        // A change made after seeing the reset, with a clock behind it, is stamped after it.
        let mut behind = disk.clone();
        behind.set_status("s/c", Status::Done, at(50));
        assert!(behind.item("s/c").and_then(|i| i.updated) > disk.reset);
        disk.merge_from(&behind);
        assert_eq!(disk.status("s/c"), Status::Done);
    }

    #[test]
    fn a_clock_far_ahead_does_not_fold_the_recent_log_into_totals() {
        let mut rp = RoadmapProgress::default();
        rp.set_note("s/a", "one", at(1_000));
        rp.set_note("s/a", "two", at(2_000));
        let ahead = at(2_000) + jiff::SignedDuration::from_hours(24 * 400);
        rp.set_note("s/a", "three", ahead);
        assert_eq!(rp.history.len(), 3, "{:?}", rp.history);
        assert!(rp.daily.is_empty());
        assert!(history::keeps_text(&rp.history, "s/a", "one"));
    }

    #[test]
    fn kept_note_texts_are_bounded_newest_first() {
        let mut rp = RoadmapProgress::default();
        let big = "x".repeat(history::MAX_KEPT_TEXT / 3);
        for i in 0..6 {
            rp.set_note("s/a", &format!("{i}{big}"), at(i));
        }
        let kept: usize = rp
            .history
            .iter()
            .filter_map(|e| e.kept_text())
            .map(str::len)
            .sum();
        assert!(kept <= history::MAX_KEPT_TEXT, "{kept}");
        assert!(
            history::keeps_text(&rp.history, "s/a", &format!("4{big}")),
            "the newest stays"
        );
        assert!(
            !history::keeps_text(&rp.history, "s/a", &format!("0{big}")),
            "the oldest goes"
        );
        assert_eq!(rp.history.len(), 6, "every edit is still in the log");
    }

    #[test]
    fn a_damaged_review_state_starts_afresh_with_a_warning_and_the_rest_loads() {
        let mut progress = Progress::default();
        let rp = progress.roadmap_mut("r");
        rp.set_status("s/a", Status::Done, at(1));
        let mut state: ReviewState =
            "due=1970-01-02T00:00:00Z stability=NaN difficulty=inf reviews=3 lapses=1 phase=review last=-"
                .parse()
                .expect("a damaged state still parses");
        if let Some(item) = rp.items.get_mut("s/a") {
            item.review = Some(state.clone());
        }
        rp.set_status("s/b", Status::Done, at(2));
        let warnings = progress.settle();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("s/a"), "{warnings:?}");
        let repaired = progress
            .roadmap("r")
            .and_then(|r| r.item("s/a"))
            .and_then(|i| i.review.clone());
        assert!(repaired.is_some_and(|r| r.stability.is_finite() && r.phase == ReviewPhase::New));
        state.stability = -3.5;
        state.difficulty = 99.0;
        assert!(state.repair());
        assert_eq!(
            (state.stability, state.difficulty),
            (
                *ReviewState::STABILITY.start(),
                *ReviewState::DIFFICULTY.end()
            )
        );
    }
}
