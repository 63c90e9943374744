//! A cohort over Git, through the real binary: thirteen learners, each with a config folder and
//! a clone of their own, publish into one bare repository; the mentor's clone reads them all,
//! and files that are not snapshots are named without stopping the rest.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use jiff::{SignedDuration, Timestamp};

const BIN: &str = env!("CARGO_BIN_EXE_pathway");

const LEARNERS: usize = 13;
/// The learner whose task has been in progress for a month.
const STALLED: &str = "stalled-sam";

/// Runs git in `dir` with `home` as its home: no configuration of the machine's user or system.
fn git(home: &Path, dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .stdin(Stdio::null())
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// pathway with its settings and progress in `config` (an XDG_CONFIG_HOME of its own).
fn pathway(home: &Path, config: &Path, cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .current_dir(cwd)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", config)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("PATHWAY_PROGRESS")
        .env_remove("PATHWAY_CONFIG")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run pathway")
}

fn ok(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The built-in roadmap's task ids, in order.
fn task_ids(home: &Path) -> Vec<String> {
    let config = home.join("ids-config");
    let json: serde_json::Value = serde_json::from_str(&ok(
        pathway(home, &config, home, &["status", "--json"], &[]),
        "status --json",
    ))
    .expect("json");
    json["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .flat_map(|s| s["tasks"].as_array().expect("tasks").iter())
        .map(|t| t["id"].as_str().expect("id").to_string())
        .collect()
}

/// A progress file where the first `done` tasks are done an hour ago (the first `verified` of
/// them by a passing check), each with a note; the stalled learner has one task in progress
/// since a month ago instead.
fn progress_yaml(ids: &[String], n: usize, stalled: bool) -> String {
    let now = Timestamp::now();
    let recent = now - SignedDuration::from_hours(1);
    let old = now - SignedDuration::from_hours(24 * 30);
    let mut items = String::new();
    let mut history = String::new();
    if stalled {
        let key = &ids[0];
        items.push_str(&format!(
            "      {key}:\n        status: in-progress\n        started: {old}\n        updated: {old}\n        noted: {old}\n        note: \"SECRET-NOTE-stalled\"\n"
        ));
        history.push_str(&format!("      - \"{old} {key} todo->in-progress\"\n"));
    } else {
        for (i, key) in ids.iter().take(n + 1).enumerate() {
            let checked = if i < n / 2 {
                format!("        checked: \"at={recent} passed\"\n")
            } else {
                String::new()
            };
            items.push_str(&format!(
                "      {key}:\n        status: done\n        started: {recent}\n        completed: {recent}\n        updated: {recent}\n{checked}        noted: {recent}\n        note: \"SECRET-NOTE-{n}-{i}\"\n"
            ));
            history.push_str(&format!("      - \"{recent} {key} todo->done\"\n"));
        }
    }
    let started = if stalled { old } else { recent };
    format!(
        "version: 3\nroadmaps:\n  backend-devops:\n    started: {started}\n    items:\n{items}    history:\n{history}"
    )
}

fn name(n: usize) -> String {
    if n == 0 {
        STALLED.to_string()
    } else {
        format!("learner-{n:02}")
    }
}

/// The bare repository, the mentor's clone with a first commit pushed, and every learner's
/// clone and config folder, all made before anyone publishes: each push after the first is
/// refused and must be pulled and retried.
fn cohort(root: &Path, ids: &[String]) -> PathBuf {
    git(root, root, &["init", "--quiet", "--bare", "cohort.git"]);
    let mentor = root.join("mentor");
    git(root, root, &["clone", "--quiet", "cohort.git", "mentor"]);
    git(root, &mentor, &["config", "user.name", "Mentor"]);
    git(
        root,
        &mentor,
        &["config", "user.email", "mentor@example.com"],
    );
    std::fs::write(mentor.join("README.md"), "Our cohort.\n").expect("readme");
    git(root, &mentor, &["add", "README.md"]);
    git(root, &mentor, &["commit", "--quiet", "-m", "The cohort"]);
    git(root, &mentor, &["push", "--quiet", "origin", "HEAD"]);
    for n in 0..LEARNERS {
        let home = root.join(name(n));
        let config = home.join("config");
        std::fs::create_dir_all(config.join("pathway")).expect("config");
        std::fs::write(
            config.join("pathway/progress.yaml"),
            progress_yaml(ids, n, n == 0),
        )
        .expect("progress");
        git(root, &home, &["clone", "--quiet", "../cohort.git", "clone"]);
        let clone = home.join("clone");
        git(root, &clone, &["config", "user.name", &name(n)]);
        git(
            root,
            &clone,
            &["config", "user.email", "learner@example.com"],
        );
    }
    mentor
}

#[test]
fn thirteen_learners_publish_and_the_mentor_sees_them_all() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let ids = task_ids(root);
    let mentor = cohort(root, &ids);
    for n in 0..LEARNERS {
        let home = root.join(name(n));
        let said = ok(
            pathway(
                root,
                &home.join("config"),
                &home,
                &["cohort", "publish", "clone", "--as", &name(n)],
                &[],
            ),
            "publish",
        );
        assert!(said.contains("pushed to origin"), "{said}");
    }

    // Every clone was made before anyone published, so all but the first push were refused,
    // pulled and retried: the repository holds every commit, in one line.
    let log = git(
        root,
        &root.join("cohort.git"),
        &["log", "--format=%s", "--first-parent"],
    );
    assert_eq!(log.lines().count(), LEARNERS + 1, "{log}");
    assert!(!log.contains("Merge"), "{log}");

    // The mentor's `cohort` pulls first: one file each, and no note anywhere in them.
    let json = ok(
        pathway(
            root,
            &root.join("mentor-config"),
            root,
            &["cohort", "mentor", "--json"],
            &[],
        ),
        "cohort --json",
    );
    let files: Vec<String> = std::fs::read_dir(mentor.join("learners"))
        .expect("learners folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), LEARNERS, "{files:?}");
    for file in &files {
        let text = std::fs::read_to_string(mentor.join("learners").join(file)).expect("read");
        assert!(!text.contains("SECRET"), "{file} holds a note: {text}");
        assert!(
            !text.contains(&root.display().to_string()),
            "{file} holds a path"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    let learners = json["learners"].as_array().expect("learners");
    assert_eq!(learners.len(), LEARNERS);
    for n in 1..LEARNERS {
        let row = learners
            .iter()
            .find(|l| l["name"] == name(n).as_str())
            .unwrap_or_else(|| panic!("{} listed", name(n)));
        assert_eq!(row["done"], n + 1, "{row}");
        assert_eq!(row["verified"], n / 2, "{row}");
        assert_eq!(row["ticked_only"], n + 1 - n / 2, "{row}");
    }
    assert_eq!(
        learners[0]["name"], STALLED,
        "who needs attention comes first"
    );
    let kinds: Vec<&str> = learners[0]["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|f| f["kind"].as_str().expect("kind"))
        .collect();
    assert!(kinds.contains(&"stalled"), "{kinds:?}");

    // The table names the stalled learner, with the flag on the line under them.
    let table = ok(
        pathway(
            root,
            &root.join("mentor-config"),
            root,
            &["cohort", "mentor", "--no-pull"],
            &[("COLUMNS", "80")],
        ),
        "cohort",
    );
    let lines: Vec<&str> = table.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(STALLED))
        .unwrap_or_else(|| panic!("no row for {STALLED}:\n{table}"));
    assert!(lines[at + 1].contains("! in progress 30 days"), "{table}");
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{table}");

    bad_files_are_named_and_the_rest_shown(root, &mentor);
}

/// A garbage file named and filled with terminal escapes and a 30 MB file, beside the others.
fn bad_files_are_named_and_the_rest_shown(root: &Path, mentor: &Path) {
    let learners = mentor.join("learners");
    std::fs::write(
        learners.join("evil\u{1b}]0;owned\u{7}.json"),
        "\u{1b}[2J\u{1b}]52;c;aGk=\u{7} not a snapshot",
    )
    .expect("garbage");
    let huge = std::fs::File::create(learners.join("huge.json")).expect("huge");
    huge.set_len(30 * 1024 * 1024).expect("30 MB");
    let config = root.join("mentor-config");
    for form in [
        &["--no-pull"][..],
        &["--no-pull", "--json"],
        &["--no-pull", "--format", "markdown"],
    ] {
        let mut args = vec!["cohort", "mentor"];
        args.extend_from_slice(form);
        let out = pathway(root, &config, root, &args, &[("COLUMNS", "160")]);
        assert!(
            out.status.success(),
            "{form:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stdout.iter().any(|b| *b == 0x1b || *b == 0x07),
            "{form:?}: a raw escape reached the terminal"
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.contains("huge.json"), "{form:?}: {text}");
        assert!(
            text.contains("larger than a snapshot can be"),
            "{form:?}: {text}"
        );
        assert!(text.contains("evil"), "{form:?}: {text}");
        assert!(text.contains("not a pathway snapshot"), "{form:?}: {text}");
        for n in 0..LEARNERS {
            assert!(
                text.contains(&name(n)),
                "{form:?}: {} missing:\n{text}",
                name(n)
            );
        }
    }
}

#[test]
fn a_name_that_is_not_a_safe_file_name_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, root, &["init", "--quiet", "clone"]);
    for bad in ["../escape", ".hidden", "a b", "x/y"] {
        let out = pathway(
            root,
            &root.join("config"),
            root,
            &["cohort", "publish", "clone", "--as", bad],
            &[],
        );
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("learner's name"), "{err}");
    }
    assert!(!root.join("clone/learners").exists());
    assert!(!root.join("escape.json").exists());
}

#[test]
fn publishing_without_an_upstream_commits_and_says_it_did_not_push() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    git(root, root, &["init", "--quiet", "clone"]);
    let clone = root.join("clone");
    git(root, &clone, &["config", "user.name", "Ana"]);
    git(root, &clone, &["config", "user.email", "ana@example.com"]);
    let config = root.join("config");
    ok(pathway(root, &config, root, &["done", "1/1"], &[]), "done");
    ok(
        pathway(root, &config, root, &["note", "1/1", "SECRET-NOTE"], &[]),
        "note",
    );
    let said = ok(
        pathway(
            root,
            &config,
            root,
            &["cohort", "publish", "clone", "--as", "ana"],
            &[],
        ),
        "publish",
    );
    assert!(
        said.contains("not pushed: the clone has no upstream"),
        "{said}"
    );
    let log = git(root, &clone, &["log", "--format=%s"]);
    assert!(
        log.starts_with("ana's progress on backend-devops, 20"),
        "{log}"
    );
    let text = std::fs::read_to_string(clone.join("learners/ana.json")).expect("snapshot");
    assert!(!text.contains("SECRET"), "{text}");
    // With --with-notes the note is shared, and --no-push is said.
    let said = ok(
        pathway(
            root,
            &config,
            root,
            &[
                "cohort",
                "publish",
                "clone",
                "--as",
                "ana",
                "--with-notes",
                "--no-push",
            ],
            &[],
        ),
        "publish --with-notes",
    );
    assert!(said.contains("--no-push"), "{said}");
    let text = std::fs::read_to_string(clone.join("learners/ana.json")).expect("snapshot");
    assert!(text.contains("SECRET-NOTE"), "{text}");
}

#[test]
fn a_folder_that_is_not_a_clone_is_named_in_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir(root.join("plain")).expect("plain");
    let out = pathway(
        root,
        &root.join("config"),
        root,
        &["cohort", "publish", "plain", "--as", "ana"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("plain is not a Git clone"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    // Reading a plain folder works: nobody has published there yet.
    let said = ok(
        pathway(root, &root.join("config"), root, &["cohort", "plain"], &[]),
        "cohort",
    );
    assert!(said.contains("Nobody has published yet"), "{said}");
}
