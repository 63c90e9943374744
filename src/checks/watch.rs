//! Waiting for a project folder to change, for `pathway check ID --watch`: file events from the
//! system (inotify on Linux), with the folders a build or a package manager churns left out, and
//! a short quiet spell so one save that touches three files runs the check once.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

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
        // Let a burst of changes settle.
        loop {
            if cancel.load(Ordering::Relaxed) {
                return false;
            }
            match self.events.recv_timeout(QUIET) {
                Ok(_) => {}
                Err(mpsc::RecvTimeoutError::Timeout) => return true,
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

/// Whether a path lies in a folder whose changes do not count.
pub fn ignored(root: &Path, path: &Path) -> bool {
    let relative = path.strip_prefix(root).unwrap_or(path);
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
        assert!(ignored(root, Path::new("/p/web/node_modules/x/y.js")));
        assert!(!ignored(root, Path::new("/p/src/main.py")));
        assert!(!ignored(root, Path::new("/p/targets.md")));
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
}
