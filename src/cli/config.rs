//! The commands about settings and the roadmap chosen: config, use; and the settings checked
//! against the key table.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::core::text::CleanWriter;
use crate::storage::settings::{Settings, SettingsFile};

/// Every setting, the key remapping checked against the key table, each problem with its
/// `file:line:column`.
pub(super) fn checked_settings(file: &SettingsFile) -> Result<Settings> {
    let settings = file.all()?;
    if let Err(problem) = crate::tui::keys::Keymap::from_settings(&settings.keys) {
        anyhow::bail!("{}: {}", file.locate(&problem.near), problem.message);
    }
    Ok(settings)
}

/// The TUI's configuration, from the settings and the terminal (`NO_COLOR`, links).
pub(super) fn tui_config(settings: &Settings) -> Result<crate::tui::config::Config> {
    crate::tui::config::Config::new(
        settings,
        super::color_enabled(),
        super::hyperlinks_supported(&|name| std::env::var(name).ok()),
    )
    .map_err(|problem| anyhow::anyhow!("settings: keys: {}", problem.message))
}

/// `pathway config --keys`: every action by its settings name, with its keys now, as YAML.
pub(super) fn keys(file: &SettingsFile) -> Result<ExitCode> {
    let settings = checked_settings(file)?;
    let keymap = crate::tui::keys::Keymap::from_settings(&settings.keys).unwrap_or_default();
    let mut out = CleanWriter(std::io::stdout());
    out.write_all(crate::tui::keys::keys_yaml(&keymap).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// `pathway config`: where the settings file is, and the settings in effect as YAML.
pub(super) fn show(file: &SettingsFile, path: Option<&Path>) -> Result<ExitCode> {
    let settings = checked_settings(file)?;
    let shown = path.map_or("(none)".to_string(), crate::core::text::shown);
    let exists = if path.is_some_and(|p| p.exists()) {
        ""
    } else {
        " (not created yet: defaults)"
    };
    let mut out = CleanWriter(std::io::stdout());
    writeln!(out, "# {shown}{exists}")?;
    write!(out, "{}", crate::storage::settings::to_yaml(&settings))?;
    Ok(ExitCode::SUCCESS)
}

/// `pathway use ID`: the roadmap the command line and the checklist use from now on.
pub(super) fn use_roadmap(
    home: &super::context::Home,
    file: &SettingsFile,
    id: &str,
) -> Result<ExitCode> {
    let (roadmap, _) = crate::storage::catalog::find(id, &home.folder)?;
    std::fs::create_dir_all(&home.dir)?;
    crate::storage::fsio::write_atomic(&home.last_file, roadmap.id.as_bytes())?;
    let mut out = CleanWriter(std::io::stdout());
    writeln!(out, "using {} ({}) from now on", roadmap.id, roadmap.title)?;
    if file.roadmap()?.is_some() {
        writeln!(
            out,
            "note: the settings name a roadmap (roadmap: in config.yaml), which wins over this; \
             remove it there to use this one"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
