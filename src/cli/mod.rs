//! The command line: arguments, and the commands that run without the TUI.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::core::clock::now;
use crate::core::progress::Status;
use crate::core::roadmap::{Roadmap, task_key};
use crate::core::text::CleanWriter;
use crate::storage::store::Store;
use crate::tui::app::App;

pub mod card;
mod changes;
mod checks;
mod files;
pub mod import;
mod in_use;
mod owned;
pub mod report;
mod reports;

use changes::{mark, note, reset, reset_unreadable, resolve_all, review};
pub use files::merge_files;
use files::{
    MAN_EXTRA, card, export, import, list_roadmaps, merge_file, new_roadmap, validate, where_,
};
pub use in_use::{Chosen, InUse, RoadmapSources, choose_roadmap};
use jiff::tz::TimeZone;
pub use reports::parse_day;
use reports::{StatusForm, log, notes, stats, status};

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
    /// task's status, note, card and check, the later change wins) and writes the result into
    /// OURS. See the README for the two lines to set
    /// it up.
    MergeFile {
        /// The common ancestor (%O); not needed, as every item carries its change time.
        base: PathBuf,
        /// Our version (%A): the merged result is written here.
        ours: PathBuf,
        /// Their version (%B).
        theirs: PathBuf,
    },
    /// Print pathway's manual page (roff), e.g. `pathway man > ~/.local/share/man/man1/pathway.1`.
    Man,
    /// Print the shell code that completes commands and ids (`source <(pathway completions bash)`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
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

/// An error with its own exit code (2 for a wrong ID or a refused request, as for bad usage).
#[derive(Debug)]
pub struct ExitError {
    pub code: u8,
    pub message: String,
    /// An ID that names nothing: the message gains the roadmap searched, whichever it is.
    pub about_id: bool,
}

impl std::fmt::Display for ExitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExitError {}

fn usage(message: impl Into<String>) -> anyhow::Error {
    ExitError {
        code: 2,
        message: message.into(),
        about_id: false,
    }
    .into()
}

/// The environment variable the shell code sets to ask pathway for completions.
pub const COMPLETE_ENV: &str = "PATHWAY_COMPLETE";

/// The shell code that registers pathway's completions: the shell asks pathway itself (with
/// `PATHWAY_COMPLETE=<shell>`) for each word, so ids complete as well as commands. A name of
/// its own, not clap's plain `COMPLETE`, which another tool may have set in the environment.
fn completion_script(shell: clap_complete::Shell) -> Result<Vec<u8>> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &Bash,
        clap_complete::Shell::Zsh => &Zsh,
        clap_complete::Shell::Fish => &Fish,
        clap_complete::Shell::Elvish => &Elvish,
        clap_complete::Shell::PowerShell => &Powershell,
        other => return Err(usage(format!("no completions for {other}"))),
    };
    let mut script = Vec::new();
    completer.write_registration(COMPLETE_ENV, "pathway", "pathway", "pathway", &mut script)?;
    Ok(script)
}

/// Whether this invocation is the completion protocol's own: the registration scripts clap
/// writes call `pathway -- WORDS…` with `PATHWAY_COMPLETE` set, and nothing else does.
/// `CompleteEnv` alone would answer whenever the variable is set, so a `PATHWAY_COMPLETE` left
/// in the environment (exported by hand, or inherited from a completion function) would turn
/// `pathway done X` into a printed shell script with nothing marked done. pathway's own
/// registration comes from `pathway completions SHELL`, so the bare form is not needed either.
pub fn is_completion_request(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    let set = std::env::var_os(COMPLETE_ENV).is_some_and(|v| !v.is_empty() && v != "0");
    set && args.into_iter().nth(1).is_some_and(|a| a == "--")
}

/// Ids that start with what was typed: steps (`databases`) and their tasks
/// (`databases/sql-basics`), from the roadmap the command line uses (see `completion_roadmap`).
fn complete_ids(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
    let Some(current) = current.to_str() else {
        return Vec::new();
    };
    let Some(roadmap) = completion_roadmap() else {
        return Vec::new();
    };
    roadmap
        .steps
        .iter()
        .flat_map(|step| {
            let tasks = step.tasks.iter().map(move |t| {
                CompletionCandidate::new(task_key(step, t)).help(Some(t.title.clone().into()))
            });
            std::iter::once(
                CompletionCandidate::new(&*step.id).help(Some(step.title.to_string().into())),
            )
            .chain(tasks)
        })
        .filter(|c| c.get_value().to_string_lossy().starts_with(current))
        .collect()
}

/// The roadmap to complete ids from: the one the settings, the last `R` or `pathway use` chose
/// (from `PATHWAY_PROGRESS` and `PATHWAY_CONFIG` as a command would find them), else the
/// built-in one. A completion request carries no `--roadmap`, and must never fail loudly.
fn completion_roadmap() -> Option<Roadmap> {
    let Ok(store) = Store::locate(None) else {
        return Roadmap::embedded().ok();
    };
    let home_dir = home(&store);
    let config_dir = directories::ProjectDirs::from("", "", "pathway")
        .map(|dirs| dirs.config_dir().to_path_buf())
        .or_else(|| Some(home_dir.clone()));
    let settings_path = crate::storage::settings::path(
        None,
        std::env::var_os(crate::storage::settings::CONFIG_ENV),
        config_dir,
    );
    let settings = settings_path
        .as_deref()
        .and_then(|p| crate::storage::settings::load(p, false).ok())
        .unwrap_or_default();
    let last_used = crate::storage::fsio::read_regular(&home_dir.join("last-roadmap"), 4096)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let sources = RoadmapSources {
        flag: None,
        settings: settings
            .roadmap
            .as_deref()
            .map(|value| (value, settings_path.as_deref())),
        last_used: last_used.map(|value| (value, home_dir.as_path())),
    };
    choose_roadmap(sources, &crate::storage::catalog::folder(&home_dir))
        .map(|(roadmap, _, _)| roadmap)
        .or_else(|_| Roadmap::embedded().map_err(anyhow::Error::from))
        .ok()
}

/// Every setting, the key remapping checked against the key table, each problem with its
/// `file:line:column`.
fn checked_settings(
    file: &crate::storage::settings::SettingsFile,
) -> anyhow::Result<crate::storage::settings::Settings> {
    let settings = file.all()?;
    if let Err(problem) = crate::tui::keys::Keymap::from_settings(&settings.keys) {
        anyhow::bail!("{}: {}", file.locate(&problem.near), problem.message);
    }
    Ok(settings)
}

/// Whether an error comes from writing to a pipe whose reader has gone.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Whether colour is welcome: `NO_COLOR` set to anything non-empty turns it off (no-color.org).
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether the terminal turns OSC 8 sequences into links, judged from its environment (there is
/// no query for it). `PATHWAY_HYPERLINKS=1` or `0` decides outright; inside tmux or screen, which
/// may not pass them through, links are off unless asked for.
pub fn hyperlinks_supported(env: &dyn Fn(&str) -> Option<String>) -> bool {
    match env("PATHWAY_HYPERLINKS").as_deref() {
        Some("1") => return true,
        Some("0") => return false,
        _ => {}
    }
    if env("TMUX").is_some() || env("TERM").is_some_and(|t| t.starts_with("screen")) {
        return false;
    }
    let program = env("TERM_PROGRAM").unwrap_or_default();
    let term = env("TERM").unwrap_or_default();
    matches!(
        program.as_str(),
        "iTerm.app" | "WezTerm" | "vscode" | "ghostty" | "Hyper" | "Tabby" | "rio"
    ) || env("VTE_VERSION")
        .and_then(|v| v.parse::<u32>().ok())
        .is_some_and(|v| v >= 5000)
        || env("KITTY_WINDOW_ID").is_some()
        || env("WT_SESSION").is_some()
        || env("KONSOLE_VERSION").is_some()
        || env("ALACRITTY_WINDOW_ID").is_some()
        || matches!(
            term.as_str(),
            "xterm-kitty" | "foot" | "foot-extra" | "wezterm" | "xterm-ghostty" | "alacritty"
        )
}

/// Where pathway keeps its files: the progress file's folder.
fn home(store: &Store) -> PathBuf {
    match store.path().parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    crate::storage::fsio::survive_file_size_limit();
    crate::core::clock::check().map_err(anyhow::Error::msg)?;
    // Commands that need neither the roadmap in use nor the progress file.
    match &cli.command {
        Some(Command::Validate { file }) => return validate(file),
        Some(Command::MergeFile { ours, theirs, .. }) => return merge_file(ours, theirs),
        Some(Command::Man) => {
            let mut page = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut page)?;
            let page = String::from_utf8_lossy(&page);
            // The title line first, as man(7) expects; clap_mangen puts its quote definitions
            // (which may follow it) before.
            let (defs, rest): (Vec<&str>, Vec<&str>) = page
                .lines()
                .partition(|l| l.starts_with(".ie") || l.starts_with(".el"));
            let (title, body): (Vec<&str>, Vec<&str>) =
                rest.into_iter().partition(|l| l.starts_with(".TH "));
            let mut out = String::new();
            for line in title.iter().chain(&defs).chain(&body) {
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(MAN_EXTRA);
            std::io::stdout().write_all(out.as_bytes())?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Completions { shell }) => {
            std::io::stdout().write_all(&completion_script(*shell)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let store = Store::locate(cli.progress.as_deref())?;
    let home_dir = home(&store);
    let folder = crate::storage::catalog::folder(&home_dir);
    if let Some(Command::New { id }) = &cli.command {
        return new_roadmap(&folder, id);
    }
    // The settings live in the config directory whatever --progress says (as --help and the
    // README say); only a system without one (no home directory) keeps them beside the progress.
    let config_dir = directories::ProjectDirs::from("", "", "pathway")
        .map(|dirs| dirs.config_dir().to_path_buf())
        .or_else(|| Some(home_dir.clone()));
    let settings_path = crate::storage::settings::path(
        cli.config.as_deref(),
        std::env::var_os(crate::storage::settings::CONFIG_ENV),
        config_dir,
    );
    let explicit = cli.config.is_some()
        || std::env::var_os(crate::storage::settings::CONFIG_ENV).is_some_and(|v| !v.is_empty());
    // Read once; each command parses only the settings it uses (most: the roadmap's name).
    let settings_file =
        crate::storage::settings::SettingsFile::read(settings_path.as_deref(), explicit)?;
    let last_file = home_dir.join("last-roadmap");
    match &cli.command {
        Some(Command::Config { keys: true }) => {
            let settings = checked_settings(&settings_file)?;
            let keymap =
                crate::tui::keys::Keymap::from_settings(&settings.keys).unwrap_or_default();
            let mut out = CleanWriter(std::io::stdout());
            out.write_all(crate::tui::keys::keys_yaml(&keymap).as_bytes())?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Config { keys: false }) => {
            let settings = checked_settings(&settings_file)?;
            let shown = settings_path
                .as_ref()
                .map_or("(none)".to_string(), |p| crate::core::text::shown(p));
            let exists = if settings_path.as_ref().is_some_and(|p| p.exists()) {
                ""
            } else {
                " (not created yet: defaults)"
            };
            let mut out = CleanWriter(std::io::stdout());
            writeln!(out, "# {shown}{exists}")?;
            write!(out, "{}", crate::storage::settings::to_yaml(&settings))?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::Use { id }) => {
            let (roadmap, _) = crate::storage::catalog::find(id, &folder)?;
            std::fs::create_dir_all(&home_dir)?;
            crate::storage::fsio::write_atomic(&last_file, roadmap.id.as_bytes())?;
            let mut out = CleanWriter(std::io::stdout());
            writeln!(out, "using {} ({}) from now on", roadmap.id, roadmap.title)?;
            if settings_file.roadmap()?.is_some() {
                writeln!(
                    out,
                    "note: the settings name a roadmap (roadmap: in config.yaml), which wins over this; \
                     remove it there to use this one"
                )?;
            }
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let settings_roadmap = settings_file.roadmap()?;
    // The roadmap chosen last is read only when neither --roadmap nor the settings name one.
    let last_used = if cli.roadmap.is_none() && settings_roadmap.is_none() {
        crate::storage::fsio::read_regular(&last_file, 4096)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    } else {
        None
    };
    let sources = RoadmapSources {
        flag: cli.roadmap.as_deref(),
        settings: settings_roadmap
            .as_deref()
            .map(|value| (value, settings_path.as_deref())),
        last_used: last_used.map(|value| (value, home_dir.as_path())),
    };
    let (roadmap, roadmap_file, chosen) = choose_roadmap(sources, &folder)?;
    let in_use = InUse::new(&roadmap, roadmap_file.clone(), chosen);
    let mut progress = match (&cli.command, store.load()) {
        // The way out of a progress file that cannot be read is to reset it, so reset must work
        // on one: the whole file goes to the backup.
        (Some(Command::Reset { yes }), Err(e)) if e.can_reset() => {
            return reset_unreadable(&store, &e, *yes);
        }
        // Where the file is, is what a learner needs to know when it cannot be read.
        (Some(Command::Where), Err(e)) => {
            where_(&mut std::io::stdout(), &in_use, &roadmap, &store)?;
            return Err(e.into());
        }
        (_, loaded) => loaded?,
    };
    // A task that moved or was renamed keeps the learner's progress (`formerly` in the roadmap).
    if progress.roadmap(&roadmap.id).is_some() {
        progress
            .roadmap_mut(&roadmap.id)
            .adopt_former_keys(&roadmap);
    }
    for warning in std::mem::take(&mut progress.warnings) {
        // One line each: a warning quotes ids from the file, which may hold a line break.
        eprintln!(
            "pathway: warning: {}",
            crate::core::text::one_line(&warning)
        );
    }
    // Everything printed below passes through `clean`: titles, notes and ids come from files.
    let out = &mut CleanWriter(std::io::stdout());
    // A roadmap other than the built-in one is named first, so output is never read as being
    // about another; JSON names it inside, data meant for a file names it in its own way.
    // `status` (and `pathway` off a terminal, which prints it) reads no setting but the
    // roadmap's name: a shell prompt pays for nothing else.
    let tui = std::io::stdout().is_terminal() && std::io::stdin().is_terminal();
    let settings = match &cli.command {
        Some(Command::Status { .. }) => crate::storage::settings::Settings::default(),
        None if !tui => crate::storage::settings::Settings::default(),
        _ => checked_settings(&settings_file)?,
    };
    let heading = in_use.heading();
    if let Some(line) = &heading {
        match &cli.command {
            Some(
                Command::Done { .. }
                | Command::Undo { .. }
                | Command::Start { .. }
                | Command::Skip { .. }
                | Command::Note { text: Some(_), .. }
                | Command::Import { .. }
                | Command::Log { .. }
                | Command::Notes {
                    format: NotesFormat::Text,
                    ..
                }
                | Command::Review {
                    json: false,
                    session: false,
                    ..
                }
                | Command::Check { json: false, .. }
                | Command::Trust { .. }
                | Command::Reset { .. },
            ) => writeln!(out, "{line}")?,
            // The note alone on standard output, ready for a file.
            Some(Command::Note { text: None, .. }) => {
                eprintln!("pathway: {}", crate::core::text::one_line(line))
            }
            _ => {}
        }
    }
    let heading = heading.as_deref();
    // What the checklist needs to switch roadmaps and run checks, and the files no command
    // may write over: each built where a command asks for it.
    let switch = || crate::tui::terminal::Switch {
        folder: folder.clone(),
        last_used: last_file.clone(),
        checks: settings.checks.clone(),
        home: home_dir.clone(),
    };
    let owned = |store: &Store| {
        owned::Owned::new(
            store,
            settings_path.as_deref(),
            &last_file,
            roadmap_file.as_deref(),
            &folder,
        )
    };
    let dispatched = (|| -> Result<ExitCode> {
        match cli.command {
            None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => {
                let config = tui_config(&settings)?;
                let app = App::new(roadmap, progress);
                // The TUI never waits on another process's lock: it retries and keeps answering.
                let store = store.with_lock_patience(std::time::Duration::ZERO);
                let trusted = crate::tui::terminal::checks_trusted(
                    &home_dir,
                    app.roadmap(),
                    roadmap_file.is_none(),
                );
                let app = app.with_checks_trusted(trusted);
                let switch = switch();
                crate::tui::terminal::run(app, &config, &store, &switch)?;
            }
            Some(Command::Review { session: true, .. }) => review_session(
                out,
                store,
                &roadmap,
                heading,
                progress,
                &settings,
                switch(),
                roadmap_file.is_none(),
            )?,
            None => status(out, &roadmap, &progress, heading, StatusForm::Steps)?,
            Some(Command::Status { json, tasks }) => {
                let form = match (json, tasks) {
                    (true, _) => StatusForm::Json,
                    (false, true) => StatusForm::Tasks,
                    (false, false) => StatusForm::Steps,
                };
                status(out, &roadmap, &progress, heading, form)?
            }
            Some(Command::Done { ids }) => {
                mark(out, &store, &roadmap, &mut progress, &ids, Status::Done)?
            }
            Some(Command::Undo { ids }) => {
                mark(out, &store, &roadmap, &mut progress, &ids, Status::Todo)?
            }
            Some(Command::Start { ids }) => mark(
                out,
                &store,
                &roadmap,
                &mut progress,
                &ids,
                Status::InProgress,
            )?,
            Some(Command::Skip { ids }) => {
                mark(out, &store, &roadmap, &mut progress, &ids, Status::Skipped)?
            }
            Some(Command::Note { id, text }) => {
                note(out, &store, &roadmap, &mut progress, &id, text)?
            }
            Some(Command::Export { format, output }) => {
                export(&owned(&store), &roadmap, &progress, format, output)?
            }
            Some(Command::Card { output, theme }) => card(
                out,
                &owned(&store),
                &roadmap,
                &progress,
                &settings.review_settings(),
                match theme {
                    CardTheme::Light => crate::cli::card::CardTheme::Light,
                    CardTheme::Dark => crate::cli::card::CardTheme::Dark,
                },
                output,
            )?,
            Some(Command::Import { file, dry_run }) => {
                import(out, &store, &roadmap, &mut progress, &file, dry_run)?
            }
            Some(Command::Stats { json }) => stats(
                out,
                &roadmap,
                &progress,
                json,
                heading,
                &settings.review_settings(),
            )?,
            Some(Command::Log { since, notes }) => {
                let today = now().to_zoned_datetime(TimeZone::system()).date();
                let since = since
                    .map(|text| parse_day(&text, today).map_err(usage))
                    .transpose()?;
                log(out, &roadmap, &progress, since, notes)?
            }
            Some(Command::Where) => where_(out, &in_use, &roadmap, &store)?,
            Some(Command::Roadmaps) => list_roadmaps(out, &folder, &progress, &roadmap.id)?,
            Some(Command::Notes { step, format }) => notes(out, &roadmap, &progress, step, format)?,
            Some(Command::Review {
                id,
                rating,
                json,
                ahead,
                session: false,
            }) => review(
                out,
                &store,
                &roadmap,
                &mut progress,
                &settings.review_settings(),
                changes::ReviewRequest {
                    id,
                    rating,
                    json,
                    ahead,
                },
            )?,
            Some(Command::Reset { yes }) => reset(out, &store, &roadmap, progress, yes)?,
            Some(Command::Check {
                ids,
                step,
                all,
                json,
                project,
                watch,
            }) => {
                return checks::check(
                    out,
                    &store,
                    &home_dir,
                    &roadmap,
                    roadmap_file.is_none(),
                    &mut progress,
                    &settings,
                    checks::CheckRequest {
                        ids,
                        step,
                        all,
                        json,
                        project,
                        watch,
                    },
                );
            }
            Some(Command::Trust { yes }) => {
                return checks::trust(
                    out,
                    &home_dir,
                    &roadmap,
                    roadmap_file.is_none(),
                    &settings,
                    yes,
                );
            }
            Some(
                Command::Validate { .. }
                | Command::Completions { .. }
                | Command::MergeFile { .. }
                | Command::Man
                | Command::Config { .. }
                | Command::New { .. }
                | Command::Use { .. },
            ) => {}
        }
        Ok(ExitCode::SUCCESS)
    })();
    dispatched.map_err(|e| in_use.explain(e))
}

/// The TUI's configuration, from the settings and the terminal (`NO_COLOR`, links).
fn tui_config(settings: &crate::storage::settings::Settings) -> Result<crate::tui::config::Config> {
    crate::tui::config::Config::new(
        settings,
        color_enabled(),
        hyperlinks_supported(&|name| std::env::var(name).ok()),
    )
    .map_err(|problem| anyhow::anyhow!("settings: keys: {}", problem.message))
}

/// `pathway review --session`: the review session alone, full screen; it ends with a summary
/// printed on the terminal. With nothing due, it says when the next card is and exits.
#[allow(clippy::too_many_arguments)]
fn review_session(
    out: &mut impl Write,
    store: Store,
    roadmap: &Roadmap,
    heading: Option<&str>,
    progress: crate::core::progress::Progress,
    settings: &crate::storage::settings::Settings,
    switch: crate::tui::terminal::Switch,
    built_in: bool,
) -> Result<()> {
    let now = now();
    let rp = progress.roadmap_or_empty(&roadmap.id);
    if crate::core::review::queue(roadmap, rp, now, &settings.review_settings()).is_empty() {
        let next = crate::core::review::next_due(roadmap, rp, now);
        let text = crate::cli::report::review_text(roadmap, &[], next, now, &TimeZone::system());
        if let Some(line) = heading {
            writeln!(out, "{line}")?;
        }
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        return Err(usage(
            "review --session needs a terminal; pathway review lists the cards due",
        ));
    }
    let config = tui_config(settings)?;
    let app = App::new(roadmap.clone(), progress).for_review_session(now, &config);
    let store = store.with_lock_patience(std::time::Duration::ZERO);
    let trusted = crate::tui::terminal::checks_trusted(&switch.home, roadmap, built_in);
    let app =
        crate::tui::terminal::run(app.with_checks_trusted(trusted), &config, &store, &switch)?;
    if let Some(summary) = app.session_summary() {
        writeln!(out, "{summary}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn a_key_the_table_cannot_bind_is_an_error_with_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = |text: &str| {
            let path = dir.path().join("config.yaml");
            std::fs::write(&path, text).expect("write");
            let file =
                crate::storage::settings::SettingsFile::read(Some(&path), true).expect("read");
            checked_settings(&file).expect_err(text).to_string()
        };
        let twice = err("keys:\n  done: [x]\n  skip: [x]\n");
        assert!(
            twice.contains("done") && twice.contains("skip") && twice.contains("\"x\""),
            "{twice}"
        );
        assert!(twice.contains("config.yaml:2:3:"), "{twice}");
        assert!(err("keys: {fly: [w]}\n").contains("no action \"fly\""));
        assert!(err("keys: {done: [ctrl-shift-banana]}\n").contains("ctrl-shift-banana"));
    }

    #[test]
    fn days_are_read_as_people_type_them() {
        let today: jiff::civil::Date = "2026-11-25".parse().expect("date");
        let day = |s: &str| parse_day(s, today).map(|d| d.to_string());
        assert_eq!(day("today"), Ok("2026-11-25".into()));
        assert_eq!(day("Yesterday"), Ok("2026-11-24".into()));
        assert_eq!(day("7d"), Ok("2026-11-18".into()));
        assert_eq!(day("2w"), Ok("2026-11-11".into()));
        assert_eq!(day("3 days ago"), Ok("2026-11-22".into()));
        assert_eq!(day("1 week ago"), Ok("2026-11-18".into()));
        assert_eq!(day("2026-11-01"), Ok("2026-11-01".into()));
        for bad in [
            "",
            "soon",
            "3 fortnights ago",
            "99999999999999d",
            "2026-13-01",
        ] {
            let err = day(bad).expect_err(bad);
            assert!(err.contains("yesterday, 7d, 2w"), "{err}");
        }
    }

    #[test]
    fn hyperlinks_follow_the_terminal_and_the_override() {
        assert!(hyperlinks_supported(&env(&[("TERM_PROGRAM", "WezTerm")])));
        assert!(hyperlinks_supported(&env(&[("VTE_VERSION", "7600")])));
        assert!(hyperlinks_supported(&env(&[("TERM", "xterm-kitty")])));
        assert!(!hyperlinks_supported(&env(&[("TERM", "xterm-256color")])));
        assert!(!hyperlinks_supported(&env(&[("VTE_VERSION", "4000")])));
        assert!(!hyperlinks_supported(&env(&[
            ("TERM_PROGRAM", "iTerm.app"),
            ("TMUX", "/tmp/x")
        ])));
        assert!(hyperlinks_supported(&env(&[
            ("TMUX", "/tmp/x"),
            ("PATHWAY_HYPERLINKS", "1")
        ])));
        assert!(!hyperlinks_supported(&env(&[
            ("TERM_PROGRAM", "WezTerm"),
            ("PATHWAY_HYPERLINKS", "0")
        ])));
    }
}
