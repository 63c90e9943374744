//! What the keys do on the tree itself: moving, opening steps, ticking, notes, filters,
//! links, undo, and opening the overlays.

use jiff::Timestamp;

use super::{Action, App, Effect, Message, Overlay, PendingChange, Revision, Row, StatusFilter};
use crate::core::progress::{Status, StepChange};
use crate::tui::config::Config;

impl App {
    pub(super) fn browse(&mut self, action: Action, now: Timestamp, config: &Config) -> Effect {
        if let Overlay::External { key, back } = &mut self.overlay {
            let key = key.clone();
            self.overlay = back.take().map_or(Overlay::None, |b| *b);
            return match action {
                Action::NoteEdited(text) => self.note_edited(&key, &text, now),
                _ => Effect::None,
            };
        }
        match action {
            Action::Down
            | Action::Up
            | Action::First
            | Action::Last
            | Action::Expand
            | Action::Collapse
            | Action::ToggleExpand => self.browse_tree(action),
            Action::ToggleDone => self.toggle_status(Status::Done, now),
            Action::ToggleInProgress => self.toggle_status(Status::InProgress, now),
            Action::ToggleSkipped => self.toggle_status(Status::Skipped, now),
            Action::Continue => {
                if !self.go_to_continue_point() {
                    self.say("Everything is done or skipped: well done!", now);
                }
                Effect::None
            }
            Action::Undo => self.undo_redo(true, now),
            Action::Redo => self.undo_redo(false, now),
            Action::EditNote => match self.note_target() {
                Some((key, title)) => self.open_editor(key, title, now),
                None => Effect::None,
            },
            Action::EditNoteExternally => match self.note_target() {
                Some((key, _)) => self.open_external_editor(key),
                None => Effect::None,
            },
            Action::EditCards => self.cards_of_selected(now),
            Action::StartReview => self.start_review(now, config),
            Action::Verify => self.verify(now),
            Action::ToggleReviewing => self.toggle_reviewing(now),
            Action::ShowRoadmaps => Effect::ListRoadmaps,
            Action::CycleStatusFilter => self.cycle_status_filter(now),
            Action::OpenResource => self.open_resource(now),
            Action::PickResource => self.pick_resource(now),
            Action::Click(col, row) => self.click(col, row),
            Action::Wheel(col, row, down) => self.wheel(col, row, down),
            Action::Quit => Effect::Quit,
            other => self.browse_views(other),
        }
    }

    /// Moving through the tree, and opening and closing its steps.
    fn browse_tree(&mut self, action: Action) -> Effect {
        match action {
            Action::Down => self.select(self.tree.selected().saturating_add(1)),
            Action::Up => self.select(self.tree.selected().saturating_sub(1)),
            Action::First => self.select(0),
            Action::Last => self.select(self.tree.rows().len().saturating_sub(1)),
            Action::Expand
                if self.viewport.get().detail.is_none() && self.selected_task().is_some() =>
            {
                self.overlay = Overlay::Details { stats: false };
                Effect::None
            }
            Action::Expand => match self.selected_row() {
                Some(Row::Step(s)) if !self.tree.is_open(s) && !self.filtering() => {
                    self.set_expanded(s, true)
                }
                Some(Row::Step(_)) => match self.tree.rows().get(self.tree.selected() + 1) {
                    Some(Row::Task(..)) => self.select(self.tree.selected() + 1),
                    _ => Effect::None,
                },
                _ => Effect::None,
            },
            Action::Collapse => match self.selected_row() {
                Some(Row::Step(s)) if self.tree.is_open(s) && !self.filtering() => {
                    self.set_expanded(s, false)
                }
                Some(Row::Task(s, _)) => {
                    self.tree.select_row(Row::Step(s));
                    self.detail_scroll = 0;
                    Effect::None
                }
                _ => Effect::None,
            },
            Action::ToggleExpand => match self.selected_row() {
                Some(Row::Step(s)) if !self.filtering() => {
                    self.set_expanded(s, !self.tree.is_open(s))
                }
                _ => Effect::None,
            },
            _ => Effect::None,
        }
    }

    /// What is shown beside and over the tree: the detail scroll, the progress view, help,
    /// notes, the filter line, and Esc backing out of them.
    fn browse_views(&mut self, action: Action) -> Effect {
        match action {
            Action::ScrollDetailDown => {
                let max = self.viewport.get().detail_max_scroll;
                self.detail_scroll = self.detail_scroll.saturating_add(self.page()).min(max);
            }
            Action::ScrollDetailUp => {
                self.detail_scroll = self.detail_scroll.saturating_sub(self.page());
            }
            // The progress view and the details share one scroll: each opens at its top.
            Action::ToggleStats if self.no_room_for_details() => {
                self.overlay = Overlay::Details { stats: true };
                self.detail_scroll = 0;
            }
            Action::ToggleStats => {
                self.show_stats = !self.show_stats;
                self.detail_scroll = 0;
            }
            Action::ShowHelp => {
                self.overlay = Overlay::Help {
                    scroll: 0,
                    query: String::new(),
                    searching: false,
                };
            }
            Action::ShowNotes => {
                self.overlay = Overlay::Notes {
                    selected: 0,
                    query: String::new(),
                    searching: false,
                };
            }
            Action::StartFilter => self.overlay = Overlay::Filter,
            // Esc backs out of one thing at a time, and at the top does nothing: only q and
            // Ctrl-C quit.
            Action::Cancel if self.filtering() => self.clear_filter(),
            Action::Cancel => self.show_stats = false,
            _ => {}
        }
        Effect::None
    }

    fn cycle_status_filter(&mut self, now: Timestamp) -> Effect {
        self.retree(|tree, doc| {
            tree.cycle_status_filter(doc);
        });
        let shown = match self.tree.status_filter() {
            StatusFilter::All => "showing all tasks",
            StatusFilter::NotDone => "showing the tasks not done",
            StatusFilter::Done => "showing the done tasks",
            StatusFilter::WithNotes => "showing what has a note",
            StatusFilter::Fading => "showing the done tasks fading from memory (↻): review them",
            StatusFilter::Core => "showing the core tasks: the path without what can wait",
            StatusFilter::Stretch => {
                "showing the stretch tasks (◇): they count once you start them"
            }
        };
        self.say(shown, now);
        Effect::None
    }

    fn open_resource(&mut self, now: Timestamp) -> Effect {
        let resources = self.resources();
        match resources.get(self.last_pick_index().unwrap_or(0)) {
            Some(r) => {
                let url = r.url.clone();
                self.open(&url, now)
            }
            None => {
                self.say("no links here: this task and its step list none", now);
                Effect::None
            }
        }
    }

    fn pick_resource(&mut self, now: Timestamp) -> Effect {
        match self.resources().len() {
            0 => self.say("no links here: this task and its step list none", now),
            _ => {
                self.overlay = Overlay::Picker {
                    selected: self.last_pick_index().unwrap_or(0),
                }
            }
        }
        Effect::None
    }

    /// `target` toggles on a task: set it, or back to todo if it already is. On a step, done and
    /// skipped apply to all its tasks (all done → none done); in progress is for tasks only.
    pub(super) fn toggle_status(&mut self, target: Status, now: Timestamp) -> Effect {
        let changed = match self.selected_row() {
            None => return Effect::None,
            Some(Row::Task(s, t)) => self.doc.toggle_task(s, t, target, now),
            Some(Row::Step(s)) => {
                let (updates, change) = match self.doc.step_toggle_updates(s, target) {
                    Ok(toggle) => toggle,
                    Err(refusal) => {
                        self.say(refusal.to_string(), now);
                        return Effect::None;
                    }
                };
                let title = &self.roadmap().steps[s].title;
                let n = updates.len();
                if n == 0 {
                    self.say(format!("no task of {title} to change"), now);
                    return Effect::None;
                }
                let tasks = crate::core::text::noun_for(n, "task");
                let (question, outcome) = match change {
                    StepChange::Set(Status::Done) => (
                        format!("Mark the {n} open {tasks} of \"{title}\" done?"),
                        "marked done",
                    ),
                    StepChange::Set(_) => (
                        format!("Skip the {n} open {tasks} of \"{title}\"?"),
                        "skipped",
                    ),
                    StepChange::Clear(Status::Done) => (
                        format!("Mark the {n} done {tasks} of \"{title}\" not done?"),
                        "back to todo",
                    ),
                    StepChange::Clear(_) => (
                        format!("Stop skipping the {n} skipped {tasks} of \"{title}\"?"),
                        "back to todo",
                    ),
                };
                let done = Message::from(format!("{n} {tasks} of {title} {outcome} · "))
                    .key(Action::Undo)
                    .then(" undoes");
                if n == 1 {
                    self.say(done, now);
                    self.doc.set_statuses(updates, now)
                } else {
                    self.overlay = Overlay::Confirm(PendingChange {
                        updates,
                        question,
                        done,
                    });
                    return Effect::None;
                }
            }
        };
        self.saved_if(changed)
    }

    /// A change in words, as the footer names it: "note on Core syntax", "Core syntax marked
    /// done", "5 tasks of Databases marked done".
    pub(super) fn describe(&self, revision: &Revision) -> String {
        let title = |key: &str| match self.doc.position_of(key) {
            Some((s, Some(t))) => self.roadmap().steps[s].tasks[t].title.to_string(),
            Some((s, None)) => self.roadmap().steps[s].title.to_string(),
            None => key.to_string(),
        };
        let status = |item: &Option<crate::core::progress::Item>| {
            item.as_ref().map(|i| i.status).unwrap_or_default()
        };
        match revision.as_slice() {
            [(key, before, after)] if status(before) != status(after) => {
                format!("{} marked {}", title(key), status(after).label())
            }
            [(key, _, _)] => format!("note on {}", title(key)),
            [(first, _, after), ..] => {
                let same_step = revision
                    .iter()
                    .all(|(k, _, _)| self.doc.step_of(k) == self.doc.step_of(first));
                let same_status = revision.iter().all(|(_, _, a)| status(a) == status(after));
                match self.doc.step_of(first) {
                    Some(s) if same_step && same_status => format!(
                        "{} tasks of {} marked {}",
                        revision.len(),
                        self.roadmap().steps[s].title,
                        status(after).label()
                    ),
                    _ => format!("{} changes", revision.len()),
                }
            }
            [] => "nothing".to_string(),
        }
    }
}
