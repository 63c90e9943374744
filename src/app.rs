//! The state of the TUI and every change it can make, as plain functions of `(state, action)`:
//! no terminal, no files, no clock (the time of a change is passed in).

use jiff::Timestamp;
use jiff::tz::TimeZone;
use ratatui::layout::Rect;

use crate::progress::{Counts, Progress, RoadmapProgress, Status};
use crate::roadmap::{Roadmap, Step, Task, task_key};

/// One line of the roadmap tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Down,
    Up,
    First,
    Last,
    /// Expand a step; on an expanded step, move into its tasks.
    Expand,
    /// Collapse a step; on a task, go to its step.
    Collapse,
    /// Expand or collapse the selected step.
    ToggleExpand,
    ToggleDone,
    ScrollDetailDown,
    ScrollDetailUp,
    ToggleHelp,
    Quit,
    /// The terminal has this size now.
    Resize(u16, u16),
}

/// What the caller must do after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Progress changed: save it.
    Save,
    Quit,
}

/// Whether a key goes to the tree or to the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Help,
}

#[derive(Debug, Clone)]
pub struct App {
    roadmap: Roadmap,
    progress: Progress,
    expanded: Vec<bool>,
    rows: Vec<Row>,
    selected: usize,
    tree_offset: usize,
    detail_scroll: u16,
    size: Rect,
    show_help: bool,
    help_scroll: u16,
    color: bool,
    time_zone: TimeZone,
    step_counts: Vec<Counts>,
    counts: Counts,
    message: Option<String>,
}

impl App {
    /// Opens on the first task in progress, else the first one not done, with its step expanded,
    /// so the learner finds themselves where they left off.
    pub fn new(roadmap: Roadmap, mut progress: Progress) -> App {
        progress.roadmap_mut(&roadmap.id);
        let mut app = App {
            expanded: vec![false; roadmap.steps.len()],
            roadmap,
            progress,
            rows: Vec::new(),
            selected: 0,
            tree_offset: 0,
            detail_scroll: 0,
            size: Rect::new(0, 0, 80, 24),
            show_help: false,
            help_scroll: 0,
            color: true,
            time_zone: TimeZone::system(),
            step_counts: Vec::new(),
            counts: Counts::default(),
            message: None,
        };
        app.recount();
        if let Some((s, t)) = app.continue_point() {
            app.expanded[s] = true;
            app.rebuild_rows();
            app.select_row(Row::Task(s, t));
        } else {
            app.rebuild_rows();
        }
        app
    }

    /// Turns colours off (for `NO_COLOR`); selection still shows through bold and reverse video.
    pub fn with_color(mut self, color: bool) -> App {
        self.color = color;
        self
    }

    /// Dates are shown in this zone (the system's by default; tests fix one).
    pub fn with_time_zone(mut self, time_zone: TimeZone) -> App {
        self.time_zone = time_zone;
        self
    }

    pub fn handle(&mut self, action: Action, now: Timestamp) -> Effect {
        if self.show_help {
            return match action {
                Action::ToggleHelp => {
                    self.show_help = false;
                    Effect::None
                }
                Action::Down => {
                    let max = crate::ui::help_max_scroll(self, self.size);
                    self.help_scroll = self.help_scroll.saturating_add(1).min(max);
                    Effect::None
                }
                Action::Up => {
                    self.help_scroll = self.help_scroll.saturating_sub(1);
                    Effect::None
                }
                Action::Quit => Effect::Quit,
                Action::Resize(w, h) => self.resize(w, h),
                _ => Effect::None,
            };
        }
        match action {
            Action::Down => self.select(self.selected.saturating_add(1)),
            Action::Up => self.select(self.selected.saturating_sub(1)),
            Action::First => self.select(0),
            Action::Last => self.select(self.rows.len().saturating_sub(1)),
            Action::Expand => match self.selected_row() {
                Some(Row::Step(s)) if !self.expanded[s] => self.set_expanded(s, true),
                Some(Row::Step(s)) if !self.roadmap.steps[s].tasks.is_empty() => {
                    self.select(self.selected + 1)
                }
                _ => Effect::None,
            },
            Action::Collapse => match self.selected_row() {
                Some(Row::Step(s)) if self.expanded[s] => self.set_expanded(s, false),
                Some(Row::Task(s, _)) => {
                    self.select_row(Row::Step(s));
                    Effect::None
                }
                _ => Effect::None,
            },
            Action::ToggleExpand => match self.selected_row() {
                Some(Row::Step(s)) => self.set_expanded(s, !self.expanded[s]),
                _ => Effect::None,
            },
            Action::ToggleDone => self.toggle_done(now),
            Action::ScrollDetailDown => {
                self.detail_scroll = self
                    .detail_scroll
                    .saturating_add(self.page())
                    .min(self.max_detail_scroll());
                Effect::None
            }
            Action::ScrollDetailUp => {
                self.detail_scroll = self.detail_scroll.saturating_sub(self.page());
                Effect::None
            }
            Action::ToggleHelp => {
                self.show_help = true;
                self.help_scroll = 0;
                Effect::None
            }
            Action::Quit => Effect::Quit,
            Action::Resize(w, h) => self.resize(w, h),
        }
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

    fn toggle_done(&mut self, now: Timestamp) -> Effect {
        let Some(row) = self.selected_row() else {
            return Effect::None;
        };
        let roadmap = &self.roadmap;
        let rp = self.progress.roadmap_mut(&roadmap.id);
        let changed = match row {
            Row::Task(s, t) => {
                let step = &roadmap.steps[s];
                let key = task_key(step, &step.tasks[t]);
                let next = if rp.status(&key) == Status::Done {
                    Status::Todo
                } else {
                    Status::Done
                };
                rp.set_status(&key, next, now)
            }
            Row::Step(s) => {
                let step = &roadmap.steps[s];
                let next = if rp.step_counts(step).all_done() {
                    Status::Todo
                } else {
                    Status::Done
                };
                let mut changed = false;
                for task in &step.tasks {
                    let key = task_key(step, task);
                    if rp.status(&key) != next
                        && (next == Status::Done || rp.status(&key) == Status::Done)
                    {
                        changed |= rp.set_status(&key, next, now);
                    }
                }
                changed
            }
        };
        if changed {
            self.recount_step(row.step());
            Effect::Save
        } else {
            Effect::None
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

    fn select_row(&mut self, row: Row) {
        if let Some(i) = self.rows.iter().position(|r| *r == row) {
            self.select(i);
        }
    }

    fn rebuild_rows(&mut self) {
        self.rows.clear();
        for (s, step) in self.roadmap.steps.iter().enumerate() {
            self.rows.push(Row::Step(s));
            if self.expanded[s] {
                self.rows
                    .extend((0..step.tasks.len()).map(|t| Row::Task(s, t)));
            }
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
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

    fn recount(&mut self) {
        let rp = self.roadmap_progress();
        let counts: Vec<Counts> = self
            .roadmap
            .steps
            .iter()
            .map(|s| rp.step_counts(s))
            .collect();
        self.step_counts = counts;
        self.sum_counts();
    }

    fn recount_step(&mut self, step: usize) {
        self.step_counts[step] = self
            .roadmap_progress()
            .step_counts(&self.roadmap.steps[step]);
        self.sum_counts();
    }

    fn sum_counts(&mut self) {
        self.counts = self
            .step_counts
            .iter()
            .fold(Counts::default(), |a, c| Counts {
                done: a.done + c.done,
                total: a.total + c.total,
            });
    }

    fn continue_point(&self) -> Option<(usize, usize)> {
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
            .or_else(|| tasks().find(|(_, _, st)| matches!(st, Status::Todo)))
            .map(|(s, t, _)| (s, t))
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

    pub fn is_expanded(&self, step: usize) -> bool {
        self.expanded.get(step).copied().unwrap_or(false)
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

    pub fn step_counts(&self, step: usize) -> Counts {
        self.step_counts.get(step).copied().unwrap_or_default()
    }

    pub fn task_status(&self, step: usize, task: usize) -> Status {
        let s = &self.roadmap.steps[step];
        self.roadmap_progress().status(&task_key(s, &s.tasks[task]))
    }

    pub fn mode(&self) -> Mode {
        if self.show_help {
            Mode::Help
        } else {
            Mode::Browse
        }
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
        self.message.as_deref()
    }

    /// A short line for the footer ("saved", or why saving failed).
    pub fn set_message(&mut self, message: impl Into<String>) {
        self.message = Some(message.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_STEPS: &str = "\
id: t
title: Test
steps:
  - id: one
    title: One
    tasks:
      - {id: a, title: A}
      - {id: b, title: B}
  - id: two
    title: Two
    tasks:
      - {id: c, title: C}
  - id: empty
    title: No tasks
";

    fn app() -> App {
        let roadmap = Roadmap::parse(TWO_STEPS, "t.yaml").expect("valid");
        App::new(roadmap, Progress::default())
    }

    fn now() -> Timestamp {
        Timestamp::from_second(1_700_000_000).expect("valid")
    }

    fn press(app: &mut App, actions: &[Action]) -> Vec<Effect> {
        actions.iter().map(|a| app.handle(*a, now())).collect()
    }

    #[test]
    fn opens_on_the_first_task_not_done() {
        let app = app();
        assert_eq!(app.selected_row(), Some(Row::Task(0, 0)));
        assert!(app.is_expanded(0) && !app.is_expanded(1));
    }

    #[test]
    fn opens_on_the_first_task_in_progress() {
        let roadmap = Roadmap::parse(TWO_STEPS, "t.yaml").expect("valid");
        let mut progress = Progress::default();
        progress
            .roadmap_mut("t")
            .set_status("two/c", Status::InProgress, now());
        let app = App::new(roadmap, progress);
        assert_eq!(app.selected_row(), Some(Row::Task(1, 0)));
    }

    #[test]
    fn moving_stays_within_the_rows() {
        let mut app = app();
        press(&mut app, &[Action::Up, Action::Up]);
        assert_eq!(app.selected_row(), Some(Row::Step(0)));
        press(&mut app, &[Action::Last, Action::Down, Action::Down]);
        assert_eq!(app.selected_row(), Some(Row::Step(2)));
        press(&mut app, &[Action::First]);
        assert_eq!(app.selected(), 0);
    }

    #[test]
    fn expand_and_collapse_steps() {
        let mut app = app();
        press(&mut app, &[Action::Collapse]);
        assert_eq!(
            app.selected_row(),
            Some(Row::Step(0)),
            "left on a task goes to its step"
        );
        press(&mut app, &[Action::Collapse]);
        assert_eq!(app.rows(), &[Row::Step(0), Row::Step(1), Row::Step(2)]);
        press(&mut app, &[Action::Down, Action::Expand]);
        assert_eq!(app.rows().len(), 4);
        assert_eq!(app.selected_row(), Some(Row::Step(1)));
        press(&mut app, &[Action::Expand]);
        assert_eq!(
            app.selected_row(),
            Some(Row::Task(1, 0)),
            "right on an open step enters it"
        );
        press(&mut app, &[Action::Up, Action::ToggleExpand]);
        assert!(!app.is_expanded(1));
    }

    #[test]
    fn toggling_a_task_changes_counts_and_asks_to_save() {
        let mut app = app();
        assert_eq!(press(&mut app, &[Action::ToggleDone]), vec![Effect::Save]);
        assert_eq!(app.task_status(0, 0), Status::Done);
        assert_eq!(app.step_counts(0), Counts { done: 1, total: 2 });
        assert_eq!(app.counts(), Counts { done: 1, total: 3 });
        let item = app.roadmap_progress().item("one/a").expect("recorded");
        assert_eq!(item.completed, Some(now()));
        press(&mut app, &[Action::ToggleDone]);
        assert_eq!(app.task_status(0, 0), Status::Todo);
        assert_eq!(app.counts(), Counts { done: 0, total: 3 });
    }

    #[test]
    fn toggling_a_step_marks_all_tasks_then_none() {
        let mut app = app();
        press(&mut app, &[Action::ToggleDone, Action::Up]);
        assert_eq!(press(&mut app, &[Action::ToggleDone]), vec![Effect::Save]);
        assert_eq!(app.step_counts(0), Counts { done: 2, total: 2 });
        press(&mut app, &[Action::ToggleDone]);
        assert_eq!(app.step_counts(0), Counts { done: 0, total: 2 });
    }

    #[test]
    fn toggling_a_step_without_tasks_changes_nothing() {
        let mut app = app();
        press(&mut app, &[Action::Last]);
        assert_eq!(app.selected_row(), Some(Row::Step(2)));
        assert_eq!(press(&mut app, &[Action::ToggleDone]), vec![Effect::None]);
        assert_eq!(app.step_counts(2), Counts { done: 0, total: 0 });
    }

    #[test]
    fn help_swallows_keys_until_closed() {
        let mut app = app();
        press(
            &mut app,
            &[Action::ToggleHelp, Action::Down, Action::ToggleDone],
        );
        assert_eq!(app.mode(), Mode::Help);
        assert_eq!(app.counts().done, 0);
        press(&mut app, &[Action::ToggleHelp]);
        assert_eq!(app.mode(), Mode::Browse);
        assert_eq!(press(&mut app, &[Action::Quit]), vec![Effect::Quit]);
    }

    #[test]
    fn tree_scrolls_to_keep_the_selection_visible() {
        let mut app = app();
        // 6 rows tall: header, border, 2 tree lines, border, footer.
        press(
            &mut app,
            &[
                Action::Resize(30, 6),
                Action::Down,
                Action::Down,
                Action::Down,
            ],
        );
        let height = crate::ui::tree_height(Rect::new(0, 0, 30, 6));
        assert!(app.selected() >= app.tree_offset());
        assert!(app.selected() < app.tree_offset() + height.max(1));
    }

    #[test]
    fn detail_scroll_is_clamped() {
        let mut app = app();
        press(&mut app, &[Action::Resize(80, 24)]);
        for _ in 0..50 {
            press(&mut app, &[Action::ScrollDetailDown]);
        }
        assert_eq!(
            app.detail_scroll(),
            crate::ui::detail_max_scroll(&app, Rect::new(0, 0, 80, 24))
        );
        press(&mut app, &[Action::Down]);
        assert_eq!(app.detail_scroll(), 0, "a new selection starts at the top");
    }
}
