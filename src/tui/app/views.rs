//! Read-only views of the app, for rendering and tests.

use jiff::Timestamp;

use super::{App, Mode, NoteEditor, Overlay, Row, StatusFilter, Viewport};
use crate::core::progress::{Counts, Progress, RoadmapProgress, Status, StepSummary};
use crate::core::roadmap::{Resource, Roadmap, Step, Task, task_key};

impl App {
    pub fn roadmap(&self) -> &Roadmap {
        self.doc.roadmap()
    }

    pub fn progress(&self) -> &Progress {
        self.doc.progress()
    }

    pub fn roadmap_progress(&self) -> &RoadmapProgress {
        self.doc.roadmap_progress()
    }

    pub fn rows(&self) -> &[Row] {
        self.tree.rows()
    }

    pub fn selected(&self) -> usize {
        self.tree.selected()
    }

    pub fn selected_row(&self) -> Option<Row> {
        self.tree.selected_row()
    }

    pub fn selected_step(&self) -> Option<&Step> {
        self.selected_row().map(|r| &self.roadmap().steps[r.step()])
    }

    pub fn selected_task(&self) -> Option<&Task> {
        match self.selected_row()? {
            Row::Task(s, t) => Some(&self.roadmap().steps[s].tasks[t]),
            Row::Step(_) => None,
        }
    }

    /// The links of the selected line: a task's own first, then its step's.
    pub fn resources(&self) -> Vec<&Resource> {
        let task = self.selected_task().map(|t| t.resources.iter());
        let step = self.selected_step().map(|s| s.resources.iter());
        task.into_iter()
            .flatten()
            .chain(step.into_iter().flatten())
            .collect()
    }

    /// The line chosen in the resource picker.
    pub fn picked(&self) -> usize {
        match self.overlay {
            Overlay::Picker { selected } => selected,
            _ => 0,
        }
    }

    /// Steps show their tasks when opened, and always while a filter is on.
    pub fn is_expanded(&self, step: usize) -> bool {
        self.tree.is_expanded(step)
    }

    /// The first row the tree showed in the last frame.
    pub fn tree_offset(&self) -> usize {
        self.viewport.get().tree_offset
    }

    /// What the last frame fit.
    pub fn viewport(&self) -> Viewport {
        self.viewport.get()
    }

    /// For the renderer: what this frame fit, read on the next key.
    pub fn report_viewport(&self, update: impl FnOnce(&mut Viewport)) {
        self.viewport.update(update);
    }

    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }

    pub fn help_scroll(&self) -> u16 {
        match self.overlay {
            Overlay::Help { scroll, .. } => scroll,
            _ => 0,
        }
    }

    /// Display width of the longest step title, with its number.
    pub fn widest_step_title(&self) -> usize {
        self.doc.widest_titles().0
    }

    /// Display width of the longest task title.
    pub fn widest_task_title(&self) -> usize {
        self.doc.widest_titles().1
    }

    /// Tasks due for review now.
    pub fn review_due(&self) -> usize {
        self.review_due
    }

    pub fn counts(&self) -> Counts {
        self.doc.counts()
    }

    /// Estimated hours done and left; (0, 0) for a roadmap without estimates.
    pub fn hours(&self) -> (f64, f64) {
        self.doc.hours()
    }

    pub fn step_counts(&self, step: usize) -> Counts {
        self.step_summary(step).counts
    }

    /// A step's counts and dates, kept up to date as progress changes.
    pub fn step_summary(&self, step: usize) -> StepSummary {
        self.doc.step_summary(step)
    }

    pub fn task_status(&self, step: usize, task: usize) -> Status {
        let s = &self.roadmap().steps[step];
        self.roadmap_progress().status(&task_key(s, &s.tasks[task]))
    }

    /// The learner's note on a row, if any.
    pub fn row_note(&self, row: Row) -> Option<&str> {
        let step = &self.roadmap().steps[row.step()];
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
    pub fn stats(&self, config: &crate::tui::config::Config) -> crate::core::stats::Stats {
        crate::core::stats::compute(
            self.roadmap(),
            self.roadmap_progress(),
            self.now,
            &config.time_zone,
            &config.review,
        )
    }

    /// Whether the task is done but fading from memory (marked in the tree).
    pub fn task_fading(&self, step: usize, task: usize) -> bool {
        let step = &self.roadmap().steps[step];
        self.doc
            .is_fading(&crate::core::roadmap::task_key(step, &step.tasks[task]))
    }

    /// What each rating would do to the card asked now: the time until it comes back.
    pub fn review_previews(
        &self,
        config: &crate::tui::config::Config,
    ) -> Option<[(crate::core::status::Rating, jiff::SignedDuration); 4]> {
        let Overlay::Review(session) = &self.overlay else {
            return None;
        };
        let card = session.current()?;
        let item = self.roadmap_progress().item(&card.key)?;
        let at = crate::core::review::previews(
            item,
            &card.card_id,
            card.card == 0,
            self.now,
            &config.review,
        )?;
        Some(at.map(|(r, due)| (r, due.duration_since(self.now))))
    }

    /// The time of the latest action.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    pub fn mode(&self) -> Mode {
        self.overlay.mode()
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    pub fn query(&self) -> &str {
        self.tree.query()
    }

    pub fn status_filter(&self) -> StatusFilter {
        self.tree.status_filter()
    }

    pub fn editor(&self) -> Option<&NoteEditor> {
        self.overlay.editor()
    }

    /// The roadmaps the switcher offers, while it is open.
    pub fn roadmaps(&self) -> &[crate::tui::app::RoadmapChoice] {
        match &self.overlay {
            Overlay::Roadmaps { choices, .. } => choices,
            _ => &[],
        }
    }

    /// The footer message, naming the keys of this keymap.
    pub fn message(&self, keymap: &crate::tui::keys::Keymap) -> Option<String> {
        self.message.as_ref().map(|(m, _)| m.text(keymap))
    }

    /// When the current message fades, so the event loop knows how long it may sleep.
    pub fn message_expires(&self) -> Option<Timestamp> {
        self.message.as_ref().map(|(_, until)| *until)
    }

    /// "saved ✓", after what the change said if it said something (`keep`).
    pub fn say_saved(&mut self, keep: bool, now: Timestamp) {
        let message = match self.message.take() {
            Some((message, _)) if keep => message.then(" · saved ✓"),
            _ => super::Message::from("saved ✓"),
        };
        self.say(message, now);
    }

    /// A footer message from outside the app state ("saved", "not saved: …").
    pub fn set_message(&mut self, message: impl Into<super::Message>, now: Timestamp) {
        self.say(message, now);
    }
}
