//! The progress file on disk: where it lives, reading it, and saving it atomically.
//! All file I/O of progress goes through here.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context, Result, anyhow};

use crate::core::progress::Progress;
use crate::storage::fsio::Limited;
use crate::storage::progress_yaml;
use crate::storage::progress_yaml::{ProgressError, parse};

/// Environment variable that overrides where progress is kept.
pub const PROGRESS_ENV: &str = "PATHWAY_PROGRESS";
/// Environment variable with the seconds a command waits for another pathway's lock.
pub const LOCK_WAIT_ENV: &str = "PATHWAY_LOCK_WAIT";
/// How long a command waits for another pathway's lock when `PATHWAY_LOCK_WAIT` does not say.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);
pub const FILE_NAME: &str = "progress.yaml";

/// Identifies one version of the progress file on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileVersion {
    pub modified: std::time::SystemTime,
    pub len: u64,
}

#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    /// The version of the file that the progress in this process already contains (read or
    /// written last), so a save can skip re-reading a file nobody else has changed.
    basis: Mutex<Option<FileVersion>>,
    /// How long a save waits for another process's lock.
    patience: Duration,
    /// The largest file read, and so written (see `refuse_unreadable`).
    read_limit: u64,
}

impl Store {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Store {
            path: path.into(),
            basis: Mutex::new(None),
            patience: LOCK_WAIT,
            read_limit: MAX_PROGRESS_BYTES,
        }
    }

    fn basis(&self) -> Option<FileVersion> {
        *self.basis.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_basis(&self, version: Option<FileVersion>) {
        *self.basis.lock().unwrap_or_else(|e| e.into_inner()) = version;
    }

    /// `--progress FILE`, else `$PATHWAY_PROGRESS`, else the user's config directory
    /// (`$XDG_CONFIG_HOME/pathway/progress.yaml` on Linux); waiting for another pathway's lock
    /// as long as `$PATHWAY_LOCK_WAIT` says (seconds), else 10 s.
    pub fn locate(flag: Option<&Path>) -> Result<Store> {
        let config_dir = directories::ProjectDirs::from("", "", "pathway")
            .map(|dirs| dirs.config_dir().to_path_buf());
        let patience = lock_wait(std::env::var_os(LOCK_WAIT_ENV))?;
        resolve_path(flag, std::env::var_os(PROGRESS_ENV), config_dir)
            .map(|path| Store::new(path).with_lock_patience(patience))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the progress file; a missing file is a fresh start. A file that cannot be used is an
    /// error naming it, and nothing here ever writes over it.
    pub fn load(&self) -> Result<Progress, ProgressError> {
        let file = crate::core::text::shown(&self.path);
        let (text, version) = match read_versioned(&self.path, self.read_limit) {
            Ok(read) => read,
            Err(Limited::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Progress::default());
            }
            Err(Limited::Io(source)) => return Err(ProgressError::Io { file, source }),
            Err(Limited::NotAFile) => return Err(ProgressError::NotAFile { file }),
            Err(Limited::TooLarge) => {
                return Err(ProgressError::TooLarge {
                    file,
                    limit: self.read_limit,
                });
            }
        };
        let progress = parse(&text, &file)?;
        self.set_basis(Some(version));
        Ok(progress)
    }

    /// When the file last changed, to notice another process's save.
    pub fn modified(&self) -> Option<SystemTime> {
        fs::metadata(&self.path).and_then(|m| m.modified()).ok()
    }

    /// Saves `progress`, merged first with whatever another process (a second TUI, a
    /// `pathway done`) saved since it was read; returns whether anything of theirs came in.
    ///
    /// Under an exclusive lock on a lock file beside the progress file, the file on disk is read
    /// (unless it is the very version `progress` was read from or last saved as), merged item by
    /// item (the later change wins), and replaced atomically: a temporary file in the same
    /// directory is written, flushed to disk and renamed over the old one, so a crash or a full
    /// disk leaves either the old file or the new one, never a torn one. A file on disk that
    /// cannot be read is an error and is left as it is.
    pub fn save(&self, progress: &mut Progress) -> Result<bool> {
        self.save_within(progress, self.patience)
    }

    /// As `save`, waiting at most `patience` for another process's lock.
    pub fn save_within(&self, progress: &mut Progress, patience: Duration) -> Result<bool> {
        let _lock = self.lock(patience)?;
        let real = self.real_path();
        let on_disk = fs::metadata(&real).ok().map(|m| version_of(&m));
        let mut merged = false;
        if on_disk.is_some() && on_disk != self.basis() {
            merged = progress.merge_from(&self.load()?);
        }
        self.write(progress)?;
        self.set_basis(fs::metadata(&real).ok().map(|m| version_of(&m)));
        Ok(merged)
    }

    /// Applies a change to the progress as it is on disk now, under the lock: what another
    /// process saved is merged in first, so a change computed from the latest state (a review,
    /// which builds on the card's last one) counts even when several processes make it at once.
    /// The change says whether it changed anything (`(changed, answer)`); the file is written
    /// only then.
    pub fn apply<T>(
        &self,
        progress: &mut Progress,
        change: impl FnOnce(&mut Progress) -> Result<(bool, T)>,
    ) -> Result<T> {
        let _lock = self.lock(self.patience)?;
        let real = self.real_path();
        let on_disk = fs::metadata(&real).ok().map(|m| version_of(&m));
        if on_disk.is_some() && on_disk != self.basis() {
            progress.merge_from(&self.load()?);
        }
        let (changed, answer) = change(progress)?;
        if changed {
            self.write(progress)?;
            self.set_basis(fs::metadata(&real).ok().map(|m| version_of(&m)));
        }
        Ok(answer)
    }

    /// Resets one roadmap's progress in the file as it is now, under the lock, keeping every
    /// other roadmap's; the file is first copied to a backup. Returns the backup and how many
    /// items were cleared, or `None` (and writes nothing) when there is nothing to reset.
    pub fn reset_roadmap(
        &self,
        id: &str,
        now: jiff::Timestamp,
    ) -> Result<Option<(PathBuf, usize)>> {
        let _lock = self.lock(self.patience)?;
        let mut disk = self.load()?;
        let count = disk.roadmap(id).map_or(0, |rp| rp.items.len());
        if count == 0 {
            return Ok(None);
        }
        let backup = self.backup()?;
        disk.roadmap_mut(id).reset(now);
        self.write(&disk)?;
        self.set_basis(None);
        Ok(Some((backup, count)))
    }

    /// Starts a new, empty progress file in place of one that cannot be used, keeping the old
    /// one as a backup. Locked and atomic like `save`.
    pub fn reset_file(&self) -> Result<PathBuf> {
        let _lock = self.lock(self.patience)?;
        let backup = self.backup()?;
        self.write(&Progress::default())?;
        self.set_basis(None);
        Ok(backup)
    }

    /// How long a save waits for another process's lock before it gives up (zero: it tries once,
    /// as the TUI does, so it never stops answering keys).
    pub fn with_lock_patience(mut self, patience: Duration) -> Store {
        self.patience = patience;
        self
    }

    /// The largest file this store reads, and so writes: `MAX_PROGRESS_BYTES` unless a test
    /// gives a small one, to prove the limits without writing 64 MiB.
    pub fn with_read_limit(mut self, bytes: u64) -> Store {
        self.read_limit = bytes;
        self
    }

    /// The file the progress really is in: where a symlink points (dotfiles kept in a
    /// repository and linked into the config directory), else the path itself.
    pub fn real_path(&self) -> PathBuf {
        let mut path = self.path.clone();
        // A chain of links, each relative to the folder it sits in; bounded against loops.
        for _ in 0..40 {
            match fs::read_link(&path) {
                Ok(target) => {
                    path = match path.parent() {
                        Some(dir) if target.is_relative() => dir.join(target),
                        _ => target,
                    };
                }
                Err(_) => break,
            }
        }
        path
    }

    /// The folder of the real file, where its lock, temporary file and backups go.
    fn dir(&self) -> PathBuf {
        match self.real_path().parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    fn sibling(&self, suffix: &str, hidden: bool) -> PathBuf {
        let real = self.real_path();
        let name = real
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| FILE_NAME.to_string());
        let dot = if hidden { "." } else { "" };
        self.dir().join(format!("{dot}{name}{suffix}"))
    }

    /// The lock file beside the progress file.
    pub fn lock_path(&self) -> PathBuf {
        self.sibling(".lock", false)
    }

    /// An exclusive lock on `<file>.lock`, released when the returned file is dropped (also when
    /// the process dies, as the operating system drops it then). Waiting more than a second
    /// says so on standard error; waiting longer than the store's patience gives up with an
    /// error naming the lock file.
    fn lock(&self, patience: Duration) -> Result<File> {
        let dir = self.dir();
        fs::create_dir_all(&dir).with_context(|| {
            format!("cannot create directory {}", crate::core::text::shown(&dir))
        })?;
        lock_at(&self.lock_path(), patience)
    }

    /// Copies the progress file, as it is, to `<file>.<time>.bak` beside it (`-2`, `-3`… when
    /// that name is taken: a backup never overwrites another). Readable by its owner only. A
    /// backup that cannot be written whole is removed, and the error stops what needed it.
    fn backup(&self) -> Result<PathBuf> {
        let real = self.real_path();
        let bytes = crate::storage::fsio::open_regular_file(&real)
            .and_then(|file| crate::storage::fsio::read_open_bytes(file, self.read_limit))
            .map_err(|e| {
                anyhow!(
                    "cannot read {} to back it up: {e}",
                    crate::core::text::shown(&real)
                )
            })?;
        let t = jiff::tz::Offset::UTC.to_datetime(jiff::Timestamp::now());
        let stamp = format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        );
        for n in 1..1000 {
            let suffix = if n == 1 {
                format!(".{stamp}.bak")
            } else {
                format!(".{stamp}-{n}.bak")
            };
            let path = self.sibling(&suffix, false);
            let mut file = match OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
            {
                Ok(file) => file,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| {
                        format!("cannot back up to {}", crate::core::text::shown(&path))
                    });
                }
            };
            let written = file.write_all(&bytes).and_then(|()| file.sync_all());
            if let Err(e) = written {
                let _ = fs::remove_file(&path);
                return Err(e).with_context(|| {
                    format!("cannot back up to {}", crate::core::text::shown(&path))
                });
            }
            return Ok(path);
        }
        anyhow::bail!(
            "cannot back up {}: too many backups this second",
            crate::core::text::shown(&real)
        )
    }

    /// Writes `progress` through a temporary file renamed over the real file. A new file is
    /// readable by its owner only, like a shell history; an existing one keeps its mode. The
    /// temporary file has one fixed name (saves hold the lock, so none overlap): a save killed
    /// halfway leaves it, and the next save replaces it.
    fn write(&self, progress: &Progress) -> Result<()> {
        let text = progress_yaml::write(progress);
        let real = self.real_path();
        refuse_unreadable(&text, &real, self.read_limit)?;
        let dir = self.dir();
        let tmp = self.sibling(".tmp", true);
        let mode = fs::metadata(&real)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o600);
        let written = crate::storage::fsio::write_synced(&tmp, text.as_bytes(), mode)
            .and_then(|()| fs::rename(&tmp, &real).map_err(Into::into));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e).with_context(|| {
                format!(
                    "cannot save progress to {}",
                    crate::core::text::shown(&real)
                )
            });
        }
        // The rename is durable only once the directory entry is on disk too.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        self.remove_stale_temporaries();
        Ok(())
    }

    /// Earlier pathways named their temporary files `.<file>.<pid>.<n>.tmp`; a save killed
    /// halfway left one behind. Any still there go.
    fn remove_stale_temporaries(&self) {
        let Some(name) = self
            .real_path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
        else {
            return;
        };
        let prefix = format!(".{name}.");
        let Ok(entries) = fs::read_dir(self.dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            let middle = file
                .strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".tmp"));
            if middle
                .is_some_and(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_digit() || c == '.'))
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Another process holds the lock and did not let go in time.
#[derive(Debug, thiserror::Error)]
#[error(
    "another pathway is saving: {} stayed locked for {} s; try again, or end the other pathway",
    crate::core::text::shown(lock),
    waited.as_secs()
)]
pub struct Locked {
    pub lock: PathBuf,
    pub waited: Duration,
}

/// An exclusive lock on the file `path` (created if missing, mode 0600), released when the
/// returned file is dropped, also when the process dies. Waiting more than a second says so on
/// standard error; waiting longer than `patience` gives up with a [`Locked`] naming the file.
pub fn lock_at(path: &Path, patience: Duration) -> Result<File> {
    let path = path.to_path_buf();
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .mode(0o600)
        .open(&path)
        .with_context(|| format!("cannot open lock file {}", crate::core::text::shown(&path)))?;
    let start = Instant::now();
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e)
                    .with_context(|| format!("cannot lock {}", crate::core::text::shown(&path)));
            }
        }
        let waited = start.elapsed();
        if waited >= patience {
            return Err(anyhow::Error::new(Locked {
                lock: path.clone(),
                waited,
            }));
        }
        // The TUI tries without waiting and says so in its footer; a command says it here.
        if waited >= Duration::from_secs(1) && !said {
            eprintln!(
                "pathway: waiting for another pathway to finish saving ({})…",
                crate::core::text::shown(&path)
            );
            said = true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The rule behind `Store::locate`, apart from the process environment so it can be tested.
pub fn resolve_path(
    flag: Option<&Path>,
    env_value: Option<OsString>,
    config_dir: Option<PathBuf>,
) -> Result<PathBuf> {
    if let Some(path) = flag {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = env_value.filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dir = config_dir.ok_or_else(|| {
        anyhow!("cannot find a config directory for the progress file; set {PROGRESS_ENV} or pass --progress FILE")
    })?;
    Ok(dir.join(FILE_NAME))
}

/// The largest progress file read: a hundred thousand tasks with notes take a few tens of MiB.
pub const MAX_PROGRESS_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file and the version it was read at, from one open handle: a rename that replaces
/// the file between the two cannot pair new content with an old version. Only a regular file is
/// opened (without blocking: a FIFO put there cannot hang it), and no more than the bound is read.
fn read_versioned(path: &Path, limit: u64) -> Result<(String, FileVersion), Limited> {
    let file = crate::storage::fsio::open_regular_file(path)?;
    let version = version_of(&file.metadata().map_err(Limited::Io)?);
    Ok((crate::storage::fsio::read_open(file, limit)?, version))
}

/// The wait for another pathway's lock that `$PATHWAY_LOCK_WAIT` asks for: seconds, whole or
/// not, at most an hour; unset or empty, the default.
fn lock_wait(value: Option<std::ffi::OsString>) -> Result<Duration> {
    let Some(value) = value.filter(|v| !v.is_empty()) else {
        return Ok(LOCK_WAIT);
    };
    value
        .to_str()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| (0.0..=3600.0).contains(s))
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            anyhow!(
                "{LOCK_WAIT_ENV}={}: give the seconds to wait for another pathway's lock, \
                 from 0 to 3600 (as 2 or 0.5)",
                crate::core::text::clean(&value.to_string_lossy())
            )
        })
}

fn version_of(meta: &fs::Metadata) -> FileVersion {
    FileVersion {
        modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
        len: meta.len(),
    }
}

/// pathway never writes a progress file it would refuse to read: a result past the read limit
/// (`MAX_PROGRESS_BYTES` but in tests) is an error, and the file on disk stays as it was.
pub fn refuse_unreadable(text: &str, path: &Path, limit: u64) -> Result<()> {
    if text.len() as u64 > limit {
        anyhow::bail!(
            "not saved: the progress for {} would be {} MiB, over the {} MiB pathway reads; \
             the file was left as it was",
            crate::core::text::shown(path),
            text.len() / (1024 * 1024),
            limit / (1024 * 1024)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_wait_is_read_in_seconds_and_a_bad_one_is_refused() {
        let wait = |v: Option<&str>| lock_wait(v.map(Into::into)).map_err(|e| e.to_string());
        assert_eq!(wait(None), Ok(LOCK_WAIT));
        assert_eq!(wait(Some("")), Ok(LOCK_WAIT));
        assert_eq!(wait(Some("0.25")), Ok(Duration::from_millis(250)));
        assert_eq!(wait(Some("2")), Ok(Duration::from_secs(2)));
        assert_eq!(wait(Some("0")), Ok(Duration::ZERO));
        for bad in ["-1", "soon", "NaN", "inf", "3601", "1e9"] {
            let err = wait(Some(bad)).expect_err(bad);
            assert!(
                err.starts_with(&format!("PATHWAY_LOCK_WAIT={bad}: ")),
                "{err}"
            );
        }
    }
}
