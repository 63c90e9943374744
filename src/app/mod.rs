//! The state of the TUI and every change it can make, as plain functions of `(state, action)`:
//! no terminal, no files, no clock (the time of a change is passed in).
//!
//! `document` holds the progress and its undo; `tree` the visible lines and the selection;
//! `overlay` whatever is open over them; `viewport` what the last frame fit; `mouse` clicks.

mod action;
mod document;
mod mouse;
mod overlay;
mod tree;
mod viewport;
mod views;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

pub use action::{Action, Effect};
use document::Document;
pub use document::Revision;
pub use overlay::{Mode, NoteEditor, Overlay, PendingChange, ReviewSession, RoadmapChoice};
use tree::Tree;
pub use tree::{Row, StatusFilter};
use viewport::LastFrame;
pub use viewport::Viewport;

use crate::progress::{Progress, Status, StepChange};
use crate::roadmap::{Roadmap, bad_url, task_key};

/// How long a footer message stays before it fades.
pub const MESSAGE_TTL: SignedDuration = SignedDuration::from_secs(4);

#[derive(Debug, Clone)]
pub struct App {
    doc: Document,
    tree: Tree,
    overlay: Overlay,
    viewport: LastFrame,
    detail_scroll: u16,
    color: bool,
    time_zone: TimeZone,
    message: Option<(String, Timestamp)>,
    show_stats: bool,
    hyperlinks: bool,
    /// The keys in effect, with the learner's remapping.
    keymap: crate::keys::Keymap,
    /// The theme and colour overrides from the settings.
    look: crate::settings::Settings,
    /// The roadmaps the switcher (`R`) offers.
    roadmaps: Vec<RoadmapChoice>,
    /// Tasks due for review as of the latest action.
    review_due: usize,
    /// Whether the first action has said what is due for review.
    greeted: bool,
    /// The link picked last with `O`, by item key, for `o` to open again.
    last_pick: std::collections::HashMap<String, String>,
    /// The time of the latest action: what "today" is for the progress view.
    now: Timestamp,
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
            color: true,
            time_zone: TimeZone::system(),
            message: None,
            show_stats: false,
            hyperlinks: false,
            last_pick: Default::default(),
            keymap: crate::keys::Keymap::default(),
            look: crate::settings::Settings::default(),
            roadmaps: Vec::new(),
            review_due: 0,
            greeted: false,
            now: Timestamp::UNIX_EPOCH,
        };
        app.tree.rebuild(&app.doc);
        app.go_to_continue_point();
        app
    }

    /// Turns colours off (for `NO_COLOR`); selection still shows through bold and reverse video.
    pub fn with_color(mut self, color: bool) -> App {
        self.color = color;
        self
    }

    /// Applies the settings file: its theme and colours, and its keys.
    pub fn with_settings(mut self, settings: &crate::settings::Settings) -> App {
        if let Ok(keymap) = crate::keys::Keymap::from_settings(&settings.keys) {
            self.keymap = keymap;
        }
        self.look = settings.clone();
        self
    }

    /// Makes resource titles clickable links (OSC 8), for terminals that support them.
    pub fn with_hyperlinks(mut self, hyperlinks: bool) -> App {
        self.hyperlinks = hyperlinks;
        self
    }

    /// Dates are shown in this zone (the system's by default; tests fix one).
    pub fn with_time_zone(mut self, time_zone: TimeZone) -> App {
        self.time_zone = time_zone;
        self
    }

    pub fn handle(&mut self, action: Action, now: Timestamp) -> Effect {
        self.now = now;
        if !self.greeted {
            self.greeted = true;
            self.recount_reviews(now);
            if self.review_due > 0 && self.message.is_none() {
                let n = self.review_due;
                let tasks = if n == 1 { "task" } else { "tasks" };
                self.say(format!("{n} {tasks} to review: r starts"), now);
            }
        }
        match action {
            Action::Resize(..) => return Effect::None,
            Action::Tick => {
                // Time passing brings reviews due.
                self.recount_reviews(now);
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
            _ => {}
        }

        match self.overlay.mode() {
            Mode::Browse => self.browse(action, now),
            Mode::Help | Mode::HelpSearch => self.help(action),
            Mode::Confirm => self.confirm_change(action, now),
            Mode::Details => self.details(action),
            Mode::Notes | Mode::NotesSearch => self.notes_view(action, now),
            Mode::Review => self.review(action, now),
            Mode::Roadmaps => self.roadmaps_view(action, now),
            Mode::Filter => self.filter_input(action),
            Mode::Edit => self.edit(action, now),
            Mode::ConfirmDiscard => self.confirm_discard(action),
            Mode::Picker => self.pick(action, now),
        }
    }

    fn browse(&mut self, action: Action, now: Timestamp) -> Effect {
        if let Overlay::External { key } = &self.overlay {
            let key = key.clone();
            self.overlay = Overlay::None;
            return match action {
                Action::NoteEdited(text) => self.note_edited(&key, &text, now),
                _ => Effect::None,
            };
        }
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
            Action::ToggleDone => self.toggle_status(Status::Done, now),
            Action::ToggleInProgress => self.toggle_status(Status::InProgress, now),
            Action::ToggleSkipped => self.toggle_status(Status::Skipped, now),
            Action::Continue => {
                if !self.go_to_continue_point() {
                    self.say("Everything is done or skipped: well done!", now);
                }
                Effect::None
            }
            Action::ScrollDetailDown => {
                let max = self.viewport.get().detail_max_scroll;
                self.detail_scroll = self.detail_scroll.saturating_add(self.page()).min(max);
                Effect::None
            }
            Action::ScrollDetailUp => {
                self.detail_scroll = self.detail_scroll.saturating_sub(self.page());
                Effect::None
            }
            Action::ToggleStats if self.no_room_for_details() => {
                self.overlay = Overlay::Details { stats: true };
                Effect::None
            }
            Action::ToggleStats => {
                self.show_stats = !self.show_stats;
                Effect::None
            }
            Action::ShowHelp => {
                self.overlay = Overlay::Help {
                    scroll: 0,
                    query: String::new(),
                    searching: false,
                };
                Effect::None
            }
            Action::Undo => self.undo_redo(true, now),
            Action::Redo => self.undo_redo(false, now),
            Action::EditNote => match self.note_target() {
                Some((key, title)) => self.open_editor(key, title),
                None => Effect::None,
            },
            Action::EditNoteExternally => match self.note_target() {
                Some((key, _)) => self.open_external_editor(key),
                None => Effect::None,
            },
            Action::ShowNotes => {
                self.overlay = Overlay::Notes {
                    selected: 0,
                    query: String::new(),
                    searching: false,
                };
                Effect::None
            }
            Action::StartReview => self.start_review(now),
            Action::ToggleReviewing => self.toggle_reviewing(now),
            Action::ShowRoadmaps => {
                let current = self
                    .roadmaps
                    .iter()
                    .position(|r| r.id == self.roadmap().id)
                    .unwrap_or(0);
                self.overlay = Overlay::Roadmaps { selected: current };
                Effect::None
            }
            Action::StartFilter => {
                self.overlay = Overlay::Filter;
                Effect::None
            }
            // Esc backs out of one thing at a time, and at the top does nothing: only q and
            // Ctrl-C quit.
            Action::Cancel if self.filtering() => {
                self.clear_filter();
                Effect::None
            }
            Action::Cancel => {
                self.show_stats = false;
                Effect::None
            }
            Action::CycleStatusFilter => {
                self.retree(|tree, doc| {
                    tree.cycle_status_filter(doc);
                });
                let shown = match self.tree.status_filter() {
                    StatusFilter::All => "showing all tasks",
                    StatusFilter::NotDone => "showing the tasks not done",
                    StatusFilter::Done => "showing the done tasks",
                    StatusFilter::WithNotes => "showing what has a note",
                };
                self.say(shown, now);
                Effect::None
            }
            Action::OpenResource => {
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
            Action::PickResource => {
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
            Action::Click(col, row) => self.click(col, row),
            Action::Wheel(col, row, down) => self.wheel(col, row, down),
            Action::Quit => Effect::Quit,
            _ => Effect::None,
        }
    }

    fn help(&mut self, action: Action) -> Effect {
        let max = self.viewport.get().help_max_scroll;
        let Overlay::Help {
            scroll,
            query,
            searching,
        } = &mut self.overlay
        else {
            return Effect::None;
        };
        match action {
            Action::Down | Action::Wheel(_, _, true) => *scroll = scroll.saturating_add(1).min(max),
            Action::Up | Action::Wheel(_, _, false) => *scroll = scroll.saturating_sub(1),
            Action::StartFilter => *searching = true,
            Action::Input(c) => {
                query.push(c);
                *scroll = 0;
            }
            Action::Backspace => {
                query.pop();
                *scroll = 0;
            }
            Action::Confirm => *searching = false,
            Action::Cancel if *searching => {
                query.clear();
                *searching = false;
                *scroll = 0;
            }
            Action::Cancel => self.overlay = Overlay::None,
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    /// Pasted text goes into what is being typed, as one insertion: the note editor takes it
    /// whole; a filter or a search takes its first line. Anywhere else it does nothing and says
    /// so: a paste never runs keys.
    fn paste(&mut self, text: &str, now: Timestamp) -> Effect {
        let line = || {
            text.lines()
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
        };
        match &mut self.overlay {
            Overlay::Edit(editor) => {
                // The editor keeps lines; line ends from other systems become plain ones.
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                editor.textarea.insert_str(text);
            }
            Overlay::Filter => {
                let pasted = line();
                self.retree(|tree, doc| {
                    for c in pasted.chars() {
                        tree.push_query_char(c);
                    }
                    tree.rebuild_first_match(doc);
                });
            }
            Overlay::Help {
                query,
                searching: true,
                scroll,
            } => {
                query.push_str(&line());
                *scroll = 0;
            }
            Overlay::Notes {
                query,
                searching: true,
                selected,
            } => {
                query.push_str(&line());
                *selected = 0;
            }
            _ => self.say(
                "pasted text is ignored here: / to filter, n to write a note",
                now,
            ),
        }
        Effect::None
    }

    fn open_editor(&mut self, key: String, title: String) -> Effect {
        let original = self.roadmap_progress().note(&key).unwrap_or("").to_string();
        self.overlay = Overlay::Edit(NoteEditor::new(key, title, original));
        Effect::None
    }

    fn open_external_editor(&mut self, key: String) -> Effect {
        let text = self.roadmap_progress().note(&key).unwrap_or("").to_string();
        self.overlay = Overlay::External { key };
        Effect::EditExternally(text)
    }

    /// The notes view: move, search, jump to a note's item, edit it there.
    fn notes_view(&mut self, action: Action, now: Timestamp) -> Effect {
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
                    Action::EditNote => self.open_editor(key, title),
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

    fn start_review(&mut self, now: Timestamp) -> Effect {
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
    fn review(&mut self, action: Action, now: Timestamp) -> Effect {
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

    fn finish_review_if_done(&mut self, now: Timestamp) {
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

    fn toggle_reviewing(&mut self, now: Timestamp) -> Effect {
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
    fn recount_reviews(&mut self, now: Timestamp) {
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

    fn roadmaps_view(&mut self, action: Action, now: Timestamp) -> Effect {
        let count = self.roadmaps.len();
        let Overlay::Roadmaps { selected } = &mut self.overlay else {
            return Effect::None;
        };
        match action {
            Action::Down => *selected = (*selected + 1).min(count.saturating_sub(1)),
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Confirm => {
                let Some(choice) = self.roadmaps.get(*selected).cloned() else {
                    return Effect::None;
                };
                if let Some(error) = &choice.error {
                    self.say(format!("cannot open it: {error}"), now);
                    return Effect::None;
                }
                self.overlay = Overlay::None;
                if choice.id == self.roadmap().id {
                    return Effect::None;
                }
                return Effect::SwitchRoadmap(choice.id);
            }
            Action::Cancel => self.overlay = Overlay::None,
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    /// The roadmaps the switcher offers.
    pub fn with_roadmaps(mut self, roadmaps: Vec<RoadmapChoice>) -> App {
        self.roadmaps = roadmaps;
        self
    }

    /// The same app on another roadmap: progress, settings and the switcher's list carry over.
    pub fn switched_to(&self, roadmap: Roadmap) -> App {
        let mut app = App::new(roadmap, self.progress().clone())
            .with_settings(&self.look)
            .with_color(self.color)
            .with_hyperlinks(self.hyperlinks)
            .with_time_zone(self.time_zone.clone())
            .with_roadmaps(self.roadmaps.clone());
        app.viewport = self.viewport.clone();
        app
    }

    fn details(&mut self, action: Action) -> Effect {
        match action {
            Action::Down | Action::Wheel(_, _, true) => {
                let max = self.viewport.get().detail_max_scroll;
                self.detail_scroll = self.detail_scroll.saturating_add(1).min(max);
            }
            Action::Up | Action::Wheel(_, _, false) => {
                self.detail_scroll = self.detail_scroll.saturating_sub(1)
            }
            Action::Cancel => self.overlay = Overlay::None,
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    fn confirm_change(&mut self, action: Action, now: Timestamp) -> Effect {
        match action {
            Action::Confirm => {
                let Overlay::Confirm(pending) = std::mem::take(&mut self.overlay) else {
                    return Effect::None;
                };
                let changed = self.doc.set_statuses(pending.updates, now);
                self.say(pending.done, now);
                self.saved_if(changed)
            }
            Action::Cancel => {
                self.overlay = Overlay::None;
                self.say("nothing changed", now);
                Effect::None
            }
            Action::Quit => Effect::Quit,
            _ => Effect::None,
        }
    }

    fn filter_input(&mut self, action: Action) -> Effect {
        match action {
            Action::Input(c) => self.retree(|tree, doc| tree.push_query(doc, c)),
            Action::Backspace => self.retree(Tree::pop_query),
            Action::Confirm => self.overlay = Overlay::None,
            Action::Cancel => self.clear_filter(),
            // Moving keeps the filter open, so a learner can type, look, and type on.
            Action::Down => return self.select(self.tree.selected().saturating_add(1)),
            Action::Up => return self.select(self.tree.selected().saturating_sub(1)),
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    fn edit(&mut self, action: Action, now: Timestamp) -> Effect {
        let Overlay::Edit(editor) = &mut self.overlay else {
            return Effect::None;
        };
        match action {
            Action::EditorKey(key) => {
                editor.textarea.input(key);
                Effect::None
            }
            Action::Confirm => {
                let (key, text) = (editor.key.clone(), editor.text());
                self.overlay = Overlay::None;
                let changed = self.doc.set_note(&key, &text, now);
                self.say(
                    if text.trim().is_empty() {
                        "note removed"
                    } else {
                        "note saved"
                    },
                    now,
                );
                self.saved_if(changed)
            }
            Action::Cancel => {
                self.overlay = match std::mem::take(&mut self.overlay) {
                    Overlay::Edit(editor) if editor.changed() => Overlay::ConfirmDiscard(editor),
                    _ => Overlay::None,
                };
                Effect::None
            }
            _ => Effect::None,
        }
    }

    fn confirm_discard(&mut self, action: Action) -> Effect {
        match action {
            Action::Confirm => self.overlay = Overlay::None,
            Action::Cancel => {
                if let Overlay::ConfirmDiscard(editor) = std::mem::take(&mut self.overlay) {
                    self.overlay = Overlay::Edit(editor);
                }
            }
            _ => {}
        }
        Effect::None
    }

    fn pick(&mut self, action: Action, now: Timestamp) -> Effect {
        let count = self.resources().len();
        let Overlay::Picker { selected } = &mut self.overlay else {
            return Effect::None;
        };
        match action {
            Action::Down => *selected = (*selected + 1).min(count.saturating_sub(1)),
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Confirm => {
                let picked = *selected;
                self.overlay = Overlay::None;
                let url = self.resources().get(picked).map(|r| r.url.clone());
                if let (Some(url), Some((key, _))) = (url, self.note_target()) {
                    // `o` opens this one from now on, and `O` starts on it.
                    self.last_pick.insert(key, url.clone());
                    return self.open(&url, now);
                }
            }
            Action::Cancel => self.overlay = Overlay::None,
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
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
        let changed = self.doc.set_note(key, text, now);
        if changed {
            self.say("note saved", now);
        }
        self.saved_if(changed)
    }

    /// A change to progress was made: rows a filter shows may change with it, and so may the
    /// reviews due.
    fn saved_if(&mut self, changed: bool) -> Effect {
        if !changed {
            return Effect::None;
        }
        self.recount_reviews(self.now);
        if self.filtering() {
            self.retree(Tree::rebuild);
        }
        Effect::Save
    }

    /// `target` toggles on a task: set it, or back to todo if it already is. On a step, done and
    /// skipped apply to all its tasks (all done → none done); in progress is for tasks only.
    fn toggle_status(&mut self, target: Status, now: Timestamp) -> Effect {
        let changed = match self.selected_row() {
            None => return Effect::None,
            Some(Row::Task(s, t)) => self.doc.toggle_task(s, t, target, now),
            Some(Row::Step(_)) if target == Status::InProgress => {
                self.say(
                    "a step's status comes from its tasks: mark a task in progress",
                    now,
                );
                return Effect::None;
            }
            Some(Row::Step(s)) => {
                let (updates, change) = self.doc.step_toggle_updates(s, target);
                let title = &self.roadmap().steps[s].title;
                let n = updates.len();
                if n == 0 {
                    self.say(format!("no task of {title} to change"), now);
                    return Effect::None;
                }
                let tasks = if n == 1 { "task" } else { "tasks" };
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
                let done = format!("{n} {tasks} of {title} {outcome} · u undoes");
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

    /// A change in words, as the footer names it: "note on Core syntax", "Core syntax marked
    /// done", "5 tasks of Databases marked done".
    fn describe(&self, revision: &Revision) -> String {
        let title = |key: &str| match self.doc.position_of(key) {
            Some((s, Some(t))) => self.roadmap().steps[s].tasks[t].title.clone(),
            Some((s, None)) => self.roadmap().steps[s].title.clone(),
            None => key.to_string(),
        };
        let status = |item: &Option<crate::progress::Item>| {
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
            Some(task) => (task_key(step, task), task.title.clone()),
            None => (step.id.clone(), step.title.clone()),
        })
    }

    fn say(&mut self, message: impl Into<String>, now: Timestamp) {
        self.message = Some((message.into(), now + MESSAGE_TTL));
    }

    /// Lets the store save the progress; whatever another process saved and the store merged in
    /// is counted and shown. The selection stays where it is.
    pub fn save_with<E>(
        &mut self,
        save: impl FnOnce(&mut Progress) -> Result<bool, E>,
    ) -> Result<(), E> {
        if self.doc.save_with(save)? {
            self.after_external_change();
        }
        Ok(())
    }

    /// Takes in the progress file as another process left it, merged item by item.
    pub fn merge_from_disk(&mut self, disk: &Progress) {
        if self.doc.merge_from(disk) {
            self.after_external_change();
        }
    }

    fn after_external_change(&mut self) {
        self.recount_reviews(self.now);
        if self.filtering() {
            self.retree(Tree::rebuild);
        }
    }
}
