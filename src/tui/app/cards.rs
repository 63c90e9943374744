//! The editor of the learner's own cards: opened on a task from the checklist or from a card
//! in review, one card at a time, saved as an undoable change.

use jiff::Timestamp;

use super::overlay::CardEditor;
use super::{Action, App, Effect, Message, Mode, Overlay};
use crate::core::ops::{MAX_CARD_ANSWER, MAX_CARD_QUESTION};

impl App {
    /// `a` in the checklist: the card editor on the selected task, on a new card.
    pub(super) fn cards_of_selected(&mut self, now: Timestamp) -> Effect {
        let Some(task) = self.selected_task() else {
            self.say(
                "cards go on a task: open the step and choose one of its tasks",
                now,
            );
            return Effect::None;
        };
        let title = task.title.to_string();
        let Some((key, _)) = self.note_target() else {
            return Effect::None;
        };
        self.open_cards(key, title, None);
        Effect::None
    }

    /// Opens the card editor on the task `key`: on the learner's card `on`, else on a new card.
    /// Whatever was open (a review session) opens again once the editor closes.
    pub(super) fn open_cards(&mut self, key: String, title: String, on: Option<&str>) {
        let ids: Vec<String> = self
            .roadmap_progress()
            .own_cards(&key)
            .iter()
            .map(|(id, _)| id.to_string())
            .collect();
        let at = on.and_then(|id| ids.iter().position(|i| i == id));
        let back = match std::mem::take(&mut self.overlay) {
            Overlay::None => None,
            open => Some(Box::new(open)),
        };
        let mut editor = CardEditor::new(key, title, ids);
        editor.back = back;
        if let Some(index) = at {
            self.show_card(&mut editor, index);
        }
        self.overlay = Overlay::CardEdit(editor);
    }

    /// Puts card `index` of the editor's task (past the last: a new one) in the editor.
    fn show_card(&self, editor: &mut CardEditor, index: usize) {
        let card = editor
            .ids
            .get(index)
            .and_then(|id| self.roadmap_progress().own_card(&editor.key, id));
        let (ask, answer) = card.map_or((String::new(), String::new()), |c| {
            (c.ask.clone(), c.answer.clone())
        });
        editor.show(index, &ask, &answer);
    }

    pub(super) fn card_edit(&mut self, action: Action, now: Timestamp) -> Effect {
        let Overlay::CardEdit(mut editor) = std::mem::take(&mut self.overlay) else {
            return Effect::None;
        };
        let effect = match action {
            Action::EditorKey(key) => {
                let max = if editor.on_answer {
                    MAX_CARD_ANSWER
                } else {
                    MAX_CARD_QUESTION
                };
                let area = editor.typing();
                let before = chars(area);
                if area.input(key) && chars(area) > max && chars(area) > before {
                    area.undo();
                    self.say(too_long(editor.on_answer), now);
                }
                Effect::None
            }
            Action::NextField => {
                editor.switch_field();
                Effect::None
            }
            Action::Up | Action::Down if editor.changed() => {
                let message = Message::from("this card changed: ")
                    .key_in(Mode::CardEdit, Action::Confirm)
                    .then(" saves it first, ")
                    .key_in(Mode::CardEdit, Action::Cancel)
                    .then(" drops the change");
                self.say(message, now);
                Effect::None
            }
            Action::Up | Action::Down => {
                let index = if action == Action::Up {
                    editor.index.saturating_sub(1)
                } else {
                    (editor.index + 1).min(editor.ids.len())
                };
                self.show_card(&mut editor, index);
                Effect::None
            }
            Action::Confirm => return self.save_card(editor, now),
            Action::Cancel if editor.changed() => {
                self.overlay = Overlay::ConfirmDiscardCard(editor);
                return Effect::None;
            }
            Action::Cancel => {
                self.overlay = editor.back.map_or(Overlay::None, |b| *b);
                return Effect::None;
            }
            _ => Effect::None,
        };
        self.overlay = Overlay::CardEdit(editor);
        effect
    }

    /// Saves the card in the editor: a new one added, one of the learner's rewritten, or, with
    /// both fields emptied, removed. A refusal (too long, no question) keeps the editor open.
    fn save_card(&mut self, mut editor: CardEditor, now: Timestamp) -> Effect {
        let (ask, answer) = editor.texts();
        let empty = ask.trim().is_empty() && answer.trim().is_empty();
        let saved = match editor.card_id() {
            None if empty => Ok((false, "nothing saved: the card was empty")),
            None => self.doc.add_card(&editor.key, &ask, &answer, now).map(|_| {
                (
                    true,
                    "your card added: it is reviewed with the task's cards",
                )
            }),
            Some(id) => {
                let id = id.to_string();
                let said = if empty {
                    "your card removed"
                } else {
                    "your card saved"
                };
                self.doc
                    .write_card(&editor.key, &id, &ask, &answer, now)
                    .map(|changed| (changed, said))
            }
        };
        match saved {
            Ok((changed, said)) => {
                self.overlay = editor.back.take().map_or(Overlay::None, |b| *b);
                let message = if changed && !matches!(self.overlay, Overlay::Review(_)) {
                    Message::from(format!("{said} · "))
                        .key(Action::Undo)
                        .then(" undoes")
                } else {
                    Message::from(said)
                };
                self.say(message, now);
                self.saved_if(changed)
            }
            Err(refusal) => {
                self.say(refusal.to_string(), now);
                self.overlay = Overlay::CardEdit(editor);
                Effect::None
            }
        }
    }

    pub(super) fn confirm_discard_card(&mut self, action: Action) -> Effect {
        let Overlay::ConfirmDiscardCard(editor) = std::mem::take(&mut self.overlay) else {
            return Effect::None;
        };
        self.overlay = match action {
            Action::Confirm => editor.back.map_or(Overlay::None, |b| *b),
            _ => Overlay::CardEdit(editor),
        };
        Effect::None
    }

    /// Pasted text goes into the field typed into, within its limit.
    pub(super) fn paste_card(&mut self, text: &str, now: Timestamp) {
        let Overlay::CardEdit(editor) = &mut self.overlay else {
            return;
        };
        let on_answer = editor.on_answer;
        let max = if on_answer {
            MAX_CARD_ANSWER
        } else {
            MAX_CARD_QUESTION
        };
        let area = editor.typing();
        if chars(area) + text.chars().count() > max {
            self.say(too_long(on_answer), now);
            return;
        }
        area.insert_str(text.replace("\r\n", "\n").replace('\r', "\n"));
    }
}

/// The characters in a text area, line ends included.
fn chars(area: &ratatui_textarea::TextArea<'_>) -> usize {
    let lines = area.lines();
    lines.iter().map(|l| l.chars().count()).sum::<usize>() + lines.len().saturating_sub(1)
}

fn too_long(answer: bool) -> String {
    if answer {
        format!("an answer takes up to {MAX_CARD_ANSWER} characters")
    } else {
        format!("a question takes up to {MAX_CARD_QUESTION} characters")
    }
}
