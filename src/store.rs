//! The progress file on disk: where it lives, reading it, and saving it atomically.
//! All file I/O of progress goes through here.

use std::ffi::OsString;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;

use crate::progress::{self, FileVersion, Progress};
use crate::progress_yaml;
use crate::roadmap::{Location, yaml_message};

/// Environment variable that overrides where progress is kept.
pub const PROGRESS_ENV: &str = "PATHWAY_PROGRESS";
pub const FILE_NAME: &str = "progress.yaml";

#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Store { path: path.into() }
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
    pub fn load(&self) -> Result<Progress> {
        let (text, version) = match read_versioned(&self.path) {
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Progress::default()),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read progress file {}", self.path.display()));
            }
        };
        let mut progress = parse(&text, &self.path.display().to_string()).map_err(|e| {
            anyhow!(
                "progress file {e:#}\n\
                 The file was left untouched. Fix it by hand, or run `pathway reset --yes` to \
                 start afresh (it keeps the file as a backup)."
            )
        })?;
        progress.basis = Some(version);
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
        if on_disk.is_some() && on_disk != progress.basis {
            merged = progress.merge_from(&self.load()?);
        }
        self.write(progress)?;
        progress.basis = fs::metadata(&self.path).ok().map(|m| version_of(&m));
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

/// Reads a file and the version it was read at, from one open handle: a rename that replaces
/// the file between the two cannot pair new content with an old version.
fn read_versioned(path: &Path) -> std::io::Result<(String, FileVersion)> {
    let mut file = File::open(path)?;
    let version = version_of(&file.metadata()?);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut file, &mut text)?;
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
/// edit, an older layout) by serde_yaml, which checks the schema version before the rest so that a
/// file from a newer pathway is reported as such rather than as a pile of unknown fields. `origin` names the file in
/// errors, as `origin:line:column: what`.
pub fn parse(text: &str, origin: &str) -> Result<Progress> {
    if text.trim().is_empty() {
        bail!("{origin}: the file is empty");
    }
    match progress_yaml::read(text) {
        Some(progress) => Ok(progress),
        None => parse_any_yaml(text, origin),
    }
}

/// Parses progress from any YAML with serde_yaml.
pub fn parse_any_yaml(text: &str, origin: &str) -> Result<Progress> {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: Option<u32>,
    }
    let located = |e: serde_yaml::Error| match yaml_message(&e) {
        (Some(Location { line, column }), msg) => anyhow!("{origin}:{line}:{column}: {msg}"),
        (None, msg) => anyhow!("{origin}: {msg}"),
    };
    let head: VersionOnly = serde_yaml::from_str(text).map_err(located)?;
    match head.version {
        None => bail!("{origin}: it has no `version` field"),
        Some(v) if v > progress::VERSION => bail!(
            "{origin}: written by a newer pathway (progress version {v}; this one reads up to {})",
            progress::VERSION
        ),
        Some(_) => {}
    }
    serde_yaml::from_str(text).map_err(located)
}
