//! The progress card (`pathway card`): one self-contained SVG of about 500×200 px for a profile
//! README or a blog post, as learners share WakaTime or github-readme-stats cards. It draws its
//! own background, so it reads on GitHub's light and dark pages alike; it uses no external font,
//! image, style sheet or script; and every text from the roadmap or the progress is escaped for
//! XML. It says what it counts: "verified" only for done tasks a check proved.

use std::fmt::Write as _;

use crate::core::progress::{Counts, RoadmapProgress, Status};
use crate::core::roadmap::{Roadmap, task_key};
use crate::core::text::{display_width, hours_text};

/// The card's colours: its own background, so the page's never matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardTheme {
    Light,
    Dark,
}

struct Palette {
    background: &'static str,
    border: &'static str,
    text: &'static str,
    dim: &'static str,
    track: &'static str,
    done: &'static str,
    verified: &'static str,
}

impl CardTheme {
    fn palette(self) -> Palette {
        // GitHub's own greys and greens, with text well over 4.5:1 against the background.
        match self {
            CardTheme::Light => Palette {
                background: "#ffffff",
                border: "#d0d7de",
                text: "#1f2328",
                dim: "#57606a",
                track: "#eaeef2",
                done: "#54ae6b",
                verified: "#1a7f37",
            },
            CardTheme::Dark => Palette {
                background: "#0d1117",
                border: "#30363d",
                text: "#e6edf3",
                dim: "#9198a1",
                track: "#21262d",
                done: "#2e7d3e",
                verified: "#56d364",
            },
        }
    }
}

/// What the card shows, gathered from the roadmap and the progress.
#[derive(Debug, Clone, PartialEq)]
pub struct CardData {
    pub title: String,
    /// Per step: its number and title, done and counted tasks, and how many of the done a
    /// check verified.
    pub steps: Vec<StepBar>,
    pub counts: Counts,
    pub verified: usize,
    pub hours_done: f64,
    pub hours_left: f64,
    pub streak: u32,
    /// The day it was made, as it reads: "29 Nov 2026".
    pub date: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepBar {
    pub title: String,
    pub done: usize,
    pub verified: usize,
    pub counted: usize,
}

impl CardData {
    pub fn new(
        roadmap: &Roadmap,
        rp: &RoadmapProgress,
        stats: &crate::core::stats::Stats,
        date: String,
    ) -> CardData {
        let steps = roadmap
            .steps
            .iter()
            .map(|step| {
                let c = rp.step_counts(step);
                let verified = step
                    .tasks
                    .iter()
                    .filter(|t| {
                        rp.item(&task_key(step, t)).is_some_and(|i| {
                            i.status == Status::Done && i.checked.as_ref().is_some_and(|c| c.passed)
                        })
                    })
                    .count();
                StepBar {
                    title: step.title.to_string(),
                    done: c.done,
                    verified,
                    counted: c.counted(),
                }
            })
            .collect();
        CardData {
            title: roadmap.title.to_string(),
            steps,
            counts: stats.counts,
            verified: crate::cli::report::verified(roadmap, rp),
            hours_done: stats.hours_done,
            hours_left: stats.hours_left,
            streak: stats.streak,
            date,
        }
    }
}

/// Text made safe inside an SVG: the five characters XML gives meaning escaped, and what XML
/// 1.0 cannot hold at all (control characters) or what would show text in another order than
/// it is (bidirectional controls) replaced.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(' '),
            c if crate::core::text::unsafe_char(c) || ('\u{fffe}'..='\u{ffff}').contains(&c) => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

/// `text` cut to about `px` pixels at a font size of `size`, ending in `…` when cut. SVG text
/// is measured by the viewer's font; a sans-serif character is about 0.6 of the size wide on
/// average, so this keeps text inside its column with any of the usual fonts.
fn fit_px(text: &str, px: f64, size: f64) -> String {
    let cells = (px / (size * 0.6)).floor().max(1.0) as usize;
    if display_width(text) <= cells {
        text.to_string()
    } else {
        crate::core::text::fit(text, cells)
    }
}

/// The most step bars the card draws; more steps are summed up in a line.
const MAX_BARS: usize = 8;
const WIDTH: u32 = 500;

/// The most of the roadmap's title the card's label (its accessible name) holds.
const LABEL_TITLE_CELLS: usize = 120;

/// The card as an SVG document.
pub fn svg(data: &CardData, theme: CardTheme) -> String {
    let p = theme.palette();
    let shown = data.steps.len().min(MAX_BARS);
    let more = data.steps.len() - shown;
    let bars_bottom = BARS_TOP + ROW * shown as u32 + if more > 0 { ROW } else { 0 };
    let height = (bars_bottom + 40).max(200);
    let mut out = String::new();
    header(&mut out, data, &p, height);
    bars(&mut out, data, &p, shown);
    key(&mut out, &p, height);
    out.push_str("  </g>\n</svg>\n");
    out
}

/// The height of a step's row, and where the first row starts.
const ROW: u32 = 15;
const BARS_TOP: u32 = 78;

/// The document's opening, the background, the title, the date and the two summary lines.
fn header(out: &mut String, data: &CardData, p: &Palette, height: u32) {
    let font = "font-family=\"-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, \
                sans-serif\"";
    let c = data.counts;
    let hours = if data.hours_done + data.hours_left > 0.0 {
        format!(
            "{} h done · {} h left · ",
            hours_text(data.hours_done),
            hours_text(data.hours_left)
        )
    } else {
        String::new()
    };
    let streak = match data.streak {
        0 => "no streak now".to_string(),
        1 => "a 1-day streak".to_string(),
        n => format!("a {n}-day streak"),
    };
    let summary = format!(
        "{} of {} done ({}%) · {} verified by a check",
        c.done,
        crate::core::text::count(c.counted(), "task"),
        c.percent(),
        data.verified,
    );
    let effort = format!("{hours}{streak}");
    // The label is written twice (the image's name and its tooltip): the title is cut to a
    // width so that the card's size is bounded whatever the roadmap's titles are.
    let label = format!(
        "{} · {summary} · {effort}",
        crate::core::text::fit(&data.title, LABEL_TITLE_CELLS)
    );
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-label=\"{}\">",
        xml_escape(&label)
    );
    let _ = writeln!(out, "  <title>{}</title>", xml_escape(&label));
    let _ = writeln!(
        out,
        "  <rect x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{}\" stroke=\"{}\"/>",
        WIDTH - 1,
        height - 1,
        p.background,
        p.border
    );
    let _ = writeln!(out, "  <g {font} fill=\"{}\">", p.text);
    let _ = writeln!(
        out,
        "    <text x=\"20\" y=\"32\" font-size=\"17\" font-weight=\"600\">{}</text>",
        xml_escape(&fit_px(&data.title, 360.0, 17.0))
    );
    let _ = writeln!(
        out,
        "    <text x=\"480\" y=\"32\" font-size=\"11\" fill=\"{}\" text-anchor=\"end\">{}</text>",
        p.dim,
        xml_escape(&data.date)
    );
    let _ = writeln!(
        out,
        "    <text x=\"20\" y=\"54\" font-size=\"12\">{}</text>",
        xml_escape(&fit_px(&summary, 460.0, 12.0))
    );
    let _ = writeln!(
        out,
        "    <text x=\"20\" y=\"70\" font-size=\"11\" fill=\"{}\">{}</text>",
        p.dim,
        xml_escape(&effort)
    );
}

/// A bar per step for the first `shown` steps, and a line summing up the rest.
fn bars(out: &mut String, data: &CardData, p: &Palette, shown: usize) {
    let bar_x = 250.0;
    let bar_width = 180.0;
    for (i, step) in data.steps.iter().take(shown).enumerate() {
        let y = BARS_TOP + ROW * i as u32;
        let name = format!("{} {}", i + 1, step.title);
        let _ = writeln!(
            out,
            "    <text x=\"20\" y=\"{}\" font-size=\"11\">{}</text>",
            y + 9,
            xml_escape(&fit_px(&name, 222.0, 11.0))
        );
        let part = |n: usize| {
            if step.counted == 0 {
                0.0
            } else {
                bar_width * n as f64 / step.counted as f64
            }
        };
        // The track, then what is done over it, then what is verified over that.
        let bars = [
            (bar_width.to_string(), p.track, true),
            (format!("{:.1}", part(step.done)), p.done, step.done > 0),
            (
                format!("{:.1}", part(step.verified)),
                p.verified,
                step.verified > 0,
            ),
        ];
        for (width, fill, shown) in bars {
            if shown {
                let _ = writeln!(
                    out,
                    "    <rect x=\"{bar_x}\" y=\"{}\" width=\"{width}\" height=\"8\" rx=\"4\" fill=\"{fill}\"/>",
                    y + 2,
                );
            }
        }
        let _ = writeln!(
            out,
            "    <text x=\"480\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{}/{}</text>",
            y + 9,
            step.done,
            step.counted
        );
    }
    let more = data.steps.len() - shown;
    if more > 0 {
        let rest: usize = data.steps[shown..].iter().map(|s| s.done).sum();
        let of: usize = data.steps[shown..].iter().map(|s| s.counted).sum();
        let _ = writeln!(
            out,
            "    <text x=\"20\" y=\"{}\" font-size=\"11\" fill=\"{}\">and {}: {rest}/{of}</text>",
            BARS_TOP + ROW * shown as u32 + 9,
            p.dim,
            crate::core::text::count(more, "more step")
        );
    }
}

/// The key to the bars, and what "verified" means.
fn key(out: &mut String, p: &Palette, height: u32) {
    let key_y = height - 16;
    let _ = writeln!(
        out,
        "    <rect x=\"20\" y=\"{}\" width=\"10\" height=\"8\" rx=\"2\" fill=\"{}\"/>",
        key_y - 8,
        p.verified
    );
    let _ = writeln!(
        out,
        "    <text x=\"34\" y=\"{key_y}\" font-size=\"10\" fill=\"{}\">verified: a check proved it</text>",
        p.dim
    );
    let _ = writeln!(
        out,
        "    <rect x=\"190\" y=\"{}\" width=\"10\" height=\"8\" rx=\"2\" fill=\"{}\"/>",
        key_y - 8,
        p.done
    );
    let _ = writeln!(
        out,
        "    <text x=\"204\" y=\"{key_y}\" font-size=\"10\" fill=\"{}\">done: ticked by the learner</text>",
        p.dim
    );
    let _ = writeln!(
        out,
        "    <text x=\"480\" y=\"{key_y}\" font-size=\"10\" fill=\"{}\" text-anchor=\"end\">pathway</text>",
        p.dim
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_xml_and_what_xml_cannot_hold_is_replaced() {
        assert_eq!(
            xml_escape("</text><script>alert(1)</script> & \"'"),
            "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;&apos;"
        );
        assert_eq!(xml_escape("a\u{1}b\u{202e}c\nd"), "a\u{fffd}b\u{fffd}c d");
    }

    #[test]
    fn the_card_size_is_bounded_whatever_the_titles() {
        let huge = "t".repeat(100_000);
        let data = CardData {
            title: huge.clone(),
            steps: vec![
                StepBar {
                    title: huge.clone(),
                    done: 1,
                    verified: 0,
                    counted: 2,
                };
                3
            ],
            counts: Counts::default(),
            verified: 0,
            hours_done: 1.0,
            hours_left: 2.0,
            streak: 0,
            date: "29 Nov 2026".into(),
        };
        let card = svg(&data, CardTheme::Light);
        assert!(card.len() < 8_000, "{} bytes", card.len());
    }

    #[test]
    fn long_text_is_cut_to_its_column() {
        let long = "x".repeat(100);
        let cut = fit_px(&long, 120.0, 10.0);
        assert_eq!(display_width(&cut), 20);
        assert!(cut.ends_with('…'));
        assert_eq!(fit_px("short", 120.0, 10.0), "short");
    }
}
