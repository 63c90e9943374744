//! Shell completions (ids of the roadmap in use included) and the manual page.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap_complete::engine::CompletionCandidate;

use super::files::MAN_EXTRA;
use super::in_use::{RoadmapSources, choose_roadmap};
use super::{Cli, home, usage};
use crate::core::roadmap::{Roadmap, task_key};
use crate::storage::store::Store;

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
pub(super) fn complete_ids(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
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

/// `pathway completions SHELL`: the registration script on standard output.
pub(super) fn print_script(shell: clap_complete::Shell) -> Result<ExitCode> {
    std::io::stdout().write_all(&completion_script(shell)?)?;
    Ok(ExitCode::SUCCESS)
}

/// `pathway man`: the manual page in roff, made from the same definitions as `--help`.
pub(super) fn man() -> Result<ExitCode> {
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
    Ok(ExitCode::SUCCESS)
}
