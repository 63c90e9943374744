//! The roadmap's schema: the types a roadmap file is read into, with serde.

use serde::Deserialize;

/// A text of the roadmap. A `Cow` so tests and generated roadmaps can use `&'static str`
/// literals; serde always reads an owned string.
pub type Text = std::borrow::Cow<'static, str>;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roadmap {
    pub id: Text,
    pub title: Text,
    #[serde(default)]
    pub source: Option<Text>,
    #[serde(default)]
    pub overview: Text,
    /// Variables the checks' strings may use as `{name}`, with their defaults; the learner's
    /// settings can override them.
    #[serde(default, deserialize_with = "crate::core::probe::deserialize_vars")]
    pub vars: std::collections::BTreeMap<String, String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: Text,
    pub title: Text,
    #[serde(default)]
    pub summary: Text,
    #[serde(default)]
    pub notes: Text,
    #[serde(default)]
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: Text,
    /// A short name of the outcome, for the checklist.
    pub title: Text,
    /// The full, checkable statement of what the learner can show when the task is done.
    #[serde(default)]
    pub outcome: Option<Text>,
    #[serde(default)]
    pub notes: Text,
    /// Estimated hours of study for a beginner; a step's estimate is the sum of its tasks'.
    #[serde(default)]
    pub hours: Option<f64>,
    /// Core (the default: a roadmap that never says is all core) or stretch: work that can wait.
    #[serde(default)]
    pub level: Level,
    /// Why a stretch task can wait: required with `level: stretch`, refused without it, so a
    /// learner who passes a task over is told what they give up.
    #[serde(default)]
    pub why_later: Option<Text>,
    /// One question that checks understanding: the shorthand for a single card (see `cards`).
    #[serde(default)]
    pub recall: Option<Text>,
    /// The answer to `recall`.
    #[serde(default)]
    pub answer: Option<Text>,
    /// Review cards: each a question with its answer, scheduled on its own.
    #[serde(default)]
    pub cards: Vec<Card>,
    /// Probes that must all pass for the task to count as verified.
    #[serde(default)]
    pub check: crate::core::probe::Check,
    /// Resources about this task in particular; the step's are about the whole step.
    #[serde(default)]
    pub resources: Vec<Resource>,
    /// The keys (`step/task`) this task had before it moved or was renamed: progress kept under
    /// one of them is taken over, so a learner loses nothing when the roadmap is reorganised.
    #[serde(default)]
    pub formerly: Vec<Text>,
}

/// Whether a task is on the path every learner takes, or a stretch that can wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    Core,
    Stretch,
}

impl Level {
    /// The word for the level in roadmap files and JSON.
    pub fn word(self) -> &'static str {
        match self {
            Level::Core => "core",
            Level::Stretch => "stretch",
        }
    }
}

/// A review card: one question, and the key points of its answer. Its id is stable within the
/// task (progress is kept by it), so the question can be reworded without losing its history.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub id: Text,
    pub ask: Text,
    #[serde(default)]
    pub answer: Option<Text>,
    /// One the learner wrote (kept in the progress file, see `progress::OwnCard`), never read
    /// from a roadmap.
    #[serde(skip)]
    pub own: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub title: Text,
    pub url: Text,
    #[serde(default)]
    pub kind: ResourceKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ResourceKind {
    #[default]
    Docs,
    Book,
    Course,
    Tutorial,
}

impl Task {
    pub fn is_stretch(&self) -> bool {
        self.level == Level::Stretch
    }

    /// Whether the task, with this status, counts in the progress, the hours left and the
    /// forecast: skipped tasks never do, and a stretch task only once it is started, so work
    /// that can wait never makes the path look longer than the learner chose it to be.
    pub fn counts_with(&self, status: crate::core::status::Status) -> bool {
        use crate::core::status::Status;
        match status {
            Status::Skipped => false,
            Status::Todo => !self.is_stretch(),
            Status::InProgress | Status::Done => true,
        }
    }
}

impl Roadmap {
    pub fn task_count(&self) -> usize {
        self.steps.iter().map(|s| s.tasks.len()).sum()
    }
}
