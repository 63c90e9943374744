//! `run` probes: `sh -c COMMAND` in the project folder, passing on the exit status and the
//! output.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::time::Duration;

use super::process::{Captured, End, supervise};
use super::run::{Context, Matcher, ProbeOutcome, cannot};
use super::show::last_lines;
use crate::core::text;

/// Output of a `run` probe kept for matching and showing; the rest is only counted.
pub(super) const OUTPUT_CAP: usize = 64 * 1024;

pub(super) fn run_probe_command(
    command: &str,
    exit: i32,
    output: Option<Matcher>,
    timeout: Duration,
    ctx: &Context,
) -> ProbeOutcome {
    let mut expected = format!("`{}` exits with status {exit}", one_line(command));
    if let Some(output) = &output {
        expected.push_str(&format!(" and its output {}", output.describe()));
    }
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(&ctx.project)
        .env("PATHWAY_PROJECT", &ctx.project);
    let finished = match supervise(cmd, None, OUTPUT_CAP, timeout, &ctx.cancel) {
        Ok(finished) => finished,
        Err(e) => return cannot(&format!("cannot start sh: {e}")),
    };
    let out = &finished.out;
    let status = match finished.end {
        End::Cancelled => return ProbeOutcome::Cancelled,
        End::TimedOut => {
            return ProbeOutcome::Failed {
                expected,
                got: format!(
                    "still running after {} s, so it was stopped{}",
                    timeout.as_secs(),
                    shown_output(out)
                ),
                hint: None,
            };
        }
        End::Exited(status) => status,
    };
    let text = String::from_utf8_lossy(&out.kept);
    match status.code() {
        Some(code) if code == exit => match &output {
            Some(output) if !output.accepts(&text) => ProbeOutcome::Failed {
                expected,
                got: format!("exit status {code}{}", shown_output(out)),
                hint: None,
            },
            _ => ProbeOutcome::Passed {
                expected,
                got: format!("exit status {code}"),
            },
        },
        Some(127) => match cannot_check(&text) {
            Some(why) => cannot(why),
            None => cannot(&format!(
                "needs {} on your PATH",
                missing_program(command, &text)
            )),
        },
        Some(code) => ProbeOutcome::Failed {
            expected,
            got: format!("exit status {code}{}", shown_output(out)),
            hint: None,
        },
        None => ProbeOutcome::Failed {
            expected,
            got: format!(
                "stopped by signal {}{}",
                status.signal().unwrap_or(0),
                shown_output(out)
            ),
            hint: None,
        },
    }
}

/// The reason a probe gave for not being able to tell, on a line `cannot check: REASON` before
/// it exited 127 (the shell's own status for a missing program): a tool it needs that is not a
/// program of its own (`docker buildx`), or a choice pathway cannot wait out. Only ever "cannot
/// check", so output a project prints can never make a probe pass this way.
fn cannot_check(output: &str) -> Option<&str> {
    output
        .lines()
        .find_map(|line| line.trim().strip_prefix("cannot check: "))
        .map(str::trim)
        .filter(|why| !why.is_empty())
}

/// The program a shell could not find: from its "not found" message (dash says
/// `sh: 1: psql: not found`, bash `sh: line 1: psql: command not found`), else the command's
/// first word that is not a `NAME=value` assignment.
pub(super) fn missing_program(command: &str, output: &str) -> String {
    for line in output.lines() {
        for suffix in [": command not found", ": not found"] {
            if let Some(head) = line.trim_end().strip_suffix(suffix) {
                let name = head.rsplit(": ").next().unwrap_or("").trim();
                if !name.is_empty() {
                    return text::clean(name).into_owned();
                }
            }
        }
    }
    let words = shell_words::split(command)
        .unwrap_or_else(|_| command.split_whitespace().map(String::from).collect());
    let program = words
        .into_iter()
        .find(|w| w.find('=').is_none_or(|at| at == 0))
        .unwrap_or_else(|| "a program".into());
    text::clean(&program).into_owned()
}

/// A command as one line in a sentence: its first line, cut, escaped.
fn one_line(command: &str) -> String {
    let trimmed = command.trim();
    let first = trimmed.lines().next().unwrap_or("");
    let mut shown = text::fit(first, 120);
    if first.len() < trimmed.len() && !shown.ends_with('…') {
        shown.push_str(" …");
    }
    text::clean(&shown).into_owned()
}

/// ", output:\n‹its last lines›", or ", no output".
pub(super) fn shown_output(out: &Captured) -> String {
    if out.kept.is_empty() {
        return ", no output".into();
    }
    format!(", output:\n{}", last_lines(&out.kept, out.more))
}
