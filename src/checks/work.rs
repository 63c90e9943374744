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

use super::command::OUTPUT_CAP;
use super::conventions::{self as conv, Language};
use super::process::{End, supervise};
use super::run::{Context, Matcher, ProbeOutcome, cannot};
use super::show::last_lines;
use crate::core::text;

/// What a command of the learner's gave back.
struct Ran {
    /// The exit code; `None` when a signal stopped it.
    code: Option<i32>,
    signal: Option<i32>,
    output: Vec<u8>,
    more: u64,
}

impl Ran {
    /// "exit status 1, output:\n…" for a failure.
    fn shown(&self) -> String {
        let status = match (self.code, self.signal) {
            (Some(code), _) => format!("exit status {code}"),
            (None, Some(signal)) => format!("stopped by signal {signal}"),
            (None, None) => "stopped".to_string(),
        };
        if self.output.is_empty() {
            format!("{status}, no output")
        } else {
            format!("{status}, output:\n{}", last_lines(&self.output, self.more))
        }
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
                if finished.out.kept.is_empty() {
                    String::new()
                } else {
                    format!(
                        ", output:\n{}",
                        last_lines(&finished.out.kept, finished.out.more)
                    )
                }
            ),
        )),
        End::Exited(status) => Ok(Ran {
            code: status.code(),
            signal: status.signal(),
            output: finished.out.kept,
            more: finished.out.more,
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
    let files: Vec<PathBuf> = conv::learners_files(&root)
        .into_iter()
        .filter(|f| Language::of(f).is_some() && !conv::is_test_file(f))
        .collect();
    let mut different = BTreeSet::new();
    let mut stubs = Vec::new();
    for file in &files {
        let Some(language) = Language::of(file) else {
            continue;
        };
        let source = std::fs::read(root.join(file)).unwrap_or_default();
        let source = String::from_utf8_lossy(&source);
        if conv::code_lines(&source, language) < conv::MIN_CODE_LINES {
            stubs.push(shown_path(file));
            continue;
        }
        let code: String = source.split_whitespace().collect();
        different.insert(code);
    }
    if different.len() < at_least as usize {
        let mut got = format!(
            "{} found",
            text::count(different.len(), "different program")
        );
        if !stubs.is_empty() {
            got.push_str(&format!(
                "; empty or a stub (fewer than {} lines of code): {}",
                conv::MIN_CODE_LINES,
                text::fit(&stubs.join(", "), 300)
            ));
        }
        return failed(&expected, got);
    }
    let input = conv::INPUT_LINE.repeat(conv::INPUT_LINES).into_bytes();
    let mut ran = 0;
    for file in &files {
        let Some(language) = Language::of(file) else {
            continue;
        };
        if stubs.contains(&shown_path(file)) {
            continue;
        }
        let path = root.join(file);
        let cwd = path.parent().unwrap_or(&root).to_path_buf();
        let argv = language.command(&ctx.project, &path);
        let result = match exec(&argv, &cwd, Some(input.clone()), timeout, ctx, &expected) {
            Ok(result) => result,
            Err(ProbeOutcome::Failed { got, .. }) => {
                return failed(&expected, format!("{}: {got}", shown_path(file)));
            }
            Err(other) => return other,
        };
        if result.code != Some(0) {
            return failed(
                &expected,
                format!("{} does not run: {}", shown_path(file), result.shown()),
            );
        }
        ran += 1;
    }
    ProbeOutcome::Passed {
        expected,
        got: format!("{} ran and exited 0", text::count(ran, "program")),
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

/// A name without case, `-` and `_`.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

pub(super) fn program_probe(
    name: &str,
    args: &[String],
    stdin: Option<&str>,
    output: Option<Matcher>,
    timeout: Duration,
    ctx: &Context,
) -> ProbeOutcome {
    let mut expected = format!("the program {} runs and exits 0", text::clean(name));
    if let Some(output) = &output {
        expected.push_str(&format!(" and its output {}", output.describe()));
    }
    let Some(path) = find_program(&ctx.project, name) else {
        return failed(
            &expected,
            format!(
                "no {0}.py, {0}.js or {0}.java (any case, with - or _) in the project",
                text::clean(name)
            ),
        );
    };
    let Some(language) = Language::of(&path) else {
        return cannot("not a language pathway can run");
    };
    // No stub rule here: the output on the probe's input is the evidence, and a hello is
    // rightly one line.
    let mut argv = language.command(&ctx.project, &path);
    argv.extend(args.iter().map(OsString::from));
    let input = stdin.map(|s| s.as_bytes().to_vec()).unwrap_or_default();
    let ran = match exec(&argv, &ctx.project, Some(input), timeout, ctx, &expected) {
        Ok(ran) => ran,
        Err(outcome) => return outcome,
    };
    let text_out = String::from_utf8_lossy(&ran.output);
    let output_ok = output.as_ref().is_none_or(|o| o.accepts(&text_out));
    if ran.code == Some(0) && output_ok {
        ProbeOutcome::Passed {
            expected,
            got: format!("{} ran and exited 0", shown_path(&path)),
        }
    } else {
        failed(&expected, format!("{}: {}", shown_path(&path), ran.shown()))
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
    Npm,
    NodeTest,
    Python,
}

/// The runners a folder's files call for, in the order they are tried.
fn runners(root: &Path, files: &[PathBuf]) -> Vec<Runner> {
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
    let script = npm_test_script(root);
    if script.is_some() {
        out.push(Runner::Npm);
    } else if tests(Language::JavaScript) {
        out.push(Runner::NodeTest);
    }
    if tests(Language::Python) {
        out.push(Runner::Python);
    }
    out
}

/// The `test` script of package.json, unless it is npm's placeholder.
fn npm_test_script(root: &Path) -> Option<String> {
    let text = std::fs::read(root.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&text).ok()?;
    let script = json.get("scripts")?.get("test")?.as_str()?.to_string();
    (!script.contains(conv::NPM_NO_TEST)).then_some(script)
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
    let runners = runners(&root, &files);
    if runners.is_empty() {
        return failed(
            &expected,
            "no tests found: no test_*.py, *.test.js, *Test.java or a package.json test script"
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
    let (name, argv) = match runner {
        Runner::Maven => ("mvn test", vec![os("mvn"), os("-B"), os("test")]),
        Runner::Gradle => {
            let gradlew = root.join("gradlew");
            let program = if gradlew.is_file() {
                gradlew.into_os_string()
            } else {
                os("gradle")
            };
            ("gradle test", vec![program, os("test")])
        }
        Runner::Npm => ("npm test", vec![os("npm"), os("test")]),
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
            ("node --test", argv)
        }
        Runner::Python => {
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
                let argv = vec![
                    python,
                    os("-m"),
                    os("pytest"),
                    os("-q"),
                    os("-p"),
                    os("no:cacheprovider"),
                ];
                ("pytest", argv)
            } else {
                let start = if root.join("tests").is_dir() {
                    "tests"
                } else {
                    "."
                };
                let argv = vec![
                    python,
                    os("-m"),
                    os("unittest"),
                    os("discover"),
                    os("-s"),
                    os(start),
                    os("-t"),
                    os("."),
                    os("-p"),
                    os("*test*.py"),
                ];
                ("python -m unittest", argv)
            }
        }
        Runner::JUnit => return junit(root, files, timeout, ctx, expected),
    };
    let ran = exec(&argv, root, None, timeout, ctx, expected)?;
    judge(name, &ran, expected)
}

/// A runner's verdict: every test passed and at least one ran, by its exit status and summary.
fn judge(
    name: &'static str,
    ran: &Ran,
    expected: &str,
) -> Result<(&'static str, u32), ProbeOutcome> {
    let output = String::from_utf8_lossy(&ran.output);
    if ran.code != Some(0) {
        if name == "mvn test" && output.contains("Could not resolve") {
            return Err(cannot(
                "Maven could not download its plugins (no network?): run mvn test once online",
            ));
        }
        return Err(failed(expected, format!("{name}: {}", ran.shown())));
    }
    let count = |pattern: &str| {
        crate::core::probe::regex(pattern)
            .ok()
            .and_then(|re| re.captures_iter(&output).last())
            .and_then(|c| c.get(1))
            .and_then(|m| m.as_str().parse::<u32>().ok())
    };
    let passed = conv::SUMMARIES.iter().find_map(|(_, passed, failed)| {
        let n = count(passed)?;
        Some(n.saturating_sub(count(failed).unwrap_or(0)))
    });
    match passed {
        Some(0) | None => Err(failed(
            expected,
            format!(
                "{name} exited 0 but no test ran (or its summary was not one pathway reads: \
                 pytest, unittest, node --test, Jest, Vitest, Mocha, JUnit or Maven){}",
                if ran.output.is_empty() {
                    String::new()
                } else {
                    format!(", output:\n{}", last_lines(&ran.output, ran.more))
                }
            ),
        )),
        Some(n) => Ok((name, n)),
    }
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
    javac.extend(
        files
            .iter()
            .filter(|f| Language::of(f) == Some(Language::Java))
            .map(|f| root.join(f).into_os_string()),
    );
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
    judge("JUnit", &ran, expected)
}
