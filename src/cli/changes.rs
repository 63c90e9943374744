//! The commands that change progress: done, undo, start, skip, note, reset (review has
//! its own file).

use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::usage;
use crate::core::clock::now;
use crate::core::progress::{Progress, Status, StepChange};
use crate::core::roadmap::{Roadmap, Target, Unresolved, task_key};
use crate::storage::progress_yaml::ProgressError;
use crate::storage::store::Store;

/// Resolves every ID before anything changes, so a typo in the third ID changes nothing. An ID
/// that names nothing is a usage error that says what would; `run` adds which roadmap was
/// searched and how it was chosen.
pub(super) fn resolve_all(roadmap: &Roadmap, ids: &[String]) -> Result<Vec<Target>> {
    ids.iter()
        .map(|id| {
            roadmap
                .resolve(id)
                .map_err(|why| unresolved(roadmap, id, why))
        })
        .collect()
}

/// What is wrong with an ID, and what to type instead.
fn unresolved(roadmap: &Roadmap, id: &str, why: Unresolved) -> anyhow::Error {
    let id = crate::core::text::one_line(id);
    let message = match why {
        Unresolved::Unknown(close) if close.is_empty() => {
            format!("unknown id {id:?}: `pathway status --tasks` lists every id")
        }
        Unresolved::Unknown(close) => {
            format!("unknown id {id:?}: did you mean {}?", close.join(", "))
        }
        Unresolved::NoStep { steps } => {
            format!("unknown id {id:?}: steps are numbered 1 to {steps}")
        }
        Unresolved::NoTask { step, tasks: 0 } => format!(
            "unknown id {id:?}: step {} ({}) has no tasks",
            step + 1,
            roadmap.steps[step].title
        ),
        Unresolved::NoTask { step, tasks } => format!(
            "unknown id {id:?}: the tasks of step {} ({}) are numbered 1 to {tasks}",
            step + 1,
            roadmap.steps[step].title
        ),
        Unresolved::Ambiguous(keys) => format!(
            "{id:?} is the start of {} task ids: {}; type more of the one you mean",
            keys.len(),
            keys.join(", ")
        ),
    };
    super::ExitError {
        code: 2,
        message,
        about_id: true,
    }
    .into()
}

pub(super) fn mark(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    ids: &[String],
    target: Status,
) -> Result<()> {
    let targets = resolve_all(roadmap, ids)?;
    let now = now();
    let rp = progress.roadmap_mut(&roadmap.id);
    let mut changed = 0;
    // Printed only once saved: a line saying "done" must never stand beside a failed save.
    let mut lines = String::new();
    for t in targets {
        let updates = match t {
            Target::Task(s, i) => vec![(
                task_key(&roadmap.steps[s], &roadmap.steps[s].tasks[i]),
                target,
            )],
            Target::Step(s) => {
                let updates = crate::core::ops::step_marks(roadmap, rp, s, StepChange::Set(target))
                    .map_err(|refusal| usage(refusal.to_string()))?;
                if updates.is_empty() {
                    lines.push_str(&format!(
                        "{}: already {}\n",
                        roadmap.steps[s].id,
                        target.label()
                    ));
                }
                updates
            }
        };
        for marked in crate::core::ops::mark(rp, &updates, now) {
            let key = &marked.key;
            if marked.changed {
                changed += 1;
                let (from, to) = (marked.from.label(), target.label());
                lines.push_str(&format!("{key}: {from} → {to}\n"));
            } else {
                lines.push_str(&format!("{key}: already {}\n", target.label()));
            }
        }
    }
    if changed > 0 {
        store.save(progress)?;
    }
    out.write_all(lines.as_bytes())?;
    Ok(())
}

pub(super) fn note(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    id: &str,
    text: Option<String>,
) -> Result<()> {
    let key = match resolve_all(roadmap, &[id.to_string()])?[0] {
        Target::Step(s) => roadmap.steps[s].id.to_string(),
        Target::Task(s, t) => task_key(&roadmap.steps[s], &roadmap.steps[s].tasks[t]),
    };
    let rp = progress.roadmap_mut(&roadmap.id);
    let Some(text) = text else {
        if let Some(note) = rp.note(&key) {
            writeln!(out, "{note}")?;
        }
        return Ok(());
    };
    let text = if text == "-" {
        // Bounded like every read: one byte past the limit shows the note is too long.
        let mut bytes = Vec::new();
        std::io::stdin()
            .take(crate::core::ops::MAX_NOTE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .context("cannot read the note from standard input")?;
        let buf = crate::core::ops::note_from_bytes(bytes)
            .map_err(|refusal| usage(format!("standard input: {refusal}")))?;
        if buf.trim().is_empty() {
            // `false | pathway note ID -` must not delete a note by accident.
            return Err(usage(format!(
                "standard input was empty: nothing saved (to remove the note on purpose: pathway note {id} \"\")"
            )));
        }
        buf
    } else {
        text
    };
    if crate::core::ops::note(rp, &key, &text, now())
        .map_err(|refusal| usage(refusal.to_string()))?
    {
        store.save(progress)?;
        let what = if text.trim().is_empty() {
            "removed"
        } else {
            "saved"
        };
        writeln!(out, "{key}: note {what}")?;
    }
    Ok(())
}

/// Asks before a destructive step: on a terminal, a y/N question; elsewhere only `--yes` will do.
pub(super) fn confirm(question: &str, yes: bool) -> Result<bool> {
    confirm_for("reset", question, yes)
}

/// As `confirm`, for the command named in the refusal off a terminal.
pub(super) fn confirm_for(command: &str, question: &str, yes: bool) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(usage(format!(
            "{command} needs --yes when not run from a terminal"
        )));
    }
    print!("{} [y/N] ", crate::core::text::clean(question));
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

pub(super) fn reset_unreadable(
    store: &Store,
    error: &ProgressError,
    yes: bool,
) -> Result<ExitCode> {
    eprintln!("pathway: {}", crate::core::text::clean(&error.summary()));
    if !confirm(
        "Start a new progress file, keeping this one as a backup?",
        yes,
    )? {
        writeln!(std::io::stdout(), "nothing changed")?;
        return Ok(ExitCode::SUCCESS);
    }
    let backup = store.reset_file()?;
    writeln!(
        std::io::stdout(),
        "started a new progress file; the old one is kept as {}",
        crate::core::text::shown(&backup)
    )?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn reset(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: Progress,
    yes: bool,
) -> Result<()> {
    let count = progress.roadmap(&roadmap.id).map_or(0, |rp| rp.items.len());
    if count == 0 {
        writeln!(out, "no progress to reset for {}", roadmap.id)?;
        return Ok(());
    }
    let question = format!(
        "Clear all progress and notes for {:?} ({})?",
        roadmap.title,
        crate::core::text::count(count, "item")
    );
    if !confirm(&question, yes)? {
        writeln!(out, "nothing changed")?;
        return Ok(());
    }
    // Done on the file as it is now, under its lock: another process's changes to other
    // roadmaps since this one read it are kept, and the reset time keeps an open TUI from
    // bringing this roadmap's old progress back.
    match store.reset_roadmap(&roadmap.id, now())? {
        Some((backup, count)) => writeln!(
            out,
            "reset {} ({}); backup: {}",
            roadmap.id,
            crate::core::text::count(count, "item"),
            crate::core::text::shown(&backup)
        )?,
        None => writeln!(out, "no progress to reset for {}", roadmap.id)?,
    }
    Ok(())
}
