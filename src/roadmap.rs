//! The roadmap: its schema, loading from YAML, and validation with `file:line:column` errors.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

pub use crate::yaml::{Location, find_anchor_or_alias, yaml_message};
use crate::yaml::{control_location, has_control, has_control_but_lines};

/// The roadmap compiled into the binary, so `pathway` works from any directory.
pub const EMBEDDED: &str = include_str!("../content/backend-devops.yaml");
/// How the embedded roadmap is named in messages.
pub const EMBEDDED_NAME: &str = "<embedded backend-devops.yaml>";
/// The embedded roadmap's id, known without parsing it (a test checks the two agree).
pub const EMBEDDED_ID: &str = "backend-devops";

/// Roadmap files larger than this are refused before parsing: a roadmap is text a person writes,
/// and refusing early keeps a wrong file from costing gigabytes of memory.
pub const MAX_ROADMAP_BYTES: usize = 32 * 1024 * 1024;
/// More tasks than this is not a roadmap a person can follow, and is refused.
pub const MAX_TASKS: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roadmap {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub overview: String,
    /// Variables the checks' strings may use as `{name}`, with their defaults; the learner's
    /// settings can override them.
    #[serde(default, deserialize_with = "crate::probe::deserialize_vars")]
    pub vars: std::collections::BTreeMap<String, String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub tasks: Vec<Task>,
    #[serde(default)]
    pub resources: Vec<Resource>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: String,
    /// A short name of the outcome, for the checklist.
    pub title: String,
    /// The full, checkable statement of what the learner can show when the task is done.
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub notes: String,
    /// Estimated hours of study for a beginner; a step's estimate is the sum of its tasks'.
    #[serde(default)]
    pub hours: Option<f64>,
    /// One question that checks understanding: the shorthand for a single card (see `cards`).
    #[serde(default)]
    pub recall: Option<String>,
    /// The answer to `recall`.
    #[serde(default)]
    pub answer: Option<String>,
    /// Review cards: each a question with its answer, scheduled on its own.
    #[serde(default)]
    pub cards: Vec<Card>,
    /// Probes that must all pass for the task to count as verified.
    #[serde(default)]
    pub check: crate::probe::Check,
    /// Resources about this task in particular; the step's are about the whole step.
    #[serde(default)]
    pub resources: Vec<Resource>,
}

/// A review card: one question, and the key points of its answer. Its id is stable within the
/// task (progress is kept by it), so the question can be reworded without losing its history.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub id: String,
    pub ask: String,
    #[serde(default)]
    pub answer: Option<String>,
}

/// The id of the one card a task without `cards` has (from `recall`, or the default question).
pub const SHORTHAND_CARD: &str = "recall";

impl Task {
    /// The task's review cards: its `cards`, else one from `recall` (and `answer`), else one
    /// default card that asks the learner to say what they remember. Never empty.
    pub fn cards(&self) -> std::borrow::Cow<'_, [Card]> {
        if !self.cards.is_empty() {
            return std::borrow::Cow::Borrowed(&self.cards);
        }
        std::borrow::Cow::Owned(vec![Card {
            id: SHORTHAND_CARD.to_string(),
            ask: recall_prompt(self),
            answer: self.answer.clone().filter(|a| !a.trim().is_empty()),
        }])
    }
}

impl Step {
    /// The step's estimated hours: the sum of its tasks' (those without an estimate add nothing).
    pub fn hours(&self) -> f64 {
        self.tasks.iter().filter_map(|t| t.hours).sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub title: String,
    pub url: String,
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

impl ResourceKind {
    pub fn label(self) -> &'static str {
        match self {
            ResourceKind::Docs => "docs",
            ResourceKind::Book => "book",
            ResourceKind::Course => "course",
            ResourceKind::Tutorial => "tutorial",
        }
    }
}

impl Roadmap {
    /// The roadmap shipped inside the binary.
    pub fn embedded() -> Result<Roadmap, RoadmapError> {
        Roadmap::parse(EMBEDDED, EMBEDDED_NAME)
    }

    /// Reads and parses a roadmap file of any kind (`pathway validate <(…)` reads a pipe);
    /// every error names the file.
    pub fn load(path: &Path) -> Result<Roadmap, RoadmapError> {
        // Bounded whatever the file is: a device such as /dev/zero or a pipe that never ends
        // is cut at the limit and refused, not read until memory runs out.
        Roadmap::read_with(path, crate::fsio::read_limited)
    }

    /// As `load`, for a roadmap to use (named by `--roadmap`, the settings, the last one chosen,
    /// or found in the roadmaps folder): only a regular file is opened, so a FIFO there cannot
    /// hang pathway at start-up.
    pub fn load_file(path: &Path) -> Result<Roadmap, RoadmapError> {
        Roadmap::read_with(path, crate::fsio::read_regular)
    }

    fn read_with(
        path: &Path,
        read: impl Fn(&Path, u64) -> Result<String, crate::fsio::Limited>,
    ) -> Result<Roadmap, RoadmapError> {
        let origin = crate::text::shown(path);
        let text = read(path, MAX_ROADMAP_BYTES as u64).map_err(|e| match e {
            crate::fsio::Limited::TooLarge => too_large(&origin, MAX_ROADMAP_BYTES + 1),
            crate::fsio::Limited::Io(e) => {
                RoadmapError::single(&origin, None, format!("cannot read: {e}"))
            }
        })?;
        Roadmap::parse(&text, &origin)
    }

    /// Parses and validates roadmap YAML. `origin` names the text in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Roadmap, RoadmapError> {
        // Some editors on Windows begin a UTF-8 file with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.len() > MAX_ROADMAP_BYTES {
            return Err(too_large(origin, text.len()));
        }
        // serde_yaml refuses nesting deeper than 128 levels and alias expansion beyond a fixed
        // budget ("billion laughs") with an error, so neither can exhaust memory here.
        // serde_yaml bounds how many times an alias may repeat, not how large the repeated text
        // is: a 1 MB string aliased 6,000 times took 6 GB. A roadmap needs neither anchors nor
        // aliases, so they are refused before anything is expanded.
        if let Some(location) = find_anchor_or_alias(text) {
            return Err(RoadmapError::single(
                origin,
                Some(location),
                "anchors and aliases (&name, *name) are not allowed: write the text out where it is used".into(),
            ));
        }
        let roadmap: Roadmap = serde_yaml::from_str(text).map_err(|e| yaml_error(origin, &e))?;
        if roadmap.task_count() > MAX_TASKS {
            return Err(RoadmapError::single(
                origin,
                None,
                format!(
                    "{} tasks; roadmaps of more than {MAX_TASKS} are refused",
                    roadmap.task_count()
                ),
            ));
        }
        let problems = roadmap.problems(text);
        if problems.is_empty() {
            Ok(roadmap)
        } else {
            Err(RoadmapError {
                origin: origin.to_string(),
                problems,
            })
        }
    }

    /// Every rule a parsed roadmap breaks, located in `text` where it can be.
    pub fn problems<'a>(&'a self, text: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut problem = |anchor: Option<Anchor>, message: String| {
            let location = anchor.and_then(|a| a.find(text));
            out.push(Problem { location, message });
        };
        if self.id.trim().is_empty() {
            problem(None, "the roadmap id is empty".into());
        } else if let Some(why) = bad_id(&self.id) {
            problem(
                Some(Anchor::new("id", &self.id, 1)),
                format!("roadmap id {:?} {why}", self.id),
            );
        }
        if self.title.trim().is_empty() {
            problem(None, "the roadmap title is empty".into());
        }
        // Control characters, written raw or as escapes in quoted strings, are pointed at where
        // they stand: text from a roadmap must never drive the terminal that shows it.
        let control = control_location(text);
        let control_problem = |out: &mut Vec<Problem>, what: String| {
            out.push(Problem {
                location: control,
                message: format!("{what} holds a control character"),
            });
        };
        if has_control(&self.title) || has_control_but_lines(&self.overview) {
            control_problem(&mut out, "the roadmap's title or overview".into());
        }
        for (i, step) in self.steps.iter().enumerate() {
            let name = format!("step {} ({:?})", i + 1, step.id);
            if has_control(&step.title)
                || has_control(&step.summary)
                || has_control_but_lines(&step.notes)
            {
                control_problem(&mut out, format!("{name}: its text"));
            }
            for task in &step.tasks {
                let recall = task.recall.as_deref().unwrap_or("");
                let card_text = task.cards.iter().any(|c| {
                    has_control(&c.id)
                        || has_control_but_lines(&c.ask)
                        || c.answer.as_deref().is_some_and(has_control_but_lines)
                });
                if has_control(&task.title)
                    || has_control(recall)
                    || has_control_but_lines(&task.notes)
                    || has_control_but_lines(task.outcome.as_deref().unwrap_or(""))
                    || has_control_but_lines(task.answer.as_deref().unwrap_or(""))
                    || card_text
                {
                    control_problem(&mut out, format!("{name}: task {:?}", task.id));
                }
            }
            let links = step
                .tasks
                .iter()
                .flat_map(|t| &t.resources)
                .chain(&step.resources);
            for resource in links {
                if has_control(&resource.title) {
                    control_problem(&mut out, format!("{name}: a resource title"));
                }
            }
        }
        let mut problem = |anchor: Option<Anchor>, message: String| {
            let location = anchor.and_then(|a| a.find(text));
            out.push(Problem { location, message });
        };
        if self.steps.is_empty() {
            problem(None, "the roadmap has no steps".into());
        }
        // Occurrences of each id value so far, to point at the right line when ids repeat.
        let mut seen_values: std::collections::HashMap<&'_ str, usize> = Default::default();
        let mut seen_values_of = |id: &'a str| -> usize {
            let n = seen_values.entry(id).or_insert(0);
            *n += 1;
            *n
        };
        seen_values_of(&self.id);
        let mut step_ids = HashSet::new();
        for (i, step) in self.steps.iter().enumerate() {
            let at = Anchor::new("id", &step.id, seen_values_of(&step.id));
            let name = format!("step {} ({:?})", i + 1, step.id);
            if let Some(why) = bad_id(&step.id) {
                problem(Some(at.clone()), format!("{name}: id {why}"));
            } else if step.id.chars().all(|c| c.is_ascii_digit()) {
                problem(
                    Some(at.clone()),
                    format!("{name}: id must not be a number, numbers address steps by position"),
                );
            }
            if !step_ids.insert(step.id.as_str()) {
                problem(Some(at.clone()), format!("duplicate step id {:?}", step.id));
            }
            if step.title.trim().is_empty() {
                problem(Some(at.clone()), format!("{name}: title is empty"));
            }
            let mut task_ids = HashSet::new();
            for task in &step.tasks {
                let at = Anchor::new("id", &task.id, seen_values_of(&task.id));
                if let Some(why) = bad_id(&task.id) {
                    problem(
                        Some(at.clone()),
                        format!("{name}: task id {:?} {why}", task.id),
                    );
                }
                if !task_ids.insert(task.id.as_str()) {
                    problem(
                        Some(at.clone()),
                        format!("{name}: duplicate task id {:?}", task.id),
                    );
                }
                if task.title.trim().is_empty() {
                    problem(
                        Some(at.clone()),
                        format!("{name}: task {:?} has an empty title", task.id),
                    );
                }
                if !task.cards.is_empty() && (task.recall.is_some() || task.answer.is_some()) {
                    problem(
                        Some(at.clone()),
                        format!(
                            "{name}: task {:?} has both `cards` and `recall`/`answer`; \
                             `recall` is the shorthand for one card: move it into `cards`",
                            task.id
                        ),
                    );
                } else if task.answer.is_some() && task.recall.is_none() {
                    problem(
                        Some(at.clone()),
                        format!(
                            "{name}: task {:?} has an `answer` but no `recall` question",
                            task.id
                        ),
                    );
                }
                let mut card_ids = HashSet::new();
                for card in &task.cards {
                    let card_at = Some(Anchor::new("id", &card.id, seen_values_of(&card.id)));
                    if let Some(why) = bad_id(&card.id).or(card
                        .id
                        .contains('#')
                        .then_some("must not contain '#', which separates task and card ids"))
                    {
                        problem(
                            card_at.clone(),
                            format!("{name}: task {:?}: card id {:?} {why}", task.id, card.id),
                        );
                    }
                    if !card_ids.insert(card.id.as_str()) {
                        problem(
                            card_at.clone(),
                            format!(
                                "{name}: task {:?}: duplicate card id {:?}",
                                task.id, card.id
                            ),
                        );
                    }
                    if card.ask.trim().is_empty() {
                        problem(
                            card_at,
                            format!(
                                "{name}: task {:?}: card {:?} asks nothing",
                                task.id, card.id
                            ),
                        );
                    }
                }
                for p in crate::probe::problems(&task.check, &self.vars) {
                    // The probe's own line where its value can be found, else the task's.
                    let anchor = Some(Anchor::new(p.field, &p.value, 1))
                        .filter(|a| !p.value.is_empty() && a.find(text).is_some())
                        .unwrap_or_else(|| at.clone());
                    problem(Some(anchor), format!("{name}: task {:?}: {p}", task.id));
                }
                if let Some(hours) = task.hours.filter(|h| !(0.0..=10_000.0).contains(h)) {
                    problem(
                        Some(at),
                        format!(
                            "{name}: task {:?} has {hours} hours; give 0 to 10000",
                            task.id
                        ),
                    );
                }
            }
            let mut url_seen: std::collections::HashMap<&str, usize> = Default::default();
            let task_resources = step.tasks.iter().flat_map(|t| &t.resources);
            for resource in task_resources.chain(&step.resources) {
                let n = url_seen.entry(resource.url.as_str()).or_insert(0);
                *n += 1;
                let at = Anchor::new("url", &resource.url, *n);
                if resource.title.trim().is_empty() {
                    problem(
                        Some(at.clone()),
                        format!("{name}: a resource has an empty title"),
                    );
                }
                if let Some(why) = bad_url(&resource.url) {
                    problem(
                        Some(at),
                        format!("{name}: resource URL {:?} {why}", resource.url),
                    );
                }
            }
        }
        out
    }

    pub fn task_count(&self) -> usize {
        self.steps.iter().map(|s| s.tasks.len()).sum()
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// The question a review asks about a task: its own recall prompt, else a plain one.
pub fn recall_prompt(task: &Task) -> String {
    match task.recall.as_deref().map(str::trim) {
        Some(prompt) if !prompt.is_empty() => prompt.to_string(),
        _ => format!(
            "What do you remember about \"{}\"? Say it in your own words before you look.",
            task.title
        ),
    }
}

/// What a command-line ID names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Step(usize),
    Task(usize, usize),
}

/// Why an ID names nothing, with what would help the learner type it right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// No step or task by that name: the closest ids, to suggest (perhaps none).
    Unknown(Vec<String>),
    /// A step number past the last step.
    NoStep { steps: usize },
    /// A task number past the last task of step `step` (an index), which has `tasks` tasks.
    NoTask { step: usize, tasks: usize },
    /// More than one task id of the step starts so: their keys.
    Ambiguous(Vec<String>),
}

impl Roadmap {
    /// Resolves an ID as a learner types it: a step number (`2`), a step id (`databases`),
    /// `step/task` (`databases/sql-basics`), a task by its number in the step (`2/1`,
    /// `databases/1`), or `step/` with a prefix that only one of the step's task ids starts with
    /// (`databases/sql`). The step part is its number or its id, exactly: a prefix is taken only
    /// for a task, so a short word never ticks a whole step by surprise.
    pub fn resolve(&self, id: &str) -> Result<Target, Unresolved> {
        if let Ok(n) = id.parse::<usize>() {
            return self.step_number(n).map(Target::Step);
        }
        let (step_part, task_part) = match id.split_once('/') {
            Some((s, t)) => (s, Some(t)),
            None => (id, None),
        };
        let step = match step_part.parse::<usize>() {
            Ok(n) => self.step_number(n)?,
            Err(_) => self
                .steps
                .iter()
                .position(|s| s.id == step_part)
                .ok_or_else(|| Unresolved::Unknown(self.closest_ids(id)))?,
        };
        let Some(task_part) = task_part else {
            return Ok(Target::Step(step));
        };
        let tasks = &self.steps[step].tasks;
        // An exact id first: a task whose id is a number is found by it, not by position.
        if let Some(t) = tasks.iter().position(|t| t.id == task_part) {
            return Ok(Target::Task(step, t));
        }
        if let Ok(n) = task_part.parse::<usize>() {
            return match n {
                1.. if n <= tasks.len() => Ok(Target::Task(step, n - 1)),
                _ => Err(Unresolved::NoTask {
                    step,
                    tasks: tasks.len(),
                }),
            };
        }
        let starting: Vec<usize> = (0..tasks.len())
            .filter(|&t| !task_part.is_empty() && tasks[t].id.starts_with(task_part))
            .collect();
        match starting.as_slice() {
            [t] => Ok(Target::Task(step, *t)),
            [] => Err(Unresolved::Unknown(
                self.closest_ids(&format!("{}/{task_part}", self.steps[step].id)),
            )),
            _ => Err(Unresolved::Ambiguous(
                starting
                    .iter()
                    .map(|&t| task_key(&self.steps[step], &tasks[t]))
                    .collect(),
            )),
        }
    }

    /// Resolves an ID exactly as written (a step number, a step id or `step/task`), with no
    /// task numbers and no prefixes: for ids pathway wrote itself, as in an export, where a
    /// task removed since must match nothing rather than its neighbour.
    pub fn resolve_exact(&self, id: &str) -> Option<Target> {
        if let Ok(n) = id.parse::<usize>() {
            return self.step_number(n).ok().map(Target::Step);
        }
        let (step_id, task_id) = match id.split_once('/') {
            Some((s, t)) => (s, Some(t)),
            None => (id, None),
        };
        let s = self.steps.iter().position(|s| s.id == step_id)?;
        match task_id {
            None => Some(Target::Step(s)),
            Some(t) => self.steps[s]
                .tasks
                .iter()
                .position(|task| task.id == t)
                .map(|t| Target::Task(s, t)),
        }
    }

    /// The index of step number `n` (counted from 1).
    fn step_number(&self, n: usize) -> Result<usize, Unresolved> {
        match n {
            1.. if n <= self.steps.len() => Ok(n - 1),
            _ => Err(Unresolved::NoStep {
                steps: self.steps.len(),
            }),
        }
    }

    /// Every ID a command accepts by name: step ids and `step/task` keys.
    pub fn ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for step in &self.steps {
            ids.push(step.id.clone());
            ids.extend(step.tasks.iter().map(|t| task_key(step, t)));
        }
        ids
    }

    /// Up to three ids that look like `id`: a task id typed without its step, or one a few
    /// letters away.
    fn closest_ids(&self, id: &str) -> Vec<String> {
        let ids = self.ids();
        let suffix = format!("/{id}");
        // Typos allowed: none in a word of two letters, where anything is two edits away.
        let limit = match id.chars().count() {
            0..=2 => 0,
            3..=5 => 1,
            n => n / 3,
        };
        let mut found: Vec<String> = ids
            .iter()
            .filter(|k| k.ends_with(&suffix))
            .cloned()
            .collect();
        let mut scored: Vec<(usize, &String)> = ids
            .iter()
            .map(|k| {
                // A task's own id counts as much as its full key: "sql-basic" is close to
                // "databases/sql-basics".
                let task_part = k.rsplit('/').next().unwrap_or(k);
                let d = strsim::levenshtein(id, k).min(strsim::levenshtein(id, task_part));
                (d, k)
            })
            .filter(|(d, _)| *d <= limit)
            .collect();
        scored.sort();
        for (_, k) in scored {
            if !found.contains(k) {
                found.push(k.clone());
            }
        }
        found.truncate(3);
        found
    }
}

/// The progress key of a task: `step/task`. Keys never depend on position, so reordering or
/// inserting steps keeps a learner's progress attached to the right items.
pub fn task_key(step: &Step, task: &Task) -> String {
    format!("{}/{}", step.id, task.id)
}

fn bad_id(id: &str) -> Option<&'static str> {
    if id.is_empty() {
        Some("is empty")
    } else if id.contains('/') {
        Some("must not contain '/', which separates step and task ids")
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("must not contain spaces or control characters")
    } else {
        None
    }
}

/// Only plain web links are accepted: a roadmap from elsewhere must not smuggle in `file:`,
/// `javascript:` or other schemes that a browser would act on.
pub fn bad_url(url: &str) -> Option<&'static str> {
    let rest = if let Some(rest) = url.strip_prefix("https://") {
        rest
    } else if let Some(rest) = url.strip_prefix("http://") {
        rest
    } else {
        return Some("must start with https:// or http://");
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("must not contain spaces or control characters");
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') {
        return Some("has no host");
    }
    None
}

/// Where in the source a problem is: the line `key: value`, the `nth` time it occurs.
#[derive(Clone)]
struct Anchor<'a> {
    key: &'static str,
    value: &'a str,
    nth: usize,
}

impl<'a> Anchor<'a> {
    fn new(key: &'static str, value: &'a str, nth: usize) -> Self {
        Anchor { key, value, nth }
    }

    /// A textual search, not a YAML parse: serde_yaml keeps no positions after deserializing,
    /// and a `key: value` pair sits on one line in any roadmap a person writes, in block style
    /// (`- id: a`) or flow style (`- {id: a, title: A}`).
    fn find(&self, text: &str) -> Option<Location> {
        let mut count = 0;
        for (index, line) in text.lines().enumerate() {
            let mut from = 0;
            while let Some(offset) = line[from..].find(self.key) {
                let at = from + offset;
                from = at + self.key.len();
                let before = line[..at].trim_end();
                let starts_pair = before.is_empty()
                    || before.ends_with(['-', '{', ','])
                    || line[..at].ends_with("- ");
                let Some(rest) = line[from..].trim_start().strip_prefix(':') else {
                    continue;
                };
                if !starts_pair {
                    continue;
                }
                let in_flow = before.contains('{');
                let value = if in_flow {
                    rest.split([',', '}']).next().unwrap_or("")
                } else {
                    rest.split(" #").next().unwrap_or("")
                };
                let value = value.trim();
                // A quoted value is compared as YAML reads it: "a\tb" holds a tab.
                let quoted = (value.starts_with('"') && value.ends_with('"') && value.len() > 1)
                    || (value.starts_with('\'') && value.ends_with('\'') && value.len() > 1);
                let read;
                let unquoted = if quoted {
                    read = serde_yaml::from_str::<String>(value).unwrap_or_default();
                    read.as_str()
                } else {
                    value
                };
                if unquoted == self.value {
                    count += 1;
                    if count == self.nth {
                        return Some(Location {
                            line: index + 1,
                            column: line[..at].chars().count() + 1,
                        });
                    }
                }
            }
        }
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: Option<Location>,
    pub message: String,
}

/// Why a roadmap could not be used: every problem found, each naming the file and, where known,
/// the line and column, in the `file:line:column: message` form editors and terminals link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadmapError {
    pub origin: String,
    pub problems: Vec<Problem>,
}

impl RoadmapError {
    fn single(origin: &str, location: Option<Location>, message: String) -> Self {
        RoadmapError {
            origin: origin.to_string(),
            problems: vec![Problem { location, message }],
        }
    }
}

impl fmt::Display for RoadmapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            match p.location {
                Some(Location { line, column }) => {
                    write!(f, "{}:{line}:{column}: {}", self.origin, p.message)?
                }
                None => write!(f, "{}: {}", self.origin, p.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for RoadmapError {}

fn too_large(origin: &str, bytes: usize) -> RoadmapError {
    RoadmapError::single(
        origin,
        None,
        format!(
            "the file is over {} MiB ({} bytes read); roadmaps that large are refused",
            MAX_ROADMAP_BYTES / (1024 * 1024),
            bytes
        ),
    )
}

fn yaml_error(origin: &str, error: &serde_yaml::Error) -> RoadmapError {
    let (location, message) = yaml_message(error);
    RoadmapError::single(origin, location, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "\
id: mini
title: Mini
steps:
  - id: one
    title: One
    tasks:
      - id: a
        title: A
      - id: b
        title: B
";

    fn first(err: &RoadmapError) -> &Problem {
        &err.problems[0]
    }

    #[test]
    fn minimal_roadmap_parses() {
        let r = Roadmap::parse(MINIMAL, "mini.yaml").expect("valid");
        assert_eq!(r.steps[0].tasks.len(), 2);
        assert_eq!(task_key(&r.steps[0], &r.steps[0].tasks[1]), "one/b");
    }

    #[test]
    fn syntax_error_names_file_line_and_column() {
        let text = "id: x\ntitle: [unclosed\nsteps: []\n";
        let err = Roadmap::parse(text, "bad.yaml").unwrap_err();
        let loc = first(&err).location.expect("syntax errors have a location");
        assert_eq!(loc.line, 2, "{err}");
        let shown = err.to_string();
        assert!(
            shown.starts_with(&format!("bad.yaml:{}:{}: ", loc.line, loc.column)),
            "{shown}"
        );
    }

    #[test]
    fn unknown_field_is_an_error_with_location() {
        let text = MINIMAL.replace(
            "        title: B\n",
            "        title: B\n        colour: red\n",
        );
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("unknown field `colour`"), "{shown}");
        assert_eq!(first(&err).location.map(|l| l.line), Some(11), "{shown}");
    }

    #[test]
    fn missing_title_is_an_error_with_location() {
        let text = MINIMAL.replace("        title: B\n", "");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("missing field `title`"), "{shown}");
        assert!(first(&err).location.is_some(), "{shown}");
        assert!(shown.starts_with("x.yaml:"), "{shown}");
    }

    #[test]
    fn empty_title_points_at_its_item() {
        let text = MINIMAL.replace("title: B", "title: \"  \"");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml:9:9: step 1 (\"one\"): task \"b\" has an empty title"
        );
    }

    #[test]
    fn duplicate_task_id_points_at_the_second_one() {
        let text = MINIMAL.replace("id: b", "id: a");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml:9:9: step 1 (\"one\"): duplicate task id \"a\""
        );
    }

    #[test]
    fn duplicate_step_id_points_at_the_second_one() {
        let text = format!("{MINIMAL}  - id: one\n    title: Again\n");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert_eq!(err.to_string(), "x.yaml:11:5: duplicate step id \"one\"");
    }

    #[test]
    fn every_problem_is_reported() {
        let text = MINIMAL
            .replace("id: b", "id: a")
            .replace("title: One", "title: ''");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert_eq!(err.problems.len(), 2, "{err}");
    }

    #[test]
    fn urls_must_be_web_links_with_a_host() {
        for bad in [
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,hi",
            "/usr/share/doc",
            "-rf",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/\u{7}",
        ] {
            assert!(bad_url(bad).is_some(), "{bad} should be refused");
        }
        for good in [
            "https://example.com",
            "http://example.com/a?b#c",
            "https://a.b:8080/",
        ] {
            assert_eq!(bad_url(good), None, "{good}");
        }
    }

    #[test]
    fn bad_resource_url_is_located() {
        let text = format!(
            "{MINIMAL}    resources:\n      - title: Evil\n        url: javascript:alert(1)\n"
        );
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert!(err.to_string().starts_with("x.yaml:13:9: "), "{err}");
    }

    #[test]
    fn hours_must_be_a_sane_number() {
        let text = MINIMAL.replace("title: B", "title: B\n        hours: -3");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml:9:9: step 1 (\"one\"): task \"b\" has -3 hours; give 0 to 10000"
        );
        let text = MINIMAL.replace("title: B", "title: B\n        hours: 2.5");
        let r = Roadmap::parse(&text, "x.yaml").expect("valid");
        assert_eq!(r.steps[0].hours(), 2.5, "a task without hours adds nothing");
    }

    #[test]
    fn numeric_step_ids_are_refused() {
        let text = MINIMAL.replace("id: one", "id: \"2\"");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert!(err.to_string().contains("must not be a number"), "{err}");
    }

    #[test]
    fn ids_resolve_by_number_step_id_and_step_slash_task() {
        let r = Roadmap::parse(MINIMAL, "x.yaml").expect("valid");
        assert_eq!(r.resolve("1"), Ok(Target::Step(0)));
        assert_eq!(r.resolve("one"), Ok(Target::Step(0)));
        assert_eq!(r.resolve("one/b"), Ok(Target::Task(0, 1)));
        assert_eq!(r.resolve("2"), Err(Unresolved::NoStep { steps: 1 }));
        assert_eq!(
            r.resolve("b"),
            Err(Unresolved::Unknown(vec!["one/b".to_string()])),
            "a task id without its step"
        );
        assert_eq!(
            r.resolve("onr"),
            Err(Unresolved::Unknown(vec!["one".to_string()]))
        );
        assert!(
            matches!(r.resolve("one/c"), Err(Unresolved::Unknown(close)) if close[0] == "one/a")
        );
    }

    #[test]
    fn a_task_resolves_by_its_number_in_the_step_and_by_a_unique_prefix() {
        let text = "\
id: r
title: R
steps:
  - id: databases
    title: Databases
    tasks:
      - {id: sql-basics, title: SQL}
      - {id: schema, title: Schema}
      - {id: sharding, title: Sharding}
      - {id: \"7\", title: Seven}
";
        let r = Roadmap::parse(text, "r.yaml").expect("valid");
        assert_eq!(r.resolve("1/1"), Ok(Target::Task(0, 0)));
        assert_eq!(r.resolve("databases/2"), Ok(Target::Task(0, 1)));
        assert_eq!(r.resolve("databases/sql"), Ok(Target::Task(0, 0)));
        assert_eq!(r.resolve("1/sc"), Ok(Target::Task(0, 1)));
        assert_eq!(
            r.resolve("databases/7"),
            Ok(Target::Task(0, 3)),
            "an id that is a number is the id, not a position"
        );
        assert_eq!(
            r.resolve("databases/9"),
            Err(Unresolved::NoTask { step: 0, tasks: 4 })
        );
        assert_eq!(r.resolve("2/1"), Err(Unresolved::NoStep { steps: 1 }));
        assert_eq!(
            r.resolve("databases/s"),
            Err(Unresolved::Ambiguous(vec![
                "databases/sql-basics".to_string(),
                "databases/schema".to_string(),
                "databases/sharding".to_string()
            ]))
        );
        assert!(
            matches!(r.resolve("data"), Err(Unresolved::Unknown(_))),
            "a prefix never names a whole step"
        );
        // Ids pathway wrote itself match exactly or not at all.
        assert_eq!(r.resolve_exact("databases/sql"), None);
        assert_eq!(r.resolve_exact("1/1"), None);
        assert_eq!(
            r.resolve_exact("databases/schema"),
            Some(Target::Task(0, 1))
        );
    }

    #[test]
    fn deep_nesting_is_a_clean_error() {
        let text = format!(
            "id: x\ntitle: {}{}\nsteps: []\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        );
        let err = Roadmap::parse(&text, "deep.yaml").unwrap_err();
        assert!(err.to_string().starts_with("deep.yaml:2:8: "), "{err}");
        // Nesting where a value of any shape is allowed would be deserialized all the way down;
        // serde_yaml's recursion limit stops it.
        let any: Result<serde_yaml::Value, _> = serde_yaml::from_str(&"[".repeat(10_000));
        assert!(
            any.unwrap_err()
                .to_string()
                .contains("recursion limit exceeded")
        );
    }

    #[test]
    fn alias_bombs_are_a_clean_error() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        text.push_str("id: x\ntitle: *a11\nsteps: []\n");
        let err = Roadmap::parse(&text, "bomb.yaml").unwrap_err();
        assert!(err.to_string().starts_with("bomb.yaml:"), "{err}");
    }

    #[test]
    fn too_many_tasks_are_refused() {
        let mut text =
            String::from("id: x\ntitle: X\nsteps:\n  - id: s\n    title: S\n    tasks:\n");
        for i in 0..=MAX_TASKS {
            text.push_str(&format!("      - {{id: t{i}, title: T}}\n"));
        }
        let err = Roadmap::parse(&text, "huge.yaml").unwrap_err();
        assert!(err.to_string().contains("200001 tasks"), "{err}");
    }

    #[test]
    fn oversized_text_is_refused_before_parsing() {
        let text = "#".repeat(MAX_ROADMAP_BYTES + 1);
        let err = Roadmap::parse(&text, "big.yaml").unwrap_err();
        assert!(err.to_string().contains("refused"), "{err}");
    }
}
