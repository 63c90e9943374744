//! The `?` overlay: what the roadmap is about, then every key from the key table, each with the
//! name a settings file gives its action. `/` narrows it to the lines with the text typed. Lines
//! are laid out by hand, so a wrapped line keeps its column.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget};

use super::display_width;
use crate::core::text::wrap;
use crate::tui::app::{App, Overlay};
use crate::tui::config::Config;

fn query(app: &App) -> String {
    match app.overlay() {
        Overlay::Help { query, .. } => query.to_lowercase(),
        _ => String::new(),
    }
}

/// Columns (`lead`, already padded, and its style), then `text` wrapped to `width` with every
/// line after the first starting under the text.
fn columns(lead: Vec<Span<'static>>, text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    let indent: usize = lead.iter().map(|s| display_width(&s.content)).sum();
    let room = width.saturating_sub(indent).max(1);
    let mut lines = Vec::new();
    let mut lead = Some(lead);
    for part in wrap(text, room) {
        let mut spans = lead
            .take()
            .unwrap_or_else(|| vec![Span::raw(" ".repeat(indent))]);
        spans.push(Span::styled(part, style));
        lines.push(Line::from(spans));
    }
    lines
}

/// Text wrapped to `width`, every line in `style`.
fn plain(text: &str, style: Style, width: usize) -> Vec<Line<'static>> {
    wrap(text, width)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

/// The roadmap's overview and source, as far as they match the search.
fn about(
    app: &App,
    matches: &impl Fn(&str) -> bool,
    theme: &crate::tui::theme::Theme,
    width: usize,
) -> Vec<Line<'static>> {
    let roadmap = app.roadmap();
    let mut about: Vec<Line<'static>> = Vec::new();
    for para in super::paragraphs(roadmap.overview.trim()) {
        if matches(&para) {
            if !about.is_empty() {
                about.push(Line::default());
            }
            about.extend(plain(&para, Style::default(), width));
        }
    }
    if let Some(source) = roadmap.source.as_deref().filter(|s| matches(s)) {
        if !about.is_empty() {
            about.push(Line::default());
        }
        about.extend(columns(
            vec![Span::styled("Based on: ", theme.dim)],
            source,
            Style::default(),
            width,
        ));
    }
    about
}

/// What each mark in the checklist means, as far as it matches the search.
fn legend(
    matches: &impl Fn(&str) -> bool,
    theme: &crate::tui::theme::Theme,
    width: usize,
) -> Vec<Line<'static>> {
    [
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
        (
            "◇",
            "stretch: can wait, the task says why; it counts in your progress once started",
        ),
    ]
    .into_iter()
    .filter(|(mark, what)| matches(mark) || matches(what))
    .flat_map(|(mark, what)| {
        columns(
            vec![Span::styled(format!("{mark:>3}  "), theme.key)],
            what,
            Style::default(),
            width,
        )
    })
    .collect()
}

fn lines(app: &App, config: &Config, width: usize) -> Vec<Line<'static>> {
    let theme = &config.theme;
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
    section("About this roadmap", about(app, &matches, theme, width));
    section("Marks in the checklist", legend(&matches, theme, width));
    let sections = config.keymap.help_sections();
    let key_width = sections
        .iter()
        .flat_map(|(_, lines)| lines.iter().map(|l| display_width(&l.keys)))
        .max()
        .unwrap_or(0);
    let name_width = sections
        .iter()
        .flat_map(|(_, lines)| lines.iter().filter_map(|l| l.name.map(str::len)))
        .max()
        .unwrap_or(0);
    for (heading, bindings) in sections {
        let named = bindings.iter().any(|l| l.name.is_some());
        let mut body: Vec<Line<'static>> = bindings
            .into_iter()
            .filter(|l| {
                matches(&l.keys)
                    || matches(l.what)
                    || matches(heading)
                    || l.name.is_some_and(matches)
            })
            .flat_map(|l| {
                let keys = format!("{:>key_width$}  ", l.keys);
                let mut lead = vec![Span::styled(keys, theme.key)];
                if named {
                    let name = format!("{:<name_width$}  ", l.name.unwrap_or(""));
                    lead.push(Span::styled(name, theme.dim));
                }
                columns(lead, l.what, Style::default(), width)
            })
            .collect();
        if named && !body.is_empty() {
            // What the middle column is for: a settings file can be written from this screen.
            let note = columns(
                vec![Span::raw(" ".repeat(key_width + 2))],
                "the middle column names the action, for keys: in config.yaml (pathway config \
                 --keys lists them)",
                theme.dim,
                width,
            );
            body.splice(0..0, note);
        }
        section(heading, body);
    }
    if lines.is_empty() {
        lines.extend(plain(
            &format!("Nothing in the help matches \"{query}\"."),
            theme.dim,
            width,
        ));
    }
    lines
}

fn block(config: &Config) -> Block<'static> {
    let theme = &config.theme;
    let key = |action| config.keymap.key_in(crate::tui::app::Mode::Help, action);
    Block::bordered()
        .title(format!(
            " Help · {} search · {} close ",
            key(crate::tui::app::Action::StartFilter),
            key(crate::tui::app::Action::Cancel)
        ))
        .border_style(theme.border_focus)
        .padding(Padding::horizontal(1))
}

/// The overlay's place: inside the panes' frame, centred, with a blank column on each side so
/// its border never runs into the borders beneath; the frame itself is never drawn over.
fn popup(area: Rect) -> Rect {
    let room = area.inner(Margin::new(2, 1));
    let width = room.width.min(80);
    Rect {
        x: room.x + (room.width - width) / 2,
        width,
        ..room
    }
}

pub fn render(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let popup = popup(area);
    let inner = block(config).inner(popup);
    let lines = lines(app, config, inner.width as usize);
    let max = lines.len().saturating_sub(inner.height as usize);
    let max = u16::try_from(max).unwrap_or(u16::MAX);
    app.report_viewport(|v| v.help_max_scroll = max);
    let scroll = app.help_scroll().min(max);
    // The blank columns beside it, on its own rows only: the frame's top and bottom stay.
    let margin = Rect {
        x: popup.x.saturating_sub(1).max(area.x),
        width: (popup.width + 2).min(area.width),
        ..popup
    };
    Clear.render(margin, buf);
    Paragraph::new(lines)
        .scroll((scroll, 0))
        .block(block(config))
        .render(popup, buf);
}
