//! The commands that change progress: done, undo, start, skip, note, review, reset.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result};
use jiff::tz::TimeZone;

use super::usage;
use crate::cli::report;
use crate::core::clock::now;
use crate::core::progress::{Progress, Status, StepChange};
use crate::core::roadmap::{Roadmap, Target, Unresolved, task_key};
use crate::core::status::Rating;
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

/// What `pathway review` was asked.
pub(super) struct ReviewRequest {
    pub id: Option<String>,
    pub rating: Option<String>,
    pub json: bool,
    pub ahead: Option<String>,
}

pub(super) fn review(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    settings: &crate::core::review::ReviewSettings,
    request: ReviewRequest,
) -> Result<()> {
    let now = now();
    let tz = TimeZone::system();
    let Some(id) = request.id else {
        let rp = progress.roadmap_or_empty(&roadmap.id);
        let due = match &request.ahead {
            Some(within) => {
                let within = parse_within(within)?;
                let mut cards = crate::core::review::queue(roadmap, rp, now, settings);
                cards.extend(crate::core::review::ahead(roadmap, rp, now, within));
                cards
            }
            None => crate::core::review::queue(roadmap, rp, now, settings),
        };
        let next = crate::core::review::next_due(roadmap, rp, now);
        let text = if request.json {
            format!(
                "{}\n",
                report::json_text(&report::review_json(roadmap, &due, now))
            )
        } else {
            report::review_text(roadmap, &due, next, now, &tz)
        };
        out.write_all(text.as_bytes())?;
        return Ok(());
    };
    let (task_id, card_id) = match id.split_once('#') {
        Some((task, card)) => (task.to_string(), Some(card.to_string())),
        None => (id.clone(), None),
    };
    let (s, t) = match resolve_all(roadmap, std::slice::from_ref(&task_id))?[0] {
        Target::Task(s, t) => (s, t),
        Target::Step(_) => {
            return Err(usage(format!(
                "{id:?} is a step: review takes a task or a card"
            )));
        }
    };
    let step = &roadmap.steps[s];
    let task = &step.tasks[t];
    let key = task_key(step, task);
    let cards = task.cards();
    // A card that is not there is refused whatever was asked (on and off apply to the task).
    if let Some(card) = &card_id
        && !cards.iter().any(|c| &c.id == card)
    {
        let refusal = crate::core::ops::Refusal::NoCard {
            key: key.clone(),
            card: card.clone(),
            cards: cards
                .iter()
                .map(|c| crate::core::review::card_key(&key, &c.id))
                .collect(),
        };
        return Err(usage(refusal.to_string()));
    }
    let Some(rating) = request.rating else {
        let rp = progress.roadmap_or_empty(&roadmap.id);
        let item = rp.item(&key).cloned().unwrap_or_default();
        let reports: Vec<report::CardReport> = cards
            .iter()
            .enumerate()
            .filter(|(_, c)| card_id.as_ref().is_none_or(|id| *id == c.id))
            .map(|(i, c)| {
                let state = crate::core::review::card_state(&item, &c.id, i == 0).cloned();
                report::CardReport {
                    id: crate::core::review::card_key(&key, &c.id),
                    ask: c.ask.to_string(),
                    due: crate::core::review::due_at(&item, state.as_ref()),
                    recall: state
                        .as_ref()
                        .and_then(|s| crate::core::review::recall(s, now)),
                    state,
                }
            })
            .collect();
        let text = if request.json {
            format!(
                "{}\n",
                report::json_text(&report::task_cards_json(&roadmap.id, &key, &reports))
            )
        } else {
            report::task_cards_text(&key, &task.title, &reports, now, &tz)
        };
        out.write_all(text.as_bytes())?;
        return Ok(());
    };
    let rating_word = rating.as_str();
    let parsed = match rating_word {
        "off" | "on" => None,
        "1" => Some(Rating::Again),
        "2" => Some(Rating::Hard),
        "3" => Some(Rating::Good),
        "4" => Some(Rating::Easy),
        word => Some(Rating::from_word(word).ok_or_else(|| {
            usage(format!(
                "unknown rating {word:?}: give 1-4, again, hard, good or easy (or off / on)"
            ))
        })?),
    };
    // Applied to the file as it is under the lock: ratings of one card from several processes
    // at once each count.
    let line = store.apply(progress, |progress| {
        let rp = progress.roadmap_mut(&roadmap.id);
        let refused = |refusal: crate::core::ops::Refusal| match refusal {
            crate::core::ops::Refusal::OutOfReview { .. } => {
                usage(format!("{refusal}: `pathway review {key} on` puts it back"))
            }
            _ => usage(refusal.to_string()),
        };
        let Some(rating) = parsed else {
            let on = rating_word == "on";
            if !crate::core::ops::set_reviewing(rp, &key, task, on, now).map_err(refused)? {
                let already = if on { "in review" } else { "out of review" };
                return Ok((false, format!("{key}: already {already}")));
            }
            return Ok((
                true,
                if on {
                    format!("{key}: back in review, due tomorrow")
                } else {
                    format!("{key}: out of review (pathway review {key} on puts it back)")
                },
            ));
        };
        let (card, next) =
            crate::core::ops::rate(rp, &key, task, card_id.as_deref(), rating, now, settings)
                .map_err(refused)?;
        Ok((
            true,
            format!(
                "{}: {} · next review {}",
                crate::core::review::card_key(&key, &card),
                rating.word(),
                crate::core::text::when(next, now, &tz)
            ),
        ))
    })?;
    writeln!(out, "{line}")?;
    Ok(())
}

/// `3d`, `12h`, `2w`, `30m`: a span of time from now.
fn parse_within(text: &str) -> Result<jiff::SignedDuration> {
    let bad = || {
        usage(format!(
            "--ahead {text:?}: give a span such as 3d, 12h or 1w"
        ))
    };
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: i64 = number.parse().map_err(|_| bad())?;
    let hours = match unit {
        "m" | "min" => return Ok(jiff::SignedDuration::from_mins(n.min(1_000_000))),
        "h" => n,
        "d" => n.saturating_mul(24),
        "w" => n.saturating_mul(24 * 7),
        _ => return Err(bad()),
    };
    Ok(jiff::SignedDuration::from_hours(hours.min(24 * 366 * 10)))
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
