//! What pathway accepts as a learner's work, in one place, for every check that needs it: the
//! languages the roadmap offers and how each runs a file, what a test file is called in each
//! stack, which folders are tools' and not the learner's, and what is too little code to count.
//!
//! Python, Node.js (CommonJS and ES modules) and Java are the article's languages; a stack that
//! is not here is "cannot check", never "failed".

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Folders that hold tools' output, dependencies or environments, never the learner's own code.
pub(super) const NOT_THE_LEARNERS: [&str; 14] = [
    ".git",
    "node_modules",
    ".venv",
    "venv",
    "env",
    "__pycache__",
    ".pytest_cache",
    "target",
    "build",
    "dist",
    "out",
    ".gradle",
    ".idea",
    ".mvn",
];

/// How deep a search for the learner's files goes, and how many it looks at: a project is a
/// learner's, not a monorepo, and a check must stay quick on any folder.
pub(super) const MAX_DEPTH: usize = 6;
pub(super) const MAX_FILES: usize = 2000;

/// A program of the learner's is at least this many lines of code (not blank, not comments,
/// not a lone brace or `pass`): an empty file or a stub is not an exercise.
pub(super) const MIN_CODE_LINES: usize = 3;

/// The line a program gets on standard input, repeated: beginners' exercises often ask for a
/// number or a word, and `3` is both.
pub(super) const INPUT_LINE: &str = "3\n";
pub(super) const INPUT_LINES: usize = 20;

/// The languages whose files pathway can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Language {
    Python,
    JavaScript,
    Java,
}

impl Language {
    pub(super) fn of(path: &Path) -> Option<Language> {
        match path.extension()?.to_str()? {
            "py" => Some(Language::Python),
            "js" | "mjs" | "cjs" => Some(Language::JavaScript),
            "java" => Some(Language::Java),
            _ => None,
        }
    }

    /// The command that runs `file` as a program: the project's virtual environment's Python
    /// when it has one, Node.js, and Java's single-file source launcher (JDK 11 and later).
    pub(super) fn command(self, project: &Path, file: &Path) -> Vec<OsString> {
        let program: OsString = match self {
            Language::Python => python(project).into_os_string(),
            Language::JavaScript => "node".into(),
            Language::Java => "java".into(),
        };
        vec![program, file.as_os_str().to_owned()]
    }

    /// The comment markers of the language: a line starting with one is not code.
    fn line_comments(self) -> &'static [&'static str] {
        match self {
            Language::Python => &["#"],
            Language::JavaScript | Language::Java => &["//", "/*", "*", "*/"],
        }
    }
}

/// The Python a project uses: its virtual environment's (`.venv`, `venv`) or `python3`.
pub(super) fn python(project: &Path) -> PathBuf {
    for env in [".venv", "venv"] {
        let candidate = project.join(env).join("bin").join("python");
        if candidate.is_file() {
            return candidate;
        }
    }
    PathBuf::from("python3")
}

/// Lines of code in `text`: not blank, not a comment, not only punctuation or `pass`.
pub(super) fn code_lines(text: &str, language: Language) -> usize {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .filter(|line| {
            !language
                .line_comments()
                .iter()
                .any(|mark| line.starts_with(mark))
        })
        .filter(|line| !matches!(*line, "pass" | "..." | "{" | "}" | "};" | ")" | "});"))
        .count()
}

/// A test file, by the conventions of the stacks' runners: pytest and unittest (`test_*.py`,
/// `*_test.py`), node --test, Jest, Vitest and Mocha (`*.test.js`, `*.spec.mjs`, files under
/// `__tests__/` or `test/`), JUnit with Maven or Gradle (`*Test.java`, `*Tests.java`,
/// `*IT.java`).
pub(super) fn is_test_file(relative: &Path) -> bool {
    let Some(name) = relative.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let in_folder = |folder: &str| {
        relative
            .parent()
            .is_some_and(|p| p.components().any(|c| c.as_os_str() == folder))
    };
    match Language::of(relative) {
        Some(Language::Python) => {
            name.starts_with("test_") || name.ends_with("_test.py") || name == "tests.py"
        }
        Some(Language::JavaScript) => {
            let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
            stem.ends_with(".test")
                || stem.ends_with(".spec")
                || stem == "test"
                || in_folder("__tests__")
                || in_folder("test")
        }
        Some(Language::Java) => {
            let stem = name.trim_end_matches(".java");
            stem.ends_with("Test")
                || stem.ends_with("Tests")
                || stem.ends_with("IT")
                || stem.starts_with("Test")
        }
        None => name.ends_with(".test.ts") || name.ends_with(".spec.ts"),
    }
}

/// The learner's files under `root`, relative to it, skipping tools' folders; at most
/// `MAX_FILES`, at most `MAX_DEPTH` folders deep, in a stable order.
pub(super) fn learners_files(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![(PathBuf::new(), 0)];
    while let Some((folder, depth)) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(root.join(&folder)) else {
            continue;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name();
            let relative = folder.join(&name);
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                let skipped = name
                    .to_str()
                    .is_none_or(|n| NOT_THE_LEARNERS.contains(&n) || n.starts_with('.'));
                if !skipped && depth < MAX_DEPTH {
                    folders.push((relative, depth + 1));
                }
            } else if kind.is_file() {
                found.push(relative);
                if found.len() >= MAX_FILES {
                    return found;
                }
            }
        }
    }
    found.sort();
    found
}

/// Where JUnit's console launcher may be on a machine without Maven or Gradle: the system
/// package's jar (Debian's and Ubuntu's `junit5`, Fedora's `junit5`).
pub(super) const JUNIT_CONSOLE: [&str; 3] = [
    "/usr/share/java/junit-platform-console-standalone.jar",
    "/usr/share/junit5/junit-platform-console-standalone.jar",
    "/usr/local/share/java/junit-platform-console-standalone.jar",
];

/// The jars a JUnit test compiles against, from the same system packages.
pub(super) const JUNIT_API: [&str; 2] = [
    "/usr/share/java/junit-jupiter-api.jar",
    "/usr/share/java/opentest4j.jar",
];

/// npm's placeholder test script: a project whose `test` is this has no tests.
pub(super) const NPM_NO_TEST: &str = "no test specified";

/// How many tests passed, from a runner's summary; the first pattern that matches wins. Each is
/// (runner, pattern for passed, pattern for failed).
pub(super) const SUMMARIES: [(&str, &str, &str); 8] = [
    ("pytest", r"(\d+) passed", r"(\d+) (?:failed|errors?)\b"),
    (
        "unittest",
        r"(?m)^Ran (\d+) tests?",
        r"(?m)^FAILED \((?:failures|errors)=(\d+)",
    ),
    (
        "node --test",
        r"(?m)^(?:#|ℹ) pass (\d+)",
        r"(?m)^(?:#|ℹ) fail (\d+)",
    ),
    (
        "Jest",
        r"(?m)^Tests:.*?(\d+) passed",
        r"(?m)^Tests:.*?(\d+) failed",
    ),
    (
        "Vitest",
        r"(?m)^\s*Tests\s+.*?(\d+) passed",
        r"(?m)^\s*Tests\s+(\d+) failed",
    ),
    ("Mocha", r"(?m)^\s*(\d+) passing", r"(?m)^\s*(\d+) failing"),
    (
        "JUnit",
        r"\[\s*(\d+) tests successful\s*\]",
        r"\[\s*(\d+) tests failed\s*\]",
    ),
    (
        "Maven",
        r"(?m)Tests run: (\d+), Failures: \d+, Errors: \d+, Skipped: \d+\s*$",
        r"(?m)Tests run: \d+, Failures: (\d+)",
    ),
];
