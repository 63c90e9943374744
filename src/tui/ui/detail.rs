//! The right pane: what the selected step or task is about, and where to read next.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{
    Block, Padding, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget,
    Widget, Wrap,
};

use super::{Theme, hours_text};
use crate::core::progress::Status;
use crate::core::roadmap::task_key;
use crate::tui::app::App;
use crate::tui::config::Config;

/// The column of a resource's kind ("docs", "tutorial") before its title.
const KIND_WIDTH: u16 = 9;

/// A step's detail lists this many of its tasks; the tree shows them all. Drawing a frame then
/// costs the same for a step of a thousand tasks as for one of five.
const MAX_LISTED_TASKS: usize = 30;

fn block(title: String, theme: &Theme) -> Block<'static> {
    Block::bordered()
        .title(format!(" {title} "))
        .border_style(theme.border)
        .padding(Padding::horizontal(1))
}

pub fn render(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let (title, text) = content(app, config);
    let block = block(title, theme);
    let inner = block.inner(area);
    block.render(area, buf);
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: false });
    // The app clamps its scroll to what the last frame reported; a resize may have changed it.
    let max = paragraph
        .line_count(inner.width)
        .saturating_sub(inner.height as usize);
    let scroll = (app.detail_scroll() as usize).min(max) as u16;
    app.report_viewport(|v| {
        v.detail = Some(area);
        v.detail_height = inner.height;
        v.detail_max_scroll = u16::try_from(max).unwrap_or(u16::MAX);
    });
    paragraph.scroll((scroll, 0)).render(inner, buf);
    if config.hyperlinks {
        // Resource titles sit after the kind column; link each one found whole on a line.
        for resource in app.resources() {
            for y in inner.top()..inner.bottom() {
                super::link_text(buf, inner.x + KIND_WIDTH, y, &resource.title, &resource.url);
            }
        }
    }
    if max > 0 {
        // Drawn over the right border, so the learner sees there is more below.
        let mut state = ScrollbarState::new(max).position(scroll as usize);
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some("│"))
            .thumb_style(theme.border_focus)
            .render(area.inner(Margin::new(0, 1)), buf, &mut state);
    }
}

fn content(app: &App, config: &Config) -> (String, Text<'static>) {
    let theme = &config.theme;
    let Some(row) = app.selected_row() else {
        return (String::new(), Text::default());
    };
    let s = row.step();
    let step = &app.roadmap().steps[s];
    let rp = app.roadmap_progress();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let heading = |lines: &mut Vec<Line<'static>>, text: &str| {
        lines.push(Line::default());
        lines.push(Line::styled(text.to_string(), theme.heading));
    };
    let title = match app.selected_task() {
        Some(task) => {
            let key = task_key(step, task);
            let status = rp.status(&key);
            lines.push(Line::styled(task.title.clone(), theme.title));
            if let Some(outcome) = task.outcome.as_deref().filter(|o| !o.trim().is_empty()) {
                lines.push(Line::raw(crate::core::text::paragraphs(outcome).join(" ")));
            }
            lines.push(Line::styled(
                format!("Step {} · {} · id {key}", s + 1, step.title),
                theme.dim,
            ));
            if task.is_stretch() {
                // Why it can wait, where the learner decides whether to start it.
                let why = task.why_later.as_deref().unwrap_or("").trim();
                lines.push(Line::from(vec![
                    Span::styled("◇ Stretch: ", theme.heading),
                    Span::raw(crate::core::text::paragraphs(why).join(" ")),
                ]));
            }
            lines.push(Line::default());
            let item = rp.item(&key);
            let mut words = vec![Span::styled(status.checkbox(), theme.status(status))];
            let key_for = |action| config.keymap.key_for(action);
            words.push(Span::raw(match status {
                Status::Todo if task.is_stretch() => format!(
                    " Not started: it counts in your progress once you start it ({})",
                    key_for(crate::tui::app::Action::ToggleInProgress),
                ),
                Status::Todo => format!(
                    " Not started: {} when you start, {} when you have learned it",
                    key_for(crate::tui::app::Action::ToggleInProgress),
                    key_for(crate::tui::app::Action::ToggleDone)
                ),
                Status::InProgress => " In progress".to_string(),
                Status::Done => " Done".to_string(),
                Status::Skipped => " Skipped: it does not count against your progress".to_string(),
            }));
            if status != Status::Todo {
                dates(
                    config,
                    &mut words,
                    item.and_then(|i| i.started),
                    item.and_then(|i| i.completed),
                );
            }
            if let Some(hours) = task.hours {
                words.push(Span::styled(
                    format!(" · about {} h", hours_text(hours)),
                    theme.dim,
                ));
            }
            lines.push(Line::from(words));
            let checked = item.and_then(|i| i.checked.as_ref());
            if !task.check.is_empty() || checked.is_some() {
                let verify = key_for(crate::tui::app::Action::Verify);
                lines.push(match checked {
                    Some(c) if c.passed => Line::from(vec![
                        Span::styled("✓ verified ", theme.done),
                        Span::raw(config.date(c.at)),
                        Span::styled(" by its check", theme.dim),
                    ]),
                    Some(c) => Line::from(vec![
                        Span::styled("✗ check failed ", theme.doing),
                        Span::raw(config.date(c.at)),
                        // With this session's report below, the summary would only repeat it.
                        Span::styled(
                            c.failed
                                .as_deref()
                                .filter(|_| app.check_report(&key).is_none())
                                .map(|f| format!(": {}", crate::core::text::one_line(f)))
                                .unwrap_or_default(),
                            theme.dim,
                        ),
                        Span::styled(format!(" · {verify} runs it again"), theme.dim),
                    ]),
                    None => Line::from(vec![
                        Span::styled("Can be verified: ", theme.dim),
                        Span::styled(verify, theme.key),
                        Span::styled(" runs its check on your project", theme.dim),
                    ]),
                });
                if let Some(report) = app.check_report(&key) {
                    last_check(theme, &mut lines, report);
                }
            }
            if let Some(item) = item {
                cards(app, config, &mut lines, item, task);
            }
            note(app, config, &mut lines, &key);
            if !task.notes.trim().is_empty() {
                heading(&mut lines, "Guidance");
                paragraphs(&mut lines, &task.notes);
            }
            if !step.notes.trim().is_empty() {
                heading(&mut lines, "About this step");
                paragraphs(&mut lines, &step.notes);
            }
            format!("Task · step {}", s + 1)
        }
        None => {
            if !step.summary.trim().is_empty() {
                lines.push(Line::styled(step.summary.trim().to_string(), theme.title));
                lines.push(Line::default());
            }
            let c = app.step_counts(s);
            let mut words = vec![Span::raw(match c.total {
                0 => "No tasks in this step yet.".to_string(),
                _ => format!(
                    "{} {} done",
                    c.fraction(),
                    crate::core::text::noun_for(c.counted(), "task")
                ),
            })];
            if c.in_progress > 0 {
                words.push(Span::raw(format!(" · {} in progress", c.in_progress)));
            }
            if c.skipped > 0 {
                words.push(Span::raw(format!(" · {} skipped", c.skipped)));
            }
            if c.stretch_waiting > 0 {
                words.push(Span::raw(format!(
                    " · {} stretch for later",
                    c.stretch_waiting
                )));
            }
            dates(
                config,
                &mut words,
                app.step_summary(s).started,
                app.step_summary(s).completed,
            );
            let summary = app.step_summary(s);
            if summary.hours_done + summary.hours_left > 0.0 {
                words.push(Span::styled(
                    format!(
                        " · about {} h, {} h left",
                        hours_text(step.hours()),
                        hours_text(summary.hours_left)
                    ),
                    theme.dim,
                ));
            }
            lines.push(Line::from(words));
            note(app, config, &mut lines, &step.id);
            if !step.notes.trim().is_empty() {
                heading(&mut lines, "Guidance");
                paragraphs(&mut lines, &step.notes);
            }
            if !step.tasks.is_empty() {
                heading(&mut lines, "Tasks");
                for (t, task) in step.tasks.iter().enumerate().take(MAX_LISTED_TASKS) {
                    let status = app.task_status(s, t);
                    lines.push(Line::from(vec![
                        Span::styled(status.checkbox(), theme.status(status)),
                        Span::raw(format!(" {}", task.title)),
                    ]));
                }
                if let Some(more) = step
                    .tasks
                    .len()
                    .checked_sub(MAX_LISTED_TASKS)
                    .filter(|n| *n > 0)
                {
                    lines.push(Line::styled(
                        format!("… and {more} more: open the step in the tree to see them all"),
                        theme.dim,
                    ));
                }
            }
            task_notes(app, config, &mut lines, s);
            format!("{} · {}", s + 1, step.title)
        }
    };
    let resources = app.resources();
    if !resources.is_empty() {
        heading(&mut lines, "Resources");
        for r in resources {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{:<width$}", r.kind.label(), width = KIND_WIDTH as usize),
                    theme.dim,
                ),
                Span::raw(r.title.clone()),
            ]));
            // The scheme is always http(s) here, so it is left out to save room.
            let shown = r.url.split_once("://").map_or(&*r.url, |(_, rest)| rest);
            let indent = " ".repeat(KIND_WIDTH as usize);
            lines.push(Line::styled(format!("{indent}{shown}"), theme.dim));
        }
    }
    (title, Text::from(lines))
}

/// " · started 2 Nov 2026 · completed 9 Nov 2026", for what is known.
fn dates(
    config: &Config,
    words: &mut Vec<Span<'static>>,
    started: Option<jiff::Timestamp>,
    completed: Option<jiff::Timestamp>,
) {
    if let Some(at) = started {
        words.push(Span::raw(format!(" · started {}", config.date(at))));
    }
    if let Some(at) = completed {
        words.push(Span::raw(format!(" · completed {}", config.date(at))));
    }
}

/// The notes on a step's tasks, each under its task's title with its first lines, so a step can
/// be reviewed on one screen. Found through the keys under `step/`, not by walking every task.
fn task_notes(app: &App, config: &Config, lines: &mut Vec<Line<'static>>, s: usize) {
    let theme = &config.theme;
    const SHOWN_LINES: usize = 3;
    let step = &app.roadmap().steps[s];
    let prefix = format!("{}/", step.id);
    let rp = app.roadmap_progress();
    let mut found: Vec<(usize, &str)> = rp
        .items
        .range(prefix.clone()..)
        .take_while(|(key, _)| key.starts_with(&prefix))
        .filter_map(|(key, item)| {
            let note = item.note.as_deref()?;
            let id = &key[prefix.len()..];
            let t = step.tasks.iter().position(|t| t.id == id)?;
            Some((t, note))
        })
        .collect();
    if found.is_empty() {
        return;
    }
    found.sort_unstable_by_key(|(t, _)| *t);
    lines.push(Line::default());
    lines.push(Line::styled("Notes on its tasks ✎", theme.heading));
    for (t, note) in found {
        lines.push(Line::from(vec![
            Span::styled("✎ ", theme.key),
            Span::styled(step.tasks[t].title.clone(), theme.title),
        ]));
        let total = note.lines().count();
        for line in note.lines().take(SHOWN_LINES) {
            lines.push(Line::raw(format!("  {line}")));
        }
        if total > SHOWN_LINES {
            lines.push(Line::styled(
                format!(
                    "  … {} more lines: {} shows them all",
                    total - SHOWN_LINES,
                    config.keymap.key_for(crate::tui::app::Action::ShowNotes)
                ),
                theme.dim,
            ));
        }
    }
}

/// The learner's own note, line for line as they wrote it.
fn note(app: &App, config: &Config, lines: &mut Vec<Line<'static>>, key: &str) {
    let theme = &config.theme;
    let Some(note) = app.roadmap_progress().note(key) else {
        return;
    };
    lines.push(Line::default());
    lines.push(Line::styled("Your note ✎", theme.heading));
    lines.extend(note.lines().map(|l| Line::raw(l.to_string())));
}

fn paragraphs(lines: &mut Vec<Line<'static>>, text: &str) {
    for (i, para) in super::paragraphs(text).into_iter().enumerate() {
        if i > 0 {
            lines.push(Line::default());
        }
        lines.push(Line::raw(para));
    }
}

/// A done task's cards in review, or the learner's own on a task not done yet.
fn cards(
    app: &App,
    config: &Config,
    lines: &mut Vec<Line<'static>>,
    item: &crate::core::progress::Item,
    task: &crate::core::roadmap::Task,
) {
    if item.status == Status::Done {
        review_state(app, config, lines, item, task);
    } else if item.own.values().any(|c| !c.is_removed()) {
        own_cards(config, lines, item, task);
    }
}

/// A done task's cards: when each comes back, how often it was reviewed and forgotten, and the
/// chance of recalling it now; or that it is out of review.
fn review_state(
    app: &App,
    config: &Config,
    lines: &mut Vec<Line<'static>>,
    item: &crate::core::progress::Item,
    task: &crate::core::roadmap::Task,
) {
    let theme = &config.theme;
    lines.push(Line::default());
    lines.push(Line::styled("Review", theme.heading));
    let now = app.now();
    for (i, card) in crate::core::review::task_cards(task, Some(item))
        .iter()
        .enumerate()
    {
        let state = crate::core::review::card_state(item, &card.id, i == 0);
        let due = crate::core::review::due_at(item, state);
        let what = match (state, due) {
            (_, None) => "out of review".to_string(),
            (Some(s), Some(due)) if s.reviews > 0 => {
                let recall = crate::core::review::recall(s, now).map_or(String::new(), |r| {
                    format!(" · recall now {:.0}%", r * 100.0)
                });
                format!(
                    "next {} · {} · {}{recall}",
                    config.when(due, now),
                    crate::core::text::count(s.reviews as usize, "review"),
                    crate::core::text::count(s.lapses as usize, "lapse"),
                )
            }
            (_, Some(due)) if due <= now => "new: due now".to_string(),
            (_, Some(due)) => format!("new: first review {}", config.when(due, now)),
        };
        lines.push(card_line(config, card, what));
    }
}

/// One card: its question on one line (escaped: a card of one's own holds what was typed),
/// marked when it is the learner's, and `what` about it.
fn card_line(config: &Config, card: &crate::core::roadmap::Card, what: String) -> Line<'static> {
    let theme = &config.theme;
    let ask = crate::core::text::paragraphs(&card.ask).join(" ");
    let mut spans = Vec::new();
    if card.own {
        spans.push(Span::styled("your card: ", theme.key));
    }
    spans.push(Span::raw(crate::core::text::one_line(&ask).into_owned()));
    spans.push(Span::styled(format!(" — {what}"), theme.dim));
    Line::from(spans)
}

/// The learner's cards on a task not done yet: reviewed once it is.
fn own_cards(
    config: &Config,
    lines: &mut Vec<Line<'static>>,
    item: &crate::core::progress::Item,
    task: &crate::core::roadmap::Task,
) {
    lines.push(Line::default());
    lines.push(Line::styled("Your cards", config.theme.heading));
    for card in crate::core::review::task_cards(task, Some(item))
        .iter()
        .filter(|c| c.own)
    {
        lines.push(card_line(
            config,
            card,
            "reviewed once the task is done".into(),
        ));
    }
}

/// "Last check" and what each probe found: ✓ and ✗ coloured, the rest as it came (escaped by
/// the checks), one line per line so that the pane wraps it whole, never cut mid-sentence.
fn last_check(theme: &Theme, lines: &mut Vec<Line<'static>>, report: &str) {
    lines.push(Line::default());
    lines.push(Line::styled("Last check", theme.heading));
    for line in report.lines() {
        let style = if line.starts_with('✓') {
            theme.done
        } else if line.starts_with('✗') {
            theme.doing
        } else {
            theme.dim
        };
        lines.push(Line::styled(line.to_string(), style));
    }
}
