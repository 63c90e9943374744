//! The command line: arguments, and the commands that run without the TUI.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};

use crate::app::App;
use crate::clock::now;
use crate::history::Change;
use crate::progress::{Progress, Status, StepChange};
use crate::report;
use crate::roadmap::{Roadmap, Target, task_key};
use crate::store::{ProgressError, Store};
use crate::text::CleanWriter;
use jiff::tz::TimeZone;

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
    /// Use this roadmap: a file, or the id of one in the roadmaps folder (see `pathway roadmaps`).
    #[arg(long, global = true, value_name = "FILE|ID")]
    pub roadmap: Option<PathBuf>,
    /// Read settings from this file [env: PATHWAY_CONFIG; default: config.yaml beside the progress].
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Keep progress in this file [env: PATHWAY_PROGRESS; default: your config directory].
    #[arg(long, global = true, value_name = "FILE")]
    pub progress: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show progress: a line per step and a summary.
    Status {
        /// Print JSON for scripts instead.
        #[arg(long)]
        json: bool,
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
    /// List the tasks due for review, or record a review: `pathway review ID good`.
    Review {
        /// The task reviewed.
        #[arg(value_name = "ID", add = ArgValueCompleter::new(complete_ids))]
        id: Option<String>,
        /// How well you remembered (again, hard, good, easy), or off / on to take the task out
        /// of review or put it back.
        #[arg(value_name = "RATING", requires = "id", value_parser = ["again", "hard", "good", "easy", "off", "on"])]
        rating: Option<String>,
        /// Print the tasks due as JSON.
        #[arg(long, conflicts_with = "rating")]
        json: bool,
    },
    /// List the roadmaps: the built-in one and those in the roadmaps folder, with your progress.
    Roadmaps,
    /// Write a starter roadmap file into the roadmaps folder, ready to edit and validate.
    New {
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Print where the settings file is and the settings in effect, as YAML to copy and edit.
    Config,
    /// Show the roadmap in use and where progress is kept.
    Where,
    /// Clear this roadmap's progress, keeping a backup of the file.
    Reset {
        /// Do not ask (needed when not on a terminal).
        #[arg(long)]
        yes: bool,
    },
    /// Git merge driver for progress files: merges THEIRS into OURS item by item (the later
    /// change wins) and writes the result into OURS. See the README for the two lines to set
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
pub enum Format {
    Markdown,
    Json,
}

/// An error with its own exit code (2 for a wrong ID or a refused request, as for bad usage).
#[derive(Debug)]
pub struct ExitError {
    pub code: u8,
    pub message: String,
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

/// Ids that start with what was typed: steps (`databases`) and their tasks
/// (`databases/sql-basics`), from the built-in roadmap.
fn complete_ids(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
    let (Some(current), Ok(roadmap)) = (current.to_str(), Roadmap::embedded()) else {
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
                CompletionCandidate::new(step.id.clone()).help(Some(step.title.clone().into())),
            )
            .chain(tasks)
        })
        .filter(|c| c.get_value().to_string_lossy().starts_with(current))
        .collect()
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

/// The roadmap to use: `--roadmap` (a file or an id), else the settings' `roadmap`, else the
/// one last chosen in the switcher (`R`), else the built-in one. Returns it with its file.
pub fn choose_roadmap(
    flag: Option<&Path>,
    settings: &crate::settings::Settings,
    folder: &Path,
    last_used: Option<String>,
) -> Result<(Roadmap, Option<PathBuf>)> {
    let named = flag
        .map(|p| p.to_string_lossy().into_owned())
        .or_else(|| settings.roadmap.clone());
    if let Some(value) = named {
        return crate::catalog::resolve(&value, folder);
    }
    if let Some(id) = last_used
        && let Ok(found) = crate::catalog::resolve(&id, folder)
    {
        return Ok(found);
    }
    Ok((Roadmap::embedded()?, None))
}

/// Where pathway keeps its files: the progress file's folder.
fn home(store: &Store) -> PathBuf {
    match store.path().parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    crate::store::survive_file_size_limit();
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
    let config_dir = directories::ProjectDirs::from("", "", "pathway")
        .map(|dirs| dirs.config_dir().to_path_buf())
        .or_else(|| Some(home(&store)));
    let settings_path = crate::settings::path(
        cli.config.as_deref(),
        std::env::var_os(crate::settings::CONFIG_ENV),
        config_dir,
    );
    let explicit = cli.config.is_some()
        || std::env::var_os(crate::settings::CONFIG_ENV).is_some_and(|v| !v.is_empty());
    let settings = match &settings_path {
        Some(path) => crate::settings::load(path, explicit)?,
        None => crate::settings::Settings::default(),
    };
    let folder = crate::catalog::folder(&home(&store));
    let last_file = home(&store).join("last-roadmap");
    let last_used = std::fs::read_to_string(&last_file)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    match &cli.command {
        Some(Command::Config) => {
            let shown = settings_path
                .as_ref()
                .map_or("(none)".to_string(), |p| p.display().to_string());
            let exists = if settings_path.as_ref().is_some_and(|p| p.exists()) {
                ""
            } else {
                " (not created yet: defaults)"
            };
            let mut out = CleanWriter(std::io::stdout());
            writeln!(out, "# {shown}{exists}")?;
            write!(out, "{}", crate::settings::to_yaml(&settings))?;
            return Ok(ExitCode::SUCCESS);
        }
        Some(Command::New { id }) => return new_roadmap(&folder, id),
        _ => {}
    }
    let (roadmap, roadmap_file) =
        choose_roadmap(cli.roadmap.as_deref(), &settings, &folder, last_used)?;
    let mut progress = match (&cli.command, store.load()) {
        // The way out of a progress file that cannot be read is to reset it, so reset must work
        // on one: the whole file goes to the backup.
        (Some(Command::Reset { yes }), Err(e)) if e.can_reset() => {
            return reset_unreadable(&store, &e, *yes);
        }
        // Where the file is, is what a learner needs to know when it cannot be read.
        (Some(Command::Where), Err(e)) => {
            where_(&mut std::io::stdout(), &roadmap_file, &roadmap, &store)?;
            return Err(e.into());
        }
        (_, loaded) => loaded?,
    };
    // Everything printed below passes through `clean`: titles, notes and ids come from files.
    let out = &mut CleanWriter(std::io::stdout());
    match cli.command {
        None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => {
            let choices = roadmap_choices(&folder, &progress, &settings);
            let app = App::new(roadmap, progress)
                .with_settings(&settings)
                .with_roadmaps(choices)
                .with_color(color_enabled())
                .with_hyperlinks(hyperlinks_supported(&|name| std::env::var(name).ok()));
            // The TUI never waits on another process's lock: it retries and keeps answering.
            let store = store.with_lock_patience(std::time::Duration::ZERO);
            let switch = crate::tui::Switch {
                folder: folder.clone(),
                last_used: last_file.clone(),
            };
            crate::tui::run(app, &store, &switch)?;
        }
        None => status(out, &roadmap, &progress, false)?,
        Some(Command::Status { json }) => status(out, &roadmap, &progress, json)?,
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
        Some(Command::Note { id, text }) => note(out, &store, &roadmap, &mut progress, &id, text)?,
        Some(Command::Export { format, output }) => export(
            &store,
            roadmap_file.as_deref(),
            &roadmap,
            &progress,
            format,
            output,
        )?,
        Some(Command::Import { file, dry_run }) => {
            import(out, &store, &roadmap, &mut progress, &file, dry_run)?
        }
        Some(Command::Stats { json }) => stats(out, &roadmap, &progress, json)?,
        Some(Command::Log { since, notes }) => {
            let today = now().to_zoned_datetime(TimeZone::system()).date();
            let since = since
                .map(|text| parse_day(&text, today).map_err(usage))
                .transpose()?;
            log(out, &roadmap, &progress, since, notes)?
        }
        Some(Command::Where) => where_(out, &roadmap_file, &roadmap, &store)?,
        Some(Command::Roadmaps) => list_roadmaps(out, &folder, &progress, &roadmap.id)?,
        Some(Command::Notes { step, format }) => notes(out, &roadmap, &progress, step, format)?,
        Some(Command::Review { id, rating, json }) => {
            review(out, &store, &roadmap, &mut progress, id, rating, json)?
        }
        Some(Command::Reset { yes }) => reset(out, &store, &roadmap, progress, yes)?,
        Some(
            Command::Validate { .. }
            | Command::Completions { .. }
            | Command::MergeFile { .. }
            | Command::Man
            | Command::Config
            | Command::New { .. },
        ) => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn status(out: &mut impl Write, roadmap: &Roadmap, progress: &Progress, json: bool) -> Result<()> {
    let rp = progress.roadmap(&roadmap.id).cloned().unwrap_or_default();
    if json {
        writeln!(
            out,
            "{}",
            report::json_text(&report::status_json(roadmap, &rp))
        )?;
    } else {
        let color = color_enabled() && std::io::stdout().is_terminal();
        // Not through `out`: the colours are escape sequences of pathway's own, and
        // status_text cleans the roadmap's text itself.
        write!(
            std::io::stdout(),
            "{}",
            report::status_text(roadmap, &rp, color)
        )?;
    }
    Ok(())
}

/// Resolves every ID before anything changes, so a typo in the third ID changes nothing.
fn resolve_all(roadmap: &Roadmap, ids: &[String]) -> Result<Vec<Target>> {
    ids.iter()
        .map(|id| {
            roadmap.resolve(id).map_err(|close| {
                let hint = match close.as_slice() {
                    [] if id.parse::<usize>().is_ok() => {
                        format!("steps are numbered 1 to {}", roadmap.steps.len())
                    }
                    [] => "`pathway status --json` lists every id".to_string(),
                    _ => format!("did you mean {}?", close.join(", ")),
                };
                usage(format!("unknown id {id:?}: {hint}"))
            })
        })
        .collect()
}

fn mark(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    ids: &[String],
    target: Status,
) -> Result<()> {
    let targets = resolve_all(roadmap, ids)?;
    let now = now();
    let rp = progress.roadmap_mut(&roadmap.id);
    let mut changed = 0;
    // Printed only once saved: a line saying "done" must never stand beside a failed save.
    let mut lines = String::new();
    for t in targets {
        let keys: Vec<String> = match t {
            Target::Task(s, i) => vec![task_key(&roadmap.steps[s], &roadmap.steps[s].tasks[i])],
            Target::Step(s) if target == Status::InProgress => {
                let step = &roadmap.steps[s];
                return Err(usage(format!(
                    "a step's status comes from its tasks: start one of them, e.g. {}",
                    step.tasks
                        .first()
                        .map(|t| task_key(step, t))
                        .unwrap_or_default()
                )));
            }
            Target::Step(s) => {
                let updates = rp.step_updates(&roadmap.steps[s], StepChange::Set(target));
                if updates.is_empty() {
                    lines.push_str(&format!(
                        "{}: already {}\n",
                        roadmap.steps[s].id,
                        target.label()
                    ));
                }
                updates.into_iter().map(|(key, _)| key).collect()
            }
        };
        for key in keys {
            let from = rp.status(&key);
            if rp.set_status(&key, target, now) {
                changed += 1;
                lines.push_str(&format!("{key}: {} → {}\n", from.label(), target.label()));
            } else {
                lines.push_str(&format!("{key}: already {}\n", target.label()));
            }
        }
    }
    if changed > 0 {
        store.save(progress)?;
    }
    out.write_all(lines.as_bytes())?;
    Ok(())
}

fn note(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    id: &str,
    text: Option<String>,
) -> Result<()> {
    let key = match resolve_all(roadmap, &[id.to_string()])?[0] {
        Target::Step(s) => roadmap.steps[s].id.clone(),
        Target::Task(s, t) => task_key(&roadmap.steps[s], &roadmap.steps[s].tasks[t]),
    };
    let rp = progress.roadmap_mut(&roadmap.id);
    let Some(text) = text else {
        if let Some(note) = rp.note(&key) {
            writeln!(out, "{note}")?;
        }
        return Ok(());
    };
    let text = if text == "-" {
        // Bounded like every read: a note is text a person wrote.
        const MAX_NOTE_BYTES: u64 = 1024 * 1024;
        let mut buf = String::new();
        std::io::stdin()
            .take(MAX_NOTE_BYTES + 1)
            .read_to_string(&mut buf)
            .context("cannot read the note from standard input")?;
        if buf.len() as u64 > MAX_NOTE_BYTES {
            return Err(usage(
                "the note on standard input is over 1 MiB: nothing saved",
            ));
        }
        if buf.trim().is_empty() {
            // `false | pathway note ID -` must not delete a note by accident.
            return Err(usage(format!(
                "standard input was empty: nothing saved (to remove the note on purpose: pathway note {id} \"\")"
            )));
        }
        buf
    } else {
        text
    };
    if rp.set_note(&key, &text, now()) {
        store.save(progress)?;
        let what = if text.trim().is_empty() {
            "removed"
        } else {
            "saved"
        };
        writeln!(out, "{key}: note {what}")?;
    }
    Ok(())
}

fn export(
    store: &Store,
    roadmap_path: Option<&Path>,
    roadmap: &Roadmap,
    progress: &Progress,
    format: Format,
    output: Option<PathBuf>,
) -> Result<()> {
    let rp = progress.roadmap(&roadmap.id).cloned().unwrap_or_default();
    let text = match format {
        Format::Json => format!(
            "{}\n",
            report::json_text(&report::status_json(roadmap, &rp))
        ),
        Format::Markdown => {
            let today = now().to_zoned_datetime(jiff::tz::TimeZone::system());
            report::markdown(roadmap, &rp, &today.strftime("%-d %b %Y").to_string())
        }
    };
    match output {
        Some(path) => {
            // Never over the files pathway itself keeps: Markdown in place of the progress
            // file would lose it all.
            let protected = [
                store.real_path(),
                store.lock_path(),
                roadmap_path.map(Path::to_path_buf).unwrap_or_default(),
            ];
            let target = crate::store::resolved(&path);
            if protected
                .iter()
                .filter(|p| !p.as_os_str().is_empty())
                .any(|p| crate::store::resolved(p) == target)
            {
                return Err(usage(format!(
                    "refusing to write over {}: it is a file pathway uses; choose another -o",
                    path.display()
                )));
            }
            crate::store::write_atomic(&path, text.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?
        }
        None => CleanWriter(std::io::stdout()).write_all(text.as_bytes())?,
    }
    Ok(())
}

fn import(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    file: &Path,
    dry_run: bool,
) -> Result<()> {
    // An exported list is a few hundred lines; a bound keeps a device or a pipe from
    // filling memory.
    const MAX_IMPORT_BYTES: u64 = 16 * 1024 * 1024;
    let text = crate::store::read_limited(file, MAX_IMPORT_BYTES).map_err(|e| match e {
        crate::store::Limited::TooLarge => anyhow::anyhow!(
            "cannot read {}: larger than {} MiB, refused",
            file.display(),
            MAX_IMPORT_BYTES / (1024 * 1024)
        ),
        crate::store::Limited::Io(e) => anyhow::anyhow!("cannot read {}: {e}", file.display()),
    })?;
    let parsed = crate::import::parse_markdown(&text, roadmap);
    for (line, content) in &parsed.unmatched {
        writeln!(
            out,
            "{}:{line}: no matching task, left alone: {content}",
            file.display()
        )?;
    }
    for (key, lines) in &parsed.conflicts {
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        writeln!(
            out,
            "{}:{}: {key} is given two different ways; left as it is",
            file.display(),
            lines.join(",")
        )?;
    }
    let changes = crate::import::apply_import(&parsed, progress.roadmap_mut(&roadmap.id), now());
    let verb = if dry_run { "would change" } else { "changed" };
    for change in &changes {
        writeln!(out, "{verb} {change}")?;
    }
    if changes.is_empty() {
        writeln!(out, "nothing to change")?;
    } else if !dry_run {
        store.save(progress)?;
    }
    Ok(())
}

/// Merges two progress files as Git's merge driver: exit 0 with the result in `ours`, or exit 1
/// with `ours` untouched when either cannot be read.
fn merge_file(ours: &Path, theirs: &Path) -> Result<ExitCode> {
    let read = |path: &Path| Store::new(path).load();
    let (mut merged, theirs) = match (read(ours), read(theirs)) {
        (Ok(ours), Ok(theirs)) => (ours, theirs),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("pathway: {}", crate::text::clean(&e.summary()));
            return Ok(ExitCode::FAILURE);
        }
    };
    merged.merge_from(&theirs);
    crate::store::write_atomic(ours, crate::progress_yaml::write(&merged).as_bytes())
        .with_context(|| format!("cannot write {}", ours.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// What the manual page says beyond the commands clap describes.
const MAN_EXTRA: &str = r#".SH KEYS
Run \fBpathway\fR without a command to open the checklist. Press \fB?\fR in it for every key;
the main ones: \fBj\fR/\fBk\fR move, \fBspace\fR done, \fBi\fR started, \fBs\fR skip,
\fBn\fR note, \fB/\fR filter, \fBp\fR progress, \fBr\fR review, \fBN\fR notes,
\fBu\fR undo, \fBq\fR quit. \fBEsc\fR backs out and never quits.
.SH FILES
.TP
\fI$XDG_CONFIG_HOME/pathway/progress.yaml\fR
Your progress, notes and review schedule (\fI~/.config/pathway\fR by default), with its lock
file beside it.
.SH ENVIRONMENT
.TP
\fBPATHWAY_PROGRESS\fR
Keep progress in this file instead.
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor \fBe\fR opens a note in.
.TP
\fBBROWSER\fR
The browser links open in (else the system's).
.TP
\fBNO_COLOR\fR
Any value turns colours off.
.TP
\fBPATHWAY_HYPERLINKS\fR
1 or 0: make resource titles clickable links, or not.
"#;

fn validate(file: &Path) -> Result<ExitCode> {
    match Roadmap::load(file) {
        Ok(r) => {
            writeln!(
                std::io::stdout(),
                "{}: ok, {} steps, {} tasks",
                file.display(),
                r.steps.len(),
                r.task_count()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            writeln!(CleanWriter(std::io::stdout()), "{e}")?;
            Ok(ExitCode::FAILURE)
        }
    }
}

fn stats(out: &mut impl Write, roadmap: &Roadmap, progress: &Progress, json: bool) -> Result<()> {
    let rp = progress.roadmap(&roadmap.id).cloned().unwrap_or_default();
    let s = crate::stats::compute(roadmap, &rp, now(), &TimeZone::system());
    if json {
        writeln!(out, "{}", report::json_text(&crate::stats::to_json(&s)))?;
    } else {
        write!(out, "{}", report::stats_text(roadmap, &s))?;
    }
    Ok(())
}

fn log(
    out: &mut impl Write,
    roadmap: &Roadmap,
    progress: &Progress,
    since: Option<jiff::civil::Date>,
    notes: bool,
) -> Result<()> {
    let Some(rp) = progress.roadmap(&roadmap.id) else {
        return Ok(());
    };
    let tz = TimeZone::system();
    let keep = |date: jiff::civil::Date| since.is_none_or(|s| date >= s);
    for (day, totals) in &rp.daily {
        if day.parse().is_ok_and(keep) {
            writeln!(
                out,
                "{day}        {totals} (older than a year: kept as a daily total)"
            )?;
        }
    }
    for event in &rp.history {
        let local = event.at.to_zoned_datetime(tz.clone());
        if !keep(local.date()) {
            continue;
        }
        let what = match &event.change {
            Change::Status { from, to } => format!("{} → {}", from.label(), to.label()),
            Change::Note {
                replaced: Some(old),
            } if notes => {
                let old: String = old.lines().map(|l| format!("\n      | {l}")).collect();
                format!("note edited; it replaced:{old}")
            }
            Change::Note { replaced: None } if notes => "note written (there was none)".into(),
            Change::Note { .. } => "note edited".to_string(),
            Change::Review(rating) => format!("reviewed: {}", rating.word()),
            Change::Reviewing(true) => "back in review".to_string(),
            Change::Reviewing(false) => "taken out of review".to_string(),
        };
        writeln!(
            out,
            "{}  {}  {what}",
            local.strftime("%Y-%m-%d %H:%M"),
            event.item
        )?;
    }
    Ok(())
}

fn notes(
    out: &mut impl Write,
    roadmap: &Roadmap,
    progress: &Progress,
    step: Option<String>,
    format: NotesFormat,
) -> Result<()> {
    let only = match step {
        None => None,
        Some(id) => match resolve_all(roadmap, std::slice::from_ref(&id))?[0] {
            Target::Step(s) => Some(s),
            Target::Task(..) => {
                return Err(usage(format!("{id:?} is a task: --step takes a step")));
            }
        },
    };
    let rp = progress.roadmap(&roadmap.id).cloned().unwrap_or_default();
    let entries = crate::notes::collect(roadmap, &rp, only);
    let tz = TimeZone::system();
    let text = match format {
        NotesFormat::Text => report::notes_text(roadmap, &entries, &tz),
        NotesFormat::Markdown => report::notes_markdown(roadmap, &entries, &tz),
        NotesFormat::Json => format!("{}\n", report::json_text(&report::notes_json(&entries))),
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

fn review(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    id: Option<String>,
    rating: Option<String>,
    json: bool,
) -> Result<()> {
    let now = now();
    let tz = TimeZone::system();
    let (Some(id), Some(rating)) = (id, rating) else {
        let rp = progress.roadmap(&roadmap.id).cloned().unwrap_or_default();
        let due = crate::review::queue(roadmap, &rp, now);
        let next = crate::review::next_due(&rp, now);
        let text = if json {
            format!(
                "{}\n",
                report::json_text(&report::review_json(roadmap, &due, now))
            )
        } else {
            report::review_text(roadmap, &due, next, now, &tz)
        };
        out.write_all(text.as_bytes())?;
        return Ok(());
    };
    let key = match resolve_all(roadmap, std::slice::from_ref(&id))?[0] {
        Target::Task(s, t) => task_key(&roadmap.steps[s], &roadmap.steps[s].tasks[t]),
        Target::Step(_) => return Err(usage(format!("{id:?} is a step: review takes a task"))),
    };
    let rp = progress.roadmap_mut(&roadmap.id);
    if rp.status(&key) != Status::Done {
        return Err(usage(format!(
            "{key} is not done: only done tasks are reviewed (pathway done {key})"
        )));
    }
    let date = |at: jiff::Timestamp| {
        at.to_zoned_datetime(tz.clone())
            .strftime("%-d %b %Y")
            .to_string()
    };
    let line = match rating.as_str() {
        "off" | "on" => {
            let on = rating == "on";
            if !crate::review::set_reviewing(rp, &key, on, now) {
                let already = if on { "in review" } else { "out of review" };
                writeln!(out, "{key}: already {already}")?;
                return Ok(());
            }
            if on {
                format!("{key}: back in review, due tomorrow")
            } else {
                format!("{key}: out of review (pathway review {key} on puts it back)")
            }
        }
        word => {
            let rating = crate::status::Rating::from_word(word)
                .ok_or_else(|| usage(format!("unknown rating {word:?}")))?;
            let next = crate::review::rate(rp, &key, rating, now).ok_or_else(|| {
                usage(format!(
                    "{key} is out of review: pathway review {key} on puts it back"
                ))
            })?;
            format!("{key}: {word} · next review on {}", date(next))
        }
    };
    store.save(progress)?;
    writeln!(out, "{line}")?;
    Ok(())
}

/// `pathway roadmaps`: id, title, file, tasks, percent done, last activity.
fn list_roadmaps(
    out: &mut impl Write,
    folder: &Path,
    progress: &Progress,
    current: &str,
) -> Result<()> {
    for entry in crate::catalog::load(folder) {
        let file = entry
            .file
            .as_ref()
            .map_or("built in".to_string(), |f| f.display().to_string());
        match &entry.roadmap {
            Ok(r) => {
                let counts = progress.counts(r);
                let last = progress
                    .roadmap(&r.id)
                    .and_then(|rp| rp.items.values().filter_map(|i| i.updated).max())
                    .map(|t| {
                        t.to_zoned_datetime(TimeZone::system())
                            .strftime("%-d %b %Y")
                            .to_string()
                    })
                    .unwrap_or_else(|| "never".to_string());
                let mark = if r.id == current { "*" } else { " " };
                writeln!(
                    out,
                    "{mark} {:<20} {} · {} tasks · {}% done · last activity {last} · {file}",
                    r.id,
                    r.title,
                    r.task_count(),
                    counts.percent()
                )?;
            }
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or("").to_string();
                writeln!(out, "! {file}: does not validate: {first}")?;
            }
        }
    }
    Ok(())
}

/// `pathway new ID`: a starter roadmap in the roadmaps folder, never over an existing file.
fn new_roadmap(folder: &Path, id: &str) -> Result<ExitCode> {
    let valid = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid {
        return Err(usage(format!(
            "{id:?}: an id is lower-case letters, digits, - and _"
        )));
    }
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot create {}", folder.display()))?;
    let path = folder.join(format!("{id}.yaml"));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => {
                usage(format!("{} exists already: left as it is", path.display()))
            }
            _ => anyhow::Error::new(e).context(format!("cannot write {}", path.display())),
        })?;
    file.write_all(crate::catalog::starter(id).as_bytes())?;
    println!(
        "wrote {}: edit it, check it with `pathway validate {}`, open it with `pathway --roadmap {id}`",
        path.display(),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The roadmaps for the switcher (`R`), with this progress.
fn roadmap_choices(
    folder: &Path,
    progress: &Progress,
    _settings: &crate::settings::Settings,
) -> Vec<crate::app::RoadmapChoice> {
    crate::catalog::load(folder)
        .into_iter()
        .map(|entry| match entry.roadmap {
            Ok(r) => crate::app::RoadmapChoice {
                id: r.id.clone(),
                title: r.title.clone(),
                percent: progress.counts(&r).percent(),
                error: None,
            },
            Err(e) => crate::app::RoadmapChoice {
                id: String::new(),
                title: entry
                    .file
                    .map_or_else(String::new, |f| f.display().to_string()),
                percent: 0,
                error: Some(e.to_string().lines().next().unwrap_or("").to_string()),
            },
        })
        .collect()
}

fn where_(
    out: &mut impl Write,
    path: &Option<PathBuf>,
    roadmap: &Roadmap,
    store: &Store,
) -> Result<()> {
    let source = match path {
        Some(p) => p.display().to_string(),
        None => "built in".to_string(),
    };
    writeln!(
        out,
        "roadmap:  {source} (id {}, {} steps, {} tasks)",
        roadmap.id,
        roadmap.steps.len(),
        roadmap.task_count()
    )?;
    let exists = if store.path().exists() {
        ""
    } else {
        " (not created yet)"
    };
    writeln!(out, "progress: {}{exists}", store.path().display())?;
    Ok(())
}

/// A day as people type it: `today`, `yesterday`, `7d`, `2w`, `3 days ago`, `1 week ago`, or an
/// ISO date (`2026-11-01`). The error lists the forms.
pub fn parse_day(
    text: &str,
    today: jiff::civil::Date,
) -> std::result::Result<jiff::civil::Date, String> {
    let t = text.trim().to_lowercase();
    let back = |n: i64, unit: &str| -> Option<jiff::civil::Date> {
        let days = match unit {
            "d" | "day" | "days" => n,
            "w" | "week" | "weeks" => n.checked_mul(7)?,
            _ => return None,
        };
        today
            .checked_sub(jiff::Span::new().try_days(days).ok()?)
            .ok()
    };
    let parsed = match t.as_str() {
        "today" => Some(today),
        "yesterday" => back(1, "d"),
        _ => {
            let words: Vec<&str> = t.split_whitespace().collect();
            match words.as_slice() {
                [n, unit, "ago"] | [n, unit] => n.parse().ok().and_then(|n| back(n, unit)),
                [compact] => {
                    let split = compact
                        .find(|c: char| !c.is_ascii_digit())
                        .unwrap_or(compact.len());
                    let (n, unit) = compact.split_at(split);
                    match (n.parse().ok(), unit) {
                        (Some(n), "d" | "w") => back(n, unit),
                        _ => compact.parse().ok(),
                    }
                }
                _ => None,
            }
        }
    };
    parsed.ok_or_else(|| {
        format!(
            "cannot read {text:?} as a day: use today, yesterday, 7d, 2w, \"3 days ago\" or a date like 2026-11-01"
        )
    })
}

/// Asks before a destructive step: on a terminal, a y/N question; elsewhere only `--yes` will do.
fn confirm(question: &str, yes: bool) -> Result<bool> {
    if yes {
        return Ok(true);
    }
    if !std::io::stdin().is_terminal() {
        return Err(usage("reset needs --yes when not run from a terminal"));
    }
    print!("{} [y/N] ", crate::text::clean(question));
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

fn reset_unreadable(store: &Store, error: &ProgressError, yes: bool) -> Result<ExitCode> {
    eprintln!("pathway: {}", crate::text::clean(&error.summary()));
    if !confirm(
        "Start a new progress file, keeping this one as a backup?",
        yes,
    )? {
        writeln!(std::io::stdout(), "nothing changed")?;
        return Ok(ExitCode::SUCCESS);
    }
    let backup = store.reset_file()?;
    writeln!(
        std::io::stdout(),
        "started a new progress file; the old one is kept as {}",
        backup.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn reset(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: Progress,
    yes: bool,
) -> Result<()> {
    let count = progress.roadmap(&roadmap.id).map_or(0, |rp| rp.items.len());
    if count == 0 {
        writeln!(out, "no progress to reset for {}", roadmap.id)?;
        return Ok(());
    }
    let question = format!(
        "Clear all progress and notes for {:?} ({count} items)?",
        roadmap.title
    );
    if !confirm(&question, yes)? {
        writeln!(out, "nothing changed")?;
        return Ok(());
    }
    // Done on the file as it is now, under its lock: another process's changes to other
    // roadmaps since this one read it are kept, and the reset time keeps an open TUI from
    // bringing this roadmap's old progress back.
    match store.reset_roadmap(&roadmap.id, now())? {
        Some((backup, count)) => writeln!(
            out,
            "reset {} ({count} items); backup: {}",
            roadmap.id,
            backup.display()
        )?,
        None => writeln!(out, "no progress to reset for {}", roadmap.id)?,
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
