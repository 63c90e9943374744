//! One learner's snapshot, built from the roadmap and the progress at a moment: the figures of
//! `stats` and `review`, and per task its status, dates, check and review state.

use std::collections::HashMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::core::history::Change;
use crate::core::progress::{RoadmapProgress, Status};
use crate::core::review::{self, ReviewSettings};
use crate::core::roadmap::{Roadmap, task_key};
use crate::core::stats::{self, Forecast};
use crate::core::status::Rating;

/// What a learner publishes: `learners/NAME.json` in the cohort's repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The layout (`cohort::FORMAT`).
    pub format: u32,
    /// The name the learner published as; the file's name is what the mentor is shown.
    pub learner: String,
    pub roadmap: RoadmapRef,
    pub published: Timestamp,
    pub totals: Totals,
    pub review: ReviewSummary,
    /// Every task with anything recorded, in roadmap order; a task not listed is untouched.
    #[serde(default)]
    pub tasks: Vec<TaskSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoadmapRef {
    pub id: String,
    pub title: String,
}

/// The learner's figures, as `pathway stats` gives them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    pub done: usize,
    /// Tasks that count: all but the skipped ones and the stretch tasks not started.
    pub counted: usize,
    /// Done tasks whose last check passed.
    pub verified: usize,
    pub in_progress: usize,
    pub skipped: usize,
    pub hours_done: f64,
    pub hours_left: f64,
    /// `finished`, `estimate`, `estimate-overall` (nothing done in the pace window) or
    /// `not-enough-history`, as in `stats --json`.
    pub forecast: String,
    #[serde(default)]
    pub forecast_date: Option<Date>,
    /// The last day with any change, in the learner's time zone.
    #[serde(default)]
    pub last_active: Option<Date>,
    pub streak: u32,
    /// The task the learner is on: the first in progress, else the first open one that counts.
    #[serde(default)]
    pub current: Option<String>,
}

/// Spaced review in figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewSummary {
    /// The share of reviews the learner's schedule aims to have remembered.
    pub target: f64,
    pub due_now: usize,
    pub reviewed_30d: usize,
    pub remembered_30d: usize,
    /// Done tasks whose weakest card's recall is below the target.
    pub fading: usize,
}

/// One task, as the learner left it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskSnapshot {
    /// `step/task`.
    pub id: String,
    pub status: Status,
    /// When the status last changed: an in-progress task has been so since then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Timestamp>,
    /// Done, and its last check passed: proved, not only ticked.
    #[serde(default)]
    pub verified: bool,
    /// When the check that verified it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<Timestamp>,
    /// Checks failed since the last one that passed (what failed is never published).
    #[serde(default)]
    pub check_failures: u32,
    #[serde(default)]
    pub cards_due: u32,
    /// Times the task's cards were forgotten after being learnt, in all.
    #[serde(default)]
    pub lapses: u32,
    /// The chance of recalling the task's weakest card, when published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall: Option<f64>,
    /// Whether that recall is below the learner's target.
    #[serde(default)]
    pub fading: bool,
    /// Reviews of the last 30 days, and how many of them were "again".
    #[serde(default)]
    pub reviews_30d: u32,
    #[serde(default)]
    pub again_30d: u32,
    /// The cards forgotten at least once, with their lapses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<CardLapses>,
    /// The learner's note, only when published with `--with-notes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardLapses {
    pub id: String,
    pub lapses: u32,
}

fn forecast_fields(forecast: Forecast) -> (&'static str, Option<Date>) {
    match forecast {
        Forecast::Finished => ("finished", None),
        Forecast::NotEnoughHistory => ("not-enough-history", None),
        Forecast::Around(d) => ("estimate", Some(d)),
        Forecast::Overall(d) => ("estimate-overall", Some(d)),
    }
}

/// Reviews and "again" ratings of the last 30 days, by task key.
fn ratings_by_task(rp: &RoadmapProgress, now: Timestamp) -> HashMap<&str, (u32, u32)> {
    let since = now
        .saturating_sub(SignedDuration::from_hours(24 * 30))
        .unwrap_or(now);
    let mut by_task: HashMap<&str, (u32, u32)> = HashMap::new();
    for (card, rating) in review::rated_since(rp, since) {
        let task = card.split_once('#').map_or(card, |(task, _)| task);
        let entry = by_task.entry(task).or_default();
        entry.0 += 1;
        entry.1 += u32::from(rating == Rating::Again);
    }
    by_task
}

/// Failed checks of each task since its last pass, from the change log.
fn failures_by_task(rp: &RoadmapProgress) -> HashMap<&str, u32> {
    let mut failures: HashMap<&str, u32> = HashMap::new();
    for event in &rp.history {
        match event.change {
            Change::Checked(false) => *failures.entry(event.item.as_str()).or_default() += 1,
            Change::Checked(true) => {
                failures.remove(event.item.as_str());
            }
            _ => {}
        }
    }
    failures
}

/// The task a learner is on: the first in progress, else the first open task that counts.
fn current_task(roadmap: &Roadmap, rp: &RoadmapProgress) -> Option<String> {
    let keyed = || {
        roadmap
            .steps
            .iter()
            .flat_map(|s| s.tasks.iter().map(move |t| (task_key(s, t), t)))
    };
    keyed()
        .find(|(key, _)| rp.status(key) == Status::InProgress)
        .or_else(|| {
            keyed().find(|(key, task)| {
                let status = rp.status(key);
                status == Status::Todo && task.counts_with(status)
            })
        })
        .map(|(key, _)| key)
}

impl Snapshot {
    /// Where `learner` stands on `roadmap` at `now`: the figures of `stats` (dates in `tz`, the
    /// learner's) and a line per task with anything recorded. Notes only when `with_notes`.
    pub fn build(
        learner: &str,
        roadmap: &Roadmap,
        rp: &RoadmapProgress,
        now: Timestamp,
        tz: &TimeZone,
        settings: &ReviewSettings,
        with_notes: bool,
    ) -> Snapshot {
        let s = stats::compute(roadmap, rp, now, tz, settings);
        let (forecast, forecast_date) = forecast_fields(s.forecast);
        let verified = roadmap
            .steps
            .iter()
            .map(|step| rp.step_summary(step).verified)
            .sum();
        Snapshot {
            format: super::FORMAT,
            learner: learner.to_string(),
            roadmap: RoadmapRef {
                id: roadmap.id.to_string(),
                title: roadmap.title.to_string(),
            },
            published: now,
            totals: Totals {
                done: s.counts.done,
                counted: s.counts.counted(),
                verified,
                in_progress: s.counts.in_progress,
                skipped: s.counts.skipped,
                hours_done: s.hours_done,
                hours_left: s.hours_left,
                forecast: forecast.to_string(),
                forecast_date,
                last_active: s.last_active,
                streak: s.streak,
                current: current_task(roadmap, rp),
            },
            review: ReviewSummary {
                target: settings.retention,
                due_now: s.review.due_now,
                reviewed_30d: s.review.reviewed_30d,
                remembered_30d: s.review.remembered_30d,
                fading: s.review.fading.iter().sum(),
            },
            tasks: tasks(roadmap, rp, now, settings, with_notes),
        }
    }
}

/// A line per task of the roadmap with anything recorded, in roadmap order.
fn tasks(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    now: Timestamp,
    settings: &ReviewSettings,
    with_notes: bool,
) -> Vec<TaskSnapshot> {
    let ratings = ratings_by_task(rp, now);
    let failures = failures_by_task(rp);
    let mut in_review: HashMap<String, Vec<review::DueCard>> = HashMap::new();
    for card in review::in_review(roadmap, rp, now) {
        in_review.entry(card.key.clone()).or_default().push(card);
    }
    let mut out = Vec::new();
    for step in &roadmap.steps {
        for task in &step.tasks {
            let key = task_key(step, task);
            let Some(item) = rp.item(&key) else {
                continue;
            };
            let passed = item.checked.as_ref().filter(|c| c.passed);
            let verified = item.status == Status::Done && passed.is_some();
            let cards = in_review.get(&key).map_or(&[][..], Vec::as_slice);
            let recall = cards.iter().filter_map(|c| c.recall).min_by(f64::total_cmp);
            let lapses: Vec<CardLapses> = task
                .cards()
                .iter()
                .enumerate()
                .filter_map(|(c, card)| {
                    let state = review::card_state(item, &card.id, c == 0)?;
                    (state.lapses > 0).then(|| CardLapses {
                        id: card.id.to_string(),
                        lapses: state.lapses,
                    })
                })
                .collect();
            let (reviews_30d, again_30d) = ratings.get(key.as_str()).copied().unwrap_or_default();
            out.push(TaskSnapshot {
                since: item.updated,
                started: item.started,
                completed: item.completed,
                status: item.status,
                verified,
                verified_at: passed.filter(|_| verified).map(|c| c.at),
                check_failures: failures.get(key.as_str()).copied().unwrap_or(0),
                cards_due: cards.iter().filter(|c| c.due <= now).count() as u32,
                lapses: lapses.iter().map(|c| c.lapses).sum(),
                recall,
                fading: recall.is_some_and(|r| r < settings.retention),
                reviews_30d,
                again_30d,
                cards: lapses,
                note: item.note.clone().filter(|_| with_notes),
                id: key,
            });
        }
    }
    out
}
