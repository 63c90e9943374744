//! The notes view (`N`): every note on the roadmap, grouped by step, in place of the details.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget, Wrap};

use super::Theme;
use crate::app::{App, Overlay};

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Overlay::Notes {
        selected, query, ..
    } = app.overlay()
    else {
        return;
    };
    let entries = app.notes();
    let shown = crate::notes::matching(&entries, query);
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
    let mut lines: Vec<Line<'static>> = Vec::new();
    if entries.is_empty() {
        lines.push(Line::raw("No notes yet."));
        lines.push(Line::default());
        lines.push(Line::styled(
            format!(
                "Select a step or task and press {} to write what you learned, in your own \
                 words: this view gathers every note, step by step, for review.",
                app.keymap().key_for(crate::app::Action::EditNote)
            ),
            theme.dim,
        ));
    } else if shown.is_empty() {
        lines.push(Line::raw(format!("No note matches \"{query}\".")));
    }
    // The selected note's first line, to keep it in view.
    let mut selected_line = 0;
    let mut last_step = None;
    for (i, entry) in shown.iter().enumerate() {
        if last_step != Some(entry.step) {
            if !lines.is_empty() {
                lines.push(Line::default());
            }
            let step = &app.roadmap().steps[entry.step];
            lines.push(Line::styled(
                format!("{} · {}", entry.step + 1, step.title),
                theme.heading,
            ));
            last_step = Some(entry.step);
        }
        if i == *selected {
            selected_line = lines.len();
        }
        let marker = if i == *selected { "›" } else { " " };
        let edited = entry
            .edited
            .map(|at| format!(" · {}", app.format_date(at)))
            .unwrap_or_default();
        let style = if i == *selected {
            theme.selected
        } else {
            theme.title
        };
        let what = if entry.task.is_some() {
            entry.title.clone()
        } else {
            "The step itself".to_string()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker}{} ", entry.status.checkbox()), style),
            Span::styled(what, style),
            Span::styled(edited, theme.dim),
        ]));
        for line in entry.note.lines() {
            lines.push(Line::raw(format!("    {line}")));
        }
    }
    let height = inner.height as usize;
    let scroll = selected_line.saturating_sub(height / 3);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .render(inner, buf);
}
