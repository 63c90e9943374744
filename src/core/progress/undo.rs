//! Undo and redo of a change, part by part.

use jiff::Timestamp;

use super::{Item, OwnCard, ReviewState, RoadmapProgress};
use crate::core::history::Event;

impl RoadmapProgress {
    /// Puts the parts of item `key` that a change turned from `from` into `to` back as they
    /// were in `from` (an undo, or with the two swapped a redo), each only if it still holds
    /// exactly what that change wrote: a part another process changed since is left alone.
    /// Reverted parts are stamped as new changes, so a merge treats them as the newest, and are
    /// logged. Returns whether anything changed.
    pub fn revert(
        &mut self,
        key: &str,
        from: Option<&Item>,
        to: Option<&Item>,
        now: Timestamp,
    ) -> bool {
        let blank = Item::default();
        let (from, to) = (from.unwrap_or(&blank), to.unwrap_or(&blank));
        let Some(mut item) = self.items.get(key).cloned() else {
            return false;
        };
        item.settle();
        let before = item.clone();
        let mut events = Vec::new();
        if to.status_part() != from.status_part() && item.status_part() == to.status_part() {
            let at = self.stamp(item.updated, now);
            events.push(Event::status(at, key, item.status, from.status));
            item.set_status_part(&Item {
                updated: Some(at),
                ..from.clone()
            });
        }
        if to.note_part() != from.note_part() && item.note_part() == to.note_part() {
            let at = self.stamp(item.note_at(), now);
            events.push(Event::note(at, key, item.note.as_deref()));
            item.note = from.note.clone();
            item.noted = Some(at);
        }
        let revert_state =
            |current: Option<&ReviewState>,
             was: Option<&ReviewState>,
             wrote: Option<&ReviewState>,
             at_of: &dyn Fn(&ReviewState) -> Option<Timestamp>| {
                let written = wrote.map(|s| (at_of(s), s));
                (was.map(|s| (at_of(s), s)) != written && current.map(|s| (at_of(s), s)) == written)
                    .then(|| was.cloned())
            };
        let review = revert_state(
            item.review.as_ref(),
            from.review.as_ref(),
            to.review.as_ref(),
            &|s| to.review_at(s),
        );
        if let Some(was) = review {
            let at = self.stamp(item.review.as_ref().and_then(|s| s.changed), now);
            item.review = Some(fresh_or(was, at));
        }
        let cards: std::collections::BTreeSet<&String> =
            from.cards.keys().chain(to.cards.keys()).collect();
        for card in cards {
            if let Some(was) = revert_state(
                item.cards.get(card),
                from.cards.get(card),
                to.cards.get(card),
                &|s| to.review_at(s),
            ) {
                let at = self.stamp(item.cards.get(card).and_then(|s| s.changed), now);
                item.cards.insert(card.clone(), fresh_or(was, at));
            }
        }
        let ids: std::collections::BTreeSet<&String> =
            from.own.keys().chain(to.own.keys()).collect();
        for id in ids {
            let (was, wrote) = (from.own.get(id), to.own.get(id));
            if was == wrote || item.own.get(id) != wrote {
                continue;
            }
            let at = self.stamp(wrote.map(|c| c.changed), now);
            let put = match (was, wrote) {
                (Some(card), _) if !card.is_removed() => OwnCard {
                    changed: at,
                    ..card.clone()
                },
                // The undo of an addition, or of an edit of a card since removed: what the
                // change wrote is removed, as a removal that saw it.
                (_, Some(card)) if !card.is_removed() => OwnCard {
                    changed: at,
                    removed: Some(card.changed),
                    ask: String::new(),
                    answer: String::new(),
                },
                _ => continue,
            };
            item.own.insert(id.clone(), put);
        }
        if item == before {
            return false;
        }
        self.items.insert(key.to_string(), item);
        for event in events {
            self.log(event);
        }
        true
    }
}

impl Item {
    /// Keeps a trail of undos (or redos) walking. An undo turned this item from `current` into
    /// `result` by putting back `target`, each part it put back stamped as a new change. `self`
    /// is what the change before it in the trail wrote (for the next undo) or started from (for
    /// the next redo): each part of it that is `target`'s takes `result`'s stamp, so the next
    /// undo finds the part as this one left it and reverts it too, while a part that another
    /// process changed in between still differs and is left alone.
    pub fn follow_revert(&mut self, target: &Item, current: &Item, result: &Item) {
        if current.status_part() != result.status_part()
            && self.status_part() == target.status_part()
        {
            self.set_status_part(result);
        }
        if current.note_part() != result.note_part() && self.note_part() == target.note_part() {
            self.note = result.note.clone();
            self.noted = result.noted;
        }
        if current.review != result.review && self.review == target.review {
            self.review = result.review.clone();
        }
        let cards: std::collections::BTreeSet<String> = current
            .cards
            .keys()
            .chain(result.cards.keys())
            .cloned()
            .collect();
        for card in cards {
            if current.cards.get(&card) != result.cards.get(&card)
                && self.cards.get(&card) == target.cards.get(&card)
            {
                match result.cards.get(&card) {
                    Some(state) => self.cards.insert(card, state.clone()),
                    None => self.cards.remove(&card),
                };
            }
        }
        self.follow_revert_own(target, current, result);
    }
}

impl Item {
    /// `follow_revert` for the learner's own cards, card by card.
    fn follow_revert_own(&mut self, target: &Item, current: &Item, result: &Item) {
        let ids: std::collections::BTreeSet<String> = current
            .own
            .keys()
            .chain(result.own.keys())
            .cloned()
            .collect();
        for id in ids {
            if current.own.get(&id) != result.own.get(&id)
                && self.own.get(&id) == target.own.get(&id)
            {
                match result.own.get(&id) {
                    Some(card) => self.own.insert(id, card.clone()),
                    None => self.own.remove(&id),
                };
            }
        }
    }
}

/// A review state put back by an undo, stamped `at`: the state it had, or, for a card that had
/// none, a new card's (never reviewed, due now), which a merge cannot mistake for no change.
fn fresh_or(was: Option<ReviewState>, at: Timestamp) -> ReviewState {
    let state = was.unwrap_or_else(|| ReviewState::new_card(at));
    ReviewState {
        changed: Some(at),
        ..state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::progress::Status;
    use crate::core::progress::tests::at;
    #[test]
    fn undo_reverts_only_the_parts_its_change_wrote_while_they_still_hold_it() {
        let mut rp = RoadmapProgress::default();
        let before = rp.item("s/a").cloned();
        rp.set_status("s/a", Status::Done, at(10));
        let after = rp.item("s/a").cloned();
        // Another process writes a note on that task before the undo.
        let mut other = rp.clone();
        other.set_note("s/a", "theirs", at(11));
        rp.merge_from(&other);
        assert!(rp.revert("s/a", before.as_ref(), after.as_ref(), at(12)));
        assert_eq!(rp.status("s/a"), Status::Todo, "the status is undone");
        assert_eq!(rp.note("s/a"), Some("theirs"), "their note stays");
        // A status changed again since is not the undo's to revert.
        let mut rp2 = RoadmapProgress::default();
        rp2.set_status("s/a", Status::Done, at(10));
        let written = rp2.item("s/a").cloned();
        rp2.set_status("s/a", Status::Skipped, at(11));
        assert!(!rp2.revert("s/a", None, written.as_ref(), at(12)));
        assert_eq!(rp2.status("s/a"), Status::Skipped);
    }

    #[test]
    fn undoing_two_changes_of_one_part_walks_back_through_both() {
        // Start, tick, then undo both: the first undo stamps the status anew, and the second
        // must still recognise it as what the first change wrote.
        let mut rp = RoadmapProgress::default();
        let todo = rp.item("s/a").cloned();
        rp.set_status("s/a", Status::InProgress, at(10));
        let mut started = rp.item("s/a").cloned();
        rp.set_status("s/a", Status::Done, at(10));
        let done = rp.item("s/a").cloned();
        let current = rp.item("s/a").cloned().unwrap_or_default();
        assert!(rp.revert("s/a", started.as_ref(), done.as_ref(), at(10)));
        assert_eq!(rp.status("s/a"), Status::InProgress);
        let result = rp.item("s/a").cloned().unwrap_or_default();
        let target = started.clone().unwrap_or_default();
        if let Some(started) = started.as_mut() {
            started.follow_revert(&target, &current, &result);
        }
        assert!(rp.revert("s/a", todo.as_ref(), started.as_ref(), at(10)));
        assert_eq!(rp.status("s/a"), Status::Todo, "back where it began");
    }
}
