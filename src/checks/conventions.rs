//! What pathway accepts as a learner's work, in one place, for every check that needs it: the
//! languages the roadmap offers and how each runs a file, what a test file is called in each
//! stack, which folders are tools' and not the learner's, and what is too little code to count.
//!
//! Python, Node.js (CommonJS and ES modules) and Java are the article's languages; a stack that
//! is not here is "cannot check", never "failed".

use std::collections::BTreeSet;
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

/// What a program gets on standard input: beginners' exercises often ask for a number or a
/// word, and `3` is both. A menu that loops until told to quit meets the end of the input
/// instead (see `ran_out_of_input`): no word to quit with suits every program.
pub(super) fn program_input() -> Vec<u8> {
    "3\n".repeat(20).into_bytes()
}

/// Whether a program that did not exit 0 stopped because its input ended (Python's EOFError,
/// Java Scanner's NoSuchElementException): it ran as far as pathway's input let it, which
/// is no crash of the learner's.
pub(super) fn ran_out_of_input(output: &str) -> bool {
    let tail: Vec<&str> = output.lines().rev().take(3).collect();
    tail.iter().any(|line| {
        line.starts_with("EOFError")
            || line.contains("java.util.NoSuchElementException")
            || line.contains("ERR_USE_AFTER_CLOSE")
    })
}

/// File extensions of languages pathway does not run: their files make a check "cannot check"
/// rather than "failed".
pub(super) const OTHER_LANGUAGES: [&str; 14] = [
    "ts", "go", "rs", "rb", "php", "cs", "kt", "c", "cpp", "swift", "scala", "ex", "hs", "dart",
];

/// Whether a source file is a program, not a class other programs use: Java needs a `main`
/// method (static, or an instance `void main()` from Java 21); Python and JavaScript files
/// all run.
pub(super) fn is_program(source: &str, language: Language) -> bool {
    match language {
        Language::Java => code(source, language)
            .iter()
            .any(|line| line.contains("void main(") || line.contains("void main (")),
        Language::Python | Language::JavaScript => true,
    }
}

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

/// The Python a project uses: its virtual environment's (`.venv`, `venv`) or `python3`. A
/// virtual environment's `python` is a link to a Python installed outside the project; a file
/// of the project's own in its place (a script printing "3 passed") is not trusted.
pub(super) fn python(project: &Path) -> PathBuf {
    for env in [".venv", "venv"] {
        let candidate = project.join(env).join("bin").join("python");
        if project.join(env).join("pyvenv.cfg").is_file()
            && installed(project, &candidate, "python")
        {
            return candidate;
        }
    }
    PathBuf::from("python3")
}

/// Whether `program` in the project is a link to an installed program whose name starts with
/// `name`, outside the project (a virtual environment's Python), or inside the project's
/// `node_modules/<package>/` (an npm package's command).
pub(super) fn installed(project: &Path, program: &Path, name: &str) -> bool {
    let is_link = std::fs::symlink_metadata(program).is_ok_and(|m| m.file_type().is_symlink());
    let (Ok(target), Ok(project)) = (program.canonicalize(), project.canonicalize()) else {
        return false;
    };
    let named = target
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with(name));
    let package = project.join("node_modules").join(name);
    is_link && ((named && !target.starts_with(&project)) || target.starts_with(package))
}

/// The lines of code in `text`: not blank, not a comment, not only punctuation (`}`, `]);`)
/// and not a placeholder (`pass`, `...`), trimmed.
pub(super) fn code(text: &str, language: Language) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| line.chars().any(char::is_alphanumeric))
        .filter(|line| {
            !language
                .line_comments()
                .iter()
                .any(|mark| line.starts_with(mark))
        })
        .filter(|line| !matches!(*line, "pass" | "..."))
        .collect()
}

/// `text` with its long literals and block comments emptied, line breaks kept: Python's
/// triple-quoted strings (a docstring is not code), JavaScript's template strings and `/* */`
/// comments, Java's text blocks and `/* */` comments. What a whole file of them holds (an
/// exercise that is one long string) is then no code at all.
pub(super) fn without_long_literals(text: &str, language: Language) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let starts = |at: usize, s: &str| chars[at..].iter().take(s.len()).copied().eq(s.chars());
    let comment = if language == Language::Python {
        "#"
    } else {
        "//"
    };
    while i < chars.len() {
        let c = chars[i];
        // A long literal's opening, and the closing it waits for.
        let long = match language {
            Language::Python if starts(i, "\"\"\"") => Some(("\"\"\"", "\"\"\"")),
            Language::Python if starts(i, "\'\'\'") => Some(("\'\'\'", "\'\'\'")),
            Language::Java if starts(i, "\"\"\"") => Some(("\"\"\"", "\"\"\"")),
            Language::JavaScript if c == '`' => Some(("`", "`")),
            Language::JavaScript | Language::Java if starts(i, "/*") => Some(("/*", "*/")),
            _ => None,
        };
        if let Some((open, close)) = long {
            let from = i + open.chars().count();
            let end = (from..chars.len())
                .find(|&at| starts(at, close) && (close != "`" || chars[at - 1] != '\\'))
                .map_or(chars.len(), |at| at + close.chars().count());
            // A template string on one line is a value like any string (`${port}` in a URL),
            // left for the string rules.
            if open == "`" && !chars[i..end].contains(&'\n') {
                out.extend(&chars[i..end]);
                i = end;
                continue;
            }
            out.push_str(if open == "/*" { " " } else { "\"\"" });
            out.extend(chars[i..end].iter().filter(|&&c| c == '\n'));
            i = end;
        } else if starts(i, comment) {
            // A line comment runs to the end of its line, quotes and all.
            while i < chars.len() && chars[i] != '\n' {
                out.push(chars[i]);
                i += 1;
            }
        } else if c == '"' || c == '\'' {
            // A one-line string is copied whole, so a `/*` or a backtick in it opens nothing.
            out.push(c);
            i += 1;
            while i < chars.len() && chars[i] != c && chars[i] != '\n' {
                if chars[i] == '\\' && i + 1 < chars.len() {
                    out.push(chars[i]);
                    i += 1;
                }
                out.push(chars[i]);
                i += 1;
            }
            if i < chars.len() && chars[i] == c {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `text` with each string on one line emptied (`"if (x) {"` becomes `""`): a program whose
/// lines are strings holds no code of its own.
pub(super) fn without_strings(text: &str) -> String {
    let Ok(strings) =
        crate::core::probe::regex(r#""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`\n]*`"#)
    else {
        return text.to_string();
    };
    strings.replace_all(text, "\"\"").into_owned()
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
            // node --test's own patterns too: *-test.js, *_test.js, test-*.js.
            stem.ends_with(".test")
                || stem.ends_with(".spec")
                || stem.ends_with("-test")
                || stem.ends_with("_test")
                || stem.starts_with("test-")
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

/// How a test runner reports what passed: the pattern of its count of passed tests, and the
/// patterns of counts to take away where that count includes tests that did not pass. Each
/// runner's summary is read only from that runner's output, so a script that prints another
/// runner's summary is not mistaken for it; the last match counts (the final summary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Summary {
    pub name: &'static str,
    pub passed: &'static str,
    pub not_passed: &'static [&'static str],
}

pub(super) const PYTEST: Summary = Summary {
    name: "pytest",
    passed: r"(?m)^=*\s*(\d+) passed",
    not_passed: &[],
};
pub(super) const UNITTEST: Summary = Summary {
    name: "python -m unittest",
    passed: r"(?m)^Ran (\d+) tests? in ",
    not_passed: &[
        r"\bfailures=(\d+)",
        r"\berrors=(\d+)",
        r"\bskipped=(\d+)",
        r"\bexpected failures=(\d+)",
    ],
};
pub(super) const NODE_TEST: Summary = Summary {
    name: "node --test",
    passed: r"(?m)^(?:#|ℹ) pass (\d+)",
    not_passed: &[],
};
pub(super) const JEST: Summary = Summary {
    name: "Jest",
    passed: r"(?m)^Tests:.*?(\d+) passed",
    not_passed: &[],
};
pub(super) const VITEST: Summary = Summary {
    name: "Vitest",
    passed: r"(?m)^\s*Tests\s+.*?(\d+) passed",
    not_passed: &[],
};
pub(super) const MOCHA: Summary = Summary {
    name: "Mocha",
    passed: r"(?m)^\s*(\d+) passing",
    not_passed: &[],
};
pub(super) const JUNIT: Summary = Summary {
    name: "JUnit",
    passed: r"\[\s*(\d+) tests successful\s*\]",
    not_passed: &[],
};
/// Surefire's closing line (the per-class lines go on with ", Time elapsed").
pub(super) const MAVEN: Summary = Summary {
    name: "mvn test",
    passed: r"(?m)Tests run: (\d+), Failures: \d+, Errors: \d+, Skipped: \d+\s*$",
    not_passed: &[
        r"(?m)Tests run: \d+, Failures: (\d+), Errors: \d+, Skipped: \d+\s*$",
        r"(?m)Tests run: \d+, Failures: \d+, Errors: (\d+), Skipped: \d+\s*$",
        r"(?m)Tests run: \d+, Failures: \d+, Errors: \d+, Skipped: (\d+)\s*$",
    ],
};

/// Maven's words for "could not download what the build needs", in any case: offline, a proxy,
/// or a repository that does not answer. Then the tests did not run, and that is not the
/// learner's failure.
pub(super) const MAVEN_OFFLINE: [&str; 4] = [
    "could not resolve",
    "could not transfer",
    "unknown host",
    "non-resolvable parent pom",
];

/// The test runner an npm `test` script calls, when the script is that runner and nothing else:
/// `jest`, `vitest run`, `mocha`, `node --test`, optionally after `npx`, `cross-env` or
/// `NAME=value` settings. A script that chains commands, pipes or substitutes (`;`, `&&`, `|`,
/// `$(`, a backtick, a redirection) is refused: its output could be anything, including another
/// runner's summary.
pub(super) fn npm_runner(script: &str) -> Result<Summary, String> {
    if let Some(bad) = [";", "&", "|", "$(", "`", ">", "<", "\n"]
        .iter()
        .find(|s| script.contains(**s))
    {
        return Err(format!(
            "the npm test script `{}` does more than run a test runner (it has `{bad}`): \
             make it only `jest`, `vitest run`, `mocha` or `node --test`",
            crate::core::text::clean(script.trim())
        ));
    }
    let words: Vec<&str> = script
        .split_whitespace()
        .skip_while(|w| w.contains('=') || matches!(*w, "npx" | "cross-env" | "--"))
        .collect();
    let runner = match words.as_slice() {
        ["jest", ..] => JEST,
        ["vitest", ..] => VITEST,
        ["mocha", ..] => MOCHA,
        ["node", rest @ ..] if rest.contains(&"--test") => NODE_TEST,
        _ => {
            return Err(format!(
                "the npm test script `{}` is not a test runner pathway reads \
                 (jest, vitest, mocha or node --test)",
                crate::core::text::clean(script.trim())
            ));
        }
    };
    Ok(runner)
}

/// What a test file shows about the learner's code: whether it uses a module or class of the
/// project, and how many of its lines assert something about a value (not only literals:
/// `assert True`, `expect(1).toBe(1)` and `assertEquals(1, 1)` cannot fail).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct TestEvidence {
    pub uses_project: bool,
    pub assertions: usize,
}

/// The names a test can use the learner's code by: Python modules and packages (file and
/// folder names) and Java classes (file names), of files that are not tests.
pub(super) fn project_names(files: &[PathBuf]) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for file in files.iter().filter(|f| !is_test_file(f)) {
        if matches!(Language::of(file), Some(Language::Python | Language::Java)) {
            if let Some(stem) = file.file_stem().and_then(|s| s.to_str()) {
                names.insert(stem.to_string());
            }
            if Language::of(file) == Some(Language::Python) {
                for folder in file.parent().into_iter().flat_map(Path::components) {
                    names.insert(folder.as_os_str().to_string_lossy().into_owned());
                }
            }
        }
    }
    names.remove("__init__");
    names
}

/// Words an assertion line holds that say nothing about the learner's values.
const NOT_A_VALUE: [&str; 32] = [
    "true",
    "false",
    "True",
    "False",
    "None",
    "null",
    "undefined",
    "NaN",
    "self",
    "this",
    "new",
    "not",
    "and",
    "or",
    "is",
    "in",
    "typeof",
    "void",
    "await",
    "async",
    "const",
    "let",
    "var",
    "require",
    "pytest",
    "raises",
    "test",
    "it",
    "describe",
    "Assertions",
    "Assert",
    "function",
];

pub(super) fn test_evidence(
    source: &str,
    language: Language,
    project: &BTreeSet<String>,
) -> TestEvidence {
    let (Ok(strings), Ok(assertion)) = (
        crate::core::probe::regex(r#""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`"#),
        crate::core::probe::regex(r"\bassert|\bexpect\s*\(|\braises\s*\(|\bfail\s*\("),
    ) else {
        return TestEvidence::default();
    };
    // The names that stand for the learner's code: what the test imports from the project (or,
    // in Java, the project's classes), and the variables given a value computed from them.
    let mut own: BTreeSet<String> = BTreeSet::new();
    if language == Language::Java {
        own.extend(project.iter().cloned());
    }
    // Of those, the names that are the code itself (a module, a class, a function), as opposed
    // to a value computed from it: an assertion must call or open one (`add(`, `calc.add`,
    // `Calc.add(`), since `assert calc` only says the module was imported.
    let mut code_names = own.clone();
    let Ok(always_true) = crate::core::probe::regex(
        r#"(?i)(\bor\s+(true\b|not\s+false\b|[0-9"'\[(])|\|\|\s*(true\b|!0|[0-9"'\[(])|\btrue\s*(\|\||\bor\b))"#,
    ) else {
        return TestEvidence::default();
    };
    let mut evidence = TestEvidence::default();
    let mut function: Option<String> = None;
    let source = without_long_literals(source, language);
    for line in code(&source, language) {
        let line = without_comment(line, language);
        if let Some(imported) = imports_from_project(line, language, project) {
            code_names.extend(imported.iter().cloned());
            own.extend(imported);
            continue;
        }
        // A template string keeps what it interpolates: `${port}` in a URL is a value of the code.
        // So does a Python f-string: `f"http://127.0.0.1:{server.server_port}"`.
        let bare = strings.replace_all(line, |caps: &regex_lite::Captures| {
            let whole = caps.get(0).map_or(0..0, |m| m.range());
            let text = &line[whole.clone()];
            let f_string = language == Language::Python
                && line[..whole.start].ends_with(['f', 'F'])
                && !line[..whole.start - 1].ends_with(|c: char| c.is_alphanumeric() && c != 'r');
            let open = if text.starts_with('`') {
                "${"
            } else if f_string {
                "{"
            } else {
                return "\"\"".to_string();
            };
            let inside: Vec<&str> = text
                .split(open)
                .skip(1)
                .filter_map(|part| part.split_once('}').map(|(inside, _)| inside))
                .collect();
            format!(" {} ", inside.join(" "))
        });
        let bare = bare.as_ref();
        let names = names_in(bare);
        let is_own = |w: &&str| own.contains(*w);
        if names.iter().any(is_own) {
            evidence.uses_project = true;
        }
        // Only what follows the assertion: `void adds() { assertTrue(true); }` names no value,
        // and `assert x == 1` of an `x = 1` says nothing of the learner's code.
        if let Some(m) = assertion.find(bare) {
            let asserted = &bare[m.start()..];
            let about_own = names_in(asserted).iter().any(|name| {
                own.contains(*name) && (!code_names.contains(*name) || called(asserted, name))
            });
            // `assert add(1, 2) == 3 or True` and `assert add(1, 2) == add(1, 2)` cannot fail,
            // whatever add does.
            if about_own && !always_true.is_match(asserted) && !same_both_sides(asserted) {
                evidence.assertions += 1;
            }
            continue;
        }
        // A function that returns the code (a pytest fixture: `def client(): return
        // app.test_client()`) stands for it, in the tests that take it as a parameter.
        if let Some(name) = bare
            .strip_prefix("def ")
            .or_else(|| bare.strip_prefix("async def "))
            .and_then(|rest| rest.split('(').next())
        {
            function = Some(name.trim().to_string());
        } else if (bare.starts_with("return ") || bare.starts_with("yield "))
            && names_in(bare).iter().any(is_own)
            && let Some(name) = function.take()
        {
            own.insert(name);
            continue;
        }
        // `with urlopen(base + "/posts") as r:` gives r a value the same way `r = …` does.
        let with_as = bare
            .strip_prefix("with ")
            .or_else(|| bare.strip_prefix("async with "))
            .and_then(|rest| rest.rsplit_once(" as "))
            .map(|(value, name)| (name.trim_end_matches(':'), value));
        if let Some((left, right)) = with_as.or_else(|| assignment(bare))
            && names_in(right).iter().any(is_own)
        {
            own.extend(
                names_in(left)
                    .into_iter()
                    .filter(|w| !NOT_A_VALUE.contains(w))
                    .map(str::to_string),
            );
        }
    }
    evidence
}

/// The names a line imports from the learner's project, or `None` when it imports nothing
/// of it: Python's `import calc`, `from calc import add as plus` and `from . import x`;
/// JavaScript's `require` or `import` of a relative path.
fn imports_from_project(
    line: &str,
    language: Language,
    project: &BTreeSet<String>,
) -> Option<Vec<String>> {
    let names = |text: &str| -> Vec<String> {
        names_in(text)
            .into_iter()
            .filter(|w| {
                !matches!(
                    *w,
                    "as" | "import" | "from" | "const" | "let" | "var" | "require"
                )
            })
            .map(str::to_string)
            .collect()
    };
    match language {
        Language::Python => {
            if let Some(rest) = line.strip_prefix("from ") {
                let (module, imported) = rest.split_once(" import ")?;
                let module = module.trim();
                let first = module
                    .trim_start_matches('.')
                    .split('.')
                    .next()
                    .unwrap_or("");
                let own = module.starts_with('.') || project.contains(first);
                return own.then(|| names(imported));
            }
            let rest = line.strip_prefix("import ")?;
            let own: Vec<String> = rest
                .split(',')
                .filter(|item| {
                    let module = item.split_whitespace().next().unwrap_or("");
                    project.contains(module.split('.').next().unwrap_or(""))
                })
                .filter_map(|item| item.split_whitespace().last().map(str::to_string))
                .map(|name| name.split('.').next().unwrap_or("").to_string())
                .collect();
            (!own.is_empty()).then_some(own)
        }
        Language::JavaScript => {
            let relative = crate::core::probe::regex(
                r#"(?:require\s*\(\s*|from\s+|import\s*\(\s*|^import\s+)['"]\.\.?/"#,
            )
            .ok()?;
            let found = relative.find(line)?;
            Some(names(&line[..found.start()]))
        }
        Language::Java => None,
    }
}

/// The two sides of an assignment (`x = add(1, 2)`, `int n = Calc.add(1, 2);`), not of a
/// comparison (`==`, `!=`, `<=`, `>=`) or an arrow (`=>`).
fn assignment(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let at = (0..bytes.len()).find(|&i| {
        bytes[i] == b'='
            && !matches!(bytes.get(i + 1), Some(b'=' | b'>'))
            && !matches!(
                i.checked_sub(1).map(|j| bytes[j]),
                Some(b'=' | b'!' | b'<' | b'>')
            )
    })?;
    Some((&line[..at], &line[at + 1..]))
}

/// Whether `name` occurs in `text` as code that is called: `add(`, `calc.add(`,
/// `Calc.square(`, `app.test_client(`, or indexed, `rows[`; not alone (`assert calc`), not a
/// member that is only read (`calc.add`, `add.__name__`, `Calc.class`).
fn called(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).any(|(at, _)| {
        if text[..at].chars().next_back().is_some_and(word) {
            return false;
        }
        let mut rest = text[at + name.len()..].trim_start();
        loop {
            match rest.chars().next() {
                Some('(' | '[') => return true,
                Some('.') => {
                    let member = rest[1..].trim_start();
                    let end = member.find(|c: char| !word(c)).unwrap_or(member.len());
                    if end == 0 {
                        return false;
                    }
                    rest = member[end..].trim_start();
                }
                _ => return false,
            }
        }
    })
}

/// `assert x == x`: both sides of the comparison the same, so it cannot fail.
fn same_both_sides(asserted: &str) -> bool {
    let body = asserted.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_');
    body.split_once("==").is_some_and(|(left, right)| {
        let norm = |s: &str| s.split_whitespace().collect::<String>();
        norm(left) == norm(right.trim_end_matches(';'))
    })
}

/// The names in a line of code that are not a member after a `.` (`add` and `calc` in
/// `calc.add(x).toBe(3)` but not `toBe`), numbers left out.
fn names_in(line: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut after_dot = false;
    let mut chars = line.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
        if word(c) {
            let mut end = start + c.len_utf8();
            while let Some(&(i, next)) = chars.peek() {
                let in_number = c.is_ascii_digit() && next == '.';
                if !(word(next) || in_number) {
                    break;
                }
                end = i + next.len_utf8();
                chars.next();
            }
            if !c.is_ascii_digit() && !after_dot {
                names.push(&line[start..end]);
            }
            after_dot = false;
        } else if !c.is_whitespace() {
            after_dot = c == '.';
        }
    }
    names
}

/// Pytest hooks that can turn a failed test into a passed one in the report: a `conftest.py`
/// (or any test file) defining one is refused, since the runner's summary would not be the
/// tests' verdict.
const REPORT_HOOKS: [&str; 5] = [
    "pytest_runtest_makereport",
    "pytest_runtest_call",
    "pytest_runtest_protocol",
    "pytest_report_teststatus",
    "pytest_runtest_logreport",
];

/// The Python file among `files` under `root` that defines a reporting hook, if any.
pub(super) fn rewrites_results(root: &Path, files: &[PathBuf]) -> Option<PathBuf> {
    files
        .iter()
        .filter(|f| Language::of(f) == Some(Language::Python))
        .filter(|f| f.file_name().is_some_and(|n| n == "conftest.py") || is_test_file(f))
        .find(|f| {
            let mut bytes = Vec::new();
            if let Ok(file) = std::fs::File::open(root.join(f)) {
                let _ =
                    std::io::Read::read_to_end(&mut std::io::Read::take(file, 1 << 20), &mut bytes);
            }
            code(&String::from_utf8_lossy(&bytes), Language::Python)
                .iter()
                .any(|line| {
                    line.starts_with("def ") && REPORT_HOOKS.iter().any(|h| line.contains(h))
                })
        })
        .cloned()
}

/// A line without its trailing comment (`x = 1  # one`, `let y = 2; // two`), quotes kept
/// whole: two programs that differ only in comments are one program.
pub(super) fn without_comment(line: &str, language: Language) -> &str {
    let mark = match language {
        Language::Python => "#",
        Language::JavaScript | Language::Java => "//",
    };
    let mut quote = None;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q && (i == 0 || bytes[i - 1] != b'\\') => quote = None,
            Some(_) => {}
            None if matches!(b, b'"' | b'\'' | b'`') => quote = Some(b),
            None if line[i..].starts_with(mark) => return line[..i].trim_end(),
            None => {}
        }
    }
    line
}

/// Whether a program's code has a condition, a loop or a function: the matter of the
/// exercises, and what a file of assignments or a lone exit lacks.
pub(super) fn has_logic(code: &[&str]) -> bool {
    code.iter().any(|line| {
        let first = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .find(|w| !w.is_empty())
            .unwrap_or("");
        matches!(
            first,
            "if" | "elif"
                | "else"
                | "for"
                | "while"
                | "def"
                | "function"
                | "switch"
                | "case"
                | "match"
                | "try"
                | "do"
        ) || line.contains("=>")
            || line.contains(" ? ")
            || (line.contains('(') && line.ends_with('{') && !line.starts_with("class"))
    })
}
