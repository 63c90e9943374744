//! One task's (or step's) parts and the time each last changed.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Checked, OwnCard, ReviewState, Status};

/// What the learner did with one task (or step), in parts that change independently: its
/// status (with the dates that go with it), its note, its review state (one per card) and the
/// result of its last check. Each part carries its own change time, so two copies that changed
/// different parts of one task both keep their change when they are merged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[serde(default)]
    pub status: Status,
    /// The first time the item left "todo": when the learner started on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<Timestamp>,
    /// When the task was last ticked done; unticking keeps it, so ticking again resumes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed: Option<Timestamp>,
    /// When the status last changed. In files before version 3 it is when anything about the
    /// item changed, and it stands for the time of every part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<Timestamp>,
    /// The result of the task's last check, with its own time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<Checked>,
    /// Version 2's review state of the whole task: since version 3 it is the state of the
    /// task's first card, until that card is reviewed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewState>,
    /// Each card's place in spaced review, by card id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub cards: BTreeMap<String, ReviewState>,
    /// The learner's own cards, by id (`+…`, see `own`), removed ones included so merges
    /// know of the removal. New in version 4.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub own: BTreeMap<String, OwnCard>,
    /// When the note was last written or removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noted: Option<Timestamp>,
    /// The learner's own note; never empty (an empty note is removed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Item {
    /// When the note part last changed. A note from before version 3 changed when the item did.
    pub fn note_at(&self) -> Option<Timestamp> {
        self.noted.or_else(|| self.note.as_ref().and(self.updated))
    }

    /// When a review state last changed. One from before version 3 changed when the item did.
    pub fn review_at(&self, state: &ReviewState) -> Option<Timestamp> {
        state.changed.or(self.updated)
    }

    /// The latest change to any part.
    pub fn last_change(&self) -> Option<Timestamp> {
        let cards = self.cards.values().chain(&self.review);
        [
            self.updated,
            self.note_at(),
            self.checked.as_ref().map(|c| c.at),
        ]
        .into_iter()
        .chain(cards.map(|s| self.review_at(s)))
        .chain(self.own.values().map(|c| Some(c.changed)))
        .max()
        .flatten()
    }

    /// Nothing recorded in any part, not even the time a part was cleared.
    pub fn is_blank(&self) -> bool {
        *self == Item::default()
    }

    /// The status part: the status and the dates that change with it.
    pub fn status_part(
        &self,
    ) -> (
        Option<Timestamp>,
        Status,
        Option<Timestamp>,
        Option<Timestamp>,
    ) {
        (self.updated, self.status, self.started, self.completed)
    }

    pub(super) fn set_status_part(&mut self, from: &Item) {
        self.updated = from.updated;
        self.status = from.status;
        self.started = from.started;
        self.completed = from.completed;
    }

    pub fn note_part(&self) -> (Option<Timestamp>, Option<&String>) {
        (self.note_at(), self.note.as_ref())
    }

    /// Writes the part times a file before version 3 left implicit, so that taking one part of
    /// the item from another copy cannot move the time of the others.
    /// A part with no time at all (a hand-written file) is as old as can be, once and for all:
    /// it must not take the time of a status change merged in later.
    pub(super) fn settle(&mut self) {
        let updated = self.updated.unwrap_or(Timestamp::UNIX_EPOCH);
        if self.note.is_some() && self.noted.is_none() {
            self.noted = Some(updated);
        }
        for state in self.cards.values_mut().chain(self.review.as_mut()) {
            if state.changed.is_none() {
                state.changed = Some(updated);
            }
        }
    }
}
