//! Every file pathway reads and writes, at the lowest level: reads bounded whatever the file is
//! (a pipe or a device is cut at the limit, never read until memory runs out), regular files
//! opened without blocking, and writes through a temporary file renamed over the target, so a
//! reader never sees half a file. The progress file's lock and merge live in `store`.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::Result;

pub fn write_synced(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    // A leftover from a save that was killed: this one replaces it.
    let _ = fs::remove_file(path);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)?;
    // The umask may have narrowed the mode: the file gets exactly the one it had.
    file.set_permissions(fs::Permissions::from_mode(mode))?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(())
}

/// A path with its folder resolved (symlinks, `..`) and, if it exists, the file itself: two
/// paths to one file compare equal.
pub fn resolved(path: &Path) -> PathBuf {
    if let Ok(real) = fs::canonicalize(path) {
        return real;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (fs::canonicalize(dir), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_path_buf(),
    }
}

/// Writes a file the way progress is written: a temporary file beside it, flushed, renamed
/// over it, so a reader never sees half of it. The file keeps its mode, or gets 0644 if new.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let target = resolved(path);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mode = fs::metadata(&target)
        .map(|m| m.permissions().mode() & 0o7777)
        .unwrap_or(0o644);
    let written = write_synced(&tmp, bytes, mode).and_then(|()| {
        fs::rename(&tmp, &target)?;
        Ok(())
    });
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}

/// Why a bounded read failed; shown, it is what the reader says after "cannot read FILE: ".
#[derive(Debug, thiserror::Error)]
pub enum Limited {
    #[error("{0}")]
    Io(std::io::Error),
    /// A directory, a pipe or a device where a regular file was wanted.
    #[error("it is not a regular file")]
    NotAFile,
    #[error("it is larger than pathway reads")]
    TooLarge,
}

/// Reads a text file of at most `limit` bytes, whatever kind of file it is (a pipe or a device
/// is read up to the limit and refused past it, never until memory runs out).
pub fn read_limited(path: &Path, limit: u64) -> Result<String, Limited> {
    if fs::metadata(path).map_err(Limited::Io)?.is_dir() {
        return Err(Limited::Io(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    read_open(File::open(path).map_err(Limited::Io)?, limit)
}

/// As `read_limited`, for files that must be regular files (settings, the last roadmap's id, a
/// roadmap named at start-up): a pipe or a device there is refused rather than read. The file
/// is opened without blocking and checked through the open handle, so a FIFO put in its place
/// between a check and the open cannot hang the open.
pub fn read_regular(path: &Path, limit: u64) -> Result<String, Limited> {
    read_open(open_regular_file(path)?, limit)
}

/// Reads an open file as text, at most `limit` bytes: room for a regular file's whole text is
/// made at once (a 22 MB progress file grown by doubling was copied about twice over), and one
/// byte past the limit shows that the limit is passed.
pub fn read_open(file: File, limit: u64) -> Result<String, Limited> {
    String::from_utf8(read_open_bytes(file, limit)?).map_err(|_| {
        Limited::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "it is not UTF-8 text",
        ))
    })
}

/// As `read_open`, for bytes that need not be text (a damaged file's backup).
pub fn read_open_bytes(file: File, limit: u64) -> Result<Vec<u8>, Limited> {
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(limit) + 1).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(Limited::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Limited::TooLarge);
    }
    Ok(bytes)
}

/// Opens a file for reading only if it is a regular file. `O_NONBLOCK` makes opening a FIFO
/// return at once (it has no effect on reading a regular file); the type is then read from the
/// handle itself, never from the path, which may have changed since.
pub fn open_regular(path: &Path) -> std::io::Result<File> {
    open_regular_file(path).map_err(|e| match e {
        Limited::Io(e) => e,
        other => std::io::Error::new(std::io::ErrorKind::InvalidInput, other.to_string()),
    })
}

/// As `open_regular`, saying apart a file that is not a regular one.
pub fn open_regular_file(path: &Path) -> Result<File, Limited> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(Limited::Io)?;
    if !file.metadata().map_err(Limited::Io)?.is_file() {
        return Err(Limited::NotAFile);
    }
    Ok(file)
}

/// A file-size limit (`ulimit -f`) hit while saving sends SIGXFSZ, which by default kills the
/// process mid-save and, in the TUI, leaves the terminal raw. With a handler installed the write
/// fails with an error instead, which the save reports like any other (NOT SAVED in the TUI).
pub fn survive_file_size_limit() {
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag);
}
