//! Trust in a roadmap's checks. A check runs commands, requests and file reads on the learner's
//! machine, so the checks of a roadmap from a file never run until the learner has seen them and
//! said yes. The approval is the SHA-256 of the roadmap's check definitions and variable
//! defaults: changing any of them makes the roadmap untrusted again. The built-in roadmap's
//! checks ship with pathway and need no approval.
//!
//! The approvals are lines `ID SHA256` in `trusted-checks` beside the progress file; this module
//! reads and writes their text, `storage::approvals` the file (under a lock, atomically).

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use sha2::{Digest, Sha256};

use crate::core::probe::{Expect, Probe, ProbeKind};
use crate::core::roadmap::{Roadmap, task_key};

/// Whether a roadmap's checks may run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// Shipped inside pathway.
    BuiltIn,
    /// The learner approved exactly these checks.
    Approved,
    /// Never approved.
    NotApproved,
    /// Approved once, but a check or a variable default changed since.
    Changed,
}

impl Trust {
    pub fn may_run(&self) -> bool {
        matches!(self, Trust::BuiltIn | Trust::Approved)
    }
}

/// The fingerprint of a roadmap's checks and variable defaults.
pub fn fingerprint(roadmap: &Roadmap) -> String {
    let labelled: Vec<(String, &[Probe])> = roadmap
        .steps
        .iter()
        .flat_map(|s| {
            s.tasks
                .iter()
                .map(move |t| (task_key(s, t), t.check.as_slice()))
        })
        .filter(|(_, check)| !check.is_empty())
        .collect();
    checks_fingerprint(
        labelled.iter().map(|(k, c)| (k.as_str(), *c)),
        &roadmap.vars,
    )
}

/// The approvals in a `trusted-checks` text: roadmap id → fingerprint. Lines that are not an id
/// and a fingerprint are ignored (they approve nothing).
pub fn approvals(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|line| {
            let (id, sha) = line.trim().split_once(' ')?;
            let sha = sha.trim();
            (sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()))
                .then(|| (id.to_string(), sha.to_string()))
        })
        .collect()
}

/// The approvals text with this roadmap's checks approved.
pub fn approve(text: &str, roadmap: &Roadmap) -> String {
    let mut all = approvals(text);
    all.insert(roadmap.id.to_string(), fingerprint(roadmap));
    let mut out = String::from(
        "# Roadmaps whose checks you approved (pathway trust): id and SHA-256 of the checks.\n",
    );
    for (id, sha) in all {
        let _ = writeln!(out, "{id} {sha}");
    }
    out
}

/// Whether the roadmap's checks may run, given the approvals text (if there is one).
pub fn status(roadmap: &Roadmap, built_in: bool, approvals_text: Option<&str>) -> Trust {
    if built_in {
        return Trust::BuiltIn;
    }
    match approvals(approvals_text.unwrap_or("")).get(&*roadmap.id) {
        None => Trust::NotApproved,
        Some(sha) if *sha == fingerprint(roadmap) => Trust::Approved,
        Some(_) => Trust::Changed,
    }
}

/// What the learner's checks run with: the project folder and the variables (the roadmap's
/// defaults with the settings over them), for the listing to show what each template becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    pub project: std::path::PathBuf,
    pub vars: BTreeMap<String, String>,
}

/// The mark before each line of a command of several lines: no line of the listing that a
/// command holds can pass for a task or a probe of its own.
pub const CONTINUED: &str = "│ ";

/// Every command, request and file the roadmap's checks would use, under its task, escaped:
/// what the learner is asked to approve. A command of several lines is listed as one, its
/// lines counted and each marked. With `values` (the learner's project folder and variables,
/// where known), each probe whose template uses them is followed by what it becomes, as it will
/// run (for a command, shell-quoted).
pub fn listing(roadmap: &Roadmap, values: Option<&Values>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for step in &roadmap.steps {
        for task in step.tasks.iter().filter(|t| !t.check.is_empty()) {
            lines.push(crate::core::text::one_line(&task_key(step, task)).into_owned());
            for probe in &task.check {
                let noun = match probe.kind {
                    ProbeKind::Run { .. } => "command",
                    _ => "probe",
                };
                let same = |text: &str, _shell: bool| Ok(text.to_string());
                let template = described(probe, &same).unwrap_or_default();
                shown_as(&mut lines, "    ", "", &template, noun);
                let Some(values) = values else { continue };
                let expand = |text: &str, shell: bool| {
                    if shell {
                        crate::core::probe::expand_shell(text, &values.project, &values.vars)
                    } else {
                        crate::core::probe::expand(text, &values.project, &values.vars)
                    }
                };
                match described(probe, &expand) {
                    Ok(text) if text == template => {}
                    Ok(text) => shown_as(&mut lines, "      ", "becomes: ", &text, noun),
                    Err(why) => lines.push(format!(
                        "      cannot run: {}",
                        crate::core::text::one_line(&why)
                    )),
                }
            }
        }
    }
    if let Some(values) = values {
        lines.push(format!(
            "{{project}} is your project folder: {}",
            crate::core::text::shown(&values.project)
        ));
    }
    if !roadmap.vars.is_empty() {
        lines.push("with the variables (your settings may override them):".to_string());
        for (name, default) in &roadmap.vars {
            let mut line = format!(
                "    {} = {}",
                crate::core::text::one_line(name),
                crate::core::text::one_line(default)
            );
            if let Some(yours) = values
                .and_then(|v| v.vars.get(name))
                .filter(|yours| *yours != default)
            {
                line.push_str(&format!(", yours: {}", crate::core::text::one_line(yours)));
            }
            lines.push(line);
        }
    }
    lines
}

/// What a probe uses, as a learner approving it reads it (`run <command>`, `GET <url>`,
/// `file <path>`, `tests in <folder>: …`), with `expand` applied to each template in it (with
/// `true` for a command the shell reads). Not escaped.
fn described(
    probe: &Probe,
    expand: &dyn Fn(&str, bool) -> Result<String, String>,
) -> Result<String, String> {
    Ok(match &probe.kind {
        ProbeKind::Run { command, .. } => format!("run {}", expand(command, true)?),
        ProbeKind::Http { url, method, .. } => {
            format!("{} {}", method.as_str(), expand(url, false)?)
        }
        ProbeKind::File { path, .. } => format!("file {}", expand(path, false)?),
        ProbeKind::Tests { folder, .. } => format!(
            "tests in {}: runs the project's own test runner there (pytest or unittest, \
             npm test or node --test, mvn test, gradle test, or JUnit)",
            expand(folder, false)?
        ),
        ProbeKind::Programs { folder, .. } => format!(
            "programs in {}: runs each .py, .js or .java file there (python3, node, java)",
            expand(folder, false)?
        ),
        ProbeKind::Program { name, args, .. } => {
            let mut text = format!("program {}", expand(name, false)?);
            for arg in args {
                text.push(' ');
                text.push_str(&expand(arg, false)?);
            }
            text.push_str(": runs it with python3, node or java");
            text
        }
        ProbeKind::Sql { path, database, .. } => match database {
            Some(database) => format!(
                "sql {}: runs it with psql on the database {} inside a transaction that is \
                 rolled back",
                expand(path, false)?,
                expand(database, false)?
            ),
            None => format!("sql {}: reads its code", expand(path, false)?),
        },
    })
}

/// `label text` on one line at `indent`, escaped; a text of several lines as one unit:
/// `label one command of 3 lines:`, then each line marked with [`CONTINUED`].
fn shown_as(lines: &mut Vec<String>, indent: &str, label: &str, text: &str, noun: &str) {
    let clean = crate::core::text::clean(text);
    let parts: Vec<&str> = clean.split('\n').collect();
    if parts.len() == 1 {
        lines.push(format!("{indent}{label}{clean}"));
        return;
    }
    lines.push(format!(
        "{indent}{label}one {noun} of {} lines:",
        parts.len()
    ));
    for part in parts {
        lines.push(format!("{indent}  {CONTINUED}{part}"));
    }
}

impl fmt::Display for Probe {
    /// What the probe uses, as a learner approving it reads it: `run <command>`, `GET <url>`,
    /// `file <path>`, before variables are expanded, with control characters escaped.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let same = |text: &str, _shell: bool| Ok(text.to_string());
        match described(self, &same) {
            Ok(text) => f.write_str(&crate::core::text::clean(&text)),
            Err(why) => f.write_str(&why),
        }
    }
}

/// The SHA-256, in hex, of a roadmap's check definitions and its variables' defaults: what a
/// learner's approval records, so that changing any probe, moving a check to another task, or
/// changing a default makes the roadmap's checks untrusted again.
///
/// `checks` gives each check with a label that names its task (its `step/task` key, say), in
/// roadmap order. Defaults are filled in before hashing, so `timeout: 10` and no timeout hash
/// alike; every value is length-prefixed, so no two definitions share a serialization.
fn checks_fingerprint<'a>(
    checks: impl IntoIterator<Item = (&'a str, &'a [Probe])>,
    vars: &BTreeMap<String, String>,
) -> String {
    let mut hash = Sha256::new();
    let mut put = |key: &str, value: &str| {
        hash.update(key.as_bytes());
        hash.update(b"=");
        hash.update(value.len().to_string().as_bytes());
        hash.update(b":");
        hash.update(value.as_bytes());
        hash.update(b"\n");
    };
    put("pathway-checks", "1");
    for (label, check) in checks {
        put("task", label);
        put("probes", &check.len().to_string());
        for probe in check {
            match &probe.kind {
                ProbeKind::Run {
                    command,
                    exit,
                    output,
                } => {
                    put("run", command);
                    put("exit", &exit.to_string());
                    put_expect(&mut put, output, "output_contains", "output_matches");
                }
                ProbeKind::Http {
                    url,
                    method,
                    status,
                    body,
                } => {
                    put("http", url);
                    put("method", method.as_str());
                    put("status", &status.map_or("2xx".into(), |s| s.to_string()));
                    put_expect(&mut put, body, "body_contains", "body_matches");
                }
                ProbeKind::File { path, content } => {
                    put("file", path);
                    put_expect(&mut put, content, "contains", "matches");
                }
                ProbeKind::Tests { folder, at_least } => {
                    put("tests", folder);
                    put("at_least", &at_least.to_string());
                }
                ProbeKind::Programs { folder, at_least } => {
                    put("programs", folder);
                    put("at_least", &at_least.to_string());
                }
                ProbeKind::Program {
                    name,
                    args,
                    stdin,
                    output,
                    random_words,
                } => {
                    put("program", name);
                    put("args", &args.len().to_string());
                    for arg in args {
                        put("arg", arg);
                    }
                    if let Some(stdin) = stdin {
                        put("stdin", stdin);
                    }
                    put_expect(&mut put, output, "output_contains", "output_matches");
                    // Only when set, as `smoke` below.
                    if *random_words {
                        put("random_words", "true");
                    }
                }
                ProbeKind::Sql {
                    path,
                    content,
                    database,
                    rows,
                } => {
                    put("sql", path);
                    put_expect(&mut put, content, "contains", "matches");
                    database.iter().for_each(|d| put("database", d));
                    rows.iter().for_each(|r| put("at_least", &r.to_string()));
                }
            }
            // Only when set, so the approvals of roadmaps written before it keep holding.
            if probe.smoke {
                put("smoke", "true");
            }
            put("timeout", &probe.timeout.to_string());
            if let Some(hint) = &probe.hint {
                put("hint", hint);
            }
            put("end", "");
        }
    }
    for (name, value) in vars {
        put("var", name);
        put("default", value);
    }
    hash.finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn put_expect(
    put: &mut impl FnMut(&str, &str),
    expect: &Option<Expect>,
    contains: &str,
    matches: &str,
) {
    match expect {
        Some(Expect::Contains(text)) => put(contains, text),
        Some(Expect::Matches(pattern)) => put(matches, pattern),
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::probe::Check;

    fn parse(yaml: &str) -> Result<Check, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }

    fn vars(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn roadmap(command: &str) -> Roadmap {
        Roadmap::parse(
            &format!(
                "id: mine\ntitle: Mine\nvars: {{port: 8000}}\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - id: t\n        title: T\n        check:\n          - run: \"{command}\"\n            hint: look\n"
            ),
            "mine.yaml",
        )
        .expect("roadmap")
    }

    #[test]
    fn an_approval_holds_until_a_check_changes() {
        let r = roadmap("git log -1");
        assert_eq!(status(&r, false, None), Trust::NotApproved);
        let approved = approve("", &r);
        assert_eq!(status(&r, false, Some(&approved)), Trust::Approved);
        let changed = roadmap("git log -2");
        assert_eq!(status(&changed, false, Some(&approved)), Trust::Changed);
        assert_eq!(status(&changed, true, None), Trust::BuiltIn);
        assert!(status(&r, false, Some(&approved)).may_run());
        assert!(!status(&changed, false, Some(&approved)).may_run());
    }

    #[test]
    fn the_listing_shows_every_command_escaped() {
        let r = roadmap("printf '\\\\033[2J'; ls");
        let lines = listing(&r, None);
        assert_eq!(lines[0], "s/t");
        assert!(lines[1].contains("run printf"), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("port = 8000")), "{lines:?}");
    }

    #[test]
    fn a_command_of_several_lines_is_listed_as_one_never_as_two_tasks() {
        let r = Roadmap::parse(
            "id: mine\ntitle: Mine\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - id: t\n        title: T\n        check:\n          - run: \"git status\\ns/u\\n    run sh ./planted.sh\"\n",
            "mine.yaml",
        )
        .expect("roadmap");
        let lines = listing(&r, None);
        assert_eq!(
            lines,
            [
                "s/t",
                "    one command of 3 lines:",
                "      │ run git status",
                "      │ s/u",
                "      │     run sh ./planted.sh",
            ]
        );
    }

    #[test]
    fn the_listing_shows_what_project_and_variables_become() {
        let r = roadmap("test -d {project} && curl localhost:{port}");
        let values = Values {
            project: "/home/me/my project".into(),
            vars: vars(&[("port", "8080")]),
        };
        let lines = listing(&r, Some(&values));
        assert!(
            lines.contains(&"    run test -d {project} && curl localhost:{port}".to_string()),
            "{lines:?}"
        );
        assert!(
            lines.contains(
                &"      becomes: run test -d '/home/me/my project' && curl localhost:8080"
                    .to_string()
            ),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"{project} is your project folder: /home/me/my project".to_string()),
            "{lines:?}"
        );
        assert!(
            lines.contains(&"    port = 8000, yours: 8080".to_string()),
            "{lines:?}"
        );
    }

    #[test]
    fn fingerprint_changes_with_any_check_or_default() {
        let check = parse("- {run: 'git log', output_contains: x}\n- {http: 'http://x:{port}'}\n")
            .expect("valid");
        let defaults = vars(&[("port", "8000")]);
        let base = checks_fingerprint([("git/commit", check.as_slice())], &defaults);
        assert_eq!(base.len(), 64);
        assert!(base.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(
            base,
            checks_fingerprint([("git/commit", check.as_slice())], &defaults)
        );

        let explicit = parse(
            "- {run: 'git log', exit: 0, output_contains: x, timeout: 10}\n\
             - {http: 'http://x:{port}', method: GET}\n",
        )
        .expect("valid");
        assert_eq!(
            base,
            checks_fingerprint([("git/commit", explicit.as_slice())], &defaults)
        );

        let mut changed = check.clone();
        changed[0].timeout = 11;
        let mut hinted = check.clone();
        hinted[1].hint = Some("start it".into());
        let matches = parse("- {run: 'git log', output_matches: x}\n- {http: 'http://x:{port}'}\n")
            .expect("valid");
        let others = [
            checks_fingerprint([("git/commit", changed.as_slice())], &defaults),
            checks_fingerprint([("git/commit", hinted.as_slice())], &defaults),
            checks_fingerprint([("git/commit", matches.as_slice())], &defaults),
            checks_fingerprint([("git/other", check.as_slice())], &defaults),
            checks_fingerprint(
                [("git/commit", check.as_slice())],
                &vars(&[("port", "8001")]),
            ),
            checks_fingerprint([("git/commit", &check[..1])], &defaults),
            checks_fingerprint(
                [("git/commit", &check[..1]), ("git/commit", &check[1..])],
                &defaults,
            ),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(&base, other, "change {i} kept the fingerprint");
        }
    }

    #[test]
    fn display_shows_what_a_probe_uses_escaped() {
        let check = parse(
            "- {run: 'git status'}\n- {http: 'http://x/', method: HEAD}\n- {file: notes.md}\n",
        )
        .expect("valid");
        let shown: Vec<String> = check.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["run git status", "HEAD http://x/", "file notes.md"]);
        let hostile = Probe {
            smoke: false,
            kind: ProbeKind::Run {
                command: "echo \u{1b}]0;owned\u{7}".into(),
                exit: 0,
                output: None,
            },
            timeout: 1,
            hint: None,
        };
        assert_eq!(hostile.to_string(), "run echo \\u{1b}]0;owned\\u{7}");
    }
}
