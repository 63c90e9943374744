//! Text helpers shared by the screen and the printed reports: cutting to a width, bars, hours.

use unicode_width::UnicodeWidthChar;

/// Hours as a learner reads them: whole hours, or one decimal below ten.
pub fn hours_text(hours: f64) -> String {
    if hours < 10.0 && hours.fract() != 0.0 {
        format!("{hours:.1}")
    } else {
        format!("{}", hours.round() as u64)
    }
}

/// A text progress bar: filled and empty parts, `width` cells in all.
pub fn bar(ratio: f64, width: usize) -> (String, String) {
    let filled = ((ratio.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
    ("█".repeat(filled), "░".repeat(width - filled))
}

/// Roadmap text is hard-wrapped in the YAML; join each paragraph's lines so a pane can wrap them
/// to its own width.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" "))
        .collect()
}

pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `width` cells, ending in `…` when anything was cut.
pub fn fit(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_counts_cells_not_chars() {
        assert_eq!(fit("hello", 5), "hello");
        assert_eq!(fit("hello", 4), "hel…");
        assert_eq!(fit("日本語", 4), "日…");
        assert_eq!(fit("x", 0), "");
    }

    #[test]
    fn bar_fills_in_proportion() {
        assert_eq!(bar(0.5, 4), ("██".to_string(), "░░".to_string()));
        assert_eq!(bar(1.5, 2), ("██".to_string(), String::new()));
        assert_eq!(
            bar(f64::NAN, 2).0.chars().count() + bar(f64::NAN, 2).1.chars().count(),
            2
        );
    }
}
