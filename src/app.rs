//! The state of the TUI and every change it can make, as plain functions of `(state, action)`:
//! no terminal, no files, no clock (the time of a change is passed in).

use std::collections::HashMap;

use crossterm::event::KeyEvent;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use crate::history::Event;
use crate::progress::{Counts, Item, Progress, RoadmapProgress, Status, StepSummary};
use crate::roadmap::{Resource, Roadmap, Step, Task, bad_url, task_key};

/// How long a footer message stays before it fades.
pub const MESSAGE_TTL: SignedDuration = SignedDuration::from_secs(4);

/// One line of the roadmap tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Row {
    Step(usize),
    Task(usize, usize),
}

impl Row {
    pub fn step(self) -> usize {
        match self {
            Row::Step(s) | Row::Task(s, _) => s,
        }
    }
}

/// Everything the TUI can ask of the state. Keys map to these through `keys::BINDINGS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Move down; in an overlay, scroll or move its selection.
    Down,
    Up,
    First,
    Last,
    /// Expand a step; on an expanded step, move into its tasks.
    Expand,
    /// Collapse a step; on a task, go to its step.
    Collapse,
    ToggleExpand,
    ToggleDone,
    ToggleInProgress,
    ToggleSkipped,
    /// Go to the first task in progress, else the first not done.
    Continue,
    ScrollDetailDown,
    ScrollDetailUp,
    ShowHelp,
    Undo,
    Redo,
    /// Write a note in the inline editor.
    EditNote,
    /// Write a note in `$VISUAL`/`$EDITOR`.
    EditNoteExternally,
    /// The text an external editor saved, for the item it was opened on.
    NoteEdited(String),
    /// A key for the inline note editor.
    EditorKey(KeyEvent),
    StartFilter,
    /// A character typed into the filter.
    Input(char),
    Backspace,
    CycleStatusFilter,
    OpenResource,
    PickResource,
    /// Accept: save the note, keep the filter, open the picked resource, discard the changes.
    Confirm,
    /// Back out: close the overlay or editor, clear the filter.
    Cancel,
    Quit,
    /// A left click at this column and row of the terminal.
    Click(u16, u16),
    /// The mouse wheel at this column and row; `true` scrolls down.
    Wheel(u16, u16, bool),
    /// The terminal has this size now.
    Resize(u16, u16),
    /// Time passes: lets messages fade.
    Tick,
    /// Ctrl-Z: hand the terminal back to the shell until `fg`.
    Suspend,
    /// Show the progress view in place of the details, or the details again.
    ToggleStats,
}

/// What the caller must do after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Progress changed: save it.
    Save,
    Quit,
    /// Open this (already checked) web address in the browser.
    Open(String),
    /// Suspend the TUI and edit this text in the external editor, then send `NoteEdited`.
    EditExternally(String),
    /// Stop the process as the shell's job control expects, restoring the terminal around it.
    Suspend,
}

/// Which keys apply: the tree, or one of the overlays and inputs over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Help,
    Filter,
    Edit,
    ConfirmDiscard,
    Picker,
}

/// Which tasks the tree shows by status; `f` cycles through them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    NotDone,
    Done,
}

impl StatusFilter {
    fn next(self) -> StatusFilter {
        match self {
            StatusFilter::All => StatusFilter::NotDone,
            StatusFilter::NotDone => StatusFilter::Done,
            StatusFilter::Done => StatusFilter::All,
        }
    }

    fn admits(self, status: Status) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::NotDone => status != Status::Done,
            StatusFilter::Done => status == Status::Done,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::NotDone => "not done",
            StatusFilter::Done => "done",
        }
    }
}

/// The inline note editor and the item it writes to.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub key: String,
    pub title: String,
    pub textarea: TextArea<'static>,
    original: String,
}

impl NoteEditor {
    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn changed(&self) -> bool {
        self.text() != self.original
    }
}

/// The roadmap's own text of each step and task, lowercased once for the filter.
fn search_text(roadmap: &Roadmap) -> Vec<(String, Vec<String>)> {
    roadmap
        .steps
        .iter()
        .map(|step| {
            let own = format!("{}\n{}\n{}", step.title, step.summary, step.notes).to_lowercase();
            let tasks = step
                .tasks
                .iter()
                .map(|t| format!("{}\n{}", t.title, t.notes).to_lowercase())
                .collect();
            (own, tasks)
        })
        .collect()
}

/// One undoable change: the items it touched, before and after.
type Change = Vec<(String, Option<Item>, Option<Item>)>;

#[derive(Debug, Clone)]
pub struct App {
    roadmap: Roadmap,
    progress: Progress,
    step_index: HashMap<String, usize>,
    expanded: Vec<bool>,
    rows: Vec<Row>,
    selected: usize,
    tree_offset: usize,
    detail_scroll: u16,
    help_scroll: u16,
    size: Rect,
    mode: Mode,
    color: bool,
    time_zone: TimeZone,
    steps: Vec<StepSummary>,
    counts: Counts,
    /// Estimated hours done and left, over all steps.
    hours: (f64, f64),
    query: String,
    /// Lowercased roadmap text for the filter, made on its first use.
    search_text: Vec<(String, Vec<String>)>,
    status_filter: StatusFilter,
    editor: Option<NoteEditor>,
    external_key: Option<String>,
    picker: usize,
    undo: Vec<Change>,
    redo: Vec<Change>,
    message: Option<(String, Timestamp)>,
    show_stats: bool,
    hyperlinks: bool,
    /// The time of the latest action: what "today" is for the progress view.
    now: Timestamp,
}

impl App {
    /// Opens on the first task in progress, else the first one not done, with its step expanded,
    /// so the learner finds themselves where they left off.
    pub fn new(roadmap: Roadmap, mut progress: Progress) -> App {
        progress.roadmap_mut(&roadmap.id);
        let step_index = roadmap
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        let mut app = App {
            expanded: vec![false; roadmap.steps.len()],
            steps: vec![StepSummary::default(); roadmap.steps.len()],
            roadmap,
            progress,
            step_index,
            rows: Vec::new(),
            selected: 0,
            tree_offset: 0,
            detail_scroll: 0,
            help_scroll: 0,
            size: Rect::new(0, 0, 80, 24),
            mode: Mode::Browse,
            color: true,
            time_zone: TimeZone::system(),
            counts: Counts::default(),
            hours: (0.0, 0.0),
            query: String::new(),
            search_text: Vec::new(),
            status_filter: StatusFilter::All,
            editor: None,
            external_key: None,
            picker: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            message: None,
            show_stats: false,
            hyperlinks: false,
            now: Timestamp::UNIX_EPOCH,
        };
        for s in 0..app.roadmap.steps.len() {
            app.recount_step(s);
        }
        app.rebuild_rows();
        app.go_to_continue_point();
        app
    }

    /// Turns colours off (for `NO_COLOR`); selection still shows through bold and reverse video.
    pub fn with_color(mut self, color: bool) -> App {
        self.color = color;
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
        match action {
            Action::Resize(w, h) => return self.resize(w, h),
            Action::Tick => {
                if self
                    .message
                    .as_ref()
                    .is_some_and(|(_, until)| *until <= now)
                {
                    self.message = None;
                }
                return Effect::None;
            }
            Action::NoteEdited(text) => return self.note_edited(&text, now),
            Action::Suspend => return Effect::Suspend,
            _ => {}
        }
        match self.mode {
            Mode::Browse => self.browse(action, now),
            Mode::Help => self.help(action),
            Mode::Filter => self.filter_input(action),
            Mode::Edit => self.edit(action, now),
            Mode::ConfirmDiscard => self.confirm_discard(action),
            Mode::Picker => self.pick(action, now),
        }
    }

    fn browse(&mut self, action: Action, now: Timestamp) -> Effect {
        match action {
            Action::Down => self.select(self.selected.saturating_add(1)),
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::First => self.select(0),
            Action::Last => self.select(self.rows.len().saturating_sub(1)),
            Action::Expand => match self.selected_row() {
                Some(Row::Step(s)) if !self.expanded[s] && !self.filtering() => {
                    self.set_expanded(s, true)
                }
                Some(Row::Step(_)) => match self.rows.get(self.selected + 1) {
                    Some(Row::Task(..)) => self.select(self.selected + 1),
                    _ => Effect::None,
                },
                _ => Effect::None,
            },
            Action::Collapse => match self.selected_row() {
                Some(Row::Step(s)) if self.expanded[s] && !self.filtering() => {
                    self.set_expanded(s, false)
                }
                Some(Row::Task(s, _)) => {
                    self.select_row(Row::Step(s));
                    Effect::None
                }
                _ => Effect::None,
            },
            Action::ToggleExpand => match self.selected_row() {
                Some(Row::Step(s)) if !self.filtering() => self.set_expanded(s, !self.expanded[s]),
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
                let max = self.max_detail_scroll();
                self.detail_scroll = self.detail_scroll.saturating_add(self.page()).min(max);
                Effect::None
            }
            Action::ScrollDetailUp => {
                self.detail_scroll = self.detail_scroll.saturating_sub(self.page());
                Effect::None
            }
            Action::ToggleStats => {
                self.show_stats = !self.show_stats;
                Effect::None
            }
            Action::ShowHelp => {
                self.mode = Mode::Help;
                self.help_scroll = 0;
                Effect::None
            }
            Action::Undo => self.undo_redo(true, now),
            Action::Redo => self.undo_redo(false, now),
            Action::EditNote => {
                if let Some((key, title)) = self.note_target() {
                    let original = self.roadmap_progress().note(&key).unwrap_or("").to_string();
                    let lines = original.lines().map(str::to_string).collect();
                    let mut textarea = TextArea::new(lines);
                    textarea.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
                    textarea.move_cursor(ratatui_textarea::CursorMove::Bottom);
                    textarea.move_cursor(ratatui_textarea::CursorMove::End);
                    self.editor = Some(NoteEditor {
                        key,
                        title,
                        textarea,
                        original,
                    });
                    self.mode = Mode::Edit;
                }
                Effect::None
            }
            Action::EditNoteExternally => match self.note_target() {
                Some((key, _)) => {
                    let text = self.roadmap_progress().note(&key).unwrap_or("").to_string();
                    self.external_key = Some(key);
                    Effect::EditExternally(text)
                }
                None => Effect::None,
            },
            Action::StartFilter => {
                self.mode = Mode::Filter;
                Effect::None
            }
            Action::Cancel if self.filtering() => {
                self.clear_filter();
                Effect::None
            }
            Action::CycleStatusFilter => {
                self.status_filter = self.status_filter.next();
                self.rebuild_rows();
                let shown = self.status_filter.label();
                self.say(format!("showing {shown} tasks"), now);
                Effect::None
            }
            Action::OpenResource => match self.resources().first() {
                Some(r) => self.open(&r.url.clone(), now),
                None => {
                    self.say("this step lists no resources", now);
                    Effect::None
                }
            },
            Action::PickResource => {
                match self.resources().len() {
                    0 => self.say("this step lists no resources", now),
                    _ => {
                        self.picker = 0;
                        self.mode = Mode::Picker;
                    }
                }
                Effect::None
            }
            Action::Click(col, row) => self.click(col, row),
            Action::Wheel(col, row, down) => self.wheel(col, row, down),
            Action::Quit | Action::Cancel => Effect::Quit,
            _ => Effect::None,
        }
    }

    fn help(&mut self, action: Action) -> Effect {
        match action {
            Action::Down | Action::Wheel(_, _, true) => {
                let max = crate::ui::help_max_scroll(self, self.size);
                self.help_scroll = self.help_scroll.saturating_add(1).min(max);
            }
            Action::Up | Action::Wheel(_, _, false) => {
                self.help_scroll = self.help_scroll.saturating_sub(1)
            }
            Action::Cancel => self.mode = Mode::Browse,
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    fn filter_input(&mut self, action: Action) -> Effect {
        match action {
            Action::Input(c) => {
                self.query.push(c);
                self.rebuild_rows();
            }
            Action::Backspace => {
                self.query.pop();
                self.rebuild_rows();
            }
            Action::Confirm => self.mode = Mode::Browse,
            Action::Cancel => self.clear_filter(),
            // Moving keeps the filter open, so a learner can type, look, and type on.
            Action::Down => return self.select(self.selected.saturating_add(1)),
            Action::Up => return self.select(self.selected.saturating_sub(1)),
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    fn edit(&mut self, action: Action, now: Timestamp) -> Effect {
        let Some(editor) = self.editor.as_mut() else {
            self.mode = Mode::Browse;
            return Effect::None;
        };
        match action {
            Action::EditorKey(key) => {
                editor.textarea.input(key);
                Effect::None
            }
            Action::Confirm => {
                let (key, text) = (editor.key.clone(), editor.text());
                self.editor = None;
                self.mode = Mode::Browse;
                let effect = self.change(vec![key.clone()], |rp| rp.set_note(&key, &text, now));
                self.say(
                    if text.trim().is_empty() {
                        "note removed"
                    } else {
                        "note saved"
                    },
                    now,
                );
                effect
            }
            Action::Cancel if editor.changed() => {
                self.mode = Mode::ConfirmDiscard;
                Effect::None
            }
            Action::Cancel => {
                self.editor = None;
                self.mode = Mode::Browse;
                Effect::None
            }
            _ => Effect::None,
        }
    }

    fn confirm_discard(&mut self, action: Action) -> Effect {
        match action {
            Action::Confirm => {
                self.editor = None;
                self.mode = Mode::Browse;
            }
            Action::Cancel => self.mode = Mode::Edit,
            _ => {}
        }
        Effect::None
    }

    fn pick(&mut self, action: Action, now: Timestamp) -> Effect {
        let count = self.resources().len();
        match action {
            Action::Down => self.picker = (self.picker + 1).min(count.saturating_sub(1)),
            Action::Up => self.picker = self.picker.saturating_sub(1),
            Action::Confirm => {
                self.mode = Mode::Browse;
                if let Some(r) = self.resources().get(self.picker) {
                    return self.open(&r.url.clone(), now);
                }
            }
            Action::Cancel => self.mode = Mode::Browse,
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

    fn note_edited(&mut self, text: &str, now: Timestamp) -> Effect {
        let Some(key) = self.external_key.take() else {
            return Effect::None;
        };
        let effect = self.change(vec![key.clone()], |rp| rp.set_note(&key, text, now));
        if effect == Effect::Save {
            self.say("note saved", now);
        }
        effect
    }

    fn resize(&mut self, width: u16, height: u16) -> Effect {
        self.size = Rect::new(0, 0, width, height);
        self.keep_selection_visible();
        self.detail_scroll = self.detail_scroll.min(self.max_detail_scroll());
        self.help_scroll = self
            .help_scroll
            .min(crate::ui::help_max_scroll(self, self.size));
        Effect::None
    }

    /// `target` toggles on a task: set it, or back to todo if it already is. On a step, done and
    /// skipped apply to all its tasks (all done → none done); in progress is for tasks only.
    fn toggle_status(&mut self, target: Status, now: Timestamp) -> Effect {
        let Some(row) = self.selected_row() else {
            return Effect::None;
        };
        let step = &self.roadmap.steps[row.step()];
        let rp = self.roadmap_progress();
        let updates: Vec<(String, Status)> = match row {
            Row::Task(_, t) => {
                let key = task_key(step, &step.tasks[t]);
                let next = if rp.status(&key) == target {
                    Status::Todo
                } else {
                    target
                };
                vec![(key, next)]
            }
            Row::Step(s) => {
                if target == Status::InProgress {
                    self.say(
                        "a step's status comes from its tasks: mark a task in progress",
                        now,
                    );
                    return Effect::None;
                }
                let counts = self.steps[s].counts;
                let undo = match target {
                    Status::Done => counts.all_done(),
                    _ => counts.skipped + counts.done == counts.total && counts.skipped > 0,
                };
                step.tasks
                    .iter()
                    .map(|t| task_key(step, t))
                    .filter_map(|key| {
                        let status = rp.status(&key);
                        let next = match (undo, status) {
                            (true, s) if s == target => Status::Todo,
                            (false, s) if s != Status::Done && s != Status::Skipped => target,
                            // Marking a step done leaves its skipped tasks skipped, and skipping
                            // it leaves the done ones done.
                            _ => return None,
                        };
                        Some((key, next))
                    })
                    .collect()
            }
        };
        let keys = updates.iter().map(|(k, _)| k.clone()).collect();
        self.change(keys, |rp| {
            updates.iter().fold(false, |changed, (key, status)| {
                rp.set_status(key, *status, now) | changed
            })
        })
    }

    /// Applies a change to the progress of the items `keys`, records it for undo, and recounts.
    fn change(
        &mut self,
        keys: Vec<String>,
        apply: impl FnOnce(&mut RoadmapProgress) -> bool,
    ) -> Effect {
        let rp = self.progress.roadmap_mut(&self.roadmap.id);
        let before: Vec<Option<Item>> = keys.iter().map(|k| rp.items.get(k).cloned()).collect();
        if !apply(rp) {
            return Effect::None;
        }
        let change: Change = keys
            .into_iter()
            .zip(before)
            .map(|(key, before)| {
                let after = rp.items.get(&key).cloned();
                (key, before, after)
            })
            .filter(|(_, before, after)| before != after)
            .collect();
        self.after_change(&change);
        self.undo.push(change);
        self.redo.clear();
        Effect::Save
    }

    /// Puts items back as they were before (undo) or after (redo) a change. The restored items
    /// carry `now` as their change time, so merging with another copy treats the undo as newest.
    fn undo_redo(&mut self, undo: bool, now: Timestamp) -> Effect {
        let popped = if undo {
            self.undo.pop()
        } else {
            self.redo.pop()
        };
        let Some(change) = popped else {
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
        let rp = self.progress.roadmap_mut(&self.roadmap.id);
        for (key, before, after) in &change {
            let target = if undo { before } else { after };
            let current = rp.items.get(key).cloned().unwrap_or_default();
            let mut item = target.clone().unwrap_or_default();
            item.updated = Some(now);
            // An undo is a change like any other, in the history too.
            if current.status != item.status {
                rp.log(Event::status(now, key, current.status, item.status));
            }
            if current.note != item.note {
                rp.log(Event::note(now, key));
            }
            rp.items.insert(key.clone(), item);
        }
        self.after_change(&change);
        self.say(if undo { "undone" } else { "redone" }, now);
        if undo {
            self.redo.push(change)
        } else {
            self.undo.push(change)
        }
        Effect::Save
    }

    fn after_change(&mut self, change: &Change) {
        let mut steps: Vec<usize> = change
            .iter()
            .filter_map(|(key, _, _)| {
                let step = key.split('/').next().unwrap_or(key);
                self.step_index.get(step).copied()
            })
            .collect();
        steps.dedup();
        for s in steps {
            self.recount_step(s);
        }
        if self.filtering() {
            self.rebuild_rows();
        }
    }

    fn set_expanded(&mut self, step: usize, expanded: bool) -> Effect {
        self.expanded[step] = expanded;
        self.rebuild_rows();
        self.select_row(Row::Step(step));
        Effect::None
    }

    fn select(&mut self, index: usize) -> Effect {
        let index = index.min(self.rows.len().saturating_sub(1));
        if index != self.selected {
            self.selected = index;
            self.detail_scroll = 0;
        }
        self.keep_selection_visible();
        Effect::None
    }

    fn select_row(&mut self, row: Row) -> bool {
        match self.rows.iter().position(|r| *r == row) {
            Some(i) => {
                self.select(i);
                true
            }
            None => false,
        }
    }

    pub fn filtering(&self) -> bool {
        !self.query.is_empty() || self.status_filter != StatusFilter::All
    }

    fn clear_filter(&mut self) {
        self.query.clear();
        self.status_filter = StatusFilter::All;
        self.mode = Mode::Browse;
        self.rebuild_rows();
    }

    /// Rebuilds the visible rows, keeping the selection on the same line where it stays visible.
    fn rebuild_rows(&mut self) {
        let keep = self.selected_row();
        self.rows.clear();
        let needle = self.query.to_lowercase();
        let filtering = self.filtering();
        if !needle.is_empty() && self.search_text.is_empty() {
            self.search_text = search_text(&self.roadmap);
        }
        let noted = if needle.is_empty() {
            Default::default()
        } else {
            self.notes_matching(&needle)
        };
        let rp = self.progress.roadmap(&self.roadmap.id);
        let status = |key: &str| rp.map_or(Status::Todo, |rp| rp.status(key));
        for (s, step) in self.roadmap.steps.iter().enumerate() {
            if !filtering {
                self.rows.push(Row::Step(s));
                if self.expanded[s] {
                    self.rows
                        .extend((0..step.tasks.len()).map(|t| Row::Task(s, t)));
                }
                continue;
            }
            let text_matches = |row: Row| {
                needle.is_empty()
                    || noted.contains(&row)
                    || match row {
                        Row::Step(s) => self.search_text[s].0.contains(&needle),
                        Row::Task(s, t) => self.search_text[s].1[t].contains(&needle),
                    }
            };
            let step_matches = !needle.is_empty() && text_matches(Row::Step(s));
            let first = self.rows.len();
            self.rows.push(Row::Step(s));
            for (t, task) in step.tasks.iter().enumerate() {
                // Status lookups cost a key each: only when a status filter asks for them.
                let admitted = self.status_filter == StatusFilter::All
                    || self.status_filter.admits(status(&task_key(step, task)));
                if admitted && text_matches(Row::Task(s, t)) {
                    self.rows.push(Row::Task(s, t));
                }
            }
            let has_tasks = self.rows.len() > first + 1;
            let shown = has_tasks || (step_matches && self.status_filter == StatusFilter::All);
            if !shown {
                self.rows.truncate(first);
            }
        }
        match keep.and_then(|row| self.rows.iter().position(|r| *r == row)) {
            Some(i) => self.selected = i,
            None => {
                // The selected line is filtered out: land on the first match, at the top.
                self.selected = if filtering {
                    0
                } else {
                    self.selected.min(self.rows.len().saturating_sub(1))
                };
                self.detail_scroll = 0;
            }
        }
        self.keep_selection_visible();
    }

    /// The rows whose personal note contains `needle` (already lowercase). Notes are few, so this
    /// looks at them rather than at every task.
    fn notes_matching(&self, needle: &str) -> std::collections::HashSet<Row> {
        let mut rows = std::collections::HashSet::new();
        let Some(rp) = self.progress.roadmap(&self.roadmap.id) else {
            return rows;
        };
        for (key, item) in &rp.items {
            let Some(note) = &item.note else { continue };
            if !note.to_lowercase().contains(needle) {
                continue;
            }
            let (step_id, task_id) = match key.split_once('/') {
                Some((s, t)) => (s, Some(t)),
                None => (key.as_str(), None),
            };
            let Some(&s) = self.step_index.get(step_id) else {
                continue;
            };
            match task_id {
                None => {
                    rows.insert(Row::Step(s));
                }
                Some(task_id) => {
                    if let Some(t) = self.roadmap.steps[s]
                        .tasks
                        .iter()
                        .position(|t| t.id == task_id)
                    {
                        rows.insert(Row::Task(s, t));
                    }
                }
            }
        }
        rows
    }

    fn keep_selection_visible(&mut self) {
        let height = crate::ui::tree_height(self.size).max(1);
        if self.selected < self.tree_offset {
            self.tree_offset = self.selected;
        } else if self.selected >= self.tree_offset + height {
            self.tree_offset = self.selected + 1 - height;
        }
        // Do not leave empty lines below the last row when the window grows.
        self.tree_offset = self.tree_offset.min(self.rows.len().saturating_sub(height));
    }

    fn page(&self) -> u16 {
        (crate::ui::detail_height(self.size) / 2).max(1)
    }

    fn max_detail_scroll(&self) -> u16 {
        crate::ui::detail_max_scroll(self, self.size)
    }

    fn click(&mut self, col: u16, row: u16) -> Effect {
        let Some(areas) = crate::ui::layout(self.size) else {
            return Effect::None;
        };
        let inner = areas.tree.inner(ratatui::layout::Margin::new(1, 1));
        if inner.contains((col, row).into()) {
            let index = self.tree_offset + (row - inner.y) as usize;
            if index < self.rows.len() {
                if index == self.selected {
                    // A second click on a step opens or closes it, as in a file tree.
                    return match self.selected_row() {
                        Some(Row::Step(s)) if !self.filtering() => {
                            self.set_expanded(s, !self.expanded[s])
                        }
                        _ => Effect::None,
                    };
                }
                return self.select(index);
            }
        }
        Effect::None
    }

    fn wheel(&mut self, col: u16, row: u16, down: bool) -> Effect {
        let Some(areas) = crate::ui::layout(self.size) else {
            return Effect::None;
        };
        if areas.detail.is_some_and(|d| d.contains((col, row).into())) {
            let max = self.max_detail_scroll();
            self.detail_scroll = if down {
                self.detail_scroll.saturating_add(3).min(max)
            } else {
                self.detail_scroll.saturating_sub(3)
            };
            Effect::None
        } else if down {
            self.select(self.selected.saturating_add(1))
        } else {
            self.select(self.selected.saturating_sub(1))
        }
    }

    fn recount_step(&mut self, step: usize) {
        self.steps[step] = self
            .roadmap_progress()
            .step_summary(&self.roadmap.steps[step]);
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

    /// The first task in progress, else the first not done or skipped.
    pub fn continue_point(&self) -> Option<(usize, usize)> {
        let rp = self.roadmap_progress();
        let tasks = || {
            self.roadmap
                .steps
                .iter()
                .enumerate()
                .flat_map(move |(s, step)| {
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
        if !self.filtering() && !self.expanded[s] {
            self.expanded[s] = true;
            self.rebuild_rows();
        }
        if !self.select_row(Row::Task(s, t)) {
            self.clear_filter();
            self.expanded[s] = true;
            self.rebuild_rows();
            self.select_row(Row::Task(s, t));
        }
        true
    }

    /// The progress key and a title for the note of the selected line.
    fn note_target(&self) -> Option<(String, String)> {
        let row = self.selected_row()?;
        let step = &self.roadmap.steps[row.step()];
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
        if save(&mut self.progress)? {
            self.after_external_change();
        }
        Ok(())
    }

    /// Takes in the progress file as another process left it, merged item by item.
    pub fn merge_from_disk(&mut self, disk: &Progress) {
        let changed = self.progress.merge_from(disk);
        self.progress.basis = disk.basis;
        if changed {
            self.after_external_change();
        }
    }

    fn after_external_change(&mut self) {
        for s in 0..self.roadmap.steps.len() {
            self.recount_step(s);
        }
        if self.filtering() {
            self.rebuild_rows();
        }
    }

    // Read-only views for rendering and tests.

    pub fn roadmap(&self) -> &Roadmap {
        &self.roadmap
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    pub fn roadmap_progress(&self) -> &RoadmapProgress {
        static EMPTY: std::sync::OnceLock<RoadmapProgress> = std::sync::OnceLock::new();
        self.progress
            .roadmap(&self.roadmap.id)
            .unwrap_or_else(|| EMPTY.get_or_init(RoadmapProgress::default))
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn selected_row(&self) -> Option<Row> {
        self.rows.get(self.selected).copied()
    }

    pub fn selected_step(&self) -> Option<&Step> {
        self.selected_row().map(|r| &self.roadmap.steps[r.step()])
    }

    pub fn selected_task(&self) -> Option<&Task> {
        match self.selected_row()? {
            Row::Task(s, t) => Some(&self.roadmap.steps[s].tasks[t]),
            Row::Step(_) => None,
        }
    }

    /// The resources of the selected line's step.
    pub fn resources(&self) -> &[Resource] {
        self.selected_step().map_or(&[], |s| &s.resources)
    }

    pub fn picked(&self) -> usize {
        self.picker
    }

    /// Steps show their tasks when opened, and always while a filter is on.
    pub fn is_expanded(&self, step: usize) -> bool {
        self.filtering() || self.expanded.get(step).copied().unwrap_or(false)
    }

    pub fn tree_offset(&self) -> usize {
        self.tree_offset
    }

    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }

    pub fn help_scroll(&self) -> u16 {
        self.help_scroll
    }

    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// Estimated hours done and left; (0, 0) for a roadmap without estimates.
    pub fn hours(&self) -> (f64, f64) {
        self.hours
    }

    pub fn step_counts(&self, step: usize) -> Counts {
        self.step_summary(step).counts
    }

    /// A step's counts and dates, kept up to date as progress changes.
    pub fn step_summary(&self, step: usize) -> StepSummary {
        self.steps.get(step).copied().unwrap_or_default()
    }

    pub fn task_status(&self, step: usize, task: usize) -> Status {
        let s = &self.roadmap.steps[step];
        self.roadmap_progress().status(&task_key(s, &s.tasks[task]))
    }

    /// The learner's note on a row, if any.
    pub fn row_note(&self, row: Row) -> Option<&str> {
        let step = &self.roadmap.steps[row.step()];
        match row {
            Row::Step(_) => self.roadmap_progress().note(&step.id),
            Row::Task(_, t) => self
                .roadmap_progress()
                .note(&task_key(step, &step.tasks[t])),
        }
    }

    /// Whether the progress view stands in place of the details.
    pub fn showing_stats(&self) -> bool {
        self.show_stats
    }

    /// Weekly completions, streak, pace and forecast as of the latest action.
    pub fn stats(&self, weeks: usize) -> crate::stats::Stats {
        crate::stats::compute(
            &self.roadmap,
            self.roadmap_progress(),
            self.now,
            &self.time_zone,
            weeks,
        )
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn status_filter(&self) -> StatusFilter {
        self.status_filter
    }

    pub fn editor(&self) -> Option<&NoteEditor> {
        self.editor.as_ref()
    }

    pub fn hyperlinks(&self) -> bool {
        self.hyperlinks
    }

    pub fn color(&self) -> bool {
        self.color
    }

    /// A date as the learner reads it, in their time zone: "24 Nov 2026".
    pub fn format_date(&self, at: Timestamp) -> String {
        at.to_zoned_datetime(self.time_zone.clone())
            .strftime("%-d %b %Y")
            .to_string()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_ref().map(|(m, _)| m.as_str())
    }

    /// When the current message fades, so the event loop knows how long it may sleep.
    pub fn message_expires(&self) -> Option<Timestamp> {
        self.message.as_ref().map(|(_, until)| *until)
    }

    /// A footer message from outside the app state ("saved", "not saved: …").
    pub fn set_message(&mut self, message: impl Into<String>, now: Timestamp) {
        self.say(message, now);
    }
}
