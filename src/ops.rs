//! The rules both front ends follow when a change to progress is refused, and the one wording
//! of each refusal: the checklist says it in its footer, the command line as an error, but what
//! it says is the same, from here.

use std::fmt;

use crate::progress::Status;
use crate::roadmap::{Roadmap, Step, task_key};

/// Why a change to progress is not made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// In progress is for tasks: a step's status comes from its tasks. `example` names one.
    StepStatusFromTasks { example: Option<String> },
    /// Only a done task is reviewed.
    NotDone { key: String },
    /// The task is done but its cards were taken out of review.
    OutOfReview { key: String },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::StepStatusFromTasks { example: Some(key) } => write!(
                f,
                "a step's status comes from its tasks: start one of them, such as {key}"
            ),
            Refusal::StepStatusFromTasks { example: None } => {
                f.write_str("a step's status comes from its tasks: start one of them")
            }
            Refusal::NotDone { key } => write!(
                f,
                "{key} is not done: only a done task is reviewed (mark it done first)"
            ),
            Refusal::OutOfReview { key } => write!(
                f,
                "{key} is out of review: `pathway review {key} on` (or X in the checklist) puts it \
                 back"
            ),
        }
    }
}

/// Whether a status can be given to step `s` as a whole.
pub fn step_status(roadmap: &Roadmap, s: usize, target: Status) -> Result<(), Refusal> {
    if target != Status::InProgress {
        return Ok(());
    }
    let step: &Step = &roadmap.steps[s];
    Err(Refusal::StepStatusFromTasks {
        example: step.tasks.first().map(|t| task_key(step, t)),
    })
}

/// Whether a task of this status can be reviewed.
pub fn reviewable(key: &str, status: Status) -> Result<(), Refusal> {
    if status == Status::Done {
        Ok(())
    } else {
        Err(Refusal::NotDone {
            key: key.to_string(),
        })
    }
}
