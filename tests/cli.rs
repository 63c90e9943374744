//! The command line, through the real binary, with progress in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::evidence::repo;

const BIN: &str = env!("CARGO_BIN_EXE_pathway");

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn progress(&self) -> PathBuf {
        self.dir.path().join("progress.yaml")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        self.program(BIN, args)
    }

    /// `program` with this environment: pathway's files in the temporary directory.
    fn program(&self, program: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("PATHWAY_PROGRESS", self.progress())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run pathway")
    }

    /// Runs a command that must succeed and returns its standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["status", "--json"])).expect("json")
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    }
}

fn task_status(json: &serde_json::Value, id: &str) -> String {
    let step = id.split('/').next().expect("step");
    let steps = json["steps"].as_array().expect("steps");
    let step = steps
        .iter()
        .find(|s| s["id"] == step)
        .expect("step in json");
    let tasks = step["tasks"].as_array().expect("tasks");
    let task = tasks.iter().find(|t| t["id"] == id).expect("task in json");
    task["status"].as_str().expect("status").to_string()
}

/// Runs git in `repo` as a fixed author, with no system or user configuration of the machine;
/// it must succeed. Returns its standard output.
fn git_in(env: &Env, repo: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", env.dir.path())
        .output()
        .expect("git");
    assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn done_start_skip_and_undo_change_statuses_by_any_kind_of_id() {
    let env = Env::new();
    let out = env.ok(&["done", "1", "databases/sql-basics"]);
    assert!(
        out.contains("programming/first-program: todo → done"),
        "{out}"
    );
    env.ok(&["start", "git/basics"]);
    env.ok(&["skip", "databases/mongodb"]);
    let json = env.json();
    assert_eq!(
        json["counts"]["done"], 10,
        "the 9 tasks of step 1 and one more"
    );
    assert_eq!(json["counts"]["in_progress"], 1);
    assert_eq!(json["counts"]["skipped"], 1);
    assert_eq!(task_status(&json, "git/basics"), "in-progress");
    assert_eq!(task_status(&json, "databases/mongodb"), "skipped");
    env.ok(&["undo", "programming", "databases/sql-basics"]);
    assert_eq!(env.json()["counts"]["done"], 0);
    let again = env.ok(&["skip", "databases/mongodb"]);
    assert!(again.contains("already skipped"), "{again}");
}

#[test]
fn an_unknown_id_exits_2_suggests_the_closest_and_changes_nothing() {
    let env = Env::new();
    let out = env.run(&["done", "1", "sql-basic"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown id \"sql-basic\": did you mean databases/sql-basics?"),
        "{}",
        stderr(&out)
    );
    assert!(
        !env.progress().exists(),
        "the valid id before it was not applied either"
    );
    let out = env.run(&["done", "databses"]);
    assert!(
        stderr(&out).contains("did you mean databases?"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["done", "9"]);
    assert!(
        stderr(&out).contains("steps are numbered 1 to 6"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["start", "2"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a step cannot be started as a whole"
    );
}

#[test]
fn status_prints_a_line_per_step_without_colour_when_piped() {
    let env = Env::new();
    env.ok(&["done", "programming"]);
    let out = env.ok(&["status"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Backend → DevOps & Cloud");
    assert!(
        lines[1].starts_with("[x] 1 Programming foundations"),
        "{out}"
    );
    assert!(lines[1].ends_with("9/9  ████████████ 100%"), "{out}");
    assert_eq!(
        lines[7],
        "9/52 done · 0 in progress · 0 skipped · 17% · 11 stretch for later, counted once started"
    );
    assert!(!out.contains('\x1b'), "no colour on a pipe");
}

#[test]
fn no_color_turns_colour_off_even_on_a_terminal() {
    // `script` gives the command a terminal for its output.
    let env = Env::new();
    env.ok(&["done", "programming"]);
    let run_in_tty = |no_color: bool| {
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &format!("{BIN} status"), "/dev/null"])
            .env("PATHWAY_PROGRESS", env.progress())
            .stdin(Stdio::null());
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        String::from_utf8_lossy(&cmd.output().expect("script").stdout).into_owned()
    };
    let colored = run_in_tty(false);
    assert!(
        colored.contains("\x1b[32m[x]"),
        "colour on a terminal: {colored:?}"
    );
    let plain = run_in_tty(true);
    assert!(plain.contains("[x] 1 Programming"), "{plain:?}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
}

#[test]
fn pathway_without_a_terminal_prints_the_status() {
    let env = Env::new();
    let out = env.ok(&[]);
    assert!(
        out.starts_with("Backend → DevOps & Cloud\n[ ] 1 Programming foundations"),
        "{out}"
    );
}

#[test]
fn notes_are_set_read_from_stdin_printed_and_removed() {
    let env = Env::new();
    env.ok(&["note", "linux", "use a VM ✎"]);
    assert_eq!(env.ok(&["note", "5"]), "use a VM ✎\n");
    let mut child = env
        .cmd(&["note", "git/basics", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::io::Write::write_all(
        &mut child.stdin.take().expect("stdin"),
        b"line one\nline two\n",
    )
    .expect("write");
    assert!(child.wait().expect("wait").success());
    assert_eq!(env.ok(&["note", "git/basics"]), "line one\nline two\n");
    env.ok(&["note", "linux", ""]);
    assert_eq!(env.ok(&["note", "linux"]), "");
    assert_eq!(env.json()["steps"][4]["note"], serde_json::Value::Null);

    // Past the limit, whatever its length, it says the limit and keeps the note as it was.
    let mut child = env
        .cmd(&["note", "git/basics", "-"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    // Cut off by pathway at the limit: the rest of the write may meet a closed pipe.
    let _ = std::io::Write::write_all(&mut stdin, &vec![b'x'; 3 * 1024 * 1024]);
    drop(stdin);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the note is over 1 MiB: not saved"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.ok(&["note", "git/basics"]), "line one\nline two\n");
}

#[test]
fn a_note_keeps_its_trailing_spaces_and_returns_through_stdin_save_and_markdown() {
    let env = Env::new();
    let note = "ends in spaces   \r\nand a return   \r\nlast line  ";
    let mut child = env
        .cmd(&["note", "git/basics", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::io::Write::write_all(
        &mut child.stdin.take().expect("stdin"),
        format!("{note}\n").as_bytes(),
    )
    .expect("write");
    assert!(child.wait().expect("wait").success());
    let load = |path: &Path| {
        pathway::storage::store::Store::new(path)
            .load()
            .expect("load")
    };
    let saved = load(&env.progress());
    let rp = saved.roadmap("backend-devops").expect("roadmap");
    assert_eq!(
        rp.note("git/basics"),
        Some(note),
        "only echo's line feed goes"
    );
    // Exported to standard output (which escapes what a terminal must not see) and imported
    // into a new copy of the progress, the note is the same, byte for byte.
    let md = env.ok(&["export", "--format", "markdown"]);
    let file = env.write("export.md", &md);
    let fresh = env.dir.path().join("fresh.yaml");
    let out = env
        .cmd(&["import", file.to_str().expect("utf-8")])
        .env("PATHWAY_PROGRESS", &fresh)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let imported = load(&fresh);
    let rp = imported.roadmap("backend-devops").expect("roadmap");
    assert_eq!(rp.note("git/basics"), Some(note));
}

#[test]
fn markdown_export_is_a_task_list_that_matches_the_statuses() {
    let env = Env::new();
    env.ok(&["done", "databases/sql-basics", "git"]);
    env.ok(&["note", "databases/sql-basics", "joins first"]);
    let md = env.ok(&["export", "--format", "markdown"]);
    let json = env.json();
    let mut checked = 0;
    for line in md.lines().filter(|l| l.starts_with("- [")) {
        let id = line
            .split("<!-- pathway:")
            .nth(1)
            .and_then(|rest| rest.split(" -->").next())
            .expect("every task line carries its id");
        let ticked = line.starts_with("- [x]");
        assert_eq!(ticked, task_status(&json, id) == "done", "{line}");
        checked += 1;
    }
    assert_eq!(checked, 63);
    assert!(
        md.contains("## 4. Version control with Git — 8/8 (100%)"),
        "{md}"
    );
    assert!(
        md.contains("Based on: Choosing the Right Career Path"),
        "the source is credited: {md}"
    );
    assert!(md.contains("  > joins first"), "{md}");
}

#[test]
fn export_to_a_file_and_as_json() {
    let env = Env::new();
    env.ok(&["done", "2"]);
    env.ok(&["export", "--format", "json", "--output", "out.json"]);
    let text = std::fs::read_to_string(env.dir.path().join("out.json")).expect("written");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("json");
    let progress = json
        .as_object_mut()
        .and_then(|o| o.remove("progress"))
        .expect("the whole progress rides along");
    assert!(progress["items"]["databases/sql-basics"]["updated"].is_string());
    assert_eq!(
        json,
        env.json(),
        "the rest of export --format json is status --json"
    );
    assert_eq!(json["roadmap"]["id"], "backend-devops");
    assert_eq!(json["steps"][1]["status"], "done");
    assert!(json["steps"][1]["completed"].is_string());
}

#[test]
fn export_edit_import_round_trip_merges_ticks_and_notes_back() {
    let env = Env::new();
    env.ok(&["done", "databases/sql-basics"]);
    let md = env.ok(&["export"]);
    // Edited by hand on another machine: a tick, an untick, a note, a line of one's own.
    let edited = md
        .replace("- [ ] Model the blog", "- [x] Model the blog")
        .replace("- [x] Answer ten questions", "- [ ] Answer ten questions")
        .replace(
            "<!-- pathway:linux/ssh -->",
            "<!-- pathway:linux/ssh -->\n  > keys in ~/.ssh\n- [x] My own extra task",
        );
    let file = env.write("edited.md", &edited);
    let dry = env.ok(&["import", "--dry-run", file.to_str().expect("utf-8")]);
    assert!(
        dry.contains("would change databases/data-modeling: todo → done"),
        "{dry}"
    );
    assert!(
        dry.contains("would change databases/sql-basics: done → todo"),
        "{dry}"
    );
    assert!(
        dry.contains("would change linux/ssh: note updated"),
        "{dry}"
    );
    assert!(
        dry.contains("no matching task, left alone: - [x] My own extra task"),
        "{dry}"
    );
    assert_eq!(
        task_status(&env.json(), "databases/data-modeling"),
        "todo",
        "dry run"
    );

    let real = env.ok(&["import", file.to_str().expect("utf-8")]);
    assert!(
        real.contains("changed databases/data-modeling: todo → done"),
        "{real}"
    );
    let json = env.json();
    assert_eq!(task_status(&json, "databases/data-modeling"), "done");
    assert_eq!(task_status(&json, "databases/sql-basics"), "todo");
    assert_eq!(env.ok(&["note", "linux/ssh"]), "keys in ~/.ssh\n");
    assert!(
        env.ok(&["import", file.to_str().expect("utf-8")])
            .contains("nothing to change")
    );
}

#[test]
fn validate_reports_every_problem_with_line_and_column() {
    let env = Env::new();
    let bad = env.write(
        "bad.yaml",
        "id: x\ntitle: X\nsteps:\n  - id: a\n    title: A\n    tasks:\n      - {id: t, title: T}\n      - {id: t, title: ''}\n",
    );
    let out = env.run(&["validate", bad.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("bad.yaml:8:10: step 1 (\"a\"): duplicate task id \"t\""),
        "{text}"
    );
    assert!(
        text.contains("bad.yaml:8:10: step 1 (\"a\"): task \"t\" has an empty title"),
        "{text}"
    );
    let broken = env.write(
        "broken.yaml",
        "id: x\ntitle: X\nsteps: [\n  {id: a, title: A\n",
    );
    let out = env.run(&["validate", broken.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("broken.yaml:5:1: did not find expected")
    );

    let good = env.write(
        "good.yaml",
        "id: x\ntitle: X\nsteps:\n  - id: a\n    title: A\n    tasks:\n      - {id: t, title: T}\n",
    );
    assert_eq!(
        env.ok(&["validate", good.to_str().expect("utf-8")])
            .trim_end(),
        format!("{}: ok, 1 step, 1 task", good.display())
    );
}

#[test]
fn a_custom_roadmap_is_used_by_every_command() {
    let env = Env::new();
    let file = env.write("mine.yaml", "id: mine\ntitle: Mine\nsteps:\n  - id: a\n    title: A\n    tasks:\n      - {id: t, title: T}\n");
    env.ok(&["--roadmap", "mine.yaml", "done", "a/t"]);
    let out = env.ok(&["status", "--roadmap", file.to_str().expect("utf-8")]);
    assert!(out.contains("1/1 done"), "{out}");
    assert_eq!(
        env.json()["counts"]["done"],
        0,
        "the built-in roadmap's progress is separate"
    );
}

#[test]
fn status_counts_stretch_tasks_apart_until_they_are_started() {
    let env = Env::new();
    env.write(
        "mine.yaml",
        "id: mine\ntitle: Mine\nsteps:\n  - id: a\n    title: A\n    tasks:\n      - {id: t, title: T, hours: 2}\n      - {id: u, title: U, hours: 3}\n      - {id: s, title: S, hours: 50, level: stretch, why_later: Later.}\n",
    );
    env.ok(&["--roadmap", "mine.yaml", "done", "a/t"]);
    let out = env.ok(&["--roadmap", "mine.yaml", "status"]);
    assert!(
        out.contains("1/2 done"),
        "the stretch task is not counted: {out}"
    );
    assert!(out.contains("50%"), "{out}");
    assert!(out.contains("1 stretch for later"), "but named: {out}");
    let json = |env: &Env| -> serde_json::Value {
        serde_json::from_str(&env.ok(&["--roadmap", "mine.yaml", "status", "--json"]))
            .expect("JSON")
    };
    let j = json(&env);
    assert_eq!(j["counts"]["stretch"], 1);
    assert_eq!(j["counts"]["stretch_waiting"], 1);
    assert_eq!(j["counts"]["counted"], 2);
    assert_eq!(j["steps"][0]["tasks"][2]["level"], "stretch");
    assert_eq!(j["steps"][0]["tasks"][2]["why_later"], "Later.");
    assert_eq!(j["steps"][0]["tasks"][0]["level"], "core");
    env.ok(&["--roadmap", "mine.yaml", "start", "a/s"]);
    let j = json(&env);
    assert_eq!(
        (&j["counts"]["stretch_waiting"], &j["counts"]["counted"]),
        (&serde_json::json!(0), &serde_json::json!(3)),
        "started, it counts"
    );
}

#[test]
fn where_names_the_roadmap_and_the_progress_file() {
    let env = Env::new();
    let out = env.ok(&["where"]);
    assert!(
        out.contains("roadmap:  built in (id backend-devops, 6 steps, 63 tasks), the default; pathway use picks another"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "progress: {} (not created yet)",
            env.progress().display()
        )),
        "{out}"
    );
    let flag = env.dir.path().join("other.yaml");
    let out = env.ok(&["--progress", flag.to_str().expect("utf-8"), "where"]);
    assert!(
        out.contains(&format!("progress: {}", flag.display())),
        "the flag beats the variable: {out}"
    );
}

#[test]
fn reset_needs_yes_off_a_terminal_and_keeps_a_backup() {
    let env = Env::new();
    env.ok(&["done", "1"]);
    env.ok(&["note", "linux", "keep me in the backup"]);
    let before = std::fs::read_to_string(env.progress()).expect("progress");
    let out = env.run(&["reset"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(env.progress()).expect("progress"),
        before
    );

    let out = env.ok(&["reset", "--yes"]);
    let backup = out
        .split("backup: ")
        .nth(1)
        .expect("names the backup")
        .trim();
    assert_eq!(std::fs::read_to_string(backup).expect("backup"), before);
    assert!(
        Path::new(backup).parent() == env.progress().parent(),
        "beside the file"
    );
    assert_eq!(env.json()["counts"]["done"], 0);
    assert_eq!(env.ok(&["note", "linux"]), "");
}

#[test]
fn completions_and_help_and_version() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = env.ok(&["completions", shell]);
        assert!(out.contains("pathway"), "{shell}");
    }
    let out = env
        .cmd(&["--", "pathway", "val"])
        .env("PATHWAY_COMPLETE", "fish")
        .output()
        .expect("complete");
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("validate"),
        "completes commands"
    );
    assert!(env.ok(&["--version"]).starts_with("pathway "));
    for command in [
        "status",
        "done",
        "undo",
        "start",
        "skip",
        "note",
        "export",
        "import",
        "validate",
        "where",
        "reset",
        "completions",
    ] {
        let help = env.ok(&[command, "--help"]);
        assert!(help.contains("Usage: pathway"), "{command}");
    }
}

#[test]
fn a_broken_progress_file_is_an_error_and_stays_untouched() {
    let env = Env::new();
    env.write("progress.yaml", "version: 1\nroadmaps: [\n");
    let out = env.run(&["done", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!(
            "pathway: progress file {}:3:1: ",
            env.progress().display()
        )),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(env.progress()).expect("read"),
        "version: 1\nroadmaps: [\n"
    );
}

#[test]
fn stats_and_log_read_the_history() {
    let env = Env::new();
    let empty: serde_json::Value =
        serde_json::from_str(&env.ok(&["stats", "--json"])).expect("json");
    assert_eq!(empty["forecast"]["status"], "not-enough-history");
    assert_eq!(empty["streak_days"], 0);
    assert_eq!(env.ok(&["log"]), "");

    env.ok(&["done", "1"]);
    env.ok(&["start", "databases/sql-basics"]);
    env.ok(&["note", "linux", "use a VM"]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["stats", "--json"])).expect("json");
    for field in [
        "counts",
        "hours",
        "streak_days",
        "active_days",
        "pace_days",
        "pace_per_week",
        "forecast",
        "weeks",
        "steps",
    ] {
        assert!(json.get(field).is_some(), "{field} in {json}");
    }
    assert_eq!(json["streak_days"], 1);
    assert_eq!(json["counts"]["done"], 9);
    assert_eq!(json["hours"]["done"], 130.0);
    assert_eq!(json["forecast"]["status"], "estimate");
    assert_eq!(json["steps"][0]["done"], true);
    assert_eq!(
        json["weeks"].as_array().map(Vec::len),
        Some(1),
        "every week since the start, and no week before it"
    );

    let text = env.ok(&["stats"]);
    assert!(text.contains("Streak: 1 day in a row"), "{text}");
    assert!(text.contains("h left are done around"), "{text}");
    assert!(
        text.contains("Tasks done, then reviews and checks, per week since you started:"),
        "{text}"
    );

    let log = env.ok(&["log"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 11, "{log}");
    // Changes of the same moment (a whole step ticked) are listed by id.
    assert!(
        lines[0].ends_with("programming/choose-language  todo → done"),
        "{log}"
    );
    assert!(
        lines[9].ends_with("databases/sql-basics  todo → in progress"),
        "{log}"
    );
    assert!(lines[10].ends_with("linux  note edited"), "{log}");
    assert_eq!(env.ok(&["log", "--since", "2999-01-01"]), "");
    assert_eq!(env.ok(&["log", "--since", "yesterday"]).lines().count(), 11);
    assert_eq!(
        env.ok(&["log", "--since", "3 days ago"]).lines().count(),
        11
    );
    let bad = env.run(&["log", "--since", "last tuesday"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("today, yesterday, 7d, 2w"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_progress_path_that_is_a_directory_is_named_and_reset_does_not_touch_it() {
    let env = Env::new();
    std::fs::create_dir(env.progress()).expect("mkdir");
    let out = env.run(&["reset", "--yes"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("is not a regular file"), "{err}");
    assert!(!err.contains("back up"), "no reset attempted: {err}");
    assert!(env.progress().is_dir());
}

#[test]
fn where_answers_even_when_the_progress_file_is_unreadable() {
    let env = Env::new();
    env.write("progress.yaml", "version: 1\nroadmaps: [broken\n");
    let out = env.run(&["where"]);
    assert!(!out.status.success(), "the problem is still reported");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains(&format!("progress: {}", env.progress().display())),
        "{shown}"
    );
    assert!(
        stderr(&out).contains("progress.yaml:3:1:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failed_save_prints_no_change_lines() {
    let env = Env::new();
    // A file-size limit of zero: reading works, every write fails (root ignores permissions).
    let out = env
        .program(
            "sh",
            &[
                "-c",
                &format!("ulimit -f 0; exec {BIN} done programming/syntax"),
            ],
        )
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "", "nothing claimed");
    assert!(
        stderr(&out).contains("cannot save progress"),
        "{}",
        stderr(&out)
    );
    assert!(!env.progress().exists());
}

#[test]
fn a_reader_that_goes_away_ends_a_command_quietly() {
    let env = Env::new();
    for _ in 0..3 {
        env.ok(&["done", "programming", "databases"]);
        env.ok(&["undo", "programming", "databases"]);
    }
    for args in [
        &["status"][..],
        &["log"],
        &["export"],
        &["completions", "bash"],
        &["stats"],
    ] {
        let mut child = env
            .cmd(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Close the reading end before pathway writes: every write meets a broken pipe.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
        assert_eq!(stderr(&out), "", "{args:?}");
    }
}

#[test]
fn completions_complete_ids_in_bash_zsh_and_fish() {
    let env = Env::new();
    let bin_dir = Path::new(BIN).parent().expect("bin dir");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    // bash, for real: the registered function asks pathway for the words.
    let script = "source <(pathway completions bash)
COMP_WORDS=(pathway done data); COMP_CWORD=2; COMP_LINE='pathway done data'
COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
_clap_complete_pathway pathway data done
printf '%s\\n' \"${COMPREPLY[@]}\"";
    let out = env
        .program("bash", &["-c", script])
        .env("PATH", &path)
        .output()
        .expect("bash");
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        words.lines().any(|w| w == "databases/sql-basics"),
        "{words}{}",
        stderr(&out)
    );
    assert!(words.lines().all(|w| w.starts_with("databases")), "{words}");
    // zsh and fish through the same protocol their registration scripts use.
    for shell in ["zsh", "fish"] {
        let script = env.ok(&["completions", shell]);
        assert!(script.contains("PATHWAY_COMPLETE="), "{shell}: {script}");
        let out = env
            .cmd(&["--", "pathway", "note", "linu"])
            .env("PATHWAY_COMPLETE", shell)
            .env("_CLAP_COMPLETE_INDEX", "2")
            .env("_CLAP_IFS", "\n")
            .output()
            .expect("complete");
        let words = String::from_utf8_lossy(&out.stdout);
        assert!(
            words.lines().any(|w| w.starts_with("linux/")),
            "{shell}: {words}"
        );
    }
    // After `pathway use`, the ids are those of the roadmap in use.
    env.ok(&["new", "mine"]);
    env.ok(&["use", "mine"]);
    let out = env
        .cmd(&["--", "pathway", "done", "fir"])
        .env("PATHWAY_COMPLETE", "fish")
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("_CLAP_IFS", "\n")
        .output()
        .expect("complete");
    let words = String::from_utf8_lossy(&out.stdout);
    assert!(
        words
            .lines()
            .any(|w| w.starts_with("first-step/first-task")),
        "{words}"
    );
}

/// A progress file whose tasks were completed (and a note written) days ago.
fn completed_days_ago(env: &Env, days: i64) {
    let at = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
    env.write(
        "progress.yaml",
        &format!(
            "version: 1
roadmaps:
  backend-devops:
    started: {at}
    items:
      databases:
        status: todo
        updated: {at}
        note: \"Practise joins first.\"
      databases/sql-basics:
        status: done
        completed: {at}
        updated: {at}
        note: \"LEFT JOIN keeps every row on the left.\\nINNER only matches.\"
      programming/syntax:
        status: done
        completed: {at}
        updated: {at}
    history:
      - \"{at} databases/sql-basics note\"
"
        ),
    );
}

#[test]
fn notes_prints_every_note_as_text_markdown_and_json() {
    let env = Env::new();
    assert!(env.ok(&["notes"]).starts_with("No notes yet"));
    completed_days_ago(&env, 5);
    let text = env.ok(&["notes"]);
    assert!(text.starts_with("2 Databases\n"), "{text}");
    assert!(
        text.contains("  [~] (the step itself) · in progress\n      Practise joins first.\n"),
        "{text}"
    );
    assert!(
        text.contains("  [x] Answer ten questions with SELECT, JOIN and GROUP BY · done · "),
        "{text}"
    );
    assert!(
        text.contains("      LEFT JOIN keeps every row on the left.\n      INNER only matches.\n"),
        "{text}"
    );
    let md = env.ok(&["notes", "--format", "markdown"]);
    assert!(
        md.starts_with("# My notes: Backend → DevOps & Cloud\n"),
        "{md}"
    );
    assert!(md.contains("## 2. Databases"), "{md}");
    assert!(
        md.contains("> LEFT JOIN keeps every row on the left.\n> INNER only matches.\n"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["notes", "--format", "json"])).expect("json");
    let notes = json.as_array().expect("array");
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["id"], "databases");
    assert_eq!(notes[1]["id"], "databases/sql-basics");
    assert_eq!(notes[1]["status"], "done");
    assert!(notes[1]["edited"].is_string());
    assert!(notes[0]["edited"].is_null(), "no edit in the change log");
    for field in ["id", "title", "status", "edited", "note"] {
        assert!(notes[0].get(field).is_some(), "{field}");
    }
    // Notes elsewhere, none in the step asked for: said of that step.
    assert_eq!(
        env.ok(&["notes", "--step", "1"]),
        "No notes in step Programming foundations yet: pathway note programming \"what you \
         learned\" writes one on it (n in the checklist).\n"
    );
    assert_eq!(
        env.run(&["notes", "--step", "databases/sql-basics"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn review_lists_the_cards_due_and_records_ratings() {
    let env = Env::new();
    assert!(env.ok(&["review"]).starts_with("Nothing in review yet"));
    completed_days_ago(&env, 10);
    let list = env.ok(&["review"]);
    assert!(list.starts_with("4 cards to review"), "{list}");
    assert!(list.contains("databases/sql-basics#left-join"), "{list}");
    assert!(list.contains("new · 9 days overdue"), "{list}");
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["review", "--json"])).expect("json");
    let due = json.as_array().expect("array").clone();
    assert_eq!(due.len(), 4);
    assert_eq!(
        due[0]["step"], "programming",
        "roadmap order among the equally overdue"
    );
    for field in ["id", "task", "ask", "due", "overdue_days", "new", "recall"] {
        assert!(due[2].get(field).is_some(), "{field} in {}", due[2]);
    }
    assert_eq!(due[2]["overdue_days"], 9);
    assert_eq!(due[2]["new"], true);
    assert_eq!(due[2]["id"], "databases/sql-basics#left-join");
    assert_eq!(due[2]["task"], "databases/sql-basics");
    // By task id (its most overdue card) and a word; by card id and a number.
    let good = env.ok(&["review", "databases/sql-basics", "good"]);
    assert!(
        good.starts_with("databases/sql-basics#left-join: good · next review "),
        "{good}"
    );
    let card = due[0]["id"].as_str().expect("id").to_string();
    let again = env.ok(&["review", &card, "1"]);
    assert!(
        again.starts_with(&format!("{card}: again · next review")),
        "{again}"
    );
    for other in [&due[1]["id"], &due[3]["id"]] {
        env.ok(&["review", other.as_str().expect("id"), "easy"]);
    }
    // The forgotten card is due again within minutes; the remembered ones are not.
    let after: serde_json::Value =
        serde_json::from_str(&env.ok(&["review", "--json"])).expect("json");
    assert_eq!(after.as_array().map(Vec::len), Some(0), "{after}");
    let ahead: serde_json::Value =
        serde_json::from_str(&env.ok(&["review", "--ahead", "1d", "--json"])).expect("json");
    assert_eq!(
        ahead.as_array().map(Vec::len),
        Some(1),
        "the again card: {ahead}"
    );
    // The again card comes back within minutes, said as the checklist says it.
    let nothing = env.ok(&["review"]);
    assert!(
        nothing.starts_with("Nothing to review now; the next card is due in ")
            && nothing.contains(" min "),
        "{nothing}"
    );
    let ahead = env.ok(&["review", "--ahead", "7d"]);
    assert!(!ahead.contains("overdue"), "{ahead}");
    assert!(ahead.contains("due in "), "{ahead}");
    // One task's cards and their state.
    let state = env.ok(&["review", "databases/sql-basics"]);
    assert!(
        state.contains("1 review · 0 lapses · recall now"),
        "{state}"
    );
    let state: serde_json::Value =
        serde_json::from_str(&env.ok(&["review", "databases/sql-basics", "--json"])).expect("json");
    assert_eq!(state[0]["reviews"], 1);
    assert_eq!(state[0]["in_review"], true);
    let log = env.ok(&["log"]);
    assert!(
        log.contains("databases/sql-basics#left-join  reviewed: good"),
        "{log}"
    );
    let stats: serde_json::Value =
        serde_json::from_str(&env.ok(&["stats", "--json"])).expect("json");
    assert_eq!(stats["review"]["reviewed_last_30_days"], 4);
    assert_eq!(stats["review"]["remembered_last_30_days"], 3);
    assert_eq!(stats["review"]["due_now"], 0);
    // Out and back in; a task not done is not reviewed.
    assert!(
        env.ok(&["review", "databases/sql-basics", "off"])
            .contains("out of review")
    );
    assert_eq!(
        env.run(&["review", "databases/sql-basics", "good"])
            .status
            .code(),
        Some(2)
    );
    assert!(
        env.ok(&["review", "databases/sql-basics", "on"])
            .contains("back in review")
    );
    let not_done = env.run(&["review", "git/basics", "good"]);
    assert_eq!(not_done.status.code(), Some(2));
    assert!(
        stderr(&not_done).contains("only a done task is reviewed"),
        "{}",
        stderr(&not_done)
    );
    for bad in [
        &["review", "databases/sql-basics", "meh"][..],
        &["review", "databases/sql-basics", "5"],
        &["review", "databases/sql-basics#nope", "good"],
        // On and off apply to the whole task: a card that is not there must not switch it.
        &["review", "databases/sql-basics#nope", "off"],
        &["review", "databases/sq1-basics", "good"],
    ] {
        let out = env.run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
    }
    let unknown = stderr(&env.run(&["review", "databases/sq1-basics", "good"]));
    assert!(
        unknown.contains("databases/sql-basics"),
        "suggests: {unknown}"
    );
}

#[test]
fn concurrent_ratings_of_one_card_each_count() {
    let env = Env::new();
    completed_days_ago(&env, 10);
    let children: Vec<_> = (0..12)
        .map(|_| {
            env.cmd(&["review", "databases/sql-basics#left-join", "good"])
                .stdout(Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("wait").success());
    }
    let state: serde_json::Value =
        serde_json::from_str(&env.ok(&["review", "databases/sql-basics", "--json"])).expect("json");
    assert_eq!(state[0]["reviews"], 12, "{state}");
}

#[test]
fn review_session_with_nothing_due_says_when_and_exits() {
    let env = Env::new();
    let out = env.run(&["review", "--session"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Nothing in review yet"));
}

#[test]
fn man_prints_a_manual_page() {
    let env = Env::new();
    let page = env.ok(&["man"]);
    assert!(page.starts_with(".TH pathway 1"), "{page}");
    for part in ["SUBCOMMANDS", ".SH KEYS", "PATHWAY_PROGRESS", "BROWSER"] {
        assert!(page.contains(part), "{part}");
    }
}

#[test]
fn merge_file_merges_three_progress_files() {
    let env = Env::new();
    completed_days_ago(&env, 3);
    let base = env.progress();
    let ours = env.dir.path().join("ours.yaml");
    let theirs = env.dir.path().join("theirs.yaml");
    std::fs::copy(&base, &ours).expect("copy");
    std::fs::copy(&base, &theirs).expect("copy");
    let with = |file: &Path, args: &[&str]| {
        let out = env
            .cmd(args)
            .env("PATHWAY_PROGRESS", file)
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
    };
    with(&ours, &["done", "git/basics"]);
    with(&theirs, &["done", "linux/shell"]);
    with(
        &theirs,
        &["note", "databases", "rewritten on the other machine"],
    );
    with(&ours, &["note", "git", "written here"]);
    with(&theirs, &["note", "git", "written there"]);
    let paths = [&base, &ours, &theirs].map(|p| p.to_str().expect("utf-8").to_string());
    let out = env.run(&["merge-file", &paths[0], &paths[1], &paths[2]]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("both copies changed the note of git (backend-devops)"),
        "said where Git shows it: {}",
        stderr(&out)
    );
    let merged = pathway::storage::store::Store::new(&ours)
        .load()
        .expect("merged");
    let rp = merged.roadmap("backend-devops").expect("roadmap");
    let note = rp.note("git").expect("a note");
    assert!(
        note.starts_with("written there\n\n--- kept from the other copy (written ")
            && note.ends_with(") ---\nwritten here"),
        "{note}"
    );
    assert_eq!(
        rp.status("git/basics"),
        pathway::core::progress::Status::Done
    );
    assert_eq!(
        rp.status("linux/shell"),
        pathway::core::progress::Status::Done
    );
    assert_eq!(rp.note("databases"), Some("rewritten on the other machine"));
    // A file that cannot be read: exit 1, ours untouched.
    let before = std::fs::read(&ours).expect("read");
    let broken = env.write("broken.yaml", "version: 2\nroadmaps: [\n");
    let out = env.run(&[
        "merge-file",
        &paths[0],
        &paths[1],
        broken.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&ours).expect("read"), before);
}

#[test]
fn git_merges_progress_files_through_the_driver_without_conflicts() {
    let env = Env::new();
    let repo = env.dir.path().join("dotfiles");
    std::fs::create_dir(&repo).expect("mkdir");
    let git = |args: &[&str]| git_in(&env, &repo, args);
    let progress = repo.join("progress.yaml");
    let tick = |args: &[&str]| {
        let out = env
            .cmd(args)
            .env("PATHWAY_PROGRESS", &progress)
            .output()
            .expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
    };
    git(&["init", "-q", "-b", "main"]);
    git(&[
        "config",
        "merge.pathway.driver",
        &format!("{BIN} merge-file %O %A %B"),
    ]);
    std::fs::write(repo.join(".gitattributes"), "progress.yaml merge=pathway\n").expect("write");
    tick(&["done", "programming/terminal"]);
    tick(&["note", "git", "base note"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["checkout", "-q", "-b", "laptop"]);
    tick(&["done", "databases/sql-basics"]);
    tick(&["note", "git", "edited on the laptop"]);
    git(&["commit", "-q", "-am", "laptop"]);
    git(&["checkout", "-q", "main"]);
    tick(&["done", "linux/shell"]);
    tick(&["note", "linux", "written on the desktop"]);
    git(&["commit", "-q", "-am", "desktop"]);
    git(&["merge", "-q", "--no-edit", "laptop"]);
    let text = std::fs::read_to_string(&progress).expect("read");
    assert!(!text.contains("<<<<<<<"), "no conflict markers: {text}");
    let merged = pathway::storage::store::Store::new(&progress)
        .load()
        .expect("load");
    let rp = merged.roadmap("backend-devops").expect("roadmap");
    for key in [
        "programming/terminal",
        "databases/sql-basics",
        "linux/shell",
    ] {
        assert_eq!(
            rp.status(key),
            pathway::core::progress::Status::Done,
            "{key}"
        );
    }
    assert_eq!(rp.note("git"), Some("edited on the laptop"));
    assert_eq!(rp.note("linux"), Some("written on the desktop"));
}

#[test]
fn roadmaps_in_the_folder_are_listed_opened_by_id_and_started_with_new() {
    let env = Env::new();
    let out = env.ok(&["new", "rust-path"]);
    assert!(out.contains("roadmaps/rust-path.yaml"), "{out}");
    let folder = env.dir.path().join("roadmaps");
    assert!(
        env.ok(&[
            "validate",
            folder.join("rust-path.yaml").to_str().expect("utf-8")
        ])
        .contains("ok")
    );
    assert_eq!(
        env.run(&["new", "rust-path"]).status.code(),
        Some(2),
        "never over a file"
    );
    assert_eq!(env.run(&["new", "Bad Id"]).status.code(), Some(2));
    std::fs::write(folder.join("broken.yaml"), "id: b\ntitel: B\n").expect("write");
    let list = env.ok(&["roadmaps"]);
    assert!(list.contains("* backend-devops"), "{list}");
    assert!(list.contains("rust-path"), "{list}");
    assert!(
        list.contains("broken.yaml:2:1: unknown field"),
        "listed with its error: {list}"
    );
    env.ok(&["--roadmap", "rust-path", "done", "first-step/first-task"]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["--roadmap", "rust-path", "status", "--json"]))
            .expect("json");
    assert_eq!(json["roadmap"]["id"], "rust-path");
    assert_eq!(json["counts"]["done"], 1);
    let after = env.ok(&["roadmaps"]);
    assert!(after.contains("100% done"), "{after}");
    let unknown = env.run(&["--roadmap", "nope", "status"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        stderr(&unknown).contains("pathway roadmaps lists them"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn the_settings_file_sets_the_default_roadmap_and_config_prints_it() {
    let env = Env::new();
    env.ok(&["new", "mine"]);
    // With PATHWAY_PROGRESS set, the settings live in the config directory.
    let config = env.dir.path().join("config/pathway");
    std::fs::create_dir_all(&config).expect("mkdir");
    std::fs::write(config.join("config.yaml"), "theme: light\nroadmap: mine\n").expect("write");
    let shown = env.ok(&["config"]);
    assert!(shown.contains("config/pathway/config.yaml"), "{shown}");
    assert!(shown.contains("theme: light"), "{shown}");
    assert!(shown.contains("roadmap: mine"), "{shown}");
    assert!(
        env.ok(&["status"])
            .starts_with("Roadmap: My roadmap (mine), chosen by roadmap: in "),
        "the settings' roadmap"
    );
    // A broken settings file stops every command that reads the broken part, with its line and
    // column; status reads only `roadmap:`, and goes on.
    std::fs::write(config.join("config.yaml"), "theme: light\nthem: dark\n").expect("write");
    let out = env.run(&["config"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("config.yaml:2:1: unknown field `them`"),
        "{}",
        stderr(&out)
    );
    env.ok(&["status"]);
    std::fs::write(config.join("config.yaml"), "roadmap: [mine]\n").expect("write");
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("config.yaml:1:10: roadmap: expected a roadmap id or a file, not a list"),
        "{}",
        stderr(&out)
    );
    // --config names another file, which must exist.
    let other = env.write("other.yaml", "theme: high-contrast\n");
    let shown = env.ok(&["--config", other.to_str().expect("utf-8"), "config"]);
    assert!(shown.contains("theme: high-contrast"), "{shown}");
    let missing = env.run(&["--config", "/no/such.yaml", "config"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn the_roadmap_chosen_last_in_the_switcher_opens_next_time() {
    let env = Env::new();
    env.ok(&["new", "mine"]);
    // What the switcher (R) writes when a roadmap is chosen.
    env.write("last-roadmap", "mine");
    assert!(
        env.ok(&["status"])
            .starts_with("Roadmap: My roadmap (mine), chosen last"),
        "reopened"
    );
    assert!(
        env.ok(&["--roadmap", "backend-devops", "status"])
            .starts_with("Backend"),
        "--roadmap wins"
    );
    env.write("last-roadmap", "gone-since");
    assert!(
        env.ok(&["status"]).starts_with("Backend"),
        "a roadmap that is no longer there falls back to the built-in one"
    );
}

#[test]
fn git_merge_keeps_both_machines_changes_to_different_parts_of_the_same_tasks() {
    let env = Env::new();
    let repo = env.dir.path().join("sync");
    std::fs::create_dir(&repo).expect("mkdir");
    let git = |args: &[&str]| git_in(&env, &repo, args);
    let progress = repo.join("progress.yaml");
    let run = |args: &[&str]| {
        let out = env
            .cmd(args)
            .env("PATHWAY_PROGRESS", &progress)
            .output()
            .expect("run");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(&["init", "-q", "-b", "main"]);
    git(&[
        "config",
        "merge.pathway.driver",
        &format!("{BIN} merge-file %O %A %B"),
    ]);
    std::fs::write(repo.join(".gitattributes"), "progress.yaml merge=pathway\n").expect("write");
    run(&["start", "git/basics"]);
    run(&["done", "linux/shell"]);
    run(&["note", "git/basics", "base"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    git(&["checkout", "-q", "-b", "laptop"]);
    run(&["done", "git/basics"]);
    run(&["review", "linux/shell", "good"]);
    run(&["note", "databases", "both edited this: laptop"]);
    git(&["commit", "-q", "-am", "laptop"]);
    git(&["checkout", "-q", "main"]);
    run(&["note", "git/basics", "desktop's note on git"]);
    run(&["note", "linux/shell", "desktop's note on the shell"]);
    run(&["note", "databases", "both edited this: desktop"]);
    git(&["commit", "-q", "-am", "desktop"]);
    git(&["merge", "-q", "--no-edit", "laptop"]);
    let merged = pathway::storage::store::Store::new(&progress)
        .load()
        .expect("load");
    let rp = merged.roadmap("backend-devops").expect("roadmap");
    use pathway::core::progress::Status;
    assert_eq!(rp.status("git/basics"), Status::Done, "the laptop's done");
    assert_eq!(rp.note("git/basics"), Some("desktop's note on git"));
    assert_eq!(rp.status("linux/shell"), Status::Done);
    assert_eq!(rp.note("linux/shell"), Some("desktop's note on the shell"));
    let reviewed = rp.item("linux/shell").and_then(|i| i.cards.values().next());
    assert_eq!(reviewed.map(|r| r.reviews), Some(1), "the laptop's review");
    // Both edited one note since the common ancestor: the note keeps both, the later first.
    let note = rp.note("databases").expect("the note");
    assert!(
        note.starts_with("both edited this: desktop\n\n--- kept from the other copy (written ")
            && note.ends_with(") ---\nboth edited this: laptop"),
        "{note}"
    );
}

#[test]
fn two_commands_racing_on_one_task_both_keep_their_change() {
    let env = Env::new();
    for round in 0..12 {
        let note = format!("round {round}");
        let mut done = env
            .cmd(&["done", "databases/sql-basics"])
            .spawn()
            .expect("spawn");
        let mut noted = env
            .cmd(&["note", "databases/sql-basics", &note])
            .spawn()
            .expect("spawn");
        assert!(done.wait().expect("wait").success());
        assert!(noted.wait().expect("wait").success());
        let json = env.json();
        let tasks = json["steps"][1]["tasks"].as_array().expect("tasks");
        let task = tasks
            .iter()
            .find(|t| t["id"] == "databases/sql-basics")
            .expect("task");
        assert_eq!(task["status"], "done", "round {round}: {task}");
        assert_eq!(task["note"], note.as_str(), "round {round}: {task}");
        env.ok(&["undo", "databases/sql-basics"]);
    }
}

#[test]
fn a_json_export_moves_everything_and_imports_like_merge_file() {
    let laptop = Env::new();
    completed_days_ago(&laptop, 3);
    laptop.ok(&["review", "databases/sql-basics", "good"]);
    let note = "trailing spaces   \r\nand a carriage return\r";
    laptop.ok(&["note", "git/basics", note]);
    let export = laptop.dir.path().join("export.json");
    laptop.ok(&[
        "export",
        "--format",
        "json",
        "-o",
        export.to_str().expect("utf-8"),
    ]);
    let desktop = Env::new();
    desktop.ok(&["note", "linux/shell", "only on the desktop"]);
    let out = desktop.ok(&["import", export.to_str().expect("utf-8")]);
    assert!(out.contains("merged"), "{out}");
    let load = |env: &Env| {
        pathway::storage::store::Store::new(env.progress())
            .load()
            .expect("load")
            .roadmap("backend-devops")
            .cloned()
            .expect("roadmap")
    };
    let (from, to) = (load(&laptop), load(&desktop));
    assert_eq!(to.note("linux/shell"), Some("only on the desktop"));
    assert_eq!(
        to.note("git/basics"),
        from.note("git/basics"),
        "byte for byte"
    );
    for key in ["databases/sql-basics", "programming/syntax"] {
        assert_eq!(to.item(key), from.item(key), "{key}: status, dates, review");
    }
    assert_eq!(
        to.history
            .iter()
            .filter(|e| from.history.contains(e))
            .count(),
        from.history.len(),
        "the history came along"
    );
    let again = desktop.ok(&["import", export.to_str().expect("utf-8")]);
    assert_eq!(again.trim(), "nothing to change");
}

/// A tiny HTTP server on an ephemeral loopback port that answers every request with `body`,
/// for as long as the test runs.
fn serve(body: &'static str) -> u16 {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut request = [0u8; 2048];
            let _ = stream.read(&mut request);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

/// The fixture roadmap (a check of every kind) in the test's folder, and its project folder.
fn checks_fixture(env: &Env, port: u16) -> (PathBuf, PathBuf) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/roadmap.yaml"
    ))
    .expect("fixture");
    let roadmap = env.write("fixture.yaml", &text);
    let settings = format!("checks:\n  vars: {{port: {port}}}\n");
    std::fs::create_dir_all(env.dir.path().join("config/pathway")).expect("mkdir");
    std::fs::write(env.dir.path().join("config/pathway/config.yaml"), settings).expect("write");
    let project = env.dir.path().join("project");
    std::fs::create_dir_all(&project).expect("mkdir");
    (roadmap, project)
}

#[test]
fn checks_of_a_roadmap_file_run_only_once_approved_and_prove_tasks() {
    let env = Env::new();
    let port = serve("status: hello\u{1b}[2J");
    let (roadmap, project) = checks_fixture(&env, port);
    let roadmap = roadmap.to_str().expect("utf-8");
    let project_arg = project.to_str().expect("utf-8");
    let check = |extra: &[&str]| {
        let mut args = vec!["--roadmap", roadmap, "check", "--project", project_arg];
        args.extend_from_slice(extra);
        env.run(&args)
    };
    // Not approved: nothing runs, and the learner sees what would.
    std::fs::write(project.join("tool-version.txt"), "tool 3\n").expect("write");
    let refused = check(&["--all"]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    let why = stderr(&refused);
    assert!(
        why.contains("cat tool-version.txt") && why.contains("pathway trust"),
        "{why}"
    );
    assert!(why.contains("http://127.0.0.1:{port}/health"), "{why}");
    assert!(
        !env.progress().exists(),
        "nothing ran, nothing was recorded"
    );
    let approved = env.ok(&["--roadmap", roadmap, "trust", "--yes"]);
    assert!(approved.contains("Approved"), "{approved}");
    // Approved: a pass of every kind, and a file check that fails with its hint.
    let out = check(&["--all"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the schema is missing: {}",
        stderr(&out)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("✓ passed  basics/install"), "{text}");
    assert!(text.contains("✓ passed  data/query"), "{text}");
    assert!(text.contains("✗ failed  data/schema"), "{text}");
    assert!(
        text.contains("hint: Keep the schema in schema.sql."),
        "{text}"
    );
    assert!(text.contains("2 of 10 tasks verified, 8 to go"), "{text}");
    std::fs::write(project.join("schema.sql"), "id int PRIMARY KEY\n").expect("write");
    let json = check(&["data/schema", "--json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert_eq!(json[0]["id"], "data/schema");
    assert_eq!(json[0]["result"], "passed");
    assert_eq!(json[0]["probes"].as_array().map(Vec::len), Some(2));
    let status = env.ok(&["--roadmap", roadmap, "status"]);
    assert!(status.contains("3/10 done · 3 verified"), "{status}");
    // A changed check is not approved any more.
    let changed = std::fs::read_to_string(roadmap)
        .expect("read")
        .replace("cat tool-version.txt", "cat tool-version.txt; true");
    std::fs::write(roadmap, changed).expect("write");
    assert_eq!(check(&["basics/install"]).status.code(), Some(2));
}

#[test]
fn check_output_with_escape_sequences_is_shown_escaped() {
    let env = Env::new();
    let (roadmap, project) = checks_fixture(&env, 1);
    std::fs::write(
        project.join("tool-version.txt"),
        "version \u{1b}]52;c;aGk=\u{7}\n",
    )
    .expect("write");
    let roadmap = roadmap.to_str().expect("utf-8");
    env.ok(&["--roadmap", roadmap, "trust", "--yes"]);
    let out = env.run(&[
        "--roadmap",
        roadmap,
        "check",
        "basics/install",
        "--project",
        project.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(text.contains("\\u{1b}]52"), "{text}");
}

#[test]
fn the_built_in_roadmaps_checks_need_no_approval() {
    let env = Env::new();
    let project = env.dir.path().join("empty");
    std::fs::create_dir_all(&project).expect("mkdir");
    let out = env.run(&[
        "check",
        "programming/save-work",
        "--project",
        project.to_str().expect("utf-8"),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "ran, and failed: {}",
        stderr(&out)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Checks run in "),
        "the folder is named: {text}"
    );
    assert!(text.contains("✗ failed  programming/save-work"), "{text}");
    let json = env.json();
    assert_eq!(
        task_status(&json, "programming/save-work"),
        "todo",
        "a failure never ticks"
    );
    let usage = env.run(&["check"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn watch_mode_runs_the_check_again_when_a_file_appears() {
    let env = Env::new();
    let (roadmap, project) = checks_fixture(&env, 1);
    let roadmap = roadmap.to_str().expect("utf-8");
    env.ok(&["--roadmap", roadmap, "trust", "--yes"]);
    let mut child = env
        .cmd(&[
            "--roadmap",
            roadmap,
            "check",
            "basics/install",
            "--watch",
            "--project",
            project.to_str().expect("utf-8"),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    // The first run fails, and then the watch begins: the file is written once it says so.
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut text = String::new();
    while !text.contains("Watching") {
        let read = std::io::BufRead::read_line(&mut stdout, &mut text).expect("read");
        assert!(read > 0, "ended before watching: {text}");
    }
    // A change in the instant between that line and the wait proper is not seen (nor meant
    // to be), so the file is written again every half second (longer than the 0.3 s of quiet
    // the watch waits for before it runs the check) until the check runs; a watch that never
    // sees it fails the test instead of hanging it.
    let started = std::time::Instant::now();
    let status = 'ended: loop {
        std::fs::write(project.join("tool-version.txt"), "tool 7\n").expect("write");
        for _ in 0..25 {
            if let Some(status) = child.try_wait().expect("wait") {
                break 'ended status;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        if started.elapsed() > std::time::Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("watch mode never saw the new file: {text}");
        }
    };
    std::io::Read::read_to_string(&mut stdout, &mut text).expect("read");
    assert!(status.success(), "{text}");
    assert!(
        text.contains("✗ failed") && text.contains("✓ passed"),
        "{text}"
    );
}

#[test]
fn use_sets_the_roadmap_for_the_command_line_and_the_checklist() {
    let env = Env::new();
    env.ok(&["new", "rust-path"]);
    let out = env.ok(&["use", "rust-path"]);
    assert!(out.starts_with("using rust-path"), "{out}");
    assert!(
        env.ok(&["status"])
            .starts_with("Roadmap: My roadmap (rust-path)")
    );
    env.ok(&["use", "backend-devops"]);
    assert!(
        env.ok(&["status"])
            .starts_with("Backend → DevOps & Cloud\n")
    );
    let unknown = env.run(&["use", "nope"]);
    assert_ne!(unknown.status.code(), Some(0));
    assert!(
        stderr(&unknown).contains("no roadmap \"nope\""),
        "{}",
        stderr(&unknown)
    );
    let path = env.dir.path().join("roadmaps/rust-path.yaml");
    let text = std::fs::read_to_string(&path).expect("starter");
    assert!(
        text.contains("cards:") && text.contains("answer:"),
        "the template has a card"
    );
    assert!(
        env.ok(&["validate", path.to_str().expect("utf-8")])
            .ends_with(": ok, 1 step, 1 task\n")
    );
}

#[test]
fn status_tasks_lists_every_task_with_its_number_id_status_and_title() {
    let env = Env::new();
    env.ok(&["done", "databases/sql-basics"]);
    let out = env.ok(&["status", "--tasks"]);
    let json = env.json();
    let mut tasks = 0;
    for (s, step) in json["steps"].as_array().expect("steps").iter().enumerate() {
        for (t, task) in step["tasks"].as_array().expect("tasks").iter().enumerate() {
            tasks += 1;
            let id = task["id"].as_str().expect("id");
            let line = out
                .lines()
                .find(|l| l.contains(&format!("] {id} ")))
                .unwrap_or_else(|| panic!("{id} listed: {out}"));
            assert!(
                line.trim_start()
                    .starts_with(&format!("{}/{} ", s + 1, t + 1)),
                "{line}"
            );
            assert!(
                line.ends_with(task["title"].as_str().expect("title")),
                "{line}"
            );
        }
    }
    assert_eq!(tasks, 63);
    assert!(
        out.lines().any(|l| l.contains("[x] databases/sql-basics")),
        "{out}"
    );
    assert!(out.contains("2 Databases (databases)  1/8"), "{out}");
    assert_eq!(
        env.run(&["status", "--tasks", "--json"]).status.code(),
        Some(2)
    );
}

#[test]
fn every_command_takes_a_task_by_its_number_in_the_step_or_a_unique_prefix() {
    let env = Env::new();
    let out = env.ok(&["done", "2/1", "databases/2", "databases/sql"]);
    assert!(
        out.contains("databases/install-rdbms: todo → done"),
        "{out}"
    );
    assert!(out.contains("databases/sql-basics: todo → done"), "{out}");
    assert!(out.contains("databases/sql-basics: already done"), "{out}");
    assert!(
        env.ok(&["undo", "2/1"])
            .contains("databases/install-rdbms: done → todo")
    );
    assert!(
        env.ok(&["start", "git/bas"])
            .contains("git/basics: todo → in progress")
    );
    assert!(
        env.ok(&["skip", "databases/mon"])
            .contains("databases/mongodb: todo → skipped")
    );
    assert!(
        env.ok(&["note", "1/1", "pwd first"])
            .contains("programming/terminal: note saved")
    );
    assert_eq!(env.ok(&["note", "programming/term"]), "pwd first\n");
    let cards = env.ok(&["review", "databases/sql"]);
    assert!(cards.starts_with("databases/sql-basics"), "{cards}");
    let rated = env.ok(&["review", "2/2#left-join", "good"]);
    assert!(
        rated.starts_with("databases/sql-basics#left-join: good"),
        "{rated}"
    );
    let check = env.run(&["check", "1/1", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&check.stdout).expect("check --json");
    assert_eq!(json[0]["id"], "programming/terminal", "{json}");
    let notes = env.ok(&["notes", "--step", "1"]);
    assert!(notes.contains("pwd first"), "{notes}");
}

#[test]
fn an_ambiguous_prefix_lists_the_candidates_and_changes_nothing() {
    let env = Env::new();
    let out = env.run(&["done", "databases/s"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(
            "\"databases/s\" is the start of 2 task ids: databases/sql-basics, databases/schema"
        ),
        "{err}"
    );
    assert!(!env.progress().exists());
    let out = env.run(&["done", "2/99"]);
    assert!(
        stderr(&out).contains("the tasks of step 2 (Databases) are numbered 1 to 11"),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["done", "data"]);
    assert_eq!(out.status.code(), Some(2), "a prefix never names a step");
}

#[test]
fn an_unknown_id_names_the_roadmap_searched_and_how_it_was_chosen() {
    let env = Env::new();
    let out = env.run(&["done", "nothing-like-it"]);
    assert!(
        stderr(&out).contains(
            "in the built-in roadmap backend-devops (the default; pathway use picks another): \
             unknown id \"nothing-like-it\""
        ),
        "{}",
        stderr(&out)
    );
    env.ok(&["new", "mine"]);
    env.ok(&["use", "mine"]);
    let out = env.run(&["done", "web-apis/auth"]);
    assert_eq!(out.status.code(), Some(2), "still a usage error");
    let err = stderr(&out);
    assert!(err.contains("in roadmap mine (My roadmap, "), "{err}");
    assert!(
        err.contains("mine.yaml; chosen last with pathway use or R)"),
        "{err}"
    );
    assert!(err.contains("unknown id \"web-apis/auth\""), "{err}");
    let out = env.run(&["--roadmap", "mine", "done", "web-apis/auth"]);
    assert!(
        stderr(&out).contains("chosen with --roadmap"),
        "{}",
        stderr(&out)
    );
    let config = env.dir.path().join("config/pathway");
    std::fs::create_dir_all(&config).expect("mkdir");
    std::fs::write(config.join("config.yaml"), "theme: dark\nroadmap: mine\n").expect("write");
    let out = env.run(&["done", "web-apis/auth"]);
    assert!(
        stderr(&out).contains("chosen by roadmap: in ")
            && stderr(&out).contains("config/pathway/config.yaml"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_roadmap_other_than_the_built_in_one_is_named_in_every_output() {
    let env = Env::new();
    env.ok(&["new", "mine"]);
    env.ok(&["use", "mine"]);
    let heading = "Roadmap: My roadmap (mine), chosen last with pathway use or R\n";
    for args in [
        &["done", "1/1"][..],
        &["status"],
        &["status", "--tasks"],
        &["stats"],
        &["review"],
        &["review", "--session"],
        &["notes"],
        &["log"],
        &["undo", "first-step/first"],
    ] {
        let out = env.ok(args);
        assert!(out.starts_with(heading), "{args:?}: {out}");
    }
    assert!(
        !env.ok(&["status"]).contains("\nMy roadmap\n"),
        "the heading takes the title's place"
    );
    assert!(
        env.ok(&["where"])
            .contains("chosen last with pathway use or R")
    );
    let json =
        |args: &[&str]| -> serde_json::Value { serde_json::from_str(&env.ok(args)).expect("json") };
    assert_eq!(json(&["status", "--json"])["roadmap"]["id"], "mine");
    assert_eq!(json(&["stats", "--json"])["roadmap"]["id"], "mine");
    env.ok(&["note", "1/1", "a note"]);
    assert_eq!(json(&["notes", "--format", "json"])[0]["roadmap"], "mine");
    assert_eq!(json(&["review", "1/1", "--json"])[0]["roadmap"], "mine");
    // The note alone on standard output, for a file; the roadmap on standard error.
    let out = env.run(&["note", "1/1"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a note\n");
    assert!(stderr(&out).contains("Roadmap: My roadmap (mine)"));
    // The built-in roadmap adds nothing.
    env.ok(&["use", "backend-devops"]);
    assert!(
        env.ok(&["status"])
            .starts_with("Backend → DevOps & Cloud\n")
    );
    assert!(!env.ok(&["done", "1/1"]).contains("Roadmap:"));
}

#[test]
fn every_file_of_the_roadmaps_folder_is_listed_an_unusable_one_with_why() {
    let env = Env::new();
    env.ok(&["new", "mine"]);
    let folder = env.dir.path().join("roadmaps");
    std::os::unix::fs::symlink("/no/such/target.yaml", folder.join("gone.yaml")).expect("link");
    std::fs::write(folder.join("notes.txt"), "not a roadmap").expect("write");
    std::fs::write(folder.join("broken.yaml"), "id: b\ntitel: B\n").expect("write");
    std::fs::write(folder.join(".mine.yaml.swp"), "editor swap").expect("write");
    let list = env.ok(&["roadmaps"]);
    assert!(list.contains("mine"), "{list}");
    assert!(
        list.contains("gone.yaml: a link to /no/such/target.yaml, which cannot be read"),
        "{list}"
    );
    assert!(list.contains("notes.txt: not read"), "{list}");
    assert!(
        list.contains("broken.yaml:2:1: unknown field `titel`"),
        "{list}"
    );
    assert!(
        !list.contains(".swp"),
        "hidden files are passed over: {list}"
    );
    // None of them stops the others from being used.
    assert!(
        env.ok(&["--roadmap", "mine", "status"])
            .contains("My roadmap")
    );
}

#[test]
fn a_settings_roadmap_that_does_not_exist_names_the_file_line_and_column() {
    let env = Env::new();
    let config = env.dir.path().join("config/pathway");
    std::fs::create_dir_all(&config).expect("mkdir");
    std::fs::write(
        config.join("config.yaml"),
        "theme: dark\nroadmap:   nonexistent\n",
    )
    .expect("write");
    let out = env.run(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("config/pathway/config.yaml:2:12: roadmap: no roadmap \"nonexistent\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_settings_value_of_the_wrong_type_names_the_key_and_the_expected_form() {
    let env = Env::new();
    let config = env.write("config.yaml", "roadmap: backend-devops\ntheme: [dark]\n");
    // `config` reads every setting (`status` reads only `roadmap:`).
    let out = env.run(&["--config", config.to_str().expect("utf-8"), "config"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(
            "config.yaml:2:8: theme: expected one of dark, light, high-contrast, not a list"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("YAML tag"), "{}", stderr(&out));
}

#[test]
fn stats_forecast_from_the_hours_of_the_tasks_done_and_left() {
    let env = Env::new();
    env.ok(&["done", "1"]);
    let text = env.ok(&["stats"]);
    // Step 1's nine tasks are 130 h: today's pace over the shortest window, a week.
    assert!(
        text.contains("Pace: 130 h (9 tasks) in the last 7 days, 130 h a week"),
        "{text}"
    );
    assert!(
        text.contains(
            "At your pace of 130 h a week over the last 7 days, the 496 h left are done around"
        ),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["stats", "--json"])).expect("json");
    assert_eq!(json["work"]["basis"]["unit"], "hours");
    // The stretch tasks not started are not left to do: 626 h of core, less step 1's 130.
    assert_eq!(json["work"]["left"], 496.0);
    assert_eq!(json["work"]["per_week"], 130.0);
    // 496 h at 130 h a week: 27 days from today.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date();
    let expected = today.checked_add(jiff::Span::new().days(27)).expect("date");
    assert_eq!(json["forecast"]["date"], expected.to_string());
    // A roadmap without estimates counts tasks, and says so.
    let file = env.write(
        "plain.yaml",
        "id: plain\ntitle: Plain\nsteps:\n  - id: a\n    title: A\n    tasks:\n      - {id: t, title: T}\n      - {id: u, title: U}\n",
    );
    let file = file.to_str().expect("utf-8");
    env.ok(&["--roadmap", file, "done", "a/t"]);
    let text = env.ok(&["--roadmap", file, "stats"]);
    assert!(
        text.contains("Pace: 1 task in the last 7 days, 1.0 a week"),
        "{text}"
    );
    assert!(text.contains("the 1 task left are done around"), "{text}");
    assert!(
        text.contains("no estimates of hours, so tasks are counted"),
        "{text}"
    );
}

#[test]
fn counts_of_one_read_in_the_singular() {
    let env = Env::new();
    std::fs::create_dir(env.dir.path().join("roadmaps")).expect("mkdir");
    env.write(
        "roadmaps/one.yaml",
        "id: one\ntitle: One\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - {id: t, title: T, hours: 2}\n",
    );
    let list = env.ok(&["roadmaps"]);
    assert!(list.contains("One · 1 task · "), "{list}");
    let place = env.ok(&["--roadmap", "one", "where"]);
    assert!(place.contains("(id one, 1 step, 1 task)"), "{place}");
    env.ok(&["--roadmap", "one", "done", "s/t"]);
    let stats = env.ok(&["--roadmap", "one", "stats"]);
    assert!(
        stats.contains("Pace: 2 h (1 task) in the last 7 days"),
        "{stats}"
    );
    assert!(
        stats.contains("Streak: 1 day in a row · active on 1 day in all"),
        "{stats}"
    );
    let reset = env.ok(&["--roadmap", "one", "reset", "--yes"]);
    assert!(reset.contains("reset one (1 item)"), "{reset}");
    for text in [&list, &place, &stats, &reset] {
        for wrong in [
            " 1 tasks", " 1 steps", " 1 items", " 1 days", " 1 cards", " 1 weeks",
        ] {
            assert!(!text.contains(wrong), "{wrong:?} in {text}");
        }
    }
}

#[test]
fn config_keys_lists_every_action_by_name_with_its_keys_now() {
    let env = Env::new();
    let config = env.write("config.yaml", "keys: {done: [x, space], quit: [ctrl-q]}\n");
    let config = config.to_str().expect("utf-8");
    let out = env.ok(&["--config", config, "config", "--keys"]);
    assert!(out.contains("\n  done: [x, space]"), "{out}");
    assert!(out.contains("\n  quit: [ctrl-q]"), "{out}");
    assert!(out.contains("\n  filter: ['/']"), "{out}");
    assert!(out.contains("# move up"), "{out}");
    // Every action a settings file may name is there, and the list is a settings file itself.
    let yaml: serde_yaml::Value = serde_yaml::from_str(&out).expect("YAML");
    let listed = yaml["keys"].as_mapping().expect("keys").len();
    assert_eq!(listed, pathway::tui::keys::action_names().count(), "{out}");
    let copied = env.write("copied.yaml", &out);
    env.ok(&["--config", copied.to_str().expect("utf-8"), "config"]);
    // `pathway config` points at it.
    assert!(env.ok(&["config"]).contains("pathway config --keys"));
}

/// Every key of a JSON value with its path, in the order they come: `steps[].tasks[].id`.
/// Arrays count by their first element.
fn key_paths(value: &serde_json::Value, at: &str, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                let path = format!("{at}{key}");
                out.push(path.clone());
                key_paths(v, &format!("{path}."), out);
            }
        }
        serde_json::Value::Array(items) => {
            if let Some(first) = items.first() {
                key_paths(first, &format!("{}[].", at.trim_end_matches('.')), out);
            }
        }
        _ => {}
    }
}

#[test]
fn the_docs_status_json_sample_has_the_real_keys_in_their_order() {
    let readme = include_str!("../docs/cli.md");
    let after = readme
        .split("`status --json` (and `export --format json`) has a stable shape")
        .nth(1)
        .expect("the sample's sentence");
    let block = after
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("the sample");
    let sample: serde_json::Value = serde_json::from_str(block).expect("the sample is JSON");
    let env = Env::new();
    env.ok(&["done", "1"]);
    env.ok(&["note", "1/1", "a note"]);
    let real = env.json();
    let (mut want, mut have) = (Vec::new(), Vec::new());
    key_paths(&real, "", &mut want);
    key_paths(&sample, "", &mut have);
    assert_eq!(have, want, "README's sample against `status --json`");
}

#[test]
fn card_is_one_self_contained_svg_with_the_figures_and_every_text_escaped() {
    /// The environment, taking owned arguments.
    struct EnvStrings<'a>(&'a Env);
    impl EnvStrings<'_> {
        fn ok(&self, args: &[String]) -> String {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            self.0.ok(&args)
        }
        fn run(&self, args: &[String]) -> Output {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            self.0.run(&args)
        }
    }
    let env = Env::new();
    let project = env.dir.path().join("project");
    std::fs::create_dir(&project).expect("mkdir");
    std::fs::write(project.join("proof.txt"), "done").expect("write");
    let roadmap = env.write(
        "evil.yaml",
        "id: evil\ntitle: \"</text><script>alert(1)</script> & co\"\nsteps:\n  \
         - id: a\n    title: \"A <b>bold</b> step\"\n    tasks:\n      \
         - {id: proved, title: P, hours: 5, check: [{file: proof.txt, hint: write it}]}\n      \
         - {id: ticked, title: T, hours: 3}\n  \
         - id: b\n    title: B\n    tasks:\n      - {id: open, title: O, hours: 3}\n",
    );
    let file = roadmap.to_str().expect("utf-8").to_string();
    let with = |args: &[&str]| -> Vec<String> {
        ["--roadmap", file.as_str()]
            .iter()
            .chain(args)
            .map(|a| a.to_string())
            .collect()
    };
    let env = EnvStrings(&env);
    env.ok(&with(&["trust", "--yes"]));
    env.ok(&with(&[
        "check",
        "a/proved",
        "--project",
        project.to_str().expect("utf-8"),
    ]));
    env.ok(&with(&["done", "a/ticked"]));
    let svg = env.ok(&with(&["card"]));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("500"));
    let height: u32 = root
        .attribute("height")
        .and_then(|h| h.parse().ok())
        .expect("height");
    assert!((200..=260).contains(&height), "{height}");
    // Self-contained: no script, image, foreign object, style sheet or link of any kind.
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(
            !["script", "image", "foreignObject", "style", "a", "use"].contains(&name),
            "<{name}> in {svg}"
        );
        for attribute in node.attributes() {
            assert!(
                !attribute.name().contains("href") && !attribute.value().contains("url("),
                "{attribute:?} in {svg}"
            );
        }
    }
    // The title is text, not markup: parsed back, it is exactly the roadmap's.
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect();
    assert!(
        texts[0].starts_with("</text><script>alert(1)</script> &"),
        "{texts:?}"
    );
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .expect("a title for screen readers");
    assert!(
        title.starts_with("</text><script>alert(1)</script> & co · 2 of 3 tasks done"),
        "{title}"
    );
    assert!(svg.contains("&lt;/text&gt;&lt;script&gt;"), "{svg}");
    assert!(
        texts.iter().any(|t| t == "1 A <b>bold</b> step"),
        "{texts:?}"
    );
    // The figures: tasks done and verified, hours, streak, each step's bar, the date.
    let all = texts.join("\n");
    assert!(
        all.contains("2 of 3 tasks done (66%) · 1 verified by a check"),
        "{all}"
    );
    assert!(
        all.contains("8 h done · 3 h left · a 1-day streak"),
        "{all}"
    );
    assert!(
        texts.iter().any(|t| t == "2/2") && texts.iter().any(|t| t == "0/1"),
        "{all}"
    );
    assert!(all.contains("verified: a check proved it"), "{all}");
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%-d %b %Y")
        .to_string();
    assert!(texts.contains(&today), "{all}");
    // Two themes, each with its own background.
    let dark = env.ok(&with(&["card", "--theme", "dark"]));
    assert!(dark.contains("fill=\"#0d1117\"") && svg.contains("fill=\"#ffffff\""));
    // -o writes a file, and never one pathway keeps.
    let out = env.ok(&with(&["card", "-o", "card.svg"]));
    assert!(out.contains("wrote card.svg"), "{out}");
    assert_eq!(
        std::fs::read_to_string(env.0.dir.path().join("card.svg")).expect("card"),
        svg
    );
    for owned in [
        env.0.progress().to_str().expect("utf-8"),
        roadmap.to_str().expect("utf-8"),
        "trusted-checks",
    ] {
        let refused = env.run(&with(&["card", "-o", owned]));
        assert_eq!(refused.status.code(), Some(2), "{owned}");
        assert!(
            stderr(&refused).contains("refusing to write over"),
            "{owned}"
        );
    }
}

/// The one card of the learner's on a task, from `review ID --json`.
fn own_cards(env: &Env, args: &[&str]) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&env.ok(args)).expect("json");
    json.as_array()
        .expect("an array")
        .iter()
        .filter(|c| c["own"] == true)
        .cloned()
        .collect()
}

#[test]
fn a_card_of_ones_own_is_added_listed_edited_and_removed_from_the_command_line() {
    let env = Env::new();
    let task = "databases/sql-basics";
    let said = env.ok(&[
        "review",
        task,
        "--add-card",
        "  What does a LEFT JOIN keep?  ",
        "--answer",
        "Every row of the left table.",
    ]);
    assert!(
        said.contains("your card added, reviewed once the task is done"),
        "{said}"
    );
    let mine = own_cards(&env, &["review", task, "--json"]);
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["ask"], "What does a LEFT JOIN keep?", "trimmed");
    assert_eq!(mine[0]["answer"], "Every row of the left table.");
    assert_eq!(mine[0]["in_review"], false, "not before the task is done");
    let id = mine[0]["id"].as_str().expect("id").to_string();
    assert!(id.starts_with(&format!("{task}#+")), "{id}");
    let text = env.ok(&["review", task]);
    assert!(text.contains("(your card 1)"), "{text}");

    env.ok(&["done", task]);
    let mine = own_cards(&env, &["review", task, "--json"]);
    assert_eq!(mine[0]["in_review"], true);
    assert_eq!(mine[0]["reviews"], 0);
    // Due with the roadmap's cards and rated like them, by its id.
    let ahead: serde_json::Value =
        serde_json::from_str(&env.ok(&["review", "--ahead", "2d", "--json"])).expect("json");
    assert!(
        ahead
            .as_array()
            .expect("array")
            .iter()
            .any(|c| c["id"] == id.as_str() && c["own"] == true),
        "{ahead}"
    );

    let said = env.ok(&[
        "review",
        task,
        "--edit-card",
        "1",
        "--question",
        "LEFT JOIN?",
    ]);
    assert!(said.contains("your card changed"), "{said}");
    let mine = own_cards(&env, &["review", task, "--json"]);
    assert_eq!(
        (mine[0]["ask"].as_str(), mine[0]["answer"].as_str()),
        (Some("LEFT JOIN?"), Some("Every row of the left table.")),
        "the answer stays"
    );
    let export: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "--format", "json"])).expect("json");
    let card_id = id.rsplit('#').next().expect("card id");
    assert_eq!(
        export["progress"]["items"][task]["own"][card_id]["ask"], "LEFT JOIN?",
        "{export}"
    );
    let markdown = env.ok(&["export", "--format", "markdown"]);
    assert!(
        markdown.contains("  - Your card: LEFT JOIN?\n"),
        "{markdown}"
    );

    env.ok(&["review", task, "--remove-card", card_id]);
    assert!(own_cards(&env, &["review", task, "--json"]).is_empty());
}

#[test]
fn a_card_of_ones_own_is_refused_with_a_reason_and_nothing_is_written() {
    let env = Env::new();
    let task = "databases/sql-basics";
    let refused = |args: &[&str], why: &str| {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(why), "{args:?}: {err}");
    };
    refused(
        &["review", task, "--add-card", "   "],
        "a card needs a question",
    );
    let long = "x".repeat(501);
    refused(
        &["review", task, "--add-card", &long],
        "the question is 501 characters, more than the 500 a card takes",
    );
    refused(
        &["review", task, "--edit-card", "1", "--answer", "a"],
        "has no card of yours \"1\"; it has none",
    );
    refused(
        &["review", task, "--remove-card", "left-join"],
        "is the roadmap's card: only your own cards can be edited or removed",
    );
    refused(
        &["review", task, "--edit-card", "1"],
        "give the new --question",
    );
    assert!(!env.progress().exists(), "nothing written");
}

#[test]
fn a_card_of_ones_own_is_escaped_when_printed() {
    let env = Env::new();
    let task = "databases/sql-basics";
    env.ok(&["review", task, "--add-card", "red \u{1b}[31m?"]);
    let text = env.ok(&["review", task]);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("red \\u{1b}[31m?"), "{text}");
}

#[test]
fn a_card_of_ones_own_survives_a_roadmap_update_that_renames_its_task() {
    let env = Env::new();
    env.write(
        "mine.yaml",
        "id: mine\ntitle: Mine\nsteps:\n  - id: a\n    title: A\n    tasks:\n      - {id: t, title: T}\n",
    );
    env.ok(&["--roadmap", "mine.yaml", "done", "a/t"]);
    env.ok(&[
        "--roadmap",
        "mine.yaml",
        "review",
        "a/t",
        "--add-card",
        "Mine?",
        "--answer",
        "Yes.",
    ]);
    // The task moves to another step under a new id, and gains a card of the roadmap's.
    env.write(
        "mine.yaml",
        "id: mine\ntitle: Mine\nsteps:\n  - id: b\n    title: B\n    tasks:\n      - {id: renamed, title: T, formerly: [a/t], cards: [{id: new, ask: New?}]}\n",
    );
    let args = ["--roadmap", "mine.yaml", "review", "b/renamed", "--json"];
    let mine = own_cards(&env, &args);
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["ask"], "Mine?");
    assert_eq!(mine[0]["in_review"], true);
    assert!(
        mine[0]["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("b/renamed#+")),
        "{mine:?}"
    );
}

/// `pathway sync init` as a learner runs it: with Git's own configuration out of the way.
fn sync_init(env: &Env, progress: &Path, args: &[&str]) -> String {
    let out = env
        .cmd(&[&["sync", "init"], args].concat())
        .env("PATHWAY_PROGRESS", progress)
        .env("HOME", env.dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run");
    assert!(out.status.success(), "sync init: {}", stderr(&out));
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn sync_init_sets_up_the_repository_once_and_keeps_what_was_there() {
    let env = Env::new();
    let dir = env.dir.path().join("sync");
    std::fs::create_dir(&dir).expect("mkdir");
    let progress = dir.join("progress.yaml");
    std::fs::write(dir.join(".gitattributes"), "*.md text\n").expect("write");
    std::fs::write(dir.join(".gitignore"), "target/").expect("write");
    let said = sync_init(&env, &progress, &[]);
    for line in [
        "(created)",
        ".gitattributes: added `progress.yaml merge=pathway`",
        ".gitignore: added `progress.yaml.lock`",
        "git config merge.pathway.driver: `",
        "run `pathway sync init` on every machine after cloning",
    ] {
        assert!(said.contains(line), "{line}: {said}");
    }
    let read = |name: &str| std::fs::read(dir.join(name)).expect("read");
    assert_eq!(
        read(".gitattributes"),
        b"*.md text\nprogress.yaml merge=pathway\n"
    );
    assert_eq!(read(".gitignore"), b"target/\nprogress.yaml.lock\n");
    let driver = git_in(&env, &dir, &["config", "--get", "merge.pathway.driver"]);
    // The test's binary is on no PATH: the driver names it by its full path.
    let bin = std::fs::canonicalize(BIN).expect("the binary");
    assert_eq!(
        driver.trim_end(),
        format!("{} merge-file %O %A %B", bin.display())
    );
    let before = [
        read(".gitattributes"),
        read(".gitignore"),
        read(".git/config"),
    ];
    let again = sync_init(&env, &progress, &[]);
    assert!(
        !again.contains("added") && !again.contains("created"),
        "{again}"
    );
    assert!(again.contains("already"), "{again}");
    assert_eq!(
        [
            read(".gitattributes"),
            read(".gitignore"),
            read(".git/config")
        ],
        before,
        "a second run changes nothing"
    );
}

#[test]
fn sync_init_inside_a_repository_uses_it_and_nests_none() {
    let env = Env::new();
    let top = env.dir.path().join("dotfiles");
    let dir = top.join("pathway");
    std::fs::create_dir_all(&dir).expect("mkdir");
    git_in(&env, &top, &["init", "-q"]);
    let said = sync_init(&env, &dir.join("progress.yaml"), &[]);
    assert!(said.contains("already there;"), "{said}");
    assert!(!dir.join(".git").exists(), "no repository inside the other");
    assert_eq!(
        std::fs::read_to_string(dir.join(".gitattributes")).expect("read"),
        "progress.yaml merge=pathway\n"
    );
    // A progress file elsewhere than the folder named is said, not silently left out.
    let elsewhere = env.dir.path().join("elsewhere.yaml");
    let said = sync_init(&env, &elsewhere, &[dir.to_str().expect("utf-8")]);
    assert!(said.contains("is not in"), "{said}");
}

#[test]
fn two_clones_set_up_by_sync_init_merge_a_note_both_changed_without_markers() {
    let env = Env::new();
    let (first, second) = (env.dir.path().join("first"), env.dir.path().join("second"));
    std::fs::create_dir(&first).expect("mkdir");
    let on = |dir: &Path, args: &[&str]| {
        let out = env
            .cmd(args)
            .env("PATHWAY_PROGRESS", dir.join("progress.yaml"))
            .output()
            .expect("run");
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    on(&first, &["note", "git", "the first draft"]);
    sync_init(&env, &first.join("progress.yaml"), &[]);
    git_in(&env, &first, &["add", "."]);
    git_in(&env, &first, &["commit", "-q", "-m", "base"]);
    git_in(&env, env.dir.path(), &["clone", "-q", "first", "second"]);
    // Git's configuration is per clone: the second machine runs it again.
    let said = sync_init(&env, &second.join("progress.yaml"), &[]);
    assert!(
        said.contains("git config merge.pathway.driver: `"),
        "{said}"
    );
    on(&first, &["note", "git", "written on the first"]);
    git_in(&env, &first, &["commit", "-q", "-am", "first"]);
    on(&second, &["note", "git", "written on the second"]);
    git_in(&env, &second, &["commit", "-q", "-am", "second"]);
    git_in(&env, &second, &["pull", "-q", "--no-rebase", "--no-edit"]);
    let text = std::fs::read_to_string(second.join("progress.yaml")).expect("read");
    assert!(!text.contains("<<<<<<<"), "{text}");
    let merged = pathway::storage::store::Store::new(second.join("progress.yaml"))
        .load()
        .expect("load");
    let note = merged
        .roadmap("backend-devops")
        .and_then(|r| r.note("git"))
        .expect("the note");
    assert!(
        note.starts_with("written on the second\n\n--- kept from the other copy")
            && note.ends_with("---\nwritten on the first"),
        "{note}"
    );
}

#[test]
fn a_progress_file_with_conflict_markers_is_an_unfinished_merge_left_untouched() {
    let env = Env::new();
    env.ok(&["done", "git/basics"]);
    let clean = std::fs::read_to_string(env.progress()).expect("read");
    let marked = format!("<<<<<<< HEAD\n{clean}=======\n{clean}>>>>>>> laptop\n");
    std::fs::write(env.progress(), &marked).expect("write");
    for args in [
        &["status"][..],
        &["done", "linux/shell"],
        &["reset", "--yes"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let said = stderr(&out);
        for part in [
            "a Git merge of this file is unfinished",
            "pathway sync init",
            "git checkout -m",
            "--theirs",
            "git merge --abort",
        ] {
            assert!(said.contains(part), "{args:?} {part}: {said}");
        }
        assert!(!said.contains("reset --yes"), "never advised: {said}");
        assert_eq!(
            std::fs::read_to_string(env.progress()).expect("read"),
            marked
        );
    }
}

/// `pathway check KEY --json` on `project` with `programs` (name, shell script) first on the
/// PATH, standing in for tools such as docker or mvn; the check's JSON for KEY.
fn check_with_programs(
    env: &Env,
    key: &str,
    project: &std::path::Path,
    programs: &[(&str, &str)],
) -> serde_json::Value {
    let bin = env.dir.path().join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    for (name, script) in programs {
        let program = bin.join(name);
        std::fs::write(&program, format!("#!/bin/sh\n{script}\n")).expect("write");
        std::fs::set_permissions(
            &program,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = env
        .cmd(&[
            "check",
            key,
            "--project",
            project.to_str().expect("utf-8"),
            "--json",
        ])
        .env("PATH", path)
        .output()
        .expect("run pathway");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    json[0].clone()
}

#[test]
fn a_registry_probe_without_docker_buildx_cannot_check_rather_than_fails() {
    // A docker without the buildx plugin, as Debian's docker.io package comes: the release
    // check's runbook and tag probes pass, and the registry probe cannot ask.
    let env = Env::new();
    let project = repo(&[
        (
            "docs/runbook.md",
            "# Runbook\n\n## Deploy\n\n./deploy.sh SHA\n\n## Roll back\n\n./deploy.sh OLD\n\n## Health\n\ncurl -fsS https://example.com/health\n",
        ),
        (
            ".github/workflows/cd.yml",
            "jobs:\n  push:\n    steps:\n      - run: docker build -t ghcr.io/me/blog:${{ github.sha }} .\n",
        ),
    ]);
    let docker = "echo \"docker: unknown command: docker $1\" >&2\nexit 1";
    let json = check_with_programs(&env, "cloud/release", project.path(), &[("docker", docker)]);
    let probes = &json["probes"];
    assert_eq!(json["result"], "cannot", "{json:#}");
    assert_eq!(probes[0]["result"], "passed", "{json:#}");
    assert_eq!(probes[1]["result"], "passed", "{json:#}");
    assert_eq!(probes[2]["result"], "cannot", "{json:#}");
    assert!(
        probes[2]["why"]
            .as_str()
            .is_some_and(|why| why.contains("buildx")),
        "{json:#}"
    );
}

#[test]
fn java_linting_offline_cannot_check_and_a_violation_fails() {
    let env = Env::new();
    let pom = "<project><build><plugins><plugin><artifactId>maven-checkstyle-plugin</artifactId></plugin>\
               <plugin><artifactId>spotless-maven-plugin</artifactId></plugin></plugins></build></project>\n";
    let project = repo(&[
        ("pom.xml", pom),
        (
            "src/main/java/blog/App.java",
            "package blog;\n\npublic class App {}\n",
        ),
    ]);
    let key = "programming/lint-format";
    // What Maven says with no connection to Maven Central.
    let offline = "echo '[ERROR] Plugin org.apache.maven.plugins:maven-checkstyle-plugin:3.6.0 or one of its dependencies could not be resolved: Could not transfer artifact from/to central (https://repo.maven.apache.org/maven2): Unknown host repo.maven.apache.org'\nexit 1";
    let json = check_with_programs(&env, key, project.path(), &[("mvn", offline)]);
    assert_eq!(json["result"], "cannot", "{json:#}");
    assert!(
        json["probes"][0]["why"]
            .as_str()
            .is_some_and(|why| why.contains("could not download")),
        "{json:#}"
    );
    let violation = "echo '[ERROR] src/main/java/blog/App.java:3: Missing a Javadoc comment. [MissingJavadocType]'\nexit 1";
    let json = check_with_programs(&env, key, project.path(), &[("mvn", violation)]);
    assert_eq!(json["result"], "failed", "{json:#}");
    let clean = "[ \"$*\" = '-q -B checkstyle:check spotless:check' ] || exit 3";
    let json = check_with_programs(&env, key, project.path(), &[("mvn", clean)]);
    assert_eq!(json["result"], "passed", "{json:#}");
}

#[test]
fn java_linting_runs_through_gradle_too() {
    let env = Env::new();
    let build = "plugins {\n    id 'java'\n    id 'checkstyle'\n    id 'com.diffplug.spotless' version '7.0.2'\n}\n";
    let project = repo(&[
        ("build.gradle", build),
        (
            "src/main/java/blog/App.java",
            "package blog;\n\npublic class App {}\n",
        ),
    ]);
    let key = "programming/lint-format";
    let clean = "[ \"$*\" = '-q --console=plain checkstyleMain spotlessCheck' ] || exit 3";
    let json = check_with_programs(&env, key, project.path(), &[("gradle", clean)]);
    assert_eq!(json["result"], "passed", "{json:#}");
    let unformatted =
        "echo 'The following files had format violations: src/main/java/blog/App.java'\nexit 1";
    let json = check_with_programs(&env, key, project.path(), &[("gradle", unformatted)]);
    assert_eq!(json["result"], "failed", "{json:#}");
}

#[test]
fn gh_not_logged_in_cannot_check_and_a_merged_pull_request_passes() {
    let env = Env::new();
    let project = repo(&[("README.md", "# blog\n")]);
    let out = Command::new("git")
        .args(["remote", "add", "origin", "git@github.com:me/blog.git"])
        .current_dir(project.path())
        .output()
        .expect("git");
    assert!(out.status.success());
    let key = "git/pull-requests";
    let logged_out =
        "echo 'To get started with GitHub CLI, please run:  gh auth login' >&2\nexit 4";
    let json = check_with_programs(&env, key, project.path(), &[("gh", logged_out)]);
    assert_eq!(json["result"], "cannot", "{json:#}");
    assert!(
        json["probes"][0]["why"]
            .as_str()
            .is_some_and(|why| why.contains("gh is not logged in")),
        "{json:#}"
    );
    let merged = "printf '12\\tAdd the posts API\\tfeature\\tMERGED\\n'";
    let json = check_with_programs(&env, key, project.path(), &[("gh", merged)]);
    assert_eq!(json["result"], "passed", "{json:#}");
    let none = "exit 0";
    let json = check_with_programs(&env, key, project.path(), &[("gh", none)]);
    assert_eq!(json["result"], "failed", "{json:#}");
}
