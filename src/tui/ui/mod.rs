//! Rendering: reads the `App`, never changes it. One file per pane.

mod detail;
mod help;
mod notes;
mod overlay;
mod review;
mod stats;
mod tree;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub(crate) use crate::core::text::{bar, display_width, fit, hours_text, paragraphs};
use crate::tui::app::{App, Mode, Overlay, Viewport};
use crate::tui::config::Config;
use crate::tui::keys;
pub use crate::tui::theme::Theme;

/// Below this the panes cannot show anything useful, so the screen says so instead.
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 5;
/// From this width the tree and the details sit side by side.
const SIDE_BY_SIDE_WIDTH: u16 = 70;
/// Narrower than side by side, the details go under the tree when there is this much height.
const STACKED_MIN_BODY: u16 = 14;
/// Side by side, the tree is never narrower than this.
const MIN_TREE_WIDTH: u16 = 28;

/// Where each part of the screen goes for a terminal of `size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    pub tree: Rect,
    pub detail: Option<Rect>,
    pub footer: Rect,
}

/// `tree_width` is the width the tree's widest line wants, border included: it gets that much,
/// up to half the window, and at least what reads well.
pub fn layout(size: Rect, tree_width: u16) -> Option<Areas> {
    if size.width < MIN_WIDTH || size.height < MIN_HEIGHT {
        return None;
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(size);
    let (tree, detail) = if size.width >= SIDE_BY_SIDE_WIDTH {
        let tree_width = tree_width.clamp(MIN_TREE_WIDTH, (size.width / 2).max(MIN_TREE_WIDTH));
        let [tree, detail] =
            Layout::horizontal([Constraint::Length(tree_width), Constraint::Fill(1)]).areas(body);
        (tree, Some(detail))
    } else if body.height >= STACKED_MIN_BODY {
        let [tree, detail] =
            Layout::vertical([Constraint::Length(body.height / 2), Constraint::Fill(1)])
                .areas(body);
        (tree, Some(detail))
    } else {
        (body, None)
    };
    Some(Areas {
        header,
        tree,
        detail,
        footer,
    })
}

/// What the screen shows: the app state drawn with the configuration (keys, colours, links).
#[derive(Clone, Copy)]
pub struct Screen<'a> {
    pub app: &'a App,
    pub config: &'a Config,
}

impl<'a> Screen<'a> {
    pub fn new(app: &'a App, config: &'a Config) -> Screen<'a> {
        Screen { app, config }
    }
}

impl Widget for Screen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let Screen { app, config } = self;
        // Panes that draw report what they fit; the rest of the last frame's report is void.
        let tree_offset = app.viewport().tree_offset;
        app.report_viewport(|v| {
            *v = Viewport {
                tree_offset,
                ..Viewport::default()
            }
        });
        if area.is_empty() {
            return;
        }
        let Some(areas) = layout(area, tree::wanted_width(app)) else {
            let line = Line::from(fit("Window too small for pathway", area.width as usize));
            buf.set_line(area.x, area.y, &line, area.width);
            return;
        };
        render_header(app, config, areas.header, buf);
        let body = areas.tree.union(areas.detail.unwrap_or(areas.tree));
        match app.overlay() {
            // A window too small for both panes shows the details in place of the tree.
            Overlay::Details { stats: true } => stats::render(app, config, body, buf),
            Overlay::Details { stats: false } => detail::render(app, config, body, buf),
            _ => {
                tree::render(app, config, areas.tree, buf);
                match areas.detail {
                    Some(area) if app.showing_stats() => stats::render(app, config, area, buf),
                    Some(area) => detail::render(app, config, area, buf),
                    None => {}
                }
            }
        }
        render_footer(app, config, areas.footer, buf);
        match app.overlay() {
            Overlay::Help { .. } => help::render(app, config, body, buf),
            Overlay::Edit(_) | Overlay::ConfirmDiscard(_) => {
                overlay::render_editor(app, config, areas.detail.unwrap_or(body), buf)
            }
            Overlay::CardEdit(_) | Overlay::ConfirmDiscardCard(_) => {
                overlay::render_card_editor(app, config, areas.detail.unwrap_or(body), buf)
            }
            Overlay::Picker { .. } => overlay::render_picker(app, config, area, buf),
            // The whole width, as notes are text to read.
            Overlay::Notes { .. } => notes::render(app, config, body, buf),
            Overlay::Review(_) => review::render(app, config, body, buf),
            Overlay::Roadmaps { .. } => overlay::render_roadmaps(app, config, area, buf),
            Overlay::Link { url, why } => overlay::render_link(url, why, config, area, buf),
            Overlay::TrustChecks { .. } => overlay::render_trust(app, config, body, buf),
            _ => {}
        }
    }
}

fn render_header(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let c = app.counts();
    let title = format!(" pathway · {}", app.roadmap().title);
    // The fullest form of the figures that fits beside a readable title.
    let (done_h, left_h) = app.hours();
    let hours = if done_h + left_h > 0.0 {
        format!(
            " · {} h done · {} h left",
            hours_text(done_h),
            hours_text(left_h)
        )
    } else {
        String::new()
    };
    let mut statuses = format!(" {} done", c.fraction());
    if c.in_progress > 0 {
        statuses.push_str(&format!(" · {} in progress", c.in_progress));
    }
    if c.skipped > 0 {
        statuses.push_str(&format!(" · {} skipped", c.skipped));
    }
    // Counted apart: stretch tasks not started are in no other figure. Said in words where there
    // is room, else by the tree's mark, so the hours left are not the first to go.
    let (stretch_words, stretch_mark) = match c.stretch_waiting {
        0 => (String::new(), String::new()),
        n => (format!(" · {n} stretch"), format!(" · {n} ◇")),
    };
    // What is due for review is said at every width: it is what to do next, the bar is not.
    let review = match app.review_due() {
        0 => String::new(),
        n => format!(" · {n} to review"),
    };
    let mut forms = vec![
        format!(
            "{statuses}{stretch_words}{review} · {}%{hours} ",
            c.percent()
        ),
        format!(
            "{statuses}{stretch_mark}{review} · {}%{hours} ",
            c.percent()
        ),
        format!("{statuses}{stretch_mark}{review} · {}% ", c.percent()),
        format!(" {} done{review} · {}% ", c.fraction(), c.percent()),
        format!(" {}%{review} ", c.percent()),
    ];
    if review.is_empty() {
        forms.push(format!(" {}% ", c.percent()));
    }
    // The fullest figures that leave the title whole; on a narrow screen, the title gives way.
    let title_width = display_width(&title);
    let width = area.width as usize;
    let figures = forms
        .iter()
        .find(|f| display_width(f) + title_width < width)
        .or_else(|| {
            forms
                .iter()
                .find(|f| display_width(f) + title_width.min(12) <= width)
        })
        .cloned()
        .unwrap_or_default();
    let room_for_bar = (area.width as usize)
        .saturating_sub(display_width(&title) + display_width(&figures) + 2)
        .min(24);
    let mut right = Vec::new();
    if room_for_bar >= 6 {
        let (done, todo) = bar(c.ratio(), room_for_bar);
        right.push(Span::styled(done, theme.bar_done));
        right.push(Span::styled(todo, theme.bar_todo));
    }
    right.push(Span::styled(figures, theme.header));
    let right = Line::from(right);
    let right_width = (right.width() as u16).min(area.width);
    let left_width = area.width - right_width;
    buf.set_style(area, theme.header);
    let title = fit(&title, left_width as usize);
    buf.set_line(
        area.x,
        area.y,
        &Line::styled(title, theme.title),
        left_width,
    );
    buf.set_line(area.x + left_width, area.y, &right, right_width);
}

fn discard_question(app: &App) -> &'static str {
    match app.overlay() {
        Overlay::ConfirmDiscardCard(_) => "Discard the changes to this card?",
        _ => "Discard the changes to this note?",
    }
}

fn render_footer(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let checking = app.checking().map(|c| {
        let title = c
            .keys
            .get(c.done)
            .map(|k| k.rsplit('/').next().unwrap_or(k).to_string())
            .unwrap_or_default();
        let of = if c.keys.len() > 1 {
            format!(" ({} of {})", c.done + 1, c.keys.len())
        } else {
            String::new()
        };
        let secs = app.now().duration_since(c.started).as_secs().max(0);
        let stop = config.keymap.key_for(crate::tui::app::Action::Cancel);
        format!("checking {title}{of} · {secs}s · {stop} stops ")
    });
    // What a running check is doing says more than any other message until it is done.
    let message = checking
        .or_else(|| app.message(&config.keymap).map(|m| format!("{m} ")))
        .unwrap_or_default();
    // A message may take all but the room of "? help" and "q quit": what it says matters more
    // than the key hints it pushes out for a few seconds.
    let message_width = (display_width(&message) as u16).min(area.width.saturating_sub(18));
    let keys_width = area.width - message_width;
    let mut spans = vec![Span::raw(" ")];
    match app.mode() {
        Mode::Filter => {
            spans.push(Span::styled(format!("/{}", app.query()), theme.title));
            spans.push(Span::styled("▏", theme.key));
            spans.push(Span::raw("  "));
        }
        Mode::ConfirmDiscard => {
            spans.push(Span::styled(discard_question(app), theme.title));
            spans.push(Span::raw("  "));
        }
        Mode::HelpSearch | Mode::NotesSearch => {
            if let Overlay::Help { query, .. } | Overlay::Notes { query, .. } = app.overlay() {
                spans.push(Span::styled(format!("/{query}"), theme.title));
                spans.push(Span::styled("▏", theme.key));
                spans.push(Span::raw("  "));
            }
        }
        Mode::ConfirmTrust => {
            spans.push(Span::styled("Approve these checks?", theme.title));
            spans.push(Span::raw("  "));
        }
        Mode::Confirm => {
            if let Overlay::Confirm(pending) = app.overlay() {
                spans.push(Span::styled(pending.question.clone(), theme.title));
                spans.push(Span::raw("  "));
            }
        }
        _ => {}
    }
    // Whole entries only: a key cut in half teaches nothing. The way to all keys (help) and the
    // way out (quit) always get their room; the others get it by importance while they fit, and
    // are shown in table order.
    // In a review session the footer follows the screen: the answer key until the answer is
    // shown, the ratings after, and on the screens that are not a card, their own keys.
    let review = match app.overlay() {
        Overlay::Review(session) => Some(session),
        _ => None,
    };
    let entries: Vec<(String, String)> = match review.and_then(|s| s.screen_keys()) {
        Some(keys) => keys
            .into_iter()
            .map(|(action, word)| {
                (
                    config.keymap.key_in(Mode::Review, action),
                    format!(" {word}  "),
                )
            })
            .collect(),
        None => config
            .keymap
            .footer_where(app.mode(), |action| review.is_none_or(|s| s.offers(action)))
            .into_iter()
            .map(|(keys, word)| (keys, format!(" {word}  ")))
            .collect(),
    };
    let width = |(keys, words): &(String, String)| display_width(keys) + display_width(words);
    let pinned = |words: &str| matches!(words.trim(), "help" | "quit");
    let room = (keys_width as usize).saturating_sub(spans.iter().map(|s| s.width()).sum());
    let mut left = room.saturating_sub(entries.iter().filter(|e| pinned(&e.1)).map(width).sum());
    let mut shown = vec![false; entries.len()];
    let mut by_rank: Vec<usize> = (0..entries.len()).collect();
    by_rank.sort_unstable_by_key(|&i| (keys::footer_rank(entries[i].1.trim()), i));
    for i in by_rank {
        let entry = &entries[i];
        if pinned(&entry.1) {
            shown[i] = width(entry) <= room;
        } else if width(entry) <= left {
            left -= width(entry);
            shown[i] = true;
        }
    }
    for ((keys, words), _) in entries.into_iter().zip(shown).filter(|(_, shown)| *shown) {
        spans.push(Span::styled(keys, theme.key));
        spans.push(Span::raw(words));
    }
    buf.set_line(area.x, area.y, &Line::from(spans), keys_width);
    let message = fit(&message, message_width as usize);
    buf.set_line(
        area.x + keys_width,
        area.y,
        &Line::styled(message, theme.message),
        message_width,
    );
}

/// Makes `text`, if it stands at (x, y), an OSC 8 hyperlink to `url`, so a click in a terminal
/// that supports them opens it. The escape sequences ride in the cells' symbols two characters at
/// a time (the second cell skipped, the first's width forced to what the terminal will show), as
/// in ratatui's hyperlink example; only a checked web
/// address and text of single-width characters are linked.
pub(crate) fn link_text(buf: &mut Buffer, x: u16, y: u16, text: &str, url: &str) {
    if crate::core::roadmap::bad_url(url).is_some() || display_width(text) != text.chars().count() {
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    let area = buf.area;
    let end = x as usize + chars.len();
    if y >= area.bottom() || end > area.right() as usize {
        return;
    }
    let here = (0..chars.len()).all(|i| buf[(x + i as u16, y)].symbol() == chars[i].to_string());
    if !here {
        return;
    }
    for (i, pair) in chars.chunks(2).enumerate() {
        let cx = x + 2 * i as u16;
        let pair: String = pair.iter().collect();
        let width = pair.chars().count() as u16;
        // The escape sequence is as wide as the characters it carries, not as its text.
        let forced = std::num::NonZeroU16::new(width).unwrap_or(std::num::NonZeroU16::MIN);
        buf[(cx, y)]
            .set_symbol(&format!("\x1b]8;;{url}\x1b\\{pair}\x1b]8;;\x1b\\"))
            .set_diff_option(CellDiffOption::ForcedWidth(forced));
        if width == 2 {
            buf[(cx + 1, y)].set_diff_option(CellDiffOption::Skip);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_adapts_to_width_and_height() {
        assert!(layout(Rect::new(0, 0, 1, 1), 40).is_none());
        let wide = layout(Rect::new(0, 0, 100, 30), 40).expect("fits");
        assert_eq!(wide.detail.map(|d| d.y), Some(1), "side by side");
        let narrow = layout(Rect::new(0, 0, 40, 30), 40).expect("fits");
        assert!(
            narrow.detail.is_some_and(|d| d.y > narrow.tree.y),
            "stacked"
        );
        let small = layout(Rect::new(0, 0, 30, 8), 40).expect("fits");
        assert_eq!(small.detail, None, "tree only");
        let long = layout(Rect::new(0, 0, 200, 60), 90).expect("fits");
        assert_eq!(long.tree.width, 90, "the titles get their room");
        let longer = layout(Rect::new(0, 0, 200, 60), 150).expect("fits");
        assert_eq!(longer.tree.width, 100, "up to half the window");
        let short = layout(Rect::new(0, 0, 200, 60), 10).expect("fits");
        assert_eq!(short.tree.width, MIN_TREE_WIDTH);
    }
}
