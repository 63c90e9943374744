//! The settings file, `config.yaml` in pathway's config directory: a theme, colour overrides, key
//! remapping and the default roadmap. Optional; validated like a roadmap, so a mistake is an
//! error with its file, line and column, never a setting silently ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::core::roadmap::{Location, yaml_message};

/// Environment variable that points at another settings file.
pub const CONFIG_ENV: &str = "PATHWAY_CONFIG";
pub const FILE_NAME: &str = "config.yaml";
/// A settings file is a few lines; anything larger is a mistake.
const MAX_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// `dark` (the default: the terminal's own colours), `light` or `high-contrast`.
    #[serde(default)]
    pub theme: ThemeName,
    /// Colours of single roles, over the theme's: `selection`, `done`, `doing`, `accent`,
    /// `dim`, as ratatui's colour names (`green`, `light-blue`) or `#rrggbb`.
    #[serde(default)]
    pub colors: BTreeMap<Role, String>,
    /// Keys for actions of the checklist, by the action names of the key table.
    #[serde(default)]
    pub keys: BTreeMap<String, Vec<String>>,
    /// The roadmap used when `--roadmap` is not given: an id or a file.
    #[serde(default)]
    pub roadmap: Option<String>,
    /// How review runs.
    #[serde(default)]
    pub review: ReviewSection,
    /// Where checks run and the values of the roadmaps' variables.
    #[serde(default)]
    pub checks: ChecksSection,
}

/// The `checks:` section: the learner's project folder and values for the roadmaps' check
/// variables, for every roadmap or (under `roadmaps:`) for one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksSection {
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default, deserialize_with = "crate::core::probe::deserialize_vars")]
    pub vars: BTreeMap<String, String>,
    /// Per roadmap id: its own project folder and variables, over the ones above.
    #[serde(default)]
    pub roadmaps: BTreeMap<String, RoadmapChecks>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadmapChecks {
    #[serde(default)]
    pub project: Option<String>,
    #[serde(default, deserialize_with = "crate::core::probe::deserialize_vars")]
    pub vars: BTreeMap<String, String>,
}

impl ChecksSection {
    fn is_empty(&self) -> bool {
        *self == ChecksSection::default()
    }

    /// The project folder for a roadmap's checks, as the settings give it (`~` is the home
    /// folder), if they do.
    pub fn project(&self, roadmap: &str) -> Option<PathBuf> {
        let text = self
            .roadmaps
            .get(roadmap)
            .and_then(|r| r.project.clone())
            .or_else(|| self.project.clone())?;
        Some(match text.strip_prefix("~/") {
            Some(rest) => std::env::var_os("HOME")
                .map(PathBuf::from)
                .unwrap_or_default()
                .join(rest),
            None => PathBuf::from(text),
        })
    }

    /// A roadmap's variables: its defaults, then the settings' values for every roadmap, then
    /// those for this one.
    pub fn vars(
        &self,
        roadmap: &str,
        defaults: &BTreeMap<String, String>,
    ) -> BTreeMap<String, String> {
        let mut vars = defaults.clone();
        vars.extend(self.vars.clone());
        if let Some(own) = self.roadmaps.get(roadmap) {
            vars.extend(own.vars.clone());
        }
        vars
    }
}

/// The `review:` section: how many never-reviewed cards enter review a day, and the share of
/// reviews the schedule aims to have remembered.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReviewSection {
    pub new_per_day: usize,
    pub retention: f64,
}

impl Default for ReviewSection {
    fn default() -> Self {
        let d = crate::core::review::ReviewSettings::default();
        ReviewSection {
            new_per_day: d.new_per_day,
            retention: d.retention,
        }
    }
}

impl Settings {
    /// The review settings in effect.
    pub fn review_settings(&self) -> crate::core::review::ReviewSettings {
        crate::core::review::ReviewSettings {
            new_per_day: self.review.new_per_day,
            retention: self.review.retention,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    HighContrast,
}

/// The parts of the screen whose colour can be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Selection,
    Done,
    Doing,
    Accent,
    Dim,
}

/// Where the settings file is: `--config FILE`, else `$PATHWAY_CONFIG`, else `config.yaml` in
/// `dir`, pathway's config directory (`$XDG_CONFIG_HOME/pathway`), even when the progress is
/// kept elsewhere: `--progress` moves the progress, not the learner's settings. `--help`, the
/// manual page and the README say the same.
pub fn path(
    flag: Option<&Path>,
    env: Option<std::ffi::OsString>,
    dir: Option<PathBuf>,
) -> Option<PathBuf> {
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = env.filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dir.map(|d| d.join(FILE_NAME))
}

/// Reads the settings: a missing file (unless named explicitly) means the defaults.
pub fn load(path: &Path, explicit: bool) -> anyhow::Result<Settings> {
    SettingsFile::read(Some(path), explicit)?.all()
}

/// The settings file, read once and parsed only as far as a command needs. Most commands use
/// nothing but `roadmap:`; the keys, colours, review and checks sections are read and checked by
/// the commands that use them (the checklist, `review`, `stats`, `check`, `config`), so a
/// `pathway status` in a shell prompt parses no more than the roadmap's name and builds no
/// keymap or theme.
#[derive(Debug, Clone, Default)]
pub struct SettingsFile {
    origin: String,
    /// `None` when there is no file: the defaults.
    text: Option<String>,
}

impl SettingsFile {
    /// Reads the file at `path` (`None`: no settings file at all). A missing file means the
    /// defaults, unless it was named explicitly.
    pub fn read(path: Option<&Path>, explicit: bool) -> anyhow::Result<SettingsFile> {
        let Some(path) = path else {
            return Ok(SettingsFile::default());
        };
        let origin = crate::core::text::shown(path);
        let text = match crate::storage::fsio::read_regular(path, MAX_BYTES) {
            Ok(text) => Some(text),
            Err(crate::storage::fsio::Limited::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound && !explicit =>
            {
                None
            }
            Err(crate::storage::fsio::Limited::TooLarge) => {
                anyhow::bail!("{origin}: over 1 MiB, refused")
            }
            Err(other) => anyhow::bail!("{origin}: cannot read: {other}"),
        };
        Ok(SettingsFile { origin, text })
    }

    /// Every setting, each checked.
    pub fn all(&self) -> anyhow::Result<Settings> {
        match &self.text {
            Some(text) => parse(text, &self.origin),
            None => Ok(Settings::default()),
        }
    }

    /// Where `needle` first stands in the file, `file:line:column` (the file alone if nowhere):
    /// for a problem found by a layer above, such as a key the key table cannot bind.
    pub fn locate(&self, needle: &str) -> String {
        locate(self.text.as_deref().unwrap_or(""), &self.origin, needle)
    }

    /// Only `roadmap:`, the roadmap to use; the rest of the file is skipped unchecked.
    pub fn roadmap(&self) -> anyhow::Result<Option<String>> {
        /// Named as the whole is, for the messages serde writes ("expected struct Settings").
        #[derive(Deserialize)]
        #[serde(rename = "Settings")]
        struct RoadmapOnly {
            #[serde(default)]
            roadmap: Option<String>,
        }
        let Some(text) = self.text.as_deref() else {
            return Ok(None);
        };
        let Some(text) = yaml_text(text, &self.origin)? else {
            return Ok(None);
        };
        Ok(from_text::<RoadmapOnly>(text, &self.origin)?.roadmap)
    }
}

/// The text to hand serde: without a byte-order mark, refused if it holds anchors or aliases,
/// `None` if it is blank (the defaults).
fn yaml_text<'a>(text: &'a str, origin: &str) -> anyhow::Result<Option<&'a str>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(None);
    }
    if let Some((Location { line, column }, why)) = crate::core::roadmap::refused(text) {
        anyhow::bail!("{origin}:{line}:{column}: {why}");
    }
    Ok(Some(text))
}

/// Reads `T` from settings text, and on a mistake says where (`file:line:column`, from
/// serde_yaml), which setting (the field path, from serde_path_to_error) and, for a value of the
/// wrong form, what the setting takes, as `review.new_per_day: expected a whole number from 0 to
/// 10000, not "x"`. Whether a value has the wrong form is read from the document itself, never
/// from the wording of serde's message.
fn from_text<T: serde::de::DeserializeOwned>(text: &str, origin: &str) -> anyhow::Result<T> {
    let error = match serde_path_to_error::deserialize(serde_yaml::Deserializer::from_str(text)) {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    let keys = setting_keys(error.path());
    let (location, message) = yaml_message(error.inner());
    let place = match location {
        Some(Location { line, column }) => format!("{origin}:{line}:{column}"),
        None => origin.to_string(),
    };
    let wrong_form = keys.as_deref().and_then(|keys| {
        let (form, said) = form_of(keys)?;
        let document: serde_yaml::Value = serde_yaml::from_str(text).ok()?;
        let found = keys
            .iter()
            .try_fold(&document, |value, key| value.get(key.as_str()))?;
        (!form.fits(found)).then(|| format!("expected {said}, not {}", described(found)))
    });
    match (wrong_form, keys) {
        (Some(what), Some(keys)) if !keys.is_empty() => {
            anyhow::bail!("{place}: {}: {what}", keys.join("."))
        }
        (Some(what), _) => anyhow::bail!("{place}: {what}"),
        (None, _) => anyhow::bail!("{place}: {message}"),
    }
}

/// The keys from the top of the file down to the setting at fault, if the path is keys alone
/// (a list item or a key that is not text names no setting).
fn setting_keys(path: &serde_path_to_error::Path) -> Option<Vec<String>> {
    path.iter()
        .map(|segment| match segment {
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            _ => None,
        })
        .collect()
}

/// The kinds of YAML value a setting takes.
#[derive(Clone, Copy)]
enum Form {
    Map,
    List,
    Text,
    WholeNumber,
    Number,
    OneOf(&'static [&'static str]),
}

impl Form {
    fn fits(self, value: &serde_yaml::Value) -> bool {
        use serde_yaml::Value;
        match (self, value) {
            (Form::Map, Value::Mapping(_)) | (Form::List, Value::Sequence(_)) => true,
            // serde_yaml reads a number or a boolean as text where text is wanted.
            (Form::Text, Value::String(_) | Value::Number(_) | Value::Bool(_)) => true,
            (Form::WholeNumber, Value::Number(n)) => n.is_u64(),
            (Form::Number, Value::Number(_)) => true,
            (Form::OneOf(choices), Value::String(s)) => choices.contains(&s.as_str()),
            _ => false,
        }
    }
}

/// What the setting at `keys` takes, and how a learner would write it (serde would say
/// `usize`, or "a YAML tag starting with '!'" for a theme given as a list).
fn form_of(keys: &[String]) -> Option<(Form, &'static str)> {
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let checks = "a map, as {project: ~/code/blog, vars: {port: 8080}}";
    Some(match keys.as_slice() {
        [] => (Form::Map, "a map"),
        ["theme"] => (
            Form::OneOf(&["dark", "light", "high-contrast"]),
            "one of dark, light, high-contrast",
        ),
        ["colors"] => (
            Form::Map,
            "a map of roles (selection, done, doing, accent, dim) to colours",
        ),
        ["colors", _] => (Form::Text, "a colour name (green, light-blue) or #rrggbb"),
        ["keys"] => (
            Form::Map,
            "a map of action names to lists of keys, as {done: [space, x]}",
        ),
        ["keys", _] => (Form::List, "a list of keys, as [space, x]"),
        ["roadmap"] => (Form::Text, "a roadmap id or a file"),
        ["review"] => (Form::Map, "a map, as {new_per_day: 20, retention: 0.9}"),
        ["review", "new_per_day"] => (Form::WholeNumber, "a whole number from 0 to 10000"),
        ["review", "retention"] => (Form::Number, "a share from 0.70 to 0.97"),
        ["checks"] | ["checks", "roadmaps", _] => (Form::Map, checks),
        ["checks", "roadmaps"] => (
            Form::Map,
            "a map of roadmap ids to their own project and vars",
        ),
        ["checks", "project"] | ["checks", "roadmaps", _, "project"] => (Form::Text, "a folder"),
        ["checks", "vars"] | ["checks", "roadmaps", _, "vars"] => {
            (Form::Map, "a map of variable names to values")
        }
        ["checks", "vars", _] | ["checks", "roadmaps", _, "vars", _] => {
            (Form::Text, "a string, a number or true/false")
        }
        _ => return None,
    })
}

/// A value found in the file, as a learner reads it.
fn described(value: &serde_yaml::Value) -> String {
    use serde_yaml::Value;
    match value {
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a map".to_string(),
        Value::Null => "nothing".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Tagged(tagged) => format!("a value tagged {}", tagged.tag),
    }
}

fn locate(text: &str, origin: &str, needle: &str) -> String {
    text.lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find(needle)
                .map(|c| format!("{origin}:{}:{}", i + 1, c + 1))
        })
        .unwrap_or_else(|| origin.to_string())
}

/// Parses and checks settings (the key remapping is the key table's to check:
/// `tui::keys::Keymap::from_settings`); every error reads `file:line:column: what`.
pub fn parse(text: &str, origin: &str) -> anyhow::Result<Settings> {
    let Some(text) = yaml_text(text, origin)? else {
        return Ok(Settings::default());
    };
    let settings: Settings = from_text(text, origin)?;
    let at = |needle: &str| locate(text, origin, needle);
    for (role, value) in &settings.colors {
        if parse_color(value).is_none() {
            anyhow::bail!(
                "{}: colour {value:?} for {role:?}: use a colour name (green, light-blue) or #rrggbb",
                at(value)
            );
        }
    }
    let retention = settings.review.retention;
    if !(0.70..=0.97).contains(&retention) {
        anyhow::bail!(
            "{}: review: retention {retention}: give a share from 0.70 to 0.97 (0.9 is the default)",
            at("retention")
        );
    }
    if settings.review.new_per_day > 10_000 {
        anyhow::bail!(
            "{}: review: new_per_day {}: give 0 to 10000 (20 is the default)",
            at("new_per_day"),
            settings.review.new_per_day
        );
    }
    Ok(settings)
}

/// Where a top-level key's value stands in the settings file, as `file:line:column` (the file
/// alone when it cannot be found plainly): for an error found after the settings were read,
/// such as a `roadmap:` that names no roadmap.
pub fn locate_key(path: &Path, key: &str) -> String {
    let origin = crate::core::text::shown(path);
    let Ok(text) = crate::storage::fsio::read_regular(path, MAX_BYTES) else {
        return origin;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    text.lines()
        .enumerate()
        .find_map(|(i, line)| {
            let rest = line.strip_prefix(key)?.strip_prefix(':')?;
            let value = rest.len() - rest.trim_start().len();
            let column = line[..key.len() + 1].chars().count() + value + 1;
            Some(format!("{origin}:{}:{column}", i + 1))
        })
        .unwrap_or(origin)
}

/// A colour as ratatui names it, or `#rrggbb`.
pub fn parse_color(text: &str) -> Option<ratatui::style::Color> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 {
            return None;
        }
        let n = u32::from_str_radix(hex, 16).ok()?;
        return Some(ratatui::style::Color::Rgb(
            (n >> 16) as u8,
            (n >> 8) as u8,
            n as u8,
        ));
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// The effective settings as YAML a learner can copy into the file and edit. Written by hand,
/// as the progress file is: serde_yaml's emitter was code in the binary for this command alone.
pub fn to_yaml(settings: &Settings) -> String {
    use std::fmt::Write as _;
    let mut out = String::from(
        "# pathway settings. Every key is optional; these are the values in effect.\n",
    );
    let _ = writeln!(out, "theme: {}", settings.theme.name());
    if settings.colors.is_empty() {
        out.push_str("# colors: { selection: yellow, done: '#22aa22', accent: light-blue }\n");
    } else {
        out.push_str("colors:\n");
        for (role, colour) in &settings.colors {
            let _ = writeln!(out, "  {}: {}", role.name(), scalar(colour));
        }
    }
    if settings.keys.is_empty() {
        out.push_str(
            "# keys: { done: [space, x], quit: [q] }   (the names: pathway config --keys)\n",
        );
    } else {
        out.push_str("keys:\n");
        for (action, keys) in &settings.keys {
            let keys: Vec<String> = keys.iter().map(|k| scalar(k)).collect();
            let _ = writeln!(out, "  {}: [{}]", scalar(action), keys.join(", "));
        }
    }
    match &settings.roadmap {
        Some(roadmap) => {
            let _ = writeln!(out, "roadmap: {}", scalar(roadmap));
        }
        None => {
            out.push_str(
                "# roadmap: backend-devops   (an id from `pathway roadmaps`, or a file)\n",
            );
        }
    }
    let _ = writeln!(
        out,
        "review:\n  new_per_day: {}\n  retention: {}",
        settings.review.new_per_day, settings.review.retention
    );
    let checks = &settings.checks;
    if !checks.is_empty() {
        out.push_str("checks:\n");
        write_checks(&mut out, "  ", &checks.project, &checks.vars);
        if !checks.roadmaps.is_empty() {
            out.push_str("  roadmaps:\n");
            for (id, own) in &checks.roadmaps {
                let _ = writeln!(out, "    {}:", scalar(id));
                if own.project.is_none() && own.vars.is_empty() {
                    out.truncate(out.len() - 1);
                    out.push_str(" {}\n");
                }
                write_checks(&mut out, "      ", &own.project, &own.vars);
            }
        }
    }
    out
}

fn write_checks(
    out: &mut String,
    indent: &str,
    project: &Option<String>,
    vars: &BTreeMap<String, String>,
) {
    use std::fmt::Write as _;
    if let Some(project) = project {
        let _ = writeln!(out, "{indent}project: {}", scalar(project));
    }
    if !vars.is_empty() {
        let _ = writeln!(out, "{indent}vars:");
        for (name, value) in vars {
            let _ = writeln!(out, "{indent}  {}: {}", scalar(name), scalar(value));
        }
    }
}

/// A string as YAML reads it back unchanged: plain when it is a word or a path that YAML cannot
/// take for anything else (a number, a boolean, null), else double-quoted.
fn scalar(text: &str) -> String {
    let plain = text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    crate::storage::progress_yaml::yaml_quoted(&mut out, text);
    out
}

impl ThemeName {
    /// The name the settings file uses.
    pub fn name(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high-contrast",
        }
    }
}

/// A role is read from its name as text, so that serde_path_to_error can name the key of a
/// mistaken one (`colors.glow`; a key read as an enum it cannot), and serde_yaml still places
/// the mistake on the key itself.
impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Role, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = Role;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a role")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Role, E> {
                Role::ALL
                    .into_iter()
                    .find(|role| role.name() == name)
                    .ok_or_else(|| E::unknown_variant(name, &Role::NAMES))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

impl Role {
    const ALL: [Role; 5] = [
        Role::Selection,
        Role::Done,
        Role::Doing,
        Role::Accent,
        Role::Dim,
    ];
    /// In the order of `ALL`.
    const NAMES: [&str; 5] = ["selection", "done", "doing", "accent", "dim"];

    /// The name the settings file uses.
    pub fn name(self) -> &'static str {
        Role::NAMES[self as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_settings_file_reads_back() {
        let s = parse(
            "theme: light\ncolors: {selection: yellow, done: '#22aa22'}\nkeys: {done: [space, x]}\nroadmap: backend-devops\n",
            "config.yaml",
        )
        .expect("valid");
        assert_eq!(s.theme, ThemeName::Light);
        assert_eq!(
            s.colors.get(&Role::Done).map(String::as_str),
            Some("#22aa22")
        );
        assert_eq!(s.roadmap.as_deref(), Some("backend-devops"));
        assert_eq!(parse(&to_yaml(&s), "again").expect("round trip"), s);
    }

    #[test]
    fn every_setting_reads_back_from_what_config_prints() {
        let s = parse(
            "theme: high-contrast\ncolors: {dim: '#808080', accent: light-blue}\n\
             keys: {done: [' ', é, ctrl-d, '8', '\"', '[', '#'], quit: [q]}\n\
             roadmap: ../my roadmap.yaml\nreview: {new_per_day: 0, retention: 0.85}\n\
             checks:\n  project: ~/blog\n  vars: {port: 8080, on: 'true', e: '1e3', n: ''}\n  \
             roadmaps:\n    other: {project: /x}\n    bare: {}\n    third: {vars: {a: null-ish}}\n",
            "config.yaml",
        )
        .expect("valid");
        let shown = to_yaml(&s);
        assert_eq!(parse(&shown, "again").expect(&shown), s, "{shown}");
        assert!(shown.contains("theme: high-contrast\n"), "{shown}");
        assert!(shown.contains("  accent: light-blue\n"), "{shown}");
        assert!(shown.contains("    port: \"8080\"\n"), "{shown}");
        let defaults = to_yaml(&Settings::default());
        assert_eq!(
            parse(&defaults, "again").expect(&defaults),
            Settings::default()
        );
        assert!(
            defaults.contains("review:\n  new_per_day: 20\n  retention: 0.9\n"),
            "{defaults}"
        );
    }

    #[test]
    fn mistakes_are_errors_with_line_and_column() {
        let err = |text: &str| parse(text, "config.yaml").expect_err(text).to_string();
        assert!(
            err("theme: dark\nthem: light\n").starts_with("config.yaml:2:1: unknown field `them`")
        );
        assert_eq!(
            err("theme: sepia\n"),
            "config.yaml:1:8: theme: expected one of dark, light, high-contrast, not \"sepia\""
        );
        assert!(err("colors:\n  done: not-a-colour\n").starts_with("config.yaml:2:9: colour"));
        assert!(err("colors: {glow: red}\n").starts_with("config.yaml:1:10:"));
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_key_and_the_form_it_takes() {
        let err = |text: &str| parse(text, "config.yaml").expect_err(text).to_string();
        assert_eq!(
            err("theme: [dark]\n"),
            "config.yaml:1:8: theme: expected one of dark, light, high-contrast, not a list"
        );
        assert_eq!(
            err("theme: 3\n"),
            "config.yaml:1:8: theme: expected one of dark, light, high-contrast, not 3"
        );
        assert_eq!(
            err("review: {new_per_day: x}\n"),
            "config.yaml:1:23: review.new_per_day: expected a whole number from 0 to 10000, not \"x\""
        );
        assert_eq!(
            err("keys: {done: x}\n"),
            "config.yaml:1:14: keys.done: expected a list of keys, as [space, x], not \"x\""
        );
        assert!(err("colors: {done: [red]}\n").ends_with(
            "colors.done: expected a colour name (green, light-blue) or #rrggbb, not a list"
        ));
        assert!(
            err("roadmap: [a]\n").ends_with("roadmap: expected a roadmap id or a file, not a list")
        );
        assert!(
            err("review: 5\n")
                .ends_with("review: expected a map, as {new_per_day: 20, retention: 0.9}, not 5")
        );
        assert!(
            err("- theme\n").contains("expected a map, not a list"),
            "{}",
            err("- theme\n")
        );
    }

    #[test]
    fn a_mistake_that_is_not_a_value_of_the_wrong_form_keeps_what_serde_says_and_where() {
        let err = |text: &str| parse(text, "config.yaml").expect_err(text).to_string();
        // `project` is a setting elsewhere, not under review: an unknown field, not a form.
        assert_eq!(
            err("review: {project: 3}\n"),
            "config.yaml:1:10: review: unknown field `project`, expected `new_per_day` or `retention`"
        );
        // The key is the mistake, not the colour it is given.
        assert!(
            err("colors: {glow: red}\n")
                .starts_with("config.yaml:1:10: colors: unknown variant `glow`"),
            "{}",
            err("colors: {glow: red}\n")
        );
        assert_eq!(
            err("checks:\n  roadmaps:\n    blog: {project: [x]}\n"),
            "config.yaml:3:21: checks.roadmaps.blog.project: expected a folder, not a list"
        );
    }

    #[test]
    fn review_settings_are_read_and_checked() {
        let s = parse("review: {new_per_day: 5, retention: 0.85}\n", "config.yaml").expect("valid");
        assert_eq!(s.review_settings().new_per_day, 5);
        assert_eq!(s.review_settings().retention, 0.85);
        assert_eq!(Settings::default().review_settings().new_per_day, 20);
        let err = |text: &str| parse(text, "config.yaml").expect_err(text).to_string();
        assert!(
            err("review:\n  retention: 0.5\n")
                .starts_with("config.yaml:2:3: review: retention 0.5")
        );
        assert!(err("review: {retention: 1.2}\n").contains("0.70 to 0.97"));
        assert!(err("review: {new_per_day: -1}\n").starts_with("config.yaml:1:"));
        assert!(err("review: {per_day: 3}\n").contains("unknown field `per_day`"));
    }

    #[test]
    fn colours_are_names_or_hex() {
        assert_eq!(parse_color("green"), Some(ratatui::style::Color::Green));
        assert_eq!(
            parse_color("#ff0080"),
            Some(ratatui::style::Color::Rgb(255, 0, 128))
        );
        assert_eq!(parse_color("#ff00"), None);
        assert_eq!(parse_color("12"), None);
        assert_eq!(parse_color("chartreuse-ish"), None);
    }
}
