//! The cohort's folder on disk: every snapshot in `learners/`, each read bounded; a file that
//! cannot be read or is not a snapshot for the roadmap is data to list, never an error.

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::core::cohort::{self, Snapshot, Unreadable};
use crate::storage::fsio::{self, Limited};

/// The largest snapshot read: one for the built-in roadmap is about 20 KB, one for a roadmap of
/// a thousand tasks all touched about 400 KB.
pub const SNAPSHOT_LIMIT: u64 = 4 * 1024 * 1024;

/// What the folder holds: the snapshots by learner (the file name without `.json`), in name
/// order, and the files that could not be used, with why.
#[derive(Debug, Default)]
pub struct Folder {
    pub snapshots: Vec<(String, Snapshot)>,
    pub unreadable: Vec<Unreadable>,
}

/// Where a learner's snapshot is kept in the cohort's clone.
pub fn snapshot_path(dir: &Path, name: &str) -> std::path::PathBuf {
    dir.join(cohort::FOLDER).join(format!("{name}.json"))
}

/// Reads every `learners/*.json` of `dir` for the roadmap `roadmap_id`. A folder with no
/// `learners/` yet is a cohort where nobody has published; `dir` itself must be readable.
pub fn read(dir: &Path, roadmap_id: &str) -> Result<Folder> {
    let shown = crate::core::text::shown(dir);
    if !dir.is_dir() {
        anyhow::bail!("cannot read the cohort folder {shown}: it is not a folder");
    }
    let learners = dir.join(cohort::FOLDER);
    let entries = match std::fs::read_dir(&learners) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Folder::default()),
        Err(e) => {
            return Err(e)
                .with_context(|| format!("cannot read {}", crate::core::text::shown(&learners)));
        }
    };
    let mut names: Vec<std::ffi::OsString> = entries
        .filter_map(|entry| entry.ok().map(|e| e.file_name()))
        .filter(|name| {
            let name = name.to_string_lossy();
            // Git's own files and an editor's leftovers are not the learners'; nor are a
            // README or the temporary file of a save being written.
            !name.starts_with('.') && name.ends_with(".json")
        })
        .collect();
    names.sort();
    let mut folder = Folder::default();
    for name in names {
        let file = name.to_string_lossy().into_owned();
        let learner = file.strip_suffix(".json").unwrap_or(&file).to_string();
        match read_one(&learners.join(&name), roadmap_id) {
            Ok(snapshot) => folder.snapshots.push((learner, snapshot)),
            Err(reason) => folder.unreadable.push(Unreadable { file, reason }),
        }
    }
    Ok(folder)
}

fn read_one(path: &Path, roadmap_id: &str) -> Result<Snapshot, String> {
    let text = fsio::read_regular(path, SNAPSHOT_LIMIT).map_err(|e| match e {
        Limited::TooLarge => format!(
            "larger than a snapshot can be ({} MiB at most)",
            SNAPSHOT_LIMIT / 1024 / 1024
        ),
        other => format!("cannot be read: {other}"),
    })?;
    cohort::parse(&text, roadmap_id)
}
