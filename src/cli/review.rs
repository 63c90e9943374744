//! `pathway review`: the cards due, a task's cards, or a rating recorded.

use std::io::Write;

use anyhow::Result;
use jiff::tz::TimeZone;

use super::changes::resolve_all;
use super::usage;
use crate::cli::report;
use crate::core::clock::now;
use crate::core::progress::Progress;
use crate::core::review::ReviewSettings;
use crate::core::roadmap::{Roadmap, Target, task_key};
use crate::core::status::Rating;
use crate::storage::store::Store;

/// What `pathway review` was asked.
pub(super) struct ReviewRequest {
    pub id: Option<String>,
    pub rating: Option<String>,
    pub json: bool,
    pub ahead: Option<String>,
    /// A card of the learner's own added, edited or removed.
    pub card_change: Option<CardChange>,
}

/// `--add-card`, `--edit-card` or `--remove-card`, with what goes with them.
pub(super) enum CardChange {
    Add {
        ask: String,
        answer: String,
    },
    Edit {
        card: String,
        ask: Option<String>,
        answer: Option<String>,
    },
    Remove {
        card: String,
    },
}

impl CardChange {
    pub(super) fn from_args(
        add: Option<String>,
        edit: Option<String>,
        remove: Option<String>,
        question: Option<String>,
        answer: Option<String>,
    ) -> Result<Option<CardChange>> {
        Ok(match (add, edit, remove) {
            (Some(ask), _, _) => Some(CardChange::Add {
                ask,
                answer: answer.unwrap_or_default(),
            }),
            (_, Some(_), _) if question.is_none() && answer.is_none() => {
                return Err(usage(
                    "--edit-card: give the new --question, the new --answer, or both",
                ));
            }
            (_, Some(card), _) => Some(CardChange::Edit {
                card,
                ask: question,
                answer,
            }),
            (_, _, Some(_)) if answer.is_some() => {
                return Err(usage("--answer goes with --add-card or --edit-card"));
            }
            (_, _, Some(card)) => Some(CardChange::Remove { card }),
            (None, None, None) if answer.is_some() => {
                return Err(usage("--answer goes with --add-card or --edit-card"));
            }
            (None, None, None) => None,
        })
    }
}

pub(super) fn review(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    settings: &ReviewSettings,
    request: ReviewRequest,
) -> Result<()> {
    let Some(id) = request.id else {
        return due(
            out,
            roadmap,
            progress,
            settings,
            request.ahead.as_deref(),
            request.json,
        );
    };
    let (task_id, card_id) = match id.split_once('#') {
        Some((task, card)) => (task.to_string(), Some(card.to_string())),
        None => (id.clone(), None),
    };
    let (s, t) = match resolve_all(roadmap, std::slice::from_ref(&task_id))?[0] {
        Target::Task(s, t) => (s, t),
        Target::Step(_) => {
            return Err(usage(format!(
                "{id:?} is a step: review takes a task or a card"
            )));
        }
    };
    let key = task_key(&roadmap.steps[s], &roadmap.steps[s].tasks[t]);
    let item = progress.roadmap_or_empty(&roadmap.id).item(&key);
    let cards = crate::core::review::task_cards(&roadmap.steps[s].tasks[t], item);
    // A card that is not there is refused whatever was asked (on and off apply to the task).
    if let Some(card) = &card_id
        && !cards.iter().any(|c| &c.id == card)
    {
        let refusal = crate::core::ops::Refusal::NoCard {
            key: key.clone(),
            card: card.clone(),
            cards: cards
                .iter()
                .map(|c| crate::core::review::card_key(&key, &c.id))
                .collect(),
        };
        return Err(usage(refusal.to_string()));
    }
    let asked = Asked {
        roadmap,
        step: s,
        task: t,
        key,
        card: card_id,
    };
    if let Some(change) = request.card_change {
        if asked.card.is_some() {
            return Err(usage(format!(
                "{id:?} names a card: give the task ({}) and the card after --edit-card or \
                 --remove-card",
                asked.key
            )));
        }
        return change_card(out, store, &asked, progress, change);
    }
    match request.rating {
        None => task_cards(out, &asked, progress, request.json),
        Some(rating) => rate(out, store, &asked, progress, settings, &rating),
    }
}

/// `pathway review ID --add-card/--edit-card/--remove-card`: one of the learner's own cards
/// changed, under the lock, on the file as it is.
fn change_card(
    out: &mut impl Write,
    store: &Store,
    asked: &Asked,
    progress: &mut Progress,
    change: CardChange,
) -> Result<()> {
    let now = now();
    let (roadmap, key, task) = (asked.roadmap, &asked.key, asked.task());
    let line = store.apply(progress, |progress| {
        use crate::core::ops;
        let rp = progress.roadmap_mut(&roadmap.id);
        let refused = |r: ops::Refusal| usage(r.to_string());
        let card_key = |id: &str| crate::core::review::card_key(key, id);
        Ok(match &change {
            CardChange::Add { ask, answer } => {
                let id = ops::add_card(rp, key, ask, answer, now).map_err(refused)?;
                let due = rp
                    .item(key)
                    .and_then(|item| crate::core::review::due_at(item, None));
                let when = match due {
                    Some(due) if due <= now => "due for review now".to_string(),
                    Some(due) => format!(
                        "first review {}",
                        crate::core::text::when(due, now, &TimeZone::system())
                    ),
                    None => "reviewed once the task is done".to_string(),
                };
                (true, format!("{}: your card added, {when}", card_key(&id)))
            }
            CardChange::Edit { card, ask, answer } => {
                let id = ops::own_card_id(rp, key, task, card).map_err(refused)?;
                let changed = ops::edit_card(rp, key, &id, ask.as_deref(), answer.as_deref(), now)
                    .map_err(refused)?;
                let what = if changed { "changed" } else { "unchanged" };
                (changed, format!("{}: your card {what}", card_key(&id)))
            }
            CardChange::Remove { card } => {
                let id = ops::own_card_id(rp, key, task, card).map_err(refused)?;
                ops::remove_card(rp, key, &id, now);
                (true, format!("{}: your card removed", card_key(&id)))
            }
        })
    })?;
    writeln!(out, "{line}")?;
    Ok(())
}

/// The task (and perhaps the card) a review command names.
struct Asked<'a> {
    roadmap: &'a Roadmap,
    step: usize,
    task: usize,
    key: String,
    card: Option<String>,
}

impl Asked<'_> {
    fn task(&self) -> &crate::core::roadmap::Task {
        &self.roadmap.steps[self.step].tasks[self.task]
    }
}

/// `pathway review [--ahead WITHIN] [--json]`: the cards due (and those due within WITHIN).
fn due(
    out: &mut impl Write,
    roadmap: &Roadmap,
    progress: &Progress,
    settings: &ReviewSettings,
    ahead: Option<&str>,
    json: bool,
) -> Result<()> {
    let now = now();
    let rp = progress.roadmap_or_empty(&roadmap.id);
    let due = match ahead {
        Some(within) => {
            let within = parse_within(within)?;
            let mut cards = crate::core::review::queue(roadmap, rp, now, settings);
            cards.extend(crate::core::review::ahead(roadmap, rp, now, within));
            cards
        }
        None => crate::core::review::queue(roadmap, rp, now, settings),
    };
    let next = crate::core::review::next_due(roadmap, rp, now);
    let text = if json {
        format!(
            "{}\n",
            report::json_text(&report::review_json(roadmap, rp, &due, now))
        )
    } else {
        report::review_text(roadmap, rp, &due, next, now, &TimeZone::system())
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// `pathway review ID`: the task's cards (or the one card named), with their state.
fn task_cards(out: &mut impl Write, asked: &Asked, progress: &Progress, json: bool) -> Result<()> {
    let now = now();
    let (roadmap, key) = (asked.roadmap, &asked.key);
    let rp = progress.roadmap_or_empty(&roadmap.id);
    let item = rp.item(key).cloned().unwrap_or_default();
    let cards = crate::core::review::task_cards(asked.task(), Some(&item));
    let roadmap_cards = cards.iter().filter(|c| !c.own).count();
    let reports: Vec<report::CardReport> = cards
        .iter()
        .enumerate()
        .filter(|(_, c)| asked.card.as_ref().is_none_or(|id| *id == c.id))
        .map(|(i, c)| {
            let state = crate::core::review::card_state(&item, &c.id, i == 0).cloned();
            report::CardReport {
                id: crate::core::review::card_key(key, &c.id),
                ask: c.ask.to_string(),
                answer: c.answer.as_ref().map(|a| a.to_string()),
                own: c.own.then(|| i + 1 - roadmap_cards),
                due: crate::core::review::due_at(&item, state.as_ref()),
                recall: state
                    .as_ref()
                    .and_then(|s| crate::core::review::recall(s, now)),
                state,
            }
        })
        .collect();
    let text = if json {
        format!(
            "{}\n",
            report::json_text(&report::task_cards_json(&roadmap.id, key, &reports))
        )
    } else {
        report::task_cards_text(key, &asked.task().title, &reports, now, &TimeZone::system())
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// `pathway review ID RATING`: a rating recorded, or the task taken out of review or put back.
fn rate(
    out: &mut impl Write,
    store: &Store,
    asked: &Asked,
    progress: &mut Progress,
    settings: &ReviewSettings,
    rating_word: &str,
) -> Result<()> {
    let now = now();
    let tz = TimeZone::system();
    let (roadmap, key, task) = (asked.roadmap, &asked.key, asked.task());
    let parsed = match rating_word {
        "off" | "on" => None,
        "1" => Some(Rating::Again),
        "2" => Some(Rating::Hard),
        "3" => Some(Rating::Good),
        "4" => Some(Rating::Easy),
        word => Some(Rating::from_word(word).ok_or_else(|| {
            usage(format!(
                "unknown rating {word:?}: give 1-4, again, hard, good or easy (or off / on)"
            ))
        })?),
    };
    // Applied to the file as it is under the lock: ratings of one card from several processes
    // at once each count.
    let line = store.apply(progress, |progress| {
        let rp = progress.roadmap_mut(&roadmap.id);
        let refused = |refusal: crate::core::ops::Refusal| match refusal {
            crate::core::ops::Refusal::OutOfReview { .. } => {
                usage(format!("{refusal}: `pathway review {key} on` puts it back"))
            }
            _ => usage(refusal.to_string()),
        };
        let Some(rating) = parsed else {
            let on = rating_word == "on";
            if !crate::core::ops::set_reviewing(rp, key, task, on, now).map_err(refused)? {
                let already = if on { "in review" } else { "out of review" };
                return Ok((false, format!("{key}: already {already}")));
            }
            return Ok((
                true,
                if on {
                    format!("{key}: back in review, due tomorrow")
                } else {
                    format!("{key}: out of review (pathway review {key} on puts it back)")
                },
            ));
        };
        let (card, next) =
            crate::core::ops::rate(rp, key, task, asked.card.as_deref(), rating, now, settings)
                .map_err(refused)?;
        Ok((
            true,
            format!(
                "{}: {} · next review {}",
                crate::core::review::card_key(key, &card),
                rating.word(),
                crate::core::text::when(next, now, &tz)
            ),
        ))
    })?;
    writeln!(out, "{line}")?;
    Ok(())
}

/// `3d`, `12h`, `2w`, `30m`: a span of time from now.
fn parse_within(text: &str) -> Result<jiff::SignedDuration> {
    let bad = || {
        usage(format!(
            "--ahead {text:?}: give a span such as 3d, 12h or 1w"
        ))
    };
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?);
    let n: i64 = number.parse().map_err(|_| bad())?;
    let hours = match unit {
        "m" | "min" => return Ok(jiff::SignedDuration::from_mins(n.min(1_000_000))),
        "h" => n,
        "d" => n.saturating_mul(24),
        "w" => n.saturating_mul(24 * 7),
        _ => return Err(bad()),
    };
    Ok(jiff::SignedDuration::from_hours(hours.min(24 * 366 * 10)))
}
