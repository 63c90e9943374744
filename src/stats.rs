//! How far the learner has come and how far there is to go: completions per week, the streak of
//! active days, time spent on each step, and a forecast. Pure: time and time zone are arguments.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Value, json};

use crate::progress::{Counts, RoadmapProgress, Status};
use crate::roadmap::{Roadmap, task_key};

/// The pace behind the forecast is that of the last four weeks, or of the time since the learner
/// started if that is shorter (but at least a week, so a first busy evening does not promise the
/// moon).
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
    /// Tasks completed in the last `pace_days` days.
    pub recent: u32,
    /// The days the pace is measured over: 28, or fewer for a learner who started recently.
    pub pace_days: i64,
    pub forecast: Forecast,
    pub steps: Vec<StepTime>,
    pub review: crate::review::ReviewStats,
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
    review: &crate::review::ReviewSettings,
) -> Stats {
    let today = local(now, tz);
    let mut counts = Counts::default();
    let (mut hours_done, mut hours_left) = (0.0, 0.0);
    let mut completed: Vec<Timestamp> = Vec::new();
    let mut steps = Vec::new();
    for step in &roadmap.steps {
        let summary = rp.step_summary(step);
        counts = counts.plus(summary.counts);
        hours_done += summary.hours_done;
        hours_left += summary.hours_left;
        for task in &step.tasks {
            if let Some(item) = rp.item(&task_key(step, task))
                && item.status == Status::Done
                && let Some(at) = item.completed
            {
                completed.push(at);
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

    // Every week from the one the learner started in (or completed something in, if earlier)
    // to this one, each completion counted in its week.
    let this_week = monday(today);
    let first = completed.iter().copied().chain(rp.started).min();
    let mut weeks: Vec<(Date, u32)> = Vec::new();
    if let Some(first) = first {
        let mut week = monday(local(first, tz)).min(this_week);
        while week <= this_week {
            weeks.push((week, 0));
            week = week.saturating_add(days(7));
        }
        for at in &completed {
            let day = local(*at, tz);
            if let Some(w) = weeks.iter_mut().rev().find(|(monday, _)| *monday <= day) {
                w.1 += 1;
            }
        }
    }
    let days_since_start = first
        .map(|f| (now.duration_since(f).as_secs().max(0) + 86_399) / 86_400)
        .unwrap_or(0)
        .max(1);

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

    let pace_days = rp
        .started
        .map(|start| (now.duration_since(start).as_secs().max(0) + 86_399) / 86_400)
        .unwrap_or(PACE_DAYS)
        .clamp(MIN_PACE_DAYS, PACE_DAYS);
    let since = now - days(pace_days);
    let recent = completed
        .iter()
        .filter(|at| **at >= since && **at <= now)
        .count() as u32;
    let remaining = counts.counted().saturating_sub(counts.done);
    let total_done = completed.len() as u64;
    let forecast = if counts.counted() > 0 && remaining == 0 {
        Forecast::Finished
    } else if total_done == 0 {
        Forecast::NotEnoughHistory
    } else if recent == 0 {
        // After a break, the pace since the start still says something.
        let span = days_since_start.max(MIN_PACE_DAYS) as u64;
        let days_left = (remaining as u64 * span).div_ceil(total_done) as i64;
        Forecast::Overall(today.saturating_add(days(days_left)))
    } else {
        let days_left = (remaining as u64 * pace_days as u64).div_ceil(u64::from(recent)) as i64;
        Forecast::Around(today.saturating_add(days(days_left)))
    };

    Stats {
        counts,
        hours_done,
        hours_left,
        weeks,
        streak,
        active_days: active.len() as u32,
        last_active: active.last().copied(),
        completed: total_done as u32,
        days_since_start,
        recent,
        pace_days,
        forecast,
        steps,
        review: crate::review::stats(roadmap, rp, now, tz, review),
    }
}

/// "the last 4 weeks", or "the last 9 days" for a shorter window.
pub fn pace_window_text(pace_days: i64) -> String {
    if pace_days == PACE_DAYS {
        "the last 4 weeks".to_string()
    } else {
        format!("the last {pace_days} days")
    }
}

/// The forecast as a sentence.
pub fn forecast_text(stats: &Stats) -> String {
    match stats.forecast {
        Forecast::Finished => "Everything that counts is done: congratulations!".to_string(),
        Forecast::NotEnoughHistory => {
            "Not enough history yet: complete a task or two for a forecast.".to_string()
        }
        Forecast::Overall(date) => format!(
            "Nothing completed in {}; at your overall pace of {:.1} a week, done around {}.",
            pace_window_text(stats.pace_days),
            stats.overall_per_week(),
            crate::text::date_text(date)
        ),
        Forecast::Around(date) => format!(
            "At your pace of {}, the roadmap is done around {}.",
            pace_window_text(stats.pace_days),
            crate::text::date_text(date)
        ),
    }
}

pub fn to_json(stats: &Stats) -> Value {
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
        "forecast": { "status": status, "date": date },
        "weeks": stats.weeks.iter().map(|(monday, n)| json!({ "week": monday.to_string(), "completed": n })).collect::<Vec<_>>(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::{DayTotals, Event};

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
    fn a_single_day_of_work() {
        let mut rp = RoadmapProgress::default();
        rp.set_status("one/a", Status::Done, day(10));
        let s = stats(&rp, day(10) + SignedDuration::from_hours(2));
        assert_eq!((s.streak, s.active_days, s.recent), (1, 1, 1));
        assert_eq!((s.hours_done, s.hours_left), (2.0, 7.5));
        // Started today, so the pace is that of a week: 3 tasks left at 1 a week is 21 days.
        assert_eq!(s.pace_days, 7);
        assert_eq!(
            s.forecast,
            Forecast::Around(local(day(10), &TimeZone::UTC).saturating_add(days(21)))
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
        // Started 15 days ago, two done since: one task left that counts takes 8 days.
        assert_eq!(s.pace_days, 15);
        assert_eq!(
            s.forecast,
            Forecast::Around(local(day(15), &TimeZone::UTC).saturating_add(days(8)))
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
        // One task in 60 days; three left take 180 days at that pace.
        assert_eq!(
            s.forecast,
            Forecast::Overall(local(day(60), &TimeZone::UTC).saturating_add(days(180)))
        );
        assert_eq!(s.recent, 0);
        assert!(
            forecast_text(&s).starts_with(
                "Nothing completed in the last 4 weeks; at your overall pace of 0.1 a week"
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
    }
}
