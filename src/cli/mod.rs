//! The command line: the arguments (`args`), the command context built stage by stage
//! (`context`), and one file per subcommand or small group of them; `run` picks the command.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use jiff::tz::TimeZone;

use crate::core::clock::now;
use crate::core::progress::Status;
use crate::core::text::CleanWriter;
use crate::storage::store::Store;
use crate::tui::checking::CheckSetup;

mod args;
pub(crate) mod card;
mod changes;
mod checklist;
mod checks;
pub mod cohort;
mod completions;
mod config;
mod context;
mod files;
mod git;
pub(crate) mod import;
mod in_use;
mod owned;
mod publish;
pub mod report;
mod reports;
mod review;
mod sync;

pub use args::{
    CardTheme, Cli, CohortCommand, CohortFormat, Command, Format, NotesFormat, SyncAction,
};
use changes::{mark, note, reset, reset_unreadable, resolve_all};
pub use completions::{COMPLETE_ENV, is_completion_request};
use config::checked_settings;
use context::{Ctx, Home, SettingsAt};
pub use files::{Merged, merge_files};
use files::{card, export, import, list_roadmaps, merge_file, new_roadmap, validate, where_};
pub use in_use::{Chosen, InUse, RoadmapSources, choose_roadmap};
pub use reports::parse_day;
use reports::{StatusForm, log, notes, stats, status};

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
    let Cli {
        roadmap: roadmap_flag,
        config: config_flag,
        progress: progress_flag,
        command,
    } = cli;
    // Commands that need neither the roadmap in use nor the progress file.
    match &command {
        Some(Command::Validate { file }) => return validate(file),
        Some(Command::MergeFile { base, ours, theirs }) => return merge_file(base, ours, theirs),
        Some(Command::Man) => return completions::man(),
        Some(Command::Completions { shell }) => return completions::print_script(*shell),
        _ => {}
    }
    let home = Home::locate(progress_flag.as_deref())?;
    match &command {
        Some(Command::New { id }) => return new_roadmap(&home.folder, id),
        Some(Command::Sync {
            action: SyncAction::Init { dir },
        }) => {
            sync::init(&mut CleanWriter(std::io::stdout()), &home, dir.as_deref())?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let settings_at = SettingsAt::read(config_flag.as_deref(), &home)?;
    match &command {
        Some(Command::Config { keys: true }) => return config::keys(&settings_at.file),
        Some(Command::Config { keys: false }) => {
            return config::show(&settings_at.file, settings_at.path.as_deref());
        }
        Some(Command::Use { id }) => return config::use_roadmap(&home, &settings_at.file, id),
        _ => {}
    }
    let (roadmap, roadmap_file, in_use) =
        context::roadmap_in_use(roadmap_flag.as_deref(), &home, &settings_at)?;
    // The mentor's view reads the cohort's folder, not the progress file.
    if let Some(Command::Cohort {
        publish: None,
        dir: Some(dir),
        no_pull,
        json,
        format,
    }) = &command
    {
        let form = cohort::Form::new(*json, *format);
        let out = &mut CleanWriter(std::io::stdout());
        cohort::show(out, &roadmap, dir, !no_pull, form).map_err(|e| in_use.explain(e))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut progress = match (&command, home.store.load()) {
        // The way out of a progress file that cannot be read is to reset it, so reset must work
        // on one: the whole file goes to the backup.
        (Some(Command::Reset { yes }), Err(e)) if e.can_reset() => {
            return reset_unreadable(&home.store, &e, *yes);
        }
        // Where the file is, is what a learner needs to know when it cannot be read.
        (Some(Command::Where), Err(e)) => {
            where_(&mut std::io::stdout(), &in_use, &roadmap, &home.store)?;
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
    // `status` (and `pathway` off a terminal, which prints it) reads no setting but the
    // roadmap's name: a shell prompt pays for nothing else.
    let settings = match &command {
        Some(Command::Status { .. }) => crate::storage::settings::Settings::default(),
        None if !on_terminal() => crate::storage::settings::Settings::default(),
        _ => checked_settings(&settings_at.file)?,
    };
    let heading = in_use.heading();
    print_heading(out, command.as_ref(), heading.as_deref())?;
    let ctx = Ctx {
        home,
        settings_path: settings_at.path,
        settings,
        roadmap,
        roadmap_file,
        progress,
        heading,
    };
    dispatch(out, command, ctx, &in_use).map_err(|e| in_use.explain(e))
}

/// Whether pathway runs on a terminal, both ways: then `pathway` opens the checklist.
fn on_terminal() -> bool {
    std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
}

/// A roadmap other than the built-in one is named first, so output is never read as being
/// about another; JSON names it inside, data meant for a file names it in its own way.
fn print_heading(
    out: &mut impl Write,
    command: Option<&Command>,
    heading: Option<&str>,
) -> Result<()> {
    let Some(line) = heading else {
        return Ok(());
    };
    match command {
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
    Ok(())
}

/// Runs a command on the roadmap in use and its progress: here the full-screen ones and those
/// that only print; `change` the ones that change progress or run checks.
fn dispatch(
    out: &mut impl Write,
    command: Option<Command>,
    c: Ctx,
    in_use: &InUse,
) -> Result<ExitCode> {
    let heading = c.heading.as_deref();
    let (roadmap, progress) = (&c.roadmap, &c.progress);
    match command {
        None if on_terminal() => checklist::open(c)?,
        Some(Command::Review { session: true, .. }) => checklist::review_session(out, c)?,
        None => status(out, roadmap, progress, heading, StatusForm::Steps)?,
        Some(Command::Status { json, tasks }) => {
            let form = match (json, tasks) {
                (true, _) => StatusForm::Json,
                (false, true) => StatusForm::Tasks,
                (false, false) => StatusForm::Steps,
            };
            status(out, roadmap, progress, heading, form)?
        }
        Some(Command::Export { format, output }) => {
            export(&c.owned(), roadmap, progress, format, output)?
        }
        Some(Command::Card { output, theme }) => {
            let theme = match theme {
                CardTheme::Light => card::CardTheme::Light,
                CardTheme::Dark => card::CardTheme::Dark,
            };
            let settings = c.review_settings();
            card(out, &c.owned(), roadmap, progress, &settings, theme, output)?
        }
        Some(Command::Stats { json }) => {
            stats(out, roadmap, progress, json, heading, &c.review_settings())?
        }
        Some(Command::Log { since, notes }) => {
            let today = now().to_zoned_datetime(TimeZone::system()).date();
            let since = since
                .map(|text| parse_day(&text, today).map_err(usage))
                .transpose()?;
            log(out, roadmap, progress, since, notes)?
        }
        Some(Command::Where) => where_(out, in_use, roadmap, &c.home.store)?,
        Some(Command::Roadmaps) => list_roadmaps(out, &c.home.folder, progress, &roadmap.id)?,
        Some(Command::Notes { step, format }) => notes(out, roadmap, progress, step, format)?,
        Some(Command::Cohort {
            publish:
                Some(CohortCommand::Publish {
                    dir,
                    name,
                    no_push,
                    with_notes,
                }),
            ..
        }) => {
            let request = publish::PublishRequest {
                dir: &dir,
                name: &name,
                push: !no_push,
                with_notes,
            };
            publish::publish(out, roadmap, progress, &c.review_settings(), request)?
        }
        // Answered in `run`, before the roadmap and the progress were read.
        Some(
            Command::Validate { .. }
            | Command::Cohort { .. }
            | Command::Completions { .. }
            | Command::MergeFile { .. }
            | Command::Sync { .. }
            | Command::Man
            | Command::Config { .. }
            | Command::New { .. }
            | Command::Use { .. },
        ) => {}
        Some(command) => return change(out, command, c),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs a command that changes progress or runs checks.
fn change(out: &mut impl Write, command: Command, mut c: Ctx) -> Result<ExitCode> {
    let review_settings = c.review_settings();
    let built_in = c.roadmap_file.is_none();
    let (store, roadmap, progress) = (&c.home.store, &c.roadmap, &mut c.progress);
    match command {
        Command::Done { ids } => mark(out, store, roadmap, progress, &ids, Status::Done)?,
        Command::Undo { ids } => mark(out, store, roadmap, progress, &ids, Status::Todo)?,
        Command::Start { ids } => mark(out, store, roadmap, progress, &ids, Status::InProgress)?,
        Command::Skip { ids } => mark(out, store, roadmap, progress, &ids, Status::Skipped)?,
        Command::Note { id, text } => note(out, store, roadmap, progress, &id, text)?,
        Command::Import { file, dry_run } => import(out, store, roadmap, progress, &file, dry_run)?,
        Command::Review {
            id,
            rating,
            json,
            ahead,
            session: _,
            add_card,
            edit_card,
            remove_card,
            question,
            answer,
        } => {
            let card_change =
                review::CardChange::from_args(add_card, edit_card, remove_card, question, answer)?;
            let request = review::ReviewRequest {
                id,
                rating,
                json,
                ahead,
                card_change,
            };
            review::review(out, store, roadmap, progress, &review_settings, request)?
        }
        Command::Reset { yes } => reset(out, store, roadmap, c.progress, yes)?,
        Command::Check {
            ids,
            step,
            all,
            json,
            project,
            watch,
        } => {
            let request = checks::CheckRequest {
                ids,
                step,
                all,
                json,
                project,
                watch,
            };
            let setup = CheckSetup::new(&c.home.dir, &c.settings.checks);
            return checks::check(out, store, &setup, roadmap, built_in, progress, request);
        }
        Command::Trust { yes } => {
            let setup = CheckSetup::new(&c.home.dir, &c.settings.checks);
            return checks::trust(out, &setup, roadmap, built_in, yes);
        }
        // Answered by `dispatch` or by `run`; listed, so a new command cannot fall through.
        Command::Status { .. }
        | Command::Export { .. }
        | Command::Card { .. }
        | Command::Stats { .. }
        | Command::Log { .. }
        | Command::Where
        | Command::Roadmaps
        | Command::Notes { .. }
        | Command::Cohort { .. }
        | Command::Validate { .. }
        | Command::Completions { .. }
        | Command::MergeFile { .. }
        | Command::Sync { .. }
        | Command::Man
        | Command::Config { .. }
        | Command::New { .. }
        | Command::Use { .. } => {}
    }
    Ok(ExitCode::SUCCESS)
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
