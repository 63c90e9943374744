//! Running checks on the learner's machine: each probe bounded in time and in what it keeps,
//! cancellable from another thread, and leaving nothing running behind it.
//!
//! Everything an outcome holds (`expected`, `got`, `hint`, `why`) is already escaped for the
//! terminal: a command's output, a server's body or a file's content cannot drive the screen.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use super::command::run_probe_command;
use super::file::file_probe;
use super::http::http_probe;
use super::sql::{SqlProbe, sql_probe};
use super::work::{Given, program_probe, programs_probe, tests_probe};
use crate::core::probe::{self, Expect, Probe, ProbeKind};
use crate::core::text;

/// Most of an HTTP body or a file that is read.
pub(super) const READ_CAP: usize = 1024 * 1024;
/// How often a blocking wait looks at the cancel flag and the deadline.
pub(super) const SLICE: Duration = Duration::from_millis(50);

/// Where and with what checks run. Cloning shares the cancel flag.
#[derive(Debug, Clone)]
pub struct Context {
    /// The learner's project folder: `run` commands start there, `file` paths are relative to
    /// it, and it is `{project}` and `$PATHWAY_PROJECT`.
    pub project: PathBuf,
    /// Variables for `{name}`: the roadmap's defaults with the learner's settings over them.
    pub vars: BTreeMap<String, String>,
    /// Set it (from any thread) to stop the running probe and the check: whatever a probe
    /// started is killed, and the outcome is `Cancelled`.
    pub cancel: Arc<AtomicBool>,
}

impl Context {
    /// A relative project folder is made absolute here, against the current folder, so that
    /// `{project}`, `$PATHWAY_PROJECT` and the folder a command starts in are one place.
    pub fn new(project: impl Into<PathBuf>, vars: BTreeMap<String, String>) -> Context {
        let project = project.into();
        Context {
            project: absolute(project),
            vars,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    pub(super) fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// `path` made absolute against the current folder, with `.` and `..` resolved by their names:
/// without touching the file system, which may be a stalled mount.
fn absolute(path: PathBuf) -> PathBuf {
    let Ok(joined) = std::path::absolute(&path) else {
        return path;
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// What one probe found.
///
/// Serialized for `--json` as `{"result": "passed", "expected": …, "got": …}`, `"failed"` with a
/// `hint`, `{"result": "cannot", "why": …}` or `{"result": "cancelled"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "lowercase")]
pub enum ProbeOutcome {
    /// `expected` says what the probe asked for (the expanded command, URL or path and its
    /// expectations); `got` what came back, in short.
    Passed { expected: String, got: String },
    /// As `Passed`, with what came back in full: the exit status or HTTP status and the last
    /// lines of output or body. `hint` is the probe's own.
    Failed {
        expected: String,
        got: String,
        hint: Option<String>,
    },
    /// The probe could not tell: a program it needs is missing ("needs psql on your PATH"), a
    /// variable is unknown, the project folder does not exist. Not a failure.
    Cannot { why: String },
    /// Stopped by the context's cancel flag.
    Cancelled,
}

/// A check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckResult {
    /// Every probe passed.
    Passed,
    /// A probe failed.
    Failed,
    /// No probe failed, but one could not tell (or the check has no probes).
    Cannot,
    /// Cancelled before it finished: nothing should be recorded.
    Cancelled,
}

impl CheckResult {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckResult::Passed => "passed",
            CheckResult::Failed => "failed",
            CheckResult::Cannot => "cannot",
            CheckResult::Cancelled => "cancelled",
        }
    }
}

/// A check's verdict and what each probe that ran found, in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckOutcome {
    pub result: CheckResult,
    /// One per probe that ran: probes run in order, and the first failure (or a cancel) ends
    /// the check, so this can be shorter than the check.
    pub probes: Vec<ProbeOutcome>,
}

/// Runs a check's probes in order, stopping at the first that fails or is cancelled.
pub fn run_check(check: &[Probe], ctx: &Context) -> CheckOutcome {
    let mut probes = Vec::with_capacity(check.len());
    for probe in check {
        if ctx.cancelled() {
            probes.push(ProbeOutcome::Cancelled);
            break;
        }
        let outcome = run_probe(probe, ctx);
        let stop = matches!(
            outcome,
            ProbeOutcome::Failed { .. } | ProbeOutcome::Cancelled
        );
        probes.push(outcome);
        if stop {
            break;
        }
    }
    let any = |f: fn(&ProbeOutcome) -> bool| probes.iter().any(f);
    let result = if any(|p| matches!(p, ProbeOutcome::Cancelled)) {
        CheckResult::Cancelled
    } else if any(|p| matches!(p, ProbeOutcome::Failed { .. })) {
        CheckResult::Failed
    } else if probes.is_empty() || any(|p| matches!(p, ProbeOutcome::Cannot { .. })) {
        CheckResult::Cannot
    } else if check.iter().all(|p| p.smoke) {
        // Everything that was looked for is there, but nothing here proves the work runs.
        probes.push(ProbeOutcome::Cannot {
            why: "only smoke probes: they show the pieces are there, not that the work runs; \
                  tick the task yourself when it is done"
                .into(),
        });
        CheckResult::Cannot
    } else {
        CheckResult::Passed
    };
    CheckOutcome { result, probes }
}

/// "probe 2: run psql …": which probe failed, in a few words, for the record and the details.
pub fn failure(outcome: &CheckOutcome) -> String {
    outcome
        .probes
        .iter()
        .enumerate()
        .find_map(|(i, p)| match p {
            ProbeOutcome::Failed { expected, .. } => Some(format!(
                "probe {}: {}",
                i + 1,
                crate::core::text::fit(expected, 120)
            )),
            _ => None,
        })
        .unwrap_or_else(|| "failed".to_string())
}

/// What a check found, probe by probe, as the checklist shows it under "Last check": the folder it
/// ran in (when there is one), then for each probe that ran ✓, ✗ or ? with what it expected, what came back and its
/// hint. Everything in it is already escaped.
pub fn report(outcome: &CheckOutcome, project: Option<&std::path::Path>) -> String {
    let mut out = project.map_or_else(
        || "no project folder".to_string(),
        |p| format!("in {}", text::clean(&p.to_string_lossy())),
    );
    let indent = |text: &str| text.replace('\n', "\n     ");
    for (i, probe) in outcome.probes.iter().enumerate() {
        let n = i + 1;
        match probe {
            ProbeOutcome::Passed { expected, .. } => {
                out.push_str(&format!("\n✓ {n}. {expected}"));
            }
            ProbeOutcome::Failed {
                expected,
                got,
                hint,
            } => {
                out.push_str(&format!("\n✗ {n}. {expected}\n   got: {}", indent(got)));
                if let Some(hint) = hint {
                    out.push_str(&format!("\n   hint: {}", indent(hint)));
                }
            }
            ProbeOutcome::Cannot { why } => {
                out.push_str(&format!("\n? {n}. cannot check: {}", indent(why)));
            }
            ProbeOutcome::Cancelled => out.push_str(&format!("\n· {n}. stopped")),
        }
    }
    out
}

/// Runs one probe. It takes at most its timeout (plus a moment to clean up), returns soon after
/// the context's cancel flag is set, and leaves no process behind.
pub fn run_probe(probe: &Probe, ctx: &Context) -> ProbeOutcome {
    if ctx.cancelled() {
        return ProbeOutcome::Cancelled;
    }
    let timeout = Duration::from_secs(probe.timeout.clamp(1, probe::MAX_TIMEOUT));
    let expand = |s: &str| probe::expand(s, &ctx.project, &ctx.vars);
    let hint = match probe.hint.as_deref().map(expand).transpose() {
        Ok(hint) => hint.map(|h| text::clean(&h).into_owned()),
        Err(why) => return cannot(&why),
    };
    let outcome = match &probe.kind {
        ProbeKind::Run {
            command,
            exit,
            output,
        } => match (
            probe::expand_shell(command, &ctx.project, &ctx.vars),
            matcher(output.as_ref(), expand),
        ) {
            (Ok(command), Ok(output)) => in_project(ctx, timeout, || {
                run_probe_command(&command, *exit, output, timeout, ctx)
            }),
            (Err(why), _) | (_, Err(why)) => cannot(&why),
        },
        ProbeKind::Http {
            url,
            method,
            status,
            body,
        } => match (expand(url), matcher(body.as_ref(), expand)) {
            (Ok(url), Ok(body)) => http_probe(&url, *method, *status, body, timeout, ctx),
            (Err(why), _) | (_, Err(why)) => cannot(&why),
        },
        ProbeKind::File { path, content } => {
            match (expand(path), matcher(content.as_ref(), expand)) {
                (Ok(path), Ok(content)) => {
                    let owned = ctx.clone();
                    let shown = text::clean(&path).into_owned();
                    bounded(timeout, &ctx.cancel, move || {
                        file_probe(&path, content, &owned)
                    })
                    .unwrap_or_else(|stalled| {
                        stalled.outcome(&format!("the file {shown}"), timeout)
                    })
                }
                (Err(why), _) | (_, Err(why)) => cannot(&why),
            }
        }
        ProbeKind::Tests { folder, at_least } => match expand(folder) {
            Ok(folder) => in_project(ctx, timeout, || {
                tests_probe(&folder, *at_least, timeout, ctx)
            }),
            Err(why) => cannot(&why),
        },
        ProbeKind::Programs { folder, at_least } => match expand(folder) {
            Ok(folder) => in_project(ctx, timeout, || {
                programs_probe(&folder, *at_least, timeout, ctx)
            }),
            Err(why) => cannot(&why),
        },
        ProbeKind::Program {
            name,
            args,
            stdin,
            output,
            random_words,
        } => {
            let args: Result<Vec<String>, String> = args.iter().map(|a| expand(a)).collect();
            let stdin = stdin.as_deref().map(expand).transpose();
            match (args, stdin, matcher(output.as_ref(), expand)) {
                (Ok(args), Ok(stdin), Ok(output)) => in_project(ctx, timeout, || {
                    let given = match (*random_words, stdin) {
                        (true, _) => Given::RandomWords,
                        (false, stdin) => Given::Input(stdin, output),
                    };
                    program_probe(name, &args, given, timeout, ctx)
                }),
                (Err(why), _, _) | (_, Err(why), _) | (_, _, Err(why)) => cannot(&why),
            }
        }
        kind @ ProbeKind::Sql { .. } => sql(kind, timeout, ctx),
    };
    match outcome {
        ProbeOutcome::Failed { expected, got, .. } => ProbeOutcome::Failed {
            expected,
            got,
            hint,
        },
        other => other,
    }
}

/// A `sql` probe, its values expanded.
fn sql(kind: &ProbeKind, timeout: Duration, ctx: &Context) -> ProbeOutcome {
    let ProbeKind::Sql {
        path,
        content,
        database,
        rows,
    } = kind
    else {
        return cannot("not a sql probe");
    };
    let expand = |s: &str| probe::expand(s, &ctx.project, &ctx.vars);
    match (
        expand(path),
        database.as_deref().map(expand).transpose(),
        matcher(content.as_ref(), expand),
    ) {
        (Ok(path), Ok(database), Ok(content)) => in_project(ctx, timeout, || {
            let probe = SqlProbe {
                path: &path,
                content,
                database: database.as_deref(),
                rows: *rows,
            };
            sql_probe(&probe, timeout, ctx)
        }),
        (Err(why), _, _) | (_, Err(why), _) | (_, _, Err(why)) => cannot(&why),
    }
}

/// `probe` once the project folder is known to be one.
fn in_project(
    ctx: &Context,
    timeout: Duration,
    probe: impl FnOnce() -> ProbeOutcome,
) -> ProbeOutcome {
    match project_folder(ctx, timeout) {
        Ok(()) => probe(),
        Err(outcome) => outcome,
    }
}

/// Whether the project folder is a folder, within the probe's time: the folder can sit on a
/// stalled mount.
fn project_folder(ctx: &Context, timeout: Duration) -> Result<(), ProbeOutcome> {
    let project = ctx.project.clone();
    let shown = text::clean(&ctx.project.to_string_lossy()).into_owned();
    match bounded(timeout, &ctx.cancel, move || project.is_dir()) {
        Ok(true) => Ok(()),
        Ok(false) => Err(cannot(&format!(
            "the project folder {shown} is not a folder"
        ))),
        Err(stalled) => Err(stalled.outcome(&format!("the project folder {shown}"), timeout)),
    }
}

/// Why [`bounded`] gave up.
pub(super) enum Stalled {
    TimedOut,
    Cancelled,
}

impl Stalled {
    pub(super) fn outcome(&self, what: &str, timeout: Duration) -> ProbeOutcome {
        match self {
            Stalled::Cancelled => ProbeOutcome::Cancelled,
            Stalled::TimedOut => cannot(&format!(
                "{what} did not answer within {} s (a stalled network or FUSE mount?)",
                timeout.as_secs()
            )),
        }
    }
}

/// Runs `f` on a thread of its own and waits for it at most `timeout`, or until a cancel. A
/// stalled file system blocks a thread inside the kernel where no timer reaches it, so the probe
/// answers on time and leaves that thread to finish whenever the file system does.
pub(super) fn bounded<T: Send + 'static>(
    timeout: Duration,
    cancel: &AtomicBool,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Stalled> {
    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new()
        .name("pathway-check-io".into())
        .spawn(move || {
            let _ = tx.send(f());
        });
    if spawned.is_err() {
        return Err(Stalled::TimedOut);
    }
    let deadline = std::time::Instant::now() + timeout;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(Stalled::Cancelled);
        }
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if left.is_zero() {
            return Err(Stalled::TimedOut);
        }
        match rx.recv_timeout(left.min(SLICE)) {
            Ok(value) => return Ok(value),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => return Err(Stalled::TimedOut),
        }
    }
}

pub(super) fn cannot(why: &str) -> ProbeOutcome {
    ProbeOutcome::Cannot {
        why: text::clean(why).into_owned(),
    }
}

/// An expectation with its variables expanded and its pattern compiled.
pub(super) enum Matcher {
    Contains(String),
    Matches(regex_lite::Regex, String),
}

impl Matcher {
    pub(super) fn accepts(&self, text: &str) -> bool {
        match self {
            Matcher::Contains(wanted) => text.contains(wanted.as_str()),
            Matcher::Matches(regex, _) => regex.is_match(text),
        }
    }

    /// "contains \"ok\"", "matches /o+k/", escaped.
    pub(super) fn describe(&self) -> String {
        match self {
            Matcher::Contains(wanted) => format!("contains {wanted:?}"),
            Matcher::Matches(_, pattern) => format!("matches /{}/", text::clean(pattern)),
        }
    }
}

fn matcher(
    expect: Option<&Expect>,
    expand: impl Fn(&str) -> Result<String, String>,
) -> Result<Option<Matcher>, String> {
    match expect {
        None => Ok(None),
        Some(Expect::Contains(wanted)) => Ok(Some(Matcher::Contains(expand(wanted)?))),
        Some(Expect::Matches(pattern)) => {
            let pattern = expand(pattern)?;
            let regex = probe::regex(&pattern)
                .map_err(|why| format!("the pattern /{pattern}/ is not valid: {why}"))?;
            Ok(Some(Matcher::Matches(regex, pattern)))
        }
    }
}
