//! The commands about files: export, import, validate, merge-file, roadmaps, new, where; and
//! the manual page's extra sections.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use jiff::tz::TimeZone;

use super::{Format, usage};
use crate::cli::report;
use crate::core::clock::now;
use crate::core::progress::Progress;
use crate::core::roadmap::Roadmap;
use crate::core::text::CleanWriter;
use crate::storage::store::Store;

pub(super) fn export(
    owned: &super::owned::Owned,
    roadmap: &Roadmap,
    progress: &Progress,
    format: Format,
    output: Option<PathBuf>,
) -> Result<()> {
    let rp = progress.roadmap_or_empty(&roadmap.id);
    let text = match format {
        Format::Json => {
            // Everything the progress holds for the roadmap rides along under `progress`, so
            // `import` on another machine merges it exactly as `merge-file` would.
            let mut json = report::status_json(roadmap, rp);
            if let Some(map) = json.as_object_mut() {
                map.insert("progress".into(), serde_json::to_value(rp)?);
            }
            format!("{}\n", report::json_text(&json))
        }
        Format::Markdown => {
            let today = crate::core::text::date(now(), &jiff::tz::TimeZone::system());
            report::markdown(roadmap, rp, &today)
        }
    };
    match output {
        Some(path) => {
            refuse_owned(owned, &path)?;
            crate::storage::fsio::write_atomic(&path, text.as_bytes())
                .with_context(|| format!("cannot write {}", crate::core::text::shown(&path)))?
        }
        None => CleanWriter(std::io::stdout()).write_all(text.as_bytes())?,
    }
    Ok(())
}

/// `pathway card`: the SVG progress card, to standard output or a file pathway does not own.
pub(super) fn card(
    out: &mut impl Write,
    owned: &super::owned::Owned,
    roadmap: &Roadmap,
    progress: &Progress,
    review: &crate::core::review::ReviewSettings,
    theme: crate::cli::card::CardTheme,
    output: Option<PathBuf>,
) -> Result<()> {
    let rp = progress.roadmap_or_empty(&roadmap.id);
    let tz = TimeZone::system();
    let now = now();
    let stats = crate::core::stats::compute(roadmap, rp, now, &tz, review);
    let date = crate::core::text::date(now, &tz);
    let svg = crate::cli::card::svg(
        &crate::cli::card::CardData::new(roadmap, rp, &stats, date),
        theme,
    );
    match output {
        Some(path) => {
            refuse_owned(owned, &path)?;
            crate::storage::fsio::write_atomic(&path, svg.as_bytes())
                .with_context(|| format!("cannot write {}", crate::core::text::shown(&path)))?;
            writeln!(
                out,
                "wrote {}: the progress card of {}",
                crate::core::text::shown(&path),
                roadmap.title
            )?;
        }
        // Escaped for XML already: nothing in it can drive a terminal.
        None => std::io::stdout().write_all(svg.as_bytes())?,
    }
    Ok(())
}

/// Never over the files pathway itself keeps: a card or a Markdown list in place of the
/// progress file, the settings or a roadmap would lose them.
fn refuse_owned(owned: &super::owned::Owned, path: &Path) -> Result<()> {
    match owned.owner_of(path) {
        Some(what) => Err(usage(format!(
            "refusing to write over {}: it is {what}, which pathway keeps; choose another -o",
            crate::core::text::shown(path)
        ))),
        None => Ok(()),
    }
}

pub(super) fn import(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    file: &Path,
    dry_run: bool,
) -> Result<()> {
    // An exported list is a few hundred lines; a bound keeps a device or a pipe from
    // filling memory.
    const MAX_IMPORT_BYTES: u64 = 16 * 1024 * 1024;
    let text = crate::storage::fsio::read_limited(file, MAX_IMPORT_BYTES).map_err(|e| match e {
        crate::storage::fsio::Limited::TooLarge => anyhow::anyhow!(
            "cannot read {}: larger than {} MiB, refused",
            crate::core::text::shown(file),
            MAX_IMPORT_BYTES / (1024 * 1024)
        ),
        other => anyhow::anyhow!("cannot read {}: {other}", crate::core::text::shown(file)),
    })?;
    if text.trim_start().starts_with('{') {
        return import_json(out, store, roadmap, progress, file, &text, dry_run);
    }
    let parsed = crate::cli::import::parse_markdown(&text, roadmap);
    for (line, content) in &parsed.unmatched {
        writeln!(
            out,
            "{}:{line}: no matching task, left alone: {content}",
            crate::core::text::shown(file)
        )?;
    }
    for (key, lines) in &parsed.conflicts {
        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        writeln!(
            out,
            "{}:{}: {key} is given two different ways; left as it is",
            crate::core::text::shown(file),
            lines.join(",")
        )?;
    }
    let changes =
        crate::cli::import::apply_import(&parsed, progress.roadmap_mut(&roadmap.id), now());
    let verb = if dry_run { "would change" } else { "changed" };
    for change in &changes {
        writeln!(out, "{verb} {change}")?;
    }
    if changes.is_empty() {
        writeln!(out, "nothing to change")?;
    } else {
        writeln!(
            out,
            "(Markdown carries ticks and notes only; `export --format json` carries review \
             states, check results and history too)"
        )?;
        if !dry_run {
            store.save(progress)?;
        }
    }
    Ok(())
}

/// Imports a JSON export: its `progress` merges into the roadmap's part by part, exactly as
/// `merge-file` merges two progress files, so nothing either side holds is lost.
fn import_json(
    out: &mut impl Write,
    store: &Store,
    roadmap: &Roadmap,
    progress: &mut Progress,
    file: &Path,
    text: &str,
    dry_run: bool,
) -> Result<()> {
    #[derive(serde::Deserialize)]
    struct Export {
        roadmap: Option<serde_json::Value>,
        progress: Option<crate::core::progress::RoadmapProgress>,
    }
    let export: Export = serde_json::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}:{}: not a pathway JSON export: {e}",
            file.display(),
            e.line(),
            e.column()
        )
    })?;
    let Some(mut theirs) = export.progress else {
        anyhow::bail!(
            "{}: this JSON export has no `progress` (it was made by an older pathway); export it \
             again, or export and import Markdown",
            file.display()
        );
    };
    let their_id = export
        .roadmap
        .as_ref()
        .and_then(|r| r.get("id"))
        .and_then(|id| id.as_str());
    if their_id.is_some_and(|id| id != roadmap.id) {
        anyhow::bail!(
            "{}: exported from roadmap {:?}, not {:?}; import it with --roadmap {}",
            file.display(),
            their_id.unwrap_or_default(),
            roadmap.id,
            their_id.unwrap_or_default()
        );
    }
    let warnings = {
        let mut wrapped = Progress::default();
        wrapped
            .roadmaps
            .insert(roadmap.id.to_string(), std::mem::take(&mut theirs));
        let warnings = wrapped.settle();
        theirs = wrapped.roadmaps.remove(&*roadmap.id).unwrap_or_default();
        warnings
    };
    for warning in warnings {
        writeln!(out, "{}: {warning}", file.display())?;
    }
    let mut merged = progress.roadmap_or_empty(&roadmap.id).clone();
    if !merged.merge_from(&theirs) || merged == *progress.roadmap_or_empty(&roadmap.id) {
        writeln!(out, "nothing to change")?;
        return Ok(());
    }
    let verb = if dry_run { "would merge" } else { "merged" };
    writeln!(
        out,
        "{verb} {}: statuses, notes, review states, check results and history, part by part",
        file.display()
    )?;
    if !dry_run {
        *progress.roadmap_mut(&roadmap.id) = merged;
        store.save(progress)?;
    }
    Ok(())
}

/// Merges two progress files as Git's merge driver: exit 0 with the result in `ours`, or exit 1
/// with `ours` untouched when either cannot be read. Each note both sides changed, and so kept
/// twice over, is said on standard error, where Git shows it.
pub(super) fn merge_file(base: &Path, ours: &Path, theirs: &Path) -> Result<ExitCode> {
    match merge_files(
        base,
        ours,
        theirs,
        crate::storage::store::MAX_PROGRESS_BYTES,
    ) {
        Ok(merged) => {
            for said in merged.said() {
                eprintln!("pathway: {}", crate::core::text::one_line(&said));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("pathway: {}", crate::core::text::clean(&e));
            Ok(ExitCode::FAILURE)
        }
    }
}

/// What `merge_files` did beyond the plain part-by-part merge.
#[derive(Debug, Default)]
pub struct Merged {
    /// Notes both sides changed: see `Progress::merge_three`.
    pub notes: Vec<crate::core::progress::NoteKept>,
    /// Why the common ancestor could not be used, when it could not (the merge is then the
    /// two-way one, in which a note that loses is kept in `log --notes`).
    pub no_base: Option<String>,
}

impl Merged {
    /// One line for each thing the learner should hear of.
    pub fn said(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .notes
            .iter()
            .map(|n| {
                if n.both {
                    format!(
                        "merge-file: both copies changed the note of {} ({}): both texts are \
                         kept in it, the later first",
                        n.key, n.roadmap
                    )
                } else {
                    format!(
                        "merge-file: one copy removed the note of {} ({}) that the other \
                         changed: the changed note is kept",
                        n.key, n.roadmap
                    )
                }
            })
            .collect();
        if let Some(why) = &self.no_base {
            lines.push(format!(
                "merge-file: the common ancestor was not used ({why}): a note changed on both \
                 sides keeps the later text, the other is in `pathway log --notes`"
            ));
        }
        lines
    }
}

/// `merge-file`'s work, with the read limit a parameter so that a test can prove the result's
/// bound with a small one: `ours` merged with `theirs` (three-way, with `base` their common
/// ancestor) and written over `ours`, or what went wrong, with `ours` as it was (either file
/// cannot be read, or the result would be larger than `limit`, which pathway would then refuse
/// to read). An empty `base` is Git's way of saying there is no common ancestor.
pub fn merge_files(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    limit: u64,
) -> std::result::Result<Merged, String> {
    // Git hands over three files that exist; a missing one is a mistake, not a fresh start.
    let read = |path: &Path| match std::fs::symlink_metadata(path) {
        Err(e) => Err(format!(
            "cannot read {}: {e}",
            crate::core::text::shown(path)
        )),
        Ok(_) => Store::new(path)
            .with_read_limit(limit)
            .load()
            .map_err(|e| e.summary()),
    };
    let (mut merged, theirs) = (read(ours)?, read(theirs)?);
    let mut said = Merged::default();
    let base = match std::fs::metadata(base) {
        Ok(meta) if meta.len() == 0 => Ok(crate::core::progress::Progress::default()),
        _ => read(base),
    };
    match base {
        Ok(base) => said.notes = merged.merge_three(&base, &theirs),
        Err(why) => {
            said.no_base = Some(why);
            merged.merge_from(&theirs);
        }
    }
    let text = crate::storage::progress_yaml::write(&merged);
    crate::storage::store::refuse_unreadable(&text, ours, limit)
        .and_then(|()| {
            crate::storage::fsio::write_atomic(ours, text.as_bytes())
                .with_context(|| format!("cannot write {}", crate::core::text::shown(ours)))
        })
        .map_err(|e| format!("{e:#}"))?;
    Ok(said)
}

/// What the manual page says beyond the commands clap describes.
pub(super) const MAN_EXTRA: &str = r#".SH KEYS
Run \fBpathway\fR without a command to open the checklist. Press \fB?\fR in it for every key;
the main ones: \fBj\fR/\fBk\fR move, \fBspace\fR done, \fBi\fR started, \fBs\fR skip,
\fBn\fR note, \fB/\fR filter, \fBp\fR progress, \fBr\fR review, \fBN\fR notes,
\fBu\fR undo, \fBq\fR quit. \fBEsc\fR backs out and never quits.
.SH FILES
.TP
\fI$XDG_CONFIG_HOME/pathway/progress.yaml\fR
Your progress, notes and review schedule (\fI~/.config/pathway\fR by default), with its lock
file beside it, and the \fIroadmaps\fR folder beside it.
.TP
\fI$XDG_CONFIG_HOME/pathway/config.yaml\fR
Your settings (theme, colours, keys, default roadmap, review limits, the checks' project folder
and variables), here wherever the progress is kept.
.TP
\fIlast-roadmap\fR, \fItrusted-checks\fR
Beside the progress file: the roadmap chosen last with \fBR\fR (or \fBpathway use\fR), and the
roadmaps whose checks you approved with \fBpathway trust\fR (a SHA-256 of their checks each).
.SH ENVIRONMENT
.TP
\fBPATHWAY_PROGRESS\fR
Keep progress in this file instead.
.TP
\fBPATHWAY_CONFIG\fR
Read settings from this file instead.
.TP
\fBVISUAL\fR, \fBEDITOR\fR
The editor \fBe\fR opens a note in.
.TP
\fBBROWSER\fR
The browser links open in (else the system's).
.TP
\fBNO_COLOR\fR
Any value turns colours off.
.TP
\fBPATHWAY_HYPERLINKS\fR
1 or 0: make resource titles clickable links, or not.
.TP
\fBPATHWAY_COMPLETE\fR
Set by the shell completion scripts (\fBpathway completions\fR) for their own calls only.
.TP
\fBPATHWAY_PROJECT\fR
Set for the commands a check runs: the project folder.
"#;

pub(super) fn validate(file: &Path) -> Result<ExitCode> {
    match crate::storage::catalog::load_roadmap(file) {
        Ok(r) => {
            writeln!(
                std::io::stdout(),
                "{}: ok, {}, {}",
                crate::core::text::shown(file),
                crate::core::text::count(r.steps.len(), "step"),
                crate::core::text::count(r.task_count(), "task")
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            writeln!(CleanWriter(std::io::stdout()), "{e}")?;
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `pathway roadmaps`: id, title, file, tasks, percent done, last activity.
pub(super) fn list_roadmaps(
    out: &mut impl Write,
    folder: &Path,
    progress: &Progress,
    current: &str,
) -> Result<()> {
    for entry in crate::storage::catalog::load(folder) {
        let file = entry
            .file
            .as_ref()
            .map_or("built in".to_string(), |f| crate::core::text::shown(f));
        match &entry.roadmap {
            Ok(r) => {
                let counts = progress.counts(r);
                let last = progress
                    .roadmap(&r.id)
                    .and_then(|rp| rp.items.values().filter_map(|i| i.updated).max())
                    .map(|t| crate::core::text::date(t, &TimeZone::system()).to_string())
                    .unwrap_or_else(|| "never".to_string());
                let mark = if r.id == current { "*" } else { " " };
                writeln!(
                    out,
                    "{mark} {:<20} {} · {} · {}% done · last activity {last} · {file}",
                    r.id,
                    r.title,
                    crate::core::text::count(r.task_count(), "task"),
                    counts.percent()
                )?;
            }
            Err(_) => {
                let problem = entry.problem(true).unwrap_or_default();
                writeln!(out, "! {problem}")?;
            }
        }
    }
    Ok(())
}

/// `pathway new ID`: a starter roadmap in the roadmaps folder, never over an existing file.
pub(super) fn new_roadmap(folder: &Path, id: &str) -> Result<ExitCode> {
    // Starting with a letter or digit: `-` alone reads as standard input to a shell user, and
    // an id that starts like an option is one no command line can pass back.
    let valid = id
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid {
        return Err(usage(format!(
            "{:?}: an id is lower-case letters, digits, - and _, starting with a letter or digit",
            crate::core::text::one_line(id)
        )));
    }
    // An id names one roadmap: the built-in one's, or one a file already has, would open the
    // other roadmap, never the new file.
    if id == crate::core::roadmap::EMBEDDED_ID {
        return Err(usage(format!(
            "{id:?} is the built-in roadmap's id: choose another (pathway roadmaps lists the ids)"
        )));
    }
    let path = folder.join(format!("{id}.yaml"));
    if let Ok((_, Some(file))) = crate::storage::catalog::find(id, folder)
        && file != path
    {
        return Err(usage(format!(
            "{id:?} is already the id of {}: choose another",
            crate::core::text::shown(&file)
        )));
    }
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot create {}", crate::core::text::shown(folder)))?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => usage(format!(
                "{} exists already: left as it is",
                crate::core::text::shown(&path)
            )),
            _ => anyhow::Error::new(e)
                .context(format!("cannot write {}", crate::core::text::shown(&path))),
        })?;
    file.write_all(crate::storage::catalog::starter(id).as_bytes())?;
    println!(
        "wrote {}: edit it, check it with `pathway validate {}`, open it with `pathway --roadmap {id}`",
        crate::core::text::shown(&path),
        crate::core::text::shown(&path)
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) fn where_(
    out: &mut impl Write,
    in_use: &super::InUse,
    roadmap: &Roadmap,
    store: &Store,
) -> Result<()> {
    let source = match &in_use.file {
        Some(p) => crate::core::text::shown(p),
        None => "built in".to_string(),
    };
    writeln!(
        out,
        "roadmap:  {source} (id {}, {}, {}), {}",
        roadmap.id,
        crate::core::text::count(roadmap.steps.len(), "step"),
        crate::core::text::count(roadmap.task_count(), "task"),
        in_use.how()
    )?;
    let exists = if store.path().exists() {
        ""
    } else {
        " (not created yet)"
    };
    writeln!(
        out,
        "progress: {}{exists}",
        crate::core::text::shown(store.path())
    )?;
    Ok(())
}
