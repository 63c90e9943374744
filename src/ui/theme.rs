//! Styles. Only the eight basic ANSI colours, which terminals adapt to dark and light themes;
//! without colour (`NO_COLOR`) bold, dim and reverse video still carry the meaning.

use ratatui::style::{Color, Modifier, Style};

use crate::progress::Status;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub header: Style,
    pub title: Style,
    pub bar_done: Style,
    pub bar_todo: Style,
    pub border: Style,
    pub border_focus: Style,
    pub selected: Style,
    pub done: Style,
    pub doing: Style,
    pub count: Style,
    pub heading: Style,
    pub dim: Style,
    pub key: Style,
    pub message: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let dim = Style::new().add_modifier(Modifier::DIM);
        let fg = |c: Color| {
            if color {
                Style::new().fg(c)
            } else {
                Style::new()
            }
        };
        Theme {
            header: Style::new(),
            title: bold,
            bar_done: fg(Color::Green),
            bar_todo: dim,
            border: dim,
            border_focus: fg(Color::Cyan),
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            done: fg(Color::Green),
            doing: fg(Color::Magenta).add_modifier(Modifier::BOLD),
            count: dim,
            heading: bold.patch(fg(Color::Cyan)),
            dim,
            key: bold.patch(fg(Color::Cyan)),
            message: fg(Color::Green),
        }
    }

    /// How a checkbox of this status looks.
    pub fn status(&self, status: Status) -> Style {
        match status {
            Status::Done => self.done,
            Status::InProgress => self.doing,
            Status::Skipped | Status::Todo => self.count,
        }
    }
}
