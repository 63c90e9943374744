//! A card's place in spaced review, as the progress file keeps it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A done task's place in spaced review: the scheduler's memory of it. One line in the file:
/// `due=… stability=… difficulty=… reviews=… lapses=… phase=… last=…`, and ` off` when the
/// learner took the task out of review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReviewState {
    pub due: Timestamp,
    /// Days until recall drops to 90%.
    pub stability: f64,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f64,
    pub reviews: u32,
    /// Times it was forgotten ("again") after it had been learned.
    pub lapses: u32,
    pub phase: ReviewPhase,
    pub last: Option<Timestamp>,
    /// When this state last changed (`None` in files before version 3: the item's change time).
    pub changed: Option<Timestamp>,
    /// Taken out of review by the learner: never due until put back.
    pub off: bool,
}

impl Eq for ReviewState {}

impl ReviewState {
    /// A card never reviewed, due at `due`.
    pub fn new_card(due: Timestamp) -> ReviewState {
        ReviewState {
            due,
            stability: 0.0,
            difficulty: 0.0,
            reviews: 0,
            lapses: 0,
            phase: ReviewPhase::New,
            last: None,
            changed: None,
            off: false,
        }
    }

    /// The scheduler's valid stability, in days, for a card that has been reviewed.
    pub const STABILITY: std::ops::RangeInclusive<f64> = 0.01..=36_500.0;
    /// The scheduler's valid difficulty.
    pub const DIFFICULTY: std::ops::RangeInclusive<f64> = 1.0..=10.0;

    /// Brings a state read from a file (or computed from one) into the scheduler's valid ranges.
    /// A number that is not finite cannot be brought back: the card's memory starts afresh, as a
    /// new card due when it was, and `false` says so. Counts and dates are kept.
    pub fn repair(&mut self) -> bool {
        if !self.stability.is_finite() || !self.difficulty.is_finite() {
            self.stability = 0.0;
            self.difficulty = 0.0;
            self.phase = ReviewPhase::New;
            self.last = None;
            return false;
        }
        if self.phase != ReviewPhase::New {
            self.stability = self
                .stability
                .clamp(*Self::STABILITY.start(), *Self::STABILITY.end());
            self.difficulty = self
                .difficulty
                .clamp(*Self::DIFFICULTY.start(), *Self::DIFFICULTY.end());
        }
        true
    }
}

/// The scheduler's phase of a task in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewPhase {
    New,
    Learning,
    Review,
    Relearning,
}

impl ReviewPhase {
    const ALL: [ReviewPhase; 4] = [
        ReviewPhase::New,
        ReviewPhase::Learning,
        ReviewPhase::Review,
        ReviewPhase::Relearning,
    ];

    pub fn word(self) -> &'static str {
        match self {
            ReviewPhase::New => "new",
            ReviewPhase::Learning => "learning",
            ReviewPhase::Review => "review",
            ReviewPhase::Relearning => "relearning",
        }
    }
}

impl std::fmt::Display for ReviewState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "due={} stability={} difficulty={} reviews={} lapses={} phase={} last={}",
            self.due,
            self.stability,
            self.difficulty,
            self.reviews,
            self.lapses,
            self.phase.word(),
            self.last.map_or("-".to_string(), |t| t.to_string())
        )?;
        if let Some(at) = self.changed {
            write!(f, " changed={at}")?;
        }
        if self.off {
            f.write_str(" off")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for ReviewState {
    type Err = String;

    fn from_str(s: &str) -> Result<ReviewState, String> {
        let bad = || format!("not a review state: {s:?}");
        let mut words = s.split(' ');
        let mut field = |name: &str| -> Result<&str, String> {
            words
                .next()
                .and_then(|w| w.strip_prefix(name))
                .and_then(|w| w.strip_prefix('='))
                .ok_or_else(bad)
        };
        // Not-a-number and infinities parse here and are repaired by `ReviewState::repair`, so
        // that one damaged state costs that card its schedule, not the whole file.
        let number = |text: &str| -> Result<f64, String> { text.parse::<f64>().map_err(|_| bad()) };
        let due = field("due")?.parse().map_err(|_| bad())?;
        let stability = number(field("stability")?)?;
        let difficulty = number(field("difficulty")?)?;
        let reviews = field("reviews")?.parse().map_err(|_| bad())?;
        let lapses = field("lapses")?.parse().map_err(|_| bad())?;
        let phase = field("phase")?;
        let phase = ReviewPhase::ALL
            .into_iter()
            .find(|p| p.word() == phase)
            .ok_or_else(bad)?;
        let last = match field("last")? {
            "-" => None,
            t => Some(t.parse().map_err(|_| bad())?),
        };
        let mut next = words.next();
        let changed = match next.and_then(|w| w.strip_prefix("changed=")) {
            Some(at) => {
                next = words.next();
                Some(at.parse().map_err(|_| bad())?)
            }
            None => None,
        };
        let off = match next {
            None => false,
            Some("off") if words.next().is_none() => true,
            Some(_) => return Err(bad()),
        };
        Ok(ReviewState {
            due,
            stability,
            difficulty,
            reviews,
            lapses,
            phase,
            last,
            changed,
            off,
        })
    }
}

impl TryFrom<String> for ReviewState {
    type Error = String;
    fn try_from(s: String) -> Result<ReviewState, String> {
        s.parse()
    }
}

impl From<ReviewState> for String {
    fn from(r: ReviewState) -> String {
        r.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::progress::tests::at;
    use crate::core::progress::{Progress, Status};

    #[test]
    fn a_damaged_review_state_starts_afresh_with_a_warning_and_the_rest_loads() {
        let mut progress = Progress::default();
        let rp = progress.roadmap_mut("r");
        rp.set_status("s/a", Status::Done, at(1));
        let mut state: ReviewState =
            "due=1970-01-02T00:00:00Z stability=NaN difficulty=inf reviews=3 lapses=1 phase=review last=-"
                .parse()
                .expect("a damaged state still parses");
        if let Some(item) = rp.items.get_mut("s/a") {
            item.review = Some(state.clone());
        }
        rp.set_status("s/b", Status::Done, at(2));
        let warnings = progress.settle();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("s/a"), "{warnings:?}");
        let repaired = progress
            .roadmap("r")
            .and_then(|r| r.item("s/a"))
            .and_then(|i| i.review.clone());
        assert!(repaired.is_some_and(|r| r.stability.is_finite() && r.phase == ReviewPhase::New));
        state.stability = -3.5;
        state.difficulty = 99.0;
        assert!(state.repair());
        assert_eq!(
            (state.stability, state.difficulty),
            (
                *ReviewState::STABILITY.start(),
                *ReviewState::DIFFICULTY.end()
            )
        );
    }
}
