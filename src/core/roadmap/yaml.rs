//! Reading YAML source text where serde_yaml keeps no positions: where a line and column are,
//! where a `key: value` pair or an anchor stands, where a control character is, and serde_yaml's
//! own messages without their positions, so every error reads `file:line:column: what`.

/// Where in the source a problem is: the line `key: value`, the `nth` time it occurs.
#[derive(Clone)]
pub(crate) struct Anchor<'a> {
    key: &'static str,
    value: &'a str,
    nth: usize,
}

impl<'a> Anchor<'a> {
    pub(crate) fn new(key: &'static str, value: &'a str, nth: usize) -> Self {
        Anchor { key, value, nth }
    }

    /// A textual search, not a YAML parse: serde_yaml keeps no positions after deserializing,
    /// and a `key: value` pair sits on one line in any roadmap a person writes, in block style
    /// (`- id: a`) or flow style (`- {id: a, title: A}`).
    pub(crate) fn find(&self, text: &str) -> Option<Location> {
        let mut count = 0;
        for (index, line) in text.lines().enumerate() {
            let mut from = 0;
            while let Some(offset) = line[from..].find(self.key) {
                let at = from + offset;
                from = at + self.key.len();
                let before = line[..at].trim_end();
                let starts_pair = before.is_empty()
                    || before.ends_with(['-', '{', ','])
                    || line[..at].ends_with("- ");
                let Some(rest) = line[from..].trim_start().strip_prefix(':') else {
                    continue;
                };
                if !starts_pair {
                    continue;
                }
                let in_flow = before.contains('{');
                let value = if in_flow {
                    rest.split([',', '}']).next().unwrap_or("")
                } else {
                    rest.split(" #").next().unwrap_or("")
                };
                let value = value.trim();
                // A quoted value is compared as YAML reads it: "a\tb" holds a tab.
                let quoted = (value.starts_with('"') && value.ends_with('"') && value.len() > 1)
                    || (value.starts_with('\'') && value.ends_with('\'') && value.len() > 1);
                let read;
                let unquoted = if quoted {
                    read = serde_yaml::from_str::<String>(value).unwrap_or_default();
                    read.as_str()
                } else {
                    value
                };
                if unquoted == self.value {
                    count += 1;
                    if count == self.nth {
                        return Some(Location {
                            line: index + 1,
                            column: line[..at].chars().count() + 1,
                        });
                    }
                }
            }
        }
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// What a text pathway reads may not hold: a roadmap, a progress file and a settings file need
/// no shared nodes, and serde_yaml bounds how many times an alias repeats, not how large the
/// repeated text is (a 1 MB string aliased 6,000 times took 6 GB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    Anchor,
    Alias,
    MergeKey,
    /// The event parser stopped here, with an anchor, alias or merge key possibly beyond it.
    Unreadable(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rule = "anchors and aliases (&name, *name) and merge keys (<<) are not allowed";
        match self {
            Refused::Anchor => write!(
                f,
                "{rule}: an anchor here; write the text out where it is used"
            ),
            Refused::Alias => write!(
                f,
                "{rule}: an alias here; write the text out where it is used"
            ),
            Refused::MergeKey => write!(
                f,
                "{rule}: a merge key here; write the keys out where they are used"
            ),
            Refused::Unreadable(why) => write!(
                f,
                "not YAML pathway can read safely ({why}), and an anchor, alias or merge key may follow"
            ),
        }
    }
}

/// Where the first anchor, alias or merge key of a text stands, read by a YAML event parser
/// (saphyr-parser), so it is found wherever YAML itself sees one: in block and flow style, after
/// a block scalar, never inside a string or a comment. The parser streams events without
/// building a tree or expanding anything, so any text is read in memory bounded by its size.
pub fn refused(text: &str) -> Option<(Location, Refused)> {
    // A text with none of `&`, `*` and `<<` has none of them (a generated roadmap, a progress
    // file): a few memchr passes, and no parse.
    let bytes = text.as_bytes();
    if !bytes.contains(&b'&') && !bytes.contains(&b'*') && !text.contains("<<") {
        return None;
    }
    let at = |marker: &saphyr_parser::Marker| Location {
        line: marker.line(),
        column: marker.col() + 1,
    };
    // Per open collection: `Some(next is a key)` in a mapping, `None` in a sequence.
    let mut open: Vec<Option<bool>> = Vec::new();
    for event in saphyr_parser::Parser::new_from_str(text) {
        let (event, span) = match event {
            Ok(event) => event,
            Err(error) => {
                let location = at(error.marker());
                let offset = text
                    .char_indices()
                    .nth(error.marker().index())
                    .map_or(text.len(), |(i, _)| i);
                let rest = &text[offset..];
                if rest.starts_with('*') {
                    return Some((location, Refused::Alias));
                }
                // A text serde_yaml would read differently: refused only if something this
                // rule is about can still come; else serde_yaml reports the error its way.
                let bytes = rest.as_bytes();
                return (bytes.contains(&b'&') || bytes.contains(&b'*') || rest.contains("<<"))
                    .then(|| (location, Refused::Unreadable(error.info().to_string())));
            }
        };
        use saphyr_parser::Event;
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        );
        let is_key = is_node
            && match open.last_mut() {
                Some(Some(key_next)) => std::mem::replace(key_next, !*key_next),
                _ => false,
            };
        let location = at(&span.start);
        match event {
            Event::Alias(_) => return Some((location, Refused::Alias)),
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if anchor > 0 =>
            {
                return Some((location, Refused::Anchor));
            }
            Event::Scalar(value, saphyr_parser::ScalarStyle::Plain, _, _)
                if is_key && value == "<<" =>
            {
                return Some((location, Refused::MergeKey));
            }
            Event::SequenceStart(..) => open.push(None),
            Event::MappingStart(..) => open.push(Some(true)),
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            _ => {}
        }
    }
    None
}

/// Where the first anchor, alias or merge key stands, if any (see [`refused`]).
pub fn find_anchor_or_alias(text: &str) -> Option<Location> {
    refused(text).map(|(location, _)| location)
}

/// Where the first control character of a roadmap's text stands: written raw, or as an escape
/// in a double-quoted string (`\e`, `\a`, `\x1b`, `\u001b`…).
pub(crate) fn control_location(text: &str) -> Option<Location> {
    for (index, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        for (col, c) in chars.iter().enumerate() {
            let escaped = *c == '\\' && {
                let rest: String = chars[col + 1..].iter().take(9).collect();
                let hex = |digits: usize| {
                    rest.get(1..=digits)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .and_then(char::from_u32)
                        .is_some_and(|c| c.is_control() && c != '\n' && c != '\t')
                };
                match rest.chars().next() {
                    Some('e' | 'a' | 'b' | 'v' | 'f' | '0' | 'r' | 'N') => true,
                    Some('x') => hex(2),
                    Some('u') => hex(4),
                    Some('U') => hex(8),
                    _ => false,
                }
            };
            if escaped || (c.is_control() && *c != '\t' && *c != '\r') {
                return Some(Location {
                    line: index + 1,
                    column: col + 1,
                });
            }
        }
    }
    None
}

/// Whether one-line text holds a control character (an escape sequence, a bell, a line break).
pub(crate) fn has_control(text: &str) -> bool {
    // Printable ASCII, nearly every text, is told by its bytes alone.
    !printable_ascii(text) && text.chars().any(char::is_control)
}

/// As `has_control`, for text of several lines: line breaks and tabs are allowed.
pub(crate) fn has_control_but_lines(text: &str) -> bool {
    !printable_ascii(text)
        && text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
}

fn printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// serde_yaml writes the location into its message ("… at line 3 column 5"); take it out so that
/// every error can read `file:line:column: what`.
pub(crate) fn yaml_message(error: &serde_yaml::Error) -> (Option<Location>, String) {
    let location = error.location().map(|l| Location {
        line: l.line(),
        column: l.column(),
    });
    let mut message = error.to_string();
    if let Some(l) = location {
        message = message.replace(&format!(" at line {} column {}", l.line, l.column), "");
    }
    (location, message)
}
