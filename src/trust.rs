//! Trust in a roadmap's checks. A check runs commands, requests and file reads on the learner's
//! machine, so the checks of a roadmap from a file never run until the learner has seen them and
//! said yes. The approval is the SHA-256 of the roadmap's check definitions and variable
//! defaults: changing any of them makes the roadmap untrusted again. The built-in roadmap's
//! checks ship with pathway and need no approval.
//!
//! The approvals are lines `ID SHA256` in `trusted-checks` beside the progress file; this module
//! reads and writes their text, the store does the file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::roadmap::{Roadmap, task_key};

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
    let labelled: Vec<(String, &[crate::probe::Probe])> = roadmap
        .steps
        .iter()
        .flat_map(|s| {
            s.tasks
                .iter()
                .map(move |t| (task_key(s, t), t.check.as_slice()))
        })
        .filter(|(_, check)| !check.is_empty())
        .collect();
    crate::probe::fingerprint(
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
    all.insert(roadmap.id.clone(), fingerprint(roadmap));
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
    match approvals(approvals_text.unwrap_or("")).get(&roadmap.id) {
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
            lines.push(crate::text::clean(&task_key(step, task)).into_owned());
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
                crate::text::clean(name),
                crate::text::clean(value)
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
