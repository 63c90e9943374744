//! The roadmaps a learner has: the built-in one, and every `*.yaml` file in the `roadmaps`
//! folder beside the progress file. A file that does not validate is listed with its error and
//! never stops the others from loading.

use std::path::{Path, PathBuf};

use crate::roadmap::{Roadmap, RoadmapError};

/// One roadmap of the catalog, loaded or not.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file, or `None` for the built-in roadmap.
    pub file: Option<PathBuf>,
    pub roadmap: Result<Roadmap, RoadmapError>,
}

impl Entry {
    pub fn id(&self) -> Option<&str> {
        self.roadmap.as_ref().ok().map(|r| r.id.as_str())
    }
}

/// The folder of roadmap files beside the progress file.
pub fn folder(progress_dir: &Path) -> PathBuf {
    progress_dir.join("roadmaps")
}

/// The built-in roadmap, then the folder's files in name order.
pub fn load(folder: &Path) -> Vec<Entry> {
    let mut entries = vec![Entry {
        file: None,
        roadmap: Roadmap::embedded(),
    }];
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|dir| {
            dir.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                // Regular files only: a pipe named like a roadmap would block the open.
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for file in files {
        let roadmap = Roadmap::load(&file);
        entries.push(Entry {
            file: Some(file),
            roadmap,
        });
    }
    entries
}

/// The roadmap a `--roadmap` value names: a file (if one exists at that path), else an id in
/// the catalog.
pub fn resolve(value: &str, folder: &Path) -> anyhow::Result<(Roadmap, Option<PathBuf>)> {
    let path = Path::new(value);
    if path.exists() {
        return Ok((Roadmap::load(path)?, Some(path.to_path_buf())));
    }
    let entries = load(folder);
    for entry in &entries {
        if entry.id() == Some(value) {
            let roadmap = entry.roadmap.clone()?;
            return Ok((roadmap, entry.file.clone()));
        }
    }
    let ids: Vec<&str> = entries.iter().filter_map(Entry::id).collect();
    anyhow::bail!(
        "no roadmap {value:?}: it is neither a file nor an id of {} (pathway roadmaps lists them)",
        ids.join(", ")
    )
}

/// A starter roadmap for `pathway new`: the schema, commented, ready to edit and validate.
pub fn starter(id: &str) -> String {
    format!(
        r#"# A roadmap for pathway. Check it with `pathway validate <this file>`; open it with
# `pathway --roadmap {id}`. Ids are stable: progress refers to them, so rename a title freely,
# never an id. Every field but id and title is optional.
id: {id}
title: My roadmap
# source: "Where the plan comes from"
overview: |
  What this roadmap is for, shown in the help screen.
steps:
  - id: first-step
    title: The first step
    summary: One sentence on what this step is about.
    notes: |
      Guidance for the step: what to learn, in which order, and how to know you are done.
    tasks:
      - id: first-task
        title: Something you can check off when it is done
        hours: 2
        recall: A question that checks you understood it?
        # resources: [{{title: Docs, url: "https://example.com/docs", kind: docs}}]
    resources:
      - title: Official documentation
        url: https://example.com/docs
        kind: docs   # docs, book, course or tutorial
"#
    )
}
