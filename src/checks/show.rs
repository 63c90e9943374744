//! Text from outside (output, bodies, files) as an outcome shows it: a few lines, escaped.

use crate::core::text;

/// Lines of output, body or file shown in `got`.
const SHOWN_LINES: usize = 10;
/// Bytes those lines may take, for output that is one long line.
pub(super) const SHOWN_BYTES: usize = 4 * 1024;

/// The last `SHOWN_LINES` lines of `bytes`, escaped, saying how many lines came before and how
/// many bytes after (`more`, past the capture's cap).
pub(super) fn last_lines(bytes: &[u8], more: u64) -> String {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
    let skip = lines.len().saturating_sub(SHOWN_LINES);
    let mut shown = lines[skip..].join("\n");
    let mut out = String::new();
    if skip > 0 {
        out.push_str(&format!(
            "… ({} before)\n",
            crate::core::text::count(skip, "line")
        ));
    }
    if shown.len() > SHOWN_BYTES {
        let mut from = shown.len() - SHOWN_BYTES;
        while !shown.is_char_boundary(from) {
            from += 1;
        }
        shown = format!("…{}", &shown[from..]);
    }
    out.push_str(&text::clean(&shown));
    if more > 0 {
        out.push_str(&format!("\n… ({more} more bytes)"));
    }
    out
}

/// The first `SHOWN_LINES` lines of `text`, escaped.
pub(super) fn first_lines(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
    let mut shown = lines[..lines.len().min(SHOWN_LINES)].join("\n");
    if shown.len() > SHOWN_BYTES {
        let mut to = SHOWN_BYTES;
        while !shown.is_char_boundary(to) {
            to -= 1;
        }
        shown.truncate(to);
        shown.push('…');
    }
    let mut out = text::clean(&shown).into_owned();
    if lines.len() > SHOWN_LINES {
        out.push_str(&format!("\n… ({} more lines)", lines.len() - SHOWN_LINES));
    }
    out
}
