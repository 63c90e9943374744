//! The left pane: steps that open into their tasks, each with a checkbox.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::{Theme, display_width, fit};
use crate::app::{App, Row};
use crate::progress::Status;

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let block = Block::bordered()
        .title(" Roadmap ")
        .border_style(theme.border_focus);
    let inner = block.inner(area);
    block.render(area, buf);
    let height = inner.height as usize;
    if height == 0 || inner.width == 0 {
        return;
    }
    // The app keeps the offset for its last known size; clamp in case this frame is smaller.
    let rows = app.rows();
    let mut offset = app.tree_offset().min(rows.len().saturating_sub(1));
    if app.selected() >= offset + height {
        offset = app.selected() + 1 - height;
    }
    for (line_no, (index, row)) in rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .enumerate()
    {
        let y = inner.y + line_no as u16;
        let selected = index == app.selected();
        let line = row_line(app, theme, *row, selected, inner.width as usize);
        buf.set_line(inner.x, y, &line, inner.width);
        if selected {
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
                theme.selected,
            );
        }
    }
}

fn row_line(app: &App, theme: &Theme, row: Row, selected: bool, width: usize) -> Line<'static> {
    let marker = if selected { "›" } else { " " };
    match row {
        Row::Step(s) => {
            let step = &app.roadmap().steps[s];
            let counts = app.step_counts(s);
            let arrow = if step.tasks.is_empty() {
                " "
            } else if app.is_expanded(s) {
                "▾"
            } else {
                "▸"
            };
            let check = if counts.all_done() { "[x]" } else { "[ ]" };
            let head = format!("{marker}{arrow} {check} {} ", s + 1);
            let count = format!(" {}/{}", counts.done, counts.total);
            let title_width = width.saturating_sub(display_width(&head) + display_width(&count));
            let title = fit(&step.title, title_width);
            let pad = " ".repeat(title_width.saturating_sub(display_width(&title)));
            let check_style = if counts.all_done() {
                theme.done
            } else {
                theme.count
            };
            Line::from(vec![
                Span::raw(format!("{marker}{arrow} ")),
                Span::styled(check, check_style),
                Span::raw(format!(" {} ", s + 1)),
                Span::styled(title, theme.title),
                Span::raw(pad),
                Span::styled(count, theme.count),
            ])
        }
        Row::Task(s, t) => {
            let task = &app.roadmap().steps[s].tasks[t];
            let status = app.task_status(s, t);
            let head = format!("{marker}    ");
            let title_width = width.saturating_sub(display_width(&head) + 4);
            let style = if status == Status::Done {
                theme.done
            } else {
                theme.count
            };
            Line::from(vec![
                Span::raw(head),
                Span::styled(status.checkbox(), style),
                Span::raw(" "),
                Span::raw(fit(&task.title, title_width)),
            ])
        }
    }
}
