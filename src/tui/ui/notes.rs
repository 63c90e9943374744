//! The notes view (`N`): every note on the roadmap, grouped by step, over the whole width of the
//! window: a title line per note, its text indented under it, wrapped lines keeping the indent.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget};

use super::display_width;
use crate::core::text::wrap;
use crate::tui::app::{App, Overlay};
use crate::tui::config::Config;

/// Where a note's text starts: under its title, past the marker and the checkbox.
const INDENT: usize = 6;

/// `text` wrapped to `width` cells, every line after `first` (the title line's lead) indented
/// by `INDENT`.
fn hanging(first: &str, text: &str, width: usize) -> Vec<String> {
    let room = width.saturating_sub(INDENT).max(1);
    let mut lines: Vec<String> = wrap(text, room);
    for (i, line) in lines.iter_mut().enumerate() {
        let lead = if i == 0 {
            first.to_string()
        } else {
            " ".repeat(INDENT)
        };
        *line = format!("{lead}{line}");
    }
    lines
}

/// A note's own lines, each wrapped to `width` under the indent, a line's own leading spaces
/// (a list, a code block) kept on every line it wraps to.
fn note_lines(note: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in note.lines() {
        let line = line.replace('\t', "    ");
        let body = line.trim_start_matches(' ');
        let own = line.len() - body.len();
        // A list item's lines after the first go under its text, past the bullet.
        let bullet = list_marker(body);
        let room = width.saturating_sub(INDENT + own + bullet).max(1);
        for (i, part) in wrap(body.trim_end(), room).into_iter().enumerate() {
            let hang = if i == 0 { 0 } else { bullet };
            out.push(format!("{:width$}{part}", "", width = INDENT + own + hang));
        }
    }
    out
}

/// The width of a list item's marker ("- ", "* ", "12. "), or 0.
fn list_marker(line: &str) -> usize {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return 2;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        digits + 2
    } else {
        0
    }
}

/// A note's title, wrapped under itself; the date after it, dim, or under it if it has no room.
fn push_title(
    lines: &mut Vec<Line<'static>>,
    (lead, what, edited): (&str, &str, &str),
    (style, dim): (Style, Style),
    width: usize,
) {
    let mut title_lines = hanging(lead, what, width);
    let last = title_lines.pop().unwrap_or_default();
    for text in title_lines {
        lines.push(Line::styled(text, style));
    }
    if display_width(&last) + display_width(edited) <= width {
        lines.push(Line::from(vec![
            Span::styled(last, style),
            Span::styled(edited.to_string(), dim),
        ]));
    } else {
        lines.push(Line::styled(last, style));
        let date = edited.trim_start_matches(" · ");
        lines.push(Line::styled(format!("{:INDENT$}{date}", ""), dim));
    }
}

/// A little of what comes before the selected note (its first and last lines), the whole note
/// when it fits (else its title at the top), and no blank screen past the end.
fn scroll_to((top, bottom): (usize, usize), height: usize, len: usize) -> usize {
    let mut scroll = top.saturating_sub(height / 3);
    if bottom - top < height {
        scroll = scroll.max((bottom + 1).saturating_sub(height));
    }
    scroll.min(top).min(len.saturating_sub(height))
}

pub fn render(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let Overlay::Notes {
        selected, query, ..
    } = app.overlay()
    else {
        return;
    };
    let entries = app.notes();
    let shown = crate::core::notes::matching(&entries, query);
    let selected = &(*selected).min(shown.len().saturating_sub(1));
    let mut title = format!(" Your notes · {} ", shown.len());
    if !query.is_empty() {
        title.push_str(&format!("· /{query} "));
    }
    let block = Block::bordered()
        .title(title)
        .border_style(theme.border_focus)
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    Clear.render(area, buf);
    block.render(area, buf);
    let width = inner.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let plain = |lines: &mut Vec<Line<'static>>, text: &str, style: Style| {
        for part in wrap(text, width) {
            lines.push(Line::styled(part, style));
        }
    };
    if entries.is_empty() {
        plain(&mut lines, "No notes yet.", Style::default());
        lines.push(Line::default());
        plain(
            &mut lines,
            &format!(
                "Select a step or task and press {} to write what you learned, in your own \
                 words: this view gathers every note, step by step, for review.",
                config.keymap.key_for(crate::tui::app::Action::EditNote)
            ),
            theme.dim,
        );
    } else if shown.is_empty() {
        plain(
            &mut lines,
            &format!("No note matches \"{query}\"."),
            Style::default(),
        );
    }
    // The selected note's first and last lines, to keep it in view.
    let mut selected_lines = (0, 0);
    let mut last_step = None;
    for (i, entry) in shown.iter().enumerate() {
        if last_step != Some(entry.step) {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            let step = &app.roadmap().steps[entry.step];
            plain(
                &mut lines,
                &format!("{} · {}", entry.step + 1, step.title),
                theme.heading,
            );
            last_step = Some(entry.step);
        }
        let is_selected = i == *selected;
        let first = lines.len();
        let marker = if is_selected { "›" } else { " " };
        let what = if entry.task.is_some() {
            entry.title.clone()
        } else {
            "The step itself".to_string()
        };
        let edited = entry
            .edited
            .map(|at| format!(" · {}", config.date(at)))
            .unwrap_or_default();
        let style = if is_selected {
            theme.selected
        } else {
            theme.title
        };
        let lead = format!("{marker} {} ", entry.status.checkbox());
        push_title(
            &mut lines,
            (&lead, &what, &edited),
            (style, theme.dim),
            width,
        );
        lines.extend(note_lines(&entry.note, width).into_iter().map(Line::raw));
        if is_selected {
            selected_lines = (first, lines.len().saturating_sub(1));
        }
    }
    let scroll = scroll_to(selected_lines, inner.height as usize, lines.len());
    Paragraph::new(lines)
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .render(inner, buf);
}
