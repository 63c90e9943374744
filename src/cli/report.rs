//! Progress as text for the command line: the status lines, the JSON form, and the Markdown task
//! list that `export` writes and `import` reads back. Pure functions of roadmap and progress.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::core::notes::NoteEntry;
use crate::core::progress::{Counts, RoadmapProgress, Status};
use crate::core::roadmap::{Roadmap, task_key};
use crate::core::text::{bar, clean, display_width, fit};

/// Width of the text progress bar in `status`.
const BAR_WIDTH: usize = 12;

fn paint(text: &str, status: Status, color: bool) -> String {
    let code = match status {
        Status::Done => "32",
        Status::InProgress => "35",
        Status::Skipped => "2",
        Status::Todo => return text.to_string(),
    };
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn summary(c: Counts) -> String {
    let mut line = format!(
        "{} done · {} in progress · {} skipped · {}%",
        c.fraction(),
        c.in_progress,
        c.skipped,
        c.percent()
    );
    // Said only where a roadmap has stretch tasks, so every other roadmap reads as before.
    if c.stretch_waiting > 0 {
        let _ = write!(
            line,
            " · {} stretch for later, counted once started",
            c.stretch_waiting
        );
    }
    line
}

/// One line per step with its checkbox, `done/total` and a bar, then a summary line.
pub fn status_text(roadmap: &Roadmap, rp: &RoadmapProgress, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", clean(&roadmap.title));
    let titles: Vec<String> = roadmap
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| fit(&clean(&format!("{} {}", i + 1, s.title)), 40))
        .collect();
    let title_width = titles.iter().map(|t| display_width(t)).max().unwrap_or(0);
    let mut total = Counts::default();
    let mut verified = 0;
    for (step, title) in roadmap.steps.iter().zip(&titles) {
        let summary = rp.step_summary(step);
        let c = summary.counts;
        total = total.plus(c);
        verified += summary.verified;
        let status = c.status();
        let (filled, empty) = bar(c.ratio(), BAR_WIDTH);
        let pad = " ".repeat(title_width - display_width(title));
        let count = c.fraction();
        let _ = writeln!(
            out,
            "{} {title}{pad}  {count:>5}  {}{empty} {:>3}%",
            paint(status.checkbox(), status, color),
            paint(&filled, Status::Done, color),
            c.percent()
        );
    }
    let mut line = summary(total);
    if verified > 0 {
        // Done tasks a check proved, apart from the ones only ticked.
        line = line.replacen(" done · ", &format!(" done · {verified} verified · "), 1);
    }
    let _ = writeln!(out, "{line}");
    out
}

/// `status --tasks`: every task under its step, with its number in the step (`2/1`), its id,
/// its checkbox and its title, so any of them can be typed back into a command.
pub fn tasks_text(roadmap: &Roadmap, rp: &RoadmapProgress, color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", clean(&roadmap.title));
    // Ids wider than this push their title along rather than every other line's.
    const MAX_ID_WIDTH: usize = 40;
    let id_width = roadmap
        .steps
        .iter()
        .flat_map(|s| s.tasks.iter().map(move |t| display_width(&task_key(s, t))))
        .max()
        .unwrap_or(0)
        .min(MAX_ID_WIDTH);
    let number_width = roadmap
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{}/{}", i + 1, s.tasks.len()).len())
        .max()
        .unwrap_or(0);
    for (i, step) in roadmap.steps.iter().enumerate() {
        let c = rp.step_counts(step);
        let _ = writeln!(
            out,
            "{} {} ({})  {}",
            i + 1,
            clean(&step.title),
            clean(&step.id),
            c.fraction()
        );
        if step.tasks.is_empty() {
            let _ = writeln!(out, "    (no tasks)");
        }
        for (t, task) in step.tasks.iter().enumerate() {
            let key = clean(&task_key(step, task)).into_owned();
            let status = rp.status(&task_key(step, task));
            let number = format!("{}/{}", i + 1, t + 1);
            let pad = " ".repeat(id_width.saturating_sub(display_width(&key)));
            let _ = writeln!(
                out,
                "  {number:<number_width$}  {} {key}{pad}  {}",
                paint(status.checkbox(), status, color),
                clean(&task.title)
            );
        }
    }
    out
}

/// Done tasks whose last check passed: verified, not only self-reported.
pub fn verified(roadmap: &Roadmap, rp: &RoadmapProgress) -> usize {
    roadmap
        .steps
        .iter()
        .flat_map(|s| s.tasks.iter().map(move |t| task_key(s, t)))
        .filter(|key| {
            rp.item(key).is_some_and(|i| {
                i.status == Status::Done && i.checked.as_ref().is_some_and(|c| c.passed)
            })
        })
        .count()
}

fn counts_json(c: Counts) -> Value {
    json!({
        "done": c.done,
        "in_progress": c.in_progress,
        "skipped": c.skipped,
        "counted": c.counted(),
        "total": c.total,
        "percent": c.percent(),
        // Stretch tasks in all, and those not started, which count in no other figure.
        "stretch": c.stretch,
        "stretch_waiting": c.stretch_waiting,
    })
}

/// The machine-readable form of `status` and `export --format json`. Field names are stable;
/// statuses are `todo`, `in-progress`, `done`, `skipped`; dates are RFC 3339 or null.
pub fn status_json(roadmap: &Roadmap, rp: &RoadmapProgress) -> Value {
    let mut total = Counts::default();
    let steps: Vec<Value> = roadmap
        .steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let summary = rp.step_summary(step);
            let c = summary.counts;
            total = total.plus(c);
            let tasks: Vec<Value> = step
                .tasks
                .iter()
                .map(|task| {
                    let key = task_key(step, task);
                    let item = rp.item(&key);
                    json!({
                        "id": key,
                        "title": task.title,
                        "outcome": task.outcome,
                        "status": rp.status(&key).word(),
                        "level": task.level.word(),
                        "why_later": task.why_later,
                        "started": item.and_then(|i| i.started),
                        "completed": item.and_then(|i| i.completed),
                        "note": rp.note(&key),
                        "checked": item.and_then(|i| i.checked.as_ref()).map(|c| json!({
                            "at": c.at,
                            "passed": c.passed,
                            "failed": c.failed,
                        })),
                    })
                })
                .collect();
            json!({
                "number": i + 1,
                "id": step.id,
                "title": step.title,
                "status": c.status().word(),
                "counts": counts_json(c),
                "started": summary.started,
                "completed": summary.completed,
                "note": rp.note(&step.id),
                "tasks": tasks,
            })
        })
        .collect();
    json!({
        "roadmap": { "id": roadmap.id, "title": roadmap.title, "source": roadmap.source },
        "started": rp.started,
        "counts": counts_json(total),
        "steps": steps,
    })
}

/// Marks a line as pathway's, with the id `import` matches it by. An HTML comment: GitHub shows
/// nothing of it.
fn id_comment(id: &str) -> String {
    format!("{ID_COMMENT_START}{id}{ID_COMMENT_END}")
}

/// The comment `id_comment` writes, for `import` to find.
pub(crate) const ID_COMMENT_START: &str = "<!-- pathway:";
pub(crate) const ID_COMMENT_END: &str = " -->";

/// A GitHub task list grouped by step, with percentages and the learner's notes as quotes.
pub fn markdown(roadmap: &Roadmap, rp: &RoadmapProgress, today: &str) -> String {
    let mut out = String::new();
    let mut total = Counts::default();
    for step in &roadmap.steps {
        total = total.plus(rp.step_counts(step));
    }
    let _ = writeln!(out, "# {}\n", roadmap.title);
    if let Some(source) = &roadmap.source {
        let _ = writeln!(out, "Based on: {source}\n");
    }
    let _ = writeln!(out, "{} (exported by pathway on {today})", summary(total));
    for (i, step) in roadmap.steps.iter().enumerate() {
        let c = rp.step_counts(step);
        let _ = writeln!(
            out,
            "\n## {}. {} — {}/{} ({}%) {}\n",
            i + 1,
            step.title,
            c.done,
            c.counted(),
            c.percent(),
            id_comment(&step.id)
        );
        if let Some(note) = rp.note(&step.id) {
            quote(&mut out, "", note);
            out.push('\n');
        }
        for task in &step.tasks {
            let key = task_key(step, task);
            let status = rp.status(&key);
            let (mark, tag) = match status {
                Status::Done => ("x", ""),
                Status::Todo => (" ", ""),
                Status::InProgress => (" ", " _(in progress)_"),
                Status::Skipped => (" ", " _(skipped)_"),
            };
            let _ = writeln!(out, "- [{mark}] {}{tag} {}", task.title, id_comment(&key));
            if let Some(note) = rp.note(&key) {
                quote(&mut out, "  ", note);
            }
            // Shown, not read back by `import` (which skips these lines): `export --format
            // json` carries the cards with their review states.
            for (_, card) in rp.own_cards(&key) {
                let _ = writeln!(out, "  - Your card: {}", one_line(&card.ask));
                if !card.answer.is_empty() {
                    let _ = writeln!(out, "    Answer: {}", one_line(&card.answer));
                }
            }
        }
    }
    out
}

/// A note as a Markdown quote, line by line and byte for byte: trailing spaces stay as they are
/// (to Markdown, two of them are a line break, as they were to the learner), and what a text
/// file cannot hold as it is, a carriage return or another control character, is written as
/// `\u{d}`, with a backslash written `\\` (which Markdown shows as one) so that `import` reads
/// every note back exactly.
fn quote(out: &mut String, indent: &str, note: &str) {
    for line in note.split('\n') {
        if line.is_empty() {
            let _ = writeln!(out, "{indent}>");
        } else {
            let _ = writeln!(out, "{indent}> {}", quoted_note_line(line));
        }
    }
}

/// One line of a note as `quote` writes it; `import::note_line` reads it back.
pub(crate) fn quoted_note_line(line: &str) -> std::borrow::Cow<'_, str> {
    let special = |c: char| c == '\\' || (c != '\t' && crate::core::text::unsafe_char(c));
    if !line.contains(special) {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            c if special(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// JSON as pathway prints it: pretty, with every character `text::clean` would escape written
/// as a JSON escape (DEL, the C1 range and the bidirectional controls included; JSON itself only
/// requires it below U+0020), so the printed text stays valid JSON that cannot drive a terminal.
pub fn json_text(value: &Value) -> String {
    let text = format!("{value:#}");
    let escaped = |c: char| c != '\n' && crate::core::text::unsafe_char(c);
    if !text.chars().any(escaped) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// `pathway notes`: each step's notes under its title, each with its item, status and date,
/// the note indented. `only` is the step asked for (`--step`), if one was.
pub fn notes_text(
    roadmap: &Roadmap,
    entries: &[NoteEntry],
    only: Option<usize>,
    tz: &jiff::tz::TimeZone,
) -> String {
    let mut out = String::new();
    if entries.is_empty() {
        let _ = match only.and_then(|s| roadmap.steps.get(s)) {
            Some(step) => writeln!(
                out,
                "No notes in step {} yet: pathway note {} \"what you learned\" writes one on it \
                 (n in the checklist).",
                clean(&step.title),
                clean(&step.id)
            ),
            None => writeln!(
                out,
                "No notes yet: pathway note ID \"what you learned\" writes one (n in the checklist)."
            ),
        };
        return out;
    }
    let mut last_step = None;
    for e in entries {
        if last_step != Some(e.step) {
            if last_step.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{} {}", e.step + 1, roadmap.steps[e.step].title);
            last_step = Some(e.step);
        }
        let what = if e.task.is_some() {
            e.title.as_str()
        } else {
            "(the step itself)"
        };
        let edited = e
            .edited
            .map(|at| format!(" · {}", crate::core::text::date(at, tz)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {} {what} · {}{edited}",
            e.status.checkbox(),
            e.status.label()
        );
        for line in e.note.lines() {
            let _ = writeln!(out, "      {line}");
        }
    }
    out
}

/// `pathway notes --format markdown`: for sharing, a heading per step and the notes as quotes.
pub fn notes_markdown(roadmap: &Roadmap, entries: &[NoteEntry], tz: &jiff::tz::TimeZone) -> String {
    let mut out = format!("# My notes: {}\n", roadmap.title);
    let mut last_step = None;
    for e in entries {
        if last_step != Some(e.step) {
            let _ = writeln!(out, "\n## {}. {}", e.step + 1, roadmap.steps[e.step].title);
            last_step = Some(e.step);
        }
        let what = if e.task.is_some() {
            e.title.as_str()
        } else {
            "The step itself"
        };
        let edited = e
            .edited
            .map(|at| format!(", {}", crate::core::text::date(at, tz)))
            .unwrap_or_default();
        let _ = writeln!(out, "\n**{what}** _({}{edited})_\n", e.status.label());
        quote(&mut out, "", &e.note);
    }
    out
}

/// `pathway notes --format json`: `[{roadmap, id, title, status, edited, note}]`.
pub fn notes_json(roadmap: &str, entries: &[NoteEntry]) -> Value {
    Value::Array(
        entries
            .iter()
            .map(|e| {
                json!({
                    "roadmap": roadmap,
                    "id": e.key,
                    "title": e.title,
                    "status": e.status.word(),
                    "edited": e.edited.map(|t| t.to_string()),
                    "note": e.note,
                })
            })
            .collect(),
    )
}

/// `pathway review`: the cards due, or when the next one is.
pub fn review_text(
    roadmap: &Roadmap,
    rp: &crate::core::progress::RoadmapProgress,
    due: &[crate::core::review::DueCard],
    next: Option<jiff::Timestamp>,
    now: jiff::Timestamp,
    tz: &jiff::tz::TimeZone,
) -> String {
    let mut out = String::new();
    if due.is_empty() {
        let _ = match next {
            Some(at) => writeln!(
                out,
                "Nothing to review now; the next card is due {} (pathway review --ahead 7d \
                 reviews early).",
                crate::core::text::when(at, now, tz)
            ),
            None => writeln!(
                out,
                "Nothing in review yet: a task you mark done comes back for review the next day."
            ),
        };
        return out;
    }
    let _ = writeln!(
        out,
        "{} to review (pathway review ID 1-4 or again|hard|good|easy, pathway review --session, \
         or r in the checklist):",
        crate::core::text::count(due.len(), "card")
    );
    for d in due {
        let ask = crate::core::review::card_for(roadmap, rp, d)
            .map(|c| c.ask)
            .unwrap_or_default();
        let state = if d.new {
            format!("new · {}", crate::core::text::due_words(d.due, now))
        } else {
            crate::core::text::due_words(d.due, now)
        };
        let yours = if d.own { " · your card" } else { "" };
        let _ = writeln!(out, "  {}  {} · {state}{yours}", d.id(), one_line(&ask));
    }
    out
}

/// Text on one line: line breaks become spaces, control characters are escaped (a card of
/// one's own holds whatever was typed or written into the file).
fn one_line(text: &str) -> String {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::core::text::one_line(&words).into_owned()
}

/// `pathway review --json`: one object per card due.
pub fn review_json(
    roadmap: &Roadmap,
    rp: &crate::core::progress::RoadmapProgress,
    due: &[crate::core::review::DueCard],
    now: jiff::Timestamp,
) -> Value {
    Value::Array(
        due.iter()
            .map(|d| {
                let step = &roadmap.steps[d.step];
                let task = &step.tasks[d.task];
                let card = crate::core::review::card_for(roadmap, rp, d);
                json!({
                    "roadmap": roadmap.id,
                    "id": d.id(),
                    "task": d.key,
                    "title": task.title,
                    "step": step.id,
                    "ask": card.as_ref().map(|c| c.ask.clone()),
                    "due": d.due.to_string(),
                    "overdue_days": now.duration_since(d.due).as_secs().max(0) / 86_400,
                    "new": d.new,
                    "recall": d.recall,
                    "own": d.own,
                })
            })
            .collect(),
    )
}

/// One card's review state, for `pathway review ID`.
pub struct CardReport {
    pub id: String,
    pub ask: String,
    pub answer: Option<String>,
    /// One the learner wrote, and its number among theirs on the task.
    pub own: Option<usize>,
    pub due: Option<jiff::Timestamp>,
    pub state: Option<crate::core::progress::ReviewState>,
    pub recall: Option<f64>,
}

/// `pathway review ID`: a task's cards and where each stands.
pub fn task_cards_text(
    key: &str,
    title: &str,
    cards: &[CardReport],
    now: jiff::Timestamp,
    tz: &jiff::tz::TimeZone,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{key}  {title}");
    for c in cards {
        let yours = c
            .own
            .map(|n| format!("  (your card {n})"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}  {}{yours}", c.id, one_line(&c.ask));
        let line = match (&c.state, c.due) {
            (_, None) => "out of review".to_string(),
            (Some(s), Some(due)) if s.reviews > 0 => format!(
                "next review {} · {} · {} · recall now {}",
                crate::core::text::when(due, now, tz),
                crate::core::text::count(s.reviews as usize, "review"),
                crate::core::text::count(s.lapses as usize, "lapse"),
                c.recall
                    .map_or("-".to_string(), |r| format!("{:.0}%", r * 100.0))
            ),
            (_, Some(due)) if due <= now => "new: due now".to_string(),
            (_, Some(due)) => format!(
                "new: first review {}",
                crate::core::text::when(due, now, tz)
            ),
        };
        let _ = writeln!(out, "      {line}");
    }
    out
}

pub fn task_cards_json(roadmap: &str, key: &str, cards: &[CardReport]) -> Value {
    Value::Array(
        cards
            .iter()
            .map(|c| {
                json!({
                    "roadmap": roadmap,
                    "id": c.id,
                    "task": key,
                    "ask": c.ask,
                    "answer": c.answer,
                    "own": c.own.is_some(),
                    "in_review": c.due.is_some(),
                    "due": c.due.map(|d| d.to_string()),
                    "reviews": c.state.as_ref().map_or(0, |s| s.reviews),
                    "lapses": c.state.as_ref().map_or(0, |s| s.lapses),
                    "stability": c.state.as_ref().map(|s| s.stability),
                    "difficulty": c.state.as_ref().map(|s| s.difficulty),
                    "recall": c.recall,
                })
            })
            .collect(),
    )
}

/// Weeks `pathway stats` shows; `stats --json` gives them all.
const STATS_WEEKS: usize = 8;

/// `pathway stats`: the figures of the progress view as lines of text.
pub fn stats_text(roadmap: &Roadmap, s: &crate::core::stats::Stats) -> String {
    let mut out = String::new();
    let out = &mut out;
    let _ = writeln!(out, "{}", roadmap.title);
    let _ = write!(out, "{}", summary(s.counts));
    if s.hours_done + s.hours_left > 0.0 {
        let _ = write!(
            out,
            " · {} h done · {} h left",
            crate::core::text::hours_text(s.hours_done),
            crate::core::text::hours_text(s.hours_left)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Streak: {} in a row · active on {} in all{}",
        crate::core::text::count(s.streak as usize, "day"),
        crate::core::text::count(s.active_days as usize, "day"),
        s.last_active
            .map(|d| format!(" · last active {d}"))
            .unwrap_or_default()
    );
    let _ = writeln!(out, "Pace: {}", s.pace_text());
    if s.work_done > 0.0 {
        let _ = writeln!(out, "  {}", s.pace_basis_text());
    }
    let _ = writeln!(out, "{}", crate::core::stats::forecast_text(s));
    let _ = writeln!(out, "Reviews: {}", s.review.summary());
    let _ = writeln!(
        out,
        "Due per day, next 14 days: {}",
        s.review
            .next_days
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (weeks, earlier) = s.last_weeks(STATS_WEEKS);
    let _ = writeln!(
        out,
        "{}:",
        crate::core::stats::weeks_caption(weeks.len(), s.weeks.len(), earlier, usize::MAX)
    );
    let most = weeks.iter().map(|w| w.1).max().unwrap_or(0).max(1);
    for ((monday, n), p) in weeks.iter().zip(s.last_practice(STATS_WEEKS)) {
        let (bar, _) = bar(f64::from(*n) / f64::from(most), 20);
        let _ = writeln!(
            out,
            "  {monday}  {bar:<20} {n} · {}, {}",
            crate::core::text::count(p.reviews as usize, "review"),
            crate::core::text::count(p.checks as usize, "check")
        );
    }
    let _ = writeln!(out, "Days in progress:");
    for (i, step) in s.steps.iter().enumerate() {
        let days = match (step.days, step.done) {
            (None, _) => "not started".to_string(),
            (Some(d), true) => format!(
                "done in {}",
                crate::core::text::count(usize::try_from(d).unwrap_or(0), "day")
            ),
            (Some(d), false) => format!(
                "{} so far",
                crate::core::text::count(usize::try_from(d).unwrap_or(0), "day")
            ),
        };
        let _ = writeln!(out, "  {} {}: {days}", i + 1, step.title);
    }
    std::mem::take(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn roadmap() -> Roadmap {
        Roadmap::embedded().expect("valid")
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("valid")
    }

    use crate::core::stats::weeks_caption;

    #[test]
    fn the_weeks_caption_gives_way_whole_words_at_a_time() {
        assert_eq!(
            weeks_caption(7, 9, 2, 80),
            "Tasks done, then reviews and checks, per week: last 7 of 9 weeks, 2 done before"
        );
        assert_eq!(
            weeks_caption(7, 9, 2, 46),
            "Per week: last 7 of 9 weeks, 2 done before"
        );
        assert_eq!(weeks_caption(7, 9, 2, 20), "Last 7 of 9 weeks");
        assert_eq!(weeks_caption(3, 3, 0, 30), "Done, then reviews and checks");
        assert_eq!(
            weeks_caption(7, 9, 2, 3),
            "7 of 9 weeks",
            "the shortest, if nothing fits"
        );
    }

    #[test]
    fn status_text_has_a_line_per_step_and_a_summary() {
        let r = roadmap();
        let mut rp = RoadmapProgress::default();
        for t in &r.steps[0].tasks {
            rp.set_status(&format!("programming/{}", t.id), Status::Done, at(1));
        }
        let text = status_text(&r, &rp, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 8, "{text}");
        let n = r.steps[0].tasks.len();
        assert!(
            lines[1].starts_with("[x] 1 Programming foundations"),
            "{text}"
        );
        assert!(
            lines[1].ends_with(&format!("{n}/{n}  ████████████ 100%")),
            "{text}"
        );
        // Stretch tasks not started count in no figure but their own.
        let second = rp.step_counts(&r.steps[1]).counted();
        assert!(
            lines[2].ends_with(&format!("0/{second}  ░░░░░░░░░░░░   0%")),
            "{text}"
        );
        let all = r
            .steps
            .iter()
            .map(|s| rp.step_counts(s))
            .fold(Counts::default(), Counts::plus);
        let (total, waiting) = (all.counted(), all.stretch_waiting);
        assert!(waiting > 0, "the shipped roadmap has stretch tasks");
        let percent = n * 100 / total;
        assert_eq!(
            lines[7],
            format!(
                "{n}/{total} done · 0 in progress · 0 skipped · {percent}% · {waiting} stretch \
                 for later, counted once started"
            )
        );
        assert!(!text.contains('\x1b'));
        assert!(status_text(&r, &rp, true).contains("\x1b[32m[x]\x1b[0m"));
    }
}
