//! The changes to progress both front ends make (mark, note, review), with the rules that
//! guard them and the one wording of each refusal: the checklist says it in its footer, the
//! command line as an error, but what is allowed and what it says come from here.

use jiff::Timestamp;

use crate::core::progress::{RoadmapProgress, Status, StepChange};
use crate::core::review::ReviewSettings;
use crate::core::roadmap::{Roadmap, Step, Task, task_key};
use crate::core::status::Rating;

/// The longest note kept: a note is text a person wrote, and every read of one is bounded.
pub const MAX_NOTE_BYTES: usize = 1024 * 1024;

/// The longest question of a card of one's own, in characters: a question is read at a glance.
pub const MAX_CARD_QUESTION: usize = 500;
/// The longest answer of a card of one's own, in characters.
pub const MAX_CARD_ANSWER: usize = 5_000;
/// The most cards of one's own a task keeps.
pub const MAX_OWN_CARDS: usize = 100;

/// Why a change to progress is not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// In progress is for tasks: a step's status comes from its tasks. `example` names one.
    #[error(
        "a step's status comes from its tasks: start one of them{}",
        example.as_ref().map(|key| format!(", such as {key}")).unwrap_or_default()
    )]
    StepStatusFromTasks { example: Option<String> },
    /// Only a done task is reviewed.
    #[error("{key} is not done: only a done task is reviewed (mark it done first)")]
    NotDone { key: String },
    /// The task is done but its cards were taken out of review. How to put it back is each
    /// front end's own: the command line names its command, the checklist the key bound now.
    #[error("{key} is out of review")]
    OutOfReview { key: String },
    /// The task has no card of this id; `cards` lists the ones it has.
    #[error("{key} has no card {card:?}; its cards: {}", cards.join(", "))]
    NoCard {
        key: String,
        card: String,
        cards: Vec<String>,
    },
    /// A note past `MAX_NOTE_BYTES`.
    #[error("the note is over {} MiB: not saved", MAX_NOTE_BYTES / (1024 * 1024))]
    NoteTooLong,
    /// A note that is not UTF-8 text.
    #[error("the note is not UTF-8 text: not saved")]
    NoteNotText,
    /// A card of one's own with no question.
    #[error("a card needs a question: not saved")]
    NoQuestion,
    /// A card's question or answer over its limit (`MAX_CARD_QUESTION`, `MAX_CARD_ANSWER`).
    #[error("the {field} is {len} characters, more than the {max} a card takes: not saved")]
    CardTooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    /// A task with `MAX_OWN_CARDS` of the learner's cards already.
    #[error("{key} has {max} cards of yours, the most a task takes: remove one first")]
    TooManyCards { key: String, max: usize },
    /// No card of the learner's by this number or id; `own` lists theirs on the task.
    #[error("{key} has no card of yours {card:?}{}", own_list(own))]
    NoOwnCard {
        key: String,
        card: String,
        own: Vec<String>,
    },
    /// A roadmap's card named where only the learner's own can be changed.
    #[error("{card} is the roadmap's card: only your own cards can be edited or removed")]
    NotYourCard { card: String },
}

fn own_list(own: &[String]) -> String {
    if own.is_empty() {
        "; it has none".to_string()
    } else {
        format!("; yours: {}", own.join(", "))
    }
}

/// Whether a status can be given to step `s` as a whole.
fn step_status(roadmap: &Roadmap, s: usize, target: Status) -> Result<(), Refusal> {
    if target != Status::InProgress {
        return Ok(());
    }
    let step: &Step = &roadmap.steps[s];
    Err(Refusal::StepStatusFromTasks {
        example: step.tasks.first().map(|t| task_key(step, t)),
    })
}

/// Whether a task of this status can be reviewed.
fn reviewable(key: &str, status: Status) -> Result<(), Refusal> {
    if status == Status::Done {
        Ok(())
    } else {
        Err(Refusal::NotDone {
            key: key.to_string(),
        })
    }
}

/// What marking one item did: its status before, and whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    pub key: String,
    pub from: Status,
    pub changed: bool,
}

/// The statuses a whole step's change gives its tasks (only those that change). A step's
/// status comes from its tasks, so a step is never put in progress.
pub fn step_marks(
    roadmap: &Roadmap,
    rp: &RoadmapProgress,
    s: usize,
    change: StepChange,
) -> Result<Vec<(String, Status)>, Refusal> {
    let (StepChange::Set(target) | StepChange::Clear(target)) = change;
    step_status(roadmap, s, target)?;
    Ok(rp.step_updates(&roadmap.steps[s], change))
}

/// Gives items their statuses, as of `now`; what each was before, and whether it changed.
pub fn mark(rp: &mut RoadmapProgress, updates: &[(String, Status)], now: Timestamp) -> Vec<Marked> {
    updates
        .iter()
        .map(|(key, status)| {
            let from = rp.status(key);
            let changed = rp.set_status(key, *status, now);
            Marked {
                key: key.clone(),
                from,
                changed,
            }
        })
        .collect()
}

/// A note read from outside (standard input, the external editor's file), read as at most
/// `MAX_NOTE_BYTES` and one byte more, which shows that it is too long.
pub fn note_from_bytes(bytes: Vec<u8>) -> Result<String, Refusal> {
    if bytes.len() > MAX_NOTE_BYTES {
        return Err(Refusal::NoteTooLong);
    }
    String::from_utf8(bytes).map_err(|_| Refusal::NoteNotText)
}

/// Writes an item's note (an empty text removes it); whether it changed.
pub fn note(
    rp: &mut RoadmapProgress,
    key: &str,
    text: &str,
    now: Timestamp,
) -> Result<bool, Refusal> {
    if text.len() > MAX_NOTE_BYTES {
        return Err(Refusal::NoteTooLong);
    }
    Ok(rp.set_note(key, text, now))
}

/// A card's question and answer as they are kept: trimmed, within their limits, with a question.
fn card_text(ask: &str, answer: &str) -> Result<(String, String), Refusal> {
    let (ask, answer) = (ask.trim(), answer.trim());
    if ask.is_empty() {
        return Err(Refusal::NoQuestion);
    }
    for (field, text, max) in [
        ("question", ask, MAX_CARD_QUESTION),
        ("answer", answer, MAX_CARD_ANSWER),
    ] {
        let len = text.chars().count();
        if len > max {
            return Err(Refusal::CardTooLong { field, len, max });
        }
    }
    Ok((ask.to_string(), answer.to_string()))
}

/// Adds a card of the learner's own to the task `key` (any task, whatever its status: its cards
/// are reviewed once it is done); returns the card's id.
pub fn add_card(
    rp: &mut RoadmapProgress,
    key: &str,
    ask: &str,
    answer: &str,
    now: Timestamp,
) -> Result<String, Refusal> {
    let (ask, answer) = card_text(ask, answer)?;
    if rp.own_cards(key).len() >= MAX_OWN_CARDS {
        return Err(Refusal::TooManyCards {
            key: key.to_string(),
            max: MAX_OWN_CARDS,
        });
    }
    Ok(rp.add_own_card(key, &ask, &answer, now))
}

/// The id of one of the learner's cards on the task `key`, from what they typed: its number
/// among their cards on the task (`2`, as `pathway review ID` lists them), its id (`+mj4k2x1c`),
/// or its whole key (`step/task#+mj4k2x1c`).
pub fn own_card_id(
    rp: &RoadmapProgress,
    key: &str,
    task: &Task,
    given: &str,
) -> Result<String, Refusal> {
    let own = rp.own_cards(key);
    let card = given
        .strip_prefix(key)
        .and_then(|rest| rest.strip_prefix('#'))
        .unwrap_or(given);
    let found = match card.parse::<usize>() {
        Ok(n) => n.checked_sub(1).and_then(|i| own.get(i)),
        Err(_) => own.iter().find(|(id, _)| *id == card),
    };
    if let Some((id, _)) = found {
        return Ok(id.to_string());
    }
    if task.cards().iter().any(|c| c.id == card) {
        return Err(Refusal::NotYourCard {
            card: crate::core::review::card_key(key, card),
        });
    }
    Err(Refusal::NoOwnCard {
        key: key.to_string(),
        card: card.to_string(),
        own: own
            .iter()
            .enumerate()
            .map(|(i, (id, _))| format!("{} ({id})", i + 1))
            .collect(),
    })
}

/// Rewrites one of the learner's cards: the question, the answer, or both (`None` keeps what
/// it had). Whether anything changed.
pub fn edit_card(
    rp: &mut RoadmapProgress,
    key: &str,
    id: &str,
    ask: Option<&str>,
    answer: Option<&str>,
    now: Timestamp,
) -> Result<bool, Refusal> {
    let Some(card) = rp.own_card(key, id) else {
        return Err(Refusal::NoOwnCard {
            key: key.to_string(),
            card: id.to_string(),
            own: rp
                .own_cards(key)
                .iter()
                .map(|(id, _)| id.to_string())
                .collect(),
        });
    };
    let (ask, answer) = card_text(ask.unwrap_or(&card.ask), answer.unwrap_or(&card.answer))?;
    Ok(rp.edit_own_card(key, id, &ask, &answer, now))
}

/// Removes one of the learner's cards; whether it was there.
pub fn remove_card(rp: &mut RoadmapProgress, key: &str, id: &str, now: Timestamp) -> bool {
    rp.remove_own_card(key, id, now)
}

/// Rates one card of a done task: `card` by id, or with none given the task's most overdue
/// card that is due (with none due, its first). Returns the card rated and when it is due next.
pub fn rate(
    rp: &mut RoadmapProgress,
    key: &str,
    task: &Task,
    card: Option<&str>,
    rating: Rating,
    now: Timestamp,
    settings: &ReviewSettings,
) -> Result<(String, Timestamp), Refusal> {
    reviewable(key, rp.status(key))?;
    let cards = crate::core::review::task_cards(task, rp.item(key));
    let card = match card {
        Some(card) if cards.iter().any(|c| c.id == card) => card.to_string(),
        Some(card) => {
            return Err(Refusal::NoCard {
                key: key.to_string(),
                card: card.to_string(),
                cards: cards
                    .iter()
                    .map(|c| crate::core::review::card_key(key, &c.id))
                    .collect(),
            });
        }
        None => rp
            .item(key)
            .and_then(|item| {
                cards
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| {
                        let state = crate::core::review::card_state(item, &c.id, i == 0);
                        crate::core::review::due_at(item, state)
                            .map(|due| (due, i, c.id.to_string()))
                    })
                    .min()
            })
            .map_or_else(
                || cards.first().map(|c| c.id.to_string()).unwrap_or_default(),
                |(_, _, id)| id,
            ),
    };
    let first = cards.first().is_some_and(|c| c.id == card);
    let next = crate::core::review::rate(rp, key, &card, first, rating, now, settings).ok_or_else(
        || Refusal::OutOfReview {
            key: key.to_string(),
        },
    )?;
    Ok((card, next))
}

/// Puts a done task's cards back in review or takes them out; whether anything changed.
pub fn set_reviewing(
    rp: &mut RoadmapProgress,
    key: &str,
    task: &Task,
    on: bool,
    now: Timestamp,
) -> Result<bool, Refusal> {
    reviewable(key, rp.status(key))?;
    Ok(crate::core::review::set_reviewing(rp, key, task, on, now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roadmap() -> Roadmap {
        let text = "id: r\ntitle: R\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - id: a\n        title: A\n        cards:\n          - {id: one, ask: Q1?, answer: A1}\n          - {id: two, ask: Q2?, answer: A2}\n      - id: b\n        title: B\n";
        Roadmap::parse(text, "r.yaml").expect("valid")
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_764_000_000 + secs).expect("valid")
    }

    #[test]
    fn a_step_is_never_put_in_progress_and_its_tasks_are_marked() {
        let roadmap = roadmap();
        let mut rp = RoadmapProgress::default();
        let refused = step_marks(&roadmap, &rp, 0, StepChange::Set(Status::InProgress));
        assert_eq!(
            refused,
            Err(Refusal::StepStatusFromTasks {
                example: Some("s/a".into())
            })
        );
        let updates = step_marks(&roadmap, &rp, 0, StepChange::Set(Status::Done)).expect("ok");
        assert_eq!(updates.len(), 2);
        let marked = mark(&mut rp, &updates, at(0));
        assert!(marked.iter().all(|m| m.changed && m.from == Status::Todo));
        assert!(!mark(&mut rp, &updates, at(1))[0].changed, "already done");
    }

    #[test]
    fn a_note_past_the_limit_is_refused_and_nothing_changes() {
        let mut rp = RoadmapProgress::default();
        let long = "x".repeat(MAX_NOTE_BYTES + 1);
        assert_eq!(
            note(&mut rp, "s/a", &long, at(0)),
            Err(Refusal::NoteTooLong)
        );
        assert_eq!(rp.note("s/a"), None);
        assert_eq!(note(&mut rp, "s/a", "fine", at(0)), Ok(true));
    }

    #[test]
    fn only_a_done_task_is_rated_and_only_by_its_own_cards() {
        let roadmap = roadmap();
        let task = &roadmap.steps[0].tasks[0];
        let settings = ReviewSettings::default();
        let mut rp = RoadmapProgress::default();
        assert_eq!(
            rate(&mut rp, "s/a", task, None, Rating::Good, at(0), &settings),
            Err(Refusal::NotDone { key: "s/a".into() })
        );
        rp.set_status("s/a", Status::Done, at(0));
        let refused = rate(
            &mut rp,
            "s/a",
            task,
            Some("three"),
            Rating::Good,
            at(1),
            &settings,
        );
        assert!(
            matches!(refused, Err(Refusal::NoCard { .. })),
            "{refused:?}"
        );
        let (card, next) = rate(
            &mut rp,
            "s/a",
            task,
            Some("two"),
            Rating::Good,
            at(2),
            &settings,
        )
        .expect("rated");
        assert_eq!(card, "two");
        assert!(next > at(2));
        assert_eq!(
            set_reviewing(&mut rp, "s/a", task, false, at(3)),
            Ok(true),
            "taken out of review"
        );
        assert_eq!(
            rate(
                &mut rp,
                "s/a",
                task,
                Some("one"),
                Rating::Good,
                at(4),
                &settings
            ),
            Err(Refusal::OutOfReview { key: "s/a".into() })
        );
    }
}
