//! Styles. Only the eight basic ANSI colours, which terminals adapt to dark and light themes;
//! without colour (`NO_COLOR`) bold, dim and reverse video still carry the meaning.

use ratatui::style::{Color, Modifier, Style};

use crate::core::progress::Status;
use crate::storage::settings::{Role, Settings, ThemeName};

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

    /// The theme the settings name, with their colour overrides. `light` keeps text in the
    /// terminal's own foreground and uses darker accents that read on white; `high-contrast`
    /// marks the selection and every status with more than colour (bold, underline, reverse),
    /// so they stay apart with `NO_COLOR` too.
    pub fn for_settings(settings: &Settings, color: bool) -> Theme {
        let mut theme = Theme::new(color);
        let fg = |c: Color| {
            if color {
                Style::new().fg(c)
            } else {
                Style::new()
            }
        };
        match settings.theme {
            ThemeName::Dark => {}
            ThemeName::Light => {
                theme.bar_done = fg(Color::Blue);
                theme.border_focus = fg(Color::Blue);
                theme.done = fg(Color::Green).add_modifier(Modifier::BOLD);
                theme.doing = fg(Color::Magenta).add_modifier(Modifier::BOLD);
                theme.heading = Style::new()
                    .add_modifier(Modifier::BOLD)
                    .patch(fg(Color::Blue));
                theme.key = Style::new()
                    .add_modifier(Modifier::BOLD)
                    .patch(fg(Color::Blue));
                theme.message = fg(Color::Blue);
            }
            ThemeName::HighContrast => {
                let bold = Style::new().add_modifier(Modifier::BOLD);
                theme.border = Style::new();
                theme.bar_todo = Style::new();
                theme.count = Style::new();
                theme.dim = Style::new();
                theme.selected = Style::new()
                    .add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED);
                theme.done = bold.patch(fg(Color::LightGreen));
                theme.doing = bold
                    .add_modifier(Modifier::UNDERLINED)
                    .patch(fg(Color::LightYellow));
                theme.heading = bold
                    .add_modifier(Modifier::UNDERLINED)
                    .patch(fg(Color::White));
                theme.key = bold.patch(fg(Color::LightCyan));
                theme.border_focus = bold.patch(fg(Color::White));
            }
        }
        if color {
            for (role, value) in &settings.colors {
                let Some(c) = crate::storage::settings::parse_color(value) else {
                    continue;
                };
                match role {
                    Role::Selection => {
                        theme.selected = theme.selected.bg(c).remove_modifier(Modifier::REVERSED)
                    }
                    Role::Done => {
                        theme.done = theme.done.fg(c);
                        theme.bar_done = theme.bar_done.fg(c);
                    }
                    Role::Doing => theme.doing = theme.doing.fg(c),
                    Role::Accent => {
                        theme.key = theme.key.fg(c);
                        theme.heading = theme.heading.fg(c);
                        theme.border_focus = theme.border_focus.fg(c);
                    }
                    Role::Dim => {
                        theme.dim = theme.dim.fg(c);
                        theme.count = theme.count.fg(c);
                    }
                }
            }
        }
        theme
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
