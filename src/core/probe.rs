//! Checks as a roadmap writes them: a task's `check:` is a list of probes that must all pass, each
//! one command to run, one HTTP request, or one file to look at, on the learner's own machine.
//!
//! This module is the schema (read with serde from the roadmap YAML), its validation and the
//! `{variable}` expansion of a probe's strings. Running probes is `crate::checks`; the fingerprint
//! a learner's approval records, and a probe as the approval shows it, are `crate::checks::trust`'s.
//!
//! ```yaml
//! check:
//!   - run: "psql -tAc 'select count(*) from film'"
//!     output_matches: '^\s*[1-9]'
//!     hint: "Load the sample database first."
//!   - http: "http://localhost:{port}/health"
//!     status: 200
//!     timeout: 5
//!   - file: "README.md"
//!     contains: "## Running"
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// A text of the roadmap (see `crate::core::roadmap::Text`).
type Text = std::borrow::Cow<'static, str>;

/// A task's check: probes that must all pass.
pub type Check = Vec<Probe>;

/// Seconds a probe may take when it does not say.
pub const DEFAULT_TIMEOUT: u64 = 10;
/// The most seconds a probe may ask for.
pub const MAX_TIMEOUT: u64 = 300;
/// Regular expressions longer than this are refused: a check's pattern is a line, not a program,
/// and matching time grows with the pattern's size.
const MAX_PATTERN_CHARS: usize = 1000;

/// One probe of a check: what to look at, how long it may take, and what to tell a learner when it
/// fails.
///
/// Deserialized from a YAML mapping with exactly one of `run`, `http` or `file` and only the
/// fields that kind takes (anything else is a YAML error located at the probe). What serde cannot
/// see (regular expressions, URLs, ranges, variables) is checked by [`problems`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub kind: ProbeKind,
    /// A smoke probe can only see that something exists (a file, a remote, a CLI answering):
    /// it can say what is missing, but a check of smoke probes alone never verifies a task.
    pub smoke: bool,
    /// Seconds before the probe is stopped and fails; valid from 1 to [`MAX_TIMEOUT`].
    pub timeout: u64,
    /// Shown when the probe fails.
    pub hint: Option<Text>,
}

/// What a probe looks at, and what it expects to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeKind {
    /// `run`: `sh -c COMMAND` in the project folder; passes on exit status `exit` and, when
    /// given, output (stdout and stderr together) that `output` accepts.
    Run {
        command: Text,
        exit: i32,
        output: Option<Expect>,
    },
    /// `http`: one request; passes on `status` (any 2xx when `None`) and, when given, a body that
    /// `body` accepts. Redirects are not followed.
    Http {
        url: Text,
        method: Method,
        status: Option<u16>,
        body: Option<Expect>,
    },
    /// `file`: a path, relative to the project folder or absolute; passes when it exists and, when
    /// given, its content is accepted by `content`.
    File { path: Text, content: Option<Expect> },
    /// `tests`: the project's own tests, run with its own runner (pytest or unittest, npm test
    /// or node --test, Maven, Gradle, or JUnit's console launcher), found from the project's
    /// files under the folder; passes when they pass and at least `at_least` of them ran.
    Tests { folder: Text, at_least: u32 },
    /// `programs`: every program (Python, JavaScript or Java source) under the folder runs with
    /// a few lines of input and exits 0; at least `at_least` of them, each different and none
    /// an empty file or a stub.
    Programs { folder: Text, at_least: u32 },
    /// `program`: the program of that name (`wordcount` finds wordcount.py, word_count.js,
    /// WordCount.java, … in the project folder, `src/` or `exercises/`) runs with `args` and
    /// `stdin`; passes on exit status 0 and output that `output` accepts. With
    /// `random_words: true`, pathway writes words of its own on the input, different at every
    /// run, and expects each with its count: an answer known in advance cannot pass.
    Program {
        name: Text,
        args: Vec<Text>,
        stdin: Option<Text>,
        output: Option<Expect>,
        random_words: bool,
    },
    /// `sql`: a SQL file in the project. `content` judges its code, with comments, literals
    /// and psql commands left out (`crate::core::sql`); with a `database`, the file runs there
    /// with psql inside a transaction that is rolled back (refused when anything in it would
    /// end that transaction), and passes when it runs without an error and at least `rows` of
    /// its statements return rows.
    Sql {
        path: Text,
        content: Option<Expect>,
        database: Option<Text>,
        rows: Option<u32>,
    },
}

/// What a text must hold: `…_contains` (a plain substring) or `…_matches` (a regular expression,
/// in which `^` and `$` match at line ends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    Contains(Text),
    Matches(Text),
}

/// The HTTP methods a check may use: checks only read, so nothing that changes a server's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    #[default]
    Get,
    Head,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
        }
    }
}

impl<'de> Deserialize<'de> for Method {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MethodVisitor;
        impl Visitor<'_> for MethodVisitor {
            type Value = Method;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("GET or HEAD")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Method, E> {
                if v.eq_ignore_ascii_case("GET") {
                    Ok(Method::Get)
                } else if v.eq_ignore_ascii_case("HEAD") {
                    Ok(Method::Head)
                } else {
                    Err(E::custom(format!(
                        "method {v:?} is not allowed: a check only reads, with GET or HEAD"
                    )))
                }
            }
        }
        deserializer.deserialize_str(MethodVisitor)
    }
}

/// The probe as written, before the rules that serde's derive cannot express.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProbe {
    run: Option<String>,
    http: Option<String>,
    file: Option<String>,
    exit: Option<i32>,
    output_contains: Option<String>,
    output_matches: Option<String>,
    method: Option<Method>,
    status: Option<u16>,
    body_contains: Option<String>,
    body_matches: Option<String>,
    contains: Option<String>,
    matches: Option<String>,
    tests: Option<String>,
    programs: Option<String>,
    program: Option<String>,
    sql: Option<String>,
    database: Option<String>,
    at_least: Option<u32>,
    args: Option<Vec<String>>,
    stdin: Option<String>,
    random_words: Option<bool>,
    smoke: Option<bool>,
    timeout: Option<u64>,
    hint: Option<String>,
}

/// The probe kinds, by the key that names each.
const KINDS: [&str; 7] = ["run", "http", "file", "tests", "programs", "program", "sql"];

impl RawProbe {
    /// The kind of probe, by the one key that names it.
    fn kind(&self) -> Result<&'static str, String> {
        let given = [
            self.run.is_some(),
            self.http.is_some(),
            self.file.is_some(),
            self.tests.is_some(),
            self.programs.is_some(),
            self.program.is_some(),
            self.sql.is_some(),
        ];
        let kinds: Vec<&str> = KINDS
            .into_iter()
            .zip(given)
            .filter_map(|(name, given)| given.then_some(name))
            .collect();
        match kinds.as_slice() {
            [] => Err(format!("a probe needs one of `{}`", KINDS.join("`, `"))),
            [one] => Ok(*one),
            many => Err(format!(
                "a probe is one of `{}`, not both `{}`: give each its own probe in the list",
                KINDS.join("`, `"),
                many.join("` and `")
            )),
        }
    }

    /// Refuses a field that belongs to another kind of probe than `kind`.
    fn fields_belong(&self, kind: &str) -> Result<(), String> {
        let counted = kind == "tests" || kind == "programs";
        if self.at_least.is_some() && !counted && !(kind == "sql" && self.database.is_some()) {
            return Err(if kind == "sql" {
                "`at_least` counts the statements that return rows, so it needs `database`".into()
            } else {
                format!(
                    "`at_least` belongs to a `tests`, `programs` or `sql` probe, and this one is \
                     a `{kind}` probe"
                )
            });
        }
        let program = kind == "program";
        if let Some(field) = [
            ("args", self.args.is_some()),
            ("stdin", self.stdin.is_some()),
            ("random_words", self.random_words.is_some()),
        ]
        .into_iter()
        .find_map(|(field, given)| (given && !program).then_some(field))
        {
            return Err(format!(
                "`{field}` belongs to a `program` probe, and this one is a `{kind}` probe"
            ));
        }
        let output_owner = if program { "program" } else { "run" };
        let owned: [(&str, &str, bool); 10] = [
            ("exit", "run", self.exit.is_some()),
            (
                "output_contains",
                output_owner,
                self.output_contains.is_some(),
            ),
            (
                "output_matches",
                output_owner,
                self.output_matches.is_some(),
            ),
            ("method", "http", self.method.is_some()),
            ("status", "http", self.status.is_some()),
            ("body_contains", "http", self.body_contains.is_some()),
            ("body_matches", "http", self.body_matches.is_some()),
            ("contains", "file", self.contains.is_some()),
            ("matches", "file", self.matches.is_some()),
            ("database", "sql", self.database.is_some()),
        ];
        // A `sql` probe judges its file's code as a `file` probe judges a file's text.
        let owns = |owner: &str| owner == kind || (owner == "file" && kind == "sql");
        if let Some((field, owner, _)) = owned
            .iter()
            .find(|(_, owner, given)| *given && !owns(owner))
        {
            let article = |kind: &str| if kind == "http" { "an" } else { "a" };
            let owner = match *owner {
                "run" if *field != "exit" => "run` or `program",
                "file" => "file` or `sql",
                owner => owner,
            };
            return Err(format!(
                "`{field}` belongs to {} `{owner}` probe, and this one is {} `{kind}` probe",
                article(owner),
                article(kind)
            ));
        }
        Ok(())
    }

    fn into_probe(self) -> Result<Probe, String> {
        let kind = self.kind()?;
        self.fields_belong(kind)?;
        let kind = match kind {
            "run" => ProbeKind::Run {
                command: self.run.unwrap_or_default().into(),
                exit: self.exit.unwrap_or(0),
                output: either(
                    self.output_contains,
                    self.output_matches,
                    "output_contains",
                    "output_matches",
                )?,
            },
            "http" => ProbeKind::Http {
                url: self.http.unwrap_or_default().into(),
                method: self.method.unwrap_or_default(),
                status: self.status,
                body: either(
                    self.body_contains,
                    self.body_matches,
                    "body_contains",
                    "body_matches",
                )?,
            },
            "file" => ProbeKind::File {
                path: self.file.unwrap_or_default().into(),
                content: either(self.contains, self.matches, "contains", "matches")?,
            },
            "tests" => ProbeKind::Tests {
                folder: self.tests.unwrap_or_default().into(),
                at_least: self.at_least.unwrap_or(1),
            },
            "programs" => ProbeKind::Programs {
                folder: self.programs.unwrap_or_default().into(),
                at_least: self.at_least.unwrap_or(1),
            },
            "sql" => ProbeKind::Sql {
                path: self.sql.unwrap_or_default().into(),
                content: either(self.contains, self.matches, "contains", "matches")?,
                database: self.database.map(Text::from),
                rows: self.at_least,
            },
            _ => ProbeKind::Program {
                name: self.program.unwrap_or_default().into(),
                args: self
                    .args
                    .unwrap_or_default()
                    .into_iter()
                    .map(Text::from)
                    .collect(),
                stdin: self.stdin.map(Text::from),
                output: either(
                    self.output_contains,
                    self.output_matches,
                    "output_contains",
                    "output_matches",
                )?,
                random_words: self.random_words.unwrap_or(false),
            },
        };
        Ok(Probe {
            kind,
            smoke: self.smoke.unwrap_or(false),
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            hint: self.hint.map(Text::from),
        })
    }
}

fn either(
    contains: Option<String>,
    matches: Option<String>,
    contains_name: &str,
    matches_name: &str,
) -> Result<Option<Expect>, String> {
    match (contains, matches) {
        (Some(_), Some(_)) => Err(format!(
            "give `{contains_name}` or `{matches_name}`, not both"
        )),
        (Some(text), None) => Ok(Some(Expect::Contains(text.into()))),
        (None, Some(pattern)) => Ok(Some(Expect::Matches(pattern.into()))),
        (None, None) => Ok(None),
    }
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ProbeVisitor;
        impl<'de> Visitor<'de> for ProbeVisitor {
            type Value = Probe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a probe: a mapping with one of `run`, `http`, `file`, `tests`, `programs`, `program` or `sql`")
            }
            // The rules are applied inside the mapping, so a YAML error points at this probe.
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Probe, A::Error> {
                let raw = RawProbe::deserialize(de::value::MapAccessDeserializer::new(map))?;
                raw.into_probe().map_err(de::Error::custom)
            }
        }
        deserializer.deserialize_map(ProbeVisitor)
    }
}

/// A rule a probe breaks, as validation reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeProblem {
    /// The probe's position in its check, from 0.
    pub probe: usize,
    /// The YAML key the problem is about (`run`, `output_matches`, `timeout`…).
    pub field: &'static str,
    /// That key's value as read (a number in digits), so the problem can be located in the file.
    pub value: String,
    /// A short sentence naming the probe (from 1) and the field.
    pub message: String,
}

impl fmt::Display for ProbeProblem {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Every rule the probes of `check` break that serde could not see: a valid regular expression,
/// an http:// or https:// URL, a timeout from 1 to 300 seconds, an exit status and an HTTP status
/// in range, no control characters (line breaks and tabs are allowed in commands, expected texts
/// and hints), and only `{project}` and the variables the roadmap declares (`vars`, whose
/// defaults are used to try the expanded regular expressions and URLs).
pub fn problems(check: &[Probe], vars: &BTreeMap<String, String>) -> Vec<ProbeProblem> {
    let mut out = Vec::new();
    for (index, probe) in check.iter().enumerate() {
        let mut problem = |field: &'static str, value: &str, what: String| {
            out.push(ProbeProblem {
                probe: index,
                field,
                value: value.to_string(),
                message: format!("check probe {}: {what}", index + 1),
            });
        };
        let mut strings = kind_problems(&probe.kind, &mut problem);
        if let Some(hint) = &probe.hint {
            strings.push(("hint", hint, true));
        }
        if !(1..=MAX_TIMEOUT).contains(&probe.timeout) {
            problem(
                "timeout",
                &probe.timeout.to_string(),
                format!(
                    "`timeout` is {} seconds; give 1 to {MAX_TIMEOUT}",
                    probe.timeout
                ),
            );
        }
        string_problems(strings, vars, &mut problem);
    }
    out
}

/// Every string of a probe with its key, and whether it may hold line breaks and tabs.
type Strings<'a> = Vec<(&'static str, &'a str, bool)>;

/// The rules of each kind's own fields; returns the kind's strings for `string_problems`.
fn kind_problems<'a>(
    kind: &'a ProbeKind,
    problem: &mut impl FnMut(&'static str, &str, String),
) -> Strings<'a> {
    let mut strings: Strings<'a> = Vec::new();
    match kind {
        ProbeKind::Run {
            command,
            exit,
            output,
        } => {
            strings.push(("run", command, true));
            push_expect(&mut strings, output, "output_contains", "output_matches");
            if !(0..=255).contains(exit) {
                problem(
                    "exit",
                    &exit.to_string(),
                    format!("`exit` is {exit}; an exit status is 0 to 255"),
                );
            }
        }
        ProbeKind::Http {
            url,
            method,
            status,
            body,
        } => {
            strings.push(("http", url, false));
            push_expect(&mut strings, body, "body_contains", "body_matches");
            if let Some(status) = status.filter(|s| !(100..=599).contains(s)) {
                problem(
                    "status",
                    &status.to_string(),
                    format!("`status` is {status}; an HTTP status is 100 to 599"),
                );
            }
            if *method == Method::Head && body.is_some() {
                problem(
                    "method",
                    "HEAD",
                    "a HEAD request has no body to check: use GET, or drop `body_contains` \
                     and `body_matches`"
                        .into(),
                );
            }
        }
        ProbeKind::File { path, content } => {
            strings.push(("file", path, false));
            push_expect(&mut strings, content, "contains", "matches");
        }
        ProbeKind::Sql {
            path,
            content,
            database,
            rows,
        } => {
            strings.push(("sql", path, false));
            push_expect(&mut strings, content, "contains", "matches");
            if let Some(database) = database {
                strings.push(("database", database, false));
            }
            if let Some((field, what)) = sql_problem(content, database, *rows) {
                let value = if field == "sql" { path } else { "0" };
                problem(field, value, what.into());
            }
        }
        ProbeKind::Tests { folder, at_least } | ProbeKind::Programs { folder, at_least } => {
            let key = if matches!(kind, ProbeKind::Tests { .. }) {
                "tests"
            } else {
                "programs"
            };
            strings.push((key, folder, false));
            if *at_least == 0 {
                problem(
                    "at_least",
                    "0",
                    "`at_least` is 0: a check that nothing ran proves nothing; give 1 or more"
                        .into(),
                );
            }
        }
        ProbeKind::Program {
            name,
            args,
            stdin,
            output,
            random_words,
        } => program_problems(
            (name, args, stdin, output, *random_words),
            &mut strings,
            problem,
        ),
    }
    strings
}

/// The rules of a `program` probe's fields.
fn program_problems<'a>(
    (name, args, stdin, output, random_words): (
        &'a Text,
        &'a [Text],
        &'a Option<Text>,
        &'a Option<Expect>,
        bool,
    ),
    strings: &mut Strings<'a>,
    problem: &mut impl FnMut(&'static str, &str, String),
) {
    if random_words && (stdin.is_some() || output.is_some()) {
        problem(
            "random_words",
            "true",
            "`random_words` writes the input and knows the answer: give no `stdin` \
                 or `output_…` beside it"
                .into(),
        );
    }
    strings.push(("program", name, false));
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        problem(
            "program",
            name,
            "`program` is a name such as wordcount (letters, digits, _ and -), \
                 not a path or a command"
                .into(),
        );
    }
    for arg in args {
        strings.push(("args", arg, false));
    }
    if let Some(stdin) = stdin {
        strings.push(("stdin", stdin, true));
    }
    push_expect(strings, output, "output_contains", "output_matches");
}

/// Control characters, variables, empty values, URLs and regular expressions of a probe's
/// strings, tried with the variables' defaults.
fn string_problems(
    strings: Strings<'_>,
    vars: &BTreeMap<String, String>,
    problem: &mut impl FnMut(&'static str, &str, String),
) {
    for (field, value, lines) in strings {
        let control = value
            .chars()
            .any(|c| c.is_control() && !(lines && (c == '\n' || c == '\t')));
        if control {
            problem(field, value, format!("`{field}` holds a control character"));
            continue;
        }
        let expanded = match expand(value, Path::new("/project"), vars) {
            Ok(expanded) => expanded,
            Err(why) => {
                problem(field, value, format!("`{field}`: {why}"));
                continue;
            }
        };
        match field {
            "run" | "file" | "tests" | "programs" | "program" | "sql" | "database"
                if value.trim().is_empty() =>
            {
                problem(field, value, format!("`{field}` is empty"));
            }
            "http" => {
                if let Err(why) = http_url(&expanded) {
                    problem(field, value, format!("`http` {why}"));
                }
            }
            "output_matches" | "body_matches" | "matches" => {
                if let Err(why) = regex(&expanded) {
                    problem(
                        field,
                        value,
                        format!("`{field}` is not a valid regular expression: {why}"),
                    );
                }
            }
            _ => {}
        }
    }
}

/// What a `sql` probe lacks or gives wrong, beyond its strings: the field and a sentence.
fn sql_problem(
    content: &Option<Expect>,
    database: &Option<Text>,
    rows: Option<u32>,
) -> Option<(&'static str, &'static str)> {
    if database.is_none() && content.is_none() {
        return Some((
            "sql",
            "a `sql` probe needs `matches` (or `contains`) for its code, or a `database` to run \
             it on, or both",
        ));
    }
    (rows == Some(0)).then_some((
        "at_least",
        "`at_least` is 0: leave it out when no statement need return rows",
    ))
}

fn push_expect<'a>(
    strings: &mut Vec<(&'static str, &'a str, bool)>,
    expect: &'a Option<Expect>,
    contains: &'static str,
    matches: &'static str,
) {
    match expect {
        Some(Expect::Contains(text)) => strings.push((contains, text, true)),
        Some(Expect::Matches(pattern)) => strings.push((matches, pattern, true)),
        None => {}
    }
}

/// Compiles a check's regular expression the one way both validation and running do: `^` and `$`
/// match at line ends, as in grep, and patterns are bounded in size.
pub(crate) fn regex(pattern: &str) -> Result<regex_lite::Regex, String> {
    if pattern.chars().count() > MAX_PATTERN_CHARS {
        return Err(format!("longer than {MAX_PATTERN_CHARS} characters"));
    }
    regex_lite::RegexBuilder::new(pattern)
        .multi_line(true)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            e.to_string()
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .to_string()
        })
}

/// Where an `http://` URL points: the host to connect to (IPv6 without brackets), the port, the
/// `Host` header (the authority as written) and the request target (path and query).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpTarget {
    pub host: String,
    pub port: u16,
    pub authority: String,
    pub path: String,
    pub tls: bool,
}

/// Reads an http:// or https:// URL, or says in a few words what is wrong with it.
pub(crate) fn http_url(url: &str) -> Result<HttpTarget, String> {
    let (tls, rest) = if let Some(rest) = url.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err("must start with http:// or https://".into());
    };
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters".into());
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err("must not hold a user name or password".into());
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let Some((host, after)) = bracketed.split_once(']') else {
            return Err("has an IPv6 address without its closing `]`".into());
        };
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err("has no host".into());
    }
    let port = match port {
        None => {
            if tls {
                443
            } else {
                80
            }
        }
        Some(port) => match port.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => {
                return Err(format!(
                    "has the port {port:?}; give a number from 1 to 65535"
                ));
            }
        },
    };
    let path = tail.split('#').next().unwrap_or("");
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    Ok(HttpTarget {
        host: host.to_string(),
        port,
        authority: authority.to_string(),
        path,
        tls,
    })
}

/// Replaces `{project}` with the project folder and `{name}` with the variable `name`.
///
/// A placeholder is a name in braces: a letter or `_`, then letters, digits, `_` or `-`. Anything
/// else in braces is left as it is (`awk '{ print $1 }'`, `\d{3}`), and so is `${name}`, which
/// is the shell's. `{{` and `}}` stand for `{` and `}`, for the rare text that needs a literal
/// `{name}`. Values are inserted as they are: this is for URLs, paths, patterns and hints; a
/// `run` command is expanded by [`expand_shell`].
pub fn expand(
    text: &str,
    project: &Path,
    vars: &BTreeMap<String, String>,
) -> Result<String, String> {
    walk(text, project, vars, false, |out, _quote, _name, value| {
        out.push_str(value);
        Ok(())
    })
}

/// As [`expand`], for a command that `sh -c` reads: each value is quoted for where it stands,
/// so a folder named `a;touch PWNED;b`, `it's` or `my project` is one word and never code.
/// Outside quotes a value is single-quoted (unless it is plain: letters, digits and `._-/:@%+=,`);
/// inside double quotes `\`, `"`, `$` and `` ` `` are escaped; inside single quotes, where
/// nothing can be escaped and the text is often a command for another shell (`ssh host '…'`),
/// only a plain value is allowed and anything else cannot be checked.
pub fn expand_shell(
    text: &str,
    project: &Path,
    vars: &BTreeMap<String, String>,
) -> Result<String, String> {
    walk(text, project, vars, true, |out, quote, name, value| {
        let plain = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-/:@%+=,".contains(c));
        match quote {
            Quote::None if plain => out.push_str(value),
            Quote::None => {
                out.push('\'');
                out.push_str(&value.replace('\'', "'\\''"));
                out.push('\'');
            }
            Quote::Double => {
                for c in value.chars() {
                    if matches!(c, '\\' | '"' | '$' | '`') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Quote::Single if plain || value.is_empty() => out.push_str(value),
            Quote::Single => {
                return Err(format!(
                    "the value of `{{{name}}}` ({}) holds characters that cannot stand inside \
                     single quotes in this command: use letters, digits and ._-/:@ only",
                    crate::core::text::clean(value)
                ));
            }
        }
        Ok(())
    })
}

/// Where a placeholder stands in a shell command.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    None,
    Single,
    Double,
}

/// The walk both expansions share: copies `text`, following the shell's quotes when `shell`,
/// and lets `insert` put each placeholder's value in.
fn walk(
    text: &str,
    project: &Path,
    vars: &BTreeMap<String, String>,
    shell: bool,
    mut insert: impl FnMut(&mut String, Quote, &str, &str) -> Result<(), String>,
) -> Result<String, String> {
    let project = project.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    let mut quote = Quote::None;
    // The quotes and parentheses open around a `$(…)` or a backquote: inside one the shell
    // starts quoting afresh, so `"$(basename {project})"` is outside quotes again.
    let mut outer: Vec<(Quote, char)> = Vec::new();
    let mut parens = 0u32;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{{") {
            out.push('{');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("}}") {
            out.push('}');
            rest = after;
        } else if shell && quote != Quote::Single && rest.starts_with("$(") {
            outer.push((quote, ')'));
            quote = Quote::None;
            out.push_str("$(");
            rest = &rest[2..];
        } else if let Some(after) = rest.strip_prefix("${") {
            out.push_str("${");
            rest = after;
        } else if let Some((name, after)) = placeholder(rest) {
            let value = if name == "project" {
                project.as_ref()
            } else if let Some(value) = vars.get(name) {
                value.as_str()
            } else {
                return Err(format!(
                    "unknown variable `{{{name}}}`: declare it under `vars`, or write \
                     `{{{{{name}}}}}` for the braces themselves"
                ));
            };
            insert(&mut out, quote, name, value)?;
            rest = after;
        } else {
            let mut len = c.len_utf8();
            if shell {
                let closes = outer.last().map(|&(_, close)| close);
                match (quote, c) {
                    (Quote::None, '(') => parens += 1,
                    (Quote::None, ')') if parens > 0 => parens -= 1,
                    (Quote::None, ')' | '`') if closes == Some(c) => {
                        quote = outer.pop().map_or(Quote::None, |(q, _)| q);
                    }
                    (Quote::None | Quote::Double, '`') => {
                        outer.push((quote, '`'));
                        quote = Quote::None;
                    }
                    (Quote::None, '\'') => quote = Quote::Single,
                    (Quote::None, '"') => quote = Quote::Double,
                    (Quote::Single, '\'') | (Quote::Double, '"') => quote = Quote::None,
                    (Quote::None | Quote::Double, '\\') => {
                        // A backslash takes the next character with it, quote or brace alike.
                        len += rest[1..].chars().next().map_or(0, char::len_utf8);
                    }
                    _ => {}
                }
            }
            out.push_str(&rest[..len]);
            rest = &rest[len..];
        }
    }
    Ok(out)
}

/// `{name}` at the start of `text`: the name and what follows the closing brace.
fn placeholder(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('{')?;
    let close = inner.find('}')?;
    let name = &inner[..close];
    valid_name(name).then_some((name, &inner[close + 1..]))
}

fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Reads a `vars:` mapping (a roadmap's defaults, or a learner's settings): names as placeholders
/// spell them, each value a string, number or boolean, kept as text. For
/// `#[serde(default, deserialize_with = "crate::core::probe::deserialize_vars")]`.
pub fn deserialize_vars<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    struct Scalar(String);
    impl<'de> Deserialize<'de> for Scalar {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct ScalarVisitor;
            impl Visitor<'_> for ScalarVisitor {
                type Value = Scalar;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a string, a number or true/false")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
                fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                    Ok(Scalar(v.to_string()))
                }
            }
            deserializer.deserialize_any(ScalarVisitor)
        }
    }
    struct VarsVisitor;
    impl<'de> Visitor<'de> for VarsVisitor {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("variables: a mapping of names to values, as `port: 8000`")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut vars = BTreeMap::new();
            while let Some((name, Scalar(value))) = map.next_entry::<String, Scalar>()? {
                if !valid_name(&name) {
                    return Err(de::Error::custom(format!(
                        "variable name {name:?}: use letters, digits, `_` and `-`, starting with \
                         a letter"
                    )));
                }
                if name == "project" {
                    return Err(de::Error::custom(
                        "`project` is the project folder, not a variable to declare",
                    ));
                }
                if value.chars().any(char::is_control) {
                    return Err(de::Error::custom(format!(
                        "variable `{name}` holds a control character"
                    )));
                }
                if vars.insert(name.clone(), value).is_some() {
                    return Err(de::Error::custom(format!(
                        "variable `{name}` is declared twice"
                    )));
                }
            }
            Ok(vars)
        }
    }
    deserializer.deserialize_map(VarsVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Check, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }

    #[test]
    fn probes_that_run_the_work_are_read_with_their_fields_and_refuse_others() {
        let check = parse(
            "- tests: .\n  at_least: 3\n- programs: exercises\n  at_least: 10\n  smoke: true\n\
             - program: wordcount\n  args: [--top]\n  stdin: \"a b a\"\n  output_contains: \"a: 2\"",
        )
        .expect("valid");
        assert_eq!(
            check[0].kind,
            ProbeKind::Tests {
                folder: ".".into(),
                at_least: 3
            }
        );
        assert!(!check[0].smoke);
        assert!(check[1].smoke);
        assert!(
            matches!(&check[2].kind, ProbeKind::Program { name, args, stdin: Some(_), output: Some(_), random_words: false } if name == "wordcount" && args.len() == 1)
        );
        for (yaml, wanted) in [
            (
                "- run: x\n  at_least: 2",
                "`at_least` belongs to a `tests`, `programs` or `sql` probe",
            ),
            (
                "- tests: .\n  stdin: x",
                "`stdin` belongs to a `program` probe",
            ),
            ("- tests: .\n  program: x", "not both `tests` and `program`"),
            (
                "- file: x\n  output_contains: y",
                "belongs to a `run` or `program` probe",
            ),
        ] {
            let err = parse(yaml).expect_err(yaml).to_string();
            assert!(err.contains(wanted), "{yaml}: {err}");
        }
        let vars = BTreeMap::new();
        let problems = problems(
            &parse(
                "- tests: .\n  at_least: 0\n- program: ../x.py\n\
                 - program: wordcount\n  random_words: true\n  stdin: the cat",
            )
            .expect("parses"),
            &vars,
        );
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            format!("{problems:?}").contains("`random_words` writes the input"),
            "{problems:?}"
        );
        let err = parse("- run: x\n  random_words: true").expect_err("not a program probe");
        assert!(
            err.to_string().contains("belongs to a `program` probe"),
            "{err}"
        );
    }

    #[test]
    fn sql_probes_judge_the_code_or_run_the_file_and_refuse_fields_of_other_kinds() {
        let check = parse(
            "- sql: q.sql\n  matches: (?i)join\n- sql: q.sql\n  database: '{db}'\n  at_least: 10",
        )
        .expect("valid");
        assert!(matches!(
            &check[0].kind,
            ProbeKind::Sql { path, content: Some(Expect::Matches(_)), database: None, rows: None }
                if path == "q.sql"
        ));
        assert!(matches!(
            &check[1].kind,
            ProbeKind::Sql { database: Some(db), rows: Some(10), content: None, .. } if db == "{db}"
        ));
        for (yaml, wanted) in [
            ("- sql: q.sql\n  at_least: 2", "so it needs `database`"),
            ("- file: q.sql\n  database: x", "belongs to a `sql` probe"),
            (
                "- run: x\n  matches: y",
                "belongs to a `file` or `sql` probe",
            ),
        ] {
            let err = parse(yaml).expect_err(yaml).to_string();
            assert!(err.contains(wanted), "{yaml}: {err}");
        }
        let vars = BTreeMap::from([("db".to_string(), "blog".to_string())]);
        let problems = problems(
            &parse("- sql: q.sql\n- sql: q.sql\n  database: x\n  at_least: 0\n- sql: ''\n  database: '{nope}'")
                .expect("parses"),
            &vars,
        );
        let fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            ["sql", "at_least", "sql", "database"],
            "{problems:?}"
        );
    }

    #[test]
    fn shell_expansion_quotes_each_value_for_where_it_stands() {
        let vars = BTreeMap::from([("app".to_string(), "a b;c".to_string())]);
        let p = Path::new("/it's here");
        let e = |t: &str| expand_shell(t, p, &vars);
        assert_eq!(
            e("test -d {project}").as_deref(),
            Ok("test -d '/it'\\''s here'")
        );
        assert_eq!(e("echo \"{app}\"").as_deref(), Ok("echo \"a b;c\""));
        assert_eq!(
            e("echo \"$(basename {app})\"").as_deref(),
            Ok("echo \"$(basename 'a b;c')\"")
        );
        assert!(e("ssh h 'id {app}'").is_err());
        // A plain value stays as it is, and `expand` (URLs, paths, patterns) never quotes.
        let plain = BTreeMap::from([("port".to_string(), "8000".to_string())]);
        assert_eq!(
            expand_shell("curl localhost:{port}", p, &plain).as_deref(),
            Ok("curl localhost:8000")
        );
        assert_eq!(
            expand("{project}/x", p, &vars).as_deref(),
            Ok("/it's here/x")
        );
    }

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn messages(check: &Check, declared: &BTreeMap<String, String>) -> Vec<String> {
        problems(check, declared)
            .into_iter()
            .map(|p| p.message)
            .collect()
    }

    #[test]
    fn every_kind_parses_with_its_defaults() {
        let check = parse(
            "- run: git status\n\
             - http: http://localhost:8000/health\n\
             - file: README.md\n",
        )
        .expect("valid");
        assert_eq!(
            check,
            vec![
                Probe {
                    smoke: false,
                    kind: ProbeKind::Run {
                        command: "git status".into(),
                        exit: 0,
                        output: None
                    },
                    timeout: DEFAULT_TIMEOUT,
                    hint: None,
                },
                Probe {
                    smoke: false,
                    kind: ProbeKind::Http {
                        url: "http://localhost:8000/health".into(),
                        method: Method::Get,
                        status: None,
                        body: None
                    },
                    timeout: DEFAULT_TIMEOUT,
                    hint: None,
                },
                Probe {
                    smoke: false,
                    kind: ProbeKind::File {
                        path: "README.md".into(),
                        content: None
                    },
                    timeout: DEFAULT_TIMEOUT,
                    hint: None,
                },
            ]
        );
        assert!(problems(&check, &BTreeMap::new()).is_empty());
    }

    #[test]
    fn every_expectation_parses() {
        let check = parse(
            "- {run: 'psql -V', exit: 2, output_contains: psql, timeout: 5, hint: Install it}\n\
             - {run: 'psql -V', output_matches: '\\d+'}\n\
             - {http: 'https://example.com', method: HEAD, status: 301}\n\
             - {http: 'http://x', body_contains: ok}\n\
             - {http: 'http://x', method: get, body_matches: 'o+k'}\n\
             - {file: a, contains: b}\n\
             - {file: a, matches: 'b$'}\n",
        )
        .expect("valid");
        assert_eq!(check.len(), 7);
        assert_eq!(
            check[0],
            Probe {
                smoke: false,
                kind: ProbeKind::Run {
                    command: "psql -V".into(),
                    exit: 2,
                    output: Some(Expect::Contains("psql".into()))
                },
                timeout: 5,
                hint: Some("Install it".into()),
            }
        );
        assert!(matches!(
            check[2].kind,
            ProbeKind::Http {
                method: Method::Head,
                status: Some(301),
                ..
            }
        ));
        assert!(matches!(
            &check[6].kind,
            ProbeKind::File { content: Some(Expect::Matches(p)), .. } if p == "b$"
        ));
        assert!(problems(&check, &BTreeMap::new()).is_empty());
    }

    #[test]
    fn structural_mistakes_are_yaml_errors_located_at_the_probe() {
        let cases = [
            ("- hint: nothing\n", "needs one of `run`, `http`, `file`"),
            ("- run: a\n  file: b\n", "not both `run` and `file`"),
            (
                "- run: a\n  body_contains: b\n",
                "`body_contains` belongs to an `http` probe, and this one is a `run` probe",
            ),
            (
                "- file: a\n  exit: 1\n",
                "`exit` belongs to a `run` probe, and this one is a `file` probe",
            ),
            (
                "- run: a\n  output_contains: b\n  output_matches: c\n",
                "give `output_contains` or `output_matches`, not both",
            ),
            ("- run: a\n  shell: bash\n", "unknown field `shell`"),
            ("- http: http://x\n  method: POST\n", "a check only reads"),
            ("- echo hi\n", "a probe: a mapping"),
            ("- run: a\n  timeout: -1\n", "timeout"),
        ];
        for (yaml, wanted) in cases {
            let err = parse(yaml).expect_err(yaml);
            assert!(err.to_string().contains(wanted), "{yaml}: {err}");
            assert!(err.location().is_some(), "{yaml}: {err} has no location");
        }
        // Pointed at the probe that is wrong, not at the start of the list.
        let err = parse("- run: a\n- run: b\n  file: c\n").expect_err("two kinds");
        assert_eq!(err.location().map(|l| l.line()), Some(2), "{err}");
    }

    #[test]
    fn validation_names_the_probe_and_the_field() {
        let check = parse(
            "- {run: a, output_matches: '(unclosed'}\n\
             - {http: 'ftp://x'}\n\
             - {http: 'http://x:99999/'}\n\
             - {http: 'http://user:pw@x/'}\n\
             - {run: a, timeout: 0}\n\
             - {file: a, timeout: 301}\n\
             - {run: \"a\\rb\"}\n\
             - {run: \"echo \\e[2J\"}\n\
             - {file: \"a\\nb\"}\n\
             - {run: 'echo {nope}'}\n\
             - {http: 'http://x', method: HEAD, body_contains: a}\n\
             - {run: a, exit: 300}\n\
             - {http: 'http://x', status: 99}\n\
             - {run: '  '}\n\
             - {file: a, matches: '{port}('}\n\
             - {run: a, hint: \"\\u0007\"}\n",
        )
        .expect("parses");
        let found = messages(&check, &vars(&[("port", "8000")]));
        let wanted = [
            "check probe 1: `output_matches` is not a valid regular expression",
            "check probe 2: `http` must start with http:// or https://",
            "check probe 3: `http` has the port \"99999\"",
            "check probe 4: `http` must not hold a user name or password",
            "check probe 5: `timeout` is 0 seconds; give 1 to 300",
            "check probe 6: `timeout` is 301 seconds",
            "check probe 7: `run` holds a control character",
            "check probe 8: `run` holds a control character",
            "check probe 9: `file` holds a control character",
            "check probe 10: `run`: unknown variable `{nope}`",
            "check probe 11: a HEAD request has no body",
            "check probe 12: `exit` is 300",
            "check probe 13: `status` is 99",
            "check probe 14: `run` is empty",
            "check probe 15: `matches` is not a valid regular expression",
            "check probe 16: `hint` holds a control character",
        ];
        assert_eq!(found.len(), wanted.len(), "{found:#?}");
        for (found, wanted) in found.iter().zip(wanted) {
            assert!(
                found.starts_with(wanted),
                "{found:?} should start {wanted:?}"
            );
        }
        let all = problems(&check, &vars(&[("port", "8000")]));
        assert_eq!(
            (all[0].field, all[0].value.as_str()),
            ("output_matches", "(unclosed")
        );
        assert_eq!((all[4].field, all[4].value.as_str()), ("timeout", "0"));
        assert_eq!(all[9].probe, 9);
    }

    #[test]
    fn declared_variables_and_lines_in_commands_are_accepted() {
        let check = parse(
            "- run: |\n    cd \"$PATHWAY_PROJECT\"\n    test -d {project}/.git\n\
             - {http: 'http://localhost:{port}/health', body_matches: '\"port\": {port}'}\n\
             - {run: \"awk '{ print $1 }' f | grep -E '^[0-9]{3}$'\", output_contains: \"a\\tb\"}\n\
             - {run: 'echo ${HOME} {{literal}}'}\n",
        )
        .expect("parses");
        assert_eq!(
            messages(&check, &vars(&[("port", "8000")])),
            Vec::<String>::new()
        );
        // Without the declaration, the URL and the pattern name an unknown variable.
        assert_eq!(messages(&check, &BTreeMap::new()).len(), 2);
    }

    #[test]
    fn expand_replaces_project_and_variables_and_leaves_other_braces() {
        let project = Path::new("/home/me/blog");
        let declared = vars(&[("port", "8080"), ("db_name", "films")]);
        let cases = [
            ("curl localhost:{port}/", "curl localhost:8080/"),
            ("{project}/README.md", "/home/me/blog/README.md"),
            ("psql {db_name} -c 'select 1'", "psql films -c 'select 1'"),
            ("echo ${HOME} $port", "echo ${HOME} $port"),
            ("awk '{ print $1 }'", "awk '{ print $1 }'"),
            ("x{3} \\d{2,4} {", "x{3} \\d{2,4} {"),
            ("{{port}} }} }", "{port} } }"),
            ("{port}{port}", "80808080"),
            ("日本{port}語", "日本8080語"),
        ];
        for (text, wanted) in cases {
            assert_eq!(
                expand(text, project, &declared).as_deref(),
                Ok(wanted),
                "{text}"
            );
        }
        let err = expand("curl :{prot}", project, &declared).expect_err("unknown");
        assert!(err.contains("unknown variable `{prot}`"), "{err}");
        assert!(err.contains("`{{prot}}`"), "{err}");
    }

    #[test]
    fn vars_read_numbers_as_text_and_refuse_bad_names() {
        #[derive(Deserialize, Debug)]
        struct Top {
            #[serde(default, deserialize_with = "deserialize_vars")]
            vars: BTreeMap<String, String>,
        }
        let top: Top =
            serde_yaml::from_str("vars: {port: 8000, host: localhost, tls: false, ratio: 1.5}")
                .expect("valid");
        assert_eq!(
            top.vars,
            vars(&[
                ("port", "8000"),
                ("host", "localhost"),
                ("tls", "false"),
                ("ratio", "1.5")
            ])
        );
        let none: Top = serde_yaml::from_str("{}").expect("valid");
        assert!(none.vars.is_empty());
        for (yaml, wanted) in [
            ("vars: {'my port': 1}", "variable name"),
            ("vars: {project: x}", "`project` is the project folder"),
            ("vars: {a: \"x\\e\"}", "control character"),
            ("vars: {a: [1]}", "a string, a number"),
        ] {
            let err = serde_yaml::from_str::<Top>(yaml).expect_err(yaml);
            assert!(err.to_string().contains(wanted), "{yaml}: {err}");
        }
    }

    #[test]
    fn urls_are_split_for_a_request() {
        let t = http_url("http://localhost:8000/health?full=1#top").expect("valid");
        assert_eq!(
            (
                t.host.as_str(),
                t.port,
                t.authority.as_str(),
                t.path.as_str(),
                t.tls
            ),
            ("localhost", 8000, "localhost:8000", "/health?full=1", false)
        );
        let t = http_url("https://[::1]?q").expect("valid");
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("::1", 443, "/?q")
        );
        let t = http_url("http://example.com").expect("valid");
        assert_eq!((t.port, t.path.as_str()), (80, "/"));
        for bad in [
            "http://",
            "http://:80/",
            "http://x:0",
            "http://[::1",
            "http://a b",
        ] {
            assert!(http_url(bad).is_err(), "{bad}");
        }
    }
}
