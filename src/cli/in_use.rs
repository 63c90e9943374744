//! Which roadmap a command works on, and how it was chosen: named in the output and in every
//! error whenever it is not the built-in one, so a roadmap chosen with `R` weeks ago never
//! surprises the command line.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::core::roadmap::Roadmap;
use crate::core::text::{one_line, shown};

/// Where the values that name a roadmap come from, and the folders their relative paths are
/// read from.
pub struct RoadmapSources<'a> {
    /// `--roadmap`: a path relative to the current folder, as for any argument.
    pub flag: Option<&'a Path>,
    /// The settings' `roadmap`, and the settings file (its folder is where a relative path
    /// starts; its name is what an error points at).
    pub settings: Option<(&'a str, Option<&'a Path>)>,
    /// What `last-roadmap` holds (the switcher writes an id), and its folder.
    pub last_used: Option<(String, &'a Path)>,
}

/// How the roadmap in use was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    /// `--roadmap`.
    Flag,
    /// The settings' `roadmap:`, in this file.
    Settings(Option<PathBuf>),
    /// The last one chosen with `R` or `pathway use`.
    LastUsed,
    /// Nothing chose one: the built-in roadmap. `gone` is a last choice no longer there.
    Default { gone: Option<String> },
}

/// The roadmap a command works on: its id, title and file, and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InUse {
    pub id: String,
    pub title: String,
    /// The file, or `None` for the built-in roadmap.
    pub file: Option<PathBuf>,
    pub chosen: Chosen,
}

impl InUse {
    pub fn new(roadmap: &Roadmap, file: Option<PathBuf>, chosen: Chosen) -> InUse {
        InUse {
            id: roadmap.id.to_string(),
            title: roadmap.title.to_string(),
            file,
            chosen,
        }
    }

    pub fn built_in(&self) -> bool {
        self.file.is_none()
    }

    /// How it was chosen, as a phrase: "chosen with --roadmap".
    pub fn how(&self) -> String {
        match &self.chosen {
            Chosen::Flag => "chosen with --roadmap".to_string(),
            Chosen::Settings(Some(file)) => format!("chosen by roadmap: in {}", shown(file)),
            Chosen::Settings(None) => "chosen by roadmap: in the settings".to_string(),
            Chosen::LastUsed => "chosen last with pathway use or R".to_string(),
            Chosen::Default { gone: None } => "the default; pathway use picks another".to_string(),
            Chosen::Default { gone: Some(id) } => format!(
                "the one chosen last, {:?}, is no longer there",
                one_line(id)
            ),
        }
    }

    /// The roadmap and how it was chosen, to begin an error with: "in roadmap rust (Rust in
    /// depth, /home/me/.config/pathway/roadmaps/rust.yaml; chosen with --roadmap)".
    pub fn named(&self) -> String {
        match &self.file {
            None => format!(
                "in the built-in roadmap {} ({})",
                one_line(&self.id),
                self.how()
            ),
            Some(file) => format!(
                "in roadmap {} ({}, {}; {})",
                one_line(&self.id),
                one_line(&self.title),
                shown(file),
                self.how()
            ),
        }
    }

    /// The line a command's text output begins with on a roadmap that is not the built-in one:
    /// "Roadmap: Rust in depth (rust), chosen last with pathway use or R".
    pub fn heading(&self) -> Option<String> {
        (!self.built_in()).then(|| {
            format!(
                "Roadmap: {} ({}), {}",
                one_line(&self.title),
                one_line(&self.id),
                self.how()
            )
        })
    }

    /// An error of a command on this roadmap, made to name it: every error when the roadmap is
    /// not the built-in one, and an ID that names nothing whichever it is.
    pub fn explain(&self, error: anyhow::Error) -> anyhow::Error {
        let about_id = error
            .downcast_ref::<super::ExitError>()
            .is_some_and(|e| e.about_id);
        if self.built_in() && !about_id {
            return error;
        }
        error.context(self.named())
    }
}

/// The roadmap to use: `--roadmap`, else the settings' `roadmap`, else the one last chosen in
/// the switcher (`R`; one no longer there is passed over), else the built-in one. Each value is
/// a file only if it looks like a path (see `catalog::looks_like_path`), else an id of the
/// roadmaps folder. Returns the roadmap with its file and how it was chosen. A settings value
/// that names nothing is an error at its line and column in the settings file.
pub fn choose_roadmap(
    sources: RoadmapSources<'_>,
    folder: &Path,
) -> Result<(Roadmap, Option<PathBuf>, Chosen)> {
    if let Some(flag) = sources.flag {
        let (roadmap, file) =
            crate::storage::catalog::resolve(&flag.to_string_lossy(), folder, None)?;
        return Ok((roadmap, file, Chosen::Flag));
    }
    if let Some((value, settings_file)) = sources.settings {
        let base = settings_file.and_then(Path::parent);
        return match crate::storage::catalog::resolve(value, folder, base) {
            Ok((roadmap, file)) => Ok((
                roadmap,
                file,
                Chosen::Settings(settings_file.map(Path::to_path_buf)),
            )),
            Err(e) => {
                let at = settings_file
                    .map(|f| crate::storage::settings::locate_key(f, "roadmap"))
                    .unwrap_or_else(|| "the settings".to_string());
                Err(anyhow::anyhow!("{at}: roadmap: {e:#}"))
            }
        };
    }
    let mut gone = None;
    if let Some((value, base)) = sources.last_used {
        match crate::storage::catalog::resolve(&value, folder, Some(base)) {
            Ok((roadmap, file)) => return Ok((roadmap, file, Chosen::LastUsed)),
            Err(_) => gone = Some(value),
        }
    }
    Ok((Roadmap::embedded()?, None, Chosen::Default { gone }))
}
