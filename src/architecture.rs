//! The module graph, kept free of circles: imports run one way (a module that imports one that
//! imports it back is a sign that a type lives in the wrong place). Read from the source itself,
//! `use crate::…` statements and inline `crate::…` paths alike, outside comments and tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module a source file belongs to (`src/app/review.rs` → `app`), if any.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_string_lossy();
    let name = first.strip_suffix(".rs").unwrap_or(&first).to_string();
    (!matches!(name.as_str(), "lib" | "main")).then_some(name)
}

/// The top-level modules a source text names through `crate::`, comments and `#[cfg(test)]`
/// code left out.
fn uses(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut out = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
        // `use crate::{a, b::c}`
        if let Some(group) = line.trim().strip_prefix("use crate::{") {
            for part in group.split(',') {
                let name: String = part
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
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

    #[test]
    fn the_modules_import_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let graph = graph(&src);
        assert!(graph.len() > 20, "the source was read: {graph:?}");
        if let Some(found) = circle(&graph) {
            panic!("import circle: {}", found.join(" → "));
        }
    }

    #[test]
    fn the_checker_finds_a_circle_and_names_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let write = |name: &str, text: &str| {
            std::fs::write(dir.path().join(name), text).expect("write");
        };
        write("a.rs", "use crate::b::Thing;\n");
        write(
            "b.rs",
            "fn f() { crate::c::g() }\n// crate::a is only a comment\n",
        );
        write(
            "c.rs",
            "use crate::{text, a::X};\n#[cfg(test)]\nmod t { use crate::z; }\n",
        );
        write("text.rs", "");
        let found = circle(&graph(dir.path())).expect("a circle");
        assert_eq!(found.join(" → "), "a → b → c → a");
        write("c.rs", "use crate::text;\n");
        assert_eq!(circle(&graph(dir.path())), None, "no circle once c stops");
    }

    /// The app state holds state only: keys, colours and settings come in as the `Config`, so
    /// nothing has to be carried over by hand when a roadmap is switched.
    #[test]
    fn the_app_state_holds_no_configuration() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/app/mod.rs");
        let text = std::fs::read_to_string(path).expect("src/app/mod.rs");
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
