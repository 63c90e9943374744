//! Spaced review: which done tasks are due, and when a rated one comes back. The schedule is
//! FSRS (the Free Spaced Repetition Scheduler Anki adopted), through the `rs-fsrs` crate; this
//! module only translates between pathway's progress and the scheduler's cards.
//!
//! Every done task is in review. One never reviewed is first due a day after it was completed;
//! unticking a task takes it out (its state is dropped), and the learner can take a done task out
//! on purpose and put it back.

use chrono::{DateTime, Utc};
use jiff::{SignedDuration, Timestamp};
use rs_fsrs::{Card, FSRS, Parameters, State};

use crate::history::{Change, Event};
use crate::progress::{Item, ReviewPhase, ReviewState, RoadmapProgress, Status};
use crate::roadmap::{Roadmap, task_key};
use crate::status::Rating;

/// The share of reviews the schedule aims to have remembered.
pub const DESIRED_RETENTION: f64 = 0.9;

/// A task that has never been reviewed comes up this long after it was completed.
pub const FIRST_REVIEW_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// When a task is due for review, if it is in review at all: done, and not taken out.
pub fn due(item: &Item) -> Option<Timestamp> {
    if item.status != Status::Done {
        return None;
    }
    match &item.review {
        Some(review) if review.off => None,
        Some(review) => Some(review.due),
        None => {
            let done = item.completed.or(item.updated)?;
            Some(done.saturating_add(FIRST_REVIEW_AFTER).unwrap_or(done))
        }
    }
}

/// A task due for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTask {
    pub key: String,
    pub step: usize,
    pub task: usize,
    pub due: Timestamp,
}

/// Every task due at `now`, most overdue first (roadmap order among equals).
pub fn queue(roadmap: &Roadmap, rp: &RoadmapProgress, now: Timestamp) -> Vec<DueTask> {
    let mut due_now: Vec<DueTask> = Vec::new();
    // Items are few next to tasks only in small roadmaps; walking the items that are done keeps
    // this fast when a large roadmap is mostly untouched, and the roadmap order is restored below.
    for (s, step) in roadmap.steps.iter().enumerate() {
        for (t, task) in step.tasks.iter().enumerate() {
            let key = task_key(step, task);
            if let Some(at) = rp.item(&key).and_then(due).filter(|at| *at <= now) {
                due_now.push(DueTask {
                    key,
                    step: s,
                    task: t,
                    due: at,
                });
            }
        }
    }
    due_now.sort_by_key(|d| d.due);
    due_now
}

/// When the next review falls after `now`, if any task is in review.
pub fn next_due(rp: &RoadmapProgress, now: Timestamp) -> Option<Timestamp> {
    rp.items
        .values()
        .filter_map(due)
        .filter(|at| *at > now)
        .min()
}

/// Records a review of the task `key`: schedules it anew with FSRS, logs it, and returns when
/// it is due next. `None` when the task is not in review (not done, or taken out).
pub fn rate(
    rp: &mut RoadmapProgress,
    key: &str,
    rating: Rating,
    now: Timestamp,
) -> Option<Timestamp> {
    let item = rp.items.get(key)?;
    due(item)?;
    let at = rp.stamp(item.review.as_ref().and_then(|r| item.review_at(r)), now);
    let state = schedule(card_of(item, at), rating, at);
    let due_next = state.due;
    let item = rp.items.get_mut(key)?;
    item.review = Some(state);
    rp.log(Event {
        at,
        item: key.to_string(),
        change: Change::Review(rating),
    });
    Some(due_next)
}

/// Takes a done task out of review (`on == false`) or puts it back, due a day from now. Returns
/// whether anything changed.
pub fn set_reviewing(rp: &mut RoadmapProgress, key: &str, on: bool, now: Timestamp) -> bool {
    let Some(item) = rp.items.get_mut(key) else {
        return false;
    };
    if item.status != Status::Done {
        return false;
    }
    let is_on = !item.review.as_ref().is_some_and(|r| r.off);
    if is_on == on {
        return false;
    }
    let at = crate::progress::change_time(
        item.review
            .as_ref()
            .and_then(|r| item.review_at(r))
            .max(rp.reset),
        now,
    );
    let mut state = item.review.clone().unwrap_or(ReviewState {
        due: at,
        stability: 0.0,
        difficulty: 0.0,
        reviews: 0,
        lapses: 0,
        phase: ReviewPhase::New,
        last: None,
        changed: None,
        off: false,
    });
    state.off = !on;
    state.changed = Some(at);
    if on {
        state.due = state
            .due
            .max(at.saturating_add(FIRST_REVIEW_AFTER).unwrap_or(at));
    }
    item.review = Some(state);
    rp.log(Event {
        at,
        item: key.to_string(),
        change: Change::Reviewing(on),
    });
    true
}

/// Whether a done task is in review (not taken out).
pub fn reviewing(item: &Item) -> bool {
    item.status == Status::Done && !item.review.as_ref().is_some_and(|r| r.off)
}

/// Reviews in figures, for the progress view and `stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewStats {
    pub due_now: usize,
    /// Reviews falling due on each of the next 14 days (today first, after now).
    pub next_days: Vec<usize>,
    /// Reviews done in the last 30 days, and how many of them were remembered (not "again").
    pub reviewed_30d: usize,
    pub remembered_30d: usize,
}

impl ReviewStats {
    /// The share of the last 30 days' reviews that were remembered, if there were any.
    pub fn remembered_share(&self) -> Option<f64> {
        (self.reviewed_30d > 0).then(|| self.remembered_30d as f64 / self.reviewed_30d as f64)
    }

    /// "3 due now · 5 in the next 14 days · 12 reviewed in the last 30 days, 83% remembered"
    pub fn summary(&self) -> String {
        let coming: usize = self.next_days.iter().sum();
        let mut text = format!("{} due now · {coming} in the next 14 days", self.due_now);
        match self.remembered_share() {
            Some(share) => text.push_str(&format!(
                " · {} reviewed in the last 30 days, {:.0}% remembered",
                self.reviewed_30d,
                share * 100.0
            )),
            None => text.push_str(" · none reviewed in the last 30 days"),
        }
        text
    }
}

pub fn stats(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    now: Timestamp,
    tz: &jiff::tz::TimeZone,
) -> ReviewStats {
    let today = now.to_zoned_datetime(tz.clone()).date();
    let mut next_days = vec![0; 14];
    let mut due_now = 0;
    for step in &roadmap.steps {
        for task in &step.tasks {
            let Some(at) = rp.item(&task_key(step, task)).and_then(due) else {
                continue;
            };
            if at <= now {
                due_now += 1;
                continue;
            }
            let day = at.to_zoned_datetime(tz.clone()).date();
            if let Ok(offset) = usize::try_from((day - today).get_days())
                && let Some(n) = next_days.get_mut(offset)
            {
                *n += 1;
            }
        }
    }
    let since = now
        .saturating_sub(SignedDuration::from_hours(24 * 30))
        .unwrap_or(now);
    let ratings = rp
        .history
        .iter()
        .filter(|e| e.at >= since)
        .filter_map(|e| match e.change {
            Change::Review(r) => Some(r),
            _ => None,
        });
    let (mut reviewed_30d, mut remembered_30d) = (0, 0);
    for rating in ratings {
        reviewed_30d += 1;
        if rating != Rating::Again {
            remembered_30d += 1;
        }
    }
    ReviewStats {
        due_now,
        next_days,
        reviewed_30d,
        remembered_30d,
    }
}

fn parameters() -> Parameters {
    Parameters {
        request_retention: DESIRED_RETENTION,
        // Days, not minutes: a roadmap is reviewed over months, not within one sitting.
        enable_short_term: false,
        // The same rating on the same day gives the same date: predictable, and testable.
        enable_fuzz: false,
        ..Parameters::default()
    }
}

/// The longest interval pathway schedules: a card known this well is as good as learned.
const MAX_INTERVAL: SignedDuration = SignedDuration::from_hours(24 * 365 * 100);

/// The scheduler's next state for a card rated `rating` at `at`. Total: whatever the card held,
/// the result is in the scheduler's ranges and its due date is after `at` and representable.
fn schedule(card: Card, rating: Rating, at: Timestamp) -> ReviewState {
    let fsrs = FSRS::new(parameters());
    let next = fsrs.next(card, to_chrono(at), fsrs_rating(rating)).card;
    let latest = at.saturating_add(MAX_INTERVAL).unwrap_or(at);
    let mut state = ReviewState {
        due: from_chrono(next.due).clamp(at, latest),
        stability: next.stability,
        difficulty: next.difficulty,
        reviews: u32::try_from(next.reps).unwrap_or(0),
        lapses: u32::try_from(next.lapses).unwrap_or(0),
        phase: phase_of(next.state),
        last: Some(at),
        changed: Some(at),
        off: false,
    };
    state.repair();
    state
}

/// The scheduler's card for a task's state, as of a review at `at`. The state is repaired
/// first, and a last review after `at` (a clock that was ahead, or is now behind) counts as
/// made at `at`: elapsed time is never negative.
fn card_of(item: &Item, at: Timestamp) -> Card {
    let mut review = item.review.clone();
    if let Some(r) = &mut review {
        r.repair();
    }
    match &review {
        Some(r) if r.phase != ReviewPhase::New => Card {
            due: to_chrono(r.due),
            stability: r.stability,
            difficulty: r.difficulty,
            elapsed_days: 0,
            scheduled_days: 0,
            reps: i32::try_from(r.reviews).unwrap_or(i32::MAX),
            lapses: i32::try_from(r.lapses).unwrap_or(i32::MAX),
            state: match r.phase {
                ReviewPhase::New => State::New,
                ReviewPhase::Learning => State::Learning,
                ReviewPhase::Review => State::Review,
                ReviewPhase::Relearning => State::Relearning,
            },
            last_review: to_chrono(r.last.unwrap_or(r.due).min(at)),
        },
        // Never reviewed: a new card, as of its first due day.
        _ => {
            let first = to_chrono(due(item).unwrap_or(Timestamp::UNIX_EPOCH).min(at));
            Card {
                due: first,
                last_review: first,
                ..Card::default()
            }
        }
    }
}

fn phase_of(state: State) -> ReviewPhase {
    match state {
        State::New => ReviewPhase::New,
        State::Learning => ReviewPhase::Learning,
        State::Review => ReviewPhase::Review,
        State::Relearning => ReviewPhase::Relearning,
    }
}

fn fsrs_rating(rating: Rating) -> rs_fsrs::Rating {
    match rating {
        Rating::Again => rs_fsrs::Rating::Again,
        Rating::Hard => rs_fsrs::Rating::Hard,
        Rating::Good => rs_fsrs::Rating::Good,
        Rating::Easy => rs_fsrs::Rating::Easy,
    }
}

fn to_chrono(at: Timestamp) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at.as_millisecond()).unwrap_or_default()
}

fn from_chrono(at: DateTime<Utc>) -> Timestamp {
    Timestamp::from_millisecond(at.timestamp_millis()).unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days: i64) -> Timestamp {
        Timestamp::from_second(1_764_000_000 + days * 86_400).expect("valid")
    }

    fn done_at(days: i64) -> RoadmapProgress {
        let mut rp = RoadmapProgress::default();
        rp.set_status("s/t", Status::Done, at(days));
        rp
    }

    #[test]
    fn a_task_completed_ten_days_ago_with_no_review_state_is_due() {
        let rp = done_at(0);
        let item = rp.item("s/t").expect("item");
        assert_eq!(due(item), Some(at(1)), "a day after completion");
        assert!(due(item).is_some_and(|d| d <= at(10)));
    }

    #[test]
    fn good_comes_back_later_than_hard_and_again_within_a_day() {
        let when = |rating| {
            let mut rp = done_at(0);
            rate(&mut rp, "s/t", rating, at(2)).expect("in review")
        };
        let (again, hard, good, easy) = (
            when(Rating::Again),
            when(Rating::Hard),
            when(Rating::Good),
            when(Rating::Easy),
        );
        assert!(again <= at(3), "again: within a day, got {again}");
        assert!(hard < good, "{hard} < {good}");
        assert!(good < easy, "{good} < {easy}");
    }

    #[test]
    fn remembering_again_and_again_spaces_the_reviews_out() {
        let mut rp = done_at(0);
        let mut now = at(1);
        let mut gaps = Vec::new();
        for _ in 0..4 {
            let next = rate(&mut rp, "s/t", Rating::Good, now).expect("in review");
            gaps.push(next.duration_since(now));
            now = next;
        }
        assert!(gaps.windows(2).all(|w| w[0] < w[1]), "{gaps:?}");
        let item = rp.item("s/t").expect("item");
        assert_eq!(item.review.as_ref().map(|r| r.reviews), Some(4));
        assert_eq!(
            rp.history
                .iter()
                .filter(|e| matches!(e.change, Change::Review(_)))
                .count(),
            4,
            "every review is in the change log"
        );
    }

    #[test]
    fn unticking_takes_a_task_out_of_review_and_keeps_its_state_and_off_keeps_it_out() {
        let mut rp = done_at(0);
        let next = rate(&mut rp, "s/t", Rating::Good, at(1));
        let state = rp.item("s/t").and_then(|i| i.review.clone());
        rp.set_status("s/t", Status::Todo, at(2));
        assert_eq!(rp.item("s/t").and_then(|i| i.review.clone()), state, "kept");
        assert_eq!(rp.item("s/t").and_then(due), None, "but not due");
        rp.set_status("s/t", Status::Done, at(3));
        assert_eq!(rp.item("s/t").and_then(due), next, "resumed");
        assert!(set_reviewing(&mut rp, "s/t", false, at(3)));
        assert_eq!(rp.item("s/t").and_then(due), None);
        assert_eq!(rate(&mut rp, "s/t", Rating::Good, at(5)), None);
        assert!(!set_reviewing(&mut rp, "s/t", false, at(3)), "already out");
        assert!(set_reviewing(&mut rp, "s/t", true, at(6)));
        assert_eq!(
            rp.item("s/t").and_then(due),
            next.max(Some(at(7))),
            "back no sooner than a day from now"
        );
    }

    #[test]
    fn review_states_read_back_what_they_write() {
        let mut rp = done_at(0);
        rate(&mut rp, "s/t", Rating::Hard, at(1));
        let state = rp
            .item("s/t")
            .and_then(|i| i.review.clone())
            .expect("state");
        assert_eq!(state.to_string().parse::<ReviewState>(), Ok(state.clone()));
        let off = ReviewState { off: true, ..state };
        assert_eq!(off.to_string().parse::<ReviewState>(), Ok(off));
        assert!("due=x".parse::<ReviewState>().is_err());
    }

    #[test]
    fn a_review_stamped_before_the_last_one_stays_finite_and_in_range() {
        let mut rp = done_at(0);
        rate(&mut rp, "s/t", Rating::Good, at(30)).expect("in review");
        // The next review comes from a machine whose clock is days behind the last review.
        for days in [28, 10, 1] {
            let next = rate(&mut rp, "s/t", Rating::Again, at(days)).expect("in review");
            let state = rp
                .item("s/t")
                .and_then(|i| i.review.clone())
                .expect("state");
            assert!(
                state.stability.is_finite() && state.difficulty.is_finite(),
                "{state}"
            );
            assert!(ReviewState::STABILITY.contains(&state.stability), "{state}");
            assert!(
                ReviewState::DIFFICULTY.contains(&state.difficulty),
                "{state}"
            );
            assert!(next >= at(days), "{next}");
        }
    }

    #[test]
    fn hand_edited_states_out_of_range_are_scheduled_sensibly() {
        for text in [
            "due=2025-11-25T00:00:00Z stability=0 difficulty=0 reviews=2 lapses=0 phase=review last=2025-11-20T00:00:00Z",
            "due=2025-11-25T00:00:00Z stability=-5 difficulty=1000 reviews=2 lapses=0 phase=review last=2099-01-01T00:00:00Z",
            "due=2025-11-25T00:00:00Z stability=1e300 difficulty=5 reviews=2 lapses=0 phase=relearning last=-",
        ] {
            let mut rp = done_at(0);
            if let Some(item) = rp.items.get_mut("s/t") {
                item.review = Some(text.parse().expect("parses"));
            }
            let next = rate(&mut rp, "s/t", Rating::Good, at(10)).expect("in review");
            let state = rp
                .item("s/t")
                .and_then(|i| i.review.clone())
                .expect("state");
            assert!(
                state.stability.is_finite() && state.difficulty.is_finite(),
                "{text} → {state}"
            );
            assert!(next > at(10), "{text} → {next}");
        }
    }
}
