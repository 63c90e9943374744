//! The one table of key bindings. Key handling, the footer and the help overlay all read it, so
//! they cannot disagree.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::core::status::Rating;
use crate::tui::action::{Action, Mode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Char(char),
    Ctrl(char),
    Space,
    Enter,
    Esc,
    Backspace,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
}

impl Key {
    pub fn label(self) -> String {
        match self {
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Space => "space".into(),
            Key::Enter => "enter".into(),
            Key::Esc => "esc".into(),
            Key::Backspace => "backspace".into(),
            Key::Up => "↑".into(),
            Key::Down => "↓".into(),
            Key::Left => "←".into(),
            Key::Right => "→".into(),
            Key::Home => "home".into(),
            Key::End => "end".into(),
            Key::PageUp => "pgup".into(),
            Key::PageDown => "pgdn".into(),
            Key::Tab => "tab".into(),
        }
    }

    /// The key of a press, with its modifiers: Ctrl only with a letter, Shift only as the case of
    /// a character, Alt never. A press with any other modifier is no key of the table, so Alt-q
    /// does not quit and Shift-↓ does not move.
    fn from_event(event: &KeyEvent) -> Option<Key> {
        let mods = event.modifiers;
        let ctrl = mods.contains(KeyModifiers::CONTROL);
        if mods.intersects(!(KeyModifiers::CONTROL | KeyModifiers::SHIFT)) {
            return None;
        }
        let shift = mods.contains(KeyModifiers::SHIFT);
        Some(match event.code {
            KeyCode::Char(c) if ctrl && !shift => Key::Ctrl(c.to_ascii_lowercase()),
            _ if ctrl => return None,
            KeyCode::Char(' ') if !shift => Key::Space,
            KeyCode::Char(c) => Key::Char(c),
            _ if shift => return None,
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::Tab => Key::Tab,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    /// The modes in which the keys do this.
    pub modes: &'static [Mode],
    /// What the help overlay says the keys do.
    pub help: &'static str,
    /// The word the footer shows, if the binding is worth the footer's room, and how important
    /// it is when the footer cannot show every word (lower first; the ways to find things come
    /// first, as a newcomer guesses the arrows, not `/` or `p`). Neighbouring rows with the same
    /// word share one footer entry ("↑↓ move").
    pub footer: Option<(&'static str, u8)>,
    /// The action's name in a settings file (`keys: { done: [space, x] }`), for the checklist's
    /// own bindings: the ones a learner can remap.
    pub name: Option<&'static str>,
}

const fn bind(
    modes: &'static [Mode],
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    footer: Option<(&'static str, u8)>,
) -> Binding {
    Binding {
        keys,
        action,
        modes,
        help,
        footer,
        name: None,
    }
}

/// A binding of the checklist itself, remappable under `name`.
const fn browse(
    name: &'static str,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    footer: Option<(&'static str, u8)>,
) -> Binding {
    let mut binding = bind(BROWSE, keys, action, help, footer);
    binding.name = Some(name);
    binding
}

use Key::*;

const BROWSE: &[Mode] = &[Mode::Browse];
const HELP: &[Mode] = &[Mode::Help];
const HELP_SEARCH: &[Mode] = &[Mode::HelpSearch];
const FILTER: &[Mode] = &[Mode::Filter];
const EDIT: &[Mode] = &[Mode::Edit];
const CARD_EDIT: &[Mode] = &[Mode::CardEdit];
const DISCARD: &[Mode] = &[Mode::ConfirmDiscard];
const CONFIRM: &[Mode] = &[Mode::Confirm];
const TRUST: &[Mode] = &[Mode::ConfirmTrust];
const PICKER: &[Mode] = &[Mode::Picker];
const DETAILS: &[Mode] = &[Mode::Details];
const NOTES: &[Mode] = &[Mode::Notes];
const NOTES_SEARCH: &[Mode] = &[Mode::NotesSearch];
const REVIEW: &[Mode] = &[Mode::Review];
const ROADMAPS: &[Mode] = &[Mode::Roadmaps];
const LINK: &[Mode] = &[Mode::Link];
/// Ctrl-C quits from anywhere but the note editor, where it would throw away what was typed.
const ALL_BUT_EDIT: &[Mode] = &[
    Mode::Browse,
    Mode::Help,
    Mode::HelpSearch,
    Mode::Filter,
    Mode::ConfirmDiscard,
    Mode::Confirm,
    Mode::ConfirmTrust,
    Mode::Picker,
    Mode::Details,
    Mode::Notes,
    Mode::NotesSearch,
    Mode::Review,
    Mode::Roadmaps,
    Mode::Link,
];

/// Modes in the order the help overlay lists them, with their headings.
pub const MODE_HEADINGS: &[(Mode, &str)] = &[
    (Mode::Browse, "Keys"),
    (Mode::Filter, "While typing a filter (after /)"),
    (Mode::Edit, "In the note editor (after n)"),
    (Mode::CardEdit, "In the editor of your own cards (after a)"),
    (
        Mode::ConfirmDiscard,
        "When asked to discard a changed note or card",
    ),
    (Mode::Confirm, "When asked before changing a whole step"),
    (
        Mode::ConfirmTrust,
        "When asked to approve a roadmap's checks",
    ),
    (Mode::Picker, "In the resource list (after O)"),
    (Mode::Details, "In the full-screen details (small windows)"),
    (Mode::Notes, "In the notes view (after N)"),
    (
        Mode::NotesSearch,
        "While searching the notes (after / in the notes view)",
    ),
    (Mode::Review, "In a review session (after r)"),
    (Mode::Roadmaps, "In the roadmap switcher (after R)"),
    (Mode::Link, "When a link could not be opened"),
    (Mode::Help, "In this help"),
    (Mode::HelpSearch, "While searching this help (after /)"),
];

/// A footer word no row ranks: shown only when there is room for it.
const LAST: u8 = u8::MAX;
/// How important a footer word is, from the first row that shows it: lower is more important.
/// `help` and `quit` are always shown.
pub fn footer_rank(word: &str) -> u8 {
    BINDINGS
        .iter()
        .find_map(|b| b.footer.filter(|(w, _)| *w == word).map(|(_, rank)| rank))
        .unwrap_or(LAST)
}

/// What every key does, in every mode: the one table the key handling, the footer, the help
/// and the settings' names all read.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    browse("up", &[Up, Char('k')], Action::Up, "move up", Some(("move", 2))),
    browse("down", &[Down, Char('j')], Action::Down, "move down", Some(("move", 2))),
    browse("open", &[Right, Char('l'), Enter], Action::Expand, "open a step (again: enter it); on a small screen, a task's details", Some(("open", 6))),
    browse("close", &[Left, Char('h')], Action::Collapse, "close a step, or go to a task's step", None),
    browse("toggle-step", &[Char('t')], Action::ToggleExpand, "open or close the step", None),
    browse("done", &[Space], Action::ToggleDone, "done / not done; on a step, all its tasks (asks first)", Some(("done", 2))),
    browse("started", &[Char('i')], Action::ToggleInProgress, "started (in progress) / not", Some(("started", 5))),
    browse("skip", &[Char('s')], Action::ToggleSkipped, "skipped / not; on a step, all its open tasks (asks first)", Some(("skip", 5))),
    browse("note", &[Char('n')], Action::EditNote, "write your note on the step or task", Some(("note", 3))),
    browse("edit-note", &[Char('e')], Action::EditNoteExternally, "write the note in $VISUAL or $EDITOR", None),
    browse("cards", &[Char('a')], Action::EditCards, "write review cards of your own on the task (and edit or remove them)", Some(("your cards", LAST))),
    browse("filter", &[Char('/')], Action::StartFilter, "filter by text", Some(("filter", 1))),
    browse("status-filter", &[Char('f')], Action::CycleStatusFilter, "show all, not done, done, noted, fading, core or stretch tasks", None),
    browse("open-link", &[Char('o')], Action::OpenResource, "open the link of the task (else of its step) in the browser", Some(("open link", 4))),
    browse("pick-link", &[Char('O')], Action::PickResource, "choose one of the task's and the step's links to open", None),
    browse("progress", &[Char('p')], Action::ToggleStats, "progress over time, or the details again", Some(("progress", 1))),
    browse("continue", &[Char('c')], Action::Continue, "continue where you left off", Some(("continue", 4))),
    browse("review", &[Char('r')], Action::StartReview, "review the tasks due: recall first, then look", Some(("review", 2))),
    browse("notes", &[Char('N')], Action::ShowNotes, "all your notes together, step by step", Some(("notes", 3))),
    browse("verify", &[Char('v')], Action::Verify, "verify: run the task's check (on a step, its tasks' checks) in the background", Some(("verify", LAST))),
    browse("review-on-off", &[Char('X')], Action::ToggleReviewing, "take a done task out of review, or put it back", None),
    browse("roadmaps", &[Char('R')], Action::ShowRoadmaps, "switch to another roadmap", None),
    browse("undo", &[Char('u')], Action::Undo, "undo the last change", None),
    browse("redo", &[Ctrl('r')], Action::Redo, "redo what was undone", None),
    browse("first", &[Char('g'), Home], Action::First, "go to the first line", None),
    browse("last", &[Char('G'), End], Action::Last, "go to the last line", None),
    browse("scroll-down", &[PageDown, Char('J')], Action::ScrollDetailDown, "scroll the details down", None),
    browse("scroll-up", &[PageUp, Char('K')], Action::ScrollDetailUp, "scroll the details up", None),
    browse("help", &[Char('?')], Action::ShowHelp, "show this help", Some(("help", LAST))),
    browse("back", &[Esc], Action::Cancel, "back out: clear the filter, close the progress view (never quits)", None),
    browse("quit", &[Char('q')], Action::Quit, "quit", Some(("quit", LAST))),
    bind(ALL_BUT_EDIT, &[Ctrl('c')], Action::Quit, "quit", None),
    bind(ALL_BUT_EDIT, &[Ctrl('z')], Action::Suspend, "suspend to the shell (fg to come back)", None),
    bind(FILTER, &[Enter], Action::Confirm, "keep the filter and go back to the list", Some(("keep", LAST))),
    bind(FILTER, &[Esc], Action::Cancel, "clear the filter", Some(("clear", LAST))),
    bind(FILTER, &[Backspace], Action::Backspace, "delete the last character", None),
    bind(FILTER, &[Down], Action::Down, "move down", None),
    bind(FILTER, &[Up], Action::Up, "move up", None),
    bind(EDIT, &[Ctrl('s')], Action::Confirm, "save the note and close the editor (in a review session, back to the card)", Some(("save", LAST))),
    bind(EDIT, &[Esc, Ctrl('c')], Action::Cancel, "close (asks first if the note changed)", Some(("close", LAST))),
    bind(CARD_EDIT, &[Ctrl('s')], Action::Confirm, "save the card and close the editor (both fields emptied: the card is removed)", Some(("save", LAST))),
    bind(CARD_EDIT, &[Tab], Action::NextField, "from the question to the answer, or back", Some(("question/answer", LAST))),
    bind(CARD_EDIT, &[PageUp], Action::Up, "the previous of your cards on the task", Some(("your cards", LAST))),
    bind(CARD_EDIT, &[PageDown], Action::Down, "the next of your cards (after the last: a new card)", Some(("your cards", LAST))),
    bind(CARD_EDIT, &[Esc, Ctrl('c')], Action::Cancel, "close (asks first if the card changed)", Some(("close", LAST))),
    bind(DISCARD, &[Char('y')], Action::Confirm, "discard the changes", Some(("discard", LAST))),
    bind(DISCARD, &[Char('n'), Esc], Action::Cancel, "keep editing", Some(("keep editing", LAST))),
    bind(CONFIRM, &[Char('y'), Enter], Action::Confirm, "yes, change the tasks", Some(("yes", LAST))),
    bind(CONFIRM, &[Char('n'), Esc], Action::Cancel, "no, leave them as they are", Some(("no", LAST))),
    // Running commands on the learner's machine takes a deliberate `y`: Enter, pressed by habit
    // or by a key held down from the list before, is no, as in `pathway trust`'s [y/N].
    bind(TRUST, &[Char('y')], Action::Confirm, "yes, approve these checks and run them", Some(("approve", LAST))),
    bind(TRUST, &[Char('n'), Enter, Esc], Action::Cancel, "no: nothing runs", Some(("no", LAST))),
    bind(TRUST, &[Down, Char('j'), PageDown], Action::Down, "scroll down", Some(("scroll", LAST))),
    bind(TRUST, &[Up, Char('k'), PageUp], Action::Up, "scroll up", None),
    bind(PICKER, &[Up, Char('k')], Action::Up, "move up", Some(("move", 2))),
    bind(PICKER, &[Down, Char('j')], Action::Down, "move down", Some(("move", 2))),
    bind(PICKER, &[Enter, Char('o')], Action::Confirm, "open in the browser", Some(("open", 6))),
    bind(PICKER, &[Esc, Char('q')], Action::Cancel, "close", Some(("close", LAST))),
    bind(DETAILS, &[Up, Char('k')], Action::Up, "scroll up", Some(("scroll", LAST))),
    bind(DETAILS, &[Down, Char('j')], Action::Down, "scroll down", Some(("scroll", LAST))),
    bind(DETAILS, &[PageDown, Char('J')], Action::ScrollDetailDown, "scroll down half a page", None),
    bind(DETAILS, &[PageUp, Char('K')], Action::ScrollDetailUp, "scroll up half a page", None),
    bind(DETAILS, &[Esc, Enter, Left, Char('h'), Char('p')], Action::Cancel, "back to the list", Some(("back", LAST))),
    bind(DETAILS, &[Char('q')], Action::Quit, "quit", Some(("quit", LAST))),
    bind(NOTES, &[Up, Char('k')], Action::Up, "previous note", Some(("move", 2))),
    bind(NOTES, &[Down, Char('j')], Action::Down, "next note", Some(("move", 2))),
    bind(NOTES, &[Char('g'), Home], Action::First, "first note", None),
    bind(NOTES, &[Char('G'), End], Action::Last, "last note", None),
    bind(NOTES, &[Enter], Action::Confirm, "go to the note's step or task", Some(("go to", LAST))),
    bind(NOTES, &[Char('n')], Action::EditNote, "edit the note", Some(("edit", LAST))),
    bind(NOTES, &[Char('e')], Action::EditNoteExternally, "edit the note in $VISUAL or $EDITOR", None),
    bind(NOTES, &[Char('/')], Action::StartFilter, "search the notes", Some(("search", LAST))),
    bind(NOTES, &[Esc, Char('N'), Char('q')], Action::Cancel, "close", Some(("close", LAST))),
    bind(NOTES_SEARCH, &[Enter], Action::Confirm, "keep the search", Some(("keep", LAST))),
    bind(NOTES_SEARCH, &[Esc], Action::Cancel, "clear the search", Some(("clear", LAST))),
    bind(NOTES_SEARCH, &[Backspace], Action::Backspace, "delete the last character", None),
    bind(NOTES_SEARCH, &[Down], Action::Down, "next note", None),
    bind(NOTES_SEARCH, &[Up], Action::Up, "previous note", None),
    bind(REVIEW, &[Space, Enter], Action::Reveal, "show the answer: the card's answer, your note, where to read more", Some(("answer", 1))),
    bind(REVIEW, &[Char('1')], Action::Rate(Rating::Again), "again: I had forgotten (back at the end of this session, and due again within minutes)", Some(("again", LAST))),
    bind(REVIEW, &[Char('2')], Action::Rate(Rating::Hard), "hard: remembered with effort", Some(("hard", LAST))),
    bind(REVIEW, &[Char('3')], Action::Rate(Rating::Good), "good: remembered", Some(("good", LAST))),
    bind(REVIEW, &[Char('4')], Action::Rate(Rating::Easy), "easy: remembered at once", Some(("easy", LAST))),
    bind(REVIEW, &[Down, Char('j'), PageDown], Action::Down, "scroll down", None),
    bind(REVIEW, &[Up, Char('k'), PageUp], Action::Up, "scroll up", None),
    bind(REVIEW, &[Char('v')], Action::Verify, "prove it: run the card's task check; a pass rates it good, a failure again", None),
    bind(REVIEW, &[Char('u')], Action::Undo, "undo the last rating: the card is asked again", None),
    bind(REVIEW, &[Char('n')], Action::EditNote, "write your note on the card's task, then come back", None),
    bind(REVIEW, &[Char('e')], Action::EditNoteExternally, "write that note in $VISUAL or $EDITOR", None),
    bind(REVIEW, &[Char('a')], Action::EditCards, "write cards of your own on the card's task (on one of yours: edit it), then come back", None),
    bind(REVIEW, &[Esc, Char('q')], Action::Cancel, "end the session with a summary (what was rated is kept)", Some(("end", LAST))),
    bind(ROADMAPS, &[Up, Char('k')], Action::Up, "move up", Some(("move", 2))),
    bind(ROADMAPS, &[Down, Char('j')], Action::Down, "move down", Some(("move", 2))),
    bind(ROADMAPS, &[Enter], Action::Confirm, "open this roadmap (and next time too)", Some(("open", 6))),
    bind(ROADMAPS, &[Esc, Char('q')], Action::Cancel, "close", Some(("close", LAST))),
    bind(LINK, &[Esc, Enter, Char('q')], Action::Cancel, "close", Some(("close", LAST))),
    bind(HELP, &[Up, Char('k'), PageUp], Action::Up, "scroll up", Some(("scroll", LAST))),
    bind(HELP, &[Down, Char('j'), PageDown], Action::Down, "scroll down", Some(("scroll", LAST))),
    bind(HELP, &[Char('/')], Action::StartFilter, "search the help", Some(("search", LAST))),
    bind(HELP, &[Char('?'), Esc, Char('q')], Action::Cancel, "close", Some(("close", LAST))),
    bind(HELP_SEARCH, &[Enter], Action::Confirm, "keep the search and scroll the matches", Some(("keep", LAST))),
    bind(HELP_SEARCH, &[Esc], Action::Cancel, "clear the search", Some(("clear", LAST))),
    bind(HELP_SEARCH, &[Backspace], Action::Backspace, "delete the last character", None),
];

/// The names a settings file uses for the checklist's actions (`keys: { done: [space, x] }`),
/// in table order: the names the key table's rows carry.
pub fn action_names() -> impl Iterator<Item = (&'static str, &'static Action)> {
    BINDINGS
        .iter()
        .filter_map(|b| b.name.map(|name| (name, &b.action)))
}
/// The most keys one action may have: more than anyone would press, few enough that checking
/// and looking them up never costs anything (a settings file is up to 1 MiB).
pub const MAX_KEYS_PER_ACTION: usize = 10;

impl Key {
    /// A key as a settings file names it: `x`, `space`, `enter`, `esc`, `up`, `pgdn`, `ctrl-r`…
    pub fn parse(name: &str) -> Option<Key> {
        Key::from_setting(name).ok()
    }

    /// As `parse`, saying why a name is no key: a key must be one a terminal can send and a
    /// person can see in the footer.
    pub fn from_setting(name: &str) -> Result<Key, String> {
        const KEY_NAMES: &str = "use a character, space, enter, esc, up, pgdn, ctrl-r…";
        let lower = name.to_lowercase();
        if let Some(c) = lower.strip_prefix("ctrl-") {
            let mut chars = c.chars();
            return match (chars.next(), chars.next()) {
                // A terminal sends Ctrl-M as the byte of Enter and Ctrl-I as the byte of Tab:
                // bound, they would never arrive as themselves.
                (Some('m'), None) => Err(format!(
                    "{name:?} never arrives: a terminal sends Ctrl-M as Enter (use enter)"
                )),
                (Some('i'), None) => Err(format!(
                    "{name:?} never arrives: a terminal sends Ctrl-I as Tab"
                )),
                (Some(c), None) if c.is_ascii_alphabetic() => Ok(Key::Ctrl(c)),
                _ => Err(format!(
                    "no key {name:?}: ctrl- goes with a letter, as in ctrl-r"
                )),
            };
        }
        let mut chars = name.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return if c == ' ' {
                Ok(Key::Space)
            } else if visible(c) {
                Ok(Key::Char(c))
            } else {
                Err(format!(
                    "no key {}: it is invisible, blank or a combining mark; {KEY_NAMES}",
                    crate::core::text::one_line(&format!("U+{:04X}", c as u32))
                ))
            };
        }
        Ok(match lower.as_str() {
            "space" => Key::Space,
            "enter" | "return" => Key::Enter,
            "esc" | "escape" => Key::Esc,
            "backspace" => Key::Backspace,
            "up" => Key::Up,
            "down" => Key::Down,
            "left" => Key::Left,
            "right" => Key::Right,
            "home" => Key::Home,
            "end" => Key::End,
            "pgup" | "pageup" => Key::PageUp,
            "pgdn" | "pagedown" => Key::PageDown,
            "tab" => Key::Tab,
            _ => return Err(format!("no key {name:?}; {KEY_NAMES}")),
        })
    }
}

/// Whether a character can be a key: one a person sees, in the footer and on the keyboard.
/// Controls, spaces of every kind, combining marks, zero-width and other invisible characters
/// (which the terminal cannot send alone, or the footer would show as nothing) are not.
fn visible(c: char) -> bool {
    use unicode_width::UnicodeWidthChar;
    !c.is_control()
        && !c.is_whitespace()
        && !crate::core::text::is_bidi_control(c)
        && c.width().is_some_and(|w| w > 0)
        // Wide, but blank: the Hangul fillers and the braille blank.
        && !matches!(c, '\u{115f}' | '\u{2800}')
}

/// A key table in effect: the built-in one, with the checklist's keys the learner remapped.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Vec<Key>, &'static Binding)>,
}

/// What is wrong with a remapping, and a word of the settings file to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProblem {
    pub near: String,
    pub message: String,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap {
            bindings: BINDINGS.iter().map(|b| (b.keys.to_vec(), b)).collect(),
        }
    }
}

impl Keymap {
    /// The built-in table with the keys of `remap` (action name → key names) in place of the
    /// checklist's own for those actions. A key bound to two actions of the checklist is an
    /// error that names both.
    pub fn from_settings(remap: &BTreeMap<String, Vec<String>>) -> Result<Keymap, KeyProblem> {
        let mut keymap = Keymap::default();
        for (name, keys) in remap {
            if !action_names().any(|(n, _)| n == name) {
                let names: Vec<&str> = action_names().map(|(n, _)| n).collect();
                return Err(KeyProblem {
                    near: name.clone(),
                    message: format!("no action {name:?} the actions are: {}", names.join(", ")),
                });
            };
            // Checked before anything is parsed: a list of a million keys costs nothing.
            if keys.len() > MAX_KEYS_PER_ACTION {
                return Err(KeyProblem {
                    near: name.clone(),
                    message: format!(
                        "{name}: {} keys; give at most {MAX_KEYS_PER_ACTION}",
                        keys.len()
                    ),
                });
            }
            let parsed: Vec<Key> = keys
                .iter()
                .map(|k| {
                    Key::from_setting(k).map_err(|why| KeyProblem {
                        near: k.clone(),
                        message: format!("{name}: {why}"),
                    })
                })
                .collect::<Result<_, _>>()?;
            if parsed.is_empty() {
                return Err(KeyProblem {
                    near: name.clone(),
                    message: format!("{name}: give at least one key"),
                });
            }
            for (keys, binding) in &mut keymap.bindings {
                if binding.name == Some(name.as_str()) {
                    *keys = parsed.clone();
                }
            }
        }
        keymap.check_browse_keys(remap)?;
        Ok(keymap)
    }

    /// Every key of the checklist does one thing. One pass with a map from key to binding: the
    /// time grows with the number of keys, never with its square.
    fn check_browse_keys(&self, remap: &BTreeMap<String, Vec<String>>) -> Result<(), KeyProblem> {
        let name = |b: &Binding| b.name.unwrap_or(b.help);
        // The settings' word for a key, to point at in the file.
        let near = |key: Key| {
            remap
                .iter()
                .find(|(_, ks)| ks.iter().any(|k| Key::parse(k) == Some(key)))
                .map_or_else(|| "keys".to_string(), |(n, _)| n.clone())
        };
        let mut seen: std::collections::HashMap<Key, &Binding> = std::collections::HashMap::new();
        // The bindings no setting changes (Ctrl-C quits, Ctrl-Z suspends, in every view) first,
        // so a clash with one of them is told as what it is.
        let fixed = |b: &Binding| b.modes != BROWSE;
        // The fixed bindings first, each part in table order.
        let (mut browse, rest): (Vec<&(Vec<Key>, &Binding)>, Vec<_>) = self
            .bindings
            .iter()
            .filter(|(_, b)| b.modes.contains(&Mode::Browse))
            .partition(|(_, b)| fixed(b));
        browse.extend(rest);
        for (keys, binding) in browse {
            for key in keys {
                let Some(other) = seen.insert(*key, binding) else {
                    continue;
                };
                // The same key twice in one list does no harm.
                if std::ptr::eq(other, *binding) {
                    continue;
                }
                let message = if fixed(other) && other.action == binding.action {
                    format!(
                        "{} always does {:?} already, in every view; leave it out of {}'s keys",
                        key.label(),
                        other.help,
                        name(binding)
                    )
                } else if fixed(other) {
                    format!(
                        "{} is pathway's own key for {:?}, in every view; choose another key for {}",
                        key.label(),
                        other.help,
                        name(binding)
                    )
                } else {
                    format!(
                        "key {:?} is bound to both {} and {}",
                        key.label(),
                        name(other),
                        name(binding)
                    )
                };
                return Err(KeyProblem {
                    near: near(*key),
                    message,
                });
            }
        }
        Ok(())
    }

    /// The action a key press stands for in the given mode, if any. Keys the table does not
    /// bind are text where text is typed: the filter, the searches and the note editor.
    pub fn action_for(&self, mode: Mode, event: &KeyEvent) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::from_event(event);
        let bound = key.and_then(|key| {
            self.bindings
                .iter()
                .find(|(keys, b)| b.modes.contains(&mode) && keys.contains(&key))
        });
        if let Some((_, b)) = bound {
            return Some(b.action.clone());
        }
        match (mode, key) {
            (Mode::Edit | Mode::CardEdit, _) => Some(Action::EditorKey(*event)),
            (Mode::Filter | Mode::HelpSearch | Mode::NotesSearch, Some(Key::Char(c))) => {
                Some(Action::Input(c))
            }
            (Mode::Filter | Mode::HelpSearch | Mode::NotesSearch, Some(Key::Space)) => {
                Some(Action::Input(' '))
            }
            _ => None,
        }
    }

    /// The key bound to an action now (the first, where there are several), as messages name it:
    /// a hint always names the key that works, remapped or not. The checklist's binding first.
    pub fn key_for(&self, action: Action) -> String {
        self.key_in(Mode::Browse, action)
    }

    /// The key bound to an action in a mode (else in any), as that mode's screen names it.
    pub fn key_in(&self, mode: Mode, action: Action) -> String {
        let bound = |in_mode: bool| {
            self.bindings
                .iter()
                .find(|(_, b)| b.action == action && (!in_mode || b.modes.contains(&mode)))
                .and_then(|(keys, _)| keys.first())
        };
        bound(true)
            .or_else(|| bound(false))
            .map_or_else(|| "?".to_string(), |k| k.label())
    }

    /// The footer's entries for a mode: (keys, word), in table order.
    pub fn footer(&self, mode: Mode) -> Vec<(String, &'static str)> {
        self.footer_where(mode, |_| true)
    }

    /// The footer of a mode, with only the keys whose action `works` where the learner is.
    pub fn footer_where(
        &self,
        mode: Mode,
        works: impl Fn(&Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        let mut out: Vec<(String, &'static str)> = Vec::new();
        for (keys, b) in self
            .bindings
            .iter()
            .filter(|(_, b)| b.modes.contains(&mode) && works(&b.action))
        {
            let (Some((word, _)), Some(first)) = (b.footer, keys.first()) else {
                continue;
            };
            let key = first.label();
            match out.last_mut() {
                // Arrows read as one ("↑↓"); longer names need a separator ("Ctrl-A/Ctrl-B").
                Some((keys, last)) if *last == word => {
                    if key.chars().count() > 1 || keys.chars().count() > 1 {
                        keys.push('/');
                    }
                    keys.push_str(&key)
                }
                _ => out.push((key, word)),
            }
        }
        out
    }

    /// The help overlay's sections: a heading, then each binding's keys, the name a settings
    /// file gives its action (for the checklist's keys, the ones it can remap), and what they do.
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<HelpLine>)> {
        MODE_HEADINGS
            .iter()
            .map(|(mode, heading)| {
                let lines = self
                    .bindings
                    .iter()
                    .filter(|(_, b)| b.modes.first() == Some(mode))
                    .map(|(keys, b)| {
                        let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
                        HelpLine {
                            keys: keys.join(" "),
                            name: setting_name(b),
                            what: b.help,
                        }
                    })
                    .collect();
                (*heading, lines)
            })
            .collect()
    }

    /// Every action a settings file can give keys to, in table order, with the keys it has now
    /// and what it does: what `pathway config --keys` prints.
    pub fn settings_keys(&self) -> Vec<(&'static str, Vec<Key>, &'static str)> {
        self.bindings
            .iter()
            .filter_map(|(keys, b)| b.name.map(|name| (name, keys.clone(), b.help)))
            .collect()
    }
}

/// One line of the help: keys, the action's name in a settings file (if it can be remapped),
/// and what the keys do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpLine {
    pub keys: String,
    pub name: Option<&'static str>,
    pub what: &'static str,
}

/// The name a settings file gives a binding's action, for the checklist's own bindings (the
/// ones `keys:` can change).
fn setting_name(binding: &Binding) -> Option<&'static str> {
    binding.name
}

impl Key {
    /// The key as a settings file writes it, quoted where YAML needs it: `space`, `ctrl-r`,
    /// `pgdn`, `x`, `'/'`.
    pub fn setting(self) -> String {
        match self {
            Key::Char(c) if c.is_alphanumeric() => c.to_string(),
            Key::Char('\'') => "\"'\"".to_string(),
            Key::Char(c) => format!("'{c}'"),
            Key::Ctrl(c) => format!("ctrl-{c}"),
            Key::Space => "space".into(),
            Key::Enter => "enter".into(),
            Key::Esc => "esc".into(),
            Key::Backspace => "backspace".into(),
            Key::Up => "up".into(),
            Key::Down => "down".into(),
            Key::Left => "left".into(),
            Key::Right => "right".into(),
            Key::Home => "home".into(),
            Key::End => "end".into(),
            Key::PageUp => "pgup".into(),
            Key::PageDown => "pgdn".into(),
            Key::Tab => "tab".into(),
        }
    }
}

static DEFAULT: std::sync::LazyLock<Keymap> = std::sync::LazyLock::new(Keymap::default);

/// The action a key press stands for with the built-in keys.
pub fn action_for(mode: Mode, event: &KeyEvent) -> Option<Action> {
    DEFAULT.action_for(mode, event)
}

/// The footer's entries with the built-in keys.
pub fn footer(mode: Mode) -> Vec<(String, &'static str)> {
    DEFAULT.footer(mode)
}

/// The help overlay's sections with the built-in keys.
pub fn help_sections() -> Vec<(&'static str, Vec<HelpLine>)> {
    DEFAULT.help_sections()
}

/// Every key of every mode as Markdown tables, one per mode, from the one key table: what
/// `docs/keys.md` holds between its markers (a test keeps the two equal).
pub fn keys_markdown(keymap: &Keymap) -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut out = String::new();
    for (heading, lines) in keymap.help_sections() {
        if lines.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "### {heading}\n\n| keys | action | what they do |\n| --- | --- | --- |\n"
        ));
        for line in lines {
            let keys: Vec<String> = line
                .keys
                .split(' ')
                .map(|k| format!("`{}`", cell(k)))
                .collect();
            let name = line.name.map(|n| format!("`{n}`")).unwrap_or_default();
            out.push_str(&format!(
                "| {} | {name} | {} |\n",
                keys.join(" "),
                cell(line.what)
            ));
        }
        out.push('\n');
    }
    out
}

/// The checklist's actions by the names a settings file gives them, each with its keys now and
/// what it does, as a `keys:` section to copy: `pathway config --keys`.
pub fn keys_yaml(keymap: &Keymap) -> String {
    let rows: Vec<(String, &str)> = keymap
        .settings_keys()
        .into_iter()
        .map(|(name, keys, what)| {
            let keys: Vec<String> = keys.iter().map(|k| k.setting()).collect();
            (format!("  {name}: [{}]", keys.join(", ")), what)
        })
        .collect();
    let width = rows
        .iter()
        .map(|(r, _)| r.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from(
        "# The checklist's actions and their keys now. To change one, copy its line into \
         config.yaml\n# under keys: (an action given keys there loses its own).\nkeys:\n",
    );
    for (row, what) in rows {
        out.push_str(&format!("{row:width$}  # {what}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/keys.md shows the key table as the code has it. `UPDATE_DOCS=1 cargo test` writes
    /// it anew after a change to the table (review the diff like a snapshot).
    #[test]
    fn the_key_table_in_the_docs_is_the_key_table_in_the_code() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/keys.md");
        let doc = std::fs::read_to_string(&path).expect("docs/keys.md");
        let (begin, end) = ("<!-- keys:begin -->\n", "<!-- keys:end -->");
        let start = doc.find(begin).expect("the begin marker") + begin.len();
        let stop = doc.find(end).expect("the end marker");
        let want = keys_markdown(&Keymap::default());
        if std::env::var_os("UPDATE_DOCS").is_some() {
            let text = format!("{}{want}{}", &doc[..start], &doc[stop..]);
            std::fs::write(&path, text).expect("write docs/keys.md");
            return;
        }
        assert_eq!(
            &doc[start..stop],
            want,
            "docs/keys.md: run UPDATE_DOCS=1 cargo test"
        );
    }

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    fn plain(mode: Mode, code: KeyCode) -> Option<Action> {
        action_for(mode, &key(code, KeyModifiers::NONE))
    }

    #[test]
    fn the_issue_keys_map_to_their_actions() {
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
            (KeyCode::Char('i'), Action::ToggleInProgress),
            (KeyCode::Char('s'), Action::ToggleSkipped),
            (KeyCode::Char('n'), Action::EditNote),
            (KeyCode::Char('e'), Action::EditNoteExternally),
            (KeyCode::Char('/'), Action::StartFilter),
            (KeyCode::Char('f'), Action::CycleStatusFilter),
            (KeyCode::Char('o'), Action::OpenResource),
            (KeyCode::Char('O'), Action::PickResource),
            (KeyCode::Char('c'), Action::Continue),
            (KeyCode::Char('u'), Action::Undo),
            (KeyCode::Char('g'), Action::First),
            (KeyCode::Char('G'), Action::Last),
            (KeyCode::Char('?'), Action::ShowHelp),
            (KeyCode::Char('q'), Action::Quit),
            (KeyCode::Esc, Action::Cancel),
            (KeyCode::Char('p'), Action::ToggleStats),
        ];
        for (code, action) in cases {
            assert_eq!(plain(Mode::Browse, code), Some(action), "{code:?}");
        }
        let ctrl = |c| key(KeyCode::Char(c), KeyModifiers::CONTROL);
        assert_eq!(action_for(Mode::Browse, &ctrl('c')), Some(Action::Quit));
        assert_eq!(action_for(Mode::Help, &ctrl('c')), Some(Action::Quit));
        assert_eq!(action_for(Mode::Browse, &ctrl('r')), Some(Action::Redo));
        assert_eq!(action_for(Mode::Edit, &ctrl('s')), Some(Action::Confirm));
        assert_eq!(
            action_for(Mode::Edit, &ctrl('c')),
            Some(Action::Cancel),
            "never loses a note"
        );
    }

    #[test]
    fn in_help_q_and_esc_close_the_overlay() {
        for code in [KeyCode::Char('q'), KeyCode::Esc, KeyCode::Char('?')] {
            assert_eq!(plain(Mode::Help, code), Some(Action::Cancel));
        }
        assert_eq!(plain(Mode::Help, KeyCode::Char(' ')), None);
    }

    #[test]
    fn typing_goes_to_the_filter_and_the_editor() {
        assert_eq!(
            plain(Mode::Filter, KeyCode::Char('q')),
            Some(Action::Input('q'))
        );
        assert_eq!(
            plain(Mode::Filter, KeyCode::Char(' ')),
            Some(Action::Input(' '))
        );
        assert_eq!(plain(Mode::Filter, KeyCode::Enter), Some(Action::Confirm));
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(action_for(Mode::Edit, &q), Some(Action::EditorKey(q)));
    }

    #[test]
    fn a_binding_matches_only_its_own_modifiers() {
        let with = |code, modifiers| action_for(Mode::Browse, &key(code, modifiers));
        assert_eq!(with(KeyCode::Char('q'), KeyModifiers::ALT), None, "Alt-q");
        assert_eq!(with(KeyCode::Char('c'), KeyModifiers::ALT), None, "Alt-c");
        assert_eq!(with(KeyCode::Down, KeyModifiers::SHIFT), None, "Shift-↓");
        assert_eq!(with(KeyCode::Enter, KeyModifiers::ALT), None, "Alt-Enter");
        assert_eq!(
            with(KeyCode::Char('j'), KeyModifiers::CONTROL),
            None,
            "Ctrl-J"
        );
        assert_eq!(
            with(KeyCode::Char('O'), KeyModifiers::SHIFT),
            Some(Action::PickResource),
            "Shift is the case of a letter"
        );
        assert_eq!(
            action_for(Mode::Filter, &key(KeyCode::Char('x'), KeyModifiers::ALT)),
            None,
            "Alt-x types nothing"
        );
    }

    #[test]
    fn esc_never_quits() {
        for (mode, _) in MODE_HEADINGS {
            assert_ne!(plain(*mode, KeyCode::Esc), Some(Action::Quit), "{mode:?}");
        }
    }

    #[test]
    fn a_remapped_key_works_and_shows_in_the_footer_and_help() {
        let mut remap = BTreeMap::new();
        remap.insert(
            "done".to_string(),
            vec!["x".to_string(), "space".to_string()],
        );
        remap.insert("quit".to_string(), vec!["ctrl-q".to_string()]);
        let keymap = Keymap::from_settings(&remap).expect("valid");
        let press = |c| keymap.action_for(Mode::Browse, &key(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(press('x'), Some(Action::ToggleDone));
        assert_eq!(press('q'), None, "q no longer quits");
        assert_eq!(
            keymap.action_for(
                Mode::Browse,
                &key(KeyCode::Char('q'), KeyModifiers::CONTROL)
            ),
            Some(Action::Quit)
        );
        assert!(
            keymap
                .footer(Mode::Browse)
                .contains(&("x".to_string(), "done"))
        );
        assert!(
            keymap
                .footer(Mode::Browse)
                .contains(&("Ctrl-Q".to_string(), "quit"))
        );
        let help = keymap.help_sections();
        assert!(
            help[0].1.iter().any(|l| l.keys == "x space"
                && l.what.starts_with("done")
                && l.name == Some("done"))
        );
    }

    #[test]
    fn a_key_bound_to_two_actions_is_refused_naming_both() {
        let mut remap = BTreeMap::new();
        remap.insert("skip".to_string(), vec!["n".to_string()]);
        let problem = Keymap::from_settings(&remap).expect_err("n is note's");
        assert!(
            problem.message.contains("skip") && problem.message.contains("note"),
            "{problem:?}"
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
        let sections = help_sections();
        for b in BINDINGS {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
            let line = HelpLine {
                keys: keys.join(" "),
                name: setting_name(b),
                what: b.help,
            };
            assert!(
                sections.iter().any(|(_, lines)| lines.contains(&line)),
                "{line:?}"
            );
        }
        // Every action a settings file names is on a line of the help, by that name.
        for (name, _) in action_names() {
            assert!(
                sections
                    .iter()
                    .any(|(_, lines)| lines.iter().any(|l| l.name == Some(name))),
                "{name}"
            );
        }
    }

    #[test]
    fn no_key_is_bound_twice_in_one_mode() {
        for (mode, _) in MODE_HEADINGS {
            let mut seen = Vec::new();
            for b in BINDINGS.iter().filter(|b| b.modes.contains(mode)) {
                for k in b.keys {
                    assert!(!seen.contains(k), "{k:?} twice in {mode:?}");
                    seen.push(*k);
                }
            }
        }
    }
}
