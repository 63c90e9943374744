//! Statuses: setting one, a step's summary and counts, changing a whole step.

use jiff::Timestamp;

use super::{Item, RoadmapProgress, Status, earliest};
use crate::core::history::Event;
use crate::core::roadmap::{Step, task_key};

impl RoadmapProgress {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::progress::tests::at;

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
}
