//! Reading roadmap YAML and validating it: every rule a roadmap must keep, each broken one
//! reported with its `file:line:column`.

use std::collections::HashSet;

use super::schema::Roadmap;
use super::yaml::{
    Anchor, Location, control_location, has_control, has_control_but_lines, refused, yaml_message,
};

/// Roadmap files larger than this are refused before parsing: a roadmap is text a person writes,
/// and refusing early keeps a wrong file from costing gigabytes of memory.
pub const MAX_ROADMAP_BYTES: usize = 32 * 1024 * 1024;
/// More tasks than this is not a roadmap a person can follow, and is refused.
pub const MAX_TASKS: usize = 200_000;

impl Roadmap {
    /// Parses and validates roadmap YAML. `origin` names the text in error messages.
    pub fn parse(text: &str, origin: &str) -> Result<Roadmap, RoadmapError> {
        Roadmap::parse_within(text, origin, MAX_TASKS)
    }

    /// As `parse`, refusing more than `max_tasks` tasks (tests try the limit on small roadmaps).
    pub fn parse_within(
        text: &str,
        origin: &str,
        max_tasks: usize,
    ) -> Result<Roadmap, RoadmapError> {
        // Some editors on Windows begin a UTF-8 file with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.len() > MAX_ROADMAP_BYTES {
            return Err(too_large(origin, text.len()));
        }
        // serde_yaml refuses nesting deeper than 128 levels with an error, and bounds how many
        // times an alias may repeat, but not how large the repeated text is: a 1 MB string
        // aliased 6,000 times took 6 GB. A roadmap needs no anchors, aliases or merge keys, so
        // an event parser refuses them before serde_yaml expands anything.
        if let Some((location, why)) = refused(text) {
            return Err(RoadmapError::single(
                origin,
                Some(location),
                why.to_string(),
            ));
        }
        let roadmap: Roadmap = serde_yaml::from_str(text).map_err(|e| yaml_error(origin, &e))?;
        if roadmap.task_count() > max_tasks {
            return Err(RoadmapError::single(
                origin,
                None,
                format!(
                    "{} tasks; roadmaps of more than {max_tasks} are refused",
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
        self.control_problems(text, &mut out);
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
        // Every task's key, for `formerly`, which must name none of them.
        // Made only when some task has a former key: a large roadmap pays nothing for it.
        let any_former = self
            .steps
            .iter()
            .flat_map(|s| &s.tasks)
            .any(|t| !t.formerly.is_empty());
        let keys: HashSet<String> = if any_former {
            self.steps
                .iter()
                .flat_map(|s| s.tasks.iter().map(move |t| super::task_key(s, t)))
                .collect()
        } else {
            HashSet::new()
        };
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
            if !step_ids.insert(&*step.id) {
                problem(Some(at.clone()), format!("duplicate step id {:?}", step.id));
            }
            if step.title.trim().is_empty() {
                problem(Some(at.clone()), format!("{name}: title is empty"));
            }
            let mut task_ids = HashSet::new();
            for task in &step.tasks {
                let at = Anchor::new("id", &task.id, seen_values_of(&task.id));
                if !task_ids.insert(&*task.id) {
                    problem(
                        Some(at.clone()),
                        format!("{name}: duplicate task id {:?}", task.id),
                    );
                }
                self.task_problems(
                    (text, &keys),
                    &name,
                    task,
                    at,
                    &mut seen_values_of,
                    &mut problem,
                );
            }
            for (at, message) in resource_problems(step) {
                problem(Some(at), format!("{name}: {message}"));
            }
        }
        out
    }

    /// The rules of one task: its id, title, former keys, level, recall, cards, probes and hours.
    fn task_problems<'a>(
        &'a self,
        (text, keys): (&str, &HashSet<String>),
        name: &str,
        task: &'a crate::core::roadmap::Task,
        at: Anchor<'a>,
        seen_values_of: &mut impl FnMut(&'a str) -> usize,
        problem: &mut impl FnMut(Option<Anchor<'_>>, String),
    ) {
        if let Some(why) = bad_id(&task.id) {
            problem(
                Some(at.clone()),
                format!("{name}: task id {:?} {why}", task.id),
            );
        }
        if task.title.trim().is_empty() {
            problem(
                Some(at.clone()),
                format!("{name}: task {:?} has an empty title", task.id),
            );
        }
        for former in &task.formerly {
            if !former.contains('/') || keys.contains(&**former) {
                problem(
                    Some(at.clone()),
                    format!(
                        "{name}: task {:?}: `formerly` {former:?} must be an old \
                         step/task key that no task of the roadmap has now",
                        task.id
                    ),
                );
            }
        }
        if let Some(message) = level_problem(task) {
            problem(
                Some(at.clone()),
                format!("{name}: task {:?} {message}", task.id),
            );
        }
        if let Some(message) = recall_problem(task) {
            problem(
                Some(at.clone()),
                format!("{name}: task {:?} {message}", task.id),
            );
        }
        for (card_at, message) in card_problems(task, seen_values_of) {
            problem(card_at, format!("{name}: task {:?}: {message}", task.id));
        }
        for p in crate::core::probe::problems(&task.check, &self.vars) {
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

    /// Control characters, written raw or as escapes in quoted strings, pointed at where they
    /// stand: text from a roadmap must never drive the terminal that shows it.
    fn control_problems(&self, text: &str, out: &mut Vec<Problem>) {
        // Looked for only once a control character is known to be there: the scan reads every
        // character of the text.
        let control = std::cell::OnceCell::new();
        let control_problem = |out: &mut Vec<Problem>, what: String| {
            out.push(Problem {
                location: *control.get_or_init(|| control_location(text)),
                message: format!("{what} holds a control character"),
            });
        };
        if has_control(&self.title) || has_control_but_lines(&self.overview) {
            control_problem(out, "the roadmap's title or overview".into());
        }
        for (i, step) in self.steps.iter().enumerate() {
            let name = format!("step {} ({:?})", i + 1, step.id);
            if has_control(&step.title)
                || has_control(&step.summary)
                || has_control_but_lines(&step.notes)
            {
                control_problem(out, format!("{name}: its text"));
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
                    || has_control_but_lines(task.why_later.as_deref().unwrap_or(""))
                    || card_text
                {
                    control_problem(out, format!("{name}: task {:?}", task.id));
                }
            }
            let links = step
                .tasks
                .iter()
                .flat_map(|t| &t.resources)
                .chain(&step.resources);
            for resource in links {
                if has_control(&resource.title) {
                    control_problem(out, format!("{name}: a resource title"));
                }
            }
        }
    }
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

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub location: Option<Location>,
    pub message: String,
}

/// Why a roadmap could not be used: every problem found, each naming the file and, where known,
/// the line and column, in the `file:line:column: message` form editors and terminals link.
/// Shown, it is one line per problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", lines(origin, problems))]
pub struct RoadmapError {
    pub origin: String,
    pub problems: Vec<Problem>,
}

impl RoadmapError {
    pub(crate) fn single(origin: &str, location: Option<Location>, message: String) -> Self {
        RoadmapError {
            origin: origin.to_string(),
            problems: vec![Problem { location, message }],
        }
    }
}

fn lines(origin: &str, problems: &[Problem]) -> String {
    let line = |p: &Problem| match p.location {
        Some(Location { line, column }) => format!("{origin}:{line}:{column}: {}", p.message),
        None => format!("{origin}: {}", p.message),
    };
    problems.iter().map(line).collect::<Vec<_>>().join("\n")
}

pub fn too_large(origin: &str, bytes: usize) -> RoadmapError {
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
/// What is wrong with a step's links (its tasks' and its own): each problem with the link's
/// place, and its message without the step (the caller names it).
fn resource_problems(step: &crate::core::roadmap::Step) -> Vec<(Anchor<'_>, String)> {
    let mut out = Vec::new();
    let mut url_seen: std::collections::HashMap<&str, usize> = Default::default();
    let task_resources = step.tasks.iter().flat_map(|t| &t.resources);
    for resource in task_resources.chain(&step.resources) {
        let n = url_seen.entry(&*resource.url).or_insert(0);
        *n += 1;
        let at = Anchor::new("url", &resource.url, *n);
        if resource.title.trim().is_empty() {
            out.push((at.clone(), "a resource has an empty title".to_string()));
        }
        if let Some(why) = bad_url(&resource.url) {
            out.push((at, format!("resource URL {:?} {why}", resource.url)));
        }
    }
    out
}

/// A task whose level and `why_later` disagree: the message after the task's name. A stretch
/// task must say why it can wait, and only a stretch task may, so the reason is never lost on a
/// task that counts.
fn level_problem(task: &crate::core::roadmap::Task) -> Option<&'static str> {
    let reason = task.why_later.as_deref().map(str::trim);
    match (task.is_stretch(), reason) {
        (true, None) => Some(
            "is `level: stretch` but does not say why it can wait: add `why_later:` with the reason",
        ),
        (true, Some("")) => Some("has an empty `why_later`: say why the task can wait"),
        (false, Some(_)) => {
            Some("has a `why_later` but is a core task: add `level: stretch`, or drop `why_later`")
        }
        _ => None,
    }
}

/// A task whose `recall` shorthand and `cards` disagree: the message after the task's name.
fn recall_problem(task: &crate::core::roadmap::Task) -> Option<&'static str> {
    if !task.cards.is_empty() && (task.recall.is_some() || task.answer.is_some()) {
        Some(
            "has both `cards` and `recall`/`answer`; `recall` is the shorthand for one card: \
             move it into `cards`",
        )
    } else if task.answer.is_some() && task.recall.is_none() {
        Some("has an `answer` but no `recall` question")
    } else {
        None
    }
}

/// What is wrong with a task's cards: each problem with the card's place, and its message
/// without the step and task (the caller names them).
fn card_problems<'a>(
    task: &'a crate::core::roadmap::Task,
    seen_values_of: &mut impl FnMut(&'a str) -> usize,
) -> Vec<(Option<Anchor<'a>>, String)> {
    let mut out = Vec::new();
    let mut card_ids = HashSet::new();
    for card in &task.cards {
        let card_at = Some(Anchor::new("id", &card.id, seen_values_of(&card.id)));
        if let Some(why) = bad_id(&card.id)
            .or(card
                .id
                .contains('#')
                .then_some("must not contain '#', which separates task and card ids"))
            .or(card
                .id
                .starts_with('+')
                .then_some("must not start with '+', which marks the learner's own cards"))
        {
            out.push((card_at.clone(), format!("card id {:?} {why}", card.id)));
        }
        if !card_ids.insert(&*card.id) {
            out.push((card_at.clone(), format!("duplicate card id {:?}", card.id)));
        }
        if card.ask.trim().is_empty() {
            out.push((card_at, format!("card {:?} asks nothing", card.id)));
        }
    }
    out
}
