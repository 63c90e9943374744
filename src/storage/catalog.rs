//! The roadmaps a learner has: the built-in one, and every `*.yaml` file in the `roadmaps`
//! folder beside the progress file. A file that does not validate is listed with its error and
//! never stops the others from loading.

use std::path::{Path, PathBuf};

use crate::core::roadmap::{Roadmap, RoadmapError};

/// One roadmap of the catalog, loaded or not.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The file, or `None` for the built-in roadmap.
    pub file: Option<PathBuf>,
    pub roadmap: Result<Roadmap, RoadmapError>,
}

impl Entry {
    pub fn id(&self) -> Option<&str> {
        self.roadmap.as_ref().ok().map(|r| &*r.id)
    }

    /// The file's own name (not its folder), or "built in".
    pub fn name(&self) -> String {
        match &self.file {
            None => "built in".to_string(),
            Some(f) => f.file_name().map_or_else(
                || crate::core::text::shown(f),
                |n| crate::core::text::shown(Path::new(n)),
            ),
        }
    }

    /// What is wrong with it, on one line, in the `file:line:column: message` form (with the
    /// whole path when `whole_path`, else the file's name).
    pub fn problem(&self, whole_path: bool) -> Option<String> {
        let error = self.roadmap.as_ref().err()?;
        let first = error.to_string().lines().next().unwrap_or("").to_string();
        Some(match first.strip_prefix(&error.origin) {
            Some(rest) if !whole_path => format!("{}{rest}", self.name()),
            _ => first,
        })
    }
}

/// The folder of roadmap files beside the progress file.
pub fn folder(progress_dir: &Path) -> PathBuf {
    progress_dir.join("roadmaps")
}

/// The built-in roadmap, then every file of the folder in name order, each parsed: for listing
/// them (`pathway roadmaps`, `R`), never at start-up. Nothing is left out: a file that cannot
/// be read (a link whose target is gone, a pipe), does not validate, or is not named like a
/// roadmap is listed with what is wrong with it. Only hidden files (an editor's `.swp`) are
/// passed over.
pub fn load(folder: &Path) -> Vec<Entry> {
    let mut entries = vec![Entry {
        file: None,
        roadmap: Roadmap::embedded(),
    }];
    for file in listing(folder) {
        let roadmap = if is_roadmap_name(&file) {
            gone_target(&file).map_or_else(|| load_roadmap_file(&file), Err)
        } else if file.is_dir() {
            Err(problem(
                &file,
                "a folder: not read (roadmaps are the files of this folder)".to_string(),
            ))
        } else {
            Err(problem(
                &file,
                "not read: a roadmap file's name ends in .yaml or .yml".to_string(),
            ))
        };
        entries.push(Entry {
            file: Some(file),
            roadmap,
        });
    }
    entries
}

/// An error about a whole file.
fn problem(file: &Path, message: String) -> RoadmapError {
    RoadmapError {
        origin: crate::core::text::shown(file),
        problems: vec![crate::core::roadmap::Problem {
            location: None,
            message,
        }],
    }
}

/// A symbolic link whose target cannot be reached, said as such (reading it would only say
/// that there is no such file, beside a name that is plainly there).
fn gone_target(file: &Path) -> Option<RoadmapError> {
    let link = std::fs::symlink_metadata(file).ok()?;
    if !link.file_type().is_symlink() {
        return None;
    }
    let error = std::fs::metadata(file).err()?;
    let target = std::fs::read_link(file)
        .map(|t| crate::core::text::shown(&t))
        .unwrap_or_default();
    Some(problem(
        file,
        format!("a link to {target}, which cannot be read: {error}"),
    ))
}

/// Every entry of the folder but hidden ones, in name order, unread.
fn listing(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|dir| {
            dir.flatten()
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default();
    files.sort_unstable();
    files
}

fn is_roadmap_name(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "yaml" || x == "yml")
}

/// The roadmap files of the folder, in name order, unread: every `.yaml` and `.yml` entry,
/// whatever it is (`load_file` opens only a regular file, and says what else it found).
fn files(folder: &Path) -> Vec<PathBuf> {
    listing(folder)
        .into_iter()
        .filter(|p| is_roadmap_name(p))
        .collect()
}

/// Whether a roadmap value (from `--roadmap`, the settings or the last one chosen) names a
/// file: it holds a `/` or ends in `.yaml`/`.yml`. Anything else is an id, looked up in the
/// roadmaps folder only, so a file that happens to be named like an id in the current folder
/// is never read in its place.
pub fn looks_like_path(value: &str) -> bool {
    value.contains('/') || value.ends_with(".yaml") || value.ends_with(".yml")
}

/// Reads and parses a roadmap file of any kind (`pathway validate <(…)` reads a pipe); every
/// error names the file.
pub fn load_roadmap(path: &Path) -> Result<Roadmap, RoadmapError> {
    // Bounded whatever the file is: a device such as /dev/zero or a pipe that never ends is
    // cut at the limit and refused, not read until memory runs out.
    read_with(path, crate::storage::fsio::read_limited)
}

/// As `load`, for a roadmap to use (named by `--roadmap`, the settings, the last one chosen, or
/// found in the roadmaps folder): only a regular file is opened, so a FIFO there cannot hang
/// pathway at start-up.
pub fn load_roadmap_file(path: &Path) -> Result<Roadmap, RoadmapError> {
    read_with(path, crate::storage::fsio::read_regular)
}

fn read_with(
    path: &Path,
    read: impl Fn(&Path, u64) -> Result<String, crate::storage::fsio::Limited>,
) -> Result<Roadmap, RoadmapError> {
    use crate::core::roadmap::MAX_ROADMAP_BYTES;
    let origin = crate::core::text::shown(path);
    let text = read(path, MAX_ROADMAP_BYTES as u64).map_err(|e| match e {
        crate::storage::fsio::Limited::TooLarge => {
            crate::core::roadmap::too_large(&origin, MAX_ROADMAP_BYTES + 1)
        }
        other => RoadmapError::single(&origin, None, format!("cannot read: {other}")),
    })?;
    Roadmap::parse(&text, &origin)
}

/// The roadmap a value names (see `looks_like_path`): a file, read only if it is a regular
/// file, relative to `base` (the folder of the file the value came from; `None`: the current
/// folder); or an id, found with `find`.
pub fn resolve(
    value: &str,
    folder: &Path,
    base: Option<&Path>,
) -> anyhow::Result<(Roadmap, Option<PathBuf>)> {
    if looks_like_path(value) {
        let path = match base {
            Some(dir) if Path::new(value).is_relative() => dir.join(value),
            _ => PathBuf::from(value),
        };
        return Ok((load_roadmap_file(&path)?, Some(path)));
    }
    find(value, folder)
}

/// The roadmap with this id: the built-in one, else a file of the roadmaps folder. Only the
/// file that holds it is parsed: first `ID.yaml` (as `pathway new` names it), then a file whose
/// top lines say `id: ID`; only if neither has it is every file read, so a large unrelated file
/// in the folder costs nothing.
pub fn find(id: &str, folder: &Path) -> anyhow::Result<(Roadmap, Option<PathBuf>)> {
    if id == crate::core::roadmap::EMBEDDED_ID {
        return Ok((Roadmap::embedded()?, None));
    }
    let files = files(folder);
    let named = |f: &PathBuf| f.file_stem().is_some_and(|stem| stem == id);
    // What the search met, for the message if the id is not there: the ids seen (without
    // parsing every file just to list them) and what is wrong with `ID.yaml`.
    let mut ids = vec![crate::core::roadmap::EMBEDDED_ID.to_string()];
    let mut broken = None;
    let mut matches = |f: &PathBuf| match load_roadmap_file(f) {
        Ok(r) if r.id == id => Some((r, Some(f.clone()))),
        Ok(r) => {
            ids.push(r.id.into_owned());
            None
        }
        Err(e) => {
            if named(f) {
                broken.get_or_insert(e);
            }
            None
        }
    };
    for file in files.iter().filter(|f| named(f)) {
        if let Some(found) = matches(file) {
            return Ok(found);
        }
    }
    let peeked: Vec<(&PathBuf, Option<String>)> = files
        .iter()
        .filter(|f| !named(f))
        .map(|f| (f, peek_id(f)))
        .collect();
    for (file, _) in peeked
        .iter()
        .filter(|(_, seen)| seen.as_deref() == Some(id))
    {
        if let Some(found) = matches(file) {
            return Ok(found);
        }
    }
    // A file whose id the first lines do not show plainly (written further down, or in flow
    // style) is read whole, last.
    for (file, _) in peeked.iter().filter(|(_, seen)| seen.is_none()) {
        if let Some(found) = matches(file) {
            return Ok(found);
        }
    }
    // `ID.yaml` is there but does not validate: what is wrong with it is the useful answer.
    if let Some(e) = broken {
        return Err(e.into());
    }
    ids.extend(peeked.into_iter().filter_map(|(_, seen)| seen));
    ids.sort_unstable();
    ids.dedup();
    anyhow::bail!(
        "no roadmap {:?}: no id of {} (pathway roadmaps lists them); to use a file, give its \
         path, as in ./{}.yaml",
        crate::core::text::one_line(id),
        crate::core::text::one_line(&ids.join(", ")),
        crate::core::text::one_line(id)
    )
}

/// How much of a file `peek_id` looks at.
const PEEK_BYTES: u64 = 64 * 1024;

/// The id a roadmap file declares on a top-level `id:` line among its first 64 KiB, if it is
/// written plainly there; `None` when it cannot tell (the file is then read whole, if needed).
fn peek_id(path: &Path) -> Option<String> {
    use std::io::{BufRead, Read};
    let file = crate::storage::fsio::open_regular(path).ok()?;
    let reader = std::io::BufReader::new(file.take(PEEK_BYTES));
    for line in reader.lines() {
        let line = line.ok()?;
        let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
        let Some(value) = line.strip_prefix("id:") else {
            continue;
        };
        let value = value.trim();
        return match value.chars().next()? {
            quote @ ('"' | '\'') => {
                let inner = &value[1..];
                let end = inner.find(quote)?;
                let text = &inner[..end];
                // Escapes and doubled quotes are YAML's to read.
                let escaped = text.contains('\\') || inner[end + 1..].starts_with(quote);
                (!escaped).then(|| text.to_string())
            }
            _ => {
                let plain = value.split(" #").next().unwrap_or_default().trim();
                // Only a word YAML reads as itself, with nothing of its syntax in it.
                let special = |c: char| "{}[],&*!|>'\"%@`#:".contains(c) || c.is_whitespace();
                (!plain.is_empty() && !plain.chars().any(special)).then(|| plain.to_string())
            }
        };
    }
    None
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
        outcome: What you can show when it is done, in a sentence someone could check.
        hours: 2
        # Review cards: one question each, with the key points of its answer. Ids are stable.
        cards:
          - id: why
            ask: A question that checks you understood it?
            answer: |
              - the first key point
              - the second
        # A check that proves it on your machine (read-only; runs only once you approve it
        # with `pathway trust`): exactly one of run, http or file per probe.
        # check:
        #   - run: "git log --oneline -1"
        #     hint: Commit your work first.
        # resources: [{{title: Docs, url: "https://example.com/docs", kind: docs}}]
    resources:
      - title: Official documentation
        url: https://example.com/docs
        kind: docs   # docs, book, course or tutorial
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_id_is_the_embedded_roadmaps() {
        let embedded = Roadmap::embedded().expect("embedded roadmap");
        assert_eq!(embedded.id, crate::core::roadmap::EMBEDDED_ID);
    }

    #[test]
    fn a_value_is_a_file_only_when_it_looks_like_a_path() {
        for path in ["./mine", "/tmp/x", "mine.yaml", "mine.yml", "a/b", "../r"] {
            assert!(looks_like_path(path), "{path}");
        }
        for id in ["mine", "backend-devops", "-", "", ".", "mine.json"] {
            assert!(!looks_like_path(id), "{id}");
        }
    }

    #[test]
    fn the_id_is_peeked_only_where_it_is_plain() {
        let dir = tempfile::tempdir().expect("tempdir");
        let peek = |text: &str| {
            let path = dir.path().join("r.yaml");
            std::fs::write(&path, text).expect("write");
            peek_id(&path)
        };
        assert_eq!(peek("id: mine\ntitle: T\n").as_deref(), Some("mine"));
        assert_eq!(
            peek("\u{feff}# c\ntitle: T\nid: mine # the id\n").as_deref(),
            Some("mine")
        );
        assert_eq!(peek("id: \"quoted\"\n").as_deref(), Some("quoted"));
        assert_eq!(peek("id: 'single'\n").as_deref(), Some("single"));
        // What only YAML can read says nothing, so the file is read whole if it must be.
        for unclear in [
            "id: 'it''s'\n",
            "id: \"a\\u0041\"\n",
            "id: {x: 1}\n",
            "id: &a x\n",
            "title: T\n",
            "  id: nested\n",
            "{id: flow}\n",
        ] {
            assert_eq!(peek(unclear), None, "{unclear:?}");
        }
    }
}
