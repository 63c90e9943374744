//! Things drawn over the panes: the note editor and the resource picker.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget};

use super::{Theme, fit};
use crate::app::App;

pub fn render_editor(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(editor) = app.editor() else { return };
    let changed = if editor.changed() { " · changed" } else { "" };
    // The title gives way first, so "changed" is never cut off.
    let room = (area.width as usize).saturating_sub(2 + " Note ·  ".len() + changed.len());
    let block = Block::bordered()
        .title(format!(" Note · {}{changed} ", fit(&editor.title, room)))
        .title_bottom(" Ctrl-S save · Esc close ")
        .border_style(theme.border_focus)
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    Clear.render(area, buf);
    block.render(area, buf);
    editor.textarea.render(inner, buf);
}

/// A centred list of the selected step's resources, clamped to the frame.
pub fn render_picker(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let resources = app.resources();
    let width = area.width.saturating_sub(4).min(90);
    let height = area
        .height
        .saturating_sub(2)
        .min(resources.len() as u16 + 2);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let inner_width = width.saturating_sub(2) as usize;
    let lines: Vec<Line> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let text = fit(
                &format!(" {:<9}{}  {}", r.kind.label(), r.title, r.url),
                inner_width,
            );
            let pad = " ".repeat(inner_width.saturating_sub(super::display_width(&text)));
            let style = if i == app.picked() {
                theme.selected
            } else {
                theme.header
            };
            Line::from(vec![Span::styled(text, style), Span::styled(pad, style)])
        })
        .collect();
    // Keep the picked line in view when the list is taller than the popup.
    let visible = height.saturating_sub(2) as usize;
    let scroll = app.picked().saturating_sub(visible.saturating_sub(1));
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .scroll((scroll as u16, 0))
        .block(
            Block::bordered()
                .title(" Open a resource · enter open · esc close ")
                .border_style(theme.border_focus),
        )
        .render(popup, buf);
}

/// The roadmap switcher (`R`): each roadmap with your progress on it, the current one marked.
pub fn render_roadmaps(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let crate::app::Overlay::Roadmaps { selected } = app.overlay() else {
        return;
    };
    let choices = app.roadmaps();
    let width = area.width.saturating_sub(4).min(90);
    let height = area
        .height
        .saturating_sub(2)
        .min(choices.len().max(1) as u16 + 2);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let inner_width = width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = choices
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let current = if r.id == app.roadmap().id { "•" } else { " " };
            let text = match &r.error {
                None => format!(" {current} {}  {}% done", r.title, r.percent),
                Some(error) => format!(" ! {}: {error}", r.title),
            };
            let text = fit(&text, inner_width);
            let pad = " ".repeat(inner_width.saturating_sub(super::display_width(&text)));
            let style = if i == *selected {
                theme.selected
            } else if r.error.is_some() {
                theme.dim
            } else {
                theme.header
            };
            Line::from(vec![Span::styled(text, style), Span::styled(pad, style)])
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::raw(" Only the built-in roadmap."));
    }
    let visible = height.saturating_sub(2) as usize;
    let scroll = selected.saturating_sub(visible.saturating_sub(1));
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .scroll((scroll as u16, 0))
        .block(
            Block::bordered()
                .title(" Roadmaps · enter open · esc close ")
                .border_style(theme.border_focus),
        )
        .render(popup, buf);
}
