//! Probes that run the learner's work: `tests` (the project's own test runner), `programs`
//! (every exercise in a folder runs) and `program` (one program, on an input, gives the
//! expected output). They read the project's files to find how to run them, through the
//! conventions in `conventions.rs`, and run each command as `run` probes do: in the project,
//! in a session of its own, under the timeout, leaving nothing behind.
//!
//! Where they write: nothing of pathway's. The learner's own tools may write their caches
//! inside the project (`__pycache__`, `target/`, `build/`, `node_modules/.cache`); compiled
//! JUnit classes go to a temporary folder that is removed afterwards.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use super::command::{OUTPUT_CAP, shown_output};
use super::conventions::{self as conv, Language};
use super::process::{Captured, End, supervise};
use super::run::{Context, Matcher, ProbeOutcome, cannot};
use super::words;
use crate::core::text;

/// What a command of the learner's gave back.
struct Ran {
    /// The exit code; `None` when a signal stopped it.
    code: Option<i32>,
    signal: Option<i32>,
    out: Captured,
}

impl Ran {
    /// "exit status 1, output:\n…" for a failure.
    fn shown(&self) -> String {
        let status = match (self.code, self.signal) {
            (Some(code), _) => format!("exit status {code}"),
            (None, Some(signal)) => format!("stopped by signal {signal}"),
            (None, None) => "stopped".to_string(),
        };
        format!("{status}{}", shown_output(&self.out))
    }

    fn text(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.out.kept)
    }
}

/// Runs `argv` in `cwd` with `input`, as a check runs commands. `Err` is the probe's outcome
/// when it could not run to the end: cancelled, timed out, or the program is missing.
fn exec(
    argv: &[OsString],
    cwd: &Path,
    input: Option<Vec<u8>>,
    timeout: Duration,
    ctx: &Context,
    expected: &str,
) -> Result<Ran, ProbeOutcome> {
    let Some((program, args)) = argv.split_first() else {
        return Err(cannot("nothing to run"));
    };
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .env("PATHWAY_PROJECT", &ctx.project);
    let finished = match supervise(cmd, input, OUTPUT_CAP, timeout, &ctx.cancel) {
        Ok(finished) => finished,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(cannot(&format!(
                "needs {} on your PATH",
                text::clean(&program.to_string_lossy())
            )));
        }
        Err(e) => {
            return Err(cannot(&format!(
                "cannot start {}: {e}",
                text::clean(&program.to_string_lossy())
            )));
        }
    };
    match finished.end {
        End::Cancelled => Err(ProbeOutcome::Cancelled),
        End::TimedOut => Err(failed(
            expected,
            format!(
                "still running after {} s, so it was stopped{}",
                timeout.as_secs(),
                shown_output(&finished.out)
            ),
        )),
        End::Exited(status) => Ok(Ran {
            code: status.code(),
            signal: status.signal(),
            out: finished.out,
        }),
    }
}

fn failed(expected: &str, got: String) -> ProbeOutcome {
    ProbeOutcome::Failed {
        expected: expected.to_string(),
        got,
        hint: None,
    }
}

/// The folder a probe names, inside the project.
fn folder_in(ctx: &Context, folder: &str) -> PathBuf {
    let folder = folder.trim();
    if folder.is_empty() || folder == "." {
        ctx.project.clone()
    } else {
        ctx.project.join(folder)
    }
}

fn shown_path(path: &Path) -> String {
    text::clean(&path.to_string_lossy()).into_owned()
}

// ---------------------------------------------------------------------------------------------
// programs

/// The learner's source file, at most 1 MiB of it: a program is a page of code, and a check
/// must not read a log file someone left in the folder.
fn read_source(path: &Path) -> String {
    use std::io::Read;
    let mut bytes = Vec::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(1 << 20).read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// "3 .go files, 1 .rs file" for the files under a folder in languages pathway cannot run,
/// when there are any: then the verdict is "cannot check", not "failed".
fn other_languages(files: &[PathBuf]) -> Option<String> {
    let mut counts = std::collections::BTreeMap::new();
    for file in files {
        if let Some(ext) = file.extension().and_then(|e| e.to_str())
            && conv::OTHER_LANGUAGES.contains(&ext)
        {
            *counts.entry(ext).or_insert(0usize) += 1;
        }
    }
    (!counts.is_empty()).then(|| {
        counts
            .iter()
            .map(|(ext, n)| text::count(*n, &format!(".{ext} file")))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

pub(super) fn programs_probe(
    folder: &str,
    at_least: u32,
    timeout: Duration,
    ctx: &Context,
) -> ProbeOutcome {
    let root = folder_in(ctx, folder);
    let expected = format!(
        "at least {} under {} run and exit 0",
        text::count(at_least as usize, "different program"),
        shown_path(&root)
    );
    if !root.is_dir() {
        return failed(&expected, "no such folder".into());
    }
    let all = conv::learners_files(&root);
    let mut different = BTreeSet::new();
    let mut stubs = Vec::new();
    let mut programs = Vec::new();
    for file in all.iter().filter(|f| !conv::is_test_file(f)) {
        let Some(language) = Language::of(file) else {
            continue;
        };
        let source = conv::without_long_literals(&read_source(&root.join(file)), language);
        if !conv::is_program(&source, language) {
            continue;
        }
        let lines = |source: &str| -> Vec<String> {
            conv::code(source, language)
                .into_iter()
                .map(|line| conv::without_comment(line, language).to_string())
                .collect()
        };
        // Counted without its strings: lines that are only "if (x) {" in quotes are no code.
        let code = lines(&conv::without_strings(&source));
        let code_refs: Vec<&str> = code.iter().map(String::as_str).collect();
        if code.len() < conv::MIN_CODE_LINES || !conv::has_logic(&code_refs) {
            stubs.push(shown_path(file));
            continue;
        }
        // Compared without comments and spacing, strings kept: a copy with a new comment is the
        // same program, one that prints something else is not.
        different.insert(
            lines(&source)
                .concat()
                .split_whitespace()
                .collect::<String>(),
        );
        programs.push((file.clone(), language));
    }
    if different.len() < at_least as usize {
        if programs.is_empty()
            && let Some(other) = other_languages(&all)
        {
            return cannot(&format!(
                "pathway runs Python, JavaScript and Java programs, and this folder has {other}"
            ));
        }
        let mut got = format!(
            "{} found",
            text::count(different.len(), "different program")
        );
        if !stubs.is_empty() {
            got.push_str(&format!(
                "; empty or a stub (fewer than {} lines of code, or no condition, loop or \
                 function): {}",
                conv::MIN_CODE_LINES,
                text::fit(&stubs.join(", "), 300)
            ));
        }
        return failed(&expected, got);
    }
    let input = conv::program_input();
    for (file, language) in &programs {
        let path = root.join(file);
        let cwd = path.parent().unwrap_or(&root).to_path_buf();
        let argv = language.command(&ctx.project, &path);
        let mut result = exec(&argv, &cwd, Some(input.clone()), timeout, ctx, &expected);
        // JDK 17's launcher compiles the one file: a program that uses a class of its own
        // folder is compiled with its neighbours instead, as a build would.
        if *language == Language::Java && result.as_ref().is_ok_and(needs_neighbours) {
            result = java_with_neighbours(&path, &[], &input, timeout, ctx, &expected);
        }
        let result = match result {
            Ok(result) => result,
            Err(ProbeOutcome::Failed { got, .. }) => {
                return failed(&expected, format!("{}: {got}", shown_path(file)));
            }
            Err(other) => return other,
        };
        if result.code != Some(0) && !conv::ran_out_of_input(&result.text()) {
            return failed(
                &expected,
                format!("{} does not run: {}", shown_path(file), result.shown()),
            );
        }
    }
    ProbeOutcome::Passed {
        expected,
        got: format!(
            "{} ran and exited 0",
            text::count(programs.len(), "program")
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// program

/// The file of the program named `name`: `word-count` finds wordcount.py, word_count.js,
/// WordCount.java and the like, in the project, `src/`, `exercises/` or `bin/`, or anywhere
/// under the project but tools' folders.
fn find_program(project: &Path, name: &str) -> Option<PathBuf> {
    let wanted = squash(name);
    let files = conv::learners_files(project);
    let matches = |f: &&PathBuf| {
        Language::of(f).is_some()
            && !conv::is_test_file(f)
            && f.file_stem()
                .and_then(|s| s.to_str())
                .is_some_and(|stem| squash(stem) == wanted)
    };
    let preferred = ["", "src", "exercises", "bin"];
    for place in preferred {
        if let Some(found) = files
            .iter()
            .filter(matches)
            .find(|f| f.parent().is_some_and(|p| p == Path::new(place)))
        {
            return Some(project.join(found));
        }
    }
    files.iter().find(matches).map(|f| project.join(f))
}

/// A folder of the project (or of `src/`) named `name` in any case, with `-` or `_`.
fn squash_named_dir(project: &Path, name: &str) -> Option<PathBuf> {
    let wanted = squash(name);
    ["", "src"].iter().find_map(|place| {
        std::fs::read_dir(project.join(place))
            .ok()?
            .flatten()
            .map(|entry| entry.path())
            .find(|p| {
                p.is_dir()
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| squash(n) == wanted)
            })
    })
}

/// A file named for the program in a language pathway does not run (`wordcount.go`,
/// `word_count.ts`), shown.
fn other_language_program(project: &Path, name: &str) -> Option<String> {
    let wanted = squash(name);
    conv::learners_files(project).into_iter().find_map(|f| {
        let stem = f.file_stem()?.to_str()?;
        let ext = f.extension()?.to_str()?;
        (squash(stem) == wanted && conv::OTHER_LANGUAGES.contains(&ext)).then(|| shown_path(&f))
    })
}

/// A name without case, `-` and `_`.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a `program` probe gives the program and expects of it.
pub(crate) enum Given {
    /// The probe's own input (if any) and what the output must hold (if anything).
    Input(Option<String>, Option<Matcher>),
    /// Words pathway makes up, and each word with its count in the output.
    RandomWords,
}

pub(super) fn program_probe(
    name: &str,
    args: &[String],
    given: Given,
    timeout: Duration,
    ctx: &Context,
) -> ProbeOutcome {
    let mut expected = format!("the program {} runs and exits 0", text::clean(name));
    let (input, output, counts) = match given {
        Given::Input(stdin, output) => {
            if let Some(output) = &output {
                expected.push_str(&format!(" and its output {}", output.describe()));
            }
            (stdin.unwrap_or_default(), output, None)
        }
        Given::RandomWords => {
            expected.push_str(" and prints each word of a made-up text with its count");
            let (text, counts) = words::input();
            (text, None, Some(counts))
        }
    };
    let found = find_program(&ctx.project, name);
    // A Python package of that name (wordcount/__main__.py) runs with python -m.
    let package = squash_named_dir(&ctx.project, name).filter(|d| d.join("__main__.py").is_file());
    let (path, mut argv) = match (found, package) {
        (Some(path), _) => {
            let Some(language) = Language::of(&path) else {
                return cannot("not a language pathway can run");
            };
            let argv = language.command(&ctx.project, &path);
            (path, argv)
        }
        (None, Some(dir)) => {
            let mut argv = Language::Python.command(&ctx.project, &dir.join("__main__.py"));
            argv.truncate(1);
            argv.push("-m".into());
            argv.push(dir.file_name().unwrap_or_default().to_os_string());
            (dir.join("__main__.py"), argv)
        }
        (None, None) => {
            if let Some(other) = other_language_program(&ctx.project, name) {
                return cannot(&format!(
                    "pathway runs Python, JavaScript and Java programs, and {other} is another \
                     language"
                ));
            }
            return failed(
                &expected,
                format!(
                    "no {0}.py, {0}.js or {0}.java (any case, with - or _) in the project",
                    text::clean(name)
                ),
            );
        }
    };
    // No stub rule here: the output on the probe's input is the evidence, and a hello is
    // rightly one line.
    argv.extend(args.iter().map(OsString::from));
    let given = input.clone().into_bytes();
    // A package runs from the folder that holds it (the project, or src/).
    let cwd = if path.ends_with("__main__.py") {
        path.parent().and_then(Path::parent).unwrap_or(&ctx.project)
    } else {
        &ctx.project
    };
    let mut ran = exec(&argv, cwd, Some(given.clone()), timeout, ctx, &expected);
    if Language::of(&path) == Some(Language::Java) && ran.as_ref().is_ok_and(needs_neighbours) {
        ran = java_with_neighbours(&path, args, &given, timeout, ctx, &expected);
    }
    let ran = match ran {
        Ok(ran) => ran,
        Err(outcome) => return outcome,
    };
    let shown = shown_path(&path);
    if ran.code != Some(0) {
        return failed(&expected, format!("{shown}: {}", ran.shown()));
    }
    let out = ran.text();
    if let Some(counts) = counts {
        let wrong = words::wrong(&out, &counts);
        if !wrong.is_empty() {
            return failed(
                &expected,
                format!(
                    "{shown} was given:\n{}and got wrong: {}{}",
                    text::clean(&input),
                    text::fit(&wrong.join(", "), 400),
                    shown_output(&ran.out)
                ),
            );
        }
    } else if output.as_ref().is_some_and(|o| !o.accepts(&out)) {
        return failed(&expected, format!("{shown}: {}", ran.shown()));
    }
    ProbeOutcome::Passed {
        expected,
        got: format!("{shown} ran and exited 0"),
    }
}

// ---------------------------------------------------------------------------------------------
// tests

/// A way a project runs its tests.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Runner {
    Maven,
    Gradle,
    JUnit,
    /// `npm test`, with the runner its script calls.
    Npm(conv::Summary),
    NodeTest,
    Python,
}

impl Runner {
    /// The language whose test files this runner runs.
    fn language(&self) -> Language {
        match self {
            Runner::Maven | Runner::Gradle | Runner::JUnit => Language::Java,
            Runner::Npm(_) | Runner::NodeTest => Language::JavaScript,
            Runner::Python => Language::Python,
        }
    }
}

/// The runners a folder's files call for, in the order they are tried; `Err` is why the
/// project's own way to run its tests cannot be trusted to say what passed.
fn runners(root: &Path, files: &[PathBuf]) -> Result<Vec<Runner>, ProbeOutcome> {
    let has = |name: &str| root.join(name).is_file();
    let tests = |language: Language| {
        files
            .iter()
            .any(|f| Language::of(f) == Some(language) && conv::is_test_file(f))
    };
    let mut out = Vec::new();
    if has("pom.xml") {
        out.push(Runner::Maven);
    } else if has("build.gradle") || has("build.gradle.kts") {
        out.push(Runner::Gradle);
    } else if tests(Language::Java) {
        out.push(Runner::JUnit);
    }
    match npm_test_script(root) {
        Some(script) => match conv::npm_runner(&script) {
            Ok(summary) => out.push(Runner::Npm(summary)),
            Err(why) => return Err(failed_plain(&why)),
        },
        None if tests(Language::JavaScript) => out.push(Runner::NodeTest),
        None => {}
    }
    if tests(Language::Python) {
        out.push(Runner::Python);
    }
    Ok(out)
}

fn failed_plain(why: &str) -> ProbeOutcome {
    failed(
        "the project's tests run with its own runner and pass",
        why.to_string(),
    )
}

/// The `test` script of package.json, unless it is npm's placeholder.
fn npm_test_script(root: &Path) -> Option<String> {
    let text = read_source(&root.join("package.json"));
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let script = json.get("scripts")?.get("test")?.as_str()?.to_string();
    (!script.contains(conv::NPM_NO_TEST)).then_some(script)
}

/// How many assertions about the learner's own code the test files `runners` run hold: only
/// test files that use a module or class of the project count, and only assertions that name
/// a value (see `conventions::test_evidence`).
fn assertions(root: &Path, files: &[PathBuf], runners: &[Runner]) -> usize {
    let names = conv::project_names(files);
    files
        .iter()
        .filter(|f| conv::is_test_file(f))
        .filter_map(|f| Some((f, Language::of(f)?)))
        .filter(|(_, language)| runners.iter().any(|r| r.language() == *language))
        .map(|(f, language)| conv::test_evidence(&read_source(&root.join(f)), language, &names))
        .filter(|evidence| evidence.uses_project)
        .map(|evidence| evidence.assertions)
        .sum()
}

pub(super) fn tests_probe(
    folder: &str,
    at_least: u32,
    timeout: Duration,
    ctx: &Context,
) -> ProbeOutcome {
    let root = folder_in(ctx, folder);
    let expected = format!(
        "the tests under {} run with the project's runner and pass (at least {})",
        shown_path(&root),
        text::count(at_least as usize, "test")
    );
    let files = conv::learners_files(&root);
    let runners = match runners(&root, &files) {
        Ok(runners) if runners.is_empty() => {
            if let Some(other) = other_languages(&files) {
                return cannot(&format!(
                    "pathway runs Python, JavaScript and Java tests, and this folder has {other}"
                ));
            }
            return failed(
                &expected,
                "no tests found: no test_*.py, *.test.js, *Test.java or a package.json test script"
                    .into(),
            );
        }
        Ok(runners) => runners,
        Err(ProbeOutcome::Failed { got, .. }) => return failed(&expected, got),
        Err(other) => return other,
    };
    if runners.contains(&Runner::Python)
        && let Some(conftest) = conv::rewrites_results(&root, &files)
    {
        return failed(
            &expected,
            format!(
                "{} changes how pytest reports results (a pytest_runtest_* or \
                 pytest_report_* hook): the tests' own verdicts are what counts",
                shown_path(&conftest)
            ),
        );
    }
    // One is enough to show the tests test the learner's code: a parametrized test or a
    // helper holds one assertion for many tests, and the runner counts the tests.
    if assertions(&root, &files, &runners) == 0 {
        return failed(
            &expected,
            "no assertion about your own code in the test files: a test imports your code \
             (import, require, or a class of yours) and asserts a result of it, such as \
             assert add(1, 2) == 3; an assertion of values the test made itself (assert True, \
             x = 1; assert x == 1) cannot fail"
                .into(),
        );
    }
    let mut passed = 0u32;
    let mut names = Vec::new();
    for runner in runners {
        match run_tests(&runner, &root, &files, timeout, ctx, &expected) {
            Ok((name, count)) => {
                passed += count;
                names.push(format!(
                    "{name}: {}",
                    text::count(count as usize, "passed test")
                ));
            }
            Err(outcome) => return outcome,
        }
    }
    if passed < at_least {
        return failed(
            &expected,
            format!(
                "only {} passed ({})",
                text::count(passed as usize, "test"),
                names.join(", ")
            ),
        );
    }
    ProbeOutcome::Passed {
        expected,
        got: names.join(", "),
    }
}

/// The command that runs a project's Python tests: pytest when the project's Python has it
/// (also reading Django's `tests.py`), else unittest's discovery, from `tests/` when there is
/// one (as a package only when it is one: `-t .` on a plain folder fails to import).
fn python_tests(
    root: &Path,
    timeout: Duration,
    ctx: &Context,
    expected: &str,
) -> (conv::Summary, Vec<OsString>) {
    let os = |s: &str| OsString::from(s);
    let python = conv::python(&ctx.project).into_os_string();
    let has_pytest = exec(
        &[python.clone(), os("-c"), os("import pytest")],
        root,
        None,
        timeout,
        ctx,
        expected,
    )
    .is_ok_and(|r| r.code == Some(0));
    if has_pytest {
        let argv = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-o"]
            .into_iter()
            .map(os)
            .chain([os("python_files=test_*.py *_test.py tests.py")]);
        return (conv::PYTEST, std::iter::once(python).chain(argv).collect());
    }
    let mut argv = vec![python, os("-m"), os("unittest"), os("discover")];
    if root.join("tests").is_dir() {
        argv.extend([os("-s"), os("tests")]);
        if root.join("tests").join("__init__.py").is_file() {
            argv.extend([os("-t"), os(".")]);
        }
    }
    argv.extend([os("-p"), os("*test*.py")]);
    (conv::UNITTEST, argv)
}

/// Runs one runner; `Ok` holds its name and how many tests passed when every test passed.
fn run_tests(
    runner: &Runner,
    root: &Path,
    files: &[PathBuf],
    timeout: Duration,
    ctx: &Context,
    expected: &str,
) -> Result<(&'static str, u32), ProbeOutcome> {
    let os = |s: &str| OsString::from(s);
    let (summary, argv) = match runner {
        Runner::Maven => (conv::MAVEN, vec![os("mvn"), os("-B"), os("test")]),
        Runner::Gradle => {
            let gradlew = root.join("gradlew");
            let program = if gradlew.is_file() {
                gradlew.into_os_string()
            } else {
                os("gradle")
            };
            let ran = exec(&[program, os("test")], root, None, timeout, ctx, expected)?;
            if ran.code != Some(0) {
                return Err(failed(expected, format!("gradle test: {}", ran.shown())));
            }
            return gradle_passed(root, expected).map(|n| ("gradle test", n));
        }
        Runner::Npm(summary) => {
            npm_runner_installed(root, summary, expected)?;
            (*summary, vec![os("npm"), os("test")])
        }
        Runner::NodeTest => {
            // Named one by one: node --test alone misses Jest's conventions (__tests__/, .spec).
            let mut argv = vec![os("node"), os("--test")];
            argv.extend(
                files
                    .iter()
                    .filter(|f| {
                        Language::of(f) == Some(Language::JavaScript) && conv::is_test_file(f)
                    })
                    .map(|f| root.join(f).into_os_string()),
            );
            (conv::NODE_TEST, argv)
        }
        Runner::Python => python_tests(root, timeout, ctx, expected),
        Runner::JUnit => return junit(root, files, timeout, ctx, expected),
    };
    let ran = exec(&argv, root, None, timeout, ctx, expected)?;
    judge(summary, &ran, expected)
}

/// The test runner an npm script calls must be the npm package of that name, installed in the
/// project (`npm install`): npm puts `node_modules/.bin` first on the script's PATH, and a file
/// of the project's own there could print any summary.
fn npm_runner_installed(
    root: &Path,
    summary: &conv::Summary,
    expected: &str,
) -> Result<(), ProbeOutcome> {
    let command = match summary.name {
        "Jest" => "jest",
        "Vitest" => "vitest",
        "Mocha" => "mocha",
        _ => return Ok(()),
    };
    let bin = root.join("node_modules").join(".bin").join(command);
    if std::fs::symlink_metadata(&bin).is_err() {
        return Err(cannot(&format!(
            "the npm test script runs {command}, which is not installed here: run npm install first"
        )));
    }
    if !conv::installed(root, &bin, command) {
        return Err(failed(
            expected,
            format!(
                "node_modules/.bin/{command} is not the {command} package's command                  (reinstall with npm install)"
            ),
        ));
    }
    Ok(())
}

/// The last number the pattern's first group matches in `output`.
fn last_count(pattern: &str, output: &str) -> Option<u32> {
    crate::core::probe::regex(pattern)
        .ok()?
        .captures_iter(output)
        .last()?
        .get(1)?
        .as_str()
        .parse()
        .ok()
}

/// A runner's verdict: every test passed and at least one ran, by its exit status and its own
/// summary.
fn judge(
    summary: conv::Summary,
    ran: &Ran,
    expected: &str,
) -> Result<(&'static str, u32), ProbeOutcome> {
    let name = summary.name;
    let output = ran.text();
    if ran.code != Some(0) {
        let lower = output.to_lowercase();
        if summary == conv::MAVEN && conv::MAVEN_OFFLINE.iter().any(|w| lower.contains(w)) {
            return Err(cannot(
                "Maven could not download what the build needs (no network?): run mvn test once online",
            ));
        }
        return Err(failed(expected, format!("{name}: {}", ran.shown())));
    }
    let passed = last_count(summary.passed, &output).map(|n| {
        summary
            .not_passed
            .iter()
            .filter_map(|p| last_count(p, &output))
            .fold(n, u32::saturating_sub)
    });
    match passed {
        Some(0) | None => Err(failed(
            expected,
            format!(
                "{name} exited 0 but no test passed (or its summary was not {name}'s){}",
                shown_output(&ran.out)
            ),
        )),
        Some(n) => Ok((name, n)),
    }
}

/// How many tests passed by Gradle's own reports (build/test-results/**/TEST-*.xml: `tests`
/// less `failures`, `errors` and `skipped` of each suite): Gradle prints no count itself.
fn gradle_passed(root: &Path, expected: &str) -> Result<u32, ProbeOutcome> {
    let results = root.join("build").join("test-results");
    let mut passed = 0u32;
    let mut folders = vec![results];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                passed += gradle_suite_passed(&read_source(&path));
            }
        }
    }
    if passed == 0 {
        return Err(failed(
            expected,
            "gradle test exited 0 but its reports (build/test-results) show no passed test".into(),
        ));
    }
    Ok(passed)
}

/// Passed tests of one JUnit XML report's `<testsuite …>` element.
fn gradle_suite_passed(xml: &str) -> u32 {
    let Some(start) = xml.find("<testsuite ") else {
        return 0;
    };
    let tag = &xml[start..];
    let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
    let attribute =
        |name: &str| -> u32 { last_count(&format!(r#"\s{name}="(\d+)""#), tag).unwrap_or(0) };
    ["failures", "errors", "skipped"]
        .iter()
        .fold(attribute("tests"), |n, a| n.saturating_sub(attribute(a)))
}

/// The Java files javac compiles for the tests: each class once. Exercises in folders of their
/// own often share a name (`Main.java` twice) or a helper (`class Point` in two programs),
/// which javac refuses as a duplicate class; of files declaring the same class, the one nearest
/// a test file is the one the tests use.
fn java_sources<'a>(root: &Path, files: &'a [PathBuf]) -> impl Iterator<Item = &'a PathBuf> {
    let mut java: Vec<&PathBuf> = files
        .iter()
        .filter(|f| Language::of(f) == Some(Language::Java))
        .collect();
    let tests: Vec<&PathBuf> = java
        .iter()
        .copied()
        .filter(|f| conv::is_test_file(f))
        .collect();
    let nearness = |f: &Path| {
        tests
            .iter()
            .map(|t| {
                f.components()
                    .zip(t.components())
                    .take_while(|(a, b)| a == b)
                    .count()
            })
            .max()
            .unwrap_or(0)
    };
    // Nearest first; a file stays when none of the classes it declares is declared yet.
    java.sort_by_key(|f| (std::cmp::Reverse(nearness(f)), (*f).clone()));
    let mut declared: BTreeSet<String> = BTreeSet::new();
    let mut chosen = Vec::new();
    for file in java {
        let source = conv::without_long_literals(&read_source(&root.join(file)), Language::Java);
        let package = java_package(&source).unwrap_or_default();
        let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        let mut classes: BTreeSet<String> = top_level_types(&source).into_iter().collect();
        classes.insert(stem.to_string());
        let classes: Vec<String> = classes
            .into_iter()
            .map(|class| format!("{package}.{class}"))
            .collect();
        if classes.iter().any(|c| declared.contains(c)) {
            continue;
        }
        declared.extend(classes);
        chosen.push(file);
    }
    chosen.into_iter()
}

/// The package a Java file declares (`package blog.api;`), if any.
fn java_package(source: &str) -> Option<String> {
    source
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("package "))
        .map(|p| p.trim_end_matches(';').trim().to_string())
}

/// The classes, interfaces, enums and records a Java file declares at its top level (a
/// declaration that starts its line).
fn top_level_types(source: &str) -> Vec<String> {
    let modifiers = [
        "public",
        "private",
        "protected",
        "final",
        "abstract",
        "static",
        "sealed",
        "non-sealed",
        "strictfp",
    ];
    source
        .lines()
        .filter(|line| !line.starts_with(char::is_whitespace))
        .filter_map(|line| {
            let mut words = line
                .split(|c: char| c.is_whitespace() || c == '{' || c == '<' || c == '(')
                .filter(|w| !w.is_empty())
                .skip_while(|w| modifiers.contains(w));
            let kind = words.next()?;
            matches!(kind, "class" | "interface" | "enum" | "record")
                .then(|| words.next().map(str::to_string))
                .flatten()
        })
        .collect()
}

/// Whether a Java run failed for a class it could not find: on JDK 17 the launcher compiles
/// only the one file, so a class beside it is missing.
fn needs_neighbours(ran: &Ran) -> bool {
    ran.code != Some(0) && ran.text().contains("error: cannot find symbol")
}

/// A Java program compiled with the other Java files of its folder (tests left out) into a
/// temporary folder that is removed, then run from there by its class name.
fn java_with_neighbours(
    path: &Path,
    args: &[String],
    input: &[u8],
    timeout: Duration,
    ctx: &Context,
    expected: &str,
) -> Result<Ran, ProbeOutcome> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut sources: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| failed(expected, format!("cannot read {}: {e}", folder.display())))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "java") && !conv::is_test_file(p))
        .collect();
    sources.sort();
    let scratch = tempfile::tempdir().map_err(|e| cannot(&format!("no temporary folder: {e}")))?;
    let mut javac: Vec<OsString> = vec!["javac".into(), "-d".into(), scratch.path().into()];
    javac.extend(sources.into_iter().map(PathBuf::into_os_string));
    let compiled = exec(&javac, folder, None, timeout, ctx, expected)?;
    if compiled.code != Some(0) {
        return Ok(compiled);
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let package = java_package(&read_source(path));
    let class = package.map_or(stem.clone(), |p| format!("{p}.{stem}"));
    let mut run: Vec<OsString> = vec![
        "java".into(),
        "-cp".into(),
        scratch.path().into(),
        class.into(),
    ];
    run.extend(args.iter().map(OsString::from));
    exec(&run, folder, Some(input.to_vec()), timeout, ctx, expected)
}

/// JUnit without a build tool: the Java files compiled with javac against the system's JUnit
/// jars into a temporary folder, then run by JUnit's console launcher.
fn junit(
    root: &Path,
    files: &[PathBuf],
    timeout: Duration,
    ctx: &Context,
    expected: &str,
) -> Result<(&'static str, u32), ProbeOutcome> {
    let Some(console) = conv::JUNIT_CONSOLE
        .iter()
        .map(Path::new)
        .find(|p| p.is_file())
    else {
        return Err(cannot(
            "needs Maven (pom.xml), Gradle (build.gradle) or JUnit's console launcher \
             (the junit5 package) to run Java tests",
        ));
    };
    let scratch = tempfile::tempdir().map_err(|e| cannot(&format!("no temporary folder: {e}")))?;
    let mut classpath = vec![console.to_string_lossy().into_owned()];
    classpath.extend(
        conv::JUNIT_API
            .iter()
            .filter(|p| Path::new(p).is_file())
            .map(|p| p.to_string()),
    );
    let classpath = classpath.join(":");
    let mut javac: Vec<OsString> = vec![
        "javac".into(),
        "-d".into(),
        scratch.path().into(),
        "-cp".into(),
        classpath.clone().into(),
    ];
    javac.extend(java_sources(root, files).map(|f| root.join(f).into_os_string()));
    let compiled = exec(&javac, root, None, timeout, ctx, expected)?;
    if compiled.code != Some(0) {
        return Err(failed(expected, format!("javac: {}", compiled.shown())));
    }
    let run: Vec<OsString> = vec![
        "java".into(),
        "-jar".into(),
        console.into(),
        "--class-path".into(),
        scratch.path().into(),
        "--scan-class-path".into(),
        "--disable-banner".into(),
        "--details=summary".into(),
    ];
    let ran = exec(&run, root, None, timeout, ctx, expected)?;
    judge(conv::JUNIT, &ran, expected)
}

#[cfg(test)]
mod tests {
    #[test]
    fn gradle_reports_count_passed_tests_only() {
        let xml = r#"<?xml version="1.0"?><testsuite name="CalcTest" tests="5" skipped="1" failures="0" errors="1" timestamp="x"><testcase name="a"/></testsuite>"#;
        assert_eq!(super::gradle_suite_passed(xml), 3);
        assert_eq!(super::gradle_suite_passed("<testsuites/>"), 0);
    }
}
