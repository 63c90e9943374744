//! The roadmap: its schema, loading from YAML, and validation with `file:line:column` errors.
//!
//! The schema and its validation live in `schema.rs` and `validate.rs`; loading files (the
//! shipped one included: it is YAML embedded in the binary, read by the same types), resolving
//! ids and what the rest of pathway asks of a roadmap live here.

mod schema;
mod validate;
mod yaml;

pub use schema::*;
pub use validate::*;
pub(crate) use yaml::yaml_message;
pub use yaml::{Location, Refused, find_anchor_or_alias, refused};

/// The embedded roadmap's id, known without parsing it (a test checks the two agree).
pub const EMBEDDED_ID: &str = "backend-devops";

/// The shipped roadmap (content/backend-devops.yaml), in the binary so pathway works from any
/// folder: as JSON that build.rs writes from the YAML, because serde_json reads it several times
/// faster than serde_yaml, and the built-in roadmap is read at every start. The same serde types
/// read it; the content tests validate the YAML and check the two are equal.
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/backend-devops.json"));

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
            id: SHORTHAND_CARD.into(),
            ask: recall_prompt(self).into(),
            answer: self.answer.clone().filter(|a| !a.trim().is_empty()),
            own: false,
        }])
    }
}

impl Step {
    /// The step's estimated hours: the sum of its tasks' (those without an estimate add nothing).
    pub fn hours(&self) -> f64 {
        self.tasks.iter().filter_map(|t| t.hours).sum()
    }
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
    /// The roadmap shipped inside the binary: `Ok` unless the content tests were skipped and
    /// content/backend-devops.yaml does not fit the schema.
    pub fn embedded() -> Result<Roadmap, RoadmapError> {
        serde_json::from_str(EMBEDDED_JSON).map_err(|e| {
            RoadmapError::single("the built-in roadmap", None, format!("does not read: {e}"))
        })
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
            ids.push(step.id.to_string());
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
    fn a_task_is_core_unless_it_says_stretch_and_why_it_can_wait() {
        let r = Roadmap::parse(MINIMAL, "x.yaml").expect("valid");
        assert_eq!(r.steps[0].tasks[0].level, Level::Core, "absent means core");
        let text = MINIMAL.replace(
            "title: B",
            "title: B\n        level: stretch\n        why_later: Needed only at scale.",
        );
        let r = Roadmap::parse(&text, "x.yaml").expect("valid");
        let b = &r.steps[0].tasks[1];
        assert!(b.is_stretch());
        assert_eq!(b.why_later.as_deref(), Some("Needed only at scale."));
    }

    #[test]
    fn a_stretch_task_without_a_reason_is_located() {
        let text = MINIMAL.replace("title: B", "title: B\n        level: stretch");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml:9:9: step 1 (\"one\"): task \"b\" is `level: stretch` but does not say why \
             it can wait: add `why_later:` with the reason"
        );
        let text = MINIMAL.replace(
            "title: B",
            "title: B\n        level: stretch\n        why_later: \" \"",
        );
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert!(err.to_string().starts_with("x.yaml:9:9: "), "{err}");
        assert!(err.to_string().contains("empty `why_later`"), "{err}");
    }

    #[test]
    fn a_reason_to_wait_on_a_core_task_is_refused() {
        let text = MINIMAL.replace("title: B", "title: B\n        why_later: Later.");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        assert!(err.to_string().starts_with("x.yaml:9:9: "), "{err}");
        assert!(err.to_string().contains("is a core task"), "{err}");
    }

    #[test]
    fn an_unknown_level_is_an_error_with_location() {
        let text = MINIMAL.replace("title: B", "title: B\n        level: optional");
        let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
        let shown = err.to_string();
        assert!(shown.contains("unknown variant `optional`"), "{shown}");
        assert_eq!(first(&err).location.map(|l| l.line), Some(11), "{shown}");
    }

    #[test]
    fn a_former_key_must_be_a_step_and_task_no_task_has_now() {
        let text = MINIMAL.replace("title: B", "title: B\n        formerly: [old/b]");
        Roadmap::parse(&text, "x.yaml").expect("valid");
        for bad in ["b", "one/a"] {
            let text = MINIMAL.replace("title: B", &format!("title: B\n        formerly: [{bad}]"));
            let err = Roadmap::parse(&text, "x.yaml").unwrap_err();
            assert!(err.to_string().starts_with("x.yaml:9:9: "), "{bad}: {err}");
            assert!(err.to_string().contains("`formerly`"), "{bad}: {err}");
        }
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
        // The limit is tried on a small roadmap; `parse` applies MAX_TASKS the same way.
        let tasks = |n: usize| {
            let mut text =
                String::from("id: x\ntitle: X\nsteps:\n  - id: s\n    title: S\n    tasks:\n");
            for i in 0..n {
                text.push_str(&format!("      - {{id: t{i}, title: T}}\n"));
            }
            text
        };
        let err = Roadmap::parse_within(&tasks(11), "huge.yaml", 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "huge.yaml: 11 tasks; roadmaps of more than 10 are refused"
        );
        assert!(Roadmap::parse_within(&tasks(10), "huge.yaml", 10).is_ok());
    }

    #[test]
    fn oversized_text_is_refused_before_parsing() {
        let text = "#".repeat(MAX_ROADMAP_BYTES + 1);
        let err = Roadmap::parse(&text, "big.yaml").unwrap_err();
        assert!(err.to_string().contains("refused"), "{err}");
    }
}
