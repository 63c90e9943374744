//! The files pathway owns, which no command may write over with something else (`export -o`).

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::storage::fsio::resolved;
use crate::storage::store::Store;

/// Every file pathway keeps: the progress file (and where a symlink takes it), its lock, backups
/// and temporary file, the settings file, the last roadmap's id, the approvals of checks, the
/// roadmap in use, and every file in the roadmaps folder, present or to come.
pub struct Owned {
    /// Files, each with what it is to the learner.
    files: Vec<(PathBuf, &'static str)>,
    /// The folder of the real progress file and its name: `<name>.*` and `.<name>.*` there are
    /// its lock, backups and temporary file.
    progress_dir: PathBuf,
    progress_name: String,
    roadmaps: PathBuf,
}

impl Owned {
    pub fn new(
        store: &Store,
        settings: Option<&Path>,
        last_roadmap: &Path,
        roadmap_in_use: Option<&Path>,
        roadmaps: &Path,
    ) -> Owned {
        let real = resolved(&store.real_path());
        let mut files = vec![
            (store.path().to_path_buf(), "the progress file"),
            (real.clone(), "the progress file"),
            (store.lock_path(), "the progress file's lock"),
            (
                last_roadmap.to_path_buf(),
                "where the last roadmap chosen is kept",
            ),
        ];
        // The approvals of roadmaps' checks live beside `last-roadmap`.
        if let Some(home) = last_roadmap.parent() {
            files.push((
                crate::storage::approvals::path(home),
                "the approvals of roadmaps' checks",
            ));
            files.push((
                crate::storage::approvals::lock_path(home),
                "the approvals' lock",
            ));
        }
        files.extend(settings.map(|p| (p.to_path_buf(), "the settings file")));
        files.extend(roadmap_in_use.map(|p| (p.to_path_buf(), "the roadmap in use")));
        Owned {
            files,
            progress_dir: real.parent().map(Path::to_path_buf).unwrap_or_default(),
            progress_name: real
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            roadmaps: resolved(roadmaps),
        }
    }

    /// What `target` is to pathway, if pathway owns it. Paths are compared resolved (symlinks,
    /// `..`), and an existing file also by its inode, so no other spelling of an owned file and
    /// no hard link to one gets through.
    pub fn owner_of(&self, target: &Path) -> Option<&'static str> {
        let target = resolved(target);
        let inode = |p: &Path| std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()));
        let target_inode = inode(&target);
        for (file, what) in &self.files {
            if resolved(file) == target || (target_inode.is_some() && inode(file) == target_inode) {
                return Some(what);
            }
        }
        let in_roadmaps = || {
            std::fs::read_dir(&self.roadmaps)
                .into_iter()
                .flatten()
                .flatten()
                .any(|e| inode(&e.path()) == target_inode)
        };
        if target.starts_with(&self.roadmaps) || (target_inode.is_some() && in_roadmaps()) {
            return Some("a file of the roadmaps folder");
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // `progress.yaml.<time>.bak`, `progress.yaml.lock`, `.progress.yaml.tmp`: the names
        // the store gives them, and no more (`progress.yaml.md` is the learner's to write).
        let of_progress = |rest: Option<&str>| rest.is_some_and(|r| r.starts_with('.'));
        let sibling = (of_progress(name.strip_prefix(&self.progress_name))
            && (name.ends_with(".bak") || name.ends_with(".lock")))
            || (of_progress(
                name.strip_prefix('.')
                    .and_then(|n| n.strip_prefix(&self.progress_name)),
            ) && name.ends_with(".tmp"));
        if !self.progress_name.is_empty()
            && target.parent() == Some(self.progress_dir.as_path())
            && sibling
        {
            return Some("a backup, lock or temporary file of the progress file");
        }
        None
    }
}
