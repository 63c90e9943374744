//! Git in the cohort's clone, for `cohort` and `cohort publish`: a child process with no
//! terminal to prompt on (`GIT_TERMINAL_PROMPT=0`, its own session), its output bounded, a
//! timeout, and every failure said in one line that names the folder.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Result, bail};

/// Git's output kept for a message: its last lines say what went wrong.
const OUTPUT_CAP: usize = 64 * 1024;

/// Long enough for a push over a slow link; a prompt nobody can answer ends sooner, as
/// Git is told not to ask.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The clone of the cohort's repository.
pub(super) struct Repo {
    pub dir: PathBuf,
    shown: String,
}

/// How a Git command ended: whether it succeeded, and its output.
pub(super) struct Outcome {
    pub ok: bool,
    pub output: String,
}

impl Outcome {
    /// Git's message in one line: what it printed, hints left out, lines joined, at most a few
    /// hundred characters, escaped (a remote's message is text from outside).
    pub fn message(&self) -> String {
        let lines: Vec<&str> = self
            .output
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("hint:"))
            .collect();
        let text = if lines.is_empty() {
            "it printed nothing".to_string()
        } else {
            lines.join("; ")
        };
        let text = crate::core::text::one_line(&text).into_owned();
        crate::core::text::fit(&text, 400)
    }
}

impl Repo {
    pub fn new(dir: &Path) -> Repo {
        Repo {
            dir: dir.to_path_buf(),
            shown: crate::core::text::shown(dir),
        }
    }

    /// The folder as messages name it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Runs `git ARGS` in the clone. An error only when Git could not run or ran out of time;
    /// a failure of Git's own is an `Outcome` that is not `ok`.
    pub fn run(&self, args: &[&str]) -> Result<Outcome> {
        let mut cmd = Command::new("git");
        cmd.args(args)
            .current_dir(&self.dir)
            .env("GIT_TERMINAL_PROMPT", "0")
            // A pull that would open an editor for a merge message takes Git's own instead.
            .env("GIT_MERGE_AUTOEDIT", "no")
            .env("GIT_EDITOR", "true");
        let what = format!("git {}", args.first().copied().unwrap_or_default());
        let ran = match crate::checks::run_quiet(cmd, OUTPUT_CAP, TIMEOUT) {
            Ok(ran) => ran,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                bail!(
                    "cannot run git in {}: it is not installed or not on PATH",
                    self.shown
                )
            }
            Err(e) => bail!("cannot run {what} in {}: {e}", self.shown),
        };
        match ran.status {
            None => bail!(
                "{what} in {} took longer than {} s and was stopped",
                self.shown,
                TIMEOUT.as_secs()
            ),
            Some(status) => Ok(Outcome {
                ok: status.success(),
                output: ran.output,
            }),
        }
    }

    /// Runs `git ARGS`, which must succeed: a failure is an error naming the command, the
    /// folder and Git's message.
    pub fn ok(&self, args: &[&str]) -> Result<String> {
        let outcome = self.run(args)?;
        if !outcome.ok {
            bail!(
                "git {} failed in {}: {}",
                args.join(" "),
                self.shown,
                outcome.message()
            );
        }
        Ok(outcome.output)
    }

    /// Whether the folder is a Git work tree (a clone, or a repository of its own).
    pub fn is_repository(&self) -> Result<bool> {
        Ok(self.run(&["rev-parse", "--is-inside-work-tree"])?.ok)
    }

    /// The remote the current branch pulls from and pushes to, if it has one. Read from the
    /// branch's configuration, so a clone of a repository nobody has pushed to yet has it too.
    pub fn upstream(&self) -> Result<Option<String>> {
        let branch = self.run(&["symbolic-ref", "--quiet", "--short", "HEAD"])?;
        if !branch.ok {
            return Ok(None);
        }
        let key = format!("branch.{}.remote", branch.output.trim());
        let remote = self.run(&["config", "--get", &key])?;
        Ok(remote
            .ok
            .then(|| remote.output.trim().to_string())
            .filter(|r| !r.is_empty()))
    }

    /// Brings in what others pushed, with the clone's own commits put on top.
    pub fn pull(&self) -> Result<Outcome> {
        self.run(&["pull", "--rebase", "--autostash", "--quiet"])
    }
}
