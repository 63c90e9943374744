//! Trust in a roadmap's checks. A check runs commands, requests and file reads on the learner's
//! machine, so the checks of a roadmap from a file never run until the learner has seen them and
//! said yes. The approval is the SHA-256 of the roadmap's check definitions and variable
//! defaults: changing any of them makes the roadmap untrusted again. The built-in roadmap's
//! checks ship with pathway and need no approval.
//!
//! The approvals are lines `ID SHA256` in `trusted-checks` beside the progress file; this module
//! reads and writes their text, the store does the file.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use sha2::{Digest, Sha256};

use crate::core::probe::{Expect, Probe, ProbeKind};
use crate::core::roadmap::{Roadmap, task_key};

/// The file of approvals, beside the progress file.
pub const FILE_NAME: &str = "trusted-checks";
/// A few lines per roadmap; anything larger is not a file pathway wrote.
pub const MAX_BYTES: u64 = 256 * 1024;

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

/// Every command, request and file the roadmap's checks would use, one line each under its
/// task, escaped: what the learner is asked to approve.
pub fn listing(roadmap: &Roadmap) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for step in &roadmap.steps {
        for task in step.tasks.iter().filter(|t| !t.check.is_empty()) {
            lines.push(crate::core::text::clean(&task_key(step, task)).into_owned());
            for probe in &task.check {
                lines.push(format!("    {probe}"));
            }
        }
    }
    if !roadmap.vars.is_empty() {
        lines.push("with the variables (your settings may override them):".to_string());
        for (name, value) in &roadmap.vars {
            lines.push(format!(
                "    {} = {}",
                crate::core::text::clean(name),
                crate::core::text::clean(value)
            ));
        }
    }
    lines
}

impl fmt::Display for Probe {
    /// What the probe uses, as a learner approving it reads it: `run <command>`, `GET <url>`,
    /// `file <path>`, before variables are expanded, with control characters escaped.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let clean = |text: &str| crate::core::text::clean(text).into_owned();
        match &self.kind {
            ProbeKind::Run { command, .. } => write!(f, "run {}", clean(command)),
            ProbeKind::Http { url, method, .. } => write!(f, "{} {}", method.as_str(), clean(url)),
            ProbeKind::File { path, .. } => write!(f, "file {}", clean(path)),
            ProbeKind::Tests { folder, .. } => write!(
                f,
                "tests in {}: runs the project's own test runner there (pytest or unittest, \
                 npm test or node --test, mvn test, gradle test, or JUnit)",
                clean(folder)
            ),
            ProbeKind::Programs { folder, .. } => write!(
                f,
                "programs in {}: runs each .py, .js or .java file there (python3, node, java)",
                clean(folder)
            ),
            ProbeKind::Program { name, args, .. } => {
                write!(f, "program {}", clean(name))?;
                for arg in args {
                    write!(f, " {}", clean(arg))?;
                }
                write!(f, ": runs it with python3, node or java")
            }
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
        let lines = listing(&r);
        assert_eq!(lines[0], "s/t");
        assert!(lines[1].contains("run printf"), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("port = 8000")), "{lines:?}");
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
