//! Reviewing what was learned: the notes view and the spaced-review session.

use jiff::Timestamp;

use super::{Action, App, Effect, Message, Overlay, Rated, ReviewSession};
use crate::core::status::Rating;
use crate::tui::config::Config;

impl App {
    /// The notes view: move, search, jump to a note's item, edit it there.
    pub(super) fn notes_view(&mut self, action: Action, now: Timestamp) -> Effect {
        let entries = self.notes();
        let Overlay::Notes {
            selected,
            query,
            searching,
        } = &mut self.overlay
        else {
            return Effect::None;
        };
        let shown = crate::core::notes::matching(&entries, query);
        let count = shown.len();
        // A note removed while the view was away (an edit that emptied it) leaves the
        // selection on the one after it, or the last.
        *selected = (*selected).min(count.saturating_sub(1));
        let picked = shown
            .get(*selected)
            .map(|e| (e.key.clone(), e.step, e.task, e.title.clone()));
        match action {
            Action::Input(c) => {
                query.push(c);
                *selected = 0;
            }
            Action::Backspace => {
                query.pop();
                *selected = 0;
            }
            Action::Confirm if *searching => *searching = false,
            Action::Cancel if *searching => {
                query.clear();
                *searching = false;
                *selected = 0;
            }
            Action::StartFilter => *searching = true,
            Action::Down | Action::Wheel(_, _, true) => {
                *selected = (*selected + 1).min(count.saturating_sub(1))
            }
            Action::Up | Action::Wheel(_, _, false) => *selected = selected.saturating_sub(1),
            Action::First => *selected = 0,
            Action::Last => *selected = count.saturating_sub(1),
            Action::Confirm => {
                let Some((_, step, task, title)) = picked else {
                    return Effect::None;
                };
                self.overlay = Overlay::None;
                self.retree(|tree, doc| tree.reveal(doc, step, task));
                self.say(format!("the note on {title}"), now);
            }
            // Edited from the view, the note opens over it, and the view comes back on it.
            Action::EditNote | Action::EditNoteExternally => {
                let Some((key, step, task, title)) = picked else {
                    return Effect::None;
                };
                self.retree(|tree, doc| tree.reveal(doc, step, task));
                return self.edit_over(key, title, action == Action::EditNoteExternally, now);
            }
            Action::Cancel | Action::ShowNotes => self.overlay = Overlay::None,
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    /// Every note of the roadmap, in roadmap order.
    pub fn notes(&self) -> Vec<crate::core::notes::NoteEntry> {
        crate::core::notes::collect(self.roadmap(), self.roadmap_progress(), None)
    }

    pub(super) fn start_review(&mut self, now: Timestamp, config: &Config) -> Effect {
        let queue = crate::core::review::queue(
            self.roadmap(),
            self.roadmap_progress(),
            now,
            &config.review,
        );
        if queue.is_empty()
            && crate::core::review::next_due(self.roadmap(), self.roadmap_progress(), now).is_none()
        {
            self.say(
                "nothing in review yet: a task you mark done comes back for review the next day",
                now,
            );
            return Effect::None;
        }
        self.message = None;
        self.overlay = Overlay::Review(ReviewSession::new(queue, false));
        Effect::None
    }

    /// Reviewing ahead: the cards due within the next week, soonest first.
    fn review_ahead(&mut self, now: Timestamp) {
        let soon = crate::core::review::ahead(
            self.roadmap(),
            self.roadmap_progress(),
            now,
            jiff::SignedDuration::from_hours(24 * 7),
        );
        if soon.is_empty() {
            self.overlay = Overlay::None;
            self.say("nothing comes due in the next 7 days", now);
            return;
        }
        self.overlay = Overlay::Review(ReviewSession::new(soon, true));
    }

    /// A review session: the question, then the answer, then a rating, its result, and the
    /// next card; "again" brings the card back at the end.
    pub(super) fn review(&mut self, action: Action, now: Timestamp, config: &Config) -> Effect {
        let max = self.viewport.get().detail_max_scroll;
        let Overlay::Review(session) = &mut self.overlay else {
            return Effect::None;
        };
        if session.offer_ahead {
            match action {
                Action::Reveal | Action::Confirm => self.review_ahead(now),
                Action::Quit => return Effect::Quit,
                Action::Cancel | Action::StartReview => self.overlay = Overlay::None,
                _ => {}
            }
            return Effect::None;
        }
        match action {
            Action::Reveal if session.finished() => {}
            Action::Reveal => {
                session.revealed = true;
                session.scroll = 0;
            }
            Action::Down | Action::Wheel(_, _, true) => {
                session.scroll = session.scroll.saturating_add(1).min(max)
            }
            Action::Up | Action::Wheel(_, _, false) => {
                session.scroll = session.scroll.saturating_sub(1)
            }
            Action::Rate(_) if session.finished() => {}
            Action::Rate(_) if !session.revealed => {
                let message = Message::default()
                    .key_in(super::Mode::Review, Action::Reveal)
                    .then(" shows the answer first: try to remember, then look");
                self.say(message, now);
            }
            Action::Rate(rating) => return self.rate_current(rating, now, config),
            Action::Verify => return self.verify(now),
            Action::Undo => return self.undo_rating(now),
            Action::EditNote | Action::EditNoteExternally => {
                let Some(card) = session
                    .current()
                    .or(session.rated.last().map(|r| &r.card))
                    .cloned()
                else {
                    return Effect::None;
                };
                let task = &self.roadmap().steps[card.step].tasks[card.task];
                let (key, title) = (card.key.clone(), task.title.to_string());
                return self.edit_over(key, title, action == Action::EditNoteExternally, now);
            }
            Action::EditCards => {
                let Some(card) = session
                    .current()
                    .or(session.rated.last().map(|r| &r.card))
                    .cloned()
                else {
                    return Effect::None;
                };
                let task = &self.roadmap().steps[card.step].tasks[card.task];
                let title = task.title.to_string();
                let on = card.own.then_some(card.card_id.as_str());
                self.open_cards(card.key.clone(), title, on);
                return Effect::None;
            }
            Action::Cancel => {
                let summary = self.review_summary(now, config);
                self.overlay = Overlay::None;
                self.say(summary.clone(), now);
                if self.review_only {
                    self.session_summary = Some(summary);
                    return Effect::Quit;
                }
            }
            Action::Confirm if session.finished() && self.review_only => {
                self.session_summary = Some(self.review_summary(now, config));
                return Effect::Quit;
            }
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    pub(super) fn rate_current(
        &mut self,
        rating: Rating,
        now: Timestamp,
        config: &Config,
    ) -> Effect {
        let Overlay::Review(session) = &self.overlay else {
            return Effect::None;
        };
        let Some(card) = session.current().cloned() else {
            return Effect::None;
        };
        let rated = self.doc.rate(&card, rating, now, &config.review);
        let Overlay::Review(session) = &mut self.overlay else {
            return Effect::None;
        };
        session.index += 1;
        session.revealed = false;
        session.scroll = 0;
        let (next, before, after) = match rated {
            Ok(rated) => rated,
            // Changed elsewhere since the session began (undone, or taken out of review): said
            // with the task's title, as the session names it, and the way back.
            Err(refusal) => {
                let title = &self.roadmap().steps[card.step].tasks[card.task].title;
                let message = match refusal {
                    crate::core::ops::Refusal::OutOfReview { .. } => {
                        Message::from(format!("{title} is out of review · "))
                            .key(Action::ToggleReviewing)
                            .then(" on the checklist puts it back")
                    }
                    crate::core::ops::Refusal::NotDone { .. } => {
                        Message::from(format!("{title} is no longer done: not rated"))
                    }
                    other => Message::from(other.to_string()),
                };
                self.say(message, now);
                return Effect::None;
            }
        };
        // Forgotten: it comes back at the end of this session, not only within the day.
        let requeued = rating == Rating::Again;
        if requeued {
            session.queue.push(crate::core::review::DueCard {
                due: next,
                new: false,
                ..card.clone()
            });
        }
        session.rated.push(Rated {
            card,
            rating,
            next,
            before,
            after,
            requeued,
        });
        self.saved_if(true)
    }

    /// Takes back the last rating of the session: the card's state is restored and it is asked
    /// again.
    fn undo_rating(&mut self, now: Timestamp) -> Effect {
        let Overlay::Review(session) = &mut self.overlay else {
            return Effect::None;
        };
        let Some(last) = session.rated.pop() else {
            self.say("nothing rated in this review yet", now);
            return Effect::None;
        };
        if last.requeued
            && let Some(i) = session.queue.iter().rposition(|c| c.id() == last.card.id())
        {
            session.queue.remove(i);
        }
        session.index = session.index.saturating_sub(1);
        session.revealed = false;
        session.scroll = 0;
        let undone = self.doc.unrate(
            &last.card,
            last.rating,
            last.before.as_ref(),
            last.after.as_ref(),
            now,
        );
        let title = self.roadmap().steps[last.card.step].tasks[last.card.task]
            .title
            .clone();
        self.say(
            if undone {
                format!("undid review of {title}")
            } else {
                format!("{title} changed elsewhere since; its review stays")
            },
            now,
        );
        self.saved_if(undone)
    }

    /// What the session came to: cards reviewed, the share remembered, and when the next is due.
    pub fn review_summary(&self, now: Timestamp, config: &Config) -> String {
        let Overlay::Review(session) = &self.overlay else {
            return String::new();
        };
        let mut text = format!("review ended: {}", session.tally_text());
        let left = session.queue.len().saturating_sub(session.index);
        if left > 0 {
            text.push_str(&format!(" · {left} still due"));
        }
        if let Some(at) =
            crate::core::review::next_due(self.roadmap(), self.roadmap_progress(), now)
        {
            text.push_str(&format!(" · next due {}", config.when(at, now)));
        }
        text
    }

    pub(super) fn toggle_reviewing(&mut self, now: Timestamp) -> Effect {
        let Some((key, title)) = self
            .note_target()
            .filter(|_| self.selected_task().is_some())
        else {
            self.say("review is per task: select a done task", now);
            return Effect::None;
        };
        let Some(task) = self.selected_task().cloned() else {
            return Effect::None;
        };
        let on = self
            .roadmap_progress()
            .item(&key)
            .is_none_or(|item| !crate::core::review::reviewing(item, &task));
        let changed = match self.doc.set_reviewing(&key, on, now) {
            Ok(changed) => changed,
            Err(refusal) => {
                self.say(refusal.to_string(), now);
                return Effect::None;
            }
        };
        let message = if on {
            Message::from(format!("{title} is back in review, due tomorrow"))
        } else {
            Message::from(format!("{title} is out of review · "))
                .key(Action::ToggleReviewing)
                .then(" puts it back")
        };
        self.say(message, now);
        self.saved_if(changed)
    }

    /// Counts the cards due for review, for the header.
    pub(super) fn recount_reviews(&mut self, now: Timestamp, config: &Config) {
        self.reviews_counted_at = now;
        self.reviews_stale = false;
        let (due, fading) = crate::core::review::due_and_fading(
            self.doc.roadmap(),
            self.doc.roadmap_progress(),
            now,
            &config.review,
        );
        self.review_due = due;
        self.doc.set_fading(fading);
    }
}
