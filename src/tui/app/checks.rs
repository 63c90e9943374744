//! Checks from the checklist: `v` runs the selected task's check (a step: its tasks' checks, one
//! after another; a review card: its task's, whose result rates the card) in the background,
//! while the screen keeps answering keys. A roadmap whose checks are not approved asks first.

use jiff::Timestamp;

use super::{Action, App, Checking, Effect, Message, Mode, Overlay};
use crate::checks::CheckResult;
use crate::core::roadmap::task_key;
use crate::core::status::Rating;
use crate::tui::config::Config;

impl App {
    pub(super) fn verify(&mut self, now: Timestamp) -> Effect {
        if self.checking.is_some() {
            let message = Message::from("checks are running: ")
                .key_in(self.overlay.mode(), Action::Cancel)
                .then(" stops them");
            self.say(message, now);
            return Effect::None;
        }
        let in_review = self.overlay.mode() == Mode::Review;
        // A check rates the card: it runs only once the learner has tried to recall the answer
        // and seen it, so a pass never stands in for remembering.
        if let Overlay::Review(session) = &self.overlay
            && !session.revealed
        {
            self.say(
                "show the answer first; then v runs this card's check, and a pass rates it good",
                now,
            );
            return Effect::None;
        }
        let keys: Vec<String> = match (&self.overlay, self.selected_row()) {
            (Overlay::Review(session), _) => session
                .current()
                .filter(|c| !self.roadmap().steps[c.step].tasks[c.task].check.is_empty())
                .map(|c| vec![c.key.clone()])
                .unwrap_or_default(),
            (_, Some(row)) => {
                let step = &self.roadmap().steps[row.step()];
                let tasks: Vec<&crate::core::roadmap::Task> = match self.selected_task() {
                    Some(task) => vec![task],
                    None => step.tasks.iter().collect(),
                };
                tasks
                    .into_iter()
                    .filter(|t| !t.check.is_empty())
                    .map(|t| task_key(step, t))
                    .collect()
            }
            (_, None) => Vec::new(),
        };
        if keys.is_empty() {
            self.say(
                if in_review {
                    "this card's task has no check: rate it yourself"
                } else {
                    "no check here: this one is yours to tick"
                },
                now,
            );
            return Effect::None;
        }
        if !self.checks_trusted {
            if in_review {
                self.say(
                    "this roadmap's checks are not approved: run pathway trust, or v in the checklist",
                    now,
                );
                return Effect::None;
            }
            self.overlay = Overlay::TrustChecks { keys, scroll: 0 };
            return Effect::None;
        }
        self.start_checks(keys, in_review, now)
    }

    fn start_checks(&mut self, keys: Vec<String>, for_review: bool, now: Timestamp) -> Effect {
        let card = match &self.overlay {
            Overlay::Review(session) if for_review => Some(session.index),
            _ => None,
        };
        self.checking = Some(Checking {
            keys: keys.clone(),
            done: 0,
            started: now,
            for_review,
            card,
            tally: [0; 3],
        });
        Effect::RunChecks(keys)
    }

    /// The answer to "approve these checks?".
    pub(super) fn confirm_trust(&mut self, action: Action, now: Timestamp) -> Effect {
        match action {
            Action::Confirm => {
                let Overlay::TrustChecks { keys, .. } = std::mem::take(&mut self.overlay) else {
                    return Effect::None;
                };
                self.checks_trusted = true;
                self.checking = Some(Checking {
                    keys: keys.clone(),
                    done: 0,
                    started: now,
                    for_review: false,
                    card: None,
                    tally: [0; 3],
                });
                Effect::ApproveChecks(keys)
            }
            Action::Down | Action::Up => {
                if let Overlay::TrustChecks { scroll, .. } = &mut self.overlay {
                    *scroll = if action == Action::Down {
                        scroll.saturating_add(1)
                    } else {
                        scroll.saturating_sub(1)
                    };
                }
                Effect::None
            }
            Action::Cancel => {
                self.overlay = Overlay::None;
                self.say("not approved: nothing ran", now);
                Effect::None
            }
            Action::Quit => Effect::Quit,
            _ => Effect::None,
        }
    }

    /// Records a check the TUI ran and says what it found; in review, its result rates the card.
    pub(super) fn check_finished(
        &mut self,
        key: &str,
        result: CheckResult,
        detail: Option<String>,
        report: String,
        now: Timestamp,
        config: &Config,
    ) -> Effect {
        let Some(checking) = &mut self.checking else {
            return Effect::None;
        };
        checking.done += 1;
        match result {
            CheckResult::Passed => checking.tally[0] += 1,
            CheckResult::Failed => checking.tally[1] += 1,
            CheckResult::Cannot => checking.tally[2] += 1,
            CheckResult::Cancelled => {}
        }
        let (done, total, for_review) = (checking.done, checking.keys.len(), checking.for_review);
        let card = checking.card;
        let tally = checking.tally;
        if done >= total {
            self.checking = None;
        }
        if result != CheckResult::Cancelled {
            self.check_reports.insert(key.to_string(), report);
        }
        let title = self
            .doc
            .position_of(key)
            .and_then(|(s, t)| t.map(|t| self.roadmap().steps[s].tasks[t].title.to_string()))
            .unwrap_or_else(|| key.to_string());
        let changed = match result {
            CheckResult::Passed => self.doc.record_check(key, true, None, now),
            CheckResult::Failed => self.doc.record_check(key, false, detail.clone(), now),
            CheckResult::Cannot | CheckResult::Cancelled => false,
        };
        let progress = if total > 1 {
            format!(" ({done} of {total})")
        } else {
            String::new()
        };
        let said = match (result, &detail) {
            (CheckResult::Passed, _) => format!("✓ verified: {title}{progress}"),
            (CheckResult::Failed, Some(what)) => {
                format!("✗ check failed: {title}: {what}{progress}")
            }
            (CheckResult::Failed, None) => format!("✗ check failed: {title}{progress}"),
            (CheckResult::Cannot, Some(why)) => format!("? cannot check {title}: {why}"),
            (CheckResult::Cannot, None) => format!("? cannot check {title}"),
            (CheckResult::Cancelled, _) => format!("check of {title} stopped"),
        };
        let said = if total > 1 && done >= total {
            let [passed, failed, cannot] = tally;
            format!("{said} · done: {passed} passed · {failed} failed · {cannot} cannot check")
        } else {
            said
        };
        self.say(said, now);
        if for_review && matches!(result, CheckResult::Passed | CheckResult::Failed) {
            // Proof counts as recall: a pass is "good", a failure "again". The learner can
            // still take it back with u and rate it themselves.
            let rating = if result == CheckResult::Passed {
                Rating::Good
            } else {
                Rating::Again
            };
            if let Overlay::Review(session) = &mut self.overlay
                && card == Some(session.index)
                && session.current().is_some_and(|c| c.key == key)
            {
                session.revealed = true;
                let effect = self.rate_current(rating, now, config);
                let passed = if rating == Rating::Good {
                    "passed"
                } else {
                    "failed"
                };
                let message = Message::from(format!("check {passed}: rated {} · ", rating.word()))
                    .key_in(Mode::Review, Action::Undo)
                    .then(" to rate it yourself");
                self.say(message, now);
                return effect;
            }
        }
        self.saved_if(changed)
    }

    /// What the last check of `key` found this session, probe by probe.
    pub fn check_report(&self, key: &str) -> Option<&str> {
        self.check_reports.get(key).map(String::as_str)
    }

    /// Checks running in the background, for the footer.
    pub fn checking(&self) -> Option<&Checking> {
        self.checking.as_ref()
    }
}
