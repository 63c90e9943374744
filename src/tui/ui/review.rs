//! A review session (`r`): the question alone first, so the learner tries to remember before
//! looking; then the card's answer, their own note and where to read more. The rating line,
//! with what each rating would do, is pinned below the card at every size, and the result of a
//! rating shows above the next card.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Padding, Paragraph, Widget, Wrap};

use super::Theme;
use crate::core::status::Rating;
use crate::tui::app::{Action, App, Overlay, ReviewSession};
use crate::tui::config::Config;

pub fn render(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let Overlay::Review(session) = app.overlay() else {
        return;
    };
    let title = if session.offer_ahead {
        " Review ".to_string()
    } else if session.finished() {
        " Review · done ".to_string()
    } else {
        format!(
            " Review{} · {} of {} ",
            if session.ahead { " ahead" } else { "" },
            session.index + 1,
            session.queue.len()
        )
    };
    // Small windows give the card every row and column they can.
    let padding = if area.height >= 16 && area.width >= 60 {
        Padding::new(2, 2, 1, 0)
    } else {
        Padding::horizontal(1)
    };
    let block = Block::bordered()
        .title(title)
        .border_style(theme.border_focus)
        .padding(padding);
    let inner = block.inner(area);
    Clear.render(area, buf);
    block.render(area, buf);
    let key = |action: Action| config.keymap.key_in(crate::tui::app::Mode::Review, action);
    let (body, keys): (Vec<Line<'static>>, Line<'static>) = if session.offer_ahead {
        offer_ahead(app, config, &key)
    } else if session.finished() {
        finished(app, session, config, &key)
    } else {
        // A short window keeps the answer for the rows where it counts.
        card(app, session, config, &key, inner.height < 14)
    };
    // The rating line (or the keys of this screen) never scrolls away: it has its own rows.
    let keys = Paragraph::new(keys).wrap(Wrap { trim: true });
    let key_rows = u16::try_from(keys.line_count(inner.width))
        .unwrap_or(1)
        .clamp(1, inner.height.saturating_sub(1).max(1));
    let [card_area, key_area] =
        Layout::vertical([Constraint::Min(0), Constraint::Length(key_rows)]).areas(inner);
    let paragraph = Paragraph::new(body).wrap(Wrap { trim: false });
    let max = paragraph
        .line_count(card_area.width)
        .saturating_sub(card_area.height as usize);
    let max = u16::try_from(max).unwrap_or(u16::MAX);
    app.report_viewport(|v| v.detail_max_scroll = max);
    paragraph
        .scroll((session.scroll.min(max), 0))
        .render(card_area, buf);
    keys.render(key_area, buf);
}

type Lines = (Vec<Line<'static>>, Line<'static>);

fn keys_line(theme: &Theme, pairs: &[(String, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, what)) in pairs.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        spans.push(Span::styled(key.clone(), theme.key));
        spans.push(Span::raw(format!(" {what}")));
    }
    Line::from(spans)
}

fn offer_ahead(app: &App, config: &Config, key: &dyn Fn(Action) -> String) -> Lines {
    let theme = &config.theme;
    let now = app.now();
    let next = crate::core::review::next_due(app.roadmap(), app.roadmap_progress(), now);
    let mut lines = vec![Line::styled("Nothing to review now.", theme.title)];
    if let Some(at) = next {
        lines.push(Line::raw(format!(
            "The next card is due {}.",
            config.when(at, now)
        )));
    }
    lines.push(Line::default());
    lines.push(Line::styled(
        "Reviewing ahead (before an interview, say) goes through the cards due in the next \
         7 days, soonest first.",
        theme.dim,
    ));
    let keys = match app.overlay() {
        Overlay::Review(session) => screen_keys(session, theme, key),
        _ => Line::default(),
    };
    (lines, keys)
}

fn finished(
    app: &App,
    session: &ReviewSession,
    config: &Config,
    key: &dyn Fn(Action) -> String,
) -> Lines {
    let theme = &config.theme;
    let mut lines = result_lines(app, session, config);
    lines.push(Line::styled("Session done", theme.heading));
    lines.push(Line::raw(format!("{}.", session.tally_text())));
    let now = app.now();
    if let Some(at) = crate::core::review::next_due(app.roadmap(), app.roadmap_progress(), now) {
        lines.push(Line::raw(format!(
            "The next card is due {}.",
            config.when(at, now)
        )));
    }
    (lines, screen_keys(session, theme, key))
}

/// The keys of a screen that is not a card, as the session lists them for the footer too.
fn screen_keys(
    session: &ReviewSession,
    theme: &Theme,
    key: &dyn Fn(Action) -> String,
) -> Line<'static> {
    let pairs: Vec<(String, &str)> = session
        .screen_keys()
        .unwrap_or_default()
        .into_iter()
        .map(|(action, what)| (key(action), what))
        .collect();
    keys_line(theme, &pairs)
}

/// The result of the last rating: what it was and when the card comes back.
fn result_lines(app: &App, session: &ReviewSession, config: &Config) -> Vec<Line<'static>> {
    let theme = &config.theme;
    let Some(last) = session.last_result() else {
        return Vec::new();
    };
    let task = &app.roadmap().steps[last.card.step].tasks[last.card.task];
    let back = if last.requeued {
        " (again at the end of this session)".to_string()
    } else {
        String::new()
    };
    vec![
        Line::from(vec![
            Span::styled(format!("{}: ", last.rating.word()), theme.key),
            Span::styled("next ", theme.dim),
            Span::styled(config.when(last.next, app.now()), theme.title),
            Span::styled(format!("{back} · {}", task.title), theme.dim),
        ]),
        Line::default(),
    ]
}

/// " · card 2 of 3 · your card": where the card stands among its task's.
fn card_place(place: usize, of: usize, own: bool) -> String {
    let mut text = String::new();
    if of > 1 {
        text.push_str(&format!(" · card {} of {of}", place + 1));
    }
    if own {
        text.push_str(" · your card");
    }
    text
}

/// A card's text as lines, its control characters escaped (a card of one's own holds whatever
/// was typed).
fn clean_lines(text: &str) -> impl Iterator<Item = Line<'static>> {
    crate::core::text::clean(text)
        .lines()
        .map(|l| Line::raw(l.to_string()))
        .collect::<Vec<_>>()
        .into_iter()
}

fn card(
    app: &App,
    session: &ReviewSession,
    config: &Config,
    key: &dyn Fn(Action) -> String,
    compact: bool,
) -> Lines {
    let theme = &config.theme;
    let Some(due) = session.current() else {
        return (Vec::new(), Line::default());
    };
    let step = &app.roadmap().steps[due.step];
    let task = &step.tasks[due.task];
    let cards = crate::core::review::task_cards(task, app.roadmap_progress().item(&due.key));
    let Some((place, card)) = cards.iter().enumerate().find(|(_, c)| c.id == due.card_id) else {
        return (Vec::new(), Line::default());
    };
    let mut lines = result_lines(app, session, config);
    // The question first, then where it comes from: on a small screen the question is what
    // must show. Escaped: a card of one's own holds whatever was typed.
    lines.extend(clean_lines(&card.ask).map(|l| l.style(theme.title)));
    let of = card_place(place, cards.len(), card.own);
    // Where the card comes from, unless a short window needs the rows for the answer.
    if !(compact && session.revealed) {
        lines.push(Line::styled(
            format!(
                "{} · step {} · {}{of}",
                task.title,
                due.step + 1,
                step.title
            ),
            theme.dim,
        ));
    }
    if !compact {
        lines.push(Line::default());
    }
    if !session.revealed {
        lines.push(Line::from(vec![
            Span::styled("Say it in your own words first, then press ", theme.dim),
            Span::styled(key(Action::Reveal), theme.key),
            Span::styled(" to look.", theme.dim),
        ]));
        let keys = keys_line(
            theme,
            &[
                (key(Action::Reveal), "show the answer"),
                (key(Action::Undo), "undo last rating"),
                (key(Action::EditNote), "note"),
                (key(Action::Cancel), "end"),
            ],
        );
        return (lines, keys);
    }
    let heading = |lines: &mut Vec<Line<'static>>, text: &str| {
        lines.push(Line::styled(text.to_string(), theme.heading));
    };
    heading(&mut lines, "Answer");
    match card.answer.as_deref().filter(|a| !a.trim().is_empty()) {
        Some(answer) => lines.extend(clean_lines(answer)),
        None => lines.push(Line::styled(
            "This card has no answer written: check yourself against your note and the \
             task's resources.",
            theme.dim,
        )),
    }
    lines.push(Line::default());
    match app.roadmap_progress().note(&due.key) {
        Some(note) => {
            heading(&mut lines, "Your note ✎");
            lines.extend(note.lines().map(|l| Line::raw(l.to_string())));
        }
        None => {
            heading(&mut lines, "Your note");
            lines.push(Line::from(vec![
                Span::styled("none yet: ", theme.dim),
                Span::styled(key(Action::EditNote), theme.key),
                Span::styled(" writes one in your own words", theme.dim),
            ]));
        }
    }
    let more = task.resources.first().or(step.resources.first());
    if let Some(resource) = more {
        lines.push(Line::default());
        heading(&mut lines, "Read more");
        lines.push(Line::raw(resource.title.clone()));
        lines.push(Line::styled(resource.url.clone(), theme.dim));
    }
    lines.push(Line::styled(
        format!("and step {}'s guidance in the checklist", due.step + 1),
        theme.dim,
    ));
    let previews = app.review_previews(config);
    let mut spans = Vec::new();
    for (i, rating) in Rating::ALL.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        spans.push(Span::styled(key(Action::Rate(rating)), theme.key));
        spans.push(Span::raw(format!(" {}", rating.word())));
        if let Some(wait) = previews.and_then(|p| p.get(i).map(|(_, w)| *w)) {
            spans.push(Span::styled(
                format!(" {}", crate::core::text::interval(wait)),
                theme.dim,
            ));
        }
    }
    (lines, Line::from(spans))
}
