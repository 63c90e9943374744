//! The mentor's side: a snapshot read from its text (or why it cannot be), and every snapshot
//! of the cohort summed up: a row per learner with its flags, sorted by who needs attention
//! first, then per task how many did and verified it, and the cards forgotten most.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Deserialize;

use super::{AGAIN_MIN_REVIEWS, AGAIN_SHARE, FORMAT, REPEATED_FAILURES, STALL_DAYS, Snapshot};
use crate::core::progress::Status;
use crate::core::roadmap::{Roadmap, task_key};

/// A file of the cohort's folder that is not shown as a learner, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The file's name, as the folder gives it (it is data: escape it to print it).
    pub file: String,
    pub reason: String,
}

/// The part of a snapshot read first: a newer layout or another roadmap is said as such, not as
/// whatever field the rest of the file lacks.
#[derive(Deserialize)]
struct Header {
    format: Option<u32>,
    roadmap: Option<HeaderRoadmap>,
}

#[derive(Deserialize)]
struct HeaderRoadmap {
    id: String,
}

/// A snapshot from its file's text, if it is one of this format for `roadmap_id`; else the
/// reason, in a few words.
pub fn parse(text: &str, roadmap_id: &str) -> Result<Snapshot, String> {
    let header: Header =
        serde_json::from_str(text).map_err(|e| format!("not a pathway snapshot: {e}"))?;
    match header.format {
        None => return Err("not a pathway snapshot: it has no format number".into()),
        Some(n) if n > FORMAT => {
            return Err(format!(
                "written by a newer pathway (snapshot format {n}; this one reads up to {FORMAT})"
            ));
        }
        Some(_) => {}
    }
    match header.roadmap {
        Some(r) if r.id != roadmap_id => {
            return Err(format!("for another roadmap ({}), not {roadmap_id}", r.id));
        }
        _ => {}
    }
    serde_json::from_str(text).map_err(|e| format!("not a valid snapshot: {e}"))
}

/// Why a learner needs attention.
#[derive(Debug, Clone, PartialEq)]
pub enum Flag {
    /// A task in progress for more than `STALL_DAYS` days.
    Stalled { task: String, days: i64 },
    /// A task whose check failed `REPEATED_FAILURES` times or more since it last passed.
    FailingCheck { task: String, failures: u32 },
    /// Nothing changed for more than `STALL_DAYS` days (`None`: nothing ever recorded).
    Inactive { days: Option<i64> },
    /// A step whose reviews of the last 30 days were mostly forgotten.
    Forgetting {
        step: String,
        again: u32,
        reviews: u32,
    },
}

impl Flag {
    /// The flag's name in JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Flag::Stalled { .. } => "stalled",
            Flag::FailingCheck { .. } => "failing-check",
            Flag::Inactive { .. } => "inactive",
            Flag::Forgetting { .. } => "forgetting",
        }
    }

    /// The flag as a mentor reads it: "in progress 21 days: databases/schema".
    pub fn text(&self) -> String {
        match self {
            Flag::Stalled { task, days } => format!("in progress {days} days: {task}"),
            Flag::FailingCheck { task, failures } => {
                format!("check failed {failures} times in a row: {task}")
            }
            Flag::Inactive { days: Some(days) } => format!("no activity for {days} days"),
            Flag::Inactive { days: None } => "no activity recorded".to_string(),
            Flag::Forgetting {
                step,
                again,
                reviews,
            } => format!("forgot {again} of {reviews} reviews of step {step}"),
        }
    }
}

/// One learner, as the mentor's table shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The snapshot's file name without `.json`.
    pub name: String,
    pub snapshot: Snapshot,
    /// The step of the task the learner is on, and that task's number (`2/1`) and title in the
    /// mentor's roadmap.
    pub current_step: Option<String>,
    pub current_number: Option<String>,
    pub current_title: Option<String>,
    pub percent: usize,
    /// Days since the last activity, by the mentor's calendar (`None`: never active).
    pub days_inactive: Option<i64>,
    /// The share of the last 30 days' reviews remembered, against `snapshot.review.target`.
    pub recall: Option<f64>,
    pub flags: Vec<Flag>,
}

impl Row {
    /// Done tasks only ticked, not verified by a check.
    pub fn ticked_only(&self) -> usize {
        self.snapshot
            .totals
            .done
            .saturating_sub(self.snapshot.totals.verified)
    }
}

/// How far the cohort has come on one task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskTally {
    pub key: String,
    /// `2/1`: the first task of step 2.
    pub number: String,
    pub title: String,
    pub done: usize,
    pub verified: usize,
    pub in_progress: usize,
}

/// A card the cohort forgets: its lapses over every learner, and how many learners lapsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardTally {
    pub card: String,
    pub lapses: u32,
    pub learners: usize,
}

/// The whole cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    /// Who needs attention first: most flags, then longest away, then least done.
    pub rows: Vec<Row>,
    /// Every task of the roadmap, in its order.
    pub tasks: Vec<TaskTally>,
    /// The cards with the most lapses, most first (at most `TOP_CARDS`).
    pub lapses: Vec<CardTally>,
    pub unreadable: Vec<Unreadable>,
}

/// A task of the mentor's roadmap: its key, its number (`2/1`) and its title.
struct Place {
    key: String,
    number: String,
    title: String,
}

/// How many of the cards forgotten most are listed.
pub const TOP_CARDS: usize = 5;

fn days_between(from: Timestamp, to: Timestamp) -> i64 {
    to.duration_since(from).as_secs().max(0) / 86_400
}

/// The flags of one snapshot at `now` (`today` in the mentor's time zone).
fn flags(snapshot: &Snapshot, now: Timestamp, days_inactive: Option<i64>) -> Vec<Flag> {
    let mut flags = Vec::new();
    let mut steps: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for task in &snapshot.tasks {
        if task.status == Status::InProgress
            && let Some(since) = task.since.or(task.started)
        {
            let days = days_between(since, now);
            if days > STALL_DAYS {
                flags.push(Flag::Stalled {
                    task: task.id.clone(),
                    days,
                });
            }
        }
        if task.check_failures >= REPEATED_FAILURES {
            flags.push(Flag::FailingCheck {
                task: task.id.clone(),
                failures: task.check_failures,
            });
        }
        let step = task.id.split_once('/').map_or(task.id.as_str(), |(s, _)| s);
        let entry = steps.entry(step).or_default();
        entry.0 += task.reviews_30d;
        entry.1 += task.again_30d;
    }
    match days_inactive {
        Some(days) if days > STALL_DAYS => flags.push(Flag::Inactive { days: Some(days) }),
        None => flags.push(Flag::Inactive { days: None }),
        Some(_) => {}
    }
    for (step, (reviews, again)) in steps {
        if reviews >= AGAIN_MIN_REVIEWS && f64::from(again) >= AGAIN_SHARE * f64::from(reviews) {
            flags.push(Flag::Forgetting {
                step: step.to_string(),
                again,
                reviews,
            });
        }
    }
    flags
}

fn row(
    name: String,
    snapshot: Snapshot,
    titles: &HashMap<&str, &Place>,
    now: Timestamp,
    today: Date,
) -> Row {
    let totals = &snapshot.totals;
    let percent = match totals.counted {
        0 => 0,
        n => totals.done.min(n) * 100 / n,
    };
    let days_inactive = totals.last_active.map(|day| {
        today
            .since(day)
            .map_or(0, |span| i64::from(span.get_days()))
            .max(0)
    });
    let review = &snapshot.review;
    let recall = (review.reviewed_30d > 0).then(|| {
        review.remembered_30d.min(review.reviewed_30d) as f64 / review.reviewed_30d as f64
    });
    let current = totals.current.as_deref();
    Row {
        current_step: current.map(|c| c.split_once('/').map_or(c, |(s, _)| s).to_string()),
        current_number: current
            .and_then(|c| titles.get(c))
            .map(|p| p.number.clone()),
        current_title: current.and_then(|c| titles.get(c)).map(|p| p.title.clone()),
        percent,
        days_inactive,
        recall,
        flags: flags(&snapshot, now, days_inactive),
        name,
        snapshot,
    }
}

/// Every readable snapshot of the cohort (by name) summed up at `now`, dates in `tz`.
pub fn summarize(
    roadmap: &Roadmap,
    snapshots: Vec<(String, Snapshot)>,
    unreadable: Vec<Unreadable>,
    now: Timestamp,
    tz: &TimeZone,
) -> Cohort {
    let today = now.to_zoned_datetime(tz.clone()).date();
    let places: Vec<Place> = roadmap
        .steps
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.tasks.iter().enumerate().map(move |(j, t)| Place {
                key: task_key(s, t),
                number: format!("{}/{}", i + 1, j + 1),
                title: t.title.to_string(),
            })
        })
        .collect();
    let titles: HashMap<&str, &Place> = places.iter().map(|p| (p.key.as_str(), p)).collect();
    let mut rows: Vec<Row> = snapshots
        .into_iter()
        .map(|(name, snapshot)| row(name, snapshot, &titles, now, today))
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &Row| {
            (
                Reverse(r.flags.len()),
                Reverse(r.days_inactive.unwrap_or(i64::MAX)),
                r.percent,
            )
        };
        key(a).cmp(&key(b)).then_with(|| a.name.cmp(&b.name))
    });
    Cohort {
        tasks: task_tallies(&places, &rows),
        lapses: card_tallies(&rows),
        rows,
        unreadable,
    }
}

fn task_tallies(places: &[Place], rows: &[Row]) -> Vec<TaskTally> {
    let index: HashMap<&str, usize> = places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.key.as_str(), i))
        .collect();
    let mut tallies: Vec<TaskTally> = places
        .iter()
        .map(|p| TaskTally {
            key: p.key.clone(),
            number: p.number.clone(),
            title: p.title.clone(),
            done: 0,
            verified: 0,
            in_progress: 0,
        })
        .collect();
    for task in rows.iter().flat_map(|r| &r.snapshot.tasks) {
        let Some(tally) = index
            .get(task.id.as_str())
            .and_then(|&i| tallies.get_mut(i))
        else {
            continue;
        };
        match task.status {
            Status::Done => {
                tally.done += 1;
                tally.verified += usize::from(task.verified);
            }
            Status::InProgress => tally.in_progress += 1,
            Status::Todo | Status::Skipped => {}
        }
    }
    tallies
}

fn card_tallies(rows: &[Row]) -> Vec<CardTally> {
    let mut cards: HashMap<String, (u32, usize)> = HashMap::new();
    for task in rows.iter().flat_map(|r| &r.snapshot.tasks) {
        for card in &task.cards {
            let entry = cards
                .entry(crate::core::review::card_key(&task.id, &card.id))
                .or_default();
            entry.0 = entry.0.saturating_add(card.lapses);
            entry.1 += 1;
        }
    }
    let mut top: Vec<CardTally> = cards
        .into_iter()
        .map(|(card, (lapses, learners))| CardTally {
            card,
            lapses,
            learners,
        })
        .collect();
    top.sort_by(|a, b| b.lapses.cmp(&a.lapses).then_with(|| a.card.cmp(&b.card)));
    top.truncate(TOP_CARDS);
    top
}
