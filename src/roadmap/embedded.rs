//! The shipped roadmap, compiled at build time: `build.rs` validates `content/backend-devops.yaml`
//! with the rules of `validate.rs` and writes it out as the static data below (`codegen.rs`), so
//! start-up neither parses nor scans YAML, and copies none of its text: a `Roadmap`'s texts are
//! `Cow`s that borrow it from the binary.
//!
//! The `Static*` types mirror the schema with `&'static str` for `String` and slices for `Vec`.
//! A field added to the schema and not here fails to compile in `to_roadmap`; one added here and
//! not to the generator fails to compile in the generated data.

use std::collections::BTreeMap;

use super::schema::{Card, Resource, ResourceKind, Roadmap, Step, Task, Text};
use crate::probe::{Expect, Method, Probe, ProbeKind};

pub(super) struct StaticRoadmap {
    id: &'static str,
    title: &'static str,
    source: Option<&'static str>,
    overview: &'static str,
    vars: &'static [(&'static str, &'static str)],
    steps: &'static [StaticStep],
}

struct StaticStep {
    id: &'static str,
    title: &'static str,
    summary: &'static str,
    notes: &'static str,
    tasks: &'static [StaticTask],
    resources: &'static [StaticResource],
}

struct StaticTask {
    id: &'static str,
    title: &'static str,
    outcome: Option<&'static str>,
    notes: &'static str,
    hours: Option<f64>,
    recall: Option<&'static str>,
    answer: Option<&'static str>,
    cards: &'static [StaticCard],
    check: &'static [StaticProbe],
    resources: &'static [StaticResource],
}

struct StaticCard {
    id: &'static str,
    ask: &'static str,
    answer: Option<&'static str>,
}

struct StaticResource {
    title: &'static str,
    url: &'static str,
    kind: ResourceKind,
}

struct StaticProbe {
    kind: StaticProbeKind,
    timeout: u64,
    hint: Option<&'static str>,
}

enum StaticProbeKind {
    Run {
        command: &'static str,
        exit: i32,
        output: Option<StaticExpect>,
    },
    Http {
        url: &'static str,
        method: Method,
        status: Option<u16>,
        body: Option<StaticExpect>,
    },
    File {
        path: &'static str,
        content: Option<StaticExpect>,
    },
}

enum StaticExpect {
    Contains(&'static str),
    Matches(&'static str),
}

// `static ROADMAP: StaticRoadmap`, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/embedded_roadmap.rs"));

/// The shipped roadmap, as `Roadmap::parse` would read it from its source file.
pub(super) fn roadmap() -> Roadmap {
    ROADMAP.to_roadmap()
}

/// Text borrowed from the binary: nothing is copied.
fn text(s: &'static str) -> Text {
    Text::Borrowed(s)
}

fn maybe(s: Option<&'static str>) -> Option<Text> {
    s.map(text)
}

fn resources(list: &[StaticResource]) -> Vec<Resource> {
    list.iter()
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
            vars: self
                .vars
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect::<BTreeMap<_, _>>(),
            steps: self.steps.iter().map(StaticStep::to_step).collect(),
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
            tasks: self.tasks.iter().map(StaticTask::to_task).collect(),
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
            cards: self
                .cards
                .iter()
                .map(|c| Card {
                    id: text(c.id),
                    ask: text(c.ask),
                    answer: maybe(c.answer),
                })
                .collect(),
            check: self.check.iter().map(StaticProbe::to_probe).collect(),
            resources: resources(self.resources),
        }
    }
}

impl StaticProbe {
    fn to_probe(&self) -> Probe {
        let expect = |e: &Option<StaticExpect>| {
            e.as_ref().map(|e| match e {
                StaticExpect::Contains(s) => Expect::Contains(text(s)),
                StaticExpect::Matches(s) => Expect::Matches(text(s)),
            })
        };
        let kind = match &self.kind {
            StaticProbeKind::Run {
                command,
                exit,
                output,
            } => ProbeKind::Run {
                command: text(command),
                exit: *exit,
                output: expect(output),
            },
            StaticProbeKind::Http {
                url,
                method,
                status,
                body,
            } => ProbeKind::Http {
                url: text(url),
                method: *method,
                status: *status,
                body: expect(body),
            },
            StaticProbeKind::File { path, content } => ProbeKind::File {
                path: text(path),
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
