//! The `?` overlay: every key from the key table, then what the roadmap is about.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::Theme;
use crate::app::App;
use crate::keys;

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let help = keys::help_lines();
    let key_width = help.iter().map(|(k, _)| super::display_width(k)).max().unwrap_or(0);
    let mut lines: Vec<Line<'static>> = help
        .into_iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!(" {keys:>key_width$}  "), theme.key),
                Span::raw(what),
            ])
        })
        .collect();
    let overview = app.roadmap().overview.trim();
    if !overview.is_empty() {
        lines.push(Line::default());
        lines.push(Line::styled(" About this roadmap", theme.heading));
        for para in super::paragraphs(overview) {
            lines.push(Line::raw(format!(" {para}")));
        }
    }
    // Clamped to the frame: the overlay must never reach outside it, however small it is.
    let width = area.width.saturating_sub(4).min(76);
    let height = area.height.saturating_sub(2).min(lines.len() as u16 + 2);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::bordered()
                .title(" Keys · ? or esc to close ")
                .border_style(theme.border_focus),
        )
        .render(popup, buf);
}
