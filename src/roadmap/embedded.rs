//! The shipped roadmap, compiled at build time: `build.rs` validates `content/backend-devops.yaml`
//! with the rules of `validate.rs` and writes it out as the static data below (`codegen.rs`), so
//! start-up neither parses nor scans YAML, and copies none of its text: a `Roadmap`'s texts are
//! `Cow`s that borrow it from the binary.
//!
//! The `Static*` types mirror the schema with spans for texts and lists (see `codegen.rs`): data
//! without pointers, which the loader need not relocate at start-up. A field added to the schema
//! and not here fails to compile in `to_roadmap`; one added here and not to the generator fails
//! to compile in the generated data.

use std::collections::BTreeMap;

use super::schema::{Card, Resource, ResourceKind, Roadmap, Step, Task, Text};
use crate::probe::{Expect, Method, Probe, ProbeKind};

/// A text: the bytes `start..end` of `TEXT`.
#[derive(Clone, Copy)]
struct T(u32, u32);

/// A list: the items `start..end` of the array of its kind.
#[derive(Clone, Copy)]
struct L(u32, u32);

pub(super) struct StaticRoadmap {
    id: T,
    title: T,
    source: Option<T>,
    overview: T,
    vars: L,
    steps: L,
}

struct StaticStep {
    id: T,
    title: T,
    summary: T,
    notes: T,
    tasks: L,
    resources: L,
}

struct StaticTask {
    id: T,
    title: T,
    outcome: Option<T>,
    notes: T,
    hours: Option<f64>,
    recall: Option<T>,
    answer: Option<T>,
    cards: L,
    check: L,
    resources: L,
}

struct StaticCard {
    id: T,
    ask: T,
    answer: Option<T>,
}

struct StaticResource {
    title: T,
    url: T,
    kind: ResourceKind,
}

struct StaticProbe {
    kind: StaticProbeKind,
    timeout: u64,
    hint: Option<T>,
}

enum StaticProbeKind {
    Run {
        command: T,
        exit: i32,
        output: Option<StaticExpect>,
    },
    Http {
        url: T,
        method: Method,
        status: Option<u16>,
        body: Option<StaticExpect>,
    },
    File {
        path: T,
        content: Option<StaticExpect>,
    },
}

enum StaticExpect {
    Contains(T),
    Matches(T),
}

// `static ROADMAP: StaticRoadmap`, `static TEXT: &str` and the arrays, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/embedded_roadmap.rs"));

/// The shipped roadmap, as `Roadmap::parse` would read it from its source file.
pub(super) fn roadmap() -> Roadmap {
    ROADMAP.to_roadmap()
}

/// Text borrowed from the binary: nothing is copied. (The generator writes only spans of
/// `TEXT` on character boundaries; a test compares the whole roadmap with a parse of its file.)
fn text(t: T) -> Text {
    Text::Borrowed(TEXT.get(t.0 as usize..t.1 as usize).unwrap_or_default())
}

fn maybe(t: Option<T>) -> Option<Text> {
    t.map(text)
}

fn list<X>(all: &'static [X], l: L) -> &'static [X] {
    all.get(l.0 as usize..l.1 as usize).unwrap_or_default()
}

fn resources(l: L) -> Vec<Resource> {
    list(&RESOURCES, l)
        .iter()
        .map(|r| Resource {
            title: text(r.title),
            url: text(r.url),
            kind: r.kind,
        })
        .collect()
}

impl StaticRoadmap {
    fn to_roadmap(&self) -> Roadmap {
        Roadmap {
            id: text(self.id),
            title: text(self.title),
            source: maybe(self.source),
            overview: text(self.overview),
            vars: list(&VARS, self.vars)
                .iter()
                .map(|&(name, value)| (text(name).into_owned(), text(value).into_owned()))
                .collect::<BTreeMap<_, _>>(),
            steps: list(&STEPS, self.steps)
                .iter()
                .map(StaticStep::to_step)
                .collect(),
        }
    }
}

impl StaticStep {
    fn to_step(&self) -> Step {
        Step {
            id: text(self.id),
            title: text(self.title),
            summary: text(self.summary),
            notes: text(self.notes),
            tasks: list(&TASKS, self.tasks)
                .iter()
                .map(StaticTask::to_task)
                .collect(),
            resources: resources(self.resources),
        }
    }
}

impl StaticTask {
    fn to_task(&self) -> Task {
        Task {
            id: text(self.id),
            title: text(self.title),
            outcome: maybe(self.outcome),
            notes: text(self.notes),
            hours: self.hours,
            recall: maybe(self.recall),
            answer: maybe(self.answer),
            cards: list(&CARDS, self.cards)
                .iter()
                .map(|c| Card {
                    id: text(c.id),
                    ask: text(c.ask),
                    answer: maybe(c.answer),
                })
                .collect(),
            check: list(&PROBES, self.check)
                .iter()
                .map(StaticProbe::to_probe)
                .collect(),
            resources: resources(self.resources),
        }
    }
}

impl StaticProbe {
    fn to_probe(&self) -> Probe {
        let expect = |e: &Option<StaticExpect>| {
            e.as_ref().map(|e| match e {
                StaticExpect::Contains(s) => Expect::Contains(text(*s)),
                StaticExpect::Matches(s) => Expect::Matches(text(*s)),
            })
        };
        let kind = match &self.kind {
            StaticProbeKind::Run {
                command,
                exit,
                output,
            } => ProbeKind::Run {
                command: text(*command),
                exit: *exit,
                output: expect(output),
            },
            StaticProbeKind::Http {
                url,
                method,
                status,
                body,
            } => ProbeKind::Http {
                url: text(*url),
                method: *method,
                status: *status,
                body: expect(body),
            },
            StaticProbeKind::File { path, content } => ProbeKind::File {
                path: text(*path),
                content: expect(content),
            },
        };
        Probe {
            kind,
            timeout: self.timeout,
            hint: maybe(self.hint),
        }
    }
}
