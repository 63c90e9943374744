//! Spaced review: which cards are due, and when a rated one comes back. The schedule is FSRS
//! (the Free Spaced Repetition Scheduler Anki adopted), through the `rs-fsrs` crate; this module
//! only translates between pathway's progress and the scheduler's cards.
//!
//! Each task has one or more cards (`Task::cards`), each scheduled on its own and kept by task
//! and card id. A done task's cards are in review; one never reviewed is first due a day after
//! the task was completed. Unticking a task takes its cards out of review and keeps their state;
//! the learner can also take a done task's cards out on purpose and put them back.

use chrono::{DateTime, Utc};
use jiff::{SignedDuration, Timestamp};
use rs_fsrs::{Card, FSRS, Parameters, State};

use crate::core::history::{Change, Event};
use crate::core::progress::{Item, ReviewPhase, ReviewState, RoadmapProgress, Status};
use crate::core::roadmap::{Card as TaskCard, Roadmap, Task, task_key};
use crate::core::status::Rating;

/// The share of reviews the schedule aims to have remembered, unless the settings say otherwise.
pub const DESIRED_RETENTION: f64 = 0.9;

/// A card that has never been reviewed comes up this long after its task was completed.
pub const FIRST_REVIEW_AFTER: SignedDuration = SignedDuration::from_hours(24);

/// How the learner wants review to run: the settings' `review:` section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReviewSettings {
    /// At most this many never-reviewed cards enter review in 24 hours; known cards are never
    /// held back.
    pub new_per_day: usize,
    /// The share of reviews the schedule aims to have remembered (0.70 to 0.97).
    pub retention: f64,
}

impl Default for ReviewSettings {
    fn default() -> Self {
        ReviewSettings {
            new_per_day: 20,
            retention: DESIRED_RETENTION,
        }
    }
}

/// The key of a card in the change log and on the command line: `step/task#card`.
pub fn card_key(task_key: &str, card_id: &str) -> String {
    format!("{task_key}#{card_id}")
}

/// A card's review state in an item: its own, or for a task's first card the state version 2
/// kept for the whole task, whichever changed last.
pub fn card_state<'a>(item: &'a Item, card_id: &str, first: bool) -> Option<&'a ReviewState> {
    let own = item.cards.get(card_id);
    let legacy = item.review.as_ref().filter(|_| first);
    match (own, legacy) {
        (Some(own), Some(legacy)) if item.review_at(legacy) > item.review_at(own) => Some(legacy),
        (Some(own), _) => Some(own),
        (None, legacy) => legacy,
    }
}

/// A task's cards: the roadmap's, then the learner's own (`progress::OwnCard`) in the order
/// they were added. Scheduled, shown and rated alike; borrowed when the learner wrote none.
pub fn task_cards<'a>(task: &'a Task, item: Option<&Item>) -> std::borrow::Cow<'a, [TaskCard]> {
    let cards = task.cards();
    let Some(item) = item.filter(|i| i.own.values().any(|c| !c.is_removed())) else {
        return cards;
    };
    let mut own: Vec<(&String, &crate::core::progress::OwnCard)> =
        item.own.iter().filter(|(_, c)| !c.is_removed()).collect();
    own.sort_by_key(|(id, _)| (crate::core::progress::added_at(id), *id));
    let mut all = cards.into_owned();
    all.extend(own.into_iter().map(|(id, c)| TaskCard {
        id: id.clone().into(),
        ask: c.ask.clone().into(),
        answer: (!c.answer.trim().is_empty()).then(|| c.answer.clone().into()),
        own: true,
    }));
    std::borrow::Cow::Owned(all)
}

/// When a card is due, if it is in review at all: its task done, the card not taken out.
pub fn due_at(item: &Item, state: Option<&ReviewState>) -> Option<Timestamp> {
    if item.status != Status::Done {
        return None;
    }
    match state {
        Some(state) if state.off => None,
        Some(state) => Some(state.due),
        None => {
            let done = item.completed.or(item.updated)?;
            Some(done.saturating_add(FIRST_REVIEW_AFTER).unwrap_or(done))
        }
    }
}

/// Never reviewed (a card in review for the first time).
pub fn is_new(state: Option<&ReviewState>) -> bool {
    state.is_none_or(|s| s.reviews == 0)
}

/// A card in review, with where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct DueCard {
    /// The task's key, `step/task`.
    pub key: String,
    pub card_id: String,
    pub step: usize,
    pub task: usize,
    /// The card's position among its task's cards.
    pub card: usize,
    pub due: Timestamp,
    /// Never reviewed.
    pub new: bool,
    /// The chance of recalling it now, 0 to 1 (`None` for a card never reviewed).
    pub recall: Option<f64>,
    /// One the learner wrote.
    pub own: bool,
}

impl DueCard {
    /// `step/task#card`.
    pub fn id(&self) -> String {
        card_key(&self.key, &self.card_id)
    }
}

/// The card a `DueCard` stands for, with its question and answer.
pub fn card_for(roadmap: &Roadmap, rp: &RoadmapProgress, due: &DueCard) -> Option<TaskCard> {
    let task = roadmap.steps.get(due.step)?.tasks.get(due.task)?;
    // By id: a card of one's own removed meanwhile moves the ones after it.
    task_cards(task, rp.item(&due.key))
        .iter()
        .find(|c| c.id == due.card_id)
        .cloned()
}

/// Every card of the roadmap's tasks that is in review, in roadmap order. A done task whose id
/// left the roadmap has no cards here, so it is never due: this is the one place that decides
/// what is in review.
pub fn in_review(roadmap: &Roadmap, rp: &RoadmapProgress, now: Timestamp) -> Vec<DueCard> {
    let mut out = Vec::new();
    for (s, step) in roadmap.steps.iter().enumerate() {
        for (t, task) in step.tasks.iter().enumerate() {
            let key = task_key(step, task);
            let Some(item) = rp.item(&key).filter(|i| i.status == Status::Done) else {
                continue;
            };
            for (c, card) in task_cards(task, Some(item)).iter().enumerate() {
                let state = card_state(item, &card.id, c == 0);
                if let Some(due) = due_at(item, state) {
                    out.push(DueCard {
                        key: key.clone(),
                        card_id: card.id.to_string(),
                        step: s,
                        task: t,
                        card: c,
                        due,
                        new: is_new(state),
                        recall: state.and_then(|s| recall(s, now)),
                        own: card.own,
                    });
                }
            }
        }
    }
    out
}

/// The cards due at `now`, most overdue first (roadmap order among equals): every known card
/// that is due, and never-reviewed ones up to what is left of the day's allowance of new cards.
pub fn queue(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    now: Timestamp,
    settings: &ReviewSettings,
) -> Vec<DueCard> {
    due_of(in_review(roadmap, rp, now), rp, now, settings)
}

/// Of the cards in review, those due at `now` (see `queue`).
fn due_of(
    cards: Vec<DueCard>,
    rp: &RoadmapProgress,
    now: Timestamp,
    settings: &ReviewSettings,
) -> Vec<DueCard> {
    let mut allowance = settings
        .new_per_day
        .saturating_sub(new_reviewed_since(rp, now - SignedDuration::from_hours(24)));
    let mut due: Vec<DueCard> = cards
        .into_iter()
        .filter(|c| c.due <= now)
        .filter(|c| {
            if !c.new {
                return true;
            }
            let take = allowance > 0;
            allowance = allowance.saturating_sub(1);
            take
        })
        .collect();
    // In roadmap order when due at the same time.
    due.sort_unstable_by_key(|c| (c.due, c.step, c.task, c.card));
    due
}

/// Reviewing ahead: the cards in review that are not due yet but will be within `within`,
/// soonest first (for cramming before an interview).
pub fn ahead(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    now: Timestamp,
    within: SignedDuration,
) -> Vec<DueCard> {
    let until = now.saturating_add(within).unwrap_or(now);
    let mut soon: Vec<DueCard> = in_review(roadmap, rp, now)
        .into_iter()
        .filter(|c| c.due > now && c.due <= until)
        .collect();
    soon.sort_unstable_by_key(|c| (c.due, c.step, c.task, c.card));
    soon
}

/// How many cards due at `now` (the header's count and the queue's length agree).
pub fn due_count(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    now: Timestamp,
    settings: &ReviewSettings,
) -> usize {
    queue(roadmap, rp, now, settings).len()
}

/// When the next card falls due after `now`, if any card of the roadmap is in review.
pub fn next_due(roadmap: &Roadmap, rp: &RoadmapProgress, now: Timestamp) -> Option<Timestamp> {
    in_review(roadmap, rp, now)
        .into_iter()
        .map(|c| c.due)
        .filter(|at| *at > now)
        .min()
}

/// Cards reviewed for the first time since `since`, from the change log.
fn new_reviewed_since(rp: &RoadmapProgress, since: Timestamp) -> usize {
    let mut seen_before = std::collections::HashSet::new();
    let mut new_since = std::collections::HashSet::new();
    for event in &rp.history {
        if !matches!(event.change, Change::Review(_)) {
            continue;
        }
        let card = event.item.as_str();
        if event.at < since {
            seen_before.insert(card);
        } else if !seen_before.contains(card) {
            new_since.insert(card);
        }
    }
    new_since.len()
}

/// The chance of recalling a reviewed card at `now` (the scheduler's retrievability).
pub fn recall(state: &ReviewState, now: Timestamp) -> Option<f64> {
    if state.phase == ReviewPhase::New || state.reviews == 0 {
        return None;
    }
    let mut state = state.clone();
    state.repair();
    let last = state.last.unwrap_or(state.due).min(now);
    let days = now.duration_since(last).as_secs_f64() / 86_400.0;
    let r = Parameters::forgetting_curve(days.floor(), state.stability);
    r.is_finite().then_some(r.clamp(0.0, 1.0))
}

/// What each rating would do to a card now: the date it would come back, for the rating line's
/// previews. `None` when the card is not in review.
pub fn previews(
    item: &Item,
    card_id: &str,
    first: bool,
    now: Timestamp,
    settings: &ReviewSettings,
) -> Option<[(Rating, Timestamp); 4]> {
    let state = card_state(item, card_id, first);
    due_at(item, state)?;
    let card = card_of(item, state, now);
    Some(Rating::ALL.map(|r| (r, schedule(card.clone(), r, now, settings).due)))
}

/// Records a review of one card of the task `key`: schedules it anew, logs it, and returns when
/// it is due next. `None` when the card is not in review (its task not done, or taken out).
pub fn rate(
    rp: &mut RoadmapProgress,
    key: &str,
    card_id: &str,
    first: bool,
    rating: Rating,
    now: Timestamp,
    settings: &ReviewSettings,
) -> Option<Timestamp> {
    let item = rp.items.get(key)?;
    let state = card_state(item, card_id, first);
    due_at(item, state)?;
    let at = rp.stamp(state.and_then(|s| item.review_at(s)), now);
    let next = schedule(card_of(item, state, at), rating, at, settings);
    let due_next = next.due;
    let item = rp.items.get_mut(key)?;
    item.cards.insert(card_id.to_string(), next);
    if first {
        // Version 2's per-task state is this card's; it is superseded now.
        item.review = None;
    }
    rp.log(Event {
        at,
        item: card_key(key, card_id),
        change: Change::Review(rating),
    });
    Some(due_next)
}

/// Takes a done task's cards out of review (`on == false`) or puts them back, due a day from
/// now at the earliest. Returns whether anything changed.
pub fn set_reviewing(
    rp: &mut RoadmapProgress,
    key: &str,
    task: &Task,
    on: bool,
    now: Timestamp,
) -> bool {
    let Some(item) = rp.items.get(key) else {
        return false;
    };
    if item.status != Status::Done || reviewing(item, task) == on {
        return false;
    }
    let cards = task_cards(task, Some(item));
    let mut states = Vec::new();
    for (c, card) in cards.iter().enumerate() {
        let current = card_state(item, &card.id, c == 0);
        let at = rp.stamp(current.and_then(|s| item.review_at(s)), now);
        let mut state = current
            .cloned()
            .unwrap_or_else(|| ReviewState::new_card(due_at(item, None).unwrap_or(at)));
        state.off = !on;
        state.changed = Some(at);
        if on {
            state.due = state
                .due
                .max(at.saturating_add(FIRST_REVIEW_AFTER).unwrap_or(at));
        }
        states.push((card.id.to_string(), state, at));
    }
    let Some(item) = rp.items.get_mut(key) else {
        return false;
    };
    item.review = None;
    let at = states.iter().map(|(_, _, at)| *at).max().unwrap_or(now);
    for (id, state, _) in states {
        item.cards.insert(id, state);
    }
    rp.log(Event {
        at,
        item: key.to_string(),
        change: Change::Reviewing(on),
    });
    true
}

/// Whether a done task is in review: any of its cards not taken out.
pub fn reviewing(item: &Item, task: &Task) -> bool {
    item.status == Status::Done
        && task_cards(task, Some(item))
            .iter()
            .enumerate()
            .any(|(c, card)| !card_state(item, &card.id, c == 0).is_some_and(|s| s.off))
}

/// The done tasks of the roadmap that are fading, by key: those whose weakest card in review
/// has a chance of recall now below the retention aimed at (a card never reviewed has none yet).
pub fn fading_tasks(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    now: Timestamp,
    settings: &ReviewSettings,
) -> std::collections::HashSet<String> {
    fading_of(&in_review(roadmap, rp, now), settings)
}

/// Of the cards in review, the tasks whose weakest card's recall is below the retention aimed at.
fn fading_of(cards: &[DueCard], settings: &ReviewSettings) -> std::collections::HashSet<String> {
    let mut weakest: std::collections::HashMap<&str, f64> = Default::default();
    for card in cards {
        if let Some(r) = card.recall {
            let w = weakest.entry(card.key.as_str()).or_insert(r);
            *w = w.min(r);
        }
    }
    weakest
        .into_iter()
        .filter(|(_, r)| *r < settings.retention)
        .map(|(key, _)| key.to_string())
        .collect()
}

/// The cards due now and the tasks fading, from one pass over the cards in review: what the
/// header counts and the tree marks after every change.
pub fn due_and_fading(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    now: Timestamp,
    settings: &ReviewSettings,
) -> (usize, std::collections::HashSet<String>) {
    let cards = in_review(roadmap, rp, now);
    let fading = fading_of(&cards, settings);
    (due_of(cards, rp, now, settings).len(), fading)
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
    /// Done tasks whose weakest card has faded below the desired retention, per step.
    pub fading: Vec<usize>,
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
        let fading: usize = self.fading.iter().sum();
        if fading > 0 {
            text.push_str(&format!(" · {fading} fading"));
        }
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
    settings: &ReviewSettings,
) -> ReviewStats {
    let today = now.to_zoned_datetime(tz.clone()).date();
    let mut next_days = vec![0; 14];
    for card in in_review(roadmap, rp, now).iter().filter(|c| c.due > now) {
        let day = card.due.to_zoned_datetime(tz.clone()).date();
        if let Ok(offset) = usize::try_from((day - today).get_days())
            && let Some(n) = next_days.get_mut(offset)
        {
            *n += 1;
        }
    }
    let since = now
        .saturating_sub(SignedDuration::from_hours(24 * 30))
        .unwrap_or(now);
    let (reviewed_30d, remembered_30d) = ratings_since(rp, since)
        .iter()
        .fold((0, 0), |(all, kept), r| {
            (all + 1, kept + usize::from(*r != Rating::Again))
        });
    let fading_keys = fading_tasks(roadmap, rp, now, settings);
    let fading = roadmap
        .steps
        .iter()
        .map(|step| {
            step.tasks
                .iter()
                .filter(|t| fading_keys.contains(&task_key(step, t)))
                .count()
        })
        .collect();
    ReviewStats {
        due_now: due_count(roadmap, rp, now, settings),
        next_days,
        reviewed_30d,
        remembered_30d,
        fading,
    }
}

/// The ratings given since `since`, less those undone.
pub fn ratings_since(rp: &RoadmapProgress, since: Timestamp) -> Vec<Rating> {
    rated_since(rp, since).into_iter().map(|(_, r)| r).collect()
}

/// The ratings given since `since`, less those undone, each with the card it rated (its key in
/// the change log: `step/task#card`, or `step/task` in a log written before cards had ids).
pub fn rated_since(rp: &RoadmapProgress, since: Timestamp) -> Vec<(&str, Rating)> {
    let mut ratings: Vec<(&str, Rating)> = Vec::new();
    for event in rp.history.iter().filter(|e| e.at >= since) {
        match event.change {
            Change::Review(r) => ratings.push((&event.item, r)),
            Change::ReviewUndone(r) => {
                if let Some(i) = ratings
                    .iter()
                    .rposition(|(item, given)| *item == event.item && *given == r)
                {
                    ratings.remove(i);
                }
            }
            _ => {}
        }
    }
    ratings
}

fn parameters(settings: &ReviewSettings, short_term: bool) -> Parameters {
    Parameters {
        request_retention: settings.retention.clamp(0.7, 0.97),
        // Minutes only for "again": a forgotten card comes back within the session; every
        // other rating is scheduled in days, as a roadmap is reviewed over months.
        enable_short_term: short_term,
        // The same rating on the same day gives the same date: predictable, and testable.
        enable_fuzz: false,
        ..Parameters::default()
    }
}

/// The longest interval pathway schedules: a card known this well is as good as learned.
const MAX_INTERVAL: SignedDuration = SignedDuration::from_hours(24 * 365 * 100);

/// The scheduler's next state for a card rated `rating` at `at`. Total: whatever the card held,
/// the result is in the scheduler's ranges and its due date is after `at` and representable.
fn schedule(card: Card, rating: Rating, at: Timestamp, settings: &ReviewSettings) -> ReviewState {
    let fsrs = FSRS::new(parameters(settings, rating == Rating::Again));
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
fn card_of(item: &Item, state: Option<&ReviewState>, at: Timestamp) -> Card {
    let mut review = state.cloned();
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
            let first = to_chrono(due_at(item, state).unwrap_or(Timestamp::UNIX_EPOCH).min(at));
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

    /// Rates the one card of the test task.
    fn rate_card(rp: &mut RoadmapProgress, rating: Rating, when: Timestamp) -> Option<Timestamp> {
        rate(
            rp,
            "s/t",
            "recall",
            true,
            rating,
            when,
            &ReviewSettings::default(),
        )
    }

    fn due_of(rp: &RoadmapProgress) -> Option<Timestamp> {
        let item = rp.item("s/t")?;
        due_at(item, card_state(item, "recall", true))
    }

    fn state_of(rp: &RoadmapProgress) -> Option<ReviewState> {
        rp.item("s/t")
            .and_then(|i| card_state(i, "recall", true).cloned())
    }

    fn task(cards: &[&str]) -> Task {
        let text = format!(
            "id: t\ntitle: T\ncards: [{}]\n",
            cards
                .iter()
                .map(|c| format!("{{id: {c}, ask: \"{c}?\"}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        serde_yaml::from_str(&text).expect("task")
    }

    #[test]
    fn a_task_completed_ten_days_ago_with_no_review_state_is_due() {
        let rp = done_at(0);
        assert_eq!(due_of(&rp), Some(at(1)), "a day after completion");
        assert!(due_of(&rp).is_some_and(|d| d <= at(10)));
    }

    #[test]
    fn good_comes_back_later_than_hard_and_again_within_minutes() {
        let when = |rating| {
            let mut rp = done_at(0);
            rate_card(&mut rp, rating, at(2)).expect("in review")
        };
        let (again, hard, good, easy) = (
            when(Rating::Again),
            when(Rating::Hard),
            when(Rating::Good),
            when(Rating::Easy),
        );
        assert!(
            again <= at(2) + SignedDuration::from_mins(10),
            "again: within the session, got {again}"
        );
        assert!(again < hard, "{again} < {hard}");
        assert!(hard < good, "{hard} < {good}");
        assert!(good < easy, "{good} < {easy}");
    }

    #[test]
    fn again_on_a_well_known_card_is_due_within_a_day() {
        let mut rp = done_at(0);
        let mut now = at(1);
        while state_of(&rp).is_none_or(|s| s.stability < 60.0) {
            now = rate_card(&mut rp, Rating::Easy, now).expect("in review");
        }
        let next = rate_card(&mut rp, Rating::Again, now).expect("in review");
        assert!(next <= now + SignedDuration::from_hours(24), "{next}");
        assert_eq!(state_of(&rp).map(|s| s.lapses), Some(1));
    }

    #[test]
    fn previews_are_what_the_rating_then_does() {
        let mut base = done_at(0);
        rate_card(&mut base, Rating::Good, at(1));
        let now = at(5);
        let item = base.item("s/t").expect("item").clone();
        let previews =
            previews(&item, "recall", true, now, &ReviewSettings::default()).expect("in review");
        for (rating, due) in previews {
            let mut rp = base.clone();
            assert_eq!(rate_card(&mut rp, rating, now), Some(due), "{rating:?}");
        }
    }

    #[test]
    fn remembering_again_and_again_spaces_the_reviews_out() {
        let mut rp = done_at(0);
        let mut now = at(1);
        let mut gaps = Vec::new();
        for _ in 0..4 {
            let next = rate_card(&mut rp, Rating::Good, now).expect("in review");
            gaps.push(next.duration_since(now));
            now = next;
        }
        assert!(gaps.windows(2).all(|w| w[0] < w[1]), "{gaps:?}");
        assert_eq!(state_of(&rp).map(|r| r.reviews), Some(4));
        assert_eq!(
            rp.history
                .iter()
                .filter(|e| matches!(e.change, Change::Review(_)) && e.item == "s/t#recall")
                .count(),
            4,
            "every review is in the change log, by card"
        );
    }

    #[test]
    fn unticking_takes_a_task_out_of_review_and_keeps_its_state_and_off_keeps_it_out() {
        let task = task(&[]);
        let mut rp = done_at(0);
        let next = rate_card(&mut rp, Rating::Good, at(1));
        let state = state_of(&rp);
        rp.set_status("s/t", Status::Todo, at(2));
        assert_eq!(state_of(&rp), state, "kept");
        assert_eq!(due_of(&rp), None, "but not due");
        rp.set_status("s/t", Status::Done, at(3));
        assert_eq!(due_of(&rp), next, "resumed");
        assert_eq!(rp.item("s/t").and_then(|i| i.completed), Some(at(0)));
        assert!(set_reviewing(&mut rp, "s/t", &task, false, at(3)));
        assert_eq!(due_of(&rp), None);
        assert_eq!(rate_card(&mut rp, Rating::Good, at(5)), None);
        assert!(
            !set_reviewing(&mut rp, "s/t", &task, false, at(3)),
            "already out"
        );
        assert!(set_reviewing(&mut rp, "s/t", &task, true, at(6)));
        assert_eq!(
            due_of(&rp),
            next.max(Some(at(7))),
            "back no sooner than a day from now"
        );
    }

    #[test]
    fn each_card_is_scheduled_on_its_own_and_a_version_2_state_is_the_first_cards() {
        let mut rp = done_at(0);
        let legacy: ReviewState =
            "due=2025-12-01T00:00:00Z stability=30 difficulty=5 reviews=4 lapses=0 phase=review last=2025-11-01T00:00:00Z"
                .parse()
                .expect("state");
        if let Some(item) = rp.items.get_mut("s/t") {
            item.review = Some(legacy.clone());
        }
        let item = rp.item("s/t").expect("item").clone();
        assert_eq!(
            card_state(&item, "join", true),
            Some(&legacy),
            "the first card's"
        );
        assert_eq!(card_state(&item, "where", false), None, "not the others'");
        let settings = ReviewSettings::default();
        rate(
            &mut rp,
            "s/t",
            "where",
            false,
            Rating::Good,
            at(2),
            &settings,
        )
        .expect("in review");
        let item = rp.item("s/t").expect("item");
        assert_eq!(card_state(item, "join", true), Some(&legacy), "untouched");
        assert_eq!(card_state(item, "where", false).map(|s| s.reviews), Some(1));
    }

    #[test]
    fn new_cards_a_day_are_limited_and_known_ones_never_held_back() {
        let mut text =
            String::from("id: r\ntitle: R\nsteps:\n  - id: s\n    title: S\n    tasks:\n");
        for i in 0..5 {
            text.push_str(&format!("      - {{id: t{i}, title: T{i}}}\n"));
        }
        let roadmap: Roadmap = serde_yaml::from_str(&text).expect("roadmap");
        let mut rp = RoadmapProgress::default();
        for i in 0..5 {
            rp.set_status(&format!("s/t{i}"), Status::Done, at(0));
        }
        let settings = ReviewSettings {
            new_per_day: 2,
            ..ReviewSettings::default()
        };
        let due = queue(&roadmap, &rp, at(3), &settings);
        assert_eq!(due.len(), 2, "two new cards a day");
        for card in &due {
            rate(
                &mut rp,
                &card.key,
                &card.card_id,
                true,
                Rating::Good,
                at(3),
                &settings,
            );
        }
        assert!(
            queue(&roadmap, &rp, at(3), &settings).is_empty(),
            "today's are used"
        );
        let tomorrow = queue(
            &roadmap,
            &rp,
            at(4) + SignedDuration::from_hours(1),
            &settings,
        );
        assert_eq!(tomorrow.len(), 2, "two more the next day: {tomorrow:?}");
        // Long after, the known cards are all due, and the limit still only holds back new ones.
        let later = queue(&roadmap, &rp, at(60), &settings);
        assert_eq!(later.iter().filter(|c| !c.new).count(), 2);
        assert_eq!(later.iter().filter(|c| c.new).count(), 2);
    }

    #[test]
    fn a_done_task_whose_id_left_the_roadmap_is_never_due() {
        let roadmap: Roadmap = serde_yaml::from_str(
            "id: r\ntitle: R\nsteps:\n  - id: s\n    title: S\n    tasks: [{id: t, title: T}]\n",
        )
        .expect("roadmap");
        let mut rp = done_at(0);
        rp.set_status("s/gone", Status::Done, at(0));
        rp.set_status("gone", Status::Done, at(0));
        let settings = ReviewSettings::default();
        let due = queue(&roadmap, &rp, at(5), &settings);
        assert_eq!(
            due.iter().map(|c| c.id()).collect::<Vec<_>>(),
            ["s/t#recall"]
        );
        assert_eq!(due_count(&roadmap, &rp, at(5), &settings), 1);
        let tz = jiff::tz::TimeZone::UTC;
        assert_eq!(stats(&roadmap, &rp, at(5), &tz, &settings).due_now, 1);
    }

    #[test]
    fn review_states_read_back_what_they_write() {
        let mut rp = done_at(0);
        rate_card(&mut rp, Rating::Hard, at(1));
        let state = state_of(&rp).expect("state");
        assert_eq!(state.to_string().parse::<ReviewState>(), Ok(state.clone()));
        let off = ReviewState { off: true, ..state };
        assert_eq!(off.to_string().parse::<ReviewState>(), Ok(off));
        assert!("due=x".parse::<ReviewState>().is_err());
    }

    #[test]
    fn a_review_stamped_before_the_last_one_stays_finite_and_in_range() {
        let mut rp = done_at(0);
        rate_card(&mut rp, Rating::Good, at(30)).expect("in review");
        // The next review comes from a machine whose clock is days behind the last review.
        for days in [28, 10, 1] {
            let next = rate_card(&mut rp, Rating::Again, at(days)).expect("in review");
            let state = state_of(&rp).expect("state");
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
            let next = rate_card(&mut rp, Rating::Good, at(10)).expect("in review");
            let state = state_of(&rp).expect("state");
            assert!(
                state.stability.is_finite() && state.difficulty.is_finite(),
                "{text} → {state}"
            );
            assert!(next > at(10), "{text} → {next}");
        }
    }
}
