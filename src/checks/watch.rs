//! Waiting for a project folder to change, for `pathway check ID --watch`: file events from the
//! system (inotify on Linux), with the folders a build or a package manager churns left out, and
//! a short quiet spell so one save that touches three files runs the check once.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::{RecursiveMode, Watcher};

/// Folders whose changes never mean the learner changed their work.
const IGNORED: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    ".venv",
    "venv",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".terraform",
    ".idea",
    ".gradle",
];

/// How long the folder must be quiet after a change before the check runs again.
const QUIET: Duration = Duration::from_millis(300);
/// The longest a change waits for the folder to be quiet before the check runs anyway.
const SETTLE_AT_MOST: Duration = Duration::from_secs(2);
/// How often a wait looks at the cancel flag.
const SLICE: Duration = Duration::from_millis(100);

pub struct Changes {
    root: PathBuf,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    _watcher: notify::RecommendedWatcher,
}

impl Changes {
    /// Starts watching `root` and everything under it.
    pub fn new(root: &Path) -> Result<Changes> {
        let (send, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(move |event| {
            let _ = send.send(event);
        })
        .context("cannot watch for file changes")?;
        watcher
            .watch(root, RecursiveMode::Recursive)
            .with_context(|| format!("cannot watch {}", crate::core::text::shown(root)))?;
        Ok(Changes {
            root: root.to_path_buf(),
            events,
            _watcher: watcher,
        })
    }

    /// Waits until a file that matters changed and the folder has been quiet for a moment.
    /// Returns `false` when `cancel` was set first.
    pub fn wait(&self, cancel: &AtomicBool) -> bool {
        // What happened before this wait (the check's own reads, say) does not count.
        while self.events.try_recv().is_ok() {}
        loop {
            if cancel.load(Ordering::Relaxed) {
                return false;
            }
            match self.events.recv_timeout(SLICE) {
                Ok(Ok(event)) if self.matters(&event) => break,
                Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return false,
            }
        }
        // Let a burst of changes settle: quiet for a moment after the last change that
        // matters, but never longer than a bound after the first, so a log written every
        // 100 ms (in a watched folder, or in an ignored one, which never counts) cannot hold the
        // check back for ever.
        let started = Instant::now();
        let mut quiet_from = started;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return false;
            }
            let until = (quiet_from + QUIET).min(started + SETTLE_AT_MOST);
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            match self.events.recv_timeout(left.min(SLICE)) {
                Ok(Ok(event)) if self.matters(&event) => quiet_from = Instant::now(),
                Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return true,
            }
        }
    }

    fn matters(&self, event: &notify::Event) -> bool {
        if event.kind.is_access() {
            return false;
        }
        event.paths.iter().any(|path| !ignored(&self.root, path))
    }
}

/// What in `.git` does count: where the branches point. A commit, a branch switch, a merge or a
/// reset moves one of these, and most step-1 and step-4 checks read Git, not files.
const GIT_REFS: &[&str] = &["HEAD", "refs", "packed-refs", "MERGE_HEAD", "ORIG_HEAD"];

/// Whether a path lies in a folder whose changes do not count.
pub fn ignored(root: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    if parts.next().as_deref() == Some(".git") {
        let what = parts.next();
        // A ref is written to NAME.lock, then renamed over NAME: the rename is the change.
        let lock = relative.extension().is_some_and(|e| e == "lock");
        return lock || !what.is_some_and(|w| GIT_REFS.contains(&w.as_ref()));
    }
    relative.components().any(|c| {
        let name = c.as_os_str().to_string_lossy();
        IGNORED.iter().any(|i| *i == name)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_and_package_folders_are_ignored() {
        let root = Path::new("/p");
        assert!(ignored(root, Path::new("/p/.git/index")));
        assert!(ignored(root, Path::new("/p/.git/objects/ab/cdef")));
        assert!(ignored(root, Path::new("/p/.git/refs/heads/main.lock")));
        assert!(!ignored(root, Path::new("/p/.git/refs/heads/main")));
        assert!(!ignored(root, Path::new("/p/.git/HEAD")));
        assert!(ignored(root, Path::new("/p/web/node_modules/x/y.js")));
        assert!(!ignored(root, Path::new("/p/src/main.py")));
        assert!(!ignored(root, Path::new("/p/targets.md")));
    }

    /// Waits in a thread of its own while `write` runs every 100 ms until the wait ends: the
    /// wait must end (a bound that only stops a hang) and say a change came.
    fn wait_while_writing(write: impl Fn(&Path, u32) + Send + 'static) -> bool {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("target")).expect("mkdir");
        let changes = Changes::new(dir.path()).expect("watch");
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let stop = std::sync::Arc::clone(&done);
        let root = dir.path().to_path_buf();
        let writer = std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) && n < 600 {
                write(&root, n);
                n += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        let (send, ended) = mpsc::channel();
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let cancelled = std::sync::Arc::clone(&cancel);
        std::thread::spawn(move || {
            let _ = send.send(changes.wait(&cancelled));
        });
        let result = ended.recv_timeout(Duration::from_secs(30));
        cancel.store(true, Ordering::Relaxed);
        done.store(true, Ordering::Relaxed);
        writer.join().expect("writer");
        result.expect("the wait never ended while a file kept changing")
    }

    #[test]
    fn a_log_written_all_the_time_in_an_ignored_folder_does_not_hold_a_change_back() {
        assert!(wait_while_writing(|root, n| {
            std::fs::write(root.join("target/build.log"), n.to_string()).expect("log");
            if n == 3 {
                std::fs::write(root.join("app.py"), "print('hi')\n").expect("write");
            }
        }));
    }

    #[test]
    fn a_log_written_all_the_time_in_a_watched_folder_runs_the_check_within_a_bound() {
        assert!(wait_while_writing(|root, n| {
            std::fs::write(root.join("build.log"), n.to_string()).expect("log");
        }));
    }

    #[test]
    fn a_file_created_after_the_wait_began_ends_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let changes = Changes::new(dir.path()).expect("watch");
        let cancel = AtomicBool::new(false);
        let path = dir.path().join("app.py");
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            std::fs::write(path, "print('hi')\n").expect("write");
        });
        assert!(changes.wait(&cancel));
        writer.join().expect("writer");
    }

    #[test]
    fn a_commit_ends_the_wait_though_git_objects_are_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let git = |args: &[&str]| {
            let ok = std::process::Command::new("git")
                .args(["-c", "user.name=L", "-c", "user.email=l@example.com"])
                .args(args)
                .current_dir(dir.path())
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .status()
                .expect("git")
                .success();
            assert!(ok, "git {args:?}");
        };
        git(&["init", "-q", "-b", "main"]);
        git(&["commit", "-q", "--allow-empty", "-m", "one"]);
        let changes = Changes::new(dir.path()).expect("watch");
        // Without the refs watched the wait would never end: a deadline makes that a failure.
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let deadline = std::sync::Arc::clone(&cancel);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(10));
            deadline.store(true, Ordering::Relaxed);
        });
        let root = dir.path().to_path_buf();
        let committer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            let ok = std::process::Command::new("git")
                .args(["-c", "user.name=L", "-c", "user.email=l@example.com"])
                .args(["commit", "-q", "--allow-empty", "-m", "two"])
                .current_dir(root)
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .status()
                .expect("git")
                .success();
            assert!(ok);
        });
        assert!(changes.wait(&cancel), "the commit was not seen");
        committer.join().expect("committer");
    }
}
