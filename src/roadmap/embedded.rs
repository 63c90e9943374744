//! The shipped roadmap, compiled at build time: `build.rs` validates `content/backend-devops.yaml`
//! with the rules of `validate.rs` and writes it out as the static data below (`codegen.rs`), so
//! start-up neither parses nor scans YAML. Ids and titles are one string in the binary; the long
//! texts (guidance, answers, checks, links) are a second, LZ4-packed, unpacked once when a
//! command needs them (`Detail::Full`) and never by `status` (`Detail::Outline`). A `Roadmap`'s
//! texts are `Cow`s that borrow one or the other: nothing more is copied.
//!
//! The `Static*` types mirror the schema with spans for texts and lists (see `codegen.rs`): data
//! without pointers, which the loader need not relocate at start-up. A field added to the schema
//! and not here fails to compile in `to_roadmap`; one added here and not to the generator fails
//! to compile in the generated data.

use std::collections::BTreeMap;

use super::schema::{Card, Resource, ResourceKind, Roadmap, Step, Task, Text};
use crate::probe::{Expect, Method, Probe, ProbeKind};

/// A short text (an id, a title): the bytes `start..end` of `PLAIN`.
#[derive(Clone, Copy)]
struct T(u32, u32);

/// A long text (guidance, an answer, a check, a link): the bytes `start..end` of the packed
/// text, unpacked.
#[derive(Clone, Copy)]
struct P(u32, u32);

/// A list: the items `start..end` of the array of its kind.
#[derive(Clone, Copy)]
struct L(u32, u32);

pub(super) struct StaticRoadmap {
    id: T,
    title: T,
    source: Option<T>,
    overview: P,
    vars: L,
    steps: L,
}

struct StaticStep {
    id: T,
    title: T,
    summary: P,
    notes: P,
    tasks: L,
    resources: L,
}

struct StaticTask {
    id: T,
    title: T,
    outcome: Option<P>,
    notes: P,
    hours: Option<f64>,
    recall: Option<P>,
    answer: Option<P>,
    cards: L,
    check: L,
    resources: L,
}

struct StaticCard {
    id: T,
    ask: P,
    answer: Option<P>,
}

struct StaticResource {
    title: P,
    url: P,
    kind: ResourceKind,
}

struct StaticProbe {
    kind: StaticProbeKind,
    timeout: u64,
    hint: Option<P>,
}

enum StaticProbeKind {
    Run {
        command: P,
        exit: i32,
        output: Option<StaticExpect>,
    },
    Http {
        url: P,
        method: Method,
        status: Option<u16>,
        body: Option<StaticExpect>,
    },
    File {
        path: P,
        content: Option<StaticExpect>,
    },
}

enum StaticExpect {
    Contains(P),
    Matches(P),
}

// `static ROADMAP: StaticRoadmap`, `static PLAIN: &str`, `static PACKED: [u8; _]`, `const
// LONG_LEN` and the arrays, written by build.rs.
include!(concat!(env!("OUT_DIR"), "/embedded_roadmap.rs"));

/// How much of the roadmap's text a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything, as `Roadmap::parse` would read it from the source file.
    Full,
    /// Ids, titles and hours, with every step, task, card and check in place but their long
    /// texts (guidance, answers, checks' commands, links) empty: for a command that prints only
    /// those (`status`), which then never unpacks the rest.
    Outline,
}

/// The shipped roadmap; `None` only if its packed text does not unpack (a damaged binary).
pub(super) fn roadmap(detail: Detail) -> Option<Roadmap> {
    let long = match detail {
        Detail::Full => Some(unpacked()?),
        Detail::Outline => None,
    };
    Some(ROADMAP.to_roadmap(Texts { long }))
}

/// The long texts, unpacked once per process and kept for its life: every `Text` of the roadmap
/// borrows them, so nothing more is copied.
fn unpacked() -> Option<&'static str> {
    static LONG: std::sync::OnceLock<Option<&'static str>> = std::sync::OnceLock::new();
    *LONG.get_or_init(|| {
        let bytes = lz4_flex::block::decompress(&PACKED, LONG_LEN).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        Some(Box::leak(text.into_boxed_str()))
    })
}

/// Where texts are borrowed from: `PLAIN`, and the unpacked long texts (`None`: an outline).
/// (The generator writes only spans on character boundaries; a test compares the whole roadmap
/// with a parse of its file.)
#[derive(Clone, Copy)]
struct Texts {
    long: Option<&'static str>,
}

impl Texts {
    fn text(self, t: T) -> Text {
        Text::Borrowed(PLAIN.get(t.0 as usize..t.1 as usize).unwrap_or_default())
    }

    fn maybe(self, t: Option<T>) -> Option<Text> {
        t.map(|t| self.text(t))
    }

    fn long(self, p: P) -> Text {
        let all = self.long.unwrap_or_default();
        Text::Borrowed(all.get(p.0 as usize..p.1 as usize).unwrap_or_default())
    }

    fn maybe_long(self, p: Option<P>) -> Option<Text> {
        p.map(|p| self.long(p))
    }

    fn resources(self, l: L) -> Vec<Resource> {
        list(&RESOURCES, l)
            .iter()
            .map(|r| Resource {
                title: self.long(r.title),
                url: self.long(r.url),
                kind: r.kind,
            })
            .collect()
    }
}

fn list<X>(all: &'static [X], l: L) -> &'static [X] {
    all.get(l.0 as usize..l.1 as usize).unwrap_or_default()
}

impl StaticRoadmap {
    fn to_roadmap(&self, t: Texts) -> Roadmap {
        Roadmap {
            id: t.text(self.id),
            title: t.text(self.title),
            source: t.maybe(self.source),
            overview: t.long(self.overview),
            vars: list(&VARS, self.vars)
                .iter()
                .map(|&(name, value)| (t.text(name).into_owned(), t.text(value).into_owned()))
                .collect::<BTreeMap<_, _>>(),
            steps: list(&STEPS, self.steps)
                .iter()
                .map(|s| s.to_step(t))
                .collect(),
        }
    }
}

impl StaticStep {
    fn to_step(&self, t: Texts) -> Step {
        Step {
            id: t.text(self.id),
            title: t.text(self.title),
            summary: t.long(self.summary),
            notes: t.long(self.notes),
            tasks: list(&TASKS, self.tasks)
                .iter()
                .map(|task| task.to_task(t))
                .collect(),
            resources: t.resources(self.resources),
        }
    }
}

impl StaticTask {
    fn to_task(&self, t: Texts) -> Task {
        Task {
            id: t.text(self.id),
            title: t.text(self.title),
            outcome: t.maybe_long(self.outcome),
            notes: t.long(self.notes),
            hours: self.hours,
            recall: t.maybe_long(self.recall),
            answer: t.maybe_long(self.answer),
            cards: list(&CARDS, self.cards)
                .iter()
                .map(|c| Card {
                    id: t.text(c.id),
                    ask: t.long(c.ask),
                    answer: t.maybe_long(c.answer),
                })
                .collect(),
            check: list(&PROBES, self.check)
                .iter()
                .map(|p| p.to_probe(t))
                .collect(),
            resources: t.resources(self.resources),
        }
    }
}

impl StaticProbe {
    fn to_probe(&self, t: Texts) -> Probe {
        let expect = |e: &Option<StaticExpect>| {
            e.as_ref().map(|e| match e {
                StaticExpect::Contains(s) => Expect::Contains(t.long(*s)),
                StaticExpect::Matches(s) => Expect::Matches(t.long(*s)),
            })
        };
        let kind = match &self.kind {
            StaticProbeKind::Run {
                command,
                exit,
                output,
            } => ProbeKind::Run {
                command: t.long(*command),
                exit: *exit,
                output: expect(output),
            },
            StaticProbeKind::Http {
                url,
                method,
                status,
                body,
            } => ProbeKind::Http {
                url: t.long(*url),
                method: *method,
                status: *status,
                body: expect(body),
            },
            StaticProbeKind::File { path, content } => ProbeKind::File {
                path: t.long(*path),
                content: expect(content),
            },
        };
        Probe {
            kind,
            timeout: self.timeout,
            hint: t.maybe_long(self.hint),
        }
    }
}
