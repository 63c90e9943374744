//! `file` probes: a path in the project folder, and what it holds.

use std::io::{self, Read};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::run::{Context, Matcher, ProbeOutcome, READ_CAP};
use super::show::first_lines;
use crate::core::text;

pub(super) fn file_probe(path_text: &str, content: Option<Matcher>, ctx: &Context) -> ProbeOutcome {
    let path = ctx.project.join(path_text);
    let shown = text::clean(&path.to_string_lossy()).into_owned();
    let mut expected = format!("the file {shown} exists");
    if let Some(content) = &content {
        expected.push_str(&format!(" and {}", content.describe()));
    }
    let failed = |got: String| ProbeOutcome::Failed {
        expected: expected.clone(),
        got,
        hint: None,
    };
    let meta = match std::fs::metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return failed("no such file".into()),
        Err(e) => return failed(format!("cannot look at it: {e}")),
    };
    let Some(content) = content else {
        return ProbeOutcome::Passed {
            expected,
            got: if meta.is_dir() {
                "it exists (a folder)".into()
            } else {
                "it exists".into()
            },
        };
    };
    if meta.is_dir() {
        return failed("it is a folder, not a file".into());
    }
    if !meta.is_file() {
        return failed("it is not a regular file".into());
    }
    let (bytes, cut) = match read_capped(&path) {
        Ok(read) => read,
        Err(e) => return failed(format!("cannot read it: {e}")),
    };
    let text = String::from_utf8_lossy(&bytes);
    if content.accepts(&text) {
        return ProbeOutcome::Passed {
            expected,
            got: "it does".into(),
        };
    }
    let mut got = if bytes.is_empty() {
        "it is empty".to_string()
    } else {
        format!("it does not; it begins:\n{}", first_lines(&text))
    };
    if cut {
        got.push_str("\n(only its first 1 MiB was read)");
    }
    failed(got)
}

/// The first [`READ_CAP`] bytes of the file at `path`, and whether there was more.
pub(super) fn read_capped(path: &Path) -> io::Result<(Vec<u8>, bool)> {
    // Non-blocking, in case a FIFO took the file's place since it was looked at.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    let mut bytes = Vec::new();
    file.take(READ_CAP as u64 + 1).read_to_end(&mut bytes)?;
    let cut = bytes.len() > READ_CAP;
    bytes.truncate(READ_CAP);
    Ok((bytes, cut))
}
