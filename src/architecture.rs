//! The layer rules, read from the source itself (`use crate::…` statements and inline
//! `crate::…` paths alike, outside comments and tests):
//!
//! - layers import downward only: `core` uses nothing of pathway's above it; `storage` and
//!   `checks` use `core`; `tui` uses those three; `cli` uses all four (it starts the checklist);
//! - `tui::ui` (rendering) never imports the terminal loop;
//! - modules import one way: no circle, within a layer or across (a module that imports one that
//!   imports it back is a sign that a type lives in the wrong place).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, each with the layers it may use.
const LAYERS: &[(&str, &[&str])] = &[
    ("core", &[]),
    ("storage", &["core"]),
    ("checks", &["core"]),
    ("tui", &["core", "storage", "checks"]),
    ("cli", &["core", "storage", "checks", "tui"]),
];

/// The module a source file belongs to, `layer::name` (`src/tui/app/review.rs` →
/// `tui::app`); a layer's own `mod.rs` is `layer`.
fn module_of(relative: &Path) -> Option<String> {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let strip = |s: &str| s.strip_suffix(".rs").unwrap_or(s).to_string();
    match parts.as_slice() {
        [file] if matches!(file.as_str(), "lib.rs" | "main.rs") => None,
        [file] => Some(strip(file)),
        [layer, file] if file == "mod.rs" => Some(layer.clone()),
        [layer, file, ..] => Some(format!("{layer}::{}", strip(file))),
        _ => None,
    }
}

/// The modules a source text names through `crate::` (`crate::core::progress::X` →
/// `core::progress`), comments and `#[cfg(test)]` code left out.
fn uses(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let mut rest = line.split("//").next().unwrap_or("");
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let layer = ident(rest);
            let after = &rest[layer.len()..];
            let name = after.strip_prefix("::").map(ident).unwrap_or_default();
            match (layer.is_empty(), name.is_empty()) {
                (true, _) => {}
                (false, true) => {
                    out.insert(layer);
                }
                (false, false) => {
                    out.insert(format!("{layer}::{name}"));
                }
            }
        }
    }
    out
}

fn layer(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// The graph of a source folder: module → the modules it names.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Some(module) = path.strip_prefix(src).ok().and_then(module_of) else {
                continue;
            };
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let deps = graph.entry(module.clone()).or_default();
            deps.extend(uses(&text).into_iter().filter(|d| *d != module));
        }
    }
    graph
}

/// Every import that breaks a layer rule, as `from → to: why`.
fn layer_breaks(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut breaks = Vec::new();
    for (from, deps) in graph {
        let allowed = LAYERS.iter().find(|(l, _)| *l == layer(from));
        for to in deps {
            let why = match allowed {
                None => Some(format!("{from} is in no layer")),
                Some((own, below)) if layer(to) != *own && !below.contains(&layer(to)) => {
                    Some(format!("{own} may use only {below:?}"))
                }
                _ if from.starts_with("tui::ui") && to == "tui::terminal" => {
                    Some("rendering never imports the terminal loop".into())
                }
                _ => None,
            };
            if let Some(why) = why {
                breaks.push(format!("{from} → {to}: {why}"));
            }
        }
    }
    breaks
}

/// The first circle found, as the path that closes it (`a → b → a`).
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if graph.contains_key(next)
                && let Some(found) = visit(next, graph, path, done)
            {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> BTreeMap<String, BTreeSet<String>> {
        graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
    }

    #[test]
    fn the_modules_import_one_way() {
        let graph = source();
        assert!(graph.len() > 20, "the source was read: {graph:?}");
        if let Some(found) = circle(&graph) {
            panic!("import circle: {}", found.join(" → "));
        }
    }

    #[test]
    fn the_layers_import_downward_only() {
        let graph = source();
        assert!(graph.contains_key("core::progress"), "{graph:?}");
        let breaks = layer_breaks(&graph);
        assert!(
            breaks.is_empty(),
            "layer rules broken:\n{}",
            breaks.join("\n")
        );
    }

    #[test]
    fn at_most_four_files_sit_at_the_top_of_src() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let top: Vec<String> = std::fs::read_dir(&src)
            .expect("src/")
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        assert!(top.len() <= 4, "{top:?}");
    }

    #[test]
    fn the_checker_finds_a_circle_and_a_broken_layer_and_names_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write("core/a.rs", "use crate::core::b::Thing;\n");
        write(
            "core/b.rs",
            "fn f() { crate::core::c::g() }\n// crate::core::a is only a comment\n",
        );
        write(
            "core/c.rs",
            "use crate::core::a::X;\n#[cfg(test)]\nmod t { use crate::tui::z; }\n",
        );
        write("tui/ui/x.rs", "use crate::tui::terminal::run;\n");
        write("tui/terminal.rs", "");
        let found = circle(&graph(dir.path())).expect("a circle");
        assert_eq!(found.join(" → "), "core::a → core::b → core::c → core::a");
        assert_eq!(
            layer_breaks(&graph(dir.path())),
            ["tui::ui → tui::terminal: rendering never imports the terminal loop"]
        );
        write("core/c.rs", "use crate::storage::store;\n");
        assert_eq!(circle(&graph(dir.path())), None, "no circle once c stops");
        assert_eq!(
            layer_breaks(&graph(dir.path())),
            [
                "core::c → storage::store: core may use only []",
                "tui::ui → tui::terminal: rendering never imports the terminal loop"
            ]
        );
    }

    /// The app state holds state only: keys, colours and settings come in as the `Config`, so
    /// nothing has to be carried over by hand when a roadmap is switched.
    #[test]
    fn the_app_state_holds_no_configuration() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/app/mod.rs");
        let text = std::fs::read_to_string(path).expect("src/tui/app/mod.rs");
        let start = text.find("pub struct App {").expect("the App struct");
        let fields = &text[start..start + text[start..].find("\n}").expect("its end")];
        assert!(
            fields.lines().count() > 10,
            "the fields were read: {fields}"
        );
        for word in [
            "Keymap",
            "keymap",
            "Settings",
            "settings",
            "Theme",
            "theme",
            "color",
            "colour",
            "hyperlink",
            "Config",
            "TimeZone",
            "time_zone",
        ] {
            assert!(
                !fields.contains(word),
                "App has a {word:?} field:\n{fields}"
            );
        }
    }
}
