//! A footer message. The keys it names are kept as actions and shown as whatever key is bound
//! to them when the screen is drawn, so a learner who remapped a key is never told to press
//! the old one.

use crate::tui::action::{Action, Mode};
use crate::tui::keys::Keymap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Key(Mode, Action),
}

impl Message {
    /// The message as the learner reads it, with the keys of this keymap.
    pub fn text(&self, keymap: &Keymap) -> String {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => text.push_str(t),
                Part::Key(mode, action) => text.push_str(&keymap.key_in(*mode, action.clone())),
            }
        }
        text
    }

    /// The key for an action on the checklist.
    pub fn key(self, action: Action) -> Message {
        self.key_in(Mode::Browse, action)
    }

    /// The key for an action where it is pressed (in review, in help…).
    pub fn key_in(mut self, mode: Mode, action: Action) -> Message {
        self.parts.push(Part::Key(mode, action));
        self
    }

    pub fn then(mut self, text: impl Into<String>) -> Message {
        self.parts.push(Part::Text(text.into()));
        self
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message {
            parts: vec![Part::Text(text)],
        }
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::from(text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_as_bound_now() {
        let message = Message::from("2 cards to review: ")
            .key(Action::StartReview)
            .then(" starts");
        assert_eq!(
            message.text(&Keymap::default()),
            "2 cards to review: r starts"
        );
        let mut remap = std::collections::BTreeMap::new();
        remap.insert("review".to_string(), vec!["0".to_string()]);
        let keymap = Keymap::from_settings(&remap).expect("valid remapping");
        assert_eq!(message.text(&keymap), "2 cards to review: 0 starts");
    }
}
