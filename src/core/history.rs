//! The change log: every status change and note edit, with its time. Kept in the progress file,
//! one line an event; events older than a year are folded into daily totals so the file stays
//! small.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::core::status::{Rating, Status};

/// Events older than this are compacted into daily totals.
pub const KEEP: SignedDuration = SignedDuration::from_hours(365 * 24);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Event {
    pub at: Timestamp,
    pub item: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Status {
        from: Status,
        to: Status,
    },
    /// A note was written, changed or removed; the text it replaced is kept, so a note
    /// overwritten or removed by mistake can be read back.
    Note {
        replaced: Option<String>,
    },
    /// A review, and how well the learner remembered.
    Review(Rating),
    /// A review undone (inside the session it was given in): it no longer counts.
    ReviewUndone(Rating),
    /// The task was taken out of review (`false`) or put back (`true`).
    Reviewing(bool),
    /// The task's check ran: passed (`true`) or failed.
    Checked(bool),
    /// Two copies of the progress changed the note at once; this text lost the merge and is
    /// kept here rather than dropped.
    NoteConflict {
        lost: String,
    },
}

/// What the events of one (UTC) day added up to, once they were compacted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DayTotals {
    /// Status changes and note edits.
    pub changes: u32,
    /// Changes to "done".
    pub done: u32,
}

impl Event {
    pub fn status(at: Timestamp, item: &str, from: Status, to: Status) -> Event {
        Event {
            at,
            item: item.to_string(),
            change: Change::Status { from, to },
        }
    }

    /// A note edit that replaced `replaced` (none: there was no note).
    pub fn note(at: Timestamp, item: &str, replaced: Option<&str>) -> Event {
        Event {
            at,
            item: item.to_string(),
            change: Change::Note {
                replaced: replaced.map(str::to_string),
            },
        }
    }
}

/// `2026-11-24T19:00:00.123Z databases/sql-basics todo->done`, or `… linux note`.
impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.change {
            Change::Status { from, to } => write!(
                f,
                "{} {} {}->{}",
                crate::core::utc::Written(self.at),
                self.item,
                from.word(),
                to.word()
            ),
            Change::Note { replaced: None } => {
                write!(
                    f,
                    "{} {} note",
                    crate::core::utc::Written(self.at),
                    self.item
                )
            }
            // The replaced text as a JSON string: one line, whatever it holds.
            Change::Note {
                replaced: Some(text),
            } => write!(
                f,
                "{} {} note {}",
                crate::core::utc::Written(self.at),
                self.item,
                serde_json::to_string(text).unwrap_or_default()
            ),
            Change::NoteConflict { lost } => write!(
                f,
                "{} {} note-conflict {}",
                crate::core::utc::Written(self.at),
                self.item,
                serde_json::to_string(lost).unwrap_or_default()
            ),
            Change::Review(rating) => {
                write!(
                    f,
                    "{} {} review-{}",
                    crate::core::utc::Written(self.at),
                    self.item,
                    rating.word()
                )
            }
            Change::ReviewUndone(rating) => {
                write!(
                    f,
                    "{} {} undo-review-{}",
                    crate::core::utc::Written(self.at),
                    self.item,
                    rating.word()
                )
            }
            Change::Checked(passed) => write!(
                f,
                "{} {} check-{}",
                crate::core::utc::Written(self.at),
                self.item,
                if *passed { "passed" } else { "failed" }
            ),
            Change::Reviewing(on) => write!(
                f,
                "{} {} review-{}",
                crate::core::utc::Written(self.at),
                self.item,
                if *on { "on" } else { "off" }
            ),
        }
    }
}

impl FromStr for Event {
    type Err = String;

    fn from_str(s: &str) -> Result<Event, String> {
        let bad = || format!("not a history event: {s:?}");
        let mut words = s.splitn(3, ' ');
        let (Some(at), Some(item), Some(change)) = (words.next(), words.next(), words.next())
        else {
            return Err(bad());
        };
        let at = crate::core::utc::parse(at).ok_or_else(bad)?;
        let change = match change {
            "note" => Change::Note { replaced: None },
            _ if change.starts_with("note-conflict ") => Change::NoteConflict {
                lost: serde_json::from_str(&change["note-conflict ".len()..]).map_err(|_| bad())?,
            },
            _ if change.starts_with("note ") => Change::Note {
                replaced: Some(serde_json::from_str(&change["note ".len()..]).map_err(|_| bad())?),
            },
            _ if change.starts_with("undo-review-") => Change::ReviewUndone(
                Rating::from_word(&change["undo-review-".len()..]).ok_or_else(bad)?,
            ),
            "check-passed" => Change::Checked(true),
            "check-failed" => Change::Checked(false),
            "review-on" => Change::Reviewing(true),
            "review-off" => Change::Reviewing(false),
            _ if change.starts_with("review-") => {
                Change::Review(Rating::from_word(&change["review-".len()..]).ok_or_else(bad)?)
            }
            _ => {
                if change.contains(' ') {
                    return Err(bad());
                }
                let (from, to) = change.split_once("->").ok_or_else(bad)?;
                Change::Status {
                    from: Status::from_word(from).ok_or_else(bad)?,
                    to: Status::from_word(to).ok_or_else(bad)?,
                }
            }
        };
        if item.is_empty() {
            return Err(bad());
        }
        Ok(Event {
            at,
            item: item.to_string(),
            change,
        })
    }
}

impl TryFrom<String> for Event {
    type Error = String;
    fn try_from(s: String) -> Result<Event, String> {
        s.parse()
    }
}

impl From<Event> for String {
    fn from(e: Event) -> String {
        e.to_string()
    }
}

/// `12 changes, 3 done`
impl fmt::Display for DayTotals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} changes, {} done", self.changes, self.done)
    }
}

impl FromStr for DayTotals {
    type Err = String;
    fn from_str(s: &str) -> Result<DayTotals, String> {
        let bad = || format!("not daily totals: {s:?}");
        let (changes, done) = s.split_once(" changes, ").ok_or_else(bad)?;
        let done = done.strip_suffix(" done").ok_or_else(bad)?;
        Ok(DayTotals {
            changes: changes.parse().map_err(|_| bad())?,
            done: done.parse().map_err(|_| bad())?,
        })
    }
}

impl TryFrom<String> for DayTotals {
    type Error = String;
    fn try_from(s: String) -> Result<DayTotals, String> {
        s.parse()
    }
}

impl From<DayTotals> for String {
    fn from(d: DayTotals) -> String {
        d.to_string()
    }
}

/// The replaced and conflicting note texts the log keeps, newest first, add up to at most this
/// many bytes; older texts are dropped (their events stay), so the file cannot grow without
/// bound from edits of one long note.
pub const MAX_KEPT_TEXT: usize = 1024 * 1024;

impl Event {
    /// The note text this event keeps, if any.
    pub fn kept_text(&self) -> Option<&str> {
        match &self.change {
            Change::Note { replaced } => replaced.as_deref(),
            Change::NoteConflict { lost } => Some(lost),
            _ => None,
        }
    }
}

/// Whether the log keeps `text` as a former or conflicting note of `item`.
pub fn keeps_text(events: &[Event], item: &str, text: &str) -> bool {
    events
        .iter()
        .any(|e| e.item == item && e.kept_text() == Some(text))
}

/// Drops the oldest kept note texts beyond `MAX_KEPT_TEXT` (a conflict event whose text goes
/// goes with it, as it holds nothing else). The result depends on the events alone, so two
/// copies that bound the same events agree.
pub fn bound_texts(events: &mut Vec<Event>) {
    let mut total = 0usize;
    let mut dropped = false;
    for event in events.iter_mut().rev() {
        let Some(len) = event.kept_text().map(str::len) else {
            continue;
        };
        total = total.saturating_add(len);
        if total <= MAX_KEPT_TEXT {
            continue;
        }
        dropped = true;
        event.change = match &event.change {
            Change::Note { .. } => Change::Note { replaced: None },
            // Only its text made it worth keeping; an empty conflict is removed below.
            _ => Change::NoteConflict {
                lost: String::new(),
            },
        };
    }
    if dropped {
        events.retain(|e| !matches!(&e.change, Change::NoteConflict { lost } if lost.is_empty()));
        events.sort_unstable();
        events.dedup();
    }
}

/// The UTC day of a time, as the key of daily totals: `2026-11-24`.
pub fn day(at: Timestamp) -> String {
    jiff::tz::Offset::UTC.to_datetime(at).date().to_string()
}

/// Folds events older than `KEEP` into daily totals, whole days at a time (a day is compacted
/// only once all of it is old enough), so that two copies compacting at different moments agree.
pub fn compact(events: &mut Vec<Event>, daily: &mut BTreeMap<String, DayTotals>, now: Timestamp) {
    let cutoff = day(now - KEEP);
    let old = events.iter().take_while(|e| day(e.at) < cutoff).count();
    for event in events.drain(..old) {
        let totals = daily.entry(day(event.at)).or_default();
        totals.changes += 1;
        if let Change::Status {
            to: Status::Done, ..
        } = event.change
        {
            totals.done += 1;
        }
    }
}

/// Merges another copy's history into this one: the union of the events in time order, and per
/// day the larger totals. Events of a day that either side has compacted already are dropped,
/// as the totals count them. Returns whether anything came in.
pub fn merge(
    events: &mut Vec<Event>,
    daily: &mut BTreeMap<String, DayTotals>,
    their_events: &[Event],
    their_daily: &BTreeMap<String, DayTotals>,
) -> bool {
    let mut changed = false;
    for (date, theirs) in their_daily {
        let ours = daily.entry(date.clone()).or_default();
        let merged = DayTotals {
            changes: ours.changes.max(theirs.changes),
            done: ours.done.max(theirs.done),
        };
        changed |= merged != *ours;
        *ours = merged;
    }
    if their_events.is_empty() && !changed {
        return false;
    }
    let before = events.len();
    let mut all: Vec<Event> = Vec::with_capacity(events.len() + their_events.len());
    all.append(events);
    all.extend(their_events.iter().cloned());
    all.sort_unstable();
    all.dedup();
    all.retain(|e| !daily.contains_key(&day(e.at)));
    bound_texts(&mut all);
    changed |= all.len() != before;
    *events = all;
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("valid")
    }

    #[test]
    fn events_and_totals_read_back_what_they_write() {
        let e = Event::status(
            at(1_700_000_000),
            "databases/sql-basics",
            Status::Todo,
            Status::Done,
        );
        assert_eq!(
            e.to_string(),
            "2023-11-14T22:13:20Z databases/sql-basics todo->done"
        );
        assert_eq!(e.to_string().parse::<Event>(), Ok(e));
        let n = Event::note(at(5), "linux", None);
        assert_eq!(n.to_string().parse::<Event>(), Ok(n));
        let kept = Event::note(at(6), "linux", Some("use a VM\n\"quoted\" \u{1b} -> x"));
        assert_eq!(kept.to_string().parse::<Event>(), Ok(kept));
        for change in [
            Change::Review(Rating::Again),
            Change::Review(Rating::Easy),
            Change::Reviewing(false),
            Change::Reviewing(true),
        ] {
            let e = Event {
                at: at(7),
                item: "git/basics".into(),
                change,
            };
            assert_eq!(e.to_string().parse::<Event>(), Ok(e));
        }
        assert!(
            "2023-11-14T22:13:20Z x review-maybe"
                .parse::<Event>()
                .is_err()
        );
        let d = DayTotals {
            changes: 12,
            done: 3,
        };
        assert_eq!(d.to_string(), "12 changes, 3 done");
        assert_eq!(d.to_string().parse::<DayTotals>(), Ok(d));
        assert!("yesterday x todo->done".parse::<Event>().is_err());
        assert!(
            "2023-11-14T22:13:20Z x todo->finished"
                .parse::<Event>()
                .is_err()
        );
    }

    #[test]
    fn compaction_folds_whole_old_days_into_totals() {
        let day_secs = 86_400;
        let now = at(400 * day_secs);
        let mut events = vec![
            Event::status(at(10 * day_secs), "a", Status::Todo, Status::Done),
            Event::note(at(10 * day_secs + 60), "a", None),
            Event::status(at(20 * day_secs), "b", Status::Todo, Status::InProgress),
            Event::status(at(399 * day_secs), "c", Status::Todo, Status::Done),
        ];
        let mut daily = BTreeMap::new();
        compact(&mut events, &mut daily, now);
        assert_eq!(events.len(), 1, "only the recent event stays");
        assert_eq!(
            daily.get("1970-01-11"),
            Some(&DayTotals {
                changes: 2,
                done: 1
            })
        );
        assert_eq!(
            daily.get("1970-01-21"),
            Some(&DayTotals {
                changes: 1,
                done: 0
            })
        );
    }

    #[test]
    fn merging_unites_events_without_double_counting() {
        let a = Event::note(at(100), "a", None);
        let b = Event::note(at(200), "b", None);
        let c = Event::note(at(300), "c", None);
        let mut ours = vec![a.clone(), b.clone()];
        let mut daily = BTreeMap::new();
        assert!(merge(
            &mut ours,
            &mut daily,
            &[b.clone(), c.clone()],
            &BTreeMap::new()
        ));
        assert_eq!(ours, vec![a.clone(), b.clone(), c.clone()]);
        assert!(
            !merge(
                &mut ours,
                &mut daily,
                std::slice::from_ref(&a),
                &BTreeMap::new()
            ),
            "nothing new"
        );
        // The other side compacted that day already: its totals count these events.
        let mut theirs_daily = BTreeMap::new();
        theirs_daily.insert(
            day(at(100)),
            DayTotals {
                changes: 3,
                done: 0,
            },
        );
        merge(&mut ours, &mut daily, &[], &theirs_daily);
        assert!(ours.is_empty());
        assert_eq!(
            daily.get("1970-01-01"),
            Some(&DayTotals {
                changes: 3,
                done: 0
            })
        );
    }
}
