//! The progress file on disk: where it lives, reading it, and saving it atomically.
//! All file I/O of progress goes through here.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use anyhow::{Context, Result, anyhow};
use serde::Deserialize;

use crate::progress::{self, Progress};
use crate::progress_yaml;
use crate::roadmap::{Location, yaml_message};

/// Environment variable that overrides where progress is kept.
pub const PROGRESS_ENV: &str = "PATHWAY_PROGRESS";
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
}

impl Store {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Store {
            path: path.into(),
            basis: Mutex::new(None),
        }
    }

    fn basis(&self) -> Option<FileVersion> {
        *self.basis.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_basis(&self, version: Option<FileVersion>) {
        *self.basis.lock().unwrap_or_else(|e| e.into_inner()) = version;
    }

    /// `--progress FILE`, else `$PATHWAY_PROGRESS`, else the user's config directory
    /// (`$XDG_CONFIG_HOME/pathway/progress.yaml` on Linux).
    pub fn locate(flag: Option<&Path>) -> Result<Store> {
        let config_dir = directories::ProjectDirs::from("", "", "pathway")
            .map(|dirs| dirs.config_dir().to_path_buf());
        resolve_path(flag, std::env::var_os(PROGRESS_ENV), config_dir).map(Store::new)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the progress file; a missing file is a fresh start. A file that cannot be used is an
    /// error naming it, and nothing here ever writes over it.
    pub fn load(&self) -> Result<Progress, ProgressError> {
        let file = self.path.display().to_string();
        let (text, version) = match read_versioned(&self.path) {
            Ok(read) => read,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Progress::default());
            }
            Err(ReadError::Io(source)) => return Err(ProgressError::Io { file, source }),
            Err(ReadError::NotAFile) => return Err(ProgressError::NotAFile { file }),
            Err(ReadError::TooLarge) => return Err(ProgressError::TooLarge { file }),
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
        let dir = self.dir();
        fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let _lock = self.lock()?;
        let on_disk = fs::metadata(&self.path).ok().map(|m| version_of(&m));
        let mut merged = false;
        if on_disk.is_some() && on_disk != self.basis() {
            merged = progress.merge_from(&self.load()?);
        }
        self.write(progress)?;
        self.set_basis(fs::metadata(&self.path).ok().map(|m| version_of(&m)));
        Ok(merged)
    }

    /// Replaces the file with exactly `progress`, with no merge: for `reset`, which means to drop
    /// what is there. Locked and atomic like `save`.
    pub fn replace(&self, progress: &Progress) -> Result<()> {
        let dir = self.dir();
        fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create directory {}", dir.display()))?;
        let _lock = self.lock()?;
        self.write(progress)
    }

    fn dir(&self) -> PathBuf {
        match self.path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    /// An exclusive lock on `<file>.lock`, released when the returned file is dropped (also when
    /// the process dies, as the operating system drops it then).
    fn lock(&self) -> Result<File> {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".lock");
        let path = self.dir().join(name);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open lock file {}", path.display()))?;
        file.lock()
            .with_context(|| format!("cannot lock {}", path.display()))?;
        Ok(file)
    }

    fn write(&self, progress: &Progress) -> Result<()> {
        let text = progress_yaml::write(progress);
        let dir = self.dir();
        let tmp = dir.join(temp_name(&self.path));
        let written = write_synced(&tmp, text.as_bytes())
            .and_then(|()| fs::rename(&tmp, &self.path).map_err(Into::into));
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e)
                .with_context(|| format!("cannot save progress to {}", self.path.display()));
        }
        // The rename is durable only once the directory entry is on disk too.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// A file-size limit (`ulimit -f`) hit while saving sends SIGXFSZ, which by default kills the
/// process mid-save and, in the TUI, leaves the terminal raw. With a handler installed the write
/// fails with an error instead, which the save reports like any other (NOT SAVED in the TUI).
pub fn survive_file_size_limit() {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag);
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

enum ReadError {
    Io(std::io::Error),
    NotAFile,
    TooLarge,
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Reads a file and the version it was read at, from one open handle: a rename that replaces
/// the file between the two cannot pair new content with an old version. Only a regular file is
/// opened (a FIFO would block the open, a device never end), and no more than the bound is read.
fn read_versioned(path: &Path) -> Result<(String, FileVersion), ReadError> {
    if !fs::metadata(path)?.is_file() {
        return Err(ReadError::NotAFile);
    }
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    let version = version_of(&meta);
    let mut bytes = Vec::new();
    file.take(MAX_PROGRESS_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PROGRESS_BYTES {
        return Err(ReadError::TooLarge);
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "the file is not UTF-8 text",
        ))
    })?;
    Ok((text, version))
}

fn version_of(meta: &fs::Metadata) -> FileVersion {
    FileVersion {
        modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
        len: meta.len(),
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut file = File::create_new(path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

fn temp_name(target: &Path) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let base = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| FILE_NAME.to_string());
    format!(
        ".{base}.{}.{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Parses progress YAML: a file as pathway writes it by the fast reader, anything else (a hand
/// edit, an older layout, CRLF line ends) by serde_yaml, which checks the schema version before
/// the rest so that a file from a newer pathway is reported as such rather than as a pile of
/// unknown fields. `origin` names the file in errors, as `origin:line:column: what`.
pub fn parse(text: &str, origin: &str) -> Result<Progress, ProgressError> {
    // Some editors on Windows begin a UTF-8 file with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ProgressError::corrupt(origin, None, "the file is empty"));
    }
    let mut progress = match progress_yaml::read(text) {
        Some(progress) => progress,
        None => parse_any_yaml(text, origin)?,
    };
    // An older layout is read into today's; the next save writes today's version.
    progress.version = progress::VERSION;
    Ok(progress)
}

/// Parses progress from any YAML with serde_yaml.
pub fn parse_any_yaml(text: &str, origin: &str) -> Result<Progress, ProgressError> {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<u32>,
    }
    let located = |e: serde_yaml::Error| {
        let (location, message) = yaml_message(&e);
        ProgressError::corrupt(origin, location, message)
    };
    let head: VersionOnly = serde_yaml::from_str(text).map_err(located)?;
    match head.version {
        None => {
            return Err(ProgressError::corrupt(
                origin,
                None,
                "it has no `version` field",
            ));
        }
        Some(v) if v > progress::VERSION => {
            return Err(ProgressError::Newer {
                file: origin.to_string(),
                version: v,
            });
        }
        Some(_) => {}
    }
    serde_yaml::from_str(text).map_err(located)
}

/// Why the progress file cannot be used. Callers branch on the kind: only a file whose content
/// is unusable can be reset; one that cannot be read at all is a problem with the path.
#[derive(Debug)]
pub enum ProgressError {
    /// The file exists but cannot be read (permissions, an I/O error).
    Io {
        file: String,
        source: std::io::Error,
    },
    /// The path is a directory, a pipe or a device.
    NotAFile { file: String },
    /// Larger than `MAX_PROGRESS_BYTES`.
    TooLarge { file: String },
    /// Not a progress file pathway can read.
    Corrupt {
        file: String,
        location: Option<Location>,
        message: String,
    },
    /// Written by a newer pathway, with fields this one would drop.
    Newer { file: String, version: u32 },
}

impl ProgressError {
    fn corrupt(file: &str, location: Option<Location>, message: impl Into<String>) -> Self {
        ProgressError::Corrupt {
            file: file.to_string(),
            location,
            message: message.into(),
        }
    }

    /// Whether the file is there but its content cannot be used: then `pathway reset` can start
    /// afresh, keeping the file as a backup.
    pub fn can_reset(&self) -> bool {
        matches!(
            self,
            ProgressError::Corrupt { .. }
                | ProgressError::Newer { .. }
                | ProgressError::TooLarge { .. }
        )
    }

    /// What the learner can do about it, in one place for the TUI and the command line.
    pub fn advice(&self) -> &'static str {
        match self {
            ProgressError::Io { .. } => {
                "Check the file's permissions, or point --progress or PATHWAY_PROGRESS at another file."
            }
            ProgressError::NotAFile { .. } => {
                "Point --progress or PATHWAY_PROGRESS at a regular file (it is created if missing)."
            }
            ProgressError::Newer { .. } => {
                "The file was left untouched. Update pathway, or run `pathway reset --yes` to start \
                 afresh (it keeps the file as a backup)."
            }
            ProgressError::TooLarge { .. } | ProgressError::Corrupt { .. } => {
                "The file was left untouched. Fix it by hand, or run `pathway reset --yes` to \
                 start afresh (it keeps the file as a backup)."
            }
        }
    }

    /// The first line alone, for the footer.
    pub fn summary(&self) -> String {
        match self {
            ProgressError::Io { file, source } => {
                format!("cannot read progress file {file}: {source}")
            }
            ProgressError::NotAFile { file } => {
                format!("progress file {file} is not a regular file")
            }
            ProgressError::TooLarge { file } => format!(
                "progress file {file}: larger than {} MiB, refused",
                MAX_PROGRESS_BYTES / (1024 * 1024)
            ),
            ProgressError::Corrupt {
                file,
                location: Some(Location { line, column }),
                message,
            } => format!("progress file {file}:{line}:{column}: {message}"),
            ProgressError::Corrupt {
                file,
                location: None,
                message,
            } => format!("progress file {file}: {message}"),
            ProgressError::Newer { file, version } => format!(
                "progress file {file}: written by a newer pathway (progress version {version}; \
                 this one reads up to {})",
                progress::VERSION
            ),
        }
    }
}

impl std::fmt::Display for ProgressError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n{}", self.summary(), self.advice())
    }
}

impl std::error::Error for ProgressError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ProgressError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
