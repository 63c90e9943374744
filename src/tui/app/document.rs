//! The roadmap and the learner's progress on it, with undo and redo: every change the TUI makes
//! to progress goes through here, and the counts the screen shows are kept in step with it.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::core::ops::Refusal;
use crate::core::progress::{
    Counts, Item, Progress, RoadmapProgress, Status, StepChange, StepSummary,
};
use crate::core::roadmap::{Roadmap, task_key};
use crate::core::status::Rating;

/// One undoable change: the items it touched, as they were before and after.
pub type Revision = Vec<(String, Option<Item>, Option<Item>)>;

#[derive(Debug, Clone)]
pub struct Document {
    roadmap: Roadmap,
    progress: Progress,
    step_index: HashMap<String, usize>,
    steps: Vec<StepSummary>,
    counts: Counts,
    /// Estimated hours done and left, over all steps.
    hours: (f64, f64),
    undo: Vec<Revision>,
    redo: Vec<Revision>,
    /// Display widths of the longest step title (with its number) and task title, for the tree.
    widest: (usize, usize),
    /// Done tasks fading from memory, as of the last count of reviews.
    fading: std::collections::HashSet<String>,
}

impl Document {
    pub fn new(roadmap: Roadmap, mut progress: Progress) -> Document {
        // Tasks that moved take their progress along (the command line does the same).
        progress
            .roadmap_mut(&roadmap.id)
            .adopt_former_keys(&roadmap);
        let step_index = roadmap
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.to_string(), i))
            .collect();
        let width = |text: &str| unicode_width::UnicodeWidthStr::width(text);
        let widest = roadmap
            .steps
            .iter()
            .enumerate()
            .fold((0, 0), |(s, t), (i, step)| {
                let number = (i + 1).to_string().len() + 1;
                let tasks = step.tasks.iter().map(|t| width(&t.title)).max();
                (
                    s.max(number + width(&step.title)),
                    t.max(tasks.unwrap_or(0)),
                )
            });
        let mut doc = Document {
            widest,
            steps: vec![StepSummary::default(); roadmap.steps.len()],
            roadmap,
            progress,
            step_index,
            counts: Counts::default(),
            hours: (0.0, 0.0),
            undo: Vec::new(),
            redo: Vec::new(),
            fading: Default::default(),
        };
        doc.recount_all();
        doc
    }

    pub fn roadmap(&self) -> &Roadmap {
        &self.roadmap
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    pub fn roadmap_progress(&self) -> &RoadmapProgress {
        self.progress.roadmap_or_empty(&self.roadmap.id)
    }

    /// Display widths of the longest step title (with its number) and task title.
    pub fn widest_titles(&self) -> (usize, usize) {
        self.widest
    }

    /// Whether a done task is fading from memory (its weakest card below the desired retention).
    pub fn is_fading(&self, key: &str) -> bool {
        self.fading.contains(key)
    }

    pub fn set_fading(&mut self, fading: std::collections::HashSet<String>) {
        self.fading = fading;
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    pub fn hours(&self) -> (f64, f64) {
        self.hours
    }

    pub fn step_summary(&self, step: usize) -> StepSummary {
        self.steps.get(step).copied().unwrap_or_default()
    }

    /// The index of the step an item key (`step` or `step/task`) belongs to.
    pub fn step_of(&self, key: &str) -> Option<usize> {
        let step = key.split('/').next().unwrap_or(key);
        self.step_index.get(step).copied()
    }

    /// The (step, task) indices of a key; the task is `None` for a step's own key.
    pub fn position_of(&self, key: &str) -> Option<(usize, Option<usize>)> {
        let s = self.step_of(key)?;
        match key.split_once('/') {
            None => Some((s, None)),
            Some((_, task_id)) => {
                let t = self.roadmap.steps[s]
                    .tasks
                    .iter()
                    .position(|t| t.id == task_id)?;
                Some((s, Some(t)))
            }
        }
    }

    /// `target` toggles on a task: set it, or back to todo if it already is.
    pub fn toggle_task(
        &mut self,
        step: usize,
        task: usize,
        target: Status,
        now: Timestamp,
    ) -> bool {
        let s = &self.roadmap.steps[step];
        let key = task_key(s, &s.tasks[task]);
        let next = if self.roadmap_progress().status(&key) == target {
            Status::Todo
        } else {
            target
        };
        self.set_statuses(vec![(key, next)], now)
    }

    /// What toggling `target` on a whole step changes: marks its open tasks, or, when the step
    /// already is `target`, puts the tasks that have it back.
    pub fn step_toggle_updates(
        &self,
        step: usize,
        target: Status,
    ) -> Result<(Vec<(String, Status)>, StepChange), Refusal> {
        let counts = self.steps[step].counts;
        let already = match target {
            Status::Done => counts.all_done(),
            _ => counts.skipped + counts.done == counts.total && counts.skipped > 0,
        };
        let change = if already {
            StepChange::Clear(target)
        } else {
            StepChange::Set(target)
        };
        let updates =
            crate::core::ops::step_marks(&self.roadmap, self.roadmap_progress(), step, change)?;
        Ok((updates, change))
    }

    /// Sets several items' statuses as one undoable change.
    pub fn set_statuses(&mut self, updates: Vec<(String, Status)>, now: Timestamp) -> bool {
        let keys = updates.iter().map(|(k, _)| k.clone()).collect();
        self.change(keys, |rp| {
            crate::core::ops::mark(rp, &updates, now)
                .iter()
                .any(|marked| marked.changed)
        })
    }

    /// Records a review of one card as an undoable change; returns when the card is due next,
    /// with the task's item before and after (for an undo inside the review session).
    pub fn rate(
        &mut self,
        card: &crate::core::review::DueCard,
        rating: Rating,
        now: Timestamp,
        settings: &crate::core::review::ReviewSettings,
    ) -> Result<(Timestamp, Option<Item>, Option<Item>), Refusal> {
        let task = self.roadmap.steps[card.step].tasks[card.task].clone();
        let mut rated = Ok(Timestamp::UNIX_EPOCH);
        let before = self.roadmap_progress().item(&card.key).cloned();
        self.change(vec![card.key.clone()], |rp| {
            let id = Some(&*card.card_id);
            rated = crate::core::ops::rate(rp, &card.key, &task, id, rating, now, settings)
                .map(|(_, next)| next);
            rated.is_ok()
        });
        let after = self.roadmap_progress().item(&card.key).cloned();
        rated.map(|at| (at, before, after))
    }

    /// Undoes one rating given in a review session: the card's state goes back to what it was,
    /// if nothing changed it since, and the log records the undo so the rating no longer
    /// counts. Returns whether it was undone.
    pub fn unrate(
        &mut self,
        card: &crate::core::review::DueCard,
        rating: Rating,
        before: Option<&Item>,
        after: Option<&Item>,
        now: Timestamp,
    ) -> bool {
        let key = card.key.clone();
        self.change(vec![key.clone()], |rp| {
            if !rp.revert(&key, before, after, now) {
                return false;
            }
            let at = rp.stamp(None, now);
            rp.log(crate::core::history::Event {
                at,
                item: crate::core::review::card_key(&key, &card.card_id),
                change: crate::core::history::Change::ReviewUndone(rating),
            });
            true
        })
    }

    /// Puts a done task's cards back in review or takes them out; whether anything changed.
    pub fn set_reviewing(&mut self, key: &str, on: bool, now: Timestamp) -> Result<bool, Refusal> {
        let Some((s, Some(t))) = self.position_of(key) else {
            return Ok(false);
        };
        let task = self.roadmap.steps[s].tasks[t].clone();
        let mut result = Ok(false);
        self.change(vec![key.to_string()], |rp| {
            result = crate::core::ops::set_reviewing(rp, key, &task, on, now);
            result == Ok(true)
        });
        result
    }

    /// Records a check's result (a pass ticks the task done) as an undoable change.
    pub fn record_check(
        &mut self,
        key: &str,
        passed: bool,
        failed: Option<String>,
        now: Timestamp,
    ) -> bool {
        self.change(vec![key.to_string()], |rp| {
            rp.record_check(key, passed, failed, now)
        })
    }

    pub fn set_note(&mut self, key: &str, text: &str, now: Timestamp) -> Result<bool, Refusal> {
        let mut result = Ok(false);
        self.change(vec![key.to_string()], |rp| {
            result = crate::core::ops::note(rp, key, text, now);
            result == Ok(true)
        });
        result
    }

    /// Adds a card of the learner's own to a task, as an undoable change; its id.
    pub fn add_card(
        &mut self,
        key: &str,
        ask: &str,
        answer: &str,
        now: Timestamp,
    ) -> Result<String, Refusal> {
        let mut result = Err(Refusal::NoQuestion);
        self.change(vec![key.to_string()], |rp| {
            result = crate::core::ops::add_card(rp, key, ask, answer, now);
            result.is_ok()
        });
        result
    }

    /// Rewrites one of the learner's cards, or with both texts empty removes it, as an
    /// undoable change; whether anything changed.
    pub fn write_card(
        &mut self,
        key: &str,
        id: &str,
        ask: &str,
        answer: &str,
        now: Timestamp,
    ) -> Result<bool, Refusal> {
        let remove = ask.trim().is_empty() && answer.trim().is_empty();
        let mut result = Ok(false);
        self.change(vec![key.to_string()], |rp| {
            result = if remove {
                Ok(crate::core::ops::remove_card(rp, key, id, now))
            } else {
                crate::core::ops::edit_card(rp, key, id, Some(ask), Some(answer), now)
            };
            result == Ok(true)
        });
        result
    }

    /// Applies a change to the progress of the items `keys`, records it for undo, and recounts.
    fn change(
        &mut self,
        keys: Vec<String>,
        apply: impl FnOnce(&mut RoadmapProgress) -> bool,
    ) -> bool {
        let rp = self.progress.roadmap_mut(&self.roadmap.id);
        let before: Vec<Option<Item>> = keys.iter().map(|k| rp.items.get(k).cloned()).collect();
        if !apply(rp) {
            return false;
        }
        let revision: Revision = keys
            .into_iter()
            .zip(before)
            .map(|(key, before)| {
                let after = rp.items.get(&key).cloned();
                (key, before, after)
            })
            .filter(|(_, before, after)| before != after)
            .collect();
        self.recount(&revision);
        self.undo.push(revision);
        self.redo.clear();
        true
    }

    /// Puts items back as they were before (undo) or after (redo) a change, and returns the
    /// change, or `None` when there is nothing to undo or redo. The restored items carry `now` as
    /// their change time, so merging with another copy treats the undo as newest.
    pub fn undo_redo(&mut self, undo: bool, now: Timestamp) -> Option<&Revision> {
        let revision = if undo {
            self.undo.pop()
        } else {
            self.redo.pop()
        }?;
        let rp = self.progress.roadmap_mut(&self.roadmap.id);
        // What the undo itself changed, as it really came out (parts another process changed
        // since are left alone), so a redo puts back exactly that.
        let mut done: Revision = Vec::new();
        for (key, before, after) in revision {
            let (to, from) = if undo {
                (before, after)
            } else {
                (after, before)
            };
            let current = rp.items.get(&key).cloned();
            if rp.revert(&key, to.as_ref(), from.as_ref(), now) {
                let reverted = rp.items.get(&key).cloned();
                // The change before this one in the trail left the item as `to`; what this
                // revert put back carries a new stamp, which that change must expect, or the
                // next undo of the same task would take it for someone else's change.
                let trail = if undo { &mut self.undo } else { &mut self.redo };
                if let Some(entry) = trail
                    .iter_mut()
                    .rev()
                    .find_map(|r| r.iter_mut().find(|(k, _, _)| *k == key))
                {
                    let endpoint = if undo { &mut entry.2 } else { &mut entry.1 };
                    let mut item = endpoint.take().unwrap_or_default();
                    item.follow_revert(
                        &to.clone().unwrap_or_default(),
                        &current.clone().unwrap_or_default(),
                        &reverted.clone().unwrap_or_default(),
                    );
                    *endpoint = (!item.is_blank()).then_some(item);
                }
                done.push(if undo {
                    (key, reverted, current)
                } else {
                    (key, current, reverted)
                });
            }
        }
        let revision = done;
        self.recount(&revision);
        let stack = if undo { &mut self.redo } else { &mut self.undo };
        stack.push(revision);
        stack.last()
    }

    fn recount(&mut self, revision: &Revision) {
        let mut steps: Vec<usize> = revision
            .iter()
            .filter_map(|(key, _, _)| self.step_of(key))
            .collect();
        steps.dedup();
        for s in steps {
            self.steps[s] = self.roadmap_progress().step_summary(&self.roadmap.steps[s]);
        }
        self.total();
    }

    fn recount_all(&mut self) {
        for s in 0..self.roadmap.steps.len() {
            self.steps[s] = self.roadmap_progress().step_summary(&self.roadmap.steps[s]);
        }
        self.total();
    }

    fn total(&mut self) {
        self.counts = self
            .steps
            .iter()
            .map(|s| s.counts)
            .fold(Counts::default(), Counts::plus);
        self.hours = self
            .steps
            .iter()
            .fold((0.0, 0.0), |(d, l), s| (d + s.hours_done, l + s.hours_left));
    }

    /// Lets the store save the progress; returns whether anything another process saved came in
    /// with the merge (and is counted now).
    pub fn save_with<E>(
        &mut self,
        save: impl FnOnce(&mut Progress) -> Result<bool, E>,
    ) -> Result<bool, E> {
        let merged = save(&mut self.progress)?;
        if merged {
            self.recount_all();
        }
        Ok(merged)
    }

    /// Takes in the progress file as another process left it, merged item by item; returns
    /// whether anything changed.
    pub fn merge_from(&mut self, disk: &Progress) -> bool {
        let changed = self.progress.merge_from(disk);
        if changed {
            self.recount_all();
        }
        changed
    }
}
