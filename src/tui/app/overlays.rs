//! What the keys do while something is open over the tree: help, the filter, the note
//! editor and its question, the link picker, a question about a whole step, the full-screen
//! details, the roadmap switcher; and where pasted text goes.

use jiff::Timestamp;

use super::overlay::MAX_INLINE_NOTE_BYTES;
use super::{Action, App, Effect, Message, NoteEditor, Overlay, Tree};

impl App {
    /// What the footer says when the inline editor would grow past its limit.
    fn too_long_inline(&self) -> Message {
        Message::from(format!(
            "the inline editor takes notes up to {} KiB: ",
            MAX_INLINE_NOTE_BYTES / 1024
        ))
        .key(Action::EditNoteExternally)
        .then(" writes a longer one in $VISUAL or $EDITOR")
    }

    pub(super) fn help(&mut self, action: Action) -> Effect {
        let max = self.viewport.get().help_max_scroll;
        let Overlay::Help {
            scroll,
            query,
            searching,
        } = &mut self.overlay
        else {
            return Effect::None;
        };
        match action {
            Action::Down | Action::Wheel(_, _, true) => *scroll = scroll.saturating_add(1).min(max),
            Action::Up | Action::Wheel(_, _, false) => *scroll = scroll.saturating_sub(1),
            Action::StartFilter => *searching = true,
            Action::Input(c) => {
                query.push(c);
                *scroll = 0;
            }
            Action::Backspace => {
                query.pop();
                *scroll = 0;
            }
            Action::Confirm => *searching = false,
            Action::Cancel if *searching => {
                query.clear();
                *searching = false;
                *scroll = 0;
            }
            Action::Cancel => {
                self.overlay = Overlay::None;
                self.detail_scroll = 0;
            }
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    pub(super) fn details(&mut self, action: Action) -> Effect {
        match action {
            Action::Down | Action::Wheel(_, _, true) => {
                let max = self.viewport.get().detail_max_scroll;
                self.detail_scroll = self.detail_scroll.saturating_add(1).min(max);
            }
            Action::Up | Action::Wheel(_, _, false) => {
                self.detail_scroll = self.detail_scroll.saturating_sub(1)
            }
            Action::ScrollDetailDown => {
                let max = self.viewport.get().detail_max_scroll;
                self.detail_scroll = self.detail_scroll.saturating_add(self.page()).min(max);
            }
            Action::ScrollDetailUp => {
                self.detail_scroll = self.detail_scroll.saturating_sub(self.page())
            }
            Action::Cancel => {
                self.overlay = Overlay::None;
                self.detail_scroll = 0;
            }
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    pub(super) fn confirm_change(&mut self, action: Action, now: Timestamp) -> Effect {
        match action {
            Action::Confirm => {
                let Overlay::Confirm(pending) = std::mem::take(&mut self.overlay) else {
                    return Effect::None;
                };
                let changed = self.doc.set_statuses(pending.updates, now);
                self.say(pending.done, now);
                self.saved_if(changed)
            }
            Action::Cancel => {
                self.overlay = Overlay::None;
                self.say("nothing changed", now);
                Effect::None
            }
            Action::Quit => Effect::Quit,
            _ => Effect::None,
        }
    }

    pub(super) fn roadmaps_view(&mut self, action: Action, now: Timestamp) -> Effect {
        let Overlay::Roadmaps { selected, choices } = &mut self.overlay else {
            return Effect::None;
        };
        match action {
            Action::Down => *selected = (*selected + 1).min(choices.len().saturating_sub(1)),
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Confirm => {
                let Some(choice) = choices.get(*selected).cloned() else {
                    return Effect::None;
                };
                if let Some(error) = &choice.error {
                    self.say(format!("cannot open it: {error}"), now);
                    return Effect::None;
                }
                self.overlay = Overlay::None;
                if choice.id == self.roadmap().id {
                    return Effect::None;
                }
                return Effect::SwitchRoadmap(choice.id);
            }
            Action::Cancel => {
                self.overlay = Overlay::None;
                self.detail_scroll = 0;
            }
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    pub(super) fn filter_input(&mut self, action: Action) -> Effect {
        match action {
            Action::Input(c) => self.retree(|tree, doc| tree.push_query(doc, c)),
            Action::Backspace => self.retree(Tree::pop_query),
            Action::Confirm => self.overlay = Overlay::None,
            Action::Cancel => self.clear_filter(),
            // Moving keeps the filter open, so a learner can type, look, and type on.
            Action::Down => return self.select(self.tree.selected().saturating_add(1)),
            Action::Up => return self.select(self.tree.selected().saturating_sub(1)),
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    pub(super) fn edit(&mut self, action: Action, now: Timestamp) -> Effect {
        let Overlay::Edit(editor) = &mut self.overlay else {
            return Effect::None;
        };
        match action {
            Action::EditorKey(key) => {
                let before = editor.len();
                // A key that makes the note longer than the inline editor takes (typing at the
                // limit, or pasting back a cut text again and again) is taken back.
                if editor.textarea.input(key)
                    && editor.len() > MAX_INLINE_NOTE_BYTES
                    && editor.len() > before
                {
                    editor.textarea.undo();
                    self.say(self.too_long_inline(), now);
                }
                Effect::None
            }
            Action::Confirm => {
                let (key, text) = (editor.key.clone(), editor.text());
                self.overlay = editor.back.take().map_or(Overlay::None, |b| *b);
                let said = if text.trim().is_empty() {
                    "note removed"
                } else {
                    "note saved"
                };
                self.write_note(&key, &text, said, now)
            }
            Action::Cancel => {
                self.overlay = match std::mem::take(&mut self.overlay) {
                    Overlay::Edit(editor) if editor.changed() => Overlay::ConfirmDiscard(editor),
                    Overlay::Edit(editor) => editor.back.map_or(Overlay::None, |b| *b),
                    _ => Overlay::None,
                };
                Effect::None
            }
            _ => Effect::None,
        }
    }

    pub(super) fn confirm_discard(&mut self, action: Action) -> Effect {
        match action {
            Action::Confirm => {
                if let Overlay::ConfirmDiscard(editor) = std::mem::take(&mut self.overlay) {
                    self.overlay = editor.back.map_or(Overlay::None, |b| *b);
                }
            }
            Action::Cancel => {
                if let Overlay::ConfirmDiscard(editor) = std::mem::take(&mut self.overlay) {
                    self.overlay = Overlay::Edit(editor);
                }
            }
            _ => {}
        }
        Effect::None
    }

    pub(super) fn pick(&mut self, action: Action, now: Timestamp) -> Effect {
        let count = self.resources().len();
        let Overlay::Picker { selected } = &mut self.overlay else {
            return Effect::None;
        };
        match action {
            Action::Down => *selected = (*selected + 1).min(count.saturating_sub(1)),
            Action::Up => *selected = selected.saturating_sub(1),
            Action::Confirm => {
                let picked = *selected;
                self.overlay = Overlay::None;
                let url = self.resources().get(picked).map(|r| r.url.to_string());
                if let (Some(url), Some((key, _))) = (url, self.note_target()) {
                    // `o` opens this one from now on, and `O` starts on it.
                    self.last_pick.insert(key, url.clone());
                    return self.open(&url, now);
                }
            }
            Action::Cancel => {
                self.overlay = Overlay::None;
                self.detail_scroll = 0;
            }
            Action::Quit => return Effect::Quit,
            _ => {}
        }
        Effect::None
    }

    /// Pasted text goes into what is being typed, as one insertion: the note editor takes it
    /// whole; a filter or a search takes its first line. Anywhere else it does nothing and says
    /// so: a paste never runs keys.
    pub(super) fn paste(&mut self, text: &str, now: Timestamp) -> Effect {
        let line = || {
            text.lines()
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_control())
                .collect::<String>()
        };
        match &mut self.overlay {
            Overlay::Edit(editor) => {
                if editor.len() + text.len() > MAX_INLINE_NOTE_BYTES {
                    self.say(self.too_long_inline(), now);
                    return Effect::None;
                }
                // The editor keeps lines; line ends from other systems become plain ones.
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                editor.textarea.insert_str(text);
            }
            Overlay::CardEdit(_) => self.paste_card(text, now),
            Overlay::Filter => {
                let pasted = line();
                self.retree(|tree, doc| {
                    for c in pasted.chars() {
                        tree.push_query_char(c);
                    }
                    tree.rebuild_first_match(doc);
                });
            }
            Overlay::Help {
                query,
                searching: true,
                scroll,
            } => {
                query.push_str(&line());
                *scroll = 0;
            }
            Overlay::Notes {
                query,
                searching: true,
                selected,
            } => {
                query.push_str(&line());
                *selected = 0;
            }
            _ => {
                let message = Message::from("pasted text is ignored here: ")
                    .key(Action::StartFilter)
                    .then(" to filter, ")
                    .key(Action::EditNote)
                    .then(" to write a note");
                self.say(message, now)
            }
        }
        Effect::None
    }

    pub(super) fn open_editor(&mut self, key: String, title: String, now: Timestamp) -> Effect {
        let size = self.roadmap_progress().note(&key).map_or(0, str::len);
        if size > MAX_INLINE_NOTE_BYTES {
            self.say(
                format!(
                    "this note is {} KiB, more than the inline editor takes ({} KiB): opened in \
                     $VISUAL or $EDITOR",
                    size.div_ceil(1024),
                    MAX_INLINE_NOTE_BYTES / 1024
                ),
                now,
            );
            return self.open_external_editor(key);
        }
        let original = self.roadmap_progress().note(&key).unwrap_or("").to_string();
        self.overlay = Overlay::Edit(NoteEditor::new(key, title, original));
        Effect::None
    }

    pub(super) fn open_external_editor(&mut self, key: String) -> Effect {
        let text = self.roadmap_progress().note(&key).unwrap_or("").to_string();
        self.overlay = Overlay::External { key, back: None };
        Effect::EditExternally(text)
    }

    /// Opens a note editor over what is open now, which opens again once the note is done.
    pub(super) fn edit_over(
        &mut self,
        key: String,
        title: String,
        external: bool,
        now: Timestamp,
    ) -> Effect {
        let back = Some(Box::new(std::mem::take(&mut self.overlay)));
        let effect = if external {
            self.open_external_editor(key)
        } else {
            self.open_editor(key, title, now)
        };
        match &mut self.overlay {
            Overlay::Edit(editor) => editor.back = back,
            Overlay::External { back: slot, .. } => *slot = back,
            _ => {}
        }
        effect
    }
}
