//! `pathway cohort publish DIR --as NAME`: the learner's snapshot written into the cohort's
//! clone, committed, and pushed when the clone has an upstream.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use jiff::tz::TimeZone;

use super::git::Repo;
use super::usage;
use crate::core::clock::now;
use crate::core::cohort::{self, Snapshot};
use crate::core::progress::Progress;
use crate::core::review::ReviewSettings;
use crate::core::roadmap::Roadmap;

/// What `cohort publish` was asked.
pub(super) struct PublishRequest<'a> {
    pub dir: &'a Path,
    pub name: &'a str,
    pub push: bool,
    pub with_notes: bool,
}

pub(super) fn publish(
    out: &mut impl Write,
    roadmap: &Roadmap,
    progress: &Progress,
    review: &ReviewSettings,
    request: PublishRequest,
) -> Result<()> {
    let PublishRequest {
        dir,
        name,
        push,
        with_notes,
    } = request;
    cohort::valid_name(name).map_err(|e| usage(format!("--as {name:?}: {e}")))?;
    let repo = Repo::new(dir);
    if !dir.is_dir() {
        bail!(
            "{} is not a folder: clone the cohort's repository first (git clone URL {})",
            repo.shown(),
            repo.shown()
        );
    }
    if !repo.is_repository()? {
        bail!(
            "{} is not a Git clone: clone the cohort's repository there (see docs/cohort.md)",
            repo.shown()
        );
    }
    let at = now();
    let tz = TimeZone::system();
    let rp = progress.roadmap_or_empty(&roadmap.id);
    let snapshot = Snapshot::build(name, roadmap, rp, at, &tz, review, with_notes);
    let path = crate::storage::cohort::snapshot_path(dir, name);
    write_snapshot(&path, &snapshot)?;
    let relative = format!("{}/{name}.json", cohort::FOLDER);
    repo.ok(&["add", "--", &relative])?;
    let day = at.to_zoned_datetime(tz).date();
    let message = format!("{name}'s progress on {}, {day}", roadmap.id);
    let staged = repo.run(&["diff", "--cached", "--quiet", "--", &relative])?;
    let committed = !staged.ok;
    if committed {
        repo.ok(&["commit", "--quiet", "-m", &message, "--", &relative])?;
    }
    let done = if committed {
        "committed"
    } else {
        "unchanged since the last publish"
    };
    let pushed = match (push, repo.upstream()?) {
        (false, _) => "not pushed (--no-push)".to_string(),
        (true, None) => "not pushed: the clone has no upstream branch".to_string(),
        (true, Some(remote)) => {
            push_with_retry(&repo)?;
            format!("pushed to {remote}")
        }
    };
    writeln!(
        out,
        "Published {name}'s snapshot of {} to {} in {}: {done}, {pushed}.",
        roadmap.id,
        relative,
        repo.shown()
    )?;
    if with_notes {
        writeln!(out, "It includes your notes (--with-notes).")?;
    }
    Ok(())
}

fn write_snapshot(path: &Path, snapshot: &Snapshot) -> Result<()> {
    let shown = crate::core::text::shown(path);
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create {}", crate::core::text::shown(folder)))?;
    }
    let mut text = serde_json::to_string_pretty(snapshot)?;
    text.push('\n');
    crate::storage::fsio::write_atomic(path, text.as_bytes())
        .with_context(|| format!("cannot write {shown}"))
}

/// Pushes; a push the remote refuses (someone else pushed first) is pulled, with this clone's
/// commit put on top, and pushed once more. Otherwise the error says what to do.
fn push_with_retry(repo: &Repo) -> Result<()> {
    let first = repo.run(&["push", "--quiet"])?;
    if first.ok {
        return Ok(());
    }
    let pulled = repo.pull()?;
    if !pulled.ok {
        // A rebase stopped halfway leaves the clone in the middle of it; put it back.
        let _ = repo.run(&["rebase", "--abort"]);
        bail!(
            "the push from {} was refused ({}), and pulling to retry failed: {}; the snapshot is \
             committed there: pull and push by hand",
            repo.shown(),
            first.message(),
            pulled.message()
        );
    }
    let second = repo.run(&["push", "--quiet"])?;
    if !second.ok {
        bail!(
            "the push from {} was refused twice, the second time after a pull: {}; the snapshot \
             is committed there: run git push in it when the remote accepts it",
            repo.shown(),
            second.message()
        );
    }
    Ok(())
}
