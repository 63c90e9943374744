//! A task's status: the one type the progress data and its change log share, so that neither
//! has to import the other for it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Todo,
    InProgress,
    Done,
    Skipped,
}

impl Status {
    pub fn checkbox(self) -> &'static str {
        match self {
            Status::Todo => "[ ]",
            Status::InProgress => "[~]",
            Status::Done => "[x]",
            Status::Skipped => "[-]",
        }
    }

    /// The word that stands for the status in files and JSON, as serde writes it.
    pub fn word(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in-progress",
            Status::Done => "done",
            Status::Skipped => "skipped",
        }
    }

    pub fn from_word(word: &str) -> Option<Status> {
        [
            Status::Todo,
            Status::InProgress,
            Status::Done,
            Status::Skipped,
        ]
        .into_iter()
        .find(|s| s.word() == word)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Todo => "todo",
            Status::InProgress => "in progress",
            Status::Done => "done",
            Status::Skipped => "skipped",
        }
    }
}

/// How well the learner remembered a task when it came up for review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rating {
    /// Forgot: it comes back within a day.
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The word for the rating on the command line, in files and JSON.
    pub fn word(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
            Rating::Easy => "easy",
        }
    }

    pub fn from_word(word: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.word() == word)
    }
}
