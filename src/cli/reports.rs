//! The commands that only print: status, stats, log, notes; and reading a day as people type it.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use jiff::tz::TimeZone;

use super::{NotesFormat, color_enabled, resolve_all, usage};
use crate::cli::report;
use crate::core::clock::now;
use crate::core::history::Change;
use crate::core::progress::Progress;
use crate::core::roadmap::{Roadmap, Target};

/// What `status` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StatusForm {
    /// A line per step and a summary.
    Steps,
    /// Every task with its id, status and title.
    Tasks,
    Json,
}

/// Text whose first line is the roadmap's title, with that line in place of the title when
/// the roadmap in use must be named (see `InUse::heading`).
fn headed(text: String, heading: Option<&str>) -> String {
    match (heading, text.split_once('\n')) {
        (Some(line), Some((_, rest))) => format!("{}\n{rest}", crate::core::text::clean(line)),
        _ => text,
    }
}

pub(super) fn status(
    out: &mut impl Write,
    roadmap: &Roadmap,
    progress: &Progress,
    heading: Option<&str>,
    form: StatusForm,
) -> Result<()> {
    let rp = progress.roadmap_or_empty(&roadmap.id);
    let color = color_enabled() && std::io::stdout().is_terminal();
    let text = match form {
        StatusForm::Json => {
            writeln!(
                out,
                "{}",
                report::json_text(&report::status_json(roadmap, rp))
            )?;
            return Ok(());
        }
        StatusForm::Steps => report::status_text(roadmap, rp, color),
        StatusForm::Tasks => report::tasks_text(roadmap, rp, color),
    };
    // Not through `out`: the colours are escape sequences of pathway's own, and the report
    // cleans the roadmap's text itself.
    write!(std::io::stdout(), "{}", headed(text, heading))?;
    Ok(())
}

pub(super) fn stats(
    out: &mut impl Write,
    roadmap: &Roadmap,
    progress: &Progress,
    json: bool,
    heading: Option<&str>,
    review: &crate::core::review::ReviewSettings,
) -> Result<()> {
    let rp = progress.roadmap_or_empty(&roadmap.id);
    let s = crate::core::stats::compute(roadmap, rp, now(), &TimeZone::system(), review);
    if json {
        let mut json = crate::core::stats::to_json(&s);
        if let Some(map) = json.as_object_mut() {
            map.insert(
                "roadmap".into(),
                serde_json::json!({ "id": roadmap.id, "title": roadmap.title }),
            );
        }
        writeln!(out, "{}", report::json_text(&json))?;
    } else {
        write!(out, "{}", headed(report::stats_text(roadmap, &s), heading))?;
    }
    Ok(())
}

pub(super) fn log(
    out: &mut impl Write,
    roadmap: &Roadmap,
    progress: &Progress,
    since: Option<jiff::civil::Date>,
    notes: bool,
) -> Result<()> {
    let Some(rp) = progress.roadmap(&roadmap.id) else {
        return Ok(());
    };
    let tz = TimeZone::system();
    let keep = |date: jiff::civil::Date| since.is_none_or(|s| date >= s);
    for (day, totals) in &rp.daily {
        if day.parse().is_ok_and(keep) {
            writeln!(
                out,
                "{day}        {}, {} done (older than a year: kept as a daily total)",
                crate::core::text::count(totals.changes as usize, "change"),
                totals.done
            )?;
        }
    }
    for event in &rp.history {
        let local = event.at.to_zoned_datetime(tz.clone());
        if !keep(local.date()) {
            continue;
        }
        let what = match &event.change {
            Change::Status { from, to } => format!("{} → {}", from.label(), to.label()),
            Change::Note {
                replaced: Some(old),
            } if notes => {
                let old: String = old.lines().map(|l| format!("\n      | {l}")).collect();
                format!("note edited; it replaced:{old}")
            }
            Change::Note { replaced: None } if notes => "note written (there was none)".into(),
            Change::Note { .. } => "note edited".to_string(),
            Change::NoteConflict { lost } if notes => {
                let lost: String = lost.lines().map(|l| format!("\n      | {l}")).collect();
                format!("merge conflict: another copy's note lost to a later edit; it said:{lost}")
            }
            Change::NoteConflict { .. } => "merge conflict: another copy's note kept".to_string(),
            Change::Review(rating) => format!("reviewed: {}", rating.word()),
            Change::ReviewUndone(rating) => format!("review undone ({})", rating.word()),
            Change::Reviewing(true) => "back in review".to_string(),
            Change::Reviewing(false) => "taken out of review".to_string(),
            Change::Checked(true) => "check passed: verified".to_string(),
            Change::Checked(false) => "check failed".to_string(),
        };
        writeln!(
            out,
            "{}  {}  {what}",
            format_args!("{} {:02}:{:02}", local.date(), local.hour(), local.minute()),
            event.item
        )?;
    }
    Ok(())
}

pub(super) fn notes(
    out: &mut impl Write,
    roadmap: &Roadmap,
    progress: &Progress,
    step: Option<String>,
    format: NotesFormat,
) -> Result<()> {
    let only = match step {
        None => None,
        Some(id) => match resolve_all(roadmap, std::slice::from_ref(&id))?[0] {
            Target::Step(s) => Some(s),
            Target::Task(..) => {
                return Err(usage(format!("{id:?} is a task: --step takes a step")));
            }
        },
    };
    let rp = progress.roadmap_or_empty(&roadmap.id);
    let entries = crate::core::notes::collect(roadmap, rp, only);
    let tz = TimeZone::system();
    let text = match format {
        NotesFormat::Text => report::notes_text(roadmap, &entries, only, &tz),
        NotesFormat::Markdown => report::notes_markdown(roadmap, &entries, &tz),
        NotesFormat::Json => format!(
            "{}\n",
            report::json_text(&report::notes_json(&roadmap.id, &entries))
        ),
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// A day as people type it: `today`, `yesterday`, `7d`, `2w`, `3 days ago`, `1 week ago`, or an
/// ISO date (`2026-11-01`). The error lists the forms.
pub fn parse_day(
    text: &str,
    today: jiff::civil::Date,
) -> std::result::Result<jiff::civil::Date, String> {
    let t = text.trim().to_lowercase();
    let back = |n: i64, unit: &str| -> Option<jiff::civil::Date> {
        let days = match unit {
            "d" | "day" | "days" => n,
            "w" | "week" | "weeks" => n.checked_mul(7)?,
            _ => return None,
        };
        today
            .checked_sub(jiff::Span::new().try_days(days).ok()?)
            .ok()
    };
    let parsed = match t.as_str() {
        "today" => Some(today),
        "yesterday" => back(1, "d"),
        _ => {
            let words: Vec<&str> = t.split_whitespace().collect();
            match words.as_slice() {
                [n, unit, "ago"] | [n, unit] => n.parse().ok().and_then(|n| back(n, unit)),
                [compact] => {
                    let split = compact
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(compact.len());
                    let (n, unit) = compact.split_at(split);
                    match (n.parse().ok(), unit) {
                        (Some(n), "d" | "w") => back(n, unit),
                        _ => compact.parse().ok(),
                    }
                }
                _ => None,
            }
        }
    };
    parsed.ok_or_else(|| {
        format!(
            "cannot read {text:?} as a day: use today, yesterday, 7d, 2w, \"3 days ago\" or a date like 2026-11-01"
        )
    })
}
