//! What is open over the tree: one value, so a mode cannot exist without its data (an editor
//! without its text, a picker without its choice).

use ratatui_textarea::TextArea;

use crate::core::progress::Status;
use crate::tui::action::{Action, Mode};

#[derive(Debug, Clone, Default)]
pub enum Overlay {
    /// Nothing open: the tree has the keys.
    #[default]
    None,
    Help {
        scroll: u16,
        /// Only the help lines with this text are shown.
        query: String,
        /// The search is being typed.
        searching: bool,
    },
    /// Asking before a change to a whole step.
    Confirm(PendingChange),
    /// The details (or the progress view) full-screen, for a window too small for both panes.
    Details { stats: bool },
    /// Typing a filter.
    Filter,
    /// The inline note editor.
    Edit(NoteEditor),
    /// Asking whether to throw away the changes in this editor.
    ConfirmDiscard(NoteEditor),
    /// The editor of the learner's own cards on a task.
    CardEdit(CardEditor),
    /// Asking whether to throw away the changes in the card editor.
    ConfirmDiscardCard(CardEditor),
    /// Choosing one of the selected step's resources.
    Picker { selected: usize },
    /// Every note together, in place of the details.
    Notes {
        selected: usize,
        query: String,
        searching: bool,
    },
    /// A review session: one due task at a time.
    Review(ReviewSession),
    /// The roadmap switcher, on the roadmaps found when it opened.
    Roadmaps {
        selected: usize,
        choices: Vec<RoadmapChoice>,
    },
    /// A link that could not be opened, and why: shown whole, on a line of its own, to copy.
    Link { url: String, why: String },
    /// Asking to approve the roadmap's checks (listed) before these tasks' checks run.
    TrustChecks { keys: Vec<String>, scroll: u16 },
    /// `$EDITOR` is open on the note of this item; its text comes back as `NoteEdited`, and
    /// then `back` (what was open before, such as a review session) opens again.
    External {
        key: String,
        back: Option<Box<Overlay>>,
    },
}

impl Overlay {
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::None | Overlay::External { .. } => Mode::Browse,
            Overlay::Help {
                searching: true, ..
            } => Mode::HelpSearch,
            Overlay::Help { .. } => Mode::Help,
            Overlay::Confirm(_) => Mode::Confirm,
            Overlay::TrustChecks { .. } => Mode::ConfirmTrust,
            Overlay::Details { .. } => Mode::Details,
            Overlay::Notes {
                searching: true, ..
            } => Mode::NotesSearch,
            Overlay::Notes { .. } => Mode::Notes,
            Overlay::Review(_) => Mode::Review,
            Overlay::Roadmaps { .. } => Mode::Roadmaps,
            Overlay::Link { .. } => Mode::Link,
            Overlay::Filter => Mode::Filter,
            Overlay::Edit(_) => Mode::Edit,
            Overlay::ConfirmDiscard(_) | Overlay::ConfirmDiscardCard(_) => Mode::ConfirmDiscard,
            Overlay::CardEdit(_) => Mode::CardEdit,
            Overlay::Picker { .. } => Mode::Picker,
        }
    }

    /// The note editor, open or waiting for an answer about discarding.
    pub fn editor(&self) -> Option<&NoteEditor> {
        match self {
            Overlay::Edit(editor) | Overlay::ConfirmDiscard(editor) => Some(editor),
            _ => None,
        }
    }
}

/// The largest note the inline editor takes. Its widget lays out and draws the whole text on
/// every key, so a key cost about 50–150 ms of CPU on a 1 MiB note (the most `note -` takes);
/// up to this size it stays well under a frame. A larger note opens in `$EDITOR` instead, and
/// the inline editor never grows past it.
pub const MAX_INLINE_NOTE_BYTES: usize = 64 * 1024;

/// The inline note editor and the item it writes to.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub key: String,
    pub title: String,
    pub textarea: TextArea<'static>,
    original: String,
    /// What was open before the editor (a review session, the notes view), to open again
    /// once the note is saved or left.
    pub back: Option<Box<Overlay>>,
}

impl NoteEditor {
    /// An editor on `original`, with the cursor at its end.
    pub fn new(key: String, title: String, original: String) -> NoteEditor {
        let lines = original.lines().map(str::to_string).collect();
        let mut textarea = TextArea::new(lines);
        textarea.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
        textarea.move_cursor(ratatui_textarea::CursorMove::Bottom);
        textarea.move_cursor(ratatui_textarea::CursorMove::End);
        NoteEditor {
            key,
            title,
            textarea,
            original,
            back: None,
        }
    }

    pub fn text(&self) -> String {
        self.textarea.lines().join("\n")
    }

    pub fn changed(&self) -> bool {
        self.text() != self.original
    }

    /// The size of the text in bytes, line ends included, without joining it.
    pub fn len(&self) -> usize {
        let lines = self.textarea.lines();
        lines.iter().map(String::len).sum::<usize>() + lines.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The editor of the learner's own cards on one task: one card at a time, a question and an
/// answer, each a text area of its own; PgUp and PgDn go through the task's cards, and past the
/// last one to a new card.
#[derive(Debug, Clone)]
pub struct CardEditor {
    pub key: String,
    pub title: String,
    /// The learner's cards on the task as the editor found them, by id.
    pub ids: Vec<String>,
    /// The card shown: one of `ids`, or `ids.len()` for a new card.
    pub index: usize,
    pub question: TextArea<'static>,
    pub answer: TextArea<'static>,
    /// Typing goes into the answer (else the question).
    pub on_answer: bool,
    original: (String, String),
    /// What was open before (a review session), to open again once the editor closes.
    pub back: Option<Box<Overlay>>,
}

fn text_area(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(text.lines().map(str::to_string).collect());
    area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    area.move_cursor(ratatui_textarea::CursorMove::Bottom);
    area.move_cursor(ratatui_textarea::CursorMove::End);
    area
}

impl CardEditor {
    /// An editor on a new card for the task `key`, whose cards of the learner's are `ids`
    /// (`show` puts one of them in), typing into the question.
    pub fn new(key: String, title: String, ids: Vec<String>) -> CardEditor {
        let index = ids.len();
        let mut editor = CardEditor {
            key,
            title,
            ids,
            index,
            question: text_area(""),
            answer: text_area(""),
            on_answer: false,
            original: Default::default(),
            back: None,
        };
        editor.show(index, "", "");
        editor
    }

    /// Shows another card (or, at `ids.len()`, a new one).
    pub fn show(&mut self, index: usize, ask: &str, answer: &str) {
        self.index = index.min(self.ids.len());
        self.question = text_area(ask);
        self.answer = text_area(answer);
        self.original = (ask.to_string(), answer.to_string());
        self.on_answer = false;
        self.focus();
    }

    /// Moves the typing to the other field.
    pub fn switch_field(&mut self) {
        self.on_answer = !self.on_answer;
        self.focus();
    }

    /// Only the field typed into shows a cursor.
    fn focus(&mut self) {
        let (typing, other) = if self.on_answer {
            (&mut self.answer, &mut self.question)
        } else {
            (&mut self.question, &mut self.answer)
        };
        typing.set_cursor_style(
            ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED),
        );
        other.set_cursor_style(ratatui::style::Style::default());
        other.set_cursor_line_style(ratatui::style::Style::default());
        typing.set_cursor_line_style(ratatui::style::Style::default());
    }

    /// The field typed into.
    pub fn typing(&mut self) -> &mut TextArea<'static> {
        if self.on_answer {
            &mut self.answer
        } else {
            &mut self.question
        }
    }

    /// The question and the answer as they stand.
    pub fn texts(&self) -> (String, String) {
        (
            self.question.lines().join("\n"),
            self.answer.lines().join("\n"),
        )
    }

    pub fn changed(&self) -> bool {
        self.texts() != self.original
    }

    /// The card being edited, `None` for a new one.
    pub fn card_id(&self) -> Option<&str> {
        self.ids.get(self.index).map(String::as_str)
    }
}

/// Checks running in the background: which tasks, how far, since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checking {
    pub keys: Vec<String>,
    pub done: usize,
    pub started: jiff::Timestamp,
    /// Started from a review card: its result rates the card.
    pub for_review: bool,
    /// That card's place in the session's queue: the result rates that card only, not
    /// another card of the same task the learner went on to meanwhile.
    pub card: Option<usize>,
    /// How many passed, failed and could not check so far, for the summary at the end.
    pub tally: [usize; 3],
}

/// A change to several tasks at once, waiting for a yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingChange {
    pub updates: Vec<(String, Status)>,
    /// The question, as the footer asks it.
    pub question: String,
    /// What the footer says once it is done.
    pub done: super::Message,
}

/// A review session: the cards due when it began (and those rated "again", which come back at
/// its end), the one asked now, whether its answer shows yet, and what was rated so far.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewSession {
    pub queue: Vec<crate::core::review::DueCard>,
    pub index: usize,
    pub revealed: bool,
    pub scroll: u16,
    /// The cards reviewed in this session, oldest first, each with what is needed to undo it.
    pub rated: Vec<Rated>,
    /// Reviewing cards not due yet, as the learner asked.
    pub ahead: bool,
    /// Nothing is due: the session offers to review ahead (Space) or ends (Esc).
    pub offer_ahead: bool,
}

/// One rating given in a review session.
#[derive(Debug, Clone, PartialEq)]
pub struct Rated {
    pub card: crate::core::review::DueCard,
    pub rating: crate::core::status::Rating,
    /// When the card is due next.
    pub next: jiff::Timestamp,
    /// The task's item before and after the rating, to undo it exactly.
    pub before: Option<crate::core::progress::Item>,
    pub after: Option<crate::core::progress::Item>,
    /// Whether the card was put back at the end of the session (rated "again").
    pub requeued: bool,
}

impl ReviewSession {
    pub fn new(queue: Vec<crate::core::review::DueCard>, ahead: bool) -> ReviewSession {
        ReviewSession {
            offer_ahead: queue.is_empty(),
            queue,
            index: 0,
            revealed: false,
            scroll: 0,
            rated: Vec::new(),
            ahead,
        }
    }

    pub fn current(&self) -> Option<&crate::core::review::DueCard> {
        self.queue.get(self.index)
    }

    /// The result of the last rating, shown above the next card until that one is revealed.
    pub fn last_result(&self) -> Option<&Rated> {
        self.rated.last().filter(|_| !self.revealed)
    }

    /// Every card asked: the summary shows.
    pub fn finished(&self) -> bool {
        !self.offer_ahead && self.index >= self.queue.len()
    }

    /// (reviews, cards, remembered): the ratings given in this session, the cards they were
    /// of (a card rated "again" is asked again, so it may have several), and the ratings that
    /// were not "again".
    pub fn tally(&self) -> (usize, usize, usize) {
        let remembered = self
            .rated
            .iter()
            .filter(|r| r.rating != crate::core::status::Rating::Again)
            .count();
        let cards: std::collections::BTreeSet<String> =
            self.rated.iter().map(|r| r.card.id()).collect();
        (self.rated.len(), cards.len(), remembered)
    }

    /// "4 cards reviewed, 75% remembered", or "5 reviews of 4 cards, 80% remembered" when a
    /// card came back: the summary's words, on the session's last screen and in the message.
    pub fn tally_text(&self) -> String {
        let (reviews, cards, remembered) = self.tally();
        let share = (remembered * 100).checked_div(reviews).unwrap_or(0);
        let what = if reviews == cards {
            format!("{} reviewed", crate::core::text::count(cards, "card"))
        } else {
            format!(
                "{} of {}",
                crate::core::text::count(reviews, "review"),
                crate::core::text::count(cards, "card")
            )
        };
        if reviews == 0 {
            what
        } else {
            format!("{what}, {share}% remembered")
        }
    }

    /// What the keys do on the screens that are not a card: nothing due (review ahead, or
    /// back) and the session's summary (close, or undo the last rating). The pane and the
    /// footer both list these, so they never offer a key that does nothing there.
    pub fn screen_keys(&self) -> Option<Vec<(Action, &'static str)>> {
        if self.offer_ahead {
            Some(vec![
                (Action::Reveal, "review ahead"),
                (Action::Cancel, "back"),
            ])
        } else if self.finished() {
            Some(vec![
                (Action::Cancel, "close"),
                (Action::Undo, "undo last rating"),
            ])
        } else {
            None
        }
    }

    /// Whether a key of the review table does anything on the card as it shows now: the
    /// answer before it is shown, the ratings after, ending the session always.
    pub fn offers(&self, action: &Action) -> bool {
        match action {
            Action::Reveal => !self.revealed,
            Action::Rate(_) => self.revealed,
            _ => true,
        }
    }
}

/// A roadmap the switcher offers, with the learner's progress on it; one whose file does not
/// validate is listed with its error and cannot be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoadmapChoice {
    pub id: String,
    pub title: String,
    pub percent: usize,
    pub error: Option<String>,
}
