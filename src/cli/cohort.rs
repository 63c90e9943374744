//! `pathway cohort DIR`: every learner's snapshot in the cohort's clone (pulled first when it
//! has an upstream), as a table sorted by who needs attention first, then per task how far the
//! cohort has come; or as JSON for scripts, or Markdown for a weekly post.
//!
//! Everything shown from a snapshot (names, task ids, reasons) is escaped onto one line: the
//! files are other people's.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use jiff::tz::TimeZone;
use serde_json::{Value, json};

use super::git::Repo;
use crate::core::clock::now;
use crate::core::cohort::{Cohort, Row, summarize};
use crate::core::roadmap::Roadmap;
use crate::core::text::{display_width, fit, one_line};

/// How `cohort` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Text,
    Markdown,
    Json,
}

impl Form {
    /// The form the options ask for: `--json`, else `--format`.
    pub fn new(json: bool, format: super::CohortFormat) -> Form {
        match (json, format) {
            (true, _) => Form::Json,
            (false, super::CohortFormat::Markdown) => Form::Markdown,
            (false, super::CohortFormat::Text) => Form::Text,
        }
    }
}

pub(super) fn show(
    out: &mut impl Write,
    roadmap: &Roadmap,
    dir: &Path,
    pull: bool,
    form: Form,
) -> Result<()> {
    if pull {
        pull_first(dir);
    }
    let folder = crate::storage::cohort::read(dir, &roadmap.id)?;
    let cohort = summarize(
        roadmap,
        folder.snapshots,
        folder.unreadable,
        now(),
        &TimeZone::system(),
    );
    let text = match form {
        Form::Text => text(roadmap, &cohort, width()),
        Form::Markdown => markdown(roadmap, &cohort),
        Form::Json => format!("{}\n", super::report::json_text(&to_json(roadmap, &cohort))),
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// Pulls when the folder is a clone with an upstream. A pull that fails is said, and the
/// snapshots the clone already holds are shown: last week's figures beat none.
fn pull_first(dir: &Path) {
    if !dir.join(".git").exists() {
        return;
    }
    let repo = Repo::new(dir);
    let pulled = repo.upstream().and_then(|upstream| match upstream {
        None => Ok(None),
        Some(_) => repo.pull().map(Some),
    });
    let problem = match pulled {
        Ok(Some(outcome)) if !outcome.ok => outcome.message(),
        Ok(_) => return,
        Err(e) => format!("{e:#}"),
    };
    eprintln!(
        "pathway: warning: could not pull {}: {}; showing the snapshots it holds",
        repo.shown(),
        one_line(&problem)
    );
}

/// The terminal's width, else `COLUMNS`, else 80.
fn width() -> usize {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal()
        && let Ok((cols, _)) = crossterm::terminal::size()
    {
        return usize::from(cols).max(40);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .map_or(80, |c| c.clamp(40, 1000))
}

/// Text from a snapshot, on one line and with nothing the terminal would act on.
fn safe(text: &str) -> Cow<'_, str> {
    one_line(text)
}

fn ago(days: Option<i64>) -> String {
    match days {
        None => "never".into(),
        Some(0) => "today".into(),
        Some(n) => format!("{n}d ago"),
    }
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn hours(h: f64) -> String {
    crate::core::text::hours_text(h)
}

/// The learner's place: "2/1 Install PostgreSQL or MySQL" (step and task numbers, title), or
/// the task id when the mentor's roadmap does not have it.
fn now_at(row: &Row) -> String {
    match (
        &row.snapshot.totals.current,
        &row.current_number,
        &row.current_title,
    ) {
        (Some(_), Some(number), Some(title)) => format!("{number} {}", safe(title)),
        (Some(key), _, _) => safe(key).into_owned(),
        (None, _, _) if row.snapshot.totals.counted > 0 => "finished".into(),
        (None, _, _) => "–".into(),
    }
}

fn recall_cell(row: &Row) -> String {
    let target = percent(row.snapshot.review.target);
    match row.recall {
        Some(r) => format!("{}/{target}", percent(r)),
        None => format!("–/{target}"),
    }
}

fn forecast_cell(row: &Row) -> String {
    let totals = &row.snapshot.totals;
    match (totals.forecast.as_str(), totals.forecast_date) {
        ("finished", _) => "finished".into(),
        (_, Some(date)) => date.to_string(),
        _ => "–".into(),
    }
}

/// A column of the table: its heading, how to fill it, and how much it matters when the width
/// runs short (columns of a higher rank go first).
struct Column {
    head: &'static str,
    rank: u8,
    right: bool,
    cell: fn(&Row) -> String,
}

const COLUMNS: &[Column] = &[
    Column {
        head: "done",
        rank: 0,
        right: true,
        cell: |r| {
            let t = &r.snapshot.totals;
            format!("{}/{} {:>3}%", t.done, t.counted, r.percent)
        },
    },
    Column {
        head: "verified",
        rank: 1,
        right: true,
        cell: |r| {
            format!(
                "{} of {}",
                r.snapshot.totals.verified, r.snapshot.totals.done
            )
        },
    },
    Column {
        head: "h done",
        rank: 5,
        right: true,
        cell: |r| hours(r.snapshot.totals.hours_done),
    },
    Column {
        head: "h left",
        rank: 3,
        right: true,
        cell: |r| hours(r.snapshot.totals.hours_left),
    },
    Column {
        head: "forecast",
        rank: 4,
        right: false,
        cell: forecast_cell,
    },
    Column {
        head: "active",
        rank: 1,
        right: true,
        cell: |r| ago(r.days_inactive),
    },
    Column {
        head: "due",
        rank: 2,
        right: true,
        cell: |r| r.snapshot.review.due_now.to_string(),
    },
    Column {
        head: "recall",
        rank: 2,
        right: true,
        cell: recall_cell,
    },
    Column {
        head: "fading",
        rank: 4,
        right: true,
        cell: |r| r.snapshot.review.fading.to_string(),
    },
];

/// The widest a figure's column grows.
const CELL_MAX: usize = 16;

/// The narrowest the learner's place may be before columns make way for it.
const NOW_AT_MIN: usize = 16;

/// The columns that fit in `width` beside the names (`name_width`) and the learner's place.
fn chosen(cells: &[Vec<String>], name_width: usize, width: usize) -> Vec<(usize, usize)> {
    let mut kept: Vec<(usize, usize)> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let w = cells
                .iter()
                .map(|r| display_width(&r[i]))
                .max()
                .unwrap_or(0);
            // A figure from a hand-made file can be any length: it is cut, not given the row.
            (i, w.min(CELL_MAX).max(display_width(c.head)))
        })
        .collect();
    let used = |kept: &[(usize, usize)]| -> usize {
        name_width + kept.iter().map(|(_, w)| w + 2).sum::<usize>() + 2 + NOW_AT_MIN
    };
    while used(&kept) > width {
        let Some(drop) = kept
            .iter()
            .enumerate()
            .filter(|(_, (i, _))| COLUMNS[*i].rank > 0)
            .max_by_key(|(pos, (i, _))| (COLUMNS[*i].rank, *pos))
            .map(|(pos, _)| pos)
        else {
            break;
        };
        kept.remove(drop);
    }
    kept
}

fn pad(text: &str, width: usize, right: bool) -> String {
    let text = fit(text, width);
    let gap = " ".repeat(width.saturating_sub(display_width(&text)));
    if right {
        format!("{gap}{text}")
    } else {
        format!("{text}{gap}")
    }
}

/// The table and the cohort's figures, laid out for `width` columns.
pub fn text(roadmap: &Roadmap, cohort: &Cohort, width: usize) -> String {
    let mut out = format!(
        "Cohort on {} ({}): {}\n",
        one_line(&roadmap.title),
        one_line(&roadmap.id),
        crate::core::text::count(cohort.rows.len(), "learner")
    );
    if cohort.rows.is_empty() {
        let hint =
            "Nobody has published yet: each learner runs pathway cohort publish DIR --as NAME.";
        for line in crate::core::text::wrap(hint, width) {
            out.push_str(&line);
            out.push('\n');
        }
    } else {
        out.push('\n');
        learner_table(&mut out, cohort, width);
    }
    unreadable_text(&mut out, cohort, width);
    if !cohort.rows.is_empty() {
        tasks_text(&mut out, cohort, width);
    }
    out
}

fn learner_table(out: &mut String, cohort: &Cohort, width: usize) {
    let names: Vec<Cow<str>> = cohort.rows.iter().map(|r| safe(&r.name)).collect();
    let name_width = names
        .iter()
        .map(|n| display_width(n))
        .max()
        .unwrap_or(0)
        .clamp(7, 20)
        .min(width / 4);
    let cells: Vec<Vec<String>> = cohort
        .rows
        .iter()
        .map(|r| COLUMNS.iter().map(|c| (c.cell)(r)).collect())
        .collect();
    let kept = chosen(&cells, name_width, width);
    let fixed: usize = kept.iter().map(|(_, w)| w + 2).sum();
    let places: Vec<String> = cohort.rows.iter().map(now_at).collect();
    let widest = places.iter().map(|p| display_width(p)).max().unwrap_or(0);
    let now_width = width
        .saturating_sub(name_width + 2 + fixed)
        .min(widest.max(6))
        .max(NOW_AT_MIN / 2);
    let line = |name: &str, place: &str, values: &dyn Fn(usize) -> String| {
        let mut l = format!(
            "{}  {}",
            pad(name, name_width, false),
            pad(place, now_width, false)
        );
        for (i, w) in &kept {
            l.push_str("  ");
            l.push_str(&pad(&values(*i), *w, COLUMNS[*i].right));
        }
        l.trim_end().to_string()
    };
    out.push_str(&line("learner", "now at", &|i| COLUMNS[i].head.to_string()));
    out.push('\n');
    for (((row, name), cells), place) in cohort.rows.iter().zip(&names).zip(&cells).zip(&places) {
        out.push_str(&line(name, place, &|i| cells[i].clone()));
        out.push('\n');
        if !row.flags.is_empty() {
            let flags: Vec<String> = row
                .flags
                .iter()
                .map(|f| safe(&f.text()).into_owned())
                .collect();
            // Every reason in full, wrapped under the row: it is why the row is there.
            let lines = crate::core::text::wrap(&flags.join(" · "), width.saturating_sub(4));
            for (i, line) in lines.iter().enumerate() {
                out.push_str(if i == 0 { "  ! " } else { "    " });
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    let attention = cohort.rows.iter().filter(|r| !r.flags.is_empty()).count();
    let legend = format!(
        "{} of {} {} attention (marked !): a task in progress over {} days, a check failing {} \
         times in a row, no activity for {} days, or most reviews of a step forgotten.",
        attention,
        cohort.rows.len(),
        if attention == 1 { "needs" } else { "need" },
        crate::core::cohort::STALL_DAYS,
        crate::core::cohort::REPEATED_FAILURES,
        crate::core::cohort::STALL_DAYS,
    );
    out.push('\n');
    for line in crate::core::text::wrap(&legend, width) {
        out.push_str(&line);
        out.push('\n');
    }
}

fn unreadable_text(out: &mut String, cohort: &Cohort, width: usize) {
    if cohort.unreadable.is_empty() {
        return;
    }
    out.push_str(&format!(
        "\nNot shown: {} in {}/ cannot be used:\n",
        crate::core::text::count(cohort.unreadable.len(), "file"),
        crate::core::cohort::FOLDER
    ));
    for bad in &cohort.unreadable {
        let line = format!("  {}: {}", safe(&bad.file), safe(&bad.reason));
        out.push_str(&fit(&line, width));
        out.push('\n');
    }
}

fn tasks_text(out: &mut String, cohort: &Cohort, width: usize) {
    let n = cohort.rows.len();
    out.push_str(&format!(
        "\nTasks: how many of the {n} have done, verified and started each\n"
    ));
    let last = cohort
        .tasks
        .iter()
        .rposition(|t| t.done + t.in_progress > 0)
        .map_or(0, |i| i + 1);
    let number_width = cohort.tasks[..last]
        .iter()
        .map(|t| t.number.len())
        .max()
        .unwrap_or(0);
    out.push_str("  done  verified  started  task\n");
    for t in &cohort.tasks[..last] {
        let line = format!(
            "{:>6}  {:>8}  {:>7}  {} {}",
            t.done,
            t.verified,
            t.in_progress,
            pad(&t.number, number_width, false),
            one_line(&t.title)
        );
        out.push_str(fit(&line, width).trim_end());
        out.push('\n');
    }
    if last < cohort.tasks.len() {
        out.push_str(&format!(
            "  and {} after them that nobody has begun\n",
            crate::core::text::count(cohort.tasks.len() - last, "task")
        ));
    }
    if !cohort.lapses.is_empty() {
        out.push_str("\nCards forgotten most\n");
        for c in &cohort.lapses {
            let line = format!(
                "{:>4} {} by {}  {}",
                c.lapses,
                if c.lapses == 1 { "lapse " } else { "lapses" },
                crate::core::text::count(c.learners, "learner"),
                safe(&c.card)
            );
            out.push_str(&fit(&line, width));
            out.push('\n');
        }
    }
}

/// A Markdown table cell: one line, escaped, with no `|` to end it early.
fn md(text: &str) -> String {
    safe(text).replace('|', "\\|")
}

/// The cohort as Markdown for a weekly post: the learners' table, then the tasks.
pub fn markdown(roadmap: &Roadmap, cohort: &Cohort) -> String {
    let mut out = format!(
        "## Cohort on {}: {}\n\n",
        md(&roadmap.title),
        crate::core::text::count(cohort.rows.len(), "learner")
    );
    out.push_str("| learner | now at | done | verified | hours done / left | forecast | active | due | recall / target | fading | needs attention |\n");
    out.push_str("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|\n");
    for r in &cohort.rows {
        let t = &r.snapshot.totals;
        let flags: Vec<String> = r.flags.iter().map(|f| md(&f.text())).collect();
        out.push_str(&format!(
            "| {} | {} | {}/{} ({}%) | {} | {} / {} h | {} | {} | {} | {} | {} | {} |\n",
            md(&r.name),
            md(&now_at(r)),
            t.done,
            t.counted,
            r.percent,
            t.verified,
            hours(t.hours_done),
            hours(t.hours_left),
            forecast_cell(r),
            ago(r.days_inactive),
            r.snapshot.review.due_now,
            recall_cell(r),
            r.snapshot.review.fading,
            flags.join("; ")
        ));
    }
    if !cohort.unreadable.is_empty() {
        out.push_str("\nNot shown:\n\n");
        for bad in &cohort.unreadable {
            out.push_str(&format!(
                "- `{}`: {}\n",
                md(&bad.file).replace('`', "'"),
                md(&bad.reason)
            ));
        }
    }
    out.push_str("\n| # | task | done | verified | started |\n|---|---|---:|---:|---:|\n");
    for t in cohort.tasks.iter().filter(|t| t.done + t.in_progress > 0) {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            t.number,
            md(&t.title),
            t.done,
            t.verified,
            t.in_progress
        ));
    }
    if !cohort.lapses.is_empty() {
        out.push_str("\nCards forgotten most:\n\n");
        for c in &cohort.lapses {
            out.push_str(&format!(
                "- {}: {} lapses by {}\n",
                md(&c.card),
                c.lapses,
                crate::core::text::count(c.learners, "learner")
            ));
        }
    }
    out
}

fn row_json(r: &Row) -> Value {
    let t = &r.snapshot.totals;
    let review = &r.snapshot.review;
    let flags: Vec<Value> = r
        .flags
        .iter()
        .map(|f| json!({ "kind": f.kind(), "text": f.text() }))
        .collect();
    json!({
        "name": r.name,
        "current_step": r.current_step,
        "current_task": t.current,
        "current_number": r.current_number,
        "current_title": r.current_title,
        "done": t.done,
        "counted": t.counted,
        "percent": r.percent,
        "verified": t.verified,
        "ticked_only": r.ticked_only(),
        "in_progress": t.in_progress,
        "hours_done": t.hours_done,
        "hours_left": t.hours_left,
        "forecast": t.forecast,
        "forecast_date": t.forecast_date.map(|d| d.to_string()),
        "last_active": t.last_active.map(|d| d.to_string()),
        "days_inactive": r.days_inactive,
        "streak": t.streak,
        "review_due": review.due_now,
        "recall": r.recall.map(|x| (x * 1000.0).round() / 1000.0),
        "recall_target": review.target,
        "fading": review.fading,
        "flags": flags,
        "published": r.snapshot.published.to_string(),
    })
}

/// The cohort for scripts: `learners` in the table's order, then `unreadable`, `tasks` and
/// `lapses`.
pub fn to_json(roadmap: &Roadmap, cohort: &Cohort) -> Value {
    json!({
        "roadmap": { "id": roadmap.id, "title": roadmap.title },
        "learners": cohort.rows.iter().map(row_json).collect::<Vec<_>>(),
        "unreadable": cohort.unreadable.iter().map(|u| json!({ "file": u.file, "reason": u.reason })).collect::<Vec<_>>(),
        "tasks": cohort.tasks.iter().map(|t| json!({
            "id": t.key, "number": t.number, "title": t.title, "done": t.done, "verified": t.verified, "in_progress": t.in_progress,
        })).collect::<Vec<_>>(),
        "lapses": cohort.lapses.iter().map(|c| json!({
            "card": c.card, "lapses": c.lapses, "learners": c.learners,
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cohort::{Snapshot, Unreadable};
    use crate::core::progress::{RoadmapProgress, Status};
    use crate::core::review::ReviewSettings;

    fn roadmap() -> Roadmap {
        Roadmap::embedded().expect("built in")
    }

    fn at() -> jiff::Timestamp {
        jiff::Timestamp::from_second(1_800_000_000).expect("valid")
    }

    /// Two learners: one on the first task for a month, one with a hostile name and task id.
    fn cohort() -> Cohort {
        let roadmap = roadmap();
        let first = crate::core::roadmap::task_key(&roadmap.steps[0], &roadmap.steps[0].tasks[0]);
        let mut rp = RoadmapProgress::default();
        rp.set_status(
            &first,
            Status::InProgress,
            at() - jiff::SignedDuration::from_hours(24 * 30),
        );
        let build = |rp: &RoadmapProgress| {
            Snapshot::build(
                "x",
                &roadmap,
                rp,
                at(),
                &TimeZone::UTC,
                &ReviewSettings::default(),
                false,
            )
        };
        let mut hostile = build(&rp);
        hostile.totals.current = Some("s/\u{1b}[2J\u{202e}".into());
        hostile.tasks[0].id = "s/\u{1b}]0;x\u{7}".into();
        // Figures no pathway writes, from a hand-made file: they must not widen the table.
        hostile.totals.hours_left = 1e30;
        hostile.review.due_now = usize::MAX;
        summarize(
            &roadmap,
            vec![
                ("sam".into(), build(&rp)),
                ("\u{1b}[31mred\nforged".into(), hostile),
            ],
            vec![Unreadable {
                file: "bad\u{1b}.json".into(),
                reason: "not a pathway snapshot: \u{1b}[2J".into(),
            }],
            at(),
            &TimeZone::UTC,
        )
    }

    #[test]
    fn nothing_from_a_snapshot_reaches_the_terminal_raw() {
        let roadmap = roadmap();
        let cohort = cohort();
        for text in [
            text(&roadmap, &cohort, 80),
            markdown(&roadmap, &cohort),
            crate::cli::report::json_text(&to_json(&roadmap, &cohort)),
        ] {
            assert!(!text.chars().any(crate::core::text::unsafe_char), "{text}");
            assert!(!text.contains("\nforged"), "a name forged a line: {text}");
            assert!(text.contains("bad"), "{text}");
        }
    }

    #[test]
    fn the_table_fits_80_columns_and_uses_160() {
        let roadmap = roadmap();
        let cohort = cohort();
        let narrow = text(&roadmap, &cohort, 80);
        assert!(narrow.lines().all(|l| display_width(l) <= 80), "{narrow}");
        let head = |t: &str| {
            t.lines()
                .find(|l| l.starts_with("learner"))
                .map(str::to_string)
        };
        let narrow_head = head(&narrow).expect("heading");
        assert!(narrow_head.contains("done") && narrow_head.contains("verified"));
        assert!(!narrow_head.contains("forecast"), "{narrow_head}");
        let wide = text(&roadmap, &cohort, 160);
        assert!(wide.lines().all(|l| display_width(l) <= 160), "{wide}");
        let wide_head = head(&wide).expect("heading");
        for column in ["h done", "h left", "forecast", "fading", "recall", "due"] {
            assert!(wide_head.contains(column), "{column}: {wide_head}");
        }
        let sam = wide
            .lines()
            .position(|l| l.starts_with("sam"))
            .expect("sam's row");
        assert!(
            wide.lines()
                .nth(sam + 1)
                .is_some_and(|l| l.contains("! in progress 30 days")),
            "{wide}"
        );
    }
}
