use std::time::{Duration, Instant};

use super::*;
use crate::checks::command::missing_program;
use crate::checks::show::SHOWN_BYTES;

#[test]
fn run_passes_on_the_exit_status_and_fails_showing_it() {
    let dir = project();
    let c = ctx(dir.path());
    passed(&run_probe(&run("true", 0, None), &c));
    passed(&run_probe(&run("exit 3", 3, None), &c));
    let got = failed(&run_probe(&run("echo nope; exit 1", 0, None), &c)).to_string();
    assert_eq!(got, "exit status 1, output:\nnope");
    let got = failed(&run_probe(&run("exit 0", 2, None), &c)).to_string();
    assert_eq!(got, "exit status 0, no output");
}

#[test]
fn run_checks_its_output_stdout_and_stderr_together() {
    let dir = project();
    let c = ctx(dir.path());
    let cmd = "echo 'PostgreSQL 16.2'; echo warning >&2";
    passed(&run_probe(&run(cmd, 0, contains("PostgreSQL")), &c));
    passed(&run_probe(&run(cmd, 0, contains("warning")), &c));
    passed(&run_probe(
        &run(cmd, 0, matches(r"^PostgreSQL 1[6-9]\.")),
        &c,
    ));
    passed(&run_probe(&run(cmd, 0, matches("^warning$")), &c));
    let got = failed(&run_probe(&run(cmd, 0, contains("MySQL")), &c)).to_string();
    assert_eq!(got, "exit status 0, output:\nPostgreSQL 16.2\nwarning");
    failed(&run_probe(
        &run(cmd, 0, matches(r"^PostgreSQL 1[0-5]\.")),
        &c,
    ));
    // The exit status is checked along with the output.
    failed(&run_probe(
        &run("echo PostgreSQL; exit 1", 0, contains("PostgreSQL")),
        &c,
    ));
    match run_probe(&run(cmd, 0, contains("MySQL")), &c) {
        ProbeOutcome::Failed { expected, .. } => assert_eq!(
            expected,
            "`echo 'PostgreSQL 16.2'; echo warning >&2` exits with status 0 and its output \
             contains \"MySQL\""
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn run_starts_in_the_project_with_its_variables_and_no_input() {
    let dir = project();
    std::fs::write(dir.path().join("marker"), "").expect("write");
    let mut c = ctx(dir.path());
    c.vars.insert("name".into(), "marker".into());
    passed(&run_probe(&run("test -f {name}", 0, None), &c));
    passed(&run_probe(
        &run(
            "test \"$PATHWAY_PROJECT\" = \"$(pwd)\" && test -f {project}/marker",
            0,
            None,
        ),
        &c,
    ));
    // Standard input is empty: `cat` ends at once instead of waiting for the terminal.
    let start = Instant::now();
    passed(&run_probe(
        &run("cat; read x || echo eof", 0, contains("eof")),
        &c,
    ));
    assert!(start.elapsed() < Duration::from_secs(5));
    // An unknown variable cannot be run.
    assert!(matches!(
        run_probe(&run("echo {nope}", 0, None), &c),
        ProbeOutcome::Cannot { why } if why.contains("unknown variable")
    ));
    let missing = ctx(&dir.path().join("nowhere"));
    assert!(matches!(
        run_probe(&run("true", 0, None), &missing),
        ProbeOutcome::Cannot { why } if why.contains("is not a folder")
    ));
}

#[test]
fn a_missing_program_cannot_check_rather_than_fails() {
    let dir = project();
    let c = ctx(dir.path());
    let outcome = run_probe(&run("pathway-no-such-program --version", 0, None), &c);
    assert_eq!(
        outcome,
        ProbeOutcome::Cannot {
            why: "needs pathway-no-such-program on your PATH".into()
        }
    );
    let outcome = run_probe(&run("LANG=C true && pathway-nope-2 -x", 0, None), &c);
    assert!(
        matches!(&outcome, ProbeOutcome::Cannot { why } if why.contains("pathway-nope-2")),
        "{outcome:?}"
    );
    assert_eq!(missing_program("PGHOST=x psql -c 1", ""), "psql");
    // A probe that says why it cannot tell, and exits 127, is taken at its word.
    let outcome = run_probe(
        &run(
            "echo 'cannot check: needs docker buildx'; exit 127",
            0,
            None,
        ),
        &c,
    );
    assert_eq!(
        outcome,
        ProbeOutcome::Cannot {
            why: "needs docker buildx".into()
        }
    );
    // The same words with another status are output like any other.
    let outcome = run_probe(&run("echo 'cannot check: x'; exit 1", 0, None), &c);
    assert!(
        matches!(outcome, ProbeOutcome::Failed { .. }),
        "{outcome:?}"
    );
    // A check that expects 127 gets it.
    passed(&run_probe(&run("pathway-no-such-program", 127, None), &c));
    let outcome = run_check(
        &[
            run("true", 0, None),
            run("pathway-no-such-program", 0, None),
        ],
        &c,
    );
    assert_eq!(outcome.result, CheckResult::Cannot);
}

#[test]
fn escape_sequences_in_output_are_shown_escaped() {
    let dir = project();
    let c = ctx(dir.path());
    let cmd = r"printf '\033[31mred\033[0m\r\n\033]52;c;aGk=\007\n'; exit 1";
    let got = failed(&run_probe(&run(cmd, 0, None), &c)).to_string();
    assert!(!got.chars().any(|c| c.is_control() && c != '\n'), "{got:?}");
    assert!(got.contains("\\u{1b}[31mred\\u{1b}[0m\n"), "{got:?}");
    assert!(got.contains("\\u{1b}]52;c;aGk=\\u{7}"), "{got:?}");
    // The output is matched as it came, not as it is shown.
    passed(&run_probe(&run(cmd, 1, contains("\u{1b}[31mred")), &c));
}

#[test]
fn output_is_capped_counted_and_shown_by_its_last_lines() {
    let dir = project();
    let c = ctx(dir.path());
    let got = failed(&run_probe(&run("seq 1 50; exit 1", 0, None), &c)).to_string();
    assert_eq!(
        got,
        "exit status 1, output:\n… (40 lines before)\n41\n42\n43\n44\n45\n46\n47\n48\n49\n50"
    );
    let cmd = "head -c 100000 /dev/zero | tr '\\0' a; exit 1";
    let got = failed(&run_probe(&run(cmd, 0, None), &c)).to_string();
    assert!(
        got.ends_with("\n… (34464 more bytes)"),
        "{}",
        &got[got.len() - 60..]
    );
    assert!(got.len() < SHOWN_BYTES + 200, "{}", got.len());
}

#[test]
fn values_are_quoted_so_a_folder_name_is_never_code() {
    let root = project();
    for name in [
        "a;touch PWNED;b",
        "it's",
        "my project",
        "$(touch PWNED)",
        "`touch PWNED`",
        "new\nline",
    ] {
        let dir = root.path().join(name);
        std::fs::create_dir(&dir).expect("mkdir");
        let mut c = ctx(&dir);
        c.vars.insert("app".into(), name.into());
        passed(&run_probe(&run("test -d {project}", 0, None), &c));
        passed(&run_probe(&run("test -d \"{project}\"", 0, None), &c));
        passed(&run_probe(
            &run("test \"$(basename {project})\" = {app}", 0, None),
            &c,
        ));
        // Inside single quotes nothing can be escaped: such a value cannot be checked there.
        assert!(
            matches!(run_probe(&run("sh -c 'test -n {app}'", 0, None), &c), ProbeOutcome::Cannot { why } if why.contains("single quotes")),
            "{name:?}"
        );
    }
    let planted: Vec<_> = walk(root.path())
        .into_iter()
        .filter(|p| p.ends_with("PWNED"))
        .collect();
    assert!(planted.is_empty(), "{planted:?}");
    // A plain value inside single quotes is fine.
    let dir = project();
    let mut c = ctx(dir.path());
    c.vars.insert("app".into(), "blog".into());
    passed(&run_probe(&run("sh -c 'test {app} = blog'", 0, None), &c));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn a_relative_project_folder_is_made_absolute_once() {
    let dir = project();
    std::fs::create_dir(dir.path().join("proj")).expect("mkdir");
    let here = std::env::current_dir().expect("cwd");
    // Context::new resolves against the current folder, which a test cannot change safely:
    // build the relative path from here to the temporary folder instead.
    let relative = pathdiff(&dir.path().join("proj"), &here);
    let c = ctx(&relative);
    assert!(c.project.is_absolute(), "{:?}", c.project);
    passed(&run_probe(
        &run(
            "case {project} in *..*) exit 1;; esac; test \"$PATHWAY_PROJECT\" = {project} && test -d {project}",
            0,
            None,
        ),
        &c,
    ));
}

/// `to` as a path relative to `from`, through `..` up to the root.
fn pathdiff(to: &std::path::Path, from: &std::path::Path) -> std::path::PathBuf {
    let mut up = std::path::PathBuf::new();
    for _ in from.components().skip(1) {
        up.push("..");
    }
    up.join(to.strip_prefix("/").expect("absolute"))
}

#[test]
fn a_check_has_no_controlling_terminal() {
    let dir = project();
    let c = ctx(dir.path());
    // Field 7 of /proc/PID/stat is the controlling terminal; 0 is none.
    passed(&run_probe(
        &run("cut -d' ' -f7 /proc/self/stat", 0, matches("^0$")),
        &c,
    ));
    failed(&run_probe(&run("echo hi > /dev/tty", 0, None), &c));
}
