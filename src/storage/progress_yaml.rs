//! The progress file's YAML: written and read by hand for the layout pathway itself writes,
//! any other YAML read by serde_yaml (`parse`), and why a file cannot be used (`ProgressError`).
//!
//! serde_yaml takes a quarter of a second to write 100,000 items and more than half a second and
//! twice the memory to read them; these take milliseconds. Reading is strict: anything that is not
//! exactly the layout `write` produces (a hand edit, a comment, an older layout) makes `read`
//! return `None`, and the store falls back to serde_yaml, which reads any YAML and reports errors
//! with their line and column. The property tests check that `read(write(p)) == p` for arbitrary
//! progress and that `read` agrees with serde_yaml on every text it accepts.

use std::borrow::Cow;

use jiff::Timestamp;
use serde::Deserialize;

use crate::core::progress::{self, Item, Progress, RoadmapProgress, Status};
use crate::core::roadmap::{Location, yaml_message};
use crate::core::utc::Written;

/// The progress file as YAML.
pub fn write(progress: &Progress) -> String {
    use std::fmt::Write as _;
    let items: usize = progress.roadmaps.values().map(|r| r.items.len()).sum();
    let mut out = String::with_capacity(64 + items * 128);
    let _ = writeln!(out, "version: {}", progress.version);
    if progress.roadmaps.is_empty() {
        out.push_str("roadmaps: {}\n");
        return out;
    }
    out.push_str("roadmaps:\n");
    for (id, rp) in &progress.roadmaps {
        out.push_str("  ");
        yaml_key(&mut out, id);
        out.push_str(":\n");
        if let Some(at) = rp.started {
            let _ = writeln!(out, "    started: {}", Written(at));
        }
        if let Some(at) = rp.reset {
            let _ = writeln!(out, "    reset: {}", Written(at));
        }
        out.push_str(if rp.items.is_empty() {
            "    items: {}\n"
        } else {
            "    items:\n"
        });
        for (key, item) in &rp.items {
            // Destructured, so a field added to Item and not written here does not compile.
            let Item {
                status,
                started,
                completed,
                updated,
                checked,
                review,
                cards,
                own,
                noted,
                note,
            } = item;
            out.push_str("      ");
            yaml_key(&mut out, key);
            let _ = writeln!(out, ":\n        status: {}", status.word());
            for (name, at) in [
                ("started", started),
                ("completed", completed),
                ("updated", updated),
            ] {
                if let Some(at) = at {
                    let _ = writeln!(out, "        {name}: {}", Written(*at));
                }
            }
            if let Some(checked) = checked {
                out.push_str("        checked: ");
                yaml_quoted(&mut out, &checked.to_string());
                out.push('\n');
            }
            if let Some(review) = review {
                let _ = writeln!(out, "        review: \"{review}\"");
            }
            if !cards.is_empty() {
                out.push_str("        cards:\n");
                for (card, state) in cards {
                    out.push_str("          ");
                    yaml_key(&mut out, card);
                    let _ = writeln!(out, ": \"{state}\"");
                }
            }
            write_own(&mut out, own);
            if let Some(at) = noted {
                let _ = writeln!(out, "        noted: {}", Written(*at));
            }
            if let Some(note) = note {
                out.push_str("        note: ");
                yaml_text(&mut out, note, 10);
            }
        }
        if !rp.history.is_empty() {
            out.push_str("    history:\n");
            for event in &rp.history {
                out.push_str("      - ");
                yaml_quoted(&mut out, &event.to_string());
                out.push('\n');
            }
        }
        if !rp.daily.is_empty() {
            out.push_str("    daily:\n");
            for (date, totals) in &rp.daily {
                out.push_str("      ");
                yaml_quoted(&mut out, date);
                out.push_str(": ");
                yaml_quoted(&mut out, &totals.to_string());
                out.push('\n');
            }
        }
    }
    out
}

/// An item's own cards (`own:`), each under its id.
fn write_own(out: &mut String, own: &std::collections::BTreeMap<String, progress::OwnCard>) {
    use std::fmt::Write as _;
    if own.is_empty() {
        return;
    }
    out.push_str("        own:\n");
    for (id, card) in own {
        out.push_str("          ");
        yaml_key(out, id);
        let _ = writeln!(out, ":\n            changed: {}", Written(card.changed));
        if let Some(at) = card.removed {
            let _ = writeln!(out, "            removed: {}", Written(at));
        }
        for (name, text) in [("ask", &card.ask), ("answer", &card.answer)] {
            if !text.is_empty() {
                let _ = write!(out, "            {name}: ");
                yaml_quoted(out, text);
                out.push('\n');
            }
        }
    }
}

/// A map key: plain when it is an unremarkable id, double-quoted otherwise.
fn yaml_key(out: &mut String, key: &str) {
    if plain_key(key) {
        out.push_str(key);
    } else {
        yaml_quoted(out, key);
    }
}

/// Whether a key is written plain: an unremarkable id that YAML reads back as that string.
fn plain_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.bytes().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'-' | b'_' | b'/')
        })
        && !matches!(
            key,
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

/// A note: a literal block (`|-`) when it can be one exactly, else a double-quoted string.
fn yaml_text(out: &mut String, text: &str, indent: usize) {
    let first = text.lines().next().unwrap_or("");
    let block = text.contains('\n')
        && !text.ends_with('\n')
        && !first.is_empty()
        && !first.starts_with([' ', '\t'])
        && text.chars().all(|c| c == '\n' || !unprintable(c))
        // A line of only blanks would be taken for indentation, not content.
        && !text.split('\n').any(|l| !l.is_empty() && l.trim().is_empty());
    if !block {
        yaml_quoted(out, text);
        out.push('\n');
        return;
    }
    out.push_str("|-\n");
    for line in text.split('\n') {
        if !line.is_empty() {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// Characters a YAML stream may not hold as they are: C0 and C1 controls but tab (line feed
/// included: it is written as an escape or a block line), DEL, the byte-order mark,
/// non-characters, and the Unicode line and paragraph separators YAML 1.1 breaks lines at.
fn unprintable(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{8}'
            | '\u{a}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{feff}'
            | '\u{fffe}'
            | '\u{ffff}'
    )
}

/// `text` double-quoted, with the escapes YAML reads back exactly.
pub(crate) fn yaml_quoted(out: &mut String, text: &str) {
    use std::fmt::Write as _;
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if unprintable(c) => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Reads a file in exactly the layout `write` produces; `None` for anything else.
pub fn read(text: &str) -> Option<Progress> {
    // Every line ends in a line break; without the last one, the lines run out exactly where
    // the file does, so a block note on the last item cannot take the end for a blank line.
    let mut lines = text.strip_suffix('\n')?.split('\n').peekable();
    let version: u32 = lines.next()?.strip_prefix("version: ")?.parse().ok()?;
    if version > progress::VERSION {
        return None;
    }
    let mut progress = Progress {
        version,
        ..Progress::default()
    };
    match lines.next()? {
        "roadmaps: {}" => return end(lines).then_some(progress),
        "roadmaps:" => {}
        _ => return None,
    }
    while let Some(line) = lines.next() {
        let id = key(line.strip_prefix("  ")?)?;
        let mut rp = RoadmapProgress::default();
        let mut next = lines.next()?;
        if let Some(at) = next.strip_prefix("    started: ") {
            rp.started = Some(timestamp(at)?);
            next = lines.next()?;
        }
        if let Some(at) = next.strip_prefix("    reset: ") {
            rp.reset = Some(timestamp(at)?);
            next = lines.next()?;
        }
        match next {
            "    items: {}" => {}
            "    items:" => {
                let mut items = Vec::new();
                while lines
                    .peek()
                    .is_some_and(|l| l.starts_with("      ") && !l.starts_with("       "))
                {
                    let key = key(lines.next()?.strip_prefix("      ")?)?;
                    items.push((key, item(&mut lines)?));
                }
                rp.items = sorted_map(items)?;
            }
            _ => return None,
        }
        if lines.peek() == Some(&"    history:") {
            lines.next();
            while let Some(event) = lines.peek().and_then(|l| l.strip_prefix("      - ")) {
                let (text, rest) = quoted(event)?;
                if !rest.is_empty() {
                    return None;
                }
                rp.history.push(text.parse().ok()?);
                lines.next();
            }
        }
        if lines.peek() == Some(&"    daily:") {
            lines.next();
            while let Some(entry) = lines.peek().and_then(|l| l.strip_prefix("      ")) {
                let (date, rest) = quoted(entry)?;
                let (totals, rest) = quoted(rest.strip_prefix(": ")?)?;
                if !rest.is_empty()
                    || rp
                        .daily
                        .insert(date.into_owned(), totals.parse().ok()?)
                        .is_some()
                {
                    return None;
                }
                lines.next();
            }
        }
        if progress.roadmaps.insert(id, rp).is_some() {
            return None;
        }
    }
    Some(progress)
}

/// The map of pairs that come in the order `write` leaves them (by key), built in one pass
/// rather than key by key: inserting 100,000 items one at a time was a tenth of reading a large
/// file, and left the map's nodes half full (9 MB more at the peak than building it whole).
/// `None` if a key repeats. Pairs out of order (a file edited by hand) are sorted first.
fn sorted_map<V>(mut pairs: Vec<(String, V)>) -> Option<std::collections::BTreeMap<String, V>> {
    if !pairs.windows(2).all(|w| w[0].0 < w[1].0) {
        pairs.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if pairs.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
    }
    Some(pairs.into_iter().collect())
}

/// Nothing may follow the final line break.
fn end<'a>(mut rest: impl Iterator<Item = &'a str>) -> bool {
    rest.next().is_none()
}

/// `name:` or `"quoted name":` at the start of a line.
fn key(line: &str) -> Option<String> {
    let name = line.strip_suffix(':')?;
    if name.starts_with('"') {
        let (text, rest) = quoted(name)?;
        return rest.is_empty().then(|| text.into_owned());
    }
    // Unquoted, it must be a key `write` leaves plain.
    plain_key(name).then(|| name.to_string())
}

fn item<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Option<Item> {
    let mut item = Item {
        status: Status::from_word(lines.next()?.strip_prefix("        status: ")?)?,
        ..Item::default()
    };
    for (name, field) in [
        ("        started: ", &mut item.started),
        ("        completed: ", &mut item.completed),
        ("        updated: ", &mut item.updated),
    ] {
        if let Some(at) = lines.peek().and_then(|l| l.strip_prefix(name)) {
            *field = Some(timestamp(at)?);
            lines.next();
        }
    }
    if let Some(checked) = lines
        .peek()
        .and_then(|l| l.strip_prefix("        checked: "))
    {
        item.checked = Some(whole_quoted(checked)?.parse().ok()?);
        lines.next();
    }
    if let Some(review) = lines
        .peek()
        .and_then(|l| l.strip_prefix("        review: "))
    {
        item.review = Some(whole_quoted(review)?.parse().ok()?);
        lines.next();
    }
    if lines.peek() == Some(&"        cards:") {
        lines.next();
        while let Some(entry) = lines.peek().and_then(|l| l.strip_prefix("          ")) {
            let (card, state) = entry.split_once(": ")?;
            let card = key(&format!("{card}:"))?;
            if item
                .cards
                .insert(card, whole_quoted(state)?.parse().ok()?)
                .is_some()
            {
                return None;
            }
            lines.next();
        }
        if item.cards.is_empty() {
            return None;
        }
    }
    if lines.peek() == Some(&"        own:") {
        lines.next();
        while let Some(entry) = lines.peek().and_then(|l| l.strip_prefix("          ")) {
            let id = key(entry)?;
            lines.next();
            if item.own.insert(id, own_card(lines)?).is_some() {
                return None;
            }
        }
        if item.own.is_empty() {
            return None;
        }
    }
    if let Some(at) = lines.peek().and_then(|l| l.strip_prefix("        noted: ")) {
        item.noted = Some(timestamp(at)?);
        lines.next();
    }
    if let Some(note) = lines.peek().and_then(|l| l.strip_prefix("        note: ")) {
        lines.next();
        item.note = Some(if note == "|-" {
            block(lines)?
        } else {
            let (text, rest) = quoted(note)?;
            if !rest.is_empty() {
                return None;
            }
            text.into_owned()
        });
    }
    Some(item)
}

/// One of the learner's cards, as `write` leaves it under its id.
fn own_card<'a>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>,
) -> Option<progress::OwnCard> {
    let changed = timestamp(lines.next()?.strip_prefix("            changed: ")?)?;
    let mut card = progress::OwnCard {
        changed,
        removed: None,
        ask: String::new(),
        answer: String::new(),
    };
    if let Some(at) = lines
        .peek()
        .and_then(|l| l.strip_prefix("            removed: "))
    {
        card.removed = Some(timestamp(at)?);
        lines.next();
    }
    for (name, field) in [
        ("            ask: ", &mut card.ask),
        ("            answer: ", &mut card.answer),
    ] {
        if let Some(text) = lines.peek().and_then(|l| l.strip_prefix(name)) {
            let text = whole_quoted(text)?;
            if text.is_empty() {
                return None;
            }
            *field = text.into_owned();
            lines.next();
        }
    }
    Some(card)
}

fn timestamp(text: &str) -> Option<Timestamp> {
    // Only the form `write` produces: RFC 3339 in UTC with a `Z`.
    if !text.ends_with('Z') || text.contains(' ') {
        return None;
    }
    crate::core::utc::parse(text)
}

/// The lines of a `|-` block at indentation 10, as `yaml_text` writes them.
fn block<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    while let Some(line) = lines.peek() {
        if line.is_empty() {
            out.push("");
        } else if let Some(content) = line.strip_prefix("          ") {
            if content.trim().is_empty() || content.chars().any(unprintable) {
                return None;
            }
            out.push(content);
        } else {
            break;
        }
        lines.next();
    }
    while out.last() == Some(&"") {
        out.pop();
    }
    if out
        .first()
        .is_none_or(|first| first.starts_with([' ', '\t']))
    {
        return None;
    }
    Some(out.join("\n"))
}

/// A double-quoted string that is all of `text`.
fn whole_quoted(text: &str) -> Option<Cow<'_, str>> {
    let (text, rest) = quoted(text)?;
    rest.is_empty().then_some(text)
}

/// A double-quoted string as `yaml_quoted` writes it, and what follows its closing quote.
/// Borrowed when it holds no escape, as nearly every one does (a history event, a date).
fn quoted(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let body = text.strip_prefix('"')?;
    // Byte by byte (both marks are ASCII, and no byte of another character is either): a
    // search for `char`s decoded every character of 100,000 history events.
    if let Some(end) = body.bytes().position(|b| b == b'"' || b == b'\\')
        && body.as_bytes()[end] == b'"'
    {
        let plain = &body[..end];
        // Printable ASCII, as every event and date pathway writes, is told by its bytes alone.
        let printable =
            plain.bytes().all(|b| matches!(b, b' '..=b'~')) || !plain.chars().any(unprintable);
        return printable.then_some((Cow::Borrowed(plain), &body[end + 1..]));
    }
    let mut chars = body.char_indices();
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(out), &body[i + 1..])),
            '\\' => match chars.next()?.1 {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'u' => {
                    let hex: String = (0..4)
                        .filter_map(|_| chars.next().map(|(_, c)| c))
                        .collect();
                    let code = u32::from_str_radix(&hex, 16)
                        .ok()
                        .filter(|_| hex.len() == 4)?;
                    out.push(char::from_u32(code)?);
                }
                _ => return None,
            },
            c if unprintable(c) => return None,
            c => out.push(c),
        }
    }
    None
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
    if let Some(line) = conflict_marker(text) {
        return Err(ProgressError::Unmerged {
            file: origin.to_string(),
            line,
        });
    }
    let mut progress = match read(text) {
        Some(progress) => progress,
        None => parse_any_yaml(text, origin)?,
    };
    // An older layout is read into today's; the next save writes today's version.
    progress.version = progress::VERSION;
    progress.warnings = progress
        .settle()
        .into_iter()
        .map(|w| format!("progress file {origin}: {w}"))
        .collect();
    Ok(progress)
}

/// The first line (from 1) that begins with one of Git's conflict markers. pathway never writes
/// one at the start of a line (a note's lines are indented, other text is quoted), and no YAML
/// pathway could read has one there either, so such a line means a Git merge left the file.
fn conflict_marker(text: &str) -> Option<usize> {
    let markers = ["<<<<<<<", "=======", ">>>>>>>", "|||||||"];
    text.split('\n')
        .position(|line| markers.iter().any(|m| line.starts_with(m)))
        .map(|i| i + 1)
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
    // Aliases could expand a small hand-edited file without bound; pathway never writes any.
    if let Some((location, why)) = crate::core::roadmap::refused(text) {
        return Err(ProgressError::corrupt(
            origin,
            Some(location),
            format!("{why} (in a progress file)"),
        ));
    }
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
/// is unusable can be reset; one that cannot be read at all is a problem with the path. Shown,
/// it is two lines: what is wrong, then what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    /// The file exists but cannot be read (permissions, an I/O error).
    #[error("cannot read progress file {file}: {source}\n{}", self.advice())]
    Io {
        file: String,
        source: std::io::Error,
    },
    /// The path is a directory, a pipe or a device.
    #[error("progress file {file} is not a regular file\n{}", self.advice())]
    NotAFile { file: String },
    /// Larger than the store reads (`MAX_PROGRESS_BYTES`).
    #[error(
        "progress file {file}: larger than {} MiB, refused\n{}",
        limit / (1024 * 1024),
        self.advice()
    )]
    TooLarge { file: String, limit: u64 },
    /// Not a progress file pathway can read.
    #[error("progress file {file}{}: {message}\n{}", at(location), self.advice())]
    Corrupt {
        file: String,
        location: Option<Location>,
        message: String,
    },
    /// Git's conflict markers: a merge of the file was left unfinished. Not for `reset`, which
    /// would throw away both sides of the merge.
    #[error(
        "progress file {file}: line {line} holds a Git conflict marker: a Git merge of this file \
         is unfinished\n{}",
        self.advice()
    )]
    Unmerged { file: String, line: usize },
    /// Written by a newer pathway, with fields this one would drop.
    #[error(
        "progress file {file}: written by a newer pathway (progress version {version}; \
         this one reads up to {})\n{}",
        progress::VERSION,
        self.advice()
    )]
    Newer { file: String, version: u32 },
}

/// `:line:column` where the place is known, for `file:line:column: message`.
fn at(location: &Option<Location>) -> String {
    match location {
        Some(Location { line, column }) => format!(":{line}:{column}"),
        None => String::new(),
    }
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

    /// What the learner can do about it, in one place for the TUI and the command line. One
    /// line, so that `summary` can take it off the end.
    pub fn advice(&self) -> String {
        match self {
            ProgressError::Unmerged { file, .. } => format!(
                "The file was left untouched. To finish the merge: run `pathway sync init` (it \
                 sets up pathway's merge driver), then `git checkout -m {file}` to merge it again \
                 (or `git checkout --ours {file}` or `--theirs` to keep one side), then `git add` \
                 it and commit; or give the merge up with `git merge --abort` (`git rebase \
                 --abort` in a rebase)."
            ),
            ProgressError::Io { .. } => {
                "Check the file's permissions, or point --progress or PATHWAY_PROGRESS at another file.".to_string()
            }
            ProgressError::NotAFile { .. } => {
                "Point --progress or PATHWAY_PROGRESS at a regular file (it is created if missing).".to_string()
            }
            ProgressError::Newer { .. } => {
                "The file was left untouched. Update pathway, or run `pathway reset --yes` to start \
                 afresh (it keeps the file as a backup)."
                    .to_string()
            }
            ProgressError::TooLarge { .. } | ProgressError::Corrupt { .. } => {
                "The file was left untouched. Fix it by hand, or run `pathway reset --yes` to \
                 start afresh (it keeps the file as a backup)."
                    .to_string()
            }
        }
    }

    /// What the checklist's footer says: what is wrong, and for an unfinished Git merge (which
    /// the learner must finish before anything is saved again) the way out, in short.
    pub fn footer(&self) -> String {
        match self {
            ProgressError::Unmerged { file, .. } => {
                // The name alone: the footer has no room for a whole path.
                let name = std::path::Path::new(file)
                    .file_name()
                    .map_or_else(|| file.clone(), |n| n.to_string_lossy().into_owned());
                format!(
                    "unfinished Git merge in {name}, not saved: pathway sync init, then \
                     git checkout -m {name}, or git merge --abort"
                )
            }
            _ => self.summary(),
        }
    }

    /// What is wrong without the advice, for the footer.
    pub fn summary(&self) -> String {
        let mut shown = self.to_string();
        if let Some(cut) = shown.rfind('\n') {
            shown.truncate(cut);
        }
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_out_of_order_read_the_same_and_a_repeated_one_is_not_this_layout() {
        let item = |key: &str| format!("      {key}:\n        status: done\n");
        let file = |keys: &[&str]| {
            let items: String = keys.iter().map(|k| item(k)).collect();
            format!("version: 3\nroadmaps:\n  r:\n    items:\n{items}")
        };
        let sorted = read(&file(&["s/a", "s/b", "t/a"])).expect("fast path");
        assert_eq!(read(&file(&["t/a", "s/a", "s/b"])), Some(sorted.clone()));
        assert_eq!(write(&sorted), file(&["s/a", "s/b", "t/a"]));
        assert_eq!(read(&file(&["s/a", "t/a", "s/a"])), None);
        assert_eq!(read(&file(&["s/a", "s/a"])), None);
    }

    #[test]
    fn a_file_git_left_with_conflict_markers_is_an_unfinished_merge_and_never_a_reset() {
        let text = "version: 3\nroadmaps:\n  r:\n    items:\n<<<<<<< HEAD\n      s/a:\n        \
                    status: done\n=======\n      s/b:\n        status: done\n>>>>>>> other\n";
        let error = parse(text, "p.yaml").expect_err("not progress");
        assert!(
            matches!(error, ProgressError::Unmerged { line: 5, .. }),
            "{error:?}"
        );
        assert!(!error.can_reset(), "a reset would throw both sides away");
        let shown = error.to_string();
        assert!(shown.contains("unfinished"), "{shown}");
        for way in [
            "pathway sync init",
            "git checkout -m p.yaml",
            "--theirs",
            "git merge --abort",
        ] {
            assert!(shown.contains(way), "{way}: {shown}");
        }
        assert!(!shown.contains("reset --"), "{shown}");
        // The checklist's footer has room for one short line: the way out, without the path.
        let footer = ProgressError::Unmerged {
            file: "/home/me/.config/pathway/progress.yaml".into(),
            line: 3,
        }
        .footer();
        assert_eq!(
            footer,
            "unfinished Git merge in progress.yaml, not saved: pathway sync init, then git \
             checkout -m progress.yaml, or git merge --abort"
        );
        // A note whose line starts with a marker is indented in the file, so it is no merge.
        let mut progress = Progress::default();
        progress
            .roadmap_mut("r")
            .set_note("s/a", "=======\n<<<<<<< mine", Timestamp::UNIX_EPOCH);
        assert!(parse(&write(&progress), "p.yaml").is_ok());
    }

    #[test]
    fn a_note_keeps_its_trailing_spaces_and_returns_on_both_readers() {
        let mut progress = Progress::default();
        let notes = [
            "one line   ",
            "block   \nwith trailing spaces  \n\nand a last one \t ",
            "carriage   \r\nreturns\r",
        ];
        for (i, note) in notes.iter().enumerate() {
            progress
                .roadmap_mut("r")
                .set_note(&format!("s/{i}"), note, Timestamp::UNIX_EPOCH);
        }
        let text = write(&progress);
        let fast = read(&text).expect("the fast reader takes what write writes");
        let any = parse_any_yaml(&text, "p.yaml").expect("serde_yaml reads it too");
        for (i, note) in notes.iter().enumerate() {
            let key = format!("s/{i}");
            assert_eq!(fast.roadmap_or_empty("r").note(&key), Some(*note), "{text}");
            assert_eq!(any.roadmap_or_empty("r").note(&key), Some(*note), "{text}");
        }
    }

    #[test]
    fn quoted_text_is_borrowed_unless_it_has_escapes() {
        assert!(matches!(
            quoted("\"plain\" rest"),
            Some((Cow::Borrowed("plain"), " rest"))
        ));
        assert_eq!(
            quoted("\"a\\\"b\\n\\u00e9\"!").map(|(t, r)| (t.into_owned(), r)),
            Some(("a\"b\né".to_string(), "!"))
        );
        assert_eq!(quoted("\"bell \u{7}\""), None);
        assert_eq!(quoted("\"unclosed"), None);
    }

    #[test]
    fn a_multi_line_note_on_the_last_item_of_the_file_is_read_on_the_fast_path() {
        let mut progress = Progress::default();
        let rp = progress.roadmaps.entry("r".into()).or_default();
        rp.items.insert(
            "s/t".into(),
            Item {
                note: Some("first line\n\nthird line".into()),
                ..Item::default()
            },
        );
        let text = write(&progress);
        assert!(text.ends_with("          third line\n"), "{text}");
        assert_eq!(read(&text), Some(progress));
    }
}
