//! The `?` overlay: every key from the key table, then what the roadmap is about.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget, Wrap};

use super::Theme;
use crate::app::App;
use crate::keys;

fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let sections = keys::help_sections();
    let key_width = sections
        .iter()
        .flat_map(|(_, lines)| lines.iter().map(|(k, _)| super::display_width(k)))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (i, (heading, bindings)) in sections.into_iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
            lines.push(Line::styled(heading, theme.heading));
        }
        for (keys, what) in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!("{keys:>key_width$}  "), theme.key),
                Span::raw(what),
            ]));
        }
    }
    let overview = app.roadmap().overview.trim();
    if !overview.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled("About this roadmap", theme.heading));
        for (i, para) in super::paragraphs(overview).into_iter().enumerate() {
            if i > 0 {
                lines.push(Line::default());
            }
            lines.push(Line::raw(para));
        }
    }
    lines
}

fn paragraph(app: &App, theme: &Theme) -> Paragraph<'static> {
    Paragraph::new(lines(app, theme)).wrap(Wrap { trim: false })
}

fn block(theme: &Theme) -> Block<'static> {
    Block::bordered()
        .title(" Keys · ? or esc to close ")
        .border_style(theme.border_focus)
        .padding(Padding::horizontal(1))
}

/// The overlay's place: centred, and clamped to the frame however small it is.
fn popup(app: &App, area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).min(80);
    let inner_width = block(&Theme::new(false))
        .inner(Rect {
            width,
            height: 3,
            ..area
        })
        .width;
    let wanted = paragraph(app, &Theme::new(false)).line_count(inner_width) + 2;
    let height = area
        .height
        .saturating_sub(2)
        .min(wanted.min(u16::MAX as usize) as u16);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let popup = popup(app, area);
    let paragraph = paragraph(app, theme);
    let inner = block(theme).inner(popup);
    let max = paragraph
        .line_count(inner.width)
        .saturating_sub(inner.height as usize);
    let max = u16::try_from(max).unwrap_or(u16::MAX);
    app.report_viewport(|v| v.help_max_scroll = max);
    let scroll = app.help_scroll().min(max);
    Clear.render(popup, buf);
    paragraph
        .scroll((scroll, 0))
        .block(block(theme))
        .render(popup, buf);
}
