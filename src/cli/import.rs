//! Reading a Markdown task list written by `export` (and edited by hand) back into progress.

use jiff::Timestamp;

use crate::cli::report::ID_COMMENT_START;
use crate::core::progress::{RoadmapProgress, Status};
use crate::core::roadmap::{Roadmap, Target, task_key};

/// What an imported Markdown file says, line by line, before it is applied.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Import {
    /// (progress key, status) for each task line matched to a task.
    pub statuses: Vec<(String, Status)>,
    /// (progress key, note) for each step or task followed by a quote.
    pub notes: Vec<(String, String)>,
    /// Lines that look like tasks but match none, with their line numbers.
    pub unmatched: Vec<(usize, String)>,
    /// Items the file says two different things about (two statuses, or two notes), with the
    /// lines that disagree: neither is applied.
    pub conflicts: Vec<(String, Vec<usize>)>,
}

/// Reads a task list written by `markdown` (and perhaps edited by hand). Task lines are matched by
/// their id comment, or else by a title equal to exactly one task's; anything else is reported,
/// never guessed. A quote under a step heading or a task line is that item's note.
pub fn parse_markdown(text: &str, roadmap: &Roadmap) -> Import {
    let mut import = Import::default();
    // The item the quote lines below belong to, and the note gathered so far.
    let mut current: Option<String> = None;
    let mut note: Option<Vec<String>> = None;
    let mut lines_of: std::collections::HashMap<String, Vec<usize>> = Default::default();
    let flush = |import: &mut Import, current: &Option<String>, note: &mut Option<Vec<String>>| {
        if let (Some(key), Some(lines)) = (current, note.take()) {
            import.notes.push((key.clone(), lines.join("\n")));
        }
    };
    for (index, raw) in text.lines().enumerate() {
        // A quote line keeps the end of its text: a note's trailing spaces are the learner's.
        if let Some(rest) = raw.trim_start().strip_prefix('>') {
            if current.is_some() {
                let rest = rest.strip_prefix(' ').unwrap_or(rest);
                note.get_or_insert_with(Vec::new).push(note_line(rest));
            }
            continue;
        }
        let line = raw.trim();
        flush(&mut import, &current, &mut note);
        if line.starts_with('#') {
            current = comment_id(line).and_then(|id| match roadmap.resolve_exact(&id) {
                Some(Target::Step(s)) => Some(roadmap.steps[s].id.to_string()),
                _ => None,
            });
            continue;
        }
        let Some((status, title, id)) = task_line(line) else {
            if !line.is_empty() {
                current = None;
            }
            continue;
        };
        let target = match id {
            Some(id) => roadmap.resolve_exact(&id),
            None => by_title(roadmap, &title),
        };
        match target {
            Some(Target::Task(s, t)) => {
                let key = task_key(&roadmap.steps[s], &roadmap.steps[s].tasks[t]);
                import.statuses.push((key.clone(), status));
                lines_of.entry(key.clone()).or_default().push(index + 1);
                current = Some(key);
            }
            _ => {
                import.unmatched.push((index + 1, line.to_string()));
                current = None;
            }
        }
    }
    flush(&mut import, &current, &mut note);
    // An item the file says two different things about is left as it is, and reported.
    let mut disagree: Vec<String> = Vec::new();
    for (key, status) in &import.statuses {
        let other = import.statuses.iter().any(|(k, s)| k == key && s != status);
        let notes = import.notes.iter().filter(|(k, _)| k == key);
        let two_notes = notes
            .clone()
            .any(|(_, n)| notes.clone().any(|(_, m)| m != n));
        if (other || two_notes) && !disagree.contains(key) {
            disagree.push(key.clone());
        }
    }
    import.statuses.retain(|(k, _)| !disagree.contains(k));
    import.notes.retain(|(k, _)| !disagree.contains(k));
    import.statuses.dedup();
    import.conflicts = disagree
        .into_iter()
        .map(|key| {
            let lines = lines_of.remove(&key).unwrap_or_default();
            (key, lines)
        })
        .collect();
    import
}

/// A note's line as `report::quoted_note_line` writes it: `\\` is a backslash and `\u{d}` the
/// character it names; any other backslash (a hand-written `\d`) stays as it is.
fn note_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if let Some(after) = tail.strip_prefix("\\\\") {
            out.push('\\');
            rest = after;
        } else if let Some((c, after)) = escaped_char(tail) {
            out.push(c);
            rest = after;
        } else {
            out.push('\\');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `\u{hex}` at the start of `text`: the character and what follows it.
fn escaped_char(text: &str) -> Option<(char, &str)> {
    let body = text.strip_prefix("\\u{")?;
    let end = body.find('}')?;
    let c = u32::from_str_radix(&body[..end], 16)
        .ok()
        .and_then(char::from_u32)?;
    Some((c, &body[end + 1..]))
}

fn comment_id(line: &str) -> Option<String> {
    let start = line.find(ID_COMMENT_START)? + ID_COMMENT_START.len();
    let end = line[start..].find("-->")? + start;
    Some(line[start..end].trim().to_string())
}

/// `- [x] Title _(tag)_ <!-- pathway:id -->` → (status, title, id).
fn task_line(line: &str) -> Option<(Status, String, Option<String>)> {
    let rest = line
        .strip_prefix("- [")
        .or_else(|| line.strip_prefix("* ["))?;
    let mut chars = rest.chars();
    let mark = chars.next()?;
    let rest = chars.as_str().strip_prefix(']')?;
    let id = comment_id(rest);
    let mut title = match rest.find("<!--") {
        Some(i) => &rest[..i],
        None => rest,
    }
    .trim()
    .to_string();
    let mut status = match mark {
        'x' | 'X' => Status::Done,
        '~' => Status::InProgress,
        '-' => Status::Skipped,
        ' ' => Status::Todo,
        _ => return None,
    };
    for (tag, tagged) in [
        ("_(in progress)_", Status::InProgress),
        ("_(skipped)_", Status::Skipped),
    ] {
        if let Some(t) = title.strip_suffix(tag) {
            title = t.trim_end().to_string();
            if status == Status::Todo {
                status = tagged;
            }
        }
    }
    Some((status, title, id))
}

fn by_title(roadmap: &Roadmap, title: &str) -> Option<Target> {
    let mut found = None;
    for (s, step) in roadmap.steps.iter().enumerate() {
        for (t, task) in step.tasks.iter().enumerate() {
            if task.title == title {
                if found.is_some() {
                    return None;
                }
                found = Some(Target::Task(s, t));
            }
        }
    }
    found
}

/// One change `import` makes (or would make, with `--dry-run`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportChange {
    Status(String, Status, Status),
    Note(String),
}

impl std::fmt::Display for ImportChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportChange::Status(key, from, to) => {
                write!(f, "{key}: {} → {}", from.label(), to.label())
            }
            ImportChange::Note(key) => write!(f, "{key}: note updated"),
        }
    }
}

/// Applies an import to the progress: statuses that differ, and notes that differ. A note
/// missing from the file leaves the learner's note alone; import never deletes one.
pub fn apply_import(
    import: &Import,
    rp: &mut RoadmapProgress,
    now: Timestamp,
) -> Vec<ImportChange> {
    let mut changes = Vec::new();
    for (key, status) in &import.statuses {
        let from = rp.status(key);
        if rp.set_status(key, *status, now) {
            changes.push(ImportChange::Status(key.clone(), from, *status));
        }
    }
    // The export keeps a note exactly, but an editor may strip the spaces at the end of a line
    // or end lines with CRLF: a note that differs from the learner's only there is the same
    // note, not an edit (into a copy without it, the note comes in exactly as exported).
    let plain = |text: &str| -> Vec<String> {
        text.trim_end()
            .lines()
            .map(|l| l.trim_end().to_string())
            .collect()
    };
    for (key, note) in &import.notes {
        if rp.note(key).is_some_and(|mine| plain(mine) == plain(note)) {
            continue;
        }
        if !note.trim().is_empty() && rp.set_note(key, note, now) {
            changes.push(ImportChange::Note(key.clone()));
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::report::markdown;

    fn roadmap() -> Roadmap {
        Roadmap::embedded().expect("valid")
    }

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(secs).expect("valid")
    }

    #[test]
    fn markdown_round_trips_statuses_and_notes() {
        let r = roadmap();
        let mut rp = RoadmapProgress::default();
        rp.set_status("databases/sql-basics", Status::Done, at(1));
        rp.set_status("databases/mongodb", Status::Skipped, at(1));
        rp.set_status("git/basics", Status::InProgress, at(1));
        rp.set_note(
            "databases/sql-basics",
            "joins first\n\nthen > indexes",
            at(1),
        );
        rp.set_note("linux", "use a VM", at(1));
        let md = markdown(&r, &rp, "1 Jan 2026");
        assert!(md.contains(
            "- [x] Answer ten questions with SELECT, JOIN and GROUP BY <!-- pathway:databases/sql-basics -->"
        ));
        assert!(md.contains("  > joins first\n  >\n  > then > indexes\n"));
        let import = parse_markdown(&md, &r);
        assert!(import.unmatched.is_empty(), "{:?}", import.unmatched);
        let mut fresh = RoadmapProgress::default();
        apply_import(&import, &mut fresh, at(2));
        for key in [
            "databases/sql-basics",
            "databases/mongodb",
            "git/basics",
            "cloud/iac",
        ] {
            assert_eq!(fresh.status(key), rp.status(key), "{key}");
        }
        assert_eq!(
            fresh.note("databases/sql-basics"),
            rp.note("databases/sql-basics")
        );
        assert_eq!(fresh.note("linux"), Some("use a VM"));
    }

    #[test]
    fn a_note_survives_export_and_import_into_a_new_copy_byte_for_byte() {
        let r = roadmap();
        let mut rp = RoadmapProgress::default();
        let notes = [
            (
                "databases/sql-basics",
                "trailing   \r\n two  \nlast line   \r",
            ),
            (
                "linux",
                "tabs\tand a \\u{d} written out, C:\\path\\ and \\\\ two",
            ),
            ("git/basics", "  indented\n\n \n\u{1b}[31m bell \u{7}"),
        ];
        for (key, note) in notes {
            assert!(rp.set_note(key, note, at(1)), "{key}");
            assert_eq!(rp.note(key), Some(note), "kept as written: {key}");
        }
        let md = markdown(&r, &rp, "1 Jan 2026");
        assert!(
            !md.contains(['\r', '\u{1b}']),
            "a text file, safe to print: {md:?}"
        );
        assert!(md.contains("  > trailing   \\u{d}\n"), "{md}");
        let import = parse_markdown(&md, &r);
        let mut fresh = RoadmapProgress::default();
        apply_import(&import, &mut fresh, at(2));
        for (key, note) in notes {
            assert_eq!(fresh.note(key), Some(note), "{key}");
        }
    }

    #[test]
    fn a_hand_written_backslash_in_a_quote_stays_as_it_is() {
        assert_eq!(
            note_line(r"match \d+ and \u{zz} or \u{110000}"),
            r"match \d+ and \u{zz} or \u{110000}"
        );
        assert_eq!(note_line(r"a \\ b \u{41}"), r"a \ b A");
    }

    #[test]
    fn two_lines_that_disagree_about_a_task_change_neither() {
        let r = roadmap();
        let text = "\
- [x] Learn Rust <!-- pathway:databases/sql-basics -->
- [ ] Again <!-- pathway:databases/sql-basics -->
- [x] <!-- pathway:git/basics -->
- [x] <!-- pathway:git/basics -->
";
        let import = parse_markdown(text, &r);
        assert_eq!(
            import.conflicts,
            vec![("databases/sql-basics".to_string(), vec![1, 2])]
        );
        assert_eq!(
            import.statuses,
            vec![("git/basics".to_string(), Status::Done)],
            "the same thing twice is no conflict"
        );
    }

    #[test]
    fn hand_edits_are_read_and_strangers_reported() {
        let r = roadmap();
        let text = "\
## 2. Databases <!-- pathway:databases -->
- [X] Model the blog and normalize it
* [~] Try MongoDB: documents, collections and queries <!-- pathway:databases/mongodb -->
- [x] Learn Rust <!-- pathway:databases/rust -->
- [x] Something I added myself
";
        let import = parse_markdown(text, &r);
        assert_eq!(
            import.statuses,
            vec![
                ("databases/data-modeling".to_string(), Status::Done),
                ("databases/mongodb".to_string(), Status::InProgress),
            ]
        );
        assert_eq!(
            import.unmatched.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
            vec![4, 5]
        );
    }
}
