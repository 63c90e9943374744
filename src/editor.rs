//! Writing a note in the learner's own editor: `$VISUAL`, else `$EDITOR`, else `vi`.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// Opens `text` in the editor and returns what the learner saved. The caller has handed the
/// terminal over (left raw mode and the alternate screen) before calling this.
pub fn edit(text: &str, program: &str, args: &[String]) -> Result<String> {
    let path = temp_path();
    fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    let result = run(&path, program, args);
    let _ = fs::remove_file(&path);
    result
}

fn run(path: &Path, program: &str, args: &[String]) -> Result<String> {
    let status = Command::new(program)
        .args(args)
        .arg(path)
        .status()
        .with_context(|| format!("cannot start editor {program:?}"))?;
    if !status.success() {
        bail!("editor {program:?} exited with {status}; the note was not changed");
    }
    fs::read_to_string(path).with_context(|| format!("cannot read back {}", path.display()))
}

fn temp_path() -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // `.md` so editors highlight the note as Markdown.
    std::env::temp_dir().join(format!("pathway-note-{}-{n}.md", std::process::id()))
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
