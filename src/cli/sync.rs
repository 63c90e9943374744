//! `pathway sync init`: the Git repository that syncs the progress file between machines, set
//! up so that a merge never leaves conflict markers in it (see docs/sync.md).
//!
//! Git is run as a program rather than through a library: the learner's own Git, with their
//! configuration, is what will run the merges, and it is the one that must agree.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

use super::context::Home;
use crate::core::text::shown;

/// The largest `.gitattributes` or `.gitignore` read: far more than any real one.
const MAX_LIST_BYTES: u64 = 1024 * 1024;
/// The merge driver's name, in `.gitattributes` and in the Git configuration.
const DRIVER: &str = "pathway";
const DRIVER_NAME: &str = "pathway: progress files merged part by part";

/// Sets up `dir` (the progress file's real folder by default) to sync the progress through Git.
/// Idempotent: run again, it changes nothing and says so.
pub(super) fn init(out: &mut impl Write, home: &Home, dir: Option<&Path>) -> Result<()> {
    let progress = crate::storage::fsio::resolved(&home.store.real_path());
    let dir = match dir {
        Some(dir) => dir.to_path_buf(),
        None => progress
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the folder {}", shown(&dir)))?;
    let dir = std::fs::canonicalize(&dir)
        .with_context(|| format!("cannot open the folder {}", shown(&dir)))?;
    match repository_of(&dir)? {
        Some(top) if top == dir => {
            writeln!(out, "Git repository: {} (already there)", shown(&top))?
        }
        Some(top) => writeln!(
            out,
            "Git repository: {} (already there; {} is inside it)",
            shown(&top),
            shown(&dir)
        )?,
        None => {
            git(&dir, &["init", "--quiet"])?;
            writeln!(out, "Git repository: {} (created)", shown(&dir))?;
        }
    }
    // The progress file and its lock, as seen from `dir`: where both `.gitattributes` and
    // `.gitignore` are kept, beside the progress file they are about.
    let (file, inside) = relative_name(&progress, &dir);
    let lock = crate::storage::fsio::resolved(&home.store.lock_path());
    let (lock, _) = relative_name(&lock, &dir);
    let file_pattern = pattern(&file)?;
    let attributes = format!("{file_pattern} merge={DRIVER}");
    update_list(out, &dir.join(".gitattributes"), &attributes, |line| {
        has_driver(line, &file_pattern)
    })?;
    let ignored = pattern(&lock)?;
    update_list(out, &dir.join(".gitignore"), &ignored, |line| {
        let line = line.trim();
        line == ignored || line.strip_prefix('/') == Some(&ignored)
    })?;
    let program = driver_program()?;
    set_config(
        out,
        &dir,
        &format!("merge.{DRIVER}.driver"),
        &format!("{} merge-file %O %A %B", shell_quoted(&program)),
    )?;
    set_config(out, &dir, &format!("merge.{DRIVER}.name"), DRIVER_NAME)?;
    if !inside {
        writeln!(
            out,
            "Note: the progress file in use, {}, is not in {}: Git syncs only what the \
             repository holds (move it there, and point --progress, PATHWAY_PROGRESS or a \
             symlink at it).",
            shown(&progress),
            shown(&dir)
        )?;
    }
    writeln!(
        out,
        "Git's configuration is per clone: run `pathway sync init` on every machine after \
         cloning, or its merges fall back to Git's own and leave conflict markers."
    )?;
    writeln!(
        out,
        "To share it: git -C {} add .gitattributes .gitignore {} && git -C {} commit",
        shell_quoted(&dir.to_string_lossy()),
        shell_quoted(&file),
        shell_quoted(&dir.to_string_lossy()),
    )?;
    Ok(())
}

/// The top of the work tree `dir` is in, or `None` if it is in none.
fn repository_of(dir: &Path) -> Result<Option<PathBuf>> {
    let output = run_git(dir, &["rev-parse", "--show-toplevel"])?;
    if output.status.success() {
        let top = String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_string();
        return Ok(Some(
            std::fs::canonicalize(&top).unwrap_or_else(|_| top.into()),
        ));
    }
    let said = String::from_utf8_lossy(&output.stderr);
    if said.contains("not a git repository") {
        return Ok(None);
    }
    // Inside a `.git` folder, or a repository Git refuses (`safe.directory`): Git says why.
    bail!(
        "git cannot use {}: {}",
        shown(dir),
        crate::core::text::one_line(said.trim())
    )
}

fn run_git(dir: &Path, args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                anyhow!("git was not found: install Git, then run `pathway sync init` again")
            }
            _ => anyhow!("cannot run git: {e}"),
        })
}

/// Runs git in `dir`; its output, or an error with what it said.
fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let output = run_git(dir, args)?;
    if !output.status.success() {
        bail!(
            "git {} failed in {}: {}",
            args.join(" "),
            shown(dir),
            crate::core::text::one_line(String::from_utf8_lossy(&output.stderr).trim())
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Sets one key of this clone's Git configuration, unless it already has that value.
fn set_config(out: &mut impl Write, dir: &Path, key: &str, value: &str) -> Result<()> {
    // `--get` exits 1 when the key is not set: that is no error here.
    let current = run_git(dir, &["config", "--local", "--get", key])?;
    let current = current.status.success().then(|| {
        String::from_utf8_lossy(&current.stdout)
            .trim_end()
            .to_string()
    });
    match current {
        Some(current) if current == value => {
            writeln!(out, "git config {key}: already `{value}`")?;
        }
        was => {
            git(dir, &["config", "--local", key, value])?;
            match was {
                Some(was) => writeln!(out, "git config {key}: `{value}` (was `{was}`)")?,
                None => writeln!(out, "git config {key}: `{value}`")?,
            }
        }
    }
    Ok(())
}

/// Adds `line` to the list file at `path` (`.gitattributes`, `.gitignore`) unless a line there
/// already does its work; everything else in the file stays as it was.
fn update_list(
    out: &mut impl Write,
    path: &Path,
    line: &str,
    present: impl Fn(&str) -> bool,
) -> Result<()> {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let text = match crate::storage::fsio::read_regular(path, MAX_LIST_BYTES) {
        Ok(text) => text,
        Err(crate::storage::fsio::Limited::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            String::new()
        }
        Err(e) => bail!("cannot read {}: {e}", shown(path)),
    };
    match with_line(&text, line, present) {
        None => writeln!(out, "{name}: already has `{line}`")?,
        Some(updated) => {
            crate::storage::fsio::write_atomic(path, updated.as_bytes())
                .with_context(|| format!("cannot write {}", shown(path)))?;
            writeln!(out, "{name}: added `{line}`")?;
        }
    }
    Ok(())
}

/// `text` with `line` added at the end, or `None` if a line of it is already `present`.
fn with_line(text: &str, line: &str, present: impl Fn(&str) -> bool) -> Option<String> {
    if text.lines().any(present) {
        return None;
    }
    let mut updated = text.to_string();
    if !updated.is_empty() && !updated.ends_with('\n') {
        updated.push('\n');
    }
    updated.push_str(line);
    updated.push('\n');
    Some(updated)
}

/// Whether a `.gitattributes` line gives `pattern` pathway's merge driver.
fn has_driver(line: &str, pattern: &str) -> bool {
    let mut fields = line.split_whitespace();
    fields.next() == Some(pattern) && fields.any(|f| f == format!("merge={DRIVER}"))
}

/// `path` relative to `dir` with `/` between its parts, and whether it is inside `dir` at all
/// (if not, its file name: what a copy of it in `dir` would be called).
fn relative_name(path: &Path, dir: &Path) -> (String, bool) {
    match path.strip_prefix(dir) {
        Ok(rel) if !rel.as_os_str().is_empty() => (
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/"),
            true,
        ),
        _ => (
            path.file_name().map_or_else(
                || "progress.yaml".to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            false,
        ),
    }
}

/// A name as a pattern of `.gitattributes` and `.gitignore`: the characters those files read
/// as glob or syntax put in brackets, so the pattern matches that one name. A name Git's
/// patterns cannot hold (a line break, a quote) is refused.
fn pattern(name: &str) -> Result<String> {
    if name
        .chars()
        .any(|c| c.is_control() || c == '"' || c == '\\')
    {
        bail!(
            "the name {} cannot be written in .gitattributes: rename the progress file",
            crate::core::text::one_line(name)
        );
    }
    let mut out = String::with_capacity(name.len());
    for (i, c) in name.chars().enumerate() {
        match c {
            ' ' | '*' | '?' | '[' => out.push_str(&format!("[{c}]")),
            '#' | '!' if i == 0 => out.push_str(&format!("[{c}]")),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// The program Git's merge driver runs: `pathway` when that name on `PATH` is this very
/// program, so that the setting keeps working when pathway is upgraded or reinstalled in
/// place; otherwise this program's full path, as `PATH` would find none or another one (Git
/// run from an editor or a GUI often has a shorter `PATH` than the shell, and an older
/// pathway there may not know the layout this one writes).
fn driver_program() -> Result<String> {
    let this = std::env::current_exe().context("cannot tell where this pathway program is")?;
    let this = std::fs::canonicalize(&this).unwrap_or(this);
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("pathway"))
            .find(|candidate| candidate.is_file())
    });
    if on_path.and_then(|p| std::fs::canonicalize(p).ok()) == Some(this.clone()) {
        return Ok("pathway".to_string());
    }
    this.to_str().map(str::to_string).ok_or_else(|| {
        anyhow!(
            "this pathway program's path, {}, is not UTF-8: Git's configuration cannot name it",
            shown(&this)
        )
    })
}

/// `text` as one word of a POSIX shell command (Git runs the driver through `sh`).
fn shell_quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%=,".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_added_once_keeping_what_the_file_holds() {
        let present = |l: &str| has_driver(l, "progress.yaml");
        let line = "progress.yaml merge=pathway";
        assert_eq!(
            with_line("", line, present).as_deref(),
            Some("progress.yaml merge=pathway\n")
        );
        let theirs = "*.md text\n# mine\nnotes.txt -diff";
        let once = with_line(theirs, line, present).expect("added");
        assert_eq!(
            once,
            format!("{theirs}\n{line}\n"),
            "kept, and a line break added"
        );
        assert_eq!(with_line(&once, line, present), None, "never twice");
        assert_eq!(
            with_line("progress.yaml -diff merge=pathway\n", line, present),
            None,
            "a line that already does it, among other attributes"
        );
        assert!(with_line("progress.yaml merge=union\n", line, present).is_some());
        assert!(with_line("other.yaml merge=pathway\n", line, present).is_some());
    }

    #[test]
    fn names_become_patterns_that_match_only_them() {
        assert_eq!(
            pattern("progress.yaml").ok().as_deref(),
            Some("progress.yaml")
        );
        assert_eq!(
            pattern("my progress*.yaml").ok().as_deref(),
            Some("my[ ]progress[*].yaml")
        );
        assert_eq!(pattern("#p.yaml").ok().as_deref(), Some("[#]p.yaml"));
        assert_eq!(pattern("sub/p.yaml").ok().as_deref(), Some("sub/p.yaml"));
        assert!(pattern("a\nb").is_err());
    }

    #[test]
    fn paths_are_named_from_the_folder_they_are_in() {
        let dir = Path::new("/home/me/sync");
        assert_eq!(
            relative_name(Path::new("/home/me/sync/progress.yaml"), dir),
            ("progress.yaml".to_string(), true)
        );
        assert_eq!(
            relative_name(Path::new("/home/me/sync/pathway/p.yaml"), dir),
            ("pathway/p.yaml".to_string(), true)
        );
        assert_eq!(
            relative_name(Path::new("/elsewhere/p.yaml"), dir),
            ("p.yaml".to_string(), false)
        );
    }

    #[test]
    fn the_driver_command_survives_the_shell() {
        assert_eq!(shell_quoted("pathway"), "pathway");
        assert_eq!(
            shell_quoted("/opt/my tools/pathway"),
            "'/opt/my tools/pathway'"
        );
        assert_eq!(shell_quoted("/it's/pathway"), r"'/it'\''s/pathway'");
    }
}
