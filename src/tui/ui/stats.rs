//! The progress view (`p`): completions by week, streak, pace, forecast, time per step.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Padding, Paragraph, Scrollbar, ScrollbarOrientation,
    ScrollbarState, StatefulWidget, Widget, Wrap,
};

use super::hours_text;
use crate::core::stats::{Stats, forecast_text};
use crate::tui::app::App;
use crate::tui::config::Config;
use crate::tui::theme::Theme;

/// Each week's bar takes this many columns, with one more between bars.
const BAR_WIDTH: u16 = 5;
const CHART_HEIGHT: u16 = 8;

pub fn render(app: &App, config: &Config, area: Rect, buf: &mut Buffer) {
    let theme = &config.theme;
    let title = title(app, config);
    let block = Block::bordered()
        .title(title)
        .border_style(theme.border)
        .padding(Padding::horizontal(1));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let room = usize::from((inner.width / (BAR_WIDTH + 1)).clamp(1, 12));
    let stats = app.stats(config);
    let (weeks, earlier) = stats.last_weeks(room);

    // The chart gives way to the figures on a short screen.
    let chart_height = CHART_HEIGHT
        .min(inner.height / 3)
        .max(3)
        .min(inner.height.saturating_sub(1));
    let chart = Rect {
        y: inner.y + 1,
        height: chart_height,
        ..inner
    };
    render_chart(&stats, weeks, room, theme, chart, buf);

    let mut lines = figures(&stats, theme);
    lines.extend(step_days(&stats, theme));
    let rest = Rect {
        y: chart.bottom() + 1,
        height: inner.bottom().saturating_sub(chart.bottom() + 1),
        ..inner
    };
    Paragraph::new(vec![Line::styled(
        crate::core::stats::weeks_caption(
            weeks.len(),
            stats.weeks.len(),
            earlier,
            inner.width as usize,
        ),
        theme.heading,
    )])
    .render(Rect { height: 1, ..inner }, buf);
    render_figures(app, area, rest, lines, theme, buf);
}

/// The title, with the key that goes where the learner would go next.
fn title(app: &App, config: &Config) -> String {
    // Full screen (a small window), the details are not a key away: the key goes back to the
    // list; beside the tree, it brings the details back in this pane's place.
    if matches!(app.overlay(), crate::tui::app::Overlay::Details { .. }) {
        format!(
            " Progress over time · {} back to the list ",
            config.keymap.key_in(
                crate::tui::app::Mode::Details,
                crate::tui::app::Action::Cancel
            )
        )
    } else {
        format!(
            " Progress over time · {} for details ",
            config.keymap.key_for(crate::tui::app::Action::ToggleStats)
        )
    }
}

/// Streak, pace, effort, review and forecast.
fn figures(stats: &Stats, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let (done, left) = (stats.hours_done, stats.hours_left);
    lines.push(Line::from(vec![
        Span::styled("Streak  ", theme.heading),
        Span::raw(match stats.streak {
            0 => "none now".to_string(),
            1 => "1 day".to_string(),
            n => format!("{n} days in a row"),
        }),
        Span::styled(
            match stats.last_active {
                Some(day) => format!(" · last active {}", crate::core::text::day(day)),
                None => String::new(),
            },
            theme.dim,
        ),
        Span::styled(
            match stats.active_days {
                1 => " · active on 1 day in all".to_string(),
                n => format!(" · active on {n} days in all"),
            },
            theme.dim,
        ),
    ]));
    lines.push(Line::from(vec![
        Span::styled("Pace    ", theme.heading),
        Span::raw(stats.pace_text()),
    ]));
    if stats.work_done > 0.0 {
        lines.push(Line::styled(stats.pace_basis_text(), theme.dim));
    }
    if done + left > 0.0 {
        lines.push(Line::from(vec![
            Span::styled("Effort  ", theme.heading),
            Span::raw(format!(
                "{} h done · {} h left",
                hours_text(done),
                hours_text(left)
            )),
        ]));
    }
    lines.push(Line::from(vec![
        Span::styled("Review  ", theme.heading),
        Span::raw(stats.review.summary()),
    ]));
    let fading: Vec<String> = stats
        .review
        .fading
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| format!("{n} in step {}", s + 1))
        .collect();
    if !fading.is_empty() {
        lines.push(Line::from(vec![
            Span::styled("Fading ↻  ", theme.heading),
            Span::raw(fading.join(" · ")),
        ]));
    }
    let most = stats.review.next_days.iter().copied().max().unwrap_or(0);
    if most > 0 {
        // One cell a day for the next two weeks, as a sparkline of what falls due.
        let cells: String = stats
            .review
            .next_days
            .iter()
            .map(|n| match (n * 8).div_ceil(most) {
                0 => '·',
                1 => '▁',
                2 => '▂',
                3 => '▃',
                4 => '▄',
                5 => '▅',
                6 => '▆',
                7 => '▇',
                _ => '█',
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled("        ", theme.heading),
            Span::styled(cells, theme.bar_done),
            Span::styled(" due per day, the next 14 days", theme.dim),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::raw(forecast_text(stats)));
    lines.push(Line::default());
    lines
}

/// How long each step has taken so far.
fn step_days(stats: &Stats, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    lines.push(Line::styled("Days in progress", theme.heading));
    let title_width = stats
        .steps
        .iter()
        .map(|s| super::display_width(&s.title))
        .max()
        .unwrap_or(0);
    for (i, step) in stats.steps.iter().enumerate() {
        let days = match (step.days, step.done) {
            (None, _) => "not started".to_string(),
            (Some(1), true) => "done in 1 day".to_string(),
            (Some(d), true) => format!("done in {d} days"),
            (Some(1), false) => "1 day so far".to_string(),
            (Some(d), false) => format!("{d} days so far"),
        };
        let style = if step.done { theme.done } else { theme.dim };
        lines.push(Line::from(vec![
            Span::raw(format!("{} {:<title_width$}  ", i + 1, step.title)),
            Span::styled(days, style),
        ]));
    }
    lines
}

/// The figures under the chart, scrolled as the app keeps it and clamped to what this frame
/// reports, with a scrollbar when there is more.
fn render_figures(
    app: &App,
    area: Rect,
    rest: Rect,
    lines: Vec<Line<'static>>,
    theme: &Theme,
    buf: &mut Buffer,
) {
    // The figures scroll under the chart, like the detail pane they replace: the app keeps the
    // scroll and clamps it to what this frame reports.
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let max = paragraph
        .line_count(rest.width)
        .saturating_sub(rest.height as usize);
    let scroll = (app.detail_scroll() as usize).min(max) as u16;
    app.report_viewport(|v| {
        v.detail = Some(area);
        v.detail_height = rest.height;
        v.detail_max_scroll = u16::try_from(max).unwrap_or(u16::MAX);
    });
    paragraph.scroll((scroll, 0)).render(rest, buf);
    if max > 0 {
        // Drawn over the right border, beside the figures, so the learner sees there is more.
        let mut state = ScrollbarState::new(max).position(scroll as usize);
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .track_symbol(Some("│"))
            .thumb_style(theme.border_focus)
            .render(
                Rect {
                    x: area.x,
                    width: area.width,
                    ..rest
                },
                buf,
                &mut state,
            );
    }
}

/// The weekly chart: for each week, the tasks done, and beside them the reviews and checks,
/// which are work too.
fn render_chart(
    stats: &crate::core::stats::Stats,
    weeks: &[(jiff::civil::Date, u32)],
    room: usize,
    theme: &crate::tui::theme::Theme,
    chart: Rect,
    buf: &mut Buffer,
) {
    let practice = stats.last_practice(room);
    let mut chart_widget = BarChart::default()
        .bar_width(BAR_WIDTH / 2)
        .bar_gap(1)
        .group_gap(0)
        .value_style(theme.selected);
    for ((monday, n), p) in weeks.iter().zip(practice) {
        let bars = [
            Bar::default().value(u64::from(*n)).style(theme.bar_done),
            Bar::default()
                .value(u64::from(p.total()))
                .style(theme.doing),
        ];
        chart_widget = chart_widget.data(
            BarGroup::default()
                .label(Line::from(format!(
                    "{:02}/{:02}",
                    monday.day(),
                    monday.month()
                )))
                .bars(&bars),
        );
    }
    chart_widget.render(chart, buf);
}
