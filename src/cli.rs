//! The command line: arguments, and the commands that run without the TUI.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Parser;

use crate::app::App;
use crate::roadmap::Roadmap;
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(
    name = "pathway",
    version,
    about = "A learning roadmap for backend, DevOps and cloud, as a checklist you live in"
)]
pub struct Cli {
    /// Use this roadmap file instead of the built-in one.
    #[arg(long, global = true, value_name = "FILE")]
    pub roadmap: Option<PathBuf>,
    /// Keep progress in this file [env: PATHWAY_PROGRESS; default: your config directory].
    #[arg(long, global = true, value_name = "FILE")]
    pub progress: Option<PathBuf>,
}

/// Whether colour is welcome: `NO_COLOR` set to anything non-empty turns it off (no-color.org).
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn load_roadmap(cli: &Cli) -> Result<Roadmap> {
    Ok(match &cli.roadmap {
        Some(path) => Roadmap::load(path)?,
        None => Roadmap::embedded()?,
    })
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let roadmap = load_roadmap(&cli)?;
    let store = Store::locate(cli.progress.as_deref())?;
    let progress = store.load()?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!("the checklist needs a terminal: run pathway in one");
    }
    let app = App::new(roadmap, progress).with_color(color_enabled());
    crate::tui::run(app, &store)?;
    Ok(ExitCode::SUCCESS)
}
