//! `trusted-checks`, the learner's approvals of roadmaps' checks, beside the progress file: read
//! bounded, and changed the way the progress file is, under a lock and replaced by an atomic
//! rename, so approvals given at once by several pathways are all kept. What the text says is
//! `checks::trust`'s business; this module is only the file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};

use crate::core::text::shown;
use crate::storage::fsio::{self, Limited};

/// The file of approvals, beside the progress file.
pub const FILE_NAME: &str = "trusted-checks";
/// A few lines per roadmap; anything larger is not a file pathway wrote.
pub const MAX_BYTES: u64 = 256 * 1024;
/// How long an approval waits for another pathway writing one.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// The approvals file in the folder `home` (the progress file's).
pub fn path(home: &Path) -> PathBuf {
    home.join(FILE_NAME)
}

/// The lock that approvals are written under, beside the file.
pub fn lock_path(home: &Path) -> PathBuf {
    home.join(".trusted-checks.lock")
}

/// The approvals text, or `None` when there is no file yet. A file that is too large,
/// unreadable or not a regular file is an error naming it: such a file was not written by
/// pathway, and nothing may replace it unseen.
pub fn read(home: &Path) -> Result<Option<String>> {
    let path = path(home);
    match fsio::read_regular(&path, MAX_BYTES) {
        Ok(text) => Ok(Some(text)),
        Err(Limited::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(Limited::TooLarge) => Err(anyhow!(
            "cannot read the approvals of checks {}: it is larger than {} KiB, so pathway did \
             not write it; move it away to approve again",
            shown(&path),
            MAX_BYTES / 1024
        )),
        Err(why) => Err(anyhow!(
            "cannot read the approvals of checks {}: {why}",
            shown(&path)
        )),
    }
}

/// Changes the approvals: under a lock beside the file, the text as it is now (empty if there
/// is none; an error as [`read`] says, leaving the file as it is) becomes `change(text)`,
/// written to a temporary file and renamed over the old one.
pub fn update(home: &Path, change: impl FnOnce(&str) -> String) -> Result<()> {
    std::fs::create_dir_all(home)
        .with_context(|| format!("cannot create directory {}", shown(home)))?;
    let _lock = crate::storage::store::lock_at(&lock_path(home), LOCK_WAIT)?;
    let current = read(home)?.unwrap_or_default();
    let path = path(home);
    fsio::write_atomic(&path, change(&current).as_bytes())
        .with_context(|| format!("cannot save {}", shown(&path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approval_keeps_what_the_file_had() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(read(dir.path()).expect("no file yet"), None);
        update(dir.path(), |text| format!("{text}a\n")).expect("first");
        update(dir.path(), |text| format!("{text}b\n")).expect("second");
        assert_eq!(read(dir.path()).expect("read").as_deref(), Some("a\nb\n"));
    }

    #[test]
    fn a_file_too_large_or_not_a_file_is_an_error_naming_it_and_stays() {
        let dir = tempfile::tempdir().expect("tempdir");
        let big = "x".repeat(MAX_BYTES as usize + 1);
        std::fs::write(path(dir.path()), &big).expect("write");
        let why = format!(
            "{:#}",
            update(dir.path(), |_| "new".into()).expect_err("refused")
        );
        assert!(why.contains(FILE_NAME) && why.contains("larger"), "{why}");
        assert_eq!(
            std::fs::read_to_string(path(dir.path())).expect("kept"),
            big
        );

        std::fs::remove_file(path(dir.path())).expect("rm");
        std::fs::create_dir(path(dir.path())).expect("mkdir");
        let why = format!("{:#}", read(dir.path()).expect_err("a folder"));
        assert!(why.contains(FILE_NAME), "{why}");
        assert!(update(dir.path(), |_| "new".into()).is_err());
        assert!(path(dir.path()).is_dir(), "the folder is left as it is");
    }
}
