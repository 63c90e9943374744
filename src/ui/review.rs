//! A review session (`r`): the question alone first, so the learner tries to remember before
//! looking; then the answer: their own note, the task's guidance and the step's.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget, Wrap};

use super::Theme;
use crate::app::{App, Overlay};
use crate::roadmap::task_key;

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Overlay::Review(session) = app.overlay() else {
        return;
    };
    let Some(due) = session.current() else {
        return;
    };
    let step = &app.roadmap().steps[due.step];
    let task = &step.tasks[due.task];
    let block = Block::bordered()
        .title(format!(
            " Review · {} of {} ",
            session.index + 1,
            session.queue.len()
        ))
        .border_style(theme.border_focus)
        .padding(Padding::new(2, 2, 1, 0));
    let inner = block.inner(area);
    Clear.render(area, buf);
    block.render(area, buf);
    let mut lines: Vec<Line<'static>> = vec![
        Line::styled(task.title.clone(), theme.title),
        Line::styled(format!("Step {} · {}", due.step + 1, step.title), theme.dim),
        Line::default(),
        Line::raw(crate::roadmap::recall_prompt(task)),
        Line::default(),
    ];
    if !session.revealed {
        lines.push(Line::from(vec![
            Span::styled("Say it in your own words first, then press ", theme.dim),
            Span::styled("space", theme.key),
            Span::styled(" to look.", theme.dim),
        ]));
    } else {
        let heading = |lines: &mut Vec<Line<'static>>, text: &str| {
            lines.push(Line::styled(text.to_string(), theme.heading));
        };
        match app.roadmap_progress().note(&task_key(step, task)) {
            Some(note) => {
                heading(&mut lines, "Your note ✎");
                lines.extend(note.lines().map(|l| Line::raw(l.to_string())));
            }
            None => {
                heading(&mut lines, "Your note");
                lines.push(Line::styled(
                    "none yet: after rating, n writes one in your own words",
                    theme.dim,
                ));
            }
        }
        for (title, text) in [("Guidance", &task.notes), ("About this step", &step.notes)] {
            if !text.trim().is_empty() {
                lines.push(Line::default());
                heading(&mut lines, title);
                for (i, para) in super::paragraphs(text).into_iter().enumerate() {
                    if i > 0 {
                        lines.push(Line::default());
                    }
                    lines.push(Line::raw(para));
                }
            }
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("How well did you remember? ", theme.heading),
            Span::styled("1", theme.key),
            Span::raw(" again  "),
            Span::styled("2", theme.key),
            Span::raw(" hard  "),
            Span::styled("3", theme.key),
            Span::raw(" good  "),
            Span::styled("4", theme.key),
            Span::raw(" easy"),
        ]));
    }
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let max = paragraph
        .line_count(inner.width)
        .saturating_sub(inner.height as usize);
    let max = u16::try_from(max).unwrap_or(u16::MAX);
    app.report_viewport(|v| v.detail_max_scroll = max);
    paragraph
        .scroll((session.scroll.min(max), 0))
        .render(inner, buf);
}
