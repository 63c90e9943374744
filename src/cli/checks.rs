//! `pathway check` and `pathway trust`: running a task's checks on the learner's machine, and
//! approving a roadmap's checks before any of them runs.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context as _, Result};
use serde_json::json;

use super::{resolve_all, usage};
use crate::checks::trust::{self, Trust};
use crate::checks::{CheckOutcome, CheckResult, Context, ProbeOutcome};
use crate::core::clock::now;
use crate::core::progress::{Progress, Status};
use crate::core::roadmap::{Roadmap, Target, Task, task_key};
use crate::storage::store::Store;
use crate::tui::checking::{CheckSetup, values};

/// What `pathway check` was asked.
pub(super) struct CheckRequest {
    pub ids: Vec<String>,
    pub step: Option<String>,
    pub all: bool,
    pub json: bool,
    pub project: Option<PathBuf>,
    pub watch: bool,
}

/// Why the checks may not run yet, with everything they would use and how to approve them.
pub(super) fn refusal(roadmap: &Roadmap, trust: &Trust, values: Option<&trust::Values>) -> String {
    let why = match trust {
        Trust::Changed => "its checks changed since you approved them",
        _ => "you have not approved its checks",
    };
    let mut text = format!(
        "not run: roadmap {} is not built in, and {why}. Its checks would use:\n",
        crate::core::text::one_line(&roadmap.id)
    );
    for line in trust::listing(roadmap, values) {
        text.push_str(&format!("  {line}\n"));
    }
    text.push_str(&format!(
        "Read them; if they only read, approve them with: pathway trust {}",
        crate::core::text::one_line(&roadmap.id)
    ));
    text
}

/// `pathway trust`: shows what the roadmap's checks would run and records the approval.
pub(super) fn trust(
    out: &mut impl Write,
    setup: &CheckSetup,
    roadmap: &Roadmap,
    built_in: bool,
    yes: bool,
) -> Result<ExitCode> {
    if built_in {
        writeln!(
            out,
            "The built-in roadmap's checks ship with pathway: nothing to approve."
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let lines = trust::listing(roadmap, Some(&values(&setup.context(roadmap, None)?)));
    if lines.is_empty() {
        writeln!(out, "Roadmap {} has no checks.", roadmap.id)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "The checks of roadmap {} run these on your machine, in your project folder:",
        roadmap.id
    )?;
    for line in &lines {
        writeln!(out, "  {line}")?;
    }
    if setup.trust(roadmap, built_in)? == Trust::Approved {
        writeln!(out, "Already approved, exactly as they are.")?;
        return Ok(ExitCode::SUCCESS);
    }
    if !super::changes::confirm_for("trust", "Approve these checks?", yes)? {
        writeln!(out, "Not approved.")?;
        return Ok(ExitCode::from(1));
    }
    setup.approve(roadmap)?;
    writeln!(
        out,
        "Approved. Changing any check (or a variable's default) asks again."
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The tasks a request names, in roadmap order, each once.
fn selected(roadmap: &Roadmap, request: &CheckRequest) -> Result<(Vec<(usize, usize)>, bool)> {
    let mut picked: Vec<(usize, usize)> = Vec::new();
    let mut whole_steps = false;
    let add_step = |s: usize, picked: &mut Vec<(usize, usize)>| {
        for (t, task) in roadmap.steps[s].tasks.iter().enumerate() {
            if !task.check.is_empty() {
                picked.push((s, t));
            }
        }
    };
    if request.all {
        whole_steps = true;
        for s in 0..roadmap.steps.len() {
            add_step(s, &mut picked);
        }
    }
    if let Some(step) = &request.step {
        whole_steps = true;
        match resolve_all(roadmap, std::slice::from_ref(step))?[0] {
            Target::Step(s) => add_step(s, &mut picked),
            Target::Task(..) => {
                return Err(usage(format!("{step:?} is a task: --step takes a step")));
            }
        }
    }
    for target in resolve_all(roadmap, &request.ids)? {
        match target {
            Target::Step(s) => {
                whole_steps = true;
                add_step(s, &mut picked);
            }
            Target::Task(s, t) => picked.push((s, t)),
        }
    }
    if picked.is_empty() && request.ids.is_empty() && !whole_steps {
        return Err(usage(
            "name the tasks to check (pathway check ID…), a step (--step ID) or --all",
        ));
    }
    picked.sort_unstable();
    picked.dedup();
    Ok((picked, whole_steps))
}

/// `pathway check`: runs the named tasks' checks, records what they prove, and prints it.
#[allow(clippy::too_many_arguments)]
pub(super) fn check(
    out: &mut impl Write,
    store: &Store,
    setup: &CheckSetup,
    roadmap: &Roadmap,
    built_in: bool,
    progress: &mut Progress,
    request: CheckRequest,
) -> Result<ExitCode> {
    let (tasks, whole_steps) = selected(roadmap, &request)?;
    if request.watch && tasks.len() != 1 {
        return Err(usage("--watch takes one task: pathway check ID --watch"));
    }
    let ctx = setup.context(roadmap, request.project.clone())?;
    let project = ctx.project.clone();
    let trust = setup.trust(roadmap, built_in)?;
    if tasks
        .iter()
        .any(|&(s, t)| !roadmap.steps[s].tasks[t].check.is_empty())
        && !trust.may_run()
    {
        eprintln!("pathway: {}", refusal(roadmap, &trust, Some(&values(&ctx))));
        return Ok(ExitCode::from(2));
    }
    let stopped = stop_on_signals(&ctx)?;
    if !request.json {
        writeln!(out, "Checks run in {}", crate::core::text::shown(&project))?;
    }
    if request.watch {
        let (s, t) = tasks[0];
        return watch(out, store, roadmap, progress, &ctx, (s, t), &stopped);
    }
    let mut results = Vec::new();
    for &(s, t) in &tasks {
        if ctx.cancel.load(Ordering::Relaxed) {
            break;
        }
        let task = &roadmap.steps[s].tasks[t];
        results.push(((s, t), crate::checks::run_check(&task.check, &ctx)));
        // Saved before it is printed: "✓ passed" is a claim that the task is now verified,
        // which a full disk would make false.
        record(store, roadmap, progress, &results[results.len() - 1..])?;
        if !request.json {
            print_outcome(out, roadmap, s, t, &results[results.len() - 1].1)?;
        }
    }
    let failed = results.iter().any(|(_, o)| o.result == CheckResult::Failed);
    if request.json {
        let json: Vec<serde_json::Value> = results
            .iter()
            .map(|((s, t), o)| {
                json!({
                    "roadmap": roadmap.id,
                    "id": task_key(&roadmap.steps[*s], &roadmap.steps[*s].tasks[*t]),
                    "result": o.result.as_str(),
                    "probes": o.probes,
                    "project": project,
                })
            })
            .collect();
        writeln!(out, "{}", crate::cli::report::json_text(&json!(json)))?;
    } else if whole_steps {
        let rp = progress.roadmap_or_empty(&roadmap.id);
        let scope: Vec<(usize, usize)> = roadmap
            .steps
            .iter()
            .enumerate()
            .filter(|(s, _)| request.all || tasks.iter().any(|(ts, _)| ts == s))
            .flat_map(|(s, step)| (0..step.tasks.len()).map(move |t| (s, t)))
            .collect();
        let verified = scope
            .iter()
            .filter(|&&(s, t)| {
                let key = task_key(&roadmap.steps[s], &roadmap.steps[s].tasks[t]);
                rp.item(&key).is_some_and(|i| {
                    i.status == Status::Done && i.checked.as_ref().is_some_and(|c| c.passed)
                })
            })
            .count();
        writeln!(
            out,
            "{} of {} verified, {} to go",
            verified,
            crate::core::text::count(scope.len(), "task"),
            scope.len() - verified
        )?;
    }
    if ctx.cancel.load(Ordering::Relaxed) {
        writeln!(out, "Stopped.")?;
        return Ok(stopped.exit_code());
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Records each finished check: a pass marks the task done and verified, a failure is noted.
fn record(
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    results: &[((usize, usize), CheckOutcome)],
) -> Result<()> {
    let now = now();
    let nothing_to_save = results
        .iter()
        .all(|(_, o)| matches!(o.result, CheckResult::Cannot | CheckResult::Cancelled));
    if nothing_to_save {
        return Ok(());
    }
    store
        .apply(progress, |progress| {
            let rp = progress.roadmap_mut(&roadmap.id);
            let mut changed = false;
            for ((s, t), outcome) in results {
                let key = task_key(&roadmap.steps[*s], &roadmap.steps[*s].tasks[*t]);
                changed |= match outcome.result {
                    CheckResult::Passed => rp.record_check(&key, true, None, now),
                    CheckResult::Failed => {
                        rp.record_check(&key, false, Some(crate::checks::failure(outcome)), now)
                    }
                    CheckResult::Cannot | CheckResult::Cancelled => false,
                };
            }
            Ok((changed, ()))
        })
        .context("the check ran, but its result is NOT saved")
}

fn print_outcome(
    out: &mut impl Write,
    roadmap: &Roadmap,
    s: usize,
    t: usize,
    outcome: &CheckOutcome,
) -> Result<()> {
    let step = &roadmap.steps[s];
    let task: &Task = &step.tasks[t];
    let key = task_key(step, task);
    if task.check.is_empty() {
        writeln!(out, "? no check   {key}  {}: tick it yourself", task.title)?;
        return Ok(());
    }
    let head = match outcome.result {
        CheckResult::Passed => "✓ passed",
        CheckResult::Failed => "✗ failed",
        CheckResult::Cannot => "? cannot check",
        CheckResult::Cancelled => "- stopped",
    };
    writeln!(out, "{head}  {key}  {}", task.title)?;
    for (i, probe) in outcome.probes.iter().enumerate() {
        match probe {
            ProbeOutcome::Failed {
                expected,
                got,
                hint,
            } => {
                writeln!(out, "    probe {}: expected {expected}", i + 1)?;
                for line in got.lines() {
                    writeln!(out, "      {line}")?;
                }
                if let Some(hint) = hint {
                    writeln!(out, "    hint: {hint}")?;
                }
            }
            ProbeOutcome::Cannot { why } => writeln!(out, "    {why}")?,
            ProbeOutcome::Passed { .. } | ProbeOutcome::Cancelled => {}
        }
    }
    Ok(())
}

/// Which signal stopped the checks, for the exit status.
struct Stopped(Arc<AtomicUsize>);

impl Stopped {
    /// 128 + the signal, as a shell reports a process a signal ended.
    fn exit_code(&self) -> ExitCode {
        let signal = self.0.load(Ordering::Relaxed);
        ExitCode::from(u8::try_from(128 + signal).unwrap_or(130))
    }
}

/// Ctrl-C, `kill -TERM` and a hang-up set the check's cancel flag instead of ending pathway at
/// once: the check runs in a session of its own, which none of these reach, so pathway ending
/// first would leave it running. The running probe kills and reaps everything it started,
/// the loop sees the flag and pathway ends after that cleanup.
fn stop_on_signals(ctx: &Context) -> Result<Stopped> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let by = Arc::new(AtomicUsize::new(SIGINT as usize));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        signal_hook::flag::register_usize(signal, Arc::clone(&by), signal as usize)
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&ctx.cancel)))
            .map_err(|e| anyhow::anyhow!("cannot install signal handlers: {e}"))?;
    }
    Ok(Stopped(by))
}

/// Watch mode: runs the task's check, then again whenever a file in the project folder changes,
/// until it passes or Ctrl-C.
fn watch(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    ctx: &Context,
    (s, t): (usize, usize),
    stopped: &Stopped,
) -> Result<ExitCode> {
    let task = &roadmap.steps[s].tasks[t];
    let changes = crate::checks::watch::Changes::new(&ctx.project)?;
    loop {
        let outcome = crate::checks::run_check(&task.check, ctx);
        if outcome.result == CheckResult::Cancelled || ctx.cancel.load(Ordering::Relaxed) {
            writeln!(out, "Stopped.")?;
            return Ok(stopped.exit_code());
        }
        let passed = outcome.result == CheckResult::Passed;
        let results = [((s, t), outcome)];
        record(store, roadmap, progress, &results)?;
        print_outcome(out, roadmap, s, t, &results[0].1)?;
        if passed {
            return Ok(ExitCode::SUCCESS);
        }
        writeln!(
            out,
            "Watching {} for changes (Ctrl-C stops)…",
            crate::core::text::shown(&ctx.project)
        )?;
        out.flush()?;
        if !changes.wait(&ctx.cancel) {
            writeln!(out, "Stopped.")?;
            return Ok(stopped.exit_code());
        }
    }
}
