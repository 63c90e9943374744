//! The configuration the TUI runs with, resolved once from the settings at the edge (the
//! command line) and passed in: the app state holds none of it, so a test or a switch of
//! roadmaps never has to carry it over by hand.

use jiff::tz::TimeZone;

use crate::core::review::ReviewSettings;
use crate::storage::settings::Settings;
use crate::tui::keys::{KeyProblem, Keymap};
use crate::tui::theme::Theme;

#[derive(Debug, Clone)]
pub struct Config {
    /// The keys in effect, with the learner's remapping: key handling, hints, footer and help.
    pub keymap: Keymap,
    /// The colours, parsed once (with `NO_COLOR`, only bold, dim and reverse video).
    pub theme: Theme,
    /// Whether resource titles are clickable links (OSC 8).
    pub hyperlinks: bool,
    /// How review runs: new cards a day, the retention aimed at.
    pub review: ReviewSettings,
    /// Dates are shown in this zone (the system's; tests fix one).
    pub time_zone: TimeZone,
}

impl Default for Config {
    /// The defaults: every key as shipped, the dark theme in colour, no hyperlinks.
    fn default() -> Config {
        Config {
            keymap: Keymap::default(),
            theme: Theme::new(true),
            hyperlinks: false,
            review: ReviewSettings::default(),
            time_zone: TimeZone::system(),
        }
    }
}

impl Config {
    /// The configuration the settings give. A remapping the settings file could not validate
    /// is an error here too, never silently dropped.
    pub fn new(settings: &Settings, color: bool, hyperlinks: bool) -> Result<Config, KeyProblem> {
        Ok(Config {
            keymap: Keymap::from_settings(&settings.keys)?,
            theme: Theme::for_settings(settings, color),
            hyperlinks,
            review: settings.review_settings(),
            time_zone: TimeZone::system(),
        })
    }

    pub fn with_time_zone(mut self, time_zone: TimeZone) -> Config {
        self.time_zone = time_zone;
        self
    }

    pub fn with_hyperlinks(mut self, hyperlinks: bool) -> Config {
        self.hyperlinks = hyperlinks;
        self
    }

    /// A date as the learner reads it, in their time zone: "24 Nov 2026".
    pub fn date(&self, at: jiff::Timestamp) -> String {
        crate::core::text::date(at, &self.time_zone).to_string()
    }

    /// "Fri 12 Dec, in 9 days", "in 5 min", for the result of a rating and the summary: the
    /// words the command line uses too.
    pub fn when(&self, at: jiff::Timestamp, now: jiff::Timestamp) -> String {
        crate::core::text::when(at, now, &self.time_zone)
    }
}
