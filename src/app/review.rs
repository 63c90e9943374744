//! Reviewing what was learned: the notes view and the spaced-review session.

use jiff::Timestamp;

use super::{Action, App, Effect, Overlay, ReviewSession};
use crate::progress::Status;

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
        let shown = crate::notes::matching(&entries, query);
        let count = shown.len();
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
            Action::Confirm | Action::EditNote | Action::EditNoteExternally => {
                let Some((key, step, task, title)) = picked else {
                    return Effect::None;
                };
                self.overlay = Overlay::None;
                self.retree(|tree, doc| tree.reveal(doc, step, task));
                return match action {
                    Action::EditNote => self.open_editor(key, title, now),
                    Action::EditNoteExternally => self.open_external_editor(key),
                    _ => {
                        self.say(format!("the note on {title}"), now);
                        Effect::None
                    }
                };
            }
            Action::Cancel | Action::ShowNotes => self.overlay = Overlay::None,
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    /// Every note of the roadmap, in roadmap order.
    pub fn notes(&self) -> Vec<crate::notes::NoteEntry> {
        crate::notes::collect(self.roadmap(), self.roadmap_progress(), None)
    }

    pub(super) fn start_review(&mut self, now: Timestamp) -> Effect {
        let queue = crate::review::queue(self.roadmap(), self.roadmap_progress(), now);
        if queue.is_empty() {
            let message = match crate::review::next_due(self.roadmap_progress(), now) {
                Some(at) => format!(
                    "nothing to review now; the next review is on {}",
                    self.format_date(at)
                ),
                None => {
                    "nothing in review yet: a task you mark done comes back for review the next day"
                        .to_string()
                }
            };
            self.say(message, now);
            return Effect::None;
        }
        self.message = None;
        self.overlay = Overlay::Review(ReviewSession {
            queue,
            index: 0,
            revealed: false,
            rated: 0,
            scroll: 0,
        });
        Effect::None
    }

    /// A review session: the question, then the answer, then a rating and the next task.
    pub(super) fn review(&mut self, action: Action, now: Timestamp) -> Effect {
        let max = self.viewport.get().detail_max_scroll;
        let Overlay::Review(session) = &mut self.overlay else {
            return Effect::None;
        };
        match action {
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
            Action::Rate(_) if !session.revealed => {
                self.say(
                    "space shows the answer first: try to remember, then look",
                    now,
                );
            }
            Action::Rate(rating) => {
                let Some(task) = session.current().cloned() else {
                    return Effect::None;
                };
                session.index += 1;
                session.revealed = false;
                session.scroll = 0;
                let next = self.doc.rate(&task.key, rating, now);
                if next.is_some()
                    && let Overlay::Review(session) = &mut self.overlay
                {
                    session.rated += 1;
                }
                self.recount_reviews(now);
                let title = self.roadmap().steps[task.step].tasks[task.task]
                    .title
                    .clone();
                let message = match next {
                    Some(at) => format!("{title}: next review on {}", self.format_date(at)),
                    None => format!("{title} is no longer in review"),
                };
                self.say(message, now);
                self.finish_review_if_done(now);
                return self.saved_if(next.is_some());
            }
            Action::Cancel => {
                let (rated, left) = (session.rated, session.queue.len() - session.index);
                self.overlay = Overlay::None;
                self.say(
                    format!("review ended: {rated} reviewed, {left} still due"),
                    now,
                );
            }
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    pub(super) fn finish_review_if_done(&mut self, now: Timestamp) {
        let Overlay::Review(session) = &self.overlay else {
            return;
        };
        if session.index < session.queue.len() {
            return;
        }
        let rated = session.rated;
        self.overlay = Overlay::None;
        let next = crate::review::next_due(self.roadmap_progress(), now)
            .map(|at| format!(" · next review on {}", self.format_date(at)))
            .unwrap_or_default();
        self.say(format!("review done: {rated} reviewed{next}"), now);
    }

    pub(super) fn toggle_reviewing(&mut self, now: Timestamp) -> Effect {
        let Some((key, title)) = self
            .note_target()
            .filter(|_| self.selected_task().is_some())
        else {
            self.say("review is per task: select a done task", now);
            return Effect::None;
        };
        let Some(item) = self
            .roadmap_progress()
            .item(&key)
            .filter(|i| i.status == Status::Done)
        else {
            self.say("only a done task is reviewed: mark it done first", now);
            return Effect::None;
        };
        let on = !crate::review::reviewing(item);
        let changed = self.doc.set_reviewing(&key, on, now);
        self.recount_reviews(now);
        self.say(
            if on {
                format!("{title} is back in review, due tomorrow")
            } else {
                format!("{title} is out of review · X puts it back")
            },
            now,
        );
        self.saved_if(changed)
    }

    /// Counts the tasks due for review, for the header.
    pub(super) fn recount_reviews(&mut self, now: Timestamp) {
        self.reviews_counted_at = now;
        let rp = self.doc.roadmap_progress();
        self.review_due = rp
            .items
            .iter()
            .filter(|(key, item)| {
                key.contains('/')
                    && crate::review::due(item).is_some_and(|at| at <= now)
                    && self.doc.step_of(key).is_some()
            })
            .count();
    }
}
