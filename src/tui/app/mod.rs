//! The state of the TUI and every change it can make, as plain functions of `(state, action)`:
//! no terminal, no files, no clock (the time of a change is passed in).
//!
//! `mod.rs` holds the App and the dispatch of each action by what is open; `browse` what the keys
//! do on the tree; `overlays` what they do in help, filter, editor, picker, questions and
//! switcher; `review` the notes view and review sessions; `document` the progress and its undo;
//! `tree` the visible lines and the selection; `overlay` the one enum of what is open;
//! `viewport` what the last frame fit; `mouse` clicks; `views` read-only views.

mod browse;
mod cards;
mod checks;
mod document;
mod message;
mod mouse;
mod overlay;
mod overlays;
mod review;
mod tree;
mod viewport;
mod views;

use jiff::{SignedDuration, Timestamp};

pub use crate::tui::action::{Action, Effect, Mode};
use document::Document;
pub use document::Revision;
pub use message::Message;
pub use overlay::{
    Checking, MAX_INLINE_NOTE_BYTES, NoteEditor, Overlay, PendingChange, Rated, ReviewSession,
    RoadmapChoice,
};
use tree::Tree;
pub use tree::{Row, StatusFilter};
use viewport::LastFrame;
pub use viewport::Viewport;

use crate::core::progress::{Progress, Status};
use crate::core::roadmap::{Roadmap, bad_url, task_key};
use crate::tui::config::Config;

/// How long a footer message stays before it fades.
pub const MESSAGE_TTL: SignedDuration = SignedDuration::from_secs(4);

#[derive(Debug, Clone)]
pub struct App {
    doc: Document,
    tree: Tree,
    overlay: Overlay,
    viewport: LastFrame,
    detail_scroll: u16,
    message: Option<(Message, Timestamp)>,
    show_stats: bool,
    /// Tasks due for review as of the latest action, and when they were counted.
    review_due: usize,
    reviews_counted_at: Timestamp,
    /// A change was made since: the count is taken again before the action returns.
    reviews_stale: bool,
    /// Whether the first action has said what is due for review.
    greeted: bool,
    /// The link picked last with `O`, by item key, for `o` to open again.
    last_pick: std::collections::HashMap<String, String>,
    /// The time of the latest action: what "today" is for the progress view.
    now: Timestamp,
    /// Opened for one review session only (`pathway review --session`): ending it quits.
    review_only: bool,
    /// What the review session came to, once it ended.
    session_summary: Option<String>,
    /// Whether the roadmap's checks may run (built in, or approved as they are).
    checks_trusted: bool,
    /// Checks running in the background.
    checking: Option<Checking>,
    /// The project folder and variables checks run with, for the approval to show what each
    /// template becomes.
    check_values: Option<crate::checks::trust::Values>,
    /// What the last check of each task found this session, probe by probe (`checks::report`):
    /// the details show it, so a failure says which probe, what came back and where it ran.
    check_reports: std::collections::BTreeMap<String, String>,
}

impl App {
    /// Opens on the first task in progress, else the first one not done, with its step expanded,
    /// so the learner finds themselves where they left off.
    pub fn new(roadmap: Roadmap, progress: Progress) -> App {
        let tree = Tree::new(roadmap.steps.len());
        let doc = Document::new(roadmap, progress);
        let mut app = App {
            doc,
            tree,
            overlay: Overlay::None,
            viewport: LastFrame::default(),
            detail_scroll: 0,
            message: None,
            show_stats: false,
            last_pick: Default::default(),
            review_due: 0,
            reviews_counted_at: Timestamp::UNIX_EPOCH,
            reviews_stale: false,
            greeted: false,
            now: Timestamp::UNIX_EPOCH,
            review_only: false,
            session_summary: None,
            checks_trusted: false,
            check_reports: std::collections::BTreeMap::new(),
            checking: None,
            check_values: None,
        };
        app.tree.rebuild(&app.doc);
        app.go_to_continue_point();
        app
    }

    /// Whether the roadmap's checks may run without asking (built in, or approved as they are).
    pub fn with_checks_trusted(mut self, trusted: bool) -> App {
        self.checks_trusted = trusted;
        self
    }

    /// Where and with what this roadmap's checks run, shown beside the templates when asked to
    /// approve them.
    pub fn with_check_values(mut self, values: crate::checks::trust::Values) -> App {
        self.check_values = Some(values);
        self
    }

    pub fn check_values(&self) -> Option<&crate::checks::trust::Values> {
        self.check_values.as_ref()
    }

    /// Opens straight into a review session, and quits when it ends (`review --session`).
    pub fn for_review_session(mut self, now: Timestamp, config: &Config) -> App {
        self.review_only = true;
        self.greeted = true;
        self.recount_reviews(now, config);
        self.start_review(now, config);
        self
    }

    /// What the review session came to, once it ended.
    pub fn session_summary(&self) -> Option<&str> {
        self.session_summary.as_deref()
    }

    /// Counts what is due and says so, once: the terminal calls it before the first frame, so
    /// the header counts the cards due from the start rather than after the first tick.
    pub fn greet(&mut self, now: Timestamp, config: &Config) {
        if self.greeted {
            return;
        }
        self.greeted = true;
        self.now = now;
        self.recount_reviews(now, config);
        if self.review_due > 0 && self.message.is_none() {
            let cards = crate::core::text::count(self.review_due, "card");
            let message = Message::from(format!("{cards} to review: "))
                .key(Action::StartReview)
                .then(" starts");
            self.say(message, now);
        }
    }

    /// What an action does to the state, as of `now`, under this configuration (the review
    /// settings schedule; the time zone dates messages).
    pub fn handle(&mut self, action: Action, now: Timestamp, config: &Config) -> Effect {
        self.now = now;
        self.greet(now, config);
        let effect = self.dispatch(action, now, config);
        if self.reviews_stale {
            self.recount_reviews(now, config);
        }
        effect
    }

    fn dispatch(&mut self, action: Action, now: Timestamp, config: &Config) -> Effect {
        match action {
            Action::Tick => {
                // Time passing brings reviews due; a minute is fine enough, and spares a large
                // roadmap a pass over its items at every tick.
                if now.duration_since(self.reviews_counted_at).as_secs() >= 60 {
                    self.reviews_stale = true;
                }
                if self
                    .message
                    .as_ref()
                    .is_some_and(|(_, until)| *until <= now)
                {
                    self.message = None;
                }
                return Effect::None;
            }
            Action::Suspend => return Effect::Suspend,
            Action::Paste(text) => return self.paste(&text, now),
            Action::CheckFinished {
                key,
                result,
                detail,
                report,
            } => return self.check_finished(&key, result, detail, report, now, config),
            // Esc stops running checks before it does anything else.
            Action::Cancel
                if self.checking.is_some()
                    && !matches!(self.overlay.mode(), Mode::Edit | Mode::CardEdit) =>
            {
                self.checking = None;
                self.say("checks stopped", now);
                return Effect::CancelChecks;
            }
            _ => {}
        }

        match self.overlay.mode() {
            Mode::Browse => self.browse(action, now, config),
            Mode::Help | Mode::HelpSearch => self.help(action),
            Mode::Confirm => self.confirm_change(action, now),
            Mode::ConfirmTrust => self.confirm_trust(action, now),
            Mode::Details => self.details(action),
            Mode::Notes | Mode::NotesSearch => self.notes_view(action, now),
            Mode::Review => self.review(action, now, config),
            Mode::Roadmaps => self.roadmaps_view(action, now),
            Mode::Link => match action {
                Action::Quit => Effect::Quit,
                Action::Cancel => {
                    self.overlay = Overlay::None;
                    Effect::None
                }
                _ => Effect::None,
            },
            Mode::Filter => self.filter_input(action),
            Mode::Edit => self.edit(action, now),
            Mode::CardEdit => self.card_edit(action, now),
            Mode::ConfirmDiscard if matches!(self.overlay, Overlay::ConfirmDiscardCard(_)) => {
                self.confirm_discard_card(action)
            }
            Mode::ConfirmDiscard => self.confirm_discard(action),
            Mode::Picker => self.pick(action, now),
        }
    }

    /// Opens the switcher on these roadmaps (read for `Effect::ListRoadmaps`), the current
    /// one selected and given the figures the header shows, as of the last change.
    pub fn show_roadmaps(&mut self, mut choices: Vec<RoadmapChoice>) {
        let percent = self.counts().percent();
        for choice in choices.iter_mut().filter(|c| c.id == self.roadmap().id) {
            choice.percent = percent;
        }
        let selected = choices
            .iter()
            .position(|r| r.id == self.roadmap().id)
            .unwrap_or(0);
        self.overlay = Overlay::Roadmaps { selected, choices };
    }

    /// A link no browser could open: shown whole, on a line of its own, to copy by hand.
    pub fn show_link(&mut self, url: &str, why: &str) {
        self.overlay = Overlay::Link {
            url: url.to_string(),
            why: why.to_string(),
        };
    }

    /// The same app on another roadmap: the progress carries over, and the size of the
    /// window it was drawn in.
    pub fn switched_to(&self, roadmap: Roadmap) -> App {
        let mut app = App::new(roadmap, self.progress().clone());
        app.viewport = self.viewport.clone();
        app
    }

    fn open(&mut self, url: &str, now: Timestamp) -> Effect {
        match bad_url(url) {
            None => Effect::Open(url.to_string()),
            Some(why) => {
                self.say(format!("not opened: {url:?} {why}"), now);
                Effect::None
            }
        }
    }

    fn note_edited(&mut self, key: &str, text: &str, now: Timestamp) -> Effect {
        self.write_note(key, text, "note saved", now)
    }

    /// Writes a note and says `said`, or why it was refused.
    fn write_note(&mut self, key: &str, text: &str, said: &str, now: Timestamp) -> Effect {
        match self.doc.set_note(key, text, now) {
            Ok(changed) => {
                if changed {
                    self.say(said, now);
                }
                self.saved_if(changed)
            }
            Err(refusal) => {
                self.say(refusal.to_string(), now);
                Effect::None
            }
        }
    }

    /// A change to progress was made: rows a filter shows may change with it, and so may the
    /// reviews due.
    fn saved_if(&mut self, changed: bool) -> Effect {
        if !changed {
            return Effect::None;
        }
        self.reviews_stale = true;
        if self.filtering() {
            self.retree(Tree::rebuild);
        }
        Effect::Save
    }

    fn undo_redo(&mut self, undo: bool, now: Timestamp) -> Effect {
        let Some(revision) = self.doc.undo_redo(undo, now).cloned() else {
            self.say(
                if undo {
                    "nothing to undo"
                } else {
                    "nothing to redo"
                },
                now,
            );
            return Effect::None;
        };
        let what = self.describe(&revision);
        self.say(
            format!("{}: {what}", if undo { "undone" } else { "redone" }),
            now,
        );
        let effect = self.saved_if(true);
        // Show what changed: the selection goes to the item, opening its step.
        if let Some((s, t)) = revision
            .first()
            .and_then(|(key, _, _)| self.doc.position_of(key))
        {
            self.retree(|tree, doc| tree.reveal(doc, s, t));
        }
        effect
    }

    fn set_expanded(&mut self, step: usize, expanded: bool) -> Effect {
        self.retree(|tree, doc| tree.set_expanded(doc, step, expanded));
        Effect::None
    }

    fn select(&mut self, index: usize) -> Effect {
        if self.tree.select(index) {
            self.detail_scroll = 0;
        }
        Effect::None
    }

    /// Changes which rows the tree shows; a selection that lands on another line starts its
    /// details at the top.
    fn retree(&mut self, change: impl FnOnce(&mut Tree, &Document)) {
        let before = self.selected_row();
        change(&mut self.tree, &self.doc);
        if before != self.selected_row() {
            self.detail_scroll = 0;
        }
    }

    pub fn filtering(&self) -> bool {
        self.tree.filtering()
    }

    fn clear_filter(&mut self) {
        self.retree(Tree::clear_filter);
        self.overlay = Overlay::None;
        // "showing not done tasks" would now be wrong.
        self.message = None;
    }

    /// Where the link last picked with `O` for the selected line stands among its resources.
    fn last_pick_index(&self) -> Option<usize> {
        let (key, _) = self.note_target()?;
        let url = self.last_pick.get(&key)?;
        self.resources().iter().position(|r| &r.url == url)
    }

    /// The last frame had no room for the details beside the tree: they open full-screen.
    fn no_room_for_details(&self) -> bool {
        let viewport = self.viewport.get();
        !viewport.tree.is_empty() && viewport.detail.is_none()
    }

    /// Half the detail pane's height, as the last frame drew it.
    fn page(&self) -> u16 {
        (self.viewport.get().detail_height / 2).max(1)
    }

    /// The first task in progress, else the first not done or skipped.
    pub fn continue_point(&self) -> Option<(usize, usize)> {
        let rp = self.roadmap_progress();
        let roadmap = self.roadmap();
        let tasks = || {
            roadmap.steps.iter().enumerate().flat_map(move |(s, step)| {
                step.tasks
                    .iter()
                    .enumerate()
                    .map(move |(t, task)| (s, t, rp.status(&task_key(step, task))))
            })
        };
        tasks()
            .find(|(_, _, st)| *st == Status::InProgress)
            .or_else(|| tasks().find(|(_, _, st)| *st == Status::Todo))
            .map(|(s, t, _)| (s, t))
    }

    fn go_to_continue_point(&mut self) -> bool {
        let Some((s, t)) = self.continue_point() else {
            return false;
        };
        self.retree(|tree, doc| tree.reveal(doc, s, Some(t)));
        true
    }

    /// The progress key and a title for the note of the selected line.
    fn note_target(&self) -> Option<(String, String)> {
        let row = self.selected_row()?;
        let step = &self.roadmap().steps[row.step()];
        Some(match self.selected_task() {
            Some(task) => (task_key(step, task), task.title.to_string()),
            None => (step.id.to_string(), step.title.to_string()),
        })
    }

    fn say(&mut self, message: impl Into<Message>, now: Timestamp) {
        self.message = Some((message.into(), now + MESSAGE_TTL));
    }

    /// Lets the store save the progress; whatever another process saved and the store merged in
    /// is counted and shown. The selection stays where it is.
    pub fn save_with<E>(
        &mut self,
        save: impl FnOnce(&mut Progress) -> Result<bool, E>,
        config: &Config,
    ) -> Result<(), E> {
        if self.doc.save_with(save)? {
            self.after_external_change(config);
        }
        Ok(())
    }

    /// Takes in the progress file as another process left it, merged item by item.
    pub fn merge_from_disk(&mut self, disk: &Progress, config: &Config) {
        if self.doc.merge_from(disk) {
            self.after_external_change(config);
        }
    }

    fn after_external_change(&mut self, config: &Config) {
        self.recount_reviews(self.now, config);
        if self.filtering() {
            self.retree(Tree::rebuild);
        }
    }
}
