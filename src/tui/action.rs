//! What keys mean, shared by the key table and the app: the actions the TUI asks of the state,
//! what the state asks of the TUI in return, and the modes the key table is written in. It
//! depends on neither, so both can depend on it.

use crossterm::event::KeyEvent;

use crate::core::status::Rating;

/// Everything the TUI can ask of the state. Keys map to these through `keys::BINDINGS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Move down; in an overlay, scroll or move its selection.
    Down,
    Up,
    First,
    Last,
    /// Expand a step; on an expanded step, move into its tasks.
    Expand,
    /// Collapse a step; on a task, go to its step.
    Collapse,
    ToggleExpand,
    ToggleDone,
    ToggleInProgress,
    ToggleSkipped,
    /// Go to the first task in progress, else the first not done.
    Continue,
    ScrollDetailDown,
    ScrollDetailUp,
    ShowHelp,
    Undo,
    Redo,
    /// Write a note in the inline editor.
    EditNote,
    /// Write a note in `$VISUAL`/`$EDITOR`.
    EditNoteExternally,
    /// Run the checks of the selected task (or of the step's tasks, or of the card in review).
    Verify,
    /// A check the TUI ran in the background finished.
    CheckFinished {
        key: String,
        result: crate::checks::CheckResult,
        /// What failed, or why it could not check.
        detail: Option<String>,
        /// Every probe's result and the folder it ran in (`checks::report`), for the details.
        report: String,
    },
    /// The text an external editor saved, for the item it was opened on.
    NoteEdited(String),
    /// A key for the inline note editor.
    EditorKey(KeyEvent),
    /// Write cards of one's own on the task (the selected one, or the card's in a review).
    EditCards,
    /// In the card editor: from the question to the answer, or back.
    NextField,
    StartFilter,
    /// A character typed into the filter.
    Input(char),
    /// Text pasted into the terminal: text for whatever is being typed, never keys to run.
    Paste(String),
    Backspace,
    CycleStatusFilter,
    OpenResource,
    PickResource,
    /// Accept: save the note, keep the filter, open the picked resource, discard the changes.
    Confirm,
    /// Back out: close the overlay or editor, clear the filter.
    Cancel,
    Quit,
    /// A left click at this column and row of the terminal.
    Click(u16, u16),
    /// The mouse wheel at this column and row; `true` scrolls down.
    Wheel(u16, u16, bool),
    /// Time passes: lets messages fade.
    Tick,
    /// Ctrl-Z: hand the terminal back to the shell until `fg`.
    Suspend,
    /// Show the progress view in place of the details, or the details again.
    ToggleStats,
    /// Show every note of the roadmap together.
    ShowNotes,
    /// Start a review session of the tasks due.
    StartReview,
    /// In a review: show the answer side.
    Reveal,
    /// In a review: how well the learner remembered.
    Rate(Rating),
    /// Take a done task out of review, or put it back.
    ToggleReviewing,
    /// Choose another roadmap.
    ShowRoadmaps,
}

/// What the caller must do after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    None,
    /// Progress changed: save it.
    Save,
    Quit,
    /// Open this (already checked) web address in the browser.
    Open(String),
    /// Suspend the TUI and edit this text in the external editor, then send `NoteEdited`.
    EditExternally(String),
    /// Stop the process as the shell's job control expects, restoring the terminal around it.
    Suspend,
    /// Open this roadmap (by id) in place of the current one.
    SwitchRoadmap(String),
    /// Run these tasks' checks in the background, one after another, and send `CheckFinished`.
    RunChecks(Vec<String>),
    /// Stop the checks running in the background, and whatever they started.
    CancelChecks,
    /// Record the learner's approval of the roadmap's checks, then run these.
    ApproveChecks(Vec<String>),
    /// Read the roadmaps folder and open the switcher with it (`App::show_roadmaps`): the
    /// folder is read only when asked for, never at start-up.
    ListRoadmaps,
}

/// Which keys apply: the tree, or one of the overlays and inputs over it. The key table is
/// written in these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Help,
    Filter,
    Edit,
    /// The editor of the learner's own cards.
    CardEdit,
    ConfirmDiscard,
    /// Asking before a change to a whole step.
    Confirm,
    /// Asking to approve a roadmap's checks: only `y` says yes, as in the CLI's `[y/N]`.
    ConfirmTrust,
    Picker,
    /// The details full-screen, where the window has no room beside the tree.
    Details,
    /// Typing a search in the help.
    HelpSearch,
    /// Every note together.
    Notes,
    /// Typing a search in the notes view.
    NotesSearch,
    /// A review session.
    Review,
    /// Choosing another roadmap.
    Roadmaps,
    /// A link no browser could open, shown whole to copy.
    Link,
}
