//! The `?` overlay: what the roadmap is about, then every key from the key table. `/` narrows it
//! to the lines with the text typed.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget, Wrap};

use super::Theme;
use crate::app::{App, Overlay};

fn query(app: &App) -> String {
    match app.overlay() {
        Overlay::Help { query, .. } => query.to_lowercase(),
        _ => String::new(),
    }
}

fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let query = query(app);
    let matches = |text: &str| query.is_empty() || text.to_lowercase().contains(&query);
    let mut lines: Vec<Line<'static>> = Vec::new();
    // Each section: its heading, then its lines; a section with no line left is left out.
    let mut section = |heading: &'static str, body: Vec<Line<'static>>| {
        if body.is_empty() {
            return;
        }
        if !lines.is_empty() {
            lines.push(Line::default());
        }
        lines.push(Line::styled(heading, theme.heading));
        lines.extend(body);
    };
    let roadmap = app.roadmap();
    let mut about: Vec<Line<'static>> = Vec::new();
    for para in super::paragraphs(roadmap.overview.trim()) {
        if matches(&para) {
            if !about.is_empty() {
                about.push(Line::default());
            }
            about.push(Line::raw(para));
        }
    }
    if let Some(source) = roadmap.source.as_deref().filter(|s| matches(s)) {
        if !about.is_empty() {
            about.push(Line::default());
        }
        about.push(Line::from(vec![
            Span::styled("Based on: ", theme.dim),
            Span::raw(source.to_string()),
        ]));
    }
    section("About this roadmap", about);
    let legend: Vec<Line<'static>> = [
        ("[ ]", "to do"),
        ("[~]", "in progress"),
        ("[x]", "done"),
        ("[-]", "skipped: does not count against your progress"),
        ("✎", "has a note of yours"),
        (
            "↻",
            "done but fading: your recall of its weakest card is below the retention aimed at; \
             review it (f shows only these)",
        ),
    ]
    .into_iter()
    .filter(|(mark, what)| matches(mark) || matches(what))
    .map(|(mark, what)| {
        Line::from(vec![
            Span::styled(format!("{mark:>3}  "), theme.key),
            Span::raw(what.to_string()),
        ])
    })
    .collect();
    section("Marks in the checklist", legend);
    let sections = app.keymap().help_sections();
    let key_width = sections
        .iter()
        .flat_map(|(_, lines)| lines.iter().map(|(k, _)| super::display_width(k)))
        .max()
        .unwrap_or(0);
    for (heading, bindings) in sections {
        let body = bindings
            .into_iter()
            .filter(|(keys, what)| matches(keys) || matches(what) || matches(heading))
            .map(|(keys, what)| {
                Line::from(vec![
                    Span::styled(format!("{keys:>key_width$}  "), theme.key),
                    Span::raw(what),
                ])
            })
            .collect();
        section(heading, body);
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            format!("Nothing in the help matches \"{query}\"."),
            theme.dim,
        ));
    }
    lines
}

fn paragraph(app: &App, theme: &Theme) -> Paragraph<'static> {
    Paragraph::new(lines(app, theme)).wrap(Wrap { trim: false })
}

fn block(app: &App, theme: &Theme) -> Block<'static> {
    let key = |action| app.keymap().key_in(crate::app::Mode::Help, action);
    Block::bordered()
        .title(format!(
            " Help · {} search · {} close ",
            key(crate::app::Action::StartFilter),
            key(crate::app::Action::Cancel)
        ))
        .border_style(theme.border_focus)
        .padding(Padding::horizontal(1))
}

/// The overlay's place: centred in `area`, with a blank margin around it so its border never
/// runs into the panes' borders beneath.
fn popup(area: Rect) -> Rect {
    let room = area.inner(Margin::new(1, 1));
    let width = room.width.min(80);
    Rect {
        x: room.x + (room.width - width) / 2,
        width,
        ..room
    }
}

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let popup = popup(area);
    let paragraph = paragraph(app, theme);
    let inner = block(app, theme).inner(popup);
    let max = paragraph
        .line_count(inner.width)
        .saturating_sub(inner.height as usize);
    let max = u16::try_from(max).unwrap_or(u16::MAX);
    app.report_viewport(|v| v.help_max_scroll = max);
    let scroll = app.help_scroll().min(max);
    let margin = Rect {
        x: popup.x.saturating_sub(1).max(area.x),
        width: (popup.width + 2).min(area.width),
        ..area
    };
    Clear.render(margin, buf);
    paragraph
        .scroll((scroll, 0))
        .block(block(app, theme))
        .render(popup, buf);
}
