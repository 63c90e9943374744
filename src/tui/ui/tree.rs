//! The left pane: steps that open into their tasks, each with a checkbox.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::{display_width, fit};
use crate::core::progress::Status;
use crate::tui::app::{App, Row, StatusFilter};
use crate::tui::config::Config;

pub fn render(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let mut title = String::from(" Roadmap ");
    if !app.query().is_empty() {
        title.push_str(&format!("· /{} ", app.query()));
    }
    if app.status_filter() != StatusFilter::All {
        title.push_str(&format!("· {} ", app.status_filter().label()));
    }
    if app.filtering() && app.rows().is_empty() {
        title.push_str("· no match ");
    }
    let block = Block::bordered()
        .title(title)
        .border_style(theme.border_focus);
    let inner = block.inner(area);
    block.render(area, buf);
    let height = inner.height as usize;
    if height == 0 || inner.width == 0 {
        return;
    }
    // Start where the last frame started, moved just enough to show the selection, and with no
    // empty lines below the last row when the window grew; the next frame starts from here.
    let rows = app.rows();
    let mut offset = app.tree_offset();
    if app.selected() < offset {
        offset = app.selected();
    } else if app.selected() >= offset + height {
        offset = app.selected() + 1 - height;
    }
    offset = offset.min(rows.len().saturating_sub(height));
    app.report_viewport(|v| {
        v.tree = inner;
        v.tree_offset = offset;
    });
    for (line_no, (index, row)) in rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .enumerate()
    {
        let y = inner.y + line_no as u16;
        let selected = index == app.selected();
        let line = row_line(app, config, *row, selected, inner.width as usize);
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

/// The width the widest line of the tree wants, border included: the longest title with its
/// marker, checkbox, note mark and count.
pub fn wanted_width(app: &App) -> u16 {
    // head (3 or 5) + checkbox and gap (4) + note mark (2) + count (" 10/10") + border (2);
    // a task may also carry the stretch mark (2)
    let step = app.widest_step_title() + 3 + 4 + 2 + 6 + 2;
    let task = app.widest_task_title() + 5 + 4 + 2 + 2 + 2;
    u16::try_from(step.max(task)).unwrap_or(u16::MAX)
}

/// A tree line: the marker, arrow and checkbox, the title cut to fit, and on the right the
/// note mark (✎) and, for steps, the done/total count, so neither is ever cut off.
fn row_line(app: &App, config: &Config, row: Row, selected: bool, width: usize) -> Line<'static> {
    let theme = &config.theme;
    let marker = if selected { "›" } else { " " };
    let fading = match row {
        Row::Task(s, t) if app.task_fading(s, t) => " ↻",
        _ => "",
    };
    // Work that can wait is marked, so the path a learner must walk reads at a glance.
    let stretch = match row {
        Row::Task(s, t) if app.roadmap().steps[s].tasks[t].is_stretch() => " ◇",
        _ => "",
    };
    // Proof at a glance: ✓ when the task's last check passed, ✗ when it failed.
    let proof = match row {
        Row::Task(s, t) => {
            let step = &app.roadmap().steps[s];
            let key = crate::core::roadmap::task_key(step, &step.tasks[t]);
            match app
                .roadmap_progress()
                .item(&key)
                .and_then(|i| i.checked.as_ref())
            {
                Some(c) if c.passed => " ✓",
                Some(_) => " ✗",
                None => "",
            }
        }
        Row::Step(_) => "",
    };
    let proof_style = if proof == " ✓" {
        theme.done
    } else {
        theme.doing
    };
    let note = if app.row_note(row).is_some() {
        " ✎"
    } else {
        ""
    };
    let (head, status, title, title_style, count) = match row {
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
            let count = format!(" {}", counts.fraction());
            (
                format!("{marker}{arrow} "),
                counts.status(),
                format!("{} {}", s + 1, step.title),
                theme.title,
                count,
            )
        }
        Row::Task(s, t) => {
            let status = app.task_status(s, t);
            let style = if status == Status::Skipped {
                theme.dim
            } else {
                theme.header
            };
            let title = app.roadmap().steps[s].tasks[t].title.to_string();
            (format!("{marker}    "), status, title, style, String::new())
        }
    };
    let fixed = display_width(&head)
        + 4
        + display_width(stretch)
        + display_width(proof)
        + display_width(fading)
        + display_width(note)
        + display_width(&count);
    let title_width = width.saturating_sub(fixed);
    let title = fit(&title, title_width);
    let pad = " ".repeat(title_width.saturating_sub(display_width(&title)));
    Line::from(vec![
        Span::raw(head),
        Span::styled(status.checkbox(), theme.status(status)),
        Span::raw(" "),
        Span::styled(title, title_style),
        Span::raw(pad),
        Span::styled(stretch, theme.dim),
        Span::styled(proof, proof_style),
        Span::styled(fading, theme.doing),
        Span::styled(note, theme.key),
        Span::styled(count, theme.count),
    ])
}
