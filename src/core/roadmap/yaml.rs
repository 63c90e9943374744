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

/// Where the first YAML anchor (`&name`) or alias (`*name`) of a text stands, if any. A scan of
/// the text, not a parse: it skips comments, quoted strings and the lines of block scalars
/// (`|`, `>`), and takes `&` or `*` only where a node begins (after `: `, `- `, `[`, `{`, `,`,
/// `? ` or at the start of a line), which is the only place YAML reads them as anchors.
pub fn find_anchor_or_alias(text: &str) -> Option<Location> {
    // Byte by byte: every character that matters here is ASCII, and the bytes of any other
    // character (all 0x80 and above in UTF-8) are never one of them. A 100,000-task roadmap is
    // scanned at every start, so this avoids decoding characters until one is found.
    // A text with neither byte anywhere (a generated roadmap, a progress file) has neither: two
    // memchr passes over it, and no line is looked at.
    let bytes = text.as_bytes();
    if !bytes.contains(&b'&') && !bytes.contains(&b'*') {
        return None;
    }
    // The indentation of the line that opened a block scalar, while inside one.
    let mut block: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        if let Some(opened) = block {
            if line.trim().is_empty() || indent > opened {
                continue;
            }
            block = None;
        }
        let mut quote: Option<u8> = None;
        let mut node_start = true;
        // Most lines hold neither `&` nor `*`: nothing to look at in them but a block's start.
        let mut i = if bytes.iter().any(|&b| b == b'&' || b == b'*') {
            0
        } else {
            bytes.len()
        };
        while i < bytes.len() {
            let c = bytes[i];
            let next = bytes.get(i + 1).copied();
            match quote {
                Some(b'"') if c == b'\\' => i += 1,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    b'"' | b'\'' if node_start => quote = Some(c),
                    b'#' if i == 0 || bytes[i - 1] == b' ' => break,
                    b'&' | b'*' if node_start => {
                        if line[i + 1..]
                            .chars()
                            .next()
                            .is_some_and(|n| !n.is_whitespace())
                        {
                            return Some(Location {
                                line: index + 1,
                                column: line[..i].chars().count() + 1,
                            });
                        }
                    }
                    b' ' | b'\t' => {}
                    b'[' | b'{' | b',' => node_start = true,
                    b':' | b'-' | b'?' if next.is_none_or(|n| n == b' ') => node_start = true,
                    _ => node_start = false,
                },
            }
            i += 1;
        }
        // A block scalar's indicator ends its line: what follows, indented deeper, is text.
        if !bytes.contains(&b'|') && !bytes.contains(&b'>') {
            continue;
        }
        let code = line.split(" #").next().unwrap_or(line).trim_end();
        let indicator = code.rsplit(' ').next().unwrap_or("");
        if indicator.starts_with(['|', '>'])
            && indicator[1..]
                .chars()
                .all(|c| matches!(c, '-' | '+' | '1'..='9'))
        {
            block = Some(indent);
        }
    }
    None
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
