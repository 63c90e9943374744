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
