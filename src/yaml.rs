//! YAML source text, before and after serde reads it: where an anchor, an alias or a control
//! character stands (scans of the text, as serde_yaml keeps no positions), and serde_yaml's
//! errors turned into `line:column: what`. Shared by roadmaps, progress files and settings.

/// Where the first YAML anchor (`&name`) or alias (`*name`) of a text stands, if any. A scan of
/// the text, not a parse: it skips comments, quoted strings and the lines of block scalars
/// (`|`, `>`), and takes `&` or `*` only where a node begins (after `: `, `- `, `[`, `{`, `,`,
/// `? ` or at the start of a line), which is the only place YAML reads them as anchors.
pub fn find_anchor_or_alias(text: &str) -> Option<Location> {
    // The indentation of the line that opened a block scalar, while inside one.
    let mut block: Option<usize> = None;
    for (index, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(opened) = block {
            if line.trim().is_empty() || indent > opened {
                continue;
            }
            block = None;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut quote: Option<char> = None;
        let mut node_start = true;
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match quote {
                Some('"') if c == '\\' => i += 1,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' if node_start => quote = Some(c),
                    '#' if i == 0 || chars[i - 1] == ' ' => break,
                    '&' | '*' if node_start => {
                        if chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
                            return Some(Location {
                                line: index + 1,
                                column: i + 1,
                            });
                        }
                    }
                    ' ' | '\t' => {}
                    '[' | '{' | ',' => node_start = true,
                    ':' | '-' | '?' if chars.get(i + 1).is_none_or(|n| *n == ' ') => {
                        node_start = true
                    }
                    _ => node_start = false,
                },
            }
            i += 1;
        }
        // A block scalar's indicator ends its line: what follows, indented deeper, is text.
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
pub fn control_location(text: &str) -> Option<Location> {
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
pub fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// As `has_control`, for text of several lines: line breaks and tabs are allowed.
pub fn has_control_but_lines(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// serde_yaml writes the location into its message ("… at line 3 column 5"); take it out so that
/// every error can read `file:line:column: what`.
pub fn yaml_message(error: &serde_yaml::Error) -> (Option<Location>, String) {
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
