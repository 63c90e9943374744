//! The roadmap tree as the learner sees it: which steps are open, which lines a filter lets
//! through, and which line is selected. Where the visible part starts is the renderer's to
//! report (see `Viewport`), so nothing here knows the size of the screen.

use std::collections::HashSet;

use super::document::Document;
use crate::core::progress::Status;
use crate::core::roadmap::{Roadmap, task_key};

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

/// Which tasks the tree shows by status; `f` cycles through them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    NotDone,
    Done,
    /// Only steps and tasks that carry a note of the learner's.
    WithNotes,
    /// Only done tasks fading from memory: what to review first.
    Fading,
    /// Only the core tasks: the path without what can wait.
    Core,
    /// Only the stretch tasks: what can wait, to pick from.
    Stretch,
}

impl StatusFilter {
    pub fn next(self) -> StatusFilter {
        match self {
            StatusFilter::All => StatusFilter::NotDone,
            StatusFilter::NotDone => StatusFilter::Done,
            StatusFilter::Done => StatusFilter::WithNotes,
            StatusFilter::WithNotes => StatusFilter::Fading,
            StatusFilter::Fading => StatusFilter::Core,
            StatusFilter::Core => StatusFilter::Stretch,
            StatusFilter::Stretch => StatusFilter::All,
        }
    }

    fn admits(self, status: Status, has_note: bool, fading: bool, stretch: bool) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::NotDone => status != Status::Done,
            StatusFilter::Done => status == Status::Done,
            StatusFilter::WithNotes => has_note,
            StatusFilter::Fading => fading,
            StatusFilter::Core => !stretch,
            StatusFilter::Stretch => stretch,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::NotDone => "not done",
            StatusFilter::Done => "done",
            StatusFilter::WithNotes => "with notes",
            StatusFilter::Fading => "fading",
            StatusFilter::Core => "core",
            StatusFilter::Stretch => "stretch",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Tree {
    expanded: Vec<bool>,
    rows: Vec<Row>,
    selected: usize,
    query: String,
    status_filter: StatusFilter,
    /// Lowercased roadmap text for the filter, made on its first use.
    search_text: Vec<(String, Vec<String>)>,
}

impl Tree {
    pub fn new(steps: usize) -> Tree {
        Tree {
            expanded: vec![false; steps],
            ..Tree::default()
        }
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

    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn status_filter(&self) -> StatusFilter {
        self.status_filter
    }

    pub fn filtering(&self) -> bool {
        !self.query.is_empty() || self.status_filter != StatusFilter::All
    }

    /// Steps show their tasks when opened, and always while a filter is on.
    pub fn is_expanded(&self, step: usize) -> bool {
        self.filtering() || self.expanded.get(step).copied().unwrap_or(false)
    }

    /// Whether the step itself is open, whatever the filter.
    pub fn is_open(&self, step: usize) -> bool {
        self.expanded.get(step).copied().unwrap_or(false)
    }

    /// Selects the line at `index` (clamped); returns whether the selection moved.
    pub fn select(&mut self, index: usize) -> bool {
        let index = index.min(self.rows.len().saturating_sub(1));
        let moved = index != self.selected;
        self.selected = index;
        moved
    }

    /// Selects `row` if it is visible; returns whether it is.
    pub fn select_row(&mut self, row: Row) -> bool {
        match self.rows.iter().position(|r| *r == row) {
            Some(i) => {
                self.selected = i;
                true
            }
            None => false,
        }
    }

    pub fn set_expanded(&mut self, doc: &Document, step: usize, expanded: bool) {
        if let Some(e) = self.expanded.get_mut(step) {
            *e = expanded;
        }
        self.rebuild(doc);
        self.select_row(Row::Step(step));
    }

    pub fn push_query(&mut self, doc: &Document, c: char) {
        self.query.push(c);
        self.refilter(doc, Landing::FirstMatch);
    }

    /// Adds to the query without rebuilding: a paste adds many characters and rebuilds once.
    pub fn push_query_char(&mut self, c: char) {
        self.query.push(c);
    }

    pub fn rebuild_first_match(&mut self, doc: &Document) {
        self.refilter(doc, Landing::FirstMatch);
    }

    pub fn pop_query(&mut self, doc: &Document) {
        self.query.pop();
        self.refilter(doc, Landing::FirstMatch);
    }

    pub fn cycle_status_filter(&mut self, doc: &Document) -> StatusFilter {
        self.status_filter = self.status_filter.next();
        self.rebuild(doc);
        self.status_filter
    }

    pub fn clear_filter(&mut self, doc: &Document) {
        self.query.clear();
        self.status_filter = StatusFilter::All;
        self.rebuild(doc);
    }

    /// Selects a task, opening its step and clearing a filter that hides it.
    pub fn reveal(&mut self, doc: &Document, step: usize, task: Option<usize>) {
        let row = task.map_or(Row::Step(step), |t| Row::Task(step, t));
        if !self.filtering() && task.is_some() && !self.is_open(step) {
            self.expanded[step] = true;
            self.rebuild(doc);
        }
        if !self.select_row(row) {
            self.query.clear();
            self.status_filter = StatusFilter::All;
            if task.is_some() {
                self.expanded[step] = true;
            }
            self.rebuild(doc);
            self.select_row(row);
        }
    }

    /// Rebuilds the visible rows, keeping the selection on the same line where it stays visible;
    /// where it does not (a change hid it), on the next line of the same kind (task → the next
    /// task, across steps), else the previous one, so the next key acts on what it would have
    /// acted on, not on a whole step.
    pub fn rebuild(&mut self, doc: &Document) {
        self.refilter(doc, Landing::Neighbour);
    }

    fn refilter(&mut self, doc: &Document, landing: Landing) {
        let keep = self.selected_row();
        self.rows.clear();
        let roadmap = doc.roadmap();
        let needle = self.query.to_lowercase();
        let filtering = self.filtering();
        if !needle.is_empty() && self.search_text.is_empty() {
            self.search_text = search_text(roadmap);
        }
        let noted = if needle.is_empty() {
            HashSet::new()
        } else {
            notes_matching(doc, &needle)
        };
        let rp = doc.roadmap_progress();
        for (s, step) in roadmap.steps.iter().enumerate() {
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
                let admitted = self.status_filter == StatusFilter::All || {
                    let key = task_key(step, task);
                    self.status_filter.admits(
                        rp.status(&key),
                        rp.note(&key).is_some(),
                        doc.is_fading(&key),
                        task.is_stretch(),
                    )
                };
                if admitted && text_matches(Row::Task(s, t)) {
                    self.rows.push(Row::Task(s, t));
                }
            }
            let has_tasks = self.rows.len() > first + 1;
            let own_note = self.status_filter == StatusFilter::WithNotes
                && rp.note(&step.id).is_some()
                && text_matches(Row::Step(s));
            let shown =
                has_tasks || own_note || (step_matches && self.status_filter == StatusFilter::All);
            if !shown {
                self.rows.truncate(first);
            }
        }
        let Some(keep) = keep else {
            self.selected = 0;
            return;
        };
        if let Some(i) = self.rows.iter().position(|r| *r == keep) {
            self.selected = i;
            return;
        }
        self.selected = match landing {
            // Typing narrowed the list: land on the first match, at the top.
            Landing::FirstMatch => 0,
            Landing::Neighbour => neighbour(&self.rows, keep)
                .unwrap_or_else(|| self.selected.min(self.rows.len().saturating_sub(1))),
        };
    }
}

/// Where the selection goes when its line disappears.
#[derive(Clone, Copy)]
enum Landing {
    FirstMatch,
    Neighbour,
}

/// The index of the visible line after `gone` of the same kind, else the one before it.
fn neighbour(rows: &[Row], gone: Row) -> Option<usize> {
    let order = |row: &Row| match *row {
        Row::Step(s) => (s, 0),
        Row::Task(s, t) => (s, t + 1),
    };
    let same_kind = |row: &Row| {
        matches!(
            (row, gone),
            (Row::Step(_), Row::Step(_)) | (Row::Task(..), Row::Task(..))
        )
    };
    let after = rows
        .iter()
        .position(|r| same_kind(r) && order(r) > order(&gone));
    after.or_else(|| {
        rows.iter()
            .rposition(|r| same_kind(r) && order(r) < order(&gone))
    })
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

/// The rows whose personal note contains `needle` (already lowercase). Notes are few, so this
/// looks at them rather than at every task.
fn notes_matching(doc: &Document, needle: &str) -> HashSet<Row> {
    doc.roadmap_progress()
        .items
        .iter()
        .filter(|(_, item)| {
            item.note
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(needle))
        })
        .filter_map(|(key, _)| match doc.position_of(key)? {
            (s, None) => Some(Row::Step(s)),
            (s, Some(t)) => Some(Row::Task(s, t)),
        })
        .collect()
}
