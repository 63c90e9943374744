//! The learner's own review cards on a task: written, edited and removed by the learner, kept
//! in the progress file and merged card by card.
//!
//! A card's id is `+` and the time it was added, in milliseconds since 1970 in base 36
//! (`+mj4k2x1c`). It never changes, it is the same on every copy of the file (two machines
//! that each add a card add two cards, not one card twice), and no roadmap card can have it:
//! a roadmap's card ids may not start with `+`. Its review state is kept with the roadmap's
//! cards' (`Item::cards`), under that id.
//!
//! Merging keeps, per card, the later of two edits. A removal is kept as the card's id with
//! the time of the version it removed (`removed`): it wins over that version and any older one,
//! but an edit it never saw (made on another copy, later than that version) brings the card
//! back with the edit, so a removal never drops text the learner did not see.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::RoadmapProgress;

/// One card the learner wrote, or the mark that it was removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OwnCard {
    /// When the card was last written, or removed.
    pub changed: Timestamp,
    /// For a removed card, when the version it removed was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub removed: Option<Timestamp>,
    /// The question; empty once removed.
    #[serde(default)]
    pub ask: String,
    /// The answer, perhaps empty.
    #[serde(default)]
    pub answer: String,
}

impl OwnCard {
    pub fn is_removed(&self) -> bool {
        self.removed.is_some()
    }

    /// The order in which versions of one card supersede each other: the greater wins a merge.
    /// A removal ranks by the version it removed, just above it, so it beats that version and
    /// older ones, and loses to an edit it never saw.
    pub(super) fn rank(&self) -> (Timestamp, bool, Timestamp, &str, &str) {
        match self.removed {
            Some(seen) => (seen, true, self.changed, "", ""),
            None => (self.changed, false, self.changed, &self.ask, &self.answer),
        }
    }
}

/// The time an own card's id stands for, for ordering cards as they were added.
pub fn added_at(id: &str) -> Option<u64> {
    u64::from_str_radix(id.strip_prefix('+')?, 36).ok()
}

/// The id of a card added at `at`: `+` and its milliseconds in base 36.
fn id_for(at: Timestamp) -> String {
    let mut n = u64::try_from(at.as_millisecond()).unwrap_or(0);
    let mut digits = Vec::new();
    loop {
        digits.push(char::from_digit((n % 36) as u32, 36).unwrap_or('0'));
        n /= 36;
        if n == 0 {
            break;
        }
    }
    std::iter::once('+')
        .chain(digits.into_iter().rev())
        .collect()
}

impl RoadmapProgress {
    /// The learner's cards on the task `key` (not those removed), in the order they were added.
    pub fn own_cards(&self, key: &str) -> Vec<(&str, &OwnCard)> {
        let Some(item) = self.items.get(key) else {
            return Vec::new();
        };
        let mut cards: Vec<(&str, &OwnCard)> = item
            .own
            .iter()
            .filter(|(_, c)| !c.is_removed())
            .map(|(id, c)| (id.as_str(), c))
            .collect();
        cards.sort_by_key(|(id, _)| (added_at(id), *id));
        cards
    }

    /// Adds a card of the learner's to the task `key`; returns its id. The text is taken as
    /// it is: the guards (lengths, an empty question) are `ops::add_card`'s.
    pub fn add_own_card(&mut self, key: &str, ask: &str, answer: &str, now: Timestamp) -> String {
        let mut at = self.stamp(None, now);
        let item = self.items.entry(key.to_string()).or_default();
        // Two cards added in one millisecond (a script) still get ids of their own.
        while item.own.contains_key(&id_for(at)) {
            at = super::change_time(Some(at), at);
        }
        let id = id_for(at);
        item.own.insert(
            id.clone(),
            OwnCard {
                changed: at,
                removed: None,
                ask: ask.to_string(),
                answer: answer.to_string(),
            },
        );
        self.started.get_or_insert(at);
        id
    }

    /// Rewrites the question and the answer of one of the learner's cards; whether anything
    /// changed (`false` too for a card that is not there).
    pub fn edit_own_card(
        &mut self,
        key: &str,
        id: &str,
        ask: &str,
        answer: &str,
        now: Timestamp,
    ) -> bool {
        let Some(card) = self.own_card(key, id) else {
            return false;
        };
        if card.ask == ask && card.answer == answer {
            return false;
        }
        let at = self.stamp(Some(card.changed), now);
        let edited = OwnCard {
            changed: at,
            removed: None,
            ask: ask.to_string(),
            answer: answer.to_string(),
        };
        self.put_own_card(key, id, edited);
        true
    }

    /// Removes one of the learner's cards; whether it was there. Its review state stays, so an
    /// undo (or an edit from another copy that brings it back) finds its schedule again.
    pub fn remove_own_card(&mut self, key: &str, id: &str, now: Timestamp) -> bool {
        let Some(card) = self.own_card(key, id) else {
            return false;
        };
        let seen = card.changed;
        let at = self.stamp(Some(seen), now);
        let removed = OwnCard {
            changed: at,
            removed: Some(seen),
            ask: String::new(),
            answer: String::new(),
        };
        self.put_own_card(key, id, removed);
        true
    }

    /// One of the learner's cards on the task, if it is there (not removed).
    pub fn own_card(&self, key: &str, id: &str) -> Option<&OwnCard> {
        self.items
            .get(key)
            .and_then(|i| i.own.get(id))
            .filter(|c| !c.is_removed())
    }

    fn put_own_card(&mut self, key: &str, id: &str, card: OwnCard) {
        if let Some(item) = self.items.get_mut(key) {
            item.own.insert(id.to_string(), card);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::progress::tests::at;

    #[test]
    fn cards_are_added_in_order_edited_and_removed() {
        let mut rp = RoadmapProgress::default();
        let first = rp.add_own_card("s/t", "Q1?", "A1", at(100));
        let second = rp.add_own_card("s/t", "Q2?", "", at(100));
        assert_ne!(first, second, "one millisecond, two ids");
        assert!(first.starts_with('+') && added_at(&first) == Some(100_000));
        let ids: Vec<&str> = rp.own_cards("s/t").iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [first.as_str(), second.as_str()]);
        assert!(rp.edit_own_card("s/t", &first, "Q1 reworded?", "A1", at(200)));
        assert!(
            !rp.edit_own_card("s/t", &first, "Q1 reworded?", "A1", at(201)),
            "the same text changes nothing"
        );
        assert_eq!(
            rp.own_card("s/t", &first).map(|c| c.ask.as_str()),
            Some("Q1 reworded?")
        );
        assert!(rp.remove_own_card("s/t", &first, at(300)));
        assert!(!rp.remove_own_card("s/t", &first, at(301)), "already gone");
        assert!(!rp.edit_own_card("s/t", &first, "back?", "", at(302)));
        assert_eq!(rp.own_cards("s/t").len(), 1);
        assert_eq!(rp.started, Some(at(100)));
    }

    #[test]
    fn ids_sort_by_the_time_they_stand_for() {
        assert_eq!(id_for(at(0)), "+0");
        assert_eq!(
            added_at(&id_for(at(1_764_000_000))),
            Some(1_764_000_000_000)
        );
        assert_eq!(added_at("recall"), None);
    }

    /// Both orders of a merge, which must agree.
    fn merged(a: &RoadmapProgress, b: &RoadmapProgress) -> RoadmapProgress {
        let (mut one, mut two) = (a.clone(), b.clone());
        one.merge_from(b);
        two.merge_from(a);
        assert_eq!(one, two, "the order of a merge does not matter");
        one
    }

    fn asks(rp: &RoadmapProgress) -> Vec<&str> {
        rp.own_cards("s/t")
            .iter()
            .map(|(_, c)| c.ask.as_str())
            .collect()
    }

    #[test]
    fn cards_added_on_two_machines_are_both_kept() {
        let base = RoadmapProgress::default();
        let (mut laptop, mut desktop) = (base.clone(), base);
        laptop.add_own_card("s/t", "from the laptop?", "", at(10));
        desktop.add_own_card("s/t", "from the desktop?", "", at(20));
        let both = merged(&laptop, &desktop);
        assert_eq!(asks(&both), ["from the laptop?", "from the desktop?"]);
        let mut again = both.clone();
        assert!(!again.merge_from(&laptop), "merging again changes nothing");
    }

    #[test]
    fn a_card_edited_on_two_machines_keeps_the_later_edit() {
        let mut base = RoadmapProgress::default();
        let id = base.add_own_card("s/t", "Q?", "A", at(10));
        let (mut a, mut b) = (base.clone(), base);
        a.edit_own_card("s/t", &id, "Q on a?", "A", at(30));
        b.edit_own_card("s/t", &id, "Q on b?", "A", at(20));
        assert_eq!(asks(&merged(&a, &b)), ["Q on a?"]);
    }

    #[test]
    fn a_removal_wins_over_what_it_saw_and_loses_to_an_edit_it_never_saw() {
        let mut base = RoadmapProgress::default();
        let id = base.add_own_card("s/t", "Q?", "A", at(10));
        // Removed on one machine, the other left the card as it was: it stays removed.
        let mut removed = base.clone();
        removed.remove_own_card("s/t", &id, at(20));
        assert!(asks(&merged(&removed, &base)).is_empty());
        // Edited on the other machine, before or after the removal, without having seen it: the
        // edit is kept, the card with it.
        for when in [15, 25] {
            let mut edited = base.clone();
            edited.edit_own_card("s/t", &id, "Q, better?", "A", at(when));
            assert_eq!(asks(&merged(&removed, &edited)), ["Q, better?"], "{when}");
        }
        // Edited, synced, then removed where the edit was seen: the removal stands.
        let mut edited = base.clone();
        edited.edit_own_card("s/t", &id, "Q, better?", "A", at(15));
        let mut seen_then_removed = merged(&edited, &base);
        seen_then_removed.remove_own_card("s/t", &id, at(30));
        assert!(asks(&merged(&seen_then_removed, &edited)).is_empty());
    }

    #[test]
    fn a_reset_clears_the_cards_and_undo_takes_an_addition_back() {
        let mut rp = RoadmapProgress::default();
        let before = rp.item("s/t").cloned();
        let id = rp.add_own_card("s/t", "Q?", "A", at(10));
        let after = rp.item("s/t").cloned();
        let elsewhere = rp.clone();
        assert!(rp.revert("s/t", before.as_ref(), after.as_ref(), at(11)));
        assert!(asks(&rp).is_empty(), "undone");
        assert!(
            asks(&merged(&rp, &elsewhere)).is_empty(),
            "the undo wins over the copy it was made on"
        );
        let removed = rp.item("s/t").cloned();
        assert!(rp.revert("s/t", after.as_ref(), removed.as_ref(), at(12)));
        assert_eq!(asks(&rp), ["Q?"], "redone");
        assert_eq!(rp.own_cards("s/t")[0].0, id);
        rp.reset(at(13));
        assert!(rp.items.is_empty(), "{rp:?}");
        assert!(asks(&merged(&rp, &elsewhere)).is_empty());
    }
}
