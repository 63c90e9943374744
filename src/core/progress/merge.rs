//! Merging two copies part by part, and resets that every merge respects.

use jiff::Timestamp;

use super::{Item, Progress, ReviewState, RoadmapProgress, earliest};
use crate::core::history::{self, Event};

impl RoadmapProgress {
    /// Clears this roadmap's progress for good: everything it holds is dropped here and,
    /// through the reset time, from any other copy it is merged with. The reset is stamped with
    /// the latest change it cleared, not with the clock: a clock running ahead must not make the
    /// reset swallow changes made after it on another machine, and changes it never saw (made
    /// elsewhere at the same time) survive it.
    pub fn reset(&mut self, now: Timestamp) {
        let latest = self
            .items
            .values()
            .filter_map(Item::last_change)
            .chain(self.history.iter().map(|e| e.at))
            .chain(self.started)
            .max();
        let at = latest.unwrap_or(now);
        *self = RoadmapProgress {
            reset: Some(self.reset.map_or(at, |r| r.max(at))),
            ..RoadmapProgress::default()
        };
    }

    /// Whether anything here is from before `reset` (which `forget_before_reset` would clear):
    /// history, daily totals, or a start.
    fn holds_before_reset(&self, reset: Option<Timestamp>) -> bool {
        let Some(reset) = reset else {
            return false;
        };
        let reset_day = history::day(reset);
        self.history.first().is_some_and(|e| e.at <= reset)
            || self
                .daily
                .keys()
                .next()
                .is_some_and(|day| *day <= reset_day)
            || self.started.is_some_and(|s| s <= reset)
            || self.items.values().any(|i| {
                let old = |at: Option<Timestamp>| at.is_some_and(|at| at <= reset);
                old(i.updated)
                    || old(i.noted)
                    || i.checked.as_ref().is_some_and(|c| c.at <= reset)
                    || i.review
                        .as_ref()
                        .is_some_and(|s| s.changed.is_none_or(|c| c <= reset))
                    || i.cards
                        .values()
                        .any(|s| s.changed.is_none_or(|c| c <= reset))
                    || i.own.values().any(|c| c.changed <= reset)
            })
    }

    /// Drops every part not newer than the last reset; returns whether anything went.
    pub(super) fn forget_before_reset(&mut self) -> bool {
        let Some(reset) = self.reset else {
            return false;
        };
        let before_len = (self.history.len(), self.daily.len(), self.started);
        let mut changed = false;
        let old = |at: Option<Timestamp>| at.is_none_or(|at| at <= reset);
        for item in self.items.values_mut() {
            item.settle();
            let before = item.clone();
            if item.updated.is_some() && old(item.updated) {
                item.set_status_part(&Item::default());
            }
            if item.noted.is_some() && old(item.noted) {
                item.note = None;
                item.noted = None;
            }
            item.cards.retain(|_, s| !old(s.changed));
            item.own.retain(|_, c| c.changed > reset);
            if item.review.as_ref().is_some_and(|s| old(s.changed)) {
                item.review = None;
            }
            if item.checked.as_ref().is_some_and(|c| c.at <= reset) {
                item.checked = None;
            }
            changed |= *item != before;
        }
        self.items.retain(|_, i| !i.is_blank());
        self.history.retain(|e| e.at > reset);
        let reset_day = history::day(reset);
        self.daily.retain(|day, _| *day > reset_day);
        if self.started.is_some_and(|s| s <= reset) {
            self.started = None;
        }
        changed || before_len != (self.history.len(), self.daily.len(), self.started)
    }
    /// Merges another copy of this roadmap's progress into this one, part by part: for each
    /// item's status, note, card and check result, the later change wins (on a tie, the larger
    /// value, so that the order of a merge never matters). A note that loses to a different
    /// note, and that no history keeps, is kept in the history as a merge conflict.
    pub fn merge_from(&mut self, theirs: &RoadmapProgress) -> bool {
        let reset = self.reset.max(theirs.reset);
        // What the reset cleared is left out of their copy first: taken in and then cleared
        // again, it would count as a change, and a merge repeated would never say "nothing".
        let cleared;
        let theirs = match reset {
            Some(_) if theirs.reset != reset || theirs.holds_before_reset(reset) => {
                let mut copy = theirs.clone();
                copy.reset = reset;
                copy.forget_before_reset();
                cleared = copy;
                &cleared
            }
            _ => theirs,
        };
        // Ours is cleared by the later reset before the parts are compared, as theirs was: a
        // part of ours the reset clears must not win over one of theirs it leaves (a part with
        // no time, from a hand-written file), or the result would depend on who merges.
        let mut changed = reset != self.reset;
        self.reset = reset;
        changed |= self.forget_before_reset();
        let after_reset = |at: Option<Timestamp>| reset.is_none_or(|r| at.is_some_and(|at| at > r));
        let started = earliest(
            self.started,
            theirs.started.filter(|s| after_reset(Some(*s))),
        );
        changed |= started != self.started;
        self.started = started;
        changed |= history::merge(
            &mut self.history,
            &mut self.daily,
            &theirs.history,
            &theirs.daily,
        );
        let mut lost = Vec::new();
        for (key, item) in &theirs.items {
            match self.items.get_mut(key) {
                Some(mine) => {
                    changed |= merge_item(mine, item, |at, text| lost.push((key, at, text)))
                }
                None => {
                    let mut item = item.clone();
                    item.settle();
                    self.items.insert(key.clone(), item);
                    changed = true;
                }
            }
        }
        for (key, at, text) in lost {
            if !history::keeps_text(&self.history, key, &text) {
                let event = Event {
                    at,
                    item: key.clone(),
                    change: history::Change::NoteConflict { lost: text },
                };
                let place = self.history.partition_point(|e| *e < event);
                self.history.insert(place, event);
                history::bound_texts(&mut self.history);
                changed = true;
            }
        }
        changed | self.forget_before_reset()
    }
}

/// A note that two copies both changed since their common ancestor, and what a three-way merge
/// made of it (see `Progress::merge_three`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteKept {
    pub roadmap: String,
    pub key: String,
    /// Both texts are kept, the later first (`false`: one copy removed the note, and the text
    /// the other wrote is kept).
    pub both: bool,
}

/// The line between the two texts of a note both copies changed.
pub fn kept_marker(written: Option<Timestamp>) -> String {
    match written {
        Some(at) => format!(
            "--- kept from the other copy (written {}) ---",
            history::day(at)
        ),
        None => "--- kept from the other copy ---".to_string(),
    }
}

impl Progress {
    /// Merges `theirs` into this copy with `base`, their common ancestor, known (Git's merge
    /// driver): as `merge_from`, part by part, except for a note both copies changed since
    /// `base` to different texts. Such a note keeps both: the later text first, then a marked
    /// line, then the other. One copy's removal loses to the other's edit. No note text is ever
    /// dropped. Returns those notes.
    pub fn merge_three(&mut self, base: &Progress, theirs: &Progress) -> Vec<NoteKept> {
        let mut kept = Vec::new();
        for (id, their_rp) in &theirs.roadmaps {
            let empty = RoadmapProgress::default();
            let base_rp = base.roadmap(id).unwrap_or(&empty);
            let mine = self.roadmap_mut(id);
            let mut their_rp = their_rp.clone();
            for (key, both) in mine.join_notes(base_rp, &mut their_rp) {
                kept.push(NoteKept {
                    roadmap: id.clone(),
                    key,
                    both,
                });
            }
            mine.merge_from(&their_rp);
        }
        kept
    }
}

impl RoadmapProgress {
    /// Gives this copy and `theirs` the same note wherever both changed it since `base`: both
    /// texts, or the one left where the other copy removed it. The note is stamped just after
    /// the later of the two edits, so the same two copies joined anywhere give the same note,
    /// and a later merge of those results finds nothing to join again.
    fn join_notes(
        &mut self,
        base: &RoadmapProgress,
        theirs: &mut RoadmapProgress,
    ) -> Vec<(String, bool)> {
        let keys: std::collections::BTreeSet<String> = self
            .items
            .iter()
            .chain(&theirs.items)
            .filter(|(_, i)| i.note.is_some() || i.noted.is_some())
            .map(|(k, _)| k.clone())
            .collect();
        let mut joined = Vec::new();
        for key in keys {
            let (o, t, b) = (self.note(&key), theirs.note(&key), base.note(&key));
            if o == t || o == b || t == b {
                continue;
            }
            let at = |rp: &RoadmapProgress| rp.item(&key).and_then(Item::note_at);
            let (o_at, t_at) = (at(self), at(theirs));
            let (text, both) = match (o, t) {
                (Some(o), Some(t)) => {
                    let ((later, _), (other, other_at)) = if (t_at, t) > (o_at, o) {
                        ((t, t_at), (o, o_at))
                    } else {
                        ((o, o_at), (t, t_at))
                    };
                    (
                        format!("{later}\n\n{}\n{other}", kept_marker(other_at)),
                        true,
                    )
                }
                (Some(text), None) | (None, Some(text)) => (text.to_string(), false),
                (None, None) => continue,
            };
            let latest = o_at.max(t_at).unwrap_or(Timestamp::UNIX_EPOCH);
            let stamp = super::change_time(Some(latest), latest);
            for rp in [&mut *self, &mut *theirs] {
                let item = rp.items.entry(key.clone()).or_default();
                item.settle();
                item.note = Some(text.clone());
                item.noted = Some(stamp);
            }
            joined.push((key, both));
        }
        joined
    }
}

/// Merges `theirs` into `mine` part by part; `lost` hears of a note that lost to a different one
/// (its time and text). Returns whether anything of theirs came in.
fn merge_item(mine: &mut Item, theirs: &Item, mut lost: impl FnMut(Timestamp, String)) -> bool {
    mine.settle();
    let mut changed = false;
    if theirs.status_part() > mine.status_part() {
        mine.set_status_part(theirs);
        changed = true;
    }
    let (ours_note, their_note) = (mine.note_part(), theirs.note_part());
    if ours_note != their_note {
        let theirs_wins = their_note > ours_note;
        let (winner, loser) = if theirs_wins {
            (their_note, ours_note)
        } else {
            (ours_note, their_note)
        };
        if let (Some(at), Some(text)) = loser
            && winner.1 != Some(text)
        {
            lost(at, text.clone());
        }
        if theirs_wins {
            mine.note = theirs.note.clone();
            mine.noted = theirs.note_at();
            changed = true;
        }
    }
    let later = |a: &ReviewState, at_a, b: &ReviewState, at_b| {
        (at_b, b.to_string()) > (at_a, a.to_string())
    };
    if let Some(their_review) = &theirs.review {
        let at = theirs.review_at(their_review);
        let take = match &mine.review {
            Some(ours) => later(ours, mine.review_at(ours), their_review, at),
            None => true,
        };
        if take {
            mine.review = Some(ReviewState {
                changed: at,
                ..their_review.clone()
            });
            changed = true;
        }
    }
    for (card, their_state) in &theirs.cards {
        let at = theirs.review_at(their_state);
        let take = match mine.cards.get(card) {
            Some(ours) => later(ours, mine.review_at(ours), their_state, at),
            None => true,
        };
        if take {
            mine.cards.insert(
                card.clone(),
                ReviewState {
                    changed: at,
                    ..their_state.clone()
                },
            );
            changed = true;
        }
    }
    for (id, their_card) in &theirs.own {
        let take = mine
            .own
            .get(id)
            .is_none_or(|ours| their_card.rank() > ours.rank());
        if take {
            mine.own.insert(id.clone(), their_card.clone());
            changed = true;
        }
    }
    if theirs.checked > mine.checked {
        mine.checked = theirs.checked.clone();
        changed = true;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::history::DayTotals;
    use crate::core::progress::tests::at;
    use crate::core::progress::{Progress, Status};
    #[test]
    fn merging_what_a_reset_cleared_again_changes_nothing() {
        // Found by the merge property: their daily total from before our reset was taken in,
        // cleared again, and the merge said it changed something, every time.
        let mine = RoadmapProgress {
            reset: Some(at(1_429_574_400)),
            ..RoadmapProgress::default()
        };
        let mut theirs = RoadmapProgress::default();
        theirs.daily.insert(
            "1990-01-01".into(),
            DayTotals {
                changes: 0,
                done: 0,
            },
        );
        theirs.set_status("s/t", Status::Done, at(1_000));
        let mut merged = mine.clone();
        merged.merge_from(&theirs);
        assert_eq!(merged, mine, "all of theirs is from before the reset");
        assert!(!merged.merge_from(&theirs), "and merging it again says so");
    }

    #[test]
    fn merging_keeps_the_later_change_of_each_item() {
        let mut disk = Progress::default();
        disk.roadmap_mut("r")
            .set_status("s/a", Status::Done, at(20));
        disk.roadmap_mut("r").set_status("s/b", Status::Done, at(5));
        disk.roadmap_mut("other")
            .set_status("x/y", Status::Done, at(1));
        let mut ours = Progress::default();
        ours.roadmap_mut("r")
            .set_status("s/a", Status::InProgress, at(10));
        ours.roadmap_mut("r")
            .set_status("s/b", Status::Skipped, at(30));
        ours.roadmap_mut("r").set_status("s/c", Status::Done, at(3));
        ours.merge_from(&disk);
        let r = ours.roadmap("r").expect("r");
        assert_eq!(r.status("s/a"), Status::Done, "theirs is newer");
        assert_eq!(r.status("s/b"), Status::Skipped, "ours is newer");
        assert_eq!(r.status("s/c"), Status::Done, "only ours has it");
        assert_eq!(r.started, Some(at(10)), "the earlier of the two starts");
        assert_eq!(
            ours.roadmap("other").map(|o| o.status("x/y")),
            Some(Status::Done)
        );
    }

    #[test]
    fn a_change_always_supersedes_the_state_it_replaced_despite_clock_skew() {
        let mut disk = Progress::default();
        // Another machine's clock ran ahead: its change carries a time in our future.
        disk.roadmap_mut("r")
            .set_status("s/a", Status::Done, at(1_000));
        let mut ours = disk.clone();
        assert!(
            ours.roadmap_mut("r")
                .set_status("s/a", Status::Todo, at(10))
        );
        let updated = ours
            .roadmap("r")
            .and_then(|r| r.item("s/a"))
            .and_then(|i| i.updated);
        assert!(updated > Some(at(1_000)), "{updated:?}");
        disk.merge_from(&ours);
        assert_eq!(
            disk.roadmap("r").map(|r| r.status("s/a")),
            Some(Status::Todo)
        );
    }

    #[test]
    fn a_reset_is_a_fact_that_merging_respects() {
        let mut open_tui = Progress::default();
        open_tui
            .roadmap_mut("r")
            .set_status("s/a", Status::Done, at(10));
        open_tui.roadmap_mut("r").set_note("s/b", "kept?", at(11));
        let mut disk = open_tui.clone();
        disk.roadmap_mut("r").reset(at(20));
        disk.roadmap_mut("other")
            .set_status("x/y", Status::Done, at(5));
        // The open TUI merges the reset file in: its old progress goes.
        open_tui.merge_from(&disk);
        let r = open_tui.roadmap("r").expect("r");
        assert!(r.items.is_empty(), "{r:?}");
        assert!(r.history.is_empty());
        assert_eq!(r.started, None);
        // A change made after the reset stays, on both sides of any merge.
        open_tui
            .roadmap_mut("r")
            .set_status("s/c", Status::Done, at(30));
        disk.merge_from(&open_tui);
        let r = disk.roadmap("r").expect("r");
        assert_eq!(r.status("s/c"), Status::Done);
        assert_eq!(r.status("s/a"), Status::Todo);
        assert_eq!(
            disk.roadmap("other").map(|o| o.status("x/y")),
            Some(Status::Done)
        );
    }

    #[test]
    fn on_a_tie_our_change_wins() {
        let mut disk = Progress::default();
        disk.roadmap_mut("r")
            .set_status("s/a", Status::Done, at(10));
        let mut ours = Progress::default();
        ours.roadmap_mut("r")
            .set_status("s/a", Status::Skipped, at(10));
        ours.merge_from(&disk);
        assert_eq!(
            ours.roadmap("r").map(|r| r.status("s/a")),
            Some(Status::Skipped)
        );
    }

    #[test]
    fn two_copies_changing_different_parts_of_one_task_both_keep_their_change() {
        let mut base = RoadmapProgress::default();
        base.set_status("s/a", Status::InProgress, at(1));
        let (mut laptop, mut desktop) = (base.clone(), base);
        laptop.set_status("s/a", Status::Done, at(10));
        desktop.set_note("s/a", "written on the desktop", at(20));
        let mut one = laptop.clone();
        one.merge_from(&desktop);
        desktop.merge_from(&laptop);
        assert_eq!(one, desktop, "the order of a merge does not matter");
        assert_eq!(
            one.status("s/a"),
            Status::Done,
            "the older status change stays"
        );
        assert_eq!(one.note("s/a"), Some("written on the desktop"));
    }

    #[test]
    fn a_note_that_loses_a_merge_is_kept_in_the_history() {
        let mut base = RoadmapProgress::default();
        base.set_note("s/a", "first draft", at(1));
        let (mut a, mut b) = (base.clone(), base);
        a.set_note("s/a", "edited here", at(10));
        b.set_note("s/a", "edited there", at(20));
        let mut merged = a.clone();
        assert!(merged.merge_from(&b));
        assert_eq!(merged.note("s/a"), Some("edited there"));
        let conflicts: Vec<&Event> = merged
            .history
            .iter()
            .filter(|e| matches!(e.change, history::Change::NoteConflict { .. }))
            .collect();
        assert_eq!(conflicts.len(), 1, "{:?}", merged.history);
        assert_eq!(conflicts[0].kept_text(), Some("edited here"));
        let again = merged.clone();
        assert!(
            !merged.merge_from(&b) && !merged.merge_from(&a),
            "merging again changes nothing"
        );
        assert_eq!(merged, again);
        // A note the other copy simply had not seen the edit of is no conflict: the history
        // keeps it as the text the edit replaced.
        let mut stale = RoadmapProgress::default();
        stale.set_note("s/b", "old", at(1));
        let mut fresh = stale.clone();
        fresh.set_note("s/b", "new", at(5));
        stale.merge_from(&fresh);
        assert!(
            !stale
                .history
                .iter()
                .any(|e| matches!(e.change, history::Change::NoteConflict { .. }))
        );
    }

    fn three_way(base: &Progress, ours: &Progress, theirs: &Progress) -> (Progress, Vec<NoteKept>) {
        let mut merged = ours.clone();
        let kept = merged.merge_three(base, theirs);
        (merged, kept)
    }

    #[test]
    fn a_note_both_copies_changed_keeps_both_texts_the_later_first() {
        let mut base = Progress::default();
        base.roadmap_mut("r").set_note("s/a", "first draft", at(1));
        base.roadmap_mut("r").set_note("s/b", "untouched", at(1));
        let (mut laptop, mut desktop) = (base.clone(), base.clone());
        laptop
            .roadmap_mut("r")
            .set_note("s/a", "written on the laptop", at(86_400 * 3));
        desktop
            .roadmap_mut("r")
            .set_note("s/a", "written on the desktop", at(86_400 * 5));
        desktop
            .roadmap_mut("r")
            .set_note("s/b", "changed on one side", at(86_400 * 5));
        let (merged, kept) = three_way(&base, &laptop, &desktop);
        let rp = merged.roadmap("r").expect("r");
        assert_eq!(
            rp.note("s/a"),
            Some(
                "written on the desktop\n\n--- kept from the other copy (written 1970-01-04) ---\n\
                 written on the laptop"
            )
        );
        assert_eq!(
            rp.note("s/b"),
            Some("changed on one side"),
            "one side: no joining"
        );
        assert_eq!(
            kept,
            vec![NoteKept {
                roadmap: "r".into(),
                key: "s/a".into(),
                both: true
            }]
        );
        assert!(
            !rp.history
                .iter()
                .any(|e| matches!(e.change, history::Change::NoteConflict { .. })),
            "nothing lost, so nothing kept aside"
        );
        // Merged the other way round, on the other machine, the note is the same: a merge of
        // the two results finds nothing more to join.
        let (other_way, _) = three_way(&base, &desktop, &laptop);
        assert_eq!(
            other_way.roadmap("r").map(|r| r.note("s/a")),
            Some(rp.note("s/a"))
        );
        let (again, kept) = three_way(&base, &merged, &other_way);
        assert!(kept.is_empty(), "{kept:?}");
        assert_eq!(
            again.roadmap("r").map(|r| r.note("s/a")),
            Some(rp.note("s/a"))
        );
        // And the joined note wins over either copy's in a two-way merge later.
        let mut stale = laptop.clone();
        stale.merge_from(&merged);
        assert_eq!(
            stale.roadmap("r").map(|r| r.note("s/a")),
            Some(rp.note("s/a"))
        );
    }

    #[test]
    fn identical_edits_stay_single_and_an_edit_beats_a_removal() {
        let mut base = Progress::default();
        base.roadmap_mut("r").set_note("s/a", "draft", at(1));
        base.roadmap_mut("r").set_note("s/b", "draft", at(1));
        let (mut ours, mut theirs) = (base.clone(), base.clone());
        ours.roadmap_mut("r")
            .set_note("s/a", "the same edit", at(10));
        theirs
            .roadmap_mut("r")
            .set_note("s/a", "the same edit", at(20));
        ours.roadmap_mut("r").set_note("s/b", "kept edit", at(10));
        theirs.roadmap_mut("r").set_note("s/b", "", at(20));
        let (merged, kept) = three_way(&base, &ours, &theirs);
        let rp = merged.roadmap("r").expect("r");
        assert_eq!(rp.note("s/a"), Some("the same edit"));
        assert_eq!(rp.note("s/b"), Some("kept edit"), "the later removal loses");
        assert_eq!(kept.len(), 1);
        assert!(!kept[0].both && kept[0].key == "s/b", "{kept:?}");
    }

    #[test]
    fn a_reset_from_a_clock_running_ahead_does_not_swallow_later_changes() {
        let mut disk = RoadmapProgress::default();
        disk.set_status("s/a", Status::Done, at(100));
        let mut elsewhere = disk.clone();
        // Reset on a machine whose clock is a day ahead.
        disk.reset(at(100 + 86_400));
        assert_eq!(disk.reset, Some(at(100)), "stamped with what it cleared");
        // A correct clock, later than the reset but long before the skewed clock's time.
        elsewhere.set_status("s/b", Status::Done, at(200));
        elsewhere.merge_from(&disk);
        assert_eq!(
            elsewhere.status("s/a"),
            Status::Todo,
            "what it cleared is gone"
        );
        assert_eq!(
            elsewhere.status("s/b"),
            Status::Done,
            "the later change stays"
        );
        // A change made after seeing the reset, with a clock behind it, is stamped after it.
        let mut behind = disk.clone();
        behind.set_status("s/c", Status::Done, at(50));
        assert!(behind.item("s/c").and_then(|i| i.updated) > disk.reset);
        disk.merge_from(&behind);
        assert_eq!(disk.status("s/c"), Status::Done);
    }
}
