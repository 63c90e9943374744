//! How far the learner has come and how far there is to go: completions per week, the streak of
//! active days, time spent on each step, and a forecast. Pure: time and time zone are arguments.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::core::progress::{Counts, RoadmapProgress, Status};
use crate::core::roadmap::{Roadmap, task_key};

/// The pace behind the forecast is that of four weeks, or of the time since the learner started
/// if that is shorter (but at least a week, so a first busy evening does not promise the moon).
/// Each done task's hours count spread over the days it was in progress, and the weeks end where
/// the oldest task still in progress began (at most four weeks back): days of work not done yet
/// count neither as work nor as idle days, so a long task neither empties the pace while it is
/// open nor floods it the day it is done.
pub const PACE_DAYS: i64 = 28;
const MIN_PACE_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub counts: Counts,
    pub hours_done: f64,
    pub hours_left: f64,
    /// The Monday of every week since the learner started, oldest first, and the tasks completed
    /// that week: together they account for every completion.
    pub weeks: Vec<(Date, u32)>,
    /// Beside each of `weeks`, the reviews given and the checks run that week: practice that
    /// completes no task still counts as a week's activity.
    pub practice: Vec<Practice>,
    /// Consecutive days with any change, up to today (or yesterday, if nothing happened today yet).
    pub streak: u32,
    /// Days with any change, in all.
    pub active_days: u32,
    /// The last day with any change.
    pub last_active: Option<Date>,
    /// Tasks completed in all (that are still done).
    pub completed: u32,
    /// Days since the learner started (at least one).
    pub days_since_start: i64,
    /// Tasks completed in the `pace_days` days to `pace_end`.
    pub recent: u32,
    /// The days the pace is measured over: 28, or fewer for a learner who started recently.
    pub pace_days: i64,
    /// Where those days end: now, or where the oldest task still in progress began (at most
    /// `PACE_DAYS` back), as its work is not in yet.
    pub pace_end: Timestamp,
    /// Whether `pace_end` is before now, and its day.
    pub pace_ends_early: bool,
    pub pace_end_day: Date,
    /// What the pace and the forecast are measured in: estimated hours where the roadmap gives
    /// them, tasks where it does not.
    pub basis: Basis,
    /// Work done in the `pace_days` days to `pace_end`, in the basis's unit (hours, or tasks):
    /// each done task's share of those days, its work spread over the days it was in progress.
    pub recent_work: f64,
    /// Work completed in all (of tasks still done), in the basis's unit.
    pub work_done: f64,
    /// Work left (tasks that count, not done), in the basis's unit.
    pub work_left: f64,
    pub forecast: Forecast,
    pub steps: Vec<StepTime>,
    pub review: crate::core::review::ReviewStats,
}

/// A week's reviews and checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Practice {
    pub reviews: u32,
    pub checks: u32,
}

impl Practice {
    pub fn total(self) -> u32 {
        self.reviews + self.checks
    }
}

/// What the pace and the forecast count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Basis {
    /// Every task that counts has an estimate: estimated hours done and left.
    Hours,
    /// No task has one: tasks done and left.
    Tasks,
    /// Hours, with each of `unestimated` tasks counted as `average` hours, the mean of the
    /// estimates the roadmap gives.
    Mixed { unestimated: usize, average: f64 },
}

impl Basis {
    /// Whether the figures are hours (else tasks).
    fn in_hours(self) -> bool {
        !matches!(self, Basis::Tasks)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forecast {
    /// Every task that counts is done.
    Finished,
    /// Nothing completed yet: no pace to go by.
    NotEnoughHistory,
    /// At the pace of the last four weeks, the last task is done around this day.
    Around(Date),
    /// Nothing was completed in the last four weeks; at the pace since the start, the last task
    /// is done around this day.
    Overall(Date),
}

/// How long a step has been (or was) in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepTime {
    pub id: String,
    pub title: String,
    /// Days from the first task started to the last completed (or to today); `None` if not begun.
    pub days: Option<i64>,
    pub done: bool,
}

impl Stats {
    /// Tasks a week over the pace window.
    pub fn pace_per_week(&self) -> f64 {
        f64::from(self.recent) * 7.0 / self.pace_days as f64
    }

    /// Tasks a week since the start (counting at least a week).
    pub fn overall_per_week(&self) -> f64 {
        f64::from(self.completed) * 7.0 / self.days_since_start.max(MIN_PACE_DAYS) as f64
    }

    /// Work a week over the pace window, in the basis's unit (hours, or tasks).
    pub fn work_per_week(&self) -> f64 {
        self.recent_work * 7.0 / self.pace_days as f64
    }

    /// Work a week since the start (counting at least a week), in the basis's unit.
    pub fn overall_work_per_week(&self) -> f64 {
        self.work_done * 7.0 / self.days_since_start.max(MIN_PACE_DAYS) as f64
    }

    /// An amount of work as it reads: "12 h", or "3 tasks".
    pub fn work_text(&self, work: f64) -> String {
        if self.basis.in_hours() {
            format!("{} h", crate::core::text::hours_text(work))
        } else {
            crate::core::text::count(work.round() as usize, "task")
        }
    }

    /// The days the pace is measured over, as they read: "the last 4 weeks", "the 9 days to
    /// 3 Dec".
    pub fn window_text(&self) -> String {
        if !self.pace_ends_early {
            return pace_window_text(self.pace_days);
        }
        let span = if self.pace_days == PACE_DAYS {
            "4 weeks".to_string()
        } else {
            format!("{} days", self.pace_days)
        };
        format!(
            "the {span} to {}",
            crate::core::text::day(self.pace_end_day)
        )
    }

    /// What the pace is based on, in one line for the progress view.
    pub fn pace_basis_text(&self) -> String {
        let what = if self.basis.in_hours() {
            "each done task's hours"
        } else {
            "each done task"
        };
        let end = if self.pace_ends_early {
            ", to when the oldest open task began"
        } else {
            ""
        };
        format!("Based on {what}, spread over the days it was in progress{end}.")
    }

    /// The pace as a sentence's part: "9 h (2 tasks) in the last 9 days, 7 h a week".
    pub fn pace_text(&self) -> String {
        let window = self.window_text();
        if self.basis.in_hours() {
            format!(
                "{} ({}) in {window}, {} a week",
                self.work_text(self.recent_work),
                crate::core::text::count(self.recent as usize, "task"),
                self.work_text(self.work_per_week())
            )
        } else {
            format!(
                "{} in {window}, {:.1} a week",
                crate::core::text::count(self.recent as usize, "task"),
                self.work_per_week()
            )
        }
    }

    /// What the figures count, when it is not plain hours: said beside the forecast.
    pub fn basis_note(&self) -> Option<String> {
        match self.basis {
            Basis::Hours => None,
            Basis::Tasks => {
                Some("This roadmap gives no estimates of hours, so tasks are counted.".to_string())
            }
            Basis::Mixed {
                unestimated,
                average,
            } => Some(format!(
                "{} without an estimate {} as {} h{}, the average of the others.",
                crate::core::text::count(unestimated, "task"),
                if unestimated == 1 { "counts" } else { "count" },
                crate::core::text::hours_text(average),
                if unestimated == 1 { "" } else { " each" }
            )),
        }
    }

    /// The reviews and checks of the weeks `last_weeks(n)` gives.
    pub fn last_practice(&self, n: usize) -> &[Practice] {
        &self.practice[self.practice.len().saturating_sub(n)..]
    }

    /// The last `n` weeks of the chart, and how many completions came before them.
    pub fn last_weeks(&self, n: usize) -> (&[(Date, u32)], u32) {
        let from = self.weeks.len().saturating_sub(n);
        let earlier = self.weeks[..from].iter().map(|w| w.1).sum();
        (&self.weeks[from..], earlier)
    }
}

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

fn local(at: Timestamp, tz: &TimeZone) -> Date {
    at.to_zoned_datetime(tz.clone()).date()
}

fn monday(date: Date) -> Date {
    date.saturating_sub(days(i64::from(date.weekday().to_monday_zero_offset())))
}

pub fn compute(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    now: Timestamp,
    tz: &TimeZone,
    review: &crate::core::review::ReviewSettings,
) -> Stats {
    let today = local(now, tz);
    let Tally {
        counts,
        hours_done,
        hours_left,
        completed,
        steps,
        done_work,
        left_work,
        open,
    } = tally(roadmap, rp, now);
    let basis = basis_of(roadmap, rp, &done_work, &left_work);
    let weight = |hours: Option<f64>| match basis {
        Basis::Tasks => 1.0,
        Basis::Hours => hours.unwrap_or(0.0),
        Basis::Mixed { average, .. } => hours.unwrap_or(average),
    };

    let first = completed.iter().copied().chain(rp.started).min();
    let weeks = weekly_completions(first, &completed, today, tz);
    let practice = weekly_practice(rp, &weeks, tz);
    let days_since_start = first
        .map(|f| (now.duration_since(f).as_secs().max(0) + 86_399) / 86_400)
        .unwrap_or(0)
        .max(1);

    let (active, streak) = active_days(rp, today, tz);

    let (pace_end, pace_days) = pace_window(rp.started, &open, now);
    let since = pace_end - days(pace_days);
    let recent = completed
        .iter()
        .filter(|at| **at >= since && **at <= pace_end)
        .count() as u32;
    let recent_work: f64 = done_work
        .iter()
        .map(|(from, to, h)| weight(*h) * share_within(*from, *to, since, pace_end))
        .sum();
    let work_done: f64 = done_work.iter().map(|(_, _, h)| weight(*h)).sum();
    let work_left: f64 = left_work.iter().map(|h| weight(*h)).sum();
    let remaining = counts.counted().saturating_sub(counts.done);
    // Days to do `work_left` at `per` done in `over` days.
    let days_left = |per: f64, over: i64| (work_left * over as f64 / per).ceil().min(1e6) as i64;
    let forecast = if counts.counted() > 0 && remaining == 0 {
        Forecast::Finished
    } else if work_done <= 0.0 {
        Forecast::NotEnoughHistory
    } else if recent_work <= 0.0 {
        // After a break, the pace since the start still says something.
        let span = days_since_start.max(MIN_PACE_DAYS);
        Forecast::Overall(today.saturating_add(days(days_left(work_done, span))))
    } else {
        Forecast::Around(today.saturating_add(days(days_left(recent_work, pace_days))))
    };

    Stats {
        counts,
        hours_done,
        hours_left,
        weeks,
        practice,
        streak,
        active_days: active.len() as u32,
        last_active: active.last().copied(),
        completed: completed.len() as u32,
        days_since_start,
        recent,
        pace_days,
        pace_end,
        pace_ends_early: pace_end < now,
        pace_end_day: local(pace_end, tz),
        basis,
        recent_work,
        work_done,
        work_left,
        forecast,
        steps,
        review: crate::core::review::stats(roadmap, rp, now, tz, review),
    }
}

/// The days the pace is measured over: where they end (now, or where the oldest task still in
/// progress began, at most `PACE_DAYS` back), and how many (`PACE_DAYS`, or the days since the
/// learner started, but at least `MIN_PACE_DAYS`).
/// What the roadmap's tasks add up to, step by step, and the spans of work they give the pace.
#[derive(Default)]
struct Tally {
    counts: Counts,
    hours_done: f64,
    hours_left: f64,
    completed: Vec<Timestamp>,
    steps: Vec<StepTime>,
    /// The tasks that count (not skipped) and are done: when they were in progress, and their
    /// estimates.
    done_work: Vec<(Timestamp, Timestamp, Option<f64>)>,
    /// The estimates of the tasks that count and are left.
    left_work: Vec<Option<f64>>,
    /// When each task in progress began.
    open: Vec<Timestamp>,
}

fn tally(roadmap: &Roadmap, rp: &RoadmapProgress, now: Timestamp) -> Tally {
    let mut counts = Counts::default();
    let (mut hours_done, mut hours_left) = (0.0, 0.0);
    let mut completed: Vec<Timestamp> = Vec::new();
    let mut steps = Vec::new();
    // The tasks that count (not skipped): done, with when they were in progress, or left; with
    // their estimates. And when each task in progress began.
    let mut done_work: Vec<(Timestamp, Timestamp, Option<f64>)> = Vec::new();
    let mut left_work: Vec<Option<f64>> = Vec::new();
    let mut open: Vec<Timestamp> = Vec::new();
    for step in &roadmap.steps {
        let summary = rp.step_summary(step);
        counts = counts.plus(summary.counts);
        hours_done += summary.hours_done;
        hours_left += summary.hours_left;
        for task in &step.tasks {
            let item = rp.item(&task_key(step, task));
            match item.map_or(Status::Todo, |i| i.status) {
                Status::Done => {
                    if let Some(at) = item.and_then(|i| i.completed) {
                        completed.push(at);
                        let from = item.and_then(|i| i.started).filter(|s| *s < at);
                        done_work.push((from.unwrap_or(at), at, task.hours));
                    }
                }
                status if task.counts_with(status) => {
                    left_work.push(task.hours);
                    if status == Status::InProgress {
                        open.extend(item.and_then(|i| i.started));
                    }
                }
                _ => {}
            }
        }
        let done = summary.counts.status() == Status::Done;
        let days = summary.started.map(|start| {
            let end = summary.completed.filter(|_| done).unwrap_or(now);
            let seconds = end.duration_since(start).as_secs().max(0);
            (seconds + 86_399) / 86_400
        });
        steps.push(StepTime {
            id: step.id.to_string(),
            title: step.title.to_string(),
            days: days.map(|d| d.max(1)),
            done,
        });
    }
    Tally {
        counts,
        hours_done,
        hours_left,
        completed,
        steps,
        done_work,
        left_work,
        open,
    }
}

/// What the figures count: hours where the roadmap gives them; a task without an estimate counts
/// as the average one, of the tasks but the stretch ones waiting, which must not move the
/// forecast either.
fn basis_of(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    done_work: &[(Timestamp, Timestamp, Option<f64>)],
    left_work: &[Option<f64>],
) -> Basis {
    let estimates: Vec<f64> = roadmap
        .steps
        .iter()
        .flat_map(|s| {
            s.tasks
                .iter()
                .filter(move |t| !t.is_stretch() || rp.status(&task_key(s, t)) != Status::Todo)
        })
        .filter_map(|t| t.hours)
        .collect();
    let unestimated = done_work.iter().filter(|(_, _, h)| h.is_none()).count()
        + left_work.iter().filter(|h| h.is_none()).count();
    if estimates.is_empty() {
        Basis::Tasks
    } else if unestimated == 0 {
        Basis::Hours
    } else {
        Basis::Mixed {
            unestimated,
            average: estimates.iter().sum::<f64>() / estimates.len() as f64,
        }
    }
}

/// The days with any activity (history and daily counts), and the streak of them up to today
/// (or yesterday, while today is young).
fn active_days(rp: &RoadmapProgress, today: Date, tz: &TimeZone) -> (BTreeSet<Date>, u32) {
    let mut active: BTreeSet<Date> = rp.history.iter().map(|e| local(e.at, tz)).collect();
    active.extend(rp.daily.keys().filter_map(|d| d.parse::<Date>().ok()));
    let mut day = if active.contains(&today) {
        today
    } else {
        today.saturating_sub(days(1))
    };
    let mut streak = 0;
    while active.contains(&day) {
        streak += 1;
        day = day.saturating_sub(days(1));
    }
    (active, streak)
}

fn pace_window(started: Option<Timestamp>, open: &[Timestamp], now: Timestamp) -> (Timestamp, i64) {
    let end = open
        .iter()
        .copied()
        .min()
        .map_or(now, |oldest| oldest.clamp(now - days(PACE_DAYS), now));
    let length = started
        .map(|start| (end.duration_since(start).as_secs().max(0) + 86_399) / 86_400)
        .unwrap_or(PACE_DAYS)
        .clamp(MIN_PACE_DAYS, PACE_DAYS);
    (end, length)
}

/// Every week from the one the learner started in (or completed something in, if earlier) to
/// this one, each completion counted in its week.
fn weekly_completions(
    first: Option<Timestamp>,
    completed: &[Timestamp],
    today: Date,
    tz: &TimeZone,
) -> Vec<(Date, u32)> {
    let this_week = monday(today);
    let mut weeks: Vec<(Date, u32)> = Vec::new();
    if let Some(first) = first {
        let mut week = monday(local(first, tz)).min(this_week);
        while week <= this_week {
            weeks.push((week, 0));
            week = week.saturating_add(days(7));
        }
        for at in completed {
            let day = local(*at, tz);
            if let Some(w) = weeks.iter_mut().rev().find(|(monday, _)| *monday <= day) {
                w.1 += 1;
            }
        }
    }
    weeks
}

/// The reviews and checks of each week in `weeks`, from the change log (a review undone no
/// longer counts). Days compacted into daily totals (over a year old) keep no such detail.
fn weekly_practice(rp: &RoadmapProgress, weeks: &[(Date, u32)], tz: &TimeZone) -> Vec<Practice> {
    use crate::core::history::Change;
    let mut practice = vec![Practice::default(); weeks.len()];
    for event in &rp.history {
        let day = local(event.at, tz);
        let Some(w) = weeks.iter().rposition(|(monday, _)| *monday <= day) else {
            continue;
        };
        let p = &mut practice[w];
        match event.change {
            Change::Review(_) => p.reviews += 1,
            Change::ReviewUndone(_) => p.reviews = p.reviews.saturating_sub(1),
            Change::Checked(_) => p.checks += 1,
            _ => {}
        }
    }
    practice
}

/// The share of the time from `from` to `to` (a task in progress) that falls between `since`
/// and `until`; a task done the moment it began is all at that moment.
fn share_within(from: Timestamp, to: Timestamp, since: Timestamp, until: Timestamp) -> f64 {
    if to <= from {
        return if to >= since && to <= until { 1.0 } else { 0.0 };
    }
    let overlap = to.min(until).duration_since(from.max(since)).as_secs_f64();
    (overlap / to.duration_since(from).as_secs_f64()).clamp(0.0, 1.0)
}

/// "the last 4 weeks", or "the last 9 days" for a shorter window.
pub fn pace_window_text(pace_days: i64) -> String {
    if pace_days == PACE_DAYS {
        "the last 4 weeks".to_string()
    } else {
        format!("the last {pace_days} days")
    }
}

/// The forecast as a sentence, in hours where the roadmap gives them, saying what it counts
/// when it is not plain hours.
pub fn forecast_text(stats: &Stats) -> String {
    let left = stats.work_text(stats.work_left);
    let mut text = match stats.forecast {
        Forecast::Finished => {
            return "Everything that counts is done: congratulations!".to_string();
        }
        Forecast::NotEnoughHistory => {
            return "Not enough history yet: complete a task or two for a forecast.".to_string();
        }
        Forecast::Overall(date) => format!(
            "Nothing completed in {}; at your overall pace of {} a week, the {left} left are \
             done around {}.",
            stats.window_text(),
            stats.work_text(stats.overall_work_per_week()),
            crate::core::text::day(date)
        ),
        Forecast::Around(date) => format!(
            "At your pace of {} a week over {}, the {left} left are done around {}.",
            stats.work_text(stats.work_per_week()),
            stats.window_text(),
            crate::core::text::day(date)
        ),
    };
    if let Some(note) = stats.basis_note() {
        text.push(' ');
        text.push_str(&note);
    }
    text
}

pub fn to_json(stats: &Stats) -> Value {
    let basis = match stats.basis {
        Basis::Hours => json!({ "unit": "hours" }),
        Basis::Tasks => json!({ "unit": "tasks" }),
        Basis::Mixed {
            unestimated,
            average,
        } => json!({
            "unit": "hours",
            "unestimated_tasks": unestimated,
            "hours_each": (average * 10.0).round() / 10.0,
        }),
    };
    let round = |x: f64| (x * 10.0).round() / 10.0;
    let (status, date) = match stats.forecast {
        Forecast::Finished => ("finished", None),
        Forecast::NotEnoughHistory => ("not-enough-history", None),
        Forecast::Around(d) => ("estimate", Some(d.to_string())),
        Forecast::Overall(d) => ("estimate-overall", Some(d.to_string())),
    };
    json!({
        "counts": {
            "done": stats.counts.done,
            "in_progress": stats.counts.in_progress,
            "skipped": stats.counts.skipped,
            "counted": stats.counts.counted(),
            "total": stats.counts.total,
            "percent": stats.counts.percent(),
            "stretch": stats.counts.stretch,
            "stretch_waiting": stats.counts.stretch_waiting,
        },
        "hours": { "done": stats.hours_done, "left": stats.hours_left },
        "streak_days": stats.streak,
        "active_days": stats.active_days,
        "last_active": stats.last_active.map(|d| d.to_string()),
        "completed": stats.completed,
        "overall_per_week": (stats.overall_per_week() * 10.0).round() / 10.0,
        "pace_days": stats.pace_days,
        "completed_in_pace_days": stats.recent,
        "pace_per_week": (stats.pace_per_week() * 10.0).round() / 10.0,
        "work": {
            "basis": basis,
            "done_in_pace_days": round(stats.recent_work),
            "per_week": round(stats.work_per_week()),
            "overall_per_week": round(stats.overall_work_per_week()),
            "left": round(stats.work_left),
            "pace_ends": stats.pace_end_day.to_string(),
        },
        "forecast": { "status": status, "date": date },
        "weeks": stats.weeks.iter().zip(&stats.practice).map(|((monday, n), p)| json!({ "week": monday.to_string(), "completed": n, "reviews": p.reviews, "checks": p.checks })).collect::<Vec<_>>(),
        "steps": stats.steps.iter().map(|s| json!({ "id": s.id, "days_in_progress": s.days, "done": s.done })).collect::<Vec<_>>(),
        "review": {
            "due_now": stats.review.due_now,
            "due_next_14_days": stats.review.next_days,
            "fading_per_step": stats.review.fading,
            "reviewed_last_30_days": stats.review.reviewed_30d,
            "remembered_last_30_days": stats.review.remembered_30d,
            "remembered_share": stats.review.remembered_share(),
        },
    })
}

/// What the weekly chart shows: every week since the start, or the last few and what came
/// before; the fullest wording that fits in `width` cells, shortened whole, never cut mid-word.
pub fn weeks_caption(shown: usize, all: usize, earlier: u32, width: usize) -> String {
    let forms: Vec<String> = if all == 0 {
        vec![
            "Tasks done per week: none yet".to_string(),
            "Per week: none yet".to_string(),
        ]
    } else if shown == all {
        vec![
            "Tasks done, then reviews and checks, per week since you started".to_string(),
            "Tasks done, then reviews and checks, per week".to_string(),
            "Done, then reviews and checks".to_string(),
            "Per week".to_string(),
        ]
    } else {
        let last = format!("last {shown} of {all} weeks");
        vec![
            format!("Tasks done, then reviews and checks, per week: {last}, {earlier} done before"),
            format!("Done, then reviews and checks: {last}, {earlier} done before"),
            format!("Per week: {last}, {earlier} done before"),
            format!("Per week: {last}, {earlier} before"),
            format!("Last {shown} of {all} weeks"),
            format!("{shown} of {all} weeks"),
        ]
    };
    forms
        .iter()
        .find(|f| crate::core::text::display_width(f) <= width)
        .or(forms.last())
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::history::{DayTotals, Event};

    const ROADMAP: &str = "\
id: r
title: R
steps:
  - id: one
    title: One
    tasks:
      - {id: a, title: A, hours: 2}
      - {id: b, title: B, hours: 3.5}
      - {id: c, title: C}
  - id: two
    title: Two
    tasks:
      - {id: d, title: D, hours: 4}
";

    fn roadmap() -> Roadmap {
        Roadmap::parse(ROADMAP, "r.yaml").expect("valid")
    }

    /// Noon UTC on day `n` after 2026-01-05 (a Monday).
    fn day(n: i64) -> Timestamp {
        "2026-01-05T12:00:00Z".parse::<Timestamp>().expect("valid") + days(n)
    }

    fn stats(rp: &RoadmapProgress, now: Timestamp) -> Stats {
        compute(&roadmap(), rp, now, &TimeZone::UTC, &Default::default())
    }

    #[test]
    fn no_history_at_all() {
        let s = stats(&RoadmapProgress::default(), day(0));
        assert_eq!((s.streak, s.active_days, s.recent), (0, 0, 0));
        assert_eq!(s.forecast, Forecast::NotEnoughHistory);
        assert_eq!(s.weeks.iter().map(|w| w.1).sum::<u32>(), 0);
        assert_eq!(
            (s.hours_done, s.hours_left),
            (0.0, 9.5),
            "a task without hours adds nothing"
        );
        assert!(s.steps.iter().all(|st| st.days.is_none()));
    }

    #[test]
    fn a_stretch_task_weighs_on_the_forecast_only_once_started() {
        let text = ROADMAP.replace(
            "{id: d, title: D, hours: 4}",
            "{id: d, title: D, hours: 4}\n      - {id: e, title: E, hours: 100, level: stretch, why_later: Later.}",
        );
        let roadmap = Roadmap::parse(&text, "r.yaml").expect("valid");
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(10));
        let now = day(10) + SignedDuration::from_hours(2);
        let s = compute(&roadmap, &rp, now, &TimeZone::UTC, &Default::default());
        let without = stats(&rp, now);
        assert_eq!(
            (s.hours_left, s.work_left, s.forecast, s.counts.percent()),
            (
                without.hours_left,
                without.work_left,
                without.forecast,
                without.counts.percent()
            ),
            "waiting, e changes nothing"
        );
        rp.set_status("two/e", Status::InProgress, day(10));
        let s = compute(&roadmap, &rp, now, &TimeZone::UTC, &Default::default());
        assert_eq!(s.hours_left, 107.5, "started, its 100 h count");
        let (Forecast::Around(with_e), Forecast::Around(without_e)) =
            (s.forecast, without.forecast)
        else {
            panic!("forecasts: {:?} {:?}", s.forecast, without.forecast);
        };
        assert!(with_e > without_e, "and the forecast moves out");
    }

    #[test]
    fn a_single_day_of_work() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(10));
        let s = stats(&rp, day(10) + SignedDuration::from_hours(2));
        assert_eq!((s.streak, s.active_days, s.recent), (1, 1, 1));
        assert_eq!((s.hours_done, s.hours_left), (2.0, 7.5));
        // Started today, so the pace is that of a week: 2 h a week. Left: 3.5 h and 4 h, and
        // a task without an estimate counted as the average one, (2 + 3.5 + 4) / 3 h; 10.67 h
        // at 2 h a week is 38 days.
        assert_eq!(s.pace_days, 7);
        assert_eq!(
            s.forecast,
            Forecast::Around(local(day(10), &TimeZone::UTC).saturating_add(days(38)))
        );
        assert_eq!(s.steps[0].days, Some(1));
        assert!(!s.steps[0].done);
    }

    #[test]
    fn streaks_count_back_from_today_or_yesterday_and_stop_at_a_gap() {
        let mut rp = RoadmapProgress::default();
        for n in [1, 2, 4, 5, 6] {
            rp.log(Event::note(day(n), "one", None));
        }
        assert_eq!(
            stats(&rp, day(6)).streak,
            3,
            "today and the two days before"
        );
        assert_eq!(
            stats(&rp, day(7)).streak,
            3,
            "nothing yet today: the streak holds until tomorrow"
        );
        assert_eq!(stats(&rp, day(8)).streak, 0, "a day missed ends it");
        assert_eq!(stats(&rp, day(8)).active_days, 5);
        // Compacted days count as active too.
        rp.daily.insert(
            "2026-01-08".into(),
            DayTotals {
                changes: 1,
                done: 0,
            },
        );
        assert_eq!(stats(&rp, day(4)).active_days, 6);
    }

    #[test]
    fn completions_are_counted_by_week_and_the_forecast_follows_the_pace() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(0));
        rp.set_status("one/b", Status::Done, day(8));
        rp.set_status("one/c", Status::Skipped, day(9));
        let s = stats(&rp, day(15));
        let counts: Vec<u32> = s.weeks.iter().map(|w| w.1).collect();
        assert_eq!(
            counts,
            [1, 1, 0],
            "the weeks of 5, 12 and 19 Jan: from the start, no week before it"
        );
        assert_eq!(s.weeks[0].0.to_string(), "2026-01-05");
        assert_eq!(s.weeks[2].0.to_string(), "2026-01-19");
        assert_eq!(s.recent, 2);
        // Started 15 days ago, 5.5 h done since: the 4 h left take 11 days. (The task without
        // an estimate is skipped: every task that counts has one.)
        assert_eq!(s.pace_days, 15);
        assert_eq!(s.basis, Basis::Hours);
        assert_eq!(
            s.forecast,
            Forecast::Around(local(day(15), &TimeZone::UTC).saturating_add(days(11)))
        );
        assert!(s.steps[0].done, "done but for the skipped task");
        assert_eq!(
            s.steps[0].days,
            Some(8),
            "from its first start to its last completion"
        );
        assert_eq!(s.steps[1].days, None);
        assert!((s.pace_per_week() - 2.0 * 7.0 / 15.0).abs() < 1e-9);
    }

    #[test]
    fn after_a_break_the_forecast_uses_the_overall_pace_and_finishing_is_said() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(0));
        let s = stats(&rp, day(60));
        // 2 h in 60 days; the 10.67 h left take 320 days at that pace.
        assert_eq!(
            s.forecast,
            Forecast::Overall(local(day(60), &TimeZone::UTC).saturating_add(days(320)))
        );
        assert_eq!(s.recent, 0);
        assert!(
            forecast_text(&s).starts_with(
                "Nothing completed in the last 4 weeks; at your overall pace of 0.2 h a week, \
                 the 11 h left are done around"
            ),
            "{}",
            forecast_text(&s)
        );
        assert_eq!(s.last_active, Some(local(day(0), &TimeZone::UTC)));
        assert_eq!(s.streak, 0);
        for key in ["one/b", "one/c", "two/d"] {
            rp.set_status(key, Status::Done, day(61));
        }
        assert_eq!(stats(&rp, day(62)).forecast, Forecast::Finished);
    }

    #[test]
    fn the_weeks_account_for_every_completion_and_start_with_the_learner() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(0));
        rp.set_status("one/b", Status::Done, day(70));
        rp.set_status("two/d", Status::Done, day(71));
        let s = stats(&rp, day(72));
        assert_eq!(
            s.weeks.first().map(|w| w.0),
            Some(monday(local(day(0), &TimeZone::UTC)))
        );
        assert_eq!(s.weeks.iter().map(|w| w.1).sum::<u32>(), 3);
        let (shown, earlier) = s.last_weeks(4);
        assert_eq!(shown.len(), 4);
        assert_eq!(shown.iter().map(|w| w.1).sum::<u32>() + earlier, 3);
        assert_eq!(earlier, 1);
        let today = stats(&RoadmapProgress::default(), day(3));
        assert!(
            today.weeks.is_empty(),
            "no weeks before the learner started"
        );
    }

    #[test]
    fn the_forecast_weighs_tasks_by_their_hours() {
        let text = "id: r\ntitle: R\nsteps:\n  - id: s\n    title: S\n    tasks:\n      \
                    - {id: small, title: Small, hours: 1}\n      \
                    - {id: tiny, title: Tiny, hours: 1}\n      \
                    - {id: big, title: Big, hours: 40}\n      \
                    - {id: huge, title: Huge, hours: 60}\n";
        let roadmap = Roadmap::parse(text, "r.yaml").expect("valid");
        let mut rp = RoadmapProgress::default();
        rp.set_status("s/small", Status::Done, day(0));
        rp.set_status("s/tiny", Status::Done, day(0));
        let s = compute(&roadmap, &rp, day(0), &TimeZone::UTC, &Default::default());
        // Two small tasks in a first evening: 2 h a week, so the 100 h left take 50 weeks,
        // not the one week that counting tasks (2 done, 2 left) would promise.
        assert_eq!(s.basis, Basis::Hours);
        assert_eq!(
            s.forecast,
            Forecast::Around(local(day(0), &TimeZone::UTC).saturating_add(days(350)))
        );
        let said = forecast_text(&s);
        assert!(
            said.starts_with("At your pace of 2 h a week over the last 7 days, the 100 h left"),
            "{said}"
        );
        assert!(s.basis_note().is_none());
        assert_eq!(
            s.pace_text(),
            "2 h (2 tasks) in the last 7 days, 2 h a week"
        );
    }

    #[test]
    fn tasks_without_an_estimate_are_counted_and_that_is_said() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(1));
        let s = stats(&rp, day(2));
        assert!(matches!(s.basis, Basis::Mixed { unestimated: 1, .. }));
        assert!(
            forecast_text(&s).ends_with(
                "1 task without an estimate counts as 3.2 h, the average of the others."
            ),
            "{}",
            forecast_text(&s)
        );
        // A roadmap with no estimates at all forecasts in tasks, and says so.
        let text = "id: r\ntitle: R\nsteps:\n  - id: s\n    title: S\n    tasks:\n      \
                    - {id: a, title: A}\n      - {id: b, title: B}\n";
        let roadmap = Roadmap::parse(text, "r.yaml").expect("valid");
        let mut rp = RoadmapProgress::default();
        rp.set_status("s/a", Status::Done, day(0));
        let s = compute(&roadmap, &rp, day(0), &TimeZone::UTC, &Default::default());
        assert_eq!(s.basis, Basis::Tasks);
        let said = forecast_text(&s);
        assert!(said.contains("the 1 task left"), "{said}");
        assert!(said.ends_with("so tasks are counted."), "{said}");
        assert_eq!(s.pace_text(), "1 task in the last 7 days, 1.0 a week");
    }

    /// Noon UTC on day `n`, for fractions of days: `day` at a time of day.
    fn at_days(n: f64) -> Timestamp {
        day(0) + SignedDuration::from_secs_f64(n * 86_400.0)
    }

    /// Days from today to the forecast day, when there is one.
    fn days_ahead(s: &Stats, now: Timestamp) -> Option<i64> {
        let today = local(now, &TimeZone::UTC);
        match s.forecast {
            Forecast::Around(d) | Forecast::Overall(d) => Some((d - today).get_days().into()),
            _ => None,
        }
    }

    #[test]
    fn a_steady_learners_forecast_moves_less_than_twice_week_to_week() {
        // Twelve hours a week, every day, one task after another through the shipped roadmap's
        // core tasks (3 h to 50 h each), on a fixed clock: sampled every week for 30 weeks.
        let roadmap = Roadmap::embedded().expect("valid");
        let per_day = 12.0 / 7.0;
        let mut plan = Vec::new();
        let mut t = 0.0;
        for step in &roadmap.steps {
            for task in step.tasks.iter().filter(|t| !t.is_stretch()) {
                let hours = task.hours.unwrap_or(10.0);
                plan.push((task_key(step, task), t, t + hours / per_day));
                t += hours / per_day;
            }
        }
        let mut rp = RoadmapProgress::default();
        let mut last: Option<i64> = None;
        let mut paces = Vec::new();
        for week in 1..=30 {
            let now = at_days(7.0 * f64::from(week));
            for (key, from, to) in &plan {
                if at_days(*from) <= now && rp.status(key) == Status::Todo {
                    rp.set_status(key, Status::InProgress, at_days(*from));
                }
                if at_days(*to) <= now && rp.status(key) != Status::Done {
                    rp.set_status(key, Status::Done, at_days(*to));
                }
            }
            let s = compute(&roadmap, &rp, now, &TimeZone::UTC, &Default::default());
            let ahead = days_ahead(&s, now).expect("a forecast every week");
            if let Some(before) = last {
                let ratio = ahead.max(1) as f64 / before.max(1) as f64;
                assert!(
                    (0.5..=2.0).contains(&ratio),
                    "week {week}: {before} days ahead, then {ahead}: {}",
                    s.pace_text()
                );
            }
            last = Some(ahead);
            paces.push(s.work_per_week());
        }
        // After the first weeks, the pace is the learner's twelve hours, give or take a third.
        for (week, pace) in paces.iter().enumerate().skip(3) {
            assert!(
                (8.0..=16.0).contains(pace),
                "week {}: {pace} h a week",
                week + 1
            );
        }
    }

    #[test]
    fn a_tasks_hours_count_over_the_days_it_was_in_progress() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("two/d", Status::InProgress, day(0));
        rp.set_status("two/d", Status::Done, day(20));
        // The 28 days to day 30 hold 18 of the 20 days d was in progress: 90% of its 4 h.
        let s = stats(&rp, day(30));
        assert!((s.recent_work - 3.6).abs() < 1e-9, "{}", s.recent_work);
        assert!(!s.pace_ends_early);
        assert_eq!(
            s.pace_basis_text(),
            "Based on each done task's hours, spread over the days it was in progress."
        );
    }

    #[test]
    fn a_task_still_in_progress_ends_the_pace_where_it_began() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(0));
        rp.set_status("one/b", Status::Done, day(9));
        rp.set_status("two/d", Status::InProgress, day(10));
        let s = stats(&rp, day(15));
        // Its five days so far are neither work nor idleness: the pace is that of days 0 to 10.
        assert!(s.pace_ends_early);
        assert_eq!(s.pace_days, 10);
        assert_eq!(s.recent_work, 5.5);
        assert_eq!(
            s.pace_text(),
            "5.5 h (2 tasks) in the 10 days to 15 Jan 2026, 3.9 h a week"
        );
        assert!(
            s.pace_basis_text()
                .ends_with(", to when the oldest open task began."),
            "{}",
            s.pace_basis_text()
        );
        // A task left in progress for months holds the window back four weeks at most.
        let s = stats(&rp, day(100));
        assert_eq!(s.pace_end, day(72));
    }

    #[test]
    fn reviews_and_checks_count_as_a_weeks_activity_and_in_the_streak() {
        use crate::core::history::Change;
        use crate::core::status::Rating;
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(0));
        let event = |at, change| Event {
            at,
            item: "one/a".into(),
            change,
        };
        rp.log(event(day(8), Change::Review(Rating::Good)));
        rp.log(event(day(9), Change::Checked(true)));
        rp.log(event(day(9), Change::Review(Rating::Again)));
        rp.log(event(day(9), Change::ReviewUndone(Rating::Again)));
        let s = stats(&rp, day(9));
        assert_eq!(s.streak, 2, "a review and a check are days of work");
        assert_eq!(s.weeks.iter().map(|w| w.1).collect::<Vec<_>>(), [1, 0]);
        assert_eq!(
            s.practice,
            [
                Practice::default(),
                Practice {
                    reviews: 1,
                    checks: 1
                }
            ],
            "the review undone no longer counts"
        );
        let json = to_json(&s);
        assert_eq!(json["weeks"][1]["reviews"], 1);
        assert_eq!(json["weeks"][1]["checks"], 1);
    }

    #[test]
    fn json_has_the_documented_fields() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(1));
        let json = to_json(&stats(&rp, day(2)));
        for field in [
            "counts",
            "hours",
            "streak_days",
            "active_days",
            "pace_per_week",
            "forecast",
            "weeks",
            "steps",
            "review",
        ] {
            assert!(json.get(field).is_some(), "{field}");
        }
        assert_eq!(json["forecast"]["status"], "estimate");
        assert_eq!(json["hours"]["done"], 2.0);
        assert_eq!(json["work"]["basis"]["unit"], "hours");
        assert_eq!(json["work"]["basis"]["unestimated_tasks"], 1);
        assert_eq!(json["work"]["done_in_pace_days"], 2.0);
    }
}
