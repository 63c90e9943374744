//! Things drawn over the panes: the note and card editors and the resource picker.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget, Wrap};

use super::{Theme, fit};
use crate::tui::app::{Action, App, Mode};
use crate::tui::config::Config;

pub fn render_editor(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
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

/// The editor of the learner's own cards: which card of theirs it is, the question and the
/// answer each in a field of its own, the field typed into marked.
pub fn render_card_editor(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    use ratatui::layout::{Constraint, Layout};
    let theme = &config.theme;
    let editor = match app.overlay() {
        crate::tui::app::Overlay::CardEdit(e) | crate::tui::app::Overlay::ConfirmDiscardCard(e) => {
            e
        }
        _ => return,
    };
    let which = match editor.card_id() {
        Some(_) => format!("Your card {} of {}", editor.index + 1, editor.ids.len()),
        None => "New card".to_string(),
    };
    let changed = if editor.changed() { " · changed" } else { "" };
    let room = (area.width as usize).saturating_sub(2 + which.len() + " ·  ".len() + changed.len());
    let key = |action| config.keymap.key_in(Mode::CardEdit, action);
    let block = Block::bordered()
        .title(format!(" {which} · {}{changed} ", fit(&editor.title, room)))
        .title_bottom(format!(
            " {} save · {} close ",
            key(Action::Confirm),
            key(Action::Cancel)
        ))
        .border_style(theme.border_focus)
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    Clear.render(area, buf);
    block.render(area, buf);
    let question_rows = (inner.height.saturating_sub(2) / 3).max(1);
    let [ask_label, ask, answer_label, answer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(question_rows),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let label = |text: &str, typing: bool| {
        let (mark, style) = if typing {
            ("› ", theme.key)
        } else {
            ("  ", theme.dim)
        };
        Line::from(vec![
            Span::styled(mark, theme.key),
            Span::styled(text.to_string(), style),
        ])
    };
    label("Question", !editor.on_answer).render(ask_label, buf);
    editor.question.render(ask, buf);
    let hint = if editor.ids.is_empty() {
        "Answer (may stay empty)".to_string()
    } else {
        format!(
            "Answer (may stay empty) · {}/{} your other cards",
            config.keymap.key_in(Mode::CardEdit, Action::Up),
            config.keymap.key_in(Mode::CardEdit, Action::Down)
        )
    };
    label(&hint, editor.on_answer).render(answer_label, buf);
    editor.answer.render(answer, buf);
}

/// A centred list of the selected line's links, clamped to the frame.
pub fn render_picker(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let rows = app
        .resources()
        .iter()
        .map(|r| {
            (
                format!(" {:<9}{}  {}", r.kind.label(), r.title, r.url),
                theme.header,
            )
        })
        .collect();
    render_list(
        &list_title("Open a resource", Mode::Picker, config),
        rows,
        app.picked(),
        theme,
        area,
        buf,
    );
}

/// " Roadmaps · enter open · esc close ", with the keys bound in that list.
fn list_title(what: &str, mode: Mode, config: &Config) -> String {
    let key = |action| config.keymap.key_in(mode, action);
    format!(
        " {what} · {} open · {} close ",
        key(Action::Confirm),
        key(Action::Cancel)
    )
}

/// The roadmap switcher (`R`): each roadmap with your progress on it, the current one marked.
pub fn render_roadmaps(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let crate::tui::app::Overlay::Roadmaps { selected, choices } = app.overlay() else {
        return;
    };
    let rows = choices
        .iter()
        .map(|r| match &r.error {
            None => {
                let current = if r.id == app.roadmap().id { "•" } else { " " };
                (
                    format!(" {current} {}  {}% done", r.title, r.percent),
                    theme.header,
                )
            }
            // The error begins with the file's name.
            Some(error) => (format!(" ! {error}"), theme.dim),
        })
        .collect();
    render_list(
        &list_title("Roadmaps", Mode::Roadmaps, config),
        rows,
        *selected,
        theme,
        area,
        buf,
    );
}

/// A link no browser could open: the reason, then the address whole, from the first column of
/// a band as wide as the window with no border beside it, so a triple click (or Shift and a
/// drag, where pathway has the mouse) copies exactly the address.
pub fn render_link(url: &str, why: &str, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let width = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for part in crate::core::text::wrap(&format!("Not opened: {why}. Open it yourself:"), width) {
        lines.push(Line::styled(part, theme.title));
    }
    lines.push(Line::default());
    // The address is never cut: longer than the window, it goes on over the next lines.
    let chars: Vec<char> = url.chars().collect();
    for chunk in chars.chunks(width.max(1)) {
        lines.push(Line::styled(chunk.iter().collect::<String>(), theme.key));
    }
    lines.push(Line::default());
    let close = config.keymap.key_in(Mode::Link, Action::Cancel);
    for part in crate::core::text::wrap(
        &format!(
            "Triple-click the address to select it (with Shift in most terminals); {close} closes."
        ),
        width,
    ) {
        lines.push(Line::styled(part, theme.dim));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let band = Rect {
        y: area.y + (area.height - height) / 2,
        height,
        ..area
    };
    Clear.render(band, buf);
    Paragraph::new(lines)
        .block(
            Block::new()
                .borders(ratatui::widgets::Borders::TOP | ratatui::widgets::Borders::BOTTOM)
                .title(" Open this link yourself ")
                .border_style(theme.border_focus),
        )
        .render(band, buf);
}

/// A centred list of lines, one selected, clamped to the frame and scrolled to keep the
/// selection in view.
fn render_list(
    title: &str,
    rows: Vec<(String, ratatui::style::Style)>,
    selected: usize,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let width = area.width.saturating_sub(4).min(90);
    let height = area
        .height
        .saturating_sub(2)
        .min(rows.len().max(1) as u16 + 2);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    let inner_width = width.saturating_sub(2) as usize;
    let lines: Vec<Line> = rows
        .into_iter()
        .enumerate()
        .map(|(i, (text, style))| {
            let text = fit(&text, inner_width);
            let pad = " ".repeat(inner_width.saturating_sub(super::display_width(&text)));
            let style = if i == selected { theme.selected } else { style };
            Line::from(vec![Span::styled(text, style), Span::styled(pad, style)])
        })
        .collect();
    let visible = height.saturating_sub(2) as usize;
    let scroll = selected.saturating_sub(visible.saturating_sub(1));
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .scroll((scroll as u16, 0))
        .block(
            Block::bordered()
                .title(title.to_string())
                .border_style(theme.border_focus),
        )
        .render(popup, buf);
}

/// Asking to approve a roadmap's checks: everything they would run, read before a yes.
pub fn render_trust(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let crate::tui::app::Overlay::TrustChecks { scroll, .. } = app.overlay() else {
        return;
    };
    let mut lines = vec![
        Line::styled(
            "This roadmap is not built in: its checks run these on your machine, in your project \
             folder. Approve them only if they only read.",
            theme.title,
        ),
        Line::default(),
    ];
    // Borders and padding take two columns on each side.
    let width = usize::from(area.width.saturating_sub(4)).max(1);
    lines.extend(
        crate::checks::trust::listing(app.roadmap(), app.check_values())
            .iter()
            .flat_map(|line| hanging(line, width))
            .map(Line::raw),
    );
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled("y", theme.key),
        Span::raw(" approve and run · "),
        Span::styled("n", theme.key),
        Span::raw(" or "),
        Span::styled("Enter", theme.key),
        Span::raw(" no · "),
        Span::styled("↑↓", theme.key),
        Span::raw(" scroll"),
    ]));
    let block = Block::bordered()
        .title(" Approve this roadmap's checks? ")
        .border_style(theme.border_focus)
        .padding(Padding::horizontal(1));
    Clear.render(area, buf);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((*scroll, 0))
        .block(block)
        .render(area, buf);
}

/// A listing line cut to `width` columns, each piece after the first indented deeper and marked
/// `↪`: wrapped by the paragraph, a long command would go on at the left edge, where a piece of
/// it could read as a task of its own.
fn hanging(line: &str, width: usize) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    let indent = line.chars().take_while(|c| *c == ' ').count();
    let mut prefix = format!("{}↪ ", " ".repeat(indent + 2));
    if prefix.chars().count() + 8 > width {
        prefix = "↪ ".to_string();
    }
    let prefix_width = crate::core::text::display_width(&prefix);
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut used = 0;
    for c in line.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && !piece.is_empty() {
            pieces.push(std::mem::take(&mut piece));
            piece.push_str(&prefix);
            used = prefix_width;
        }
        piece.push(c);
        used += w;
    }
    pieces.push(piece);
    pieces
}

#[cfg(test)]
mod tests {
    use super::hanging;

    #[test]
    fn a_long_listing_line_goes_on_indented_and_marked_never_at_the_left_edge() {
        let line = format!("    run echo {}s/forged", "x".repeat(30));
        let pieces = hanging(&line, 40);
        assert!(pieces.len() > 1, "{pieces:?}");
        assert!(
            pieces
                .iter()
                .all(|p| crate::core::text::display_width(p) <= 40)
        );
        for piece in &pieces[1..] {
            assert!(piece.starts_with("      ↪ "), "{pieces:?}");
        }
        assert_eq!(hanging("s/t", 40), ["s/t"]);
    }
}
