//! The result of a task's last check, and recording one.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{RoadmapProgress, Status};
use crate::core::history::{self, Event};

/// The result of a task's last check: when it ran, whether it passed, and for a failure, what
/// failed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Checked {
    pub at: Timestamp,
    pub passed: bool,
    /// Which probe failed and how, in a few words.
    pub failed: Option<String>,
}

/// `at=… passed`, or `at=… failed "what failed"`: one line in the file.
impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at={} ", self.at)?;
        match (&self.failed, self.passed) {
            (_, true) => f.write_str("passed"),
            (None, false) => f.write_str("failed"),
            (Some(what), false) => write!(
                f,
                "failed {}",
                serde_json::to_string(what).unwrap_or_default()
            ),
        }
    }
}

impl std::str::FromStr for Checked {
    type Err = String;
    fn from_str(s: &str) -> Result<Checked, String> {
        let bad = || format!("not a check result: {s:?}");
        let (at, rest) = s
            .strip_prefix("at=")
            .and_then(|r| r.split_once(' '))
            .ok_or_else(bad)?;
        let at = at.parse().map_err(|_| bad())?;
        let (passed, failed) = match rest {
            "passed" => (true, None),
            "failed" => (false, None),
            _ => {
                let what = rest.strip_prefix("failed ").ok_or_else(bad)?;
                (false, Some(serde_json::from_str(what).map_err(|_| bad())?))
            }
        };
        Ok(Checked { at, passed, failed })
    }
}

impl TryFrom<String> for Checked {
    type Error = String;
    fn try_from(s: String) -> Result<Checked, String> {
        s.parse()
    }
}

impl From<Checked> for String {
    fn from(c: Checked) -> String {
        c.to_string()
    }
}

impl RoadmapProgress {
    /// Records the result of a task's check: a pass marks the task done if it was not (it is
    /// now verified, not only self-reported); a failure never unticks it, it is only recorded.
    /// Returns whether anything changed.
    pub fn record_check(
        &mut self,
        key: &str,
        passed: bool,
        failed: Option<String>,
        now: Timestamp,
    ) -> bool {
        let previous = self
            .items
            .get(key)
            .and_then(|i| i.checked.as_ref().map(|c| c.at));
        let at = self.stamp(previous, now);
        if passed {
            self.set_status(key, Status::Done, now);
        }
        let item = self.items.entry(key.to_string()).or_default();
        item.checked = Some(Checked {
            at,
            passed,
            failed: if passed { None } else { failed },
        });
        self.started.get_or_insert(at);
        self.log(Event {
            at,
            item: key.to_string(),
            change: history::Change::Checked(passed),
        });
        true
    }
}
