//! The command context, built in stages so each command pays only for what it reads: where
//! pathway keeps its files, then the settings file, then the roadmap in use and the progress.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::in_use::{InUse, RoadmapSources, choose_roadmap};
use crate::core::progress::Progress;
use crate::core::roadmap::Roadmap;
use crate::storage::settings::{Settings, SettingsFile};
use crate::storage::store::Store;

/// Where pathway keeps its files: the progress file, and the folder it is in.
pub(super) struct Home {
    pub store: Store,
    /// The progress file's folder: the last roadmap, the approvals and the roadmaps folder.
    pub dir: PathBuf,
    /// The roadmaps folder.
    pub folder: PathBuf,
    /// Where the roadmap chosen last with `pathway use` or `R` is kept.
    pub last_file: PathBuf,
}

impl Home {
    pub fn locate(progress: Option<&Path>) -> Result<Home> {
        let store = Store::locate(progress)?;
        let dir = super::home(&store);
        Ok(Home {
            folder: crate::storage::catalog::folder(&dir),
            last_file: dir.join("last-roadmap"),
            store,
            dir,
        })
    }
}

/// The settings file, read once; each command parses only the settings it uses (most: the
/// roadmap's name).
pub(super) struct SettingsAt {
    pub path: Option<PathBuf>,
    pub file: SettingsFile,
}

impl SettingsAt {
    pub fn read(flag: Option<&Path>, home: &Home) -> Result<SettingsAt> {
        // The settings live in the config directory whatever --progress says (as --help and
        // the README say); only a system without one (no home directory) keeps them beside the
        // progress.
        let config_dir = directories::ProjectDirs::from("", "", "pathway")
            .map(|dirs| dirs.config_dir().to_path_buf())
            .or_else(|| Some(home.dir.clone()));
        let path = crate::storage::settings::path(
            flag,
            std::env::var_os(crate::storage::settings::CONFIG_ENV),
            config_dir,
        );
        let explicit = flag.is_some()
            || std::env::var_os(crate::storage::settings::CONFIG_ENV)
                .is_some_and(|v| !v.is_empty());
        let file = SettingsFile::read(path.as_deref(), explicit)?;
        Ok(SettingsAt { path, file })
    }
}

/// The roadmap in use, its file (`None` for the built-in one) and how it was chosen.
pub(super) fn roadmap_in_use(
    flag: Option<&Path>,
    home: &Home,
    settings: &SettingsAt,
) -> Result<(Roadmap, Option<PathBuf>, InUse)> {
    let settings_roadmap = settings.file.roadmap()?;
    // The roadmap chosen last is read only when neither --roadmap nor the settings name one.
    let last_used = if flag.is_none() && settings_roadmap.is_none() {
        crate::storage::fsio::read_regular(&home.last_file, 4096)
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    } else {
        None
    };
    let sources = RoadmapSources {
        flag,
        settings: settings_roadmap
            .as_deref()
            .map(|value| (value, settings.path.as_deref())),
        last_used: last_used.map(|value| (value, home.dir.as_path())),
    };
    let (roadmap, roadmap_file, chosen) = choose_roadmap(sources, &home.folder)?;
    let in_use = InUse::new(&roadmap, roadmap_file.clone(), chosen);
    Ok((roadmap, roadmap_file, in_use))
}

/// Everything a command on the roadmap in use works with.
pub(super) struct Ctx {
    pub home: Home,
    pub settings_path: Option<PathBuf>,
    pub settings: Settings,
    pub roadmap: Roadmap,
    /// The roadmap's file, or `None` for the built-in roadmap.
    pub roadmap_file: Option<PathBuf>,
    pub progress: Progress,
    /// The line naming the roadmap in use, when it is not the built-in one.
    pub heading: Option<String>,
}

impl Ctx {
    /// What the checklist needs to switch roadmaps and run checks.
    pub fn switch(&self) -> crate::tui::terminal::Switch {
        crate::tui::terminal::Switch {
            folder: self.home.folder.clone(),
            last_used: self.home.last_file.clone(),
            checks: self.checks(),
        }
    }

    /// How the roadmap's checks are trusted and where they run.
    pub fn checks(&self) -> crate::tui::checking::CheckSetup {
        crate::tui::checking::CheckSetup::new(&self.home.dir, &self.settings.checks)
    }

    /// The files no command may write over.
    pub fn owned(&self) -> super::owned::Owned {
        super::owned::Owned::new(
            &self.home.store,
            self.settings_path.as_deref(),
            &self.home.last_file,
            self.roadmap_file.as_deref(),
            &self.home.folder,
        )
    }

    pub fn review_settings(&self) -> crate::core::review::ReviewSettings {
        self.settings.review_settings()
    }
}
