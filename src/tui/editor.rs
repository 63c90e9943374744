//! Writing a note in the learner's own editor: `$VISUAL`, else `$EDITOR`, else `vi`.

use std::ffi::OsString;
use std::fs;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};

use anyhow::{Context, Result, anyhow, bail};

/// The program and its arguments. The variable is split like a shell would split words (so
/// `code --wait` works) but no shell runs it: nothing in it is expanded or executed.
pub fn editor_command(
    visual: Option<OsString>,
    editor: Option<OsString>,
) -> Result<(String, Vec<String>)> {
    let (name, value) = match (visual, editor) {
        (Some(v), _) if !v.is_empty() => ("VISUAL", v),
        (_, Some(e)) if !e.is_empty() => ("EDITOR", e),
        _ => ("default", OsString::from("vi")),
    };
    let value = value
        .into_string()
        .map_err(|_| anyhow!("${name} is not valid UTF-8"))?;
    let mut words =
        shell_words::split(&value).with_context(|| format!("cannot read ${name} {value:?}"))?;
    if words.is_empty() {
        bail!("${name} names no program");
    }
    let program = words.remove(0);
    Ok((program, words))
}

/// The editor running now, if any: its process id, for a termination signal to be passed on.
static RUNNING: AtomicU32 = AtomicU32::new(0);
/// A termination signal passed on to the editor: what it had written is taken in as the note.
static FORWARDED: AtomicI32 = AtomicI32::new(0);

/// Passes a termination signal on to the editor, if one is running, and returns whether it
/// did: pathway then waits for the editor, keeps what it wrote, and ends after it.
pub fn forward_signal(signal: i32) -> bool {
    let pid = RUNNING.load(Ordering::SeqCst);
    if pid == 0 {
        return false;
    }
    FORWARDED.store(signal, Ordering::SeqCst);
    let pid = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw);
    let signal = rustix::process::Signal::from_named_raw(signal);
    match (pid, signal) {
        (Some(pid), Some(signal)) => rustix::process::kill_process(pid, signal).is_ok(),
        _ => false,
    }
}

/// Whether the editor is running now.
pub fn running() -> bool {
    RUNNING.load(Ordering::SeqCst) != 0
}

/// The termination signal passed on to the editor, if any.
pub fn forwarded() -> Option<i32> {
    match FORWARDED.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// Opens `text` in the editor and returns what the learner saved. The caller has handed the
/// terminal over (left raw mode and the alternate screen) before calling this. The file is
/// created afresh with a random name, only for its owner (0600), and removed afterwards.
pub fn edit(text: &str, program: &str, args: &[String]) -> Result<String> {
    let mut file = tempfile::Builder::new()
        .prefix("pathway-note-")
        // `.md` so editors highlight the note as Markdown.
        .suffix(".md")
        .tempfile()
        .context("cannot create a temporary file for the note")?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .with_context(|| format!("cannot write {}", crate::core::text::shown(file.path())))?;
    run(file.path(), program, args)
}

fn run(path: &Path, program: &str, args: &[String]) -> Result<String> {
    let mut child = Command::new(program)
        .args(args)
        .arg(path)
        .spawn()
        .with_context(|| format!("cannot start editor {program:?}"))?;
    RUNNING.store(child.id(), Ordering::SeqCst);
    let status = child.wait();
    RUNNING.store(0, Ordering::SeqCst);
    let status = status.with_context(|| format!("cannot wait for editor {program:?}"))?;
    // Ended by a signal pathway passed on: what was written and saved so far is kept.
    if !status.success() && forwarded().is_none() {
        bail!("editor {program:?} exited with {status}; the note was not changed");
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| {
            f.take(crate::core::ops::MAX_NOTE_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .with_context(|| format!("cannot read back {}", crate::core::text::shown(path)))?;
    Ok(crate::core::ops::note_from_bytes(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(visual: Option<&str>, editor: Option<&str>) -> Result<(String, Vec<String>)> {
        editor_command(visual.map(OsString::from), editor.map(OsString::from))
    }

    #[test]
    fn splits_program_and_arguments_without_a_shell() {
        assert_eq!(
            cmd(None, Some("code --wait")).unwrap(),
            ("code".into(), vec!["--wait".into()])
        );
        let (program, args) = cmd(None, Some("'/opt/My Editor/bin/ed' -n")).unwrap();
        assert_eq!(
            (program.as_str(), args),
            ("/opt/My Editor/bin/ed", vec!["-n".to_string()])
        );
        let (program, args) = cmd(None, Some("vim; rm -rf ~")).unwrap();
        assert_eq!(program, "vim;", "a ; is just part of a word");
        assert_eq!(args, ["rm", "-rf", "~"]);
    }

    #[test]
    fn visual_wins_then_editor_then_vi() {
        assert_eq!(cmd(Some("nano"), Some("vim")).unwrap().0, "nano");
        assert_eq!(cmd(Some(""), Some("vim")).unwrap().0, "vim");
        assert_eq!(cmd(None, None).unwrap().0, "vi");
    }

    #[test]
    fn unbalanced_quotes_are_an_error() {
        assert!(cmd(None, Some("code 'oops")).is_err());
        assert!(cmd(None, Some("   ")).is_err());
    }
}
