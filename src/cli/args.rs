//! The arguments: every subcommand and its options, as clap reads them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use clap_complete::engine::ArgValueCompleter;

use super::completions::complete_ids;

#[derive(Debug, Parser)]
#[command(
    name = "pathway",
    version,
    about = "A learning roadmap for backend, DevOps and cloud, as a checklist you live in",
    long_about = "A learning roadmap for backend, DevOps and cloud, as a checklist you live in.\n\n\
        Without a command, opens the checklist in the terminal (or prints the status when the \
        output is not a terminal). IDs are a step number (2), a step id (databases) or \
        step/task (databases/sql-basics)."
)]
pub struct Cli {
    /// Use this roadmap: an id (see `pathway roadmaps`), or a file when it looks like a path (it
    /// holds a / or ends in .yaml or .yml).
    #[arg(long, global = true, value_name = "FILE|ID")]
    pub roadmap: Option<PathBuf>,
    /// Read settings from this file [env: PATHWAY_CONFIG; default:
    /// $XDG_CONFIG_HOME/pathway/config.yaml, wherever the progress is kept].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Keep progress in this file [env: PATHWAY_PROGRESS; default: your config directory].
    #[arg(long, global = true, value_name = "FILE")]
    pub progress: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// Each command's arguments are built only when that command runs (clap's `defer`): building all
// of them was the largest part of `pathway status`'s start-up, about a third of its page faults.
// Help, completions and the manual page build the whole tree themselves.
impl Cli {
    /// The command line of this process, as clap reads it.
    pub fn from_env() -> Cli {
        Cli::parse()
    }
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Show progress: a line per step and a summary; or every task with its id.
    Status {
        /// Print JSON for scripts instead.
        #[arg(long, conflicts_with = "tasks")]
        json: bool,
        /// List every task with its id (and its number in the step), status and title.
        #[arg(long)]
        tasks: bool,
    },
    /// Mark tasks done (a step: all its tasks).
    Done {
        #[arg(required = true, value_name = "ID", add = ArgValueCompleter::new(complete_ids))]
        ids: Vec<String>,
    },
    /// Mark tasks not done (a step: all its tasks).
    Undo {
        #[arg(required = true, value_name = "ID", add = ArgValueCompleter::new(complete_ids))]
        ids: Vec<String>,
    },
    /// Mark tasks in progress.
    Start {
        #[arg(required = true, value_name = "ID", add = ArgValueCompleter::new(complete_ids))]
        ids: Vec<String>,
    },
    /// Mark tasks skipped (a step: all its tasks not done).
    Skip {
        #[arg(required = true, value_name = "ID", add = ArgValueCompleter::new(complete_ids))]
        ids: Vec<String>,
    },
    /// Set the note of a step or task; with - read it from standard input; with no text, print it.
    Note {
        #[arg(value_name = "ID", add = ArgValueCompleter::new(complete_ids))]
        id: String,
        /// The note; an empty text removes it.
        text: Option<String>,
    },
    /// Write the progress as a Markdown task list or as JSON.
    Export {
        #[arg(long, value_enum, default_value_t = Format::Markdown)]
        format: Format,
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write an SVG card of your progress (about 500×200 px) for a profile README or a blog.
    Card {
        /// Write to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The card's own colours: light or dark (it reads on either page background).
        #[arg(long, value_enum, default_value_t = CardTheme::Light)]
        theme: CardTheme,
    },
    /// Merge the ticks and notes of a Markdown task list written by `export` back in.
    Import {
        #[arg(value_name = "FILE.md")]
        file: PathBuf,
        /// Show what would change without changing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Check a roadmap file and print every problem with its line and column.
    Validate {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// How far you have come: completions per week, streak, pace and a forecast.
    Stats {
        /// Print JSON for scripts instead.
        #[arg(long)]
        json: bool,
    },
    /// List the history of changes, oldest first.
    Log {
        /// Only changes on or after this day, in your time zone: today, yesterday, 7d, 2w,
        /// "3 days ago" or 2026-11-01.
        #[arg(long, value_name = "DAY")]
        since: Option<String>,
        /// With each note edit, the text it replaced (to read back or restore a note).
        #[arg(long)]
        notes: bool,
    },
    /// Every note together, step by step: text, Markdown for sharing, or JSON for scripts.
    Notes {
        /// Only the notes of this step (a number or an id).
        #[arg(long, value_name = "STEP", add = ArgValueCompleter::new(complete_ids))]
        step: Option<String>,
        #[arg(long, value_enum, default_value_t = NotesFormat::Text)]
        format: NotesFormat,
    },
    /// List the cards due for review, show a task's cards, or record a review:
    /// `pathway review ID good`.
    Review {
        /// A card (`step/task#card`) or a task (its most overdue due card).
        #[arg(value_name = "ID", add = ArgValueCompleter::new(complete_ids))]
        id: Option<String>,
        /// How well you remembered: 1-4 or again, hard, good, easy; or off / on to take the
        /// task out of review or put it back. Without it, the task's cards are shown.
        #[arg(value_name = "RATING", requires = "id")]
        rating: Option<String>,
        /// Print as JSON.
        #[arg(long, conflicts_with = "rating")]
        json: bool,
        /// Review cards not due yet but due within this time (`3d`, `12h`, `1w`): cramming
        /// before an interview.
        #[arg(long, value_name = "WITHIN", conflicts_with_all = ["id", "rating"])]
        ahead: Option<String>,
        /// Open the review session full screen, and exit after the last card with a summary.
        #[arg(long, conflicts_with_all = ["id", "rating", "json"])]
        session: bool,
        /// Add a card of your own to the task ID, with this question (and --answer).
        #[arg(long, value_name = "QUESTION", requires = "id", conflicts_with_all = ["rating", "json", "edit_card", "remove_card"])]
        add_card: Option<String>,
        /// Change one of your cards on the task ID: its number as `pathway review ID` lists
        /// yours, or its id (`+…`); with --question and/or --answer.
        #[arg(long, value_name = "CARD", requires = "id", conflicts_with_all = ["rating", "json", "remove_card"])]
        edit_card: Option<String>,
        /// Remove one of your cards on the task ID (its number or id).
        #[arg(long, value_name = "CARD", requires = "id", conflicts_with_all = ["rating", "json"])]
        remove_card: Option<String>,
        /// The new question, with --edit-card.
        #[arg(long, value_name = "QUESTION", requires = "edit_card")]
        question: Option<String>,
        /// The answer, with --add-card or --edit-card.
        #[arg(long, value_name = "ANSWER")]
        answer: Option<String>,
    },
    /// Run the checks that verify tasks on your machine: a pass marks the task done and verified.
    Check {
        /// Tasks (or steps: all their tasks with a check) to check.
        #[arg(value_name = "ID", add = ArgValueCompleter::new(complete_ids))]
        ids: Vec<String>,
        /// Every task of this step that has a check: a placement test.
        #[arg(long, value_name = "STEP", add = ArgValueCompleter::new(complete_ids))]
        step: Option<String>,
        /// Every task of the roadmap that has a check.
        #[arg(long)]
        all: bool,
        /// Print the results as JSON.
        #[arg(long)]
        json: bool,
        /// Run the checks in this folder (else the settings' checks.project, else here).
        #[arg(long, value_name = "DIR")]
        project: Option<PathBuf>,
        /// Run the check again whenever a file in the project folder changes, until it passes.
        #[arg(long, conflicts_with = "json")]
        watch: bool,
    },
    /// Use this roadmap from now on, in the checklist and on the command line (what R does).
    Use {
        /// A roadmap id: the built-in one, or one in the roadmaps folder (`pathway roadmaps`).
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Show what a roadmap's checks would run, and approve them (they never run before).
    Trust {
        /// Approve without asking (for scripts).
        #[arg(long)]
        yes: bool,
    },
    /// List the roadmaps: the built-in one and those in the roadmaps folder, with your progress.
    Roadmaps,
    /// Write a starter roadmap file into the roadmaps folder, ready to edit and validate.
    New {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Print where the settings file is and the settings in effect, as YAML to copy and edit.
    Config {
        /// List the checklist's actions by the names a settings file uses, with their keys now.
        #[arg(long)]
        keys: bool,
    },
    /// Show the roadmap in use and where progress is kept.
    Where,
    /// Clear this roadmap's progress, keeping a backup of the file.
    Reset {
        /// Do not ask (needed when not on a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Git merge driver for progress files: merges THEIRS into OURS part by part (for each
    /// task's status, note, card and check, the later change wins; a note both changed since
    /// BASE keeps both texts) and writes the result into OURS. `pathway sync init` sets it up.
    MergeFile {
        /// The common ancestor (%O): which notes both sides changed (empty: there is none).
        base: PathBuf,
        /// Our version (%A): the merged result is written here.
        ours: PathBuf,
        /// Their version (%B).
        theirs: PathBuf,
    },
    /// A mentor's view of a cohort through Git: every learner's snapshot in DIR, a clone of
    /// the cohort's repository, sorted by who needs attention first (`publish` writes yours).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Cohort {
        #[command(subcommand)]
        publish: Option<CohortCommand>,
        /// The clone of the cohort's repository (it is pulled first when it has an upstream).
        #[arg(value_name = "DIR", required = true)]
        dir: Option<PathBuf>,
        /// Do not pull before reading.
        #[arg(long)]
        no_pull: bool,
        /// Print JSON for scripts instead.
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// `markdown`: a table for a weekly post.
        #[arg(long, value_enum, default_value_t = CohortFormat::Text)]
        format: CohortFormat,
    },
    /// Sync progress between machines through Git (see docs/sync.md).
    Sync {
        #[command(subcommand)]
        action: SyncAction,
    },
    /// Print pathway's manual page (roff), e.g. `pathway man > ~/.local/share/man/man1/pathway.1`.
    Man,
    /// Print the shell code that completes commands and ids (`source <(pathway completions bash)`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum SyncAction {
    /// Set up a Git repository to hold the progress file: `.gitattributes` with pathway's merge
    /// driver, the driver in this clone's Git configuration (run it again on every machine
    /// after cloning: that configuration is per clone), and the lock file in `.gitignore`.
    /// Running it again changes nothing.
    Init {
        /// The repository's folder: the progress file's folder by default. Inside an existing
        /// repository, that one is used; elsewhere `git init` makes one.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NotesFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CardTheme {
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum CohortCommand {
    /// Write your snapshot to DIR/learners/NAME.json, commit it, and push when the clone has an
    /// upstream. It holds statuses, dates, checks passed and review figures; never your notes
    /// (unless --with-notes), paths, project folder, environment or check output.
    Publish {
        /// The clone of the cohort's repository.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Your name in the cohort: letters, digits, '.', '_' and '-'.
        #[arg(long = "as", value_name = "NAME")]
        name: String,
        /// Commit but do not push.
        #[arg(long)]
        no_push: bool,
        /// Include your notes on tasks.
        #[arg(long)]
        with_notes: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CohortFormat {
    Text,
    Markdown,
}
