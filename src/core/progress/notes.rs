//! The learner's notes on items.

use jiff::Timestamp;

use super::{Item, RoadmapProgress};
use crate::core::history::Event;

impl RoadmapProgress {
    pub fn note(&self, key: &str) -> Option<&str> {
        self.items.get(key).and_then(|i| i.note.as_deref())
    }

    /// Sets an item's note; text that is empty or only white space removes it. Returns whether
    /// anything changed. Only the note part changes. The text is kept byte for byte but for the
    /// line feeds at its end (the one `echo` or an editor adds): a line's trailing spaces or
    /// carriage return are the learner's, and may be what a note is about.
    pub fn set_note(&mut self, key: &str, text: &str, now: Timestamp) -> bool {
        let note = (!text.trim().is_empty()).then(|| text.trim_end_matches('\n').to_string());
        if self.note(key) == note.as_deref() {
            return false;
        }
        let at = self.stamp(self.items.get(key).and_then(Item::note_at), now);
        let item = self.items.entry(key.to_string()).or_default();
        let replaced = std::mem::replace(&mut item.note, note);
        item.noted = Some(at);
        self.started.get_or_insert(at);
        self.log(Event::note(at, key, replaced.as_deref()));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::history;
    use crate::core::progress::tests::at;
    #[test]
    fn notes_lose_their_final_line_feeds_only_and_are_removed_when_empty() {
        let mut rp = RoadmapProgress::default();
        assert!(rp.set_note("s", "Practise joins ✎\nthen indexes\n\n", at(1)));
        assert_eq!(rp.note("s"), Some("Practise joins ✎\nthen indexes"));
        assert!(rp.set_note("t", "two spaces  \nand a return   \r\n", at(1)));
        assert_eq!(rp.note("t"), Some("two spaces  \nand a return   \r"));
        assert!(
            !rp.set_note("s", "Practise joins ✎\nthen indexes", at(2)),
            "same text, no change"
        );
        assert!(rp.set_note("s", "  \n ", at(3)));
        assert_eq!(rp.note("s"), None);
        let item = rp.item("s").expect("the removal is kept for merging");
        assert_eq!((item.noted, item.updated), (Some(at(3)), None));
    }

    #[test]
    fn a_clock_far_ahead_does_not_fold_the_recent_log_into_totals() {
        let mut rp = RoadmapProgress::default();
        rp.set_note("s/a", "one", at(1_000));
        rp.set_note("s/a", "two", at(2_000));
        let ahead = at(2_000) + jiff::SignedDuration::from_hours(24 * 400);
        rp.set_note("s/a", "three", ahead);
        assert_eq!(rp.history.len(), 3, "{:?}", rp.history);
        assert!(rp.daily.is_empty());
        assert!(history::keeps_text(&rp.history, "s/a", "one"));
    }

    #[test]
    fn kept_note_texts_are_bounded_newest_first() {
        let mut rp = RoadmapProgress::default();
        let big = "x".repeat(history::MAX_KEPT_TEXT / 3);
        for i in 0..6 {
            rp.set_note("s/a", &format!("{i}{big}"), at(i));
        }
        let kept: usize = rp
            .history
            .iter()
            .filter_map(|e| e.kept_text())
            .map(str::len)
            .sum();
        assert!(kept <= history::MAX_KEPT_TEXT, "{kept}");
        assert!(
            history::keeps_text(&rp.history, "s/a", &format!("4{big}")),
            "the newest stays"
        );
        assert!(
            !history::keeps_text(&rp.history, "s/a", &format!("0{big}")),
            "the oldest goes"
        );
        assert_eq!(rp.history.len(), 6, "every edit is still in the log");
    }
}
