//! Text helpers shared by the screen and the printed reports: cutting to a width, bars, hours.

use unicode_width::UnicodeWidthChar;

/// Hours as a learner reads them: whole hours, or one decimal below ten.
pub fn hours_text(hours: f64) -> String {
    if hours < 10.0 && hours.fract() != 0.0 {
        format!("{hours:.1}")
    } else {
        format!("{}", hours.round() as u64)
    }
}

/// How dates read everywhere pathway shows one: "24 Nov 2026".
pub const DATE_FORMAT: &str = "%-d %b %Y";

/// A moment as the learner's day in their time zone: "24 Nov 2026".
pub fn date(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    at.to_zoned_datetime(tz.clone())
        .strftime(DATE_FORMAT)
        .to_string()
}

/// A calendar day as dates read: "24 Nov 2026".
pub fn day(day: jiff::civil::Date) -> String {
    day.strftime(DATE_FORMAT).to_string()
}

/// A count with its noun: "1 card", "2 cards", "0 tasks".
/// A date as the learner reads it: "24 Nov 2026". (By hand, as the other forms below: jiff's
/// `strftime` is a format interpreter, and was 20 KB of the binary for these five forms.)
pub fn date_text(date: jiff::civil::Date) -> String {
    format!("{} {} {:04}", date.day(), month(date), date.year())
}

/// "Tue 24 Nov".
pub fn weekday_date_text(date: jiff::civil::Date) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let weekday = DAYS[usize::from(date.weekday().to_monday_zero_offset().unsigned_abs()) % 7];
    format!("{weekday} {} {}", date.day(), month(date))
}

fn month(date: jiff::civil::Date) -> &'static str {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS[usize::from(date.month().unsigned_abs()).saturating_sub(1) % 12]
}

pub fn count(n: usize, noun: &str) -> String {
    format!("{n} {}", noun_for(n, noun))
}

/// The noun for a count: "task" for 1, "tasks" otherwise, for texts that put words between
/// the number and its noun ("3/5 tasks done").
pub fn noun_for(n: usize, noun: &str) -> String {
    if n == 1 {
        noun.to_string()
    } else {
        format!("{noun}s")
    }
}

/// A time to wait, in the one unit that reads best: "5m", "3h", "12d", "4mo", "2y".
pub fn interval(wait: jiff::SignedDuration) -> String {
    let minutes = (wait.as_secs().max(0) + 30) / 60;
    let days = (minutes + 12 * 60) / (24 * 60);
    match minutes {
        0..60 => format!("{}m", minutes.max(1)),
        60..1440 => format!("{}h", (minutes + 30) / 60),
        _ if days < 60 => format!("{days}d"),
        _ if days < 365 => format!("{}mo", (days + 15) / 30),
        _ => format!("{}y", (days + 182) / 365),
    }
}

/// When something comes: "in 5 min", "in 3 h", "Fri 12 Dec, in 9 days". The one wording the
/// checklist and the command line use for when a card is due next.
pub fn when(at: jiff::Timestamp, now: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let minutes = at.duration_since(now).as_secs() / 60;
    if minutes < 60 {
        return format!("in {} min", minutes.max(1));
    }
    if minutes < 24 * 60 {
        return format!("in {} h", minutes / 60);
    }
    let date = at.to_zoned_datetime(tz.clone());
    let days = (minutes + 12 * 60) / (24 * 60);
    format!(
        "{}, in {}",
        weekday_date_text(date.date()),
        count(days as usize, "day")
    )
}

/// When a card falls (or fell) due, in whole days: "due in 3 days", "due in 5 h", "due
/// today", "3 days overdue". A card reviewed ahead is due later, never "-3 days overdue".
pub fn due_words(due: jiff::Timestamp, now: jiff::Timestamp) -> String {
    if due > now {
        let minutes = due.duration_since(now).as_secs() / 60;
        return match minutes {
            0..60 => format!("due in {} min", minutes.max(1)),
            60..1440 => format!("due in {} h", minutes / 60),
            _ => format!("due in {}", count(((minutes + 720) / 1440) as usize, "day")),
        };
    }
    match now.duration_since(due).as_secs() / 86_400 {
        0 => "due today".to_string(),
        1 => "1 day overdue".to_string(),
        n => format!("{n} days overdue"),
    }
}

/// A text progress bar: filled and empty parts, `width` cells in all.
pub fn bar(ratio: f64, width: usize) -> (String, String) {
    let filled = ((ratio.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    ("█".repeat(filled), "░".repeat(width - filled))
}

/// Roadmap text is hard-wrapped in the YAML; join each paragraph's lines so a pane can wrap them
/// to its own width.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect()
}

pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `width` cells, ending in `…` when anything was cut.
pub fn fit(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Breaks `text` into lines of at most `width` cells, at spaces where it can (a word longer
/// than a line is cut), for text laid out by hand: a hanging indent, a column kept.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ') {
        let w = display_width(word);
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        // A word longer than the line is cut where it must be.
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if used + cw > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_strftime_writes_them() {
        let mut date = jiff::civil::date(1999, 12, 20);
        for _ in 0..800 {
            assert_eq!(date_text(date), date.strftime("%-d %b %Y").to_string());
            assert_eq!(
                weekday_date_text(date),
                date.strftime("%a %-d %b").to_string()
            );
            date = date.tomorrow().expect("a later day");
        }
        let at: jiff::Timestamp = "2026-02-03T04:05:06.7Z".parse().expect("time");
        assert_eq!(
            crate::core::history::day(at),
            at.strftime("%Y-%m-%d").to_string()
        );
    }

    #[test]
    fn a_card_due_later_is_due_in_some_time_never_negative_days_overdue() {
        let now = jiff::Timestamp::from_second(1_700_000_000).expect("valid");
        let later = |secs: i64| now + jiff::SignedDuration::from_secs(secs);
        assert_eq!(due_words(later(3 * 86_400), now), "due in 3 days");
        assert_eq!(due_words(later(5 * 3600), now), "due in 5 h");
        assert_eq!(due_words(later(60), now), "due in 1 min");
        assert_eq!(due_words(now, now), "due today");
        assert_eq!(due_words(later(-3 * 86_400), now), "3 days overdue");
        assert_eq!(when(later(60), now, &jiff::tz::TimeZone::UTC), "in 1 min");
    }

    #[test]
    fn fit_counts_cells_not_chars() {
        assert_eq!(fit("hello", 5), "hello");
        assert_eq!(fit("hello", 4), "hel…");
        assert_eq!(fit("日本語", 4), "日…");
        assert_eq!(fit("x", 0), "");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_only_words_too_long() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("日本語 text", 6), ["日本語", "text"]);
        assert_eq!(wrap("a b", 0), ["a", "b"]);
    }

    #[test]
    fn bar_fills_in_proportion() {
        assert_eq!(bar(0.5, 4), ("██".to_string(), "░░".to_string()));
        assert_eq!(bar(1.5, 2), ("██".to_string(), String::new()));
        assert_eq!(
            bar(f64::NAN, 2).0.chars().count() + bar(f64::NAN, 2).1.chars().count(),
            2
        );
    }
}

/// Text from a file or from standard input, made safe to print: every control character but
/// line feed and tab (C0, DEL and C1: the ones that make a terminal clear the screen, rename
/// the window or write the clipboard), and every bidirectional override or isolate (which make
/// a terminal show text in another order than it is, "Trojan Source"), is shown escaped, as
/// `\u{1b}`.
pub fn clean(text: &str) -> std::borrow::Cow<'_, str> {
    escape(text, unsafe_char)
}

/// One-line text (a file name, an id) made safe to print on one line: as `clean`, and line
/// feeds and tabs escaped too, so a name holding a newline can neither split the line it is
/// printed on nor forge a line of its own.
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t' || unsafe_char(c))
}

/// A path as one printable line (see `one_line`): for every message that names a file.
pub fn shown(path: &std::path::Path) -> String {
    one_line(&path.to_string_lossy()).into_owned()
}

fn escape(text: &str, bad: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(&bad) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// What `clean` escapes: control characters but line feed and tab, and bidirectional controls.
pub fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// The bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they
/// reorder what a terminal shows, so printed text could read differently from what it is.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A writer that passes everything through `clean`: what the command line prints can carry
/// text from files, and none of it may drive the terminal.
pub struct CleanWriter<W: std::io::Write>(pub W);

impl<W: std::io::Write> std::io::Write for CleanWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        self.0.write_all(clean(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

#[cfg(test)]
mod clean_tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_lines_and_tabs_kept() {
        assert_eq!(clean("plain\tline\n"), "plain\tline\n");
        assert_eq!(clean("\u{1b}[2Jx"), "\\u{1b}[2Jx");
        assert_eq!(clean("\u{1b}]52;c;aGk=\u{7}"), "\\u{1b}]52;c;aGk=\\u{7}");
        assert_eq!(clean("a\u{9b}b\u{7f}\r"), "a\\u{9b}b\\u{7f}\\u{d}");
    }

    #[test]
    fn bidirectional_overrides_and_isolates_are_escaped() {
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            let text = format!("a{c}b");
            assert_eq!(clean(&text), format!("a\\u{{{:x}}}b", c as u32));
        }
        // Marks that only hint a direction, and right-to-left text itself, are kept.
        assert_eq!(clean("\u{200f}שלום"), "\u{200f}שלום");
    }

    #[test]
    fn one_line_text_escapes_line_breaks_and_tabs_too() {
        assert_eq!(one_line("a\nb\tc"), "a\\u{a}b\\u{9}c");
        assert_eq!(
            shown(std::path::Path::new("/tmp/x\n: ok, 3 steps\u{202e}")),
            "/tmp/x\\u{a}: ok, 3 steps\\u{202e}"
        );
        assert_eq!(one_line("plain"), "plain");
    }
}
