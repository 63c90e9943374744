//! The one table of key bindings. Key handling, the footer and the help overlay all read it, so
//! they cannot disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::app::{Action, Mode};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Space,
    Enter,
    Esc,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
}

impl Key {
    pub fn label(self) -> String {
        match self {
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Space => "space".into(),
            Key::Enter => "enter".into(),
            Key::Esc => "esc".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::Home => "home".into(),
            Key::End => "end".into(),
            Key::PageUp => "pgup".into(),
            Key::PageDown => "pgdn".into(),
        }
    }

    fn from_event(event: &KeyEvent) -> Option<Key> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        Some(match event.code {
            KeyCode::Char(c) if ctrl => Key::Ctrl(c.to_ascii_lowercase()),
            KeyCode::Char(' ') => Key::Space,
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            _ => return None,
        })
    }
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Browse,
    Help,
    Everywhere,
}

impl Scope {
    fn covers(self, mode: Mode) -> bool {
        matches!(
            (self, mode),
            (Scope::Everywhere, _) | (Scope::Browse, Mode::Browse) | (Scope::Help, Mode::Help)
        )
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub scope: Scope,
    /// What the help overlay says the keys do.
    pub help: &'static str,
    /// The word the footer shows, if the binding is worth the footer's room. Neighbouring rows with
    /// the same word share one footer entry ("↑↓ move").
    pub footer: Option<&'static str>,
}

const fn bind(
    keys: &'static [Key],
    action: Action,
    scope: Scope,
    help: &'static str,
    footer: Option<&'static str>,
) -> Binding {
    Binding {
        keys,
        action,
        scope,
        help,
        footer,
    }
}

use Key::*;
use Scope::*;

pub const BINDINGS: &[Binding] = &[
    bind(
        &[Up, Char('k')],
        Action::Up,
        Browse,
        "move up",
        Some("move"),
    ),
    bind(
        &[Down, Char('j')],
        Action::Down,
        Browse,
        "move down",
        Some("move"),
    ),
    bind(
        &[Right, Char('l'), Enter],
        Action::Expand,
        Browse,
        "open a step (again: enter it)",
        Some("open"),
    ),
    bind(
        &[Left, Char('h')],
        Action::Collapse,
        Browse,
        "close a step, or go to a task's step",
        Some("close"),
    ),
    bind(
        &[Char('t')],
        Action::ToggleExpand,
        Browse,
        "open or close the step",
        None,
    ),
    bind(
        &[Space],
        Action::ToggleDone,
        Browse,
        "tick the task done or undone; on a step, all its tasks",
        Some("done"),
    ),
    bind(
        &[Char('g'), Home],
        Action::First,
        Browse,
        "go to the first line",
        None,
    ),
    bind(
        &[Char('G'), End],
        Action::Last,
        Browse,
        "go to the last line",
        None,
    ),
    bind(
        &[PageDown, Char('J')],
        Action::ScrollDetailDown,
        Browse,
        "scroll the details down",
        None,
    ),
    bind(
        &[PageUp, Char('K')],
        Action::ScrollDetailUp,
        Browse,
        "scroll the details up",
        None,
    ),
    bind(
        &[Char('?')],
        Action::ToggleHelp,
        Browse,
        "show this help",
        Some("help"),
    ),
    bind(
        &[Up, Char('k'), PageUp],
        Action::Up,
        Help,
        "scroll the help up",
        Some("scroll"),
    ),
    bind(
        &[Down, Char('j'), PageDown],
        Action::Down,
        Help,
        "scroll the help down",
        Some("scroll"),
    ),
    bind(
        &[Char('?'), Esc, Char('q')],
        Action::ToggleHelp,
        Help,
        "close this help",
        Some("close help"),
    ),
    bind(
        &[Char('q'), Esc],
        Action::Quit,
        Browse,
        "quit",
        Some("quit"),
    ),
    bind(&[Ctrl('c')], Action::Quit, Everywhere, "quit", None),
];

/// The action a key press stands for in the given mode, if any.
pub fn action_for(mode: Mode, event: &KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let key = Key::from_event(event)?;
    BINDINGS
        .iter()
        .find(|b| b.scope.covers(mode) && b.keys.contains(&key))
        .map(|b| b.action)
}

/// The footer's entries for a mode: (keys, word), in table order.
pub fn footer(mode: Mode) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for b in BINDINGS.iter().filter(|b| b.scope.covers(mode)) {
        let Some(word) = b.footer else { continue };
        let key = b.keys[0].label();
        match out.last_mut() {
            Some((keys, last)) if *last == word => keys.push_str(&key),
            _ => out.push((key, word)),
        }
    }
    out
}

/// The help overlay's lines: (all keys of a binding, what they do).
pub fn help_lines() -> Vec<(String, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| b.scope != Help)
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            (keys.join(" "), b.help)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_issue_keys_map_to_their_actions() {
        let none = KeyModifiers::NONE;
        let cases = [
            (KeyCode::Down, Action::Down),
            (KeyCode::Char('j'), Action::Down),
            (KeyCode::Up, Action::Up),
            (KeyCode::Char('k'), Action::Up),
            (KeyCode::Right, Action::Expand),
            (KeyCode::Char('l'), Action::Expand),
            (KeyCode::Enter, Action::Expand),
            (KeyCode::Left, Action::Collapse),
            (KeyCode::Char('h'), Action::Collapse),
            (KeyCode::Char(' '), Action::ToggleDone),
            (KeyCode::Char('g'), Action::First),
            (KeyCode::Char('G'), Action::Last),
            (KeyCode::Char('?'), Action::ToggleHelp),
            (KeyCode::Char('q'), Action::Quit),
            (KeyCode::Esc, Action::Quit),
        ];
        for (code, action) in cases {
            assert_eq!(
                action_for(Mode::Browse, &key(code, none)),
                Some(action),
                "{code:?}"
            );
        }
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(action_for(Mode::Browse, &ctrl_c), Some(Action::Quit));
        assert_eq!(action_for(Mode::Help, &ctrl_c), Some(Action::Quit));
    }

    #[test]
    fn in_help_q_and_esc_close_the_overlay() {
        for code in [KeyCode::Char('q'), KeyCode::Esc, KeyCode::Char('?')] {
            assert_eq!(
                action_for(Mode::Help, &key(code, KeyModifiers::NONE)),
                Some(Action::ToggleHelp)
            );
        }
        assert_eq!(
            action_for(Mode::Help, &key(KeyCode::Char(' '), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut release = key(KeyCode::Char('j'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert_eq!(action_for(Mode::Browse, &release), None);
    }

    #[test]
    fn footer_merges_neighbours_with_the_same_word() {
        let footer = footer(Mode::Browse);
        assert_eq!(footer[0], ("↑↓".to_string(), "move"));
        assert!(footer.iter().any(|(k, w)| k == "space" && *w == "done"));
        assert!(footer.iter().any(|(k, w)| k == "q" && *w == "quit"));
    }

    #[test]
    fn every_binding_is_in_the_help_overlay() {
        let help = help_lines();
        for b in BINDINGS.iter().filter(|b| b.scope != Help) {
            assert!(help.iter().any(|(_, h)| *h == b.help), "{}", b.help);
        }
    }
}
