//! pathway under attack: each test is one way it once lost data, drove the terminal or hung,
//! kept so it never does again. Real second processes where it is about concurrency.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::thread;

use pathway::core::progress::{Progress, Status};
use pathway::storage::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_pathway");

fn pathway(progress: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("PATHWAY_PROGRESS", progress)
        .env("XDG_CONFIG_HOME", progress.with_file_name("config"))
        .stdin(Stdio::null());
    cmd
}

fn run(progress: &Path, args: &[&str]) -> Output {
    pathway(progress, args).output().expect("run pathway")
}

fn ok(progress: &Path, args: &[&str]) -> String {
    let out = run(progress, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn backups(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".bak"))
        .collect();
    found.sort();
    found
}

#[test]
fn resets_in_the_same_second_never_overwrite_a_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    ok(&progress, &["done", "programming"]);
    let original = std::fs::read_to_string(&progress).expect("read");
    ok(&progress, &["reset", "--yes"]);
    ok(&progress, &["done", "git"]);
    ok(&progress, &["reset", "--yes"]);
    let found = backups(dir.path());
    assert_eq!(found.len(), 2, "{found:?}");
    let contents: Vec<String> = found
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read"))
        .collect();
    assert!(
        contents.contains(&original),
        "the learner's original progress is kept"
    );
    for path in &found {
        let mode = std::fs::metadata(path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}: backups are private", path.display());
    }
    // Nothing to reset: says so and writes no backup.
    let out = ok(&progress, &["reset", "--yes"]);
    assert!(out.starts_with("no progress to reset"), "{out}");
    assert_eq!(backups(dir.path()).len(), 2);
}

#[test]
fn a_reset_keeps_what_another_process_saved_meanwhile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    let roadmap = dir.path().join("mine.yaml");
    std::fs::write(
        &roadmap,
        "id: mine\ntitle: Mine\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - {id: a, title: A}\n      - {id: b, title: B}\n",
    )
    .expect("write");
    let roadmap = roadmap.to_str().expect("utf-8");
    ok(&progress, &["done", "1"]);
    // Resets of the built-in roadmap race ticks of another roadmap; every tick must stay.
    let p = progress.clone();
    let resets = thread::spawn(move || {
        for _ in 0..10 {
            ok(&p, &["done", "programming/terminal"]);
            ok(&p, &["reset", "--yes"]);
        }
    });
    for i in 0..20 {
        let verb = if i % 2 == 0 { "done" } else { "undo" };
        ok(&progress, &["--roadmap", roadmap, verb, "s/a"]);
        ok(&progress, &["--roadmap", roadmap, "done", "s/b"]);
    }
    resets.join().expect("resets");
    let loaded = Store::new(&progress).load().expect("load");
    let mine = loaded.roadmap("mine").expect("the other roadmap is kept");
    assert_eq!(mine.status("s/a"), Status::Todo, "the last change to a");
    assert_eq!(mine.status("s/b"), Status::Done);
}

#[test]
fn an_open_copy_cannot_bring_reset_progress_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    ok(&progress, &["done", "programming"]);
    ok(&progress, &["note", "git", "old note"]);
    // A TUI (here: a store in this process) read the file before the reset.
    let open = Store::new(&progress);
    let mut tui = open.load().expect("load");
    ok(&progress, &["reset", "--yes"]);
    // Its next save merges with the reset file.
    tui.roadmap_mut("backend-devops").set_status(
        "git/basics",
        Status::Done,
        jiff::Timestamp::now(),
    );
    open.save(&mut tui).expect("save");
    let after = Store::new(&progress).load().expect("load");
    let rp = after.roadmap("backend-devops").expect("roadmap");
    assert_eq!(
        rp.status("programming/terminal"),
        Status::Todo,
        "stays reset"
    );
    assert_eq!(rp.note("git"), None, "stays reset");
    assert!(
        rp.history.iter().all(|e| e.item == "git/basics"),
        "{:?}",
        rp.history
    );
    assert_eq!(
        rp.status("git/basics"),
        Status::Done,
        "a change after the reset is kept"
    );
}

#[test]
fn saving_writes_through_a_symlink_and_keeps_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let dotfiles = dir.path().join("dotfiles");
    let config = dir.path().join("config");
    std::fs::create_dir_all(&dotfiles).expect("mkdir");
    std::fs::create_dir_all(&config).expect("mkdir");
    let real = dotfiles.join("progress.yaml");
    std::fs::write(&real, "version: 2\nroadmaps: {}\n").expect("write");
    let link = config.join("progress.yaml");
    std::os::unix::fs::symlink("../dotfiles/progress.yaml", &link).expect("symlink");
    ok(&link, &["done", "programming/terminal"]);
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let text = std::fs::read_to_string(&real).expect("read");
    assert!(text.contains("programming/terminal:"), "{text}");
    assert!(
        !config.join("progress.yaml.lock").exists(),
        "the lock sits beside the real file"
    );
}

#[test]
fn a_saved_file_keeps_its_mode_and_a_new_one_is_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    ok(&progress, &["done", "programming/terminal"]);
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&progress), 0o600, "a new progress file is private");
    std::fs::set_permissions(&progress, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    ok(&progress, &["done", "programming/choose-language"]);
    assert_eq!(mode(&progress), 0o640, "the learner's choice is kept");
}

#[test]
fn killed_saves_leave_no_temporary_files_after_one_normal_save() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    ok(&progress, &["done", "programming/terminal"]);
    // What killed saves of this and earlier versions leave behind.
    for name in [
        ".progress.yaml.tmp",
        ".progress.yaml.4242.0.tmp",
        ".progress.yaml.99.7.tmp",
    ] {
        std::fs::write(dir.path().join(name), "half a file").expect("write");
    }
    ok(&progress, &["done", "programming/choose-language"]);
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_held_lock_makes_a_command_say_so_and_give_up_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    ok(&progress, &["done", "programming/terminal"]);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.path().join("progress.yaml.lock"))
        .expect("open lock");
    lock.lock().expect("hold the lock");
    // A wait of 1.2 s instead of 10: long enough for the notice at one second.
    let out = pathway(&progress, &["done", "git/basics"])
        .env("PATHWAY_LOCK_WAIT", "1.2")
        .output()
        .expect("run pathway");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("waiting for another pathway to finish saving"),
        "{err}"
    );
    assert!(err.contains("progress.yaml.lock"), "names the lock: {err}");
    // It says how long it waited: the 1.2 s asked for (whole seconds), not the default 10.
    assert!(
        err.contains("stayed locked for 1 s"),
        "the wait asked for: {err}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).is_empty(),
        "nothing claimed"
    );
    drop(lock);
    ok(&progress, &["done", "git/basics"]);
}

#[test]
fn the_progress_file_in_memory_round_trips_with_a_reset_time() {
    let mut p = Progress::default();
    p.roadmap_mut("r")
        .reset(jiff::Timestamp::from_second(100).expect("ts"));
    let text = pathway::storage::progress_yaml::write(&p);
    assert!(text.contains("    reset: "), "{text}");
    assert_eq!(pathway::storage::progress_yaml::read(&text), Some(p));
}

/// No byte of a terminal control (C0 but line feed and tab, DEL, C1) in what was printed.
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{text}");
}

#[test]
fn text_from_files_never_drives_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    let evil = "\\e[2J\\e]0;pwned\\a\\e]52;c;aGVsbG8=\\a\\u009b31m";
    std::fs::write(
        &progress,
        format!(
            "version: 2
roadmaps:
  backend-devops:
    items:
      databases/sql-basics:
        status: done
        completed: 2026-11-01T00:00:00Z
        updated: 2026-11-01T00:00:00Z
        note: \"{evil}\"
      \"git/{evil}\":
        status: done
        updated: 2026-11-01T00:00:00Z
    history:
      - \"2026-11-01T00:00:00Z git/\\e[2J note\"
"
        ),
    )
    .expect("write");
    let import = dir.path().join("import.md");
    std::fs::write(
        &import,
        format!("- [x] {}\n", "\u{1b}]52;c;aGk=\u{7} a line"),
    )
    .expect("write");
    let bad_field = dir.path().join("bad.yaml");
    std::fs::write(
        &bad_field,
        "id: x\ntitle: X\nsteps:\n  - id: a\n    title: A\n    \"\\e[2J\": 1\n",
    )
    .expect("write");
    let evil_roadmap = dir.path().join("evil.yaml");
    std::fs::write(
        &evil_roadmap,
        format!("id: x\ntitle: \"{evil}\"\nsteps:\n  - id: a\n    title: A\n"),
    )
    .expect("write");
    let import = import.to_str().expect("utf-8");
    let bad_field = bad_field.to_str().expect("utf-8");
    let evil_path = evil_roadmap.to_str().expect("utf-8");
    for args in [
        &["status"][..],
        &["note", "databases/sql-basics"],
        &["notes"],
        &["notes", "--format", "markdown"],
        &["export"],
        &["stats"],
        &["log"],
        &["review"],
        &["import", "--dry-run", import],
        &["validate", bad_field],
        &["validate", evil_path],
        &["--roadmap", evil_path, "status"],
    ] {
        let out = run(&progress, args);
        assert_clean(&format!("{args:?} stdout"), &out.stdout);
        assert_clean(&format!("{args:?} stderr"), &out.stderr);
    }
    // JSON escapes them as JSON does, and stays valid.
    let json = run(&progress, &["notes", "--format", "json"]);
    assert_clean("notes --format json", &json.stdout);
    let parsed: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    assert!(
        parsed[0]["note"]
            .as_str()
            .is_some_and(|n| n.contains('\u{1b}'))
    );
    // A roadmap that holds one is refused, pointing at it.
    let out = run(&progress, &["validate", evil_path]);
    assert!(!out.status.success());
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("evil.yaml:2:9: the roadmap's title or overview holds a control character"),
        "{shown}"
    );
}

#[test]
fn an_alias_bomb_is_refused_before_it_expands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bomb = dir.path().join("bomb.yaml");
    let big = "x".repeat(1_000_000);
    let mut text = format!(
        "id: b\ntitle: B\noverview: &big \"{big}\"\nsteps:\n  - id: s\n    title: S\n    tasks:\n"
    );
    for i in 0..6000 {
        text.push_str(&format!("      - {{id: t{i}, title: T, notes: *big}}\n"));
    }
    std::fs::write(&bomb, text).expect("write");
    // Expanded, the aliases would be 6 GB: under a 1 GB limit of memory, a clean refusal at
    // the first alias shows that none was expanded.
    let out = Command::new("sh")
        .args([
            "-c",
            &format!("ulimit -v 1000000; exec {BIN} validate {}", bomb.display()),
        ])
        .output()
        .expect("run");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{shown}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        shown.contains("bomb.yaml:3:11: anchors and aliases"),
        "{shown}"
    );
}

#[test]
fn anchors_are_found_only_where_yaml_reads_them() {
    use pathway::core::roadmap::find_anchor_or_alias as find;
    let at = |text: &str| find(text).map(|l| (l.line, l.column));
    assert_eq!(at("a: &x 1\nb: *x\n"), Some((1, 4)));
    assert_eq!(at("list:\n  - *x\n"), Some((2, 5)));
    assert_eq!(at("f: {a: 1, b: *x}\n"), Some((1, 14)));
    assert_eq!(
        at("<<: *base\n"),
        Some((1, 1)),
        "the merge key, before its alias"
    );
    for fine in [
        "title: 5 * 3 & 4\n",
        "title: \"*not an alias\"\n",
        "title: '&neither'\n",
        "title: x # *comment\n",
        "notes: |\n  * a bullet\n  & more\nnext: 1\n",
        "notes: >-\n  *emphasis*\n\n  &amp;\n",
        "url: https://example.com/a*b\n",
    ] {
        assert_eq!(at(fine), None, "{fine:?}");
    }
    assert_eq!(
        at("notes: |\n  * a bullet\nnext: *x\n"),
        Some((3, 7)),
        "after the block"
    );
}

#[test]
fn export_never_writes_over_the_files_pathway_uses() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    ok(&progress, &["done", "programming/terminal"]);
    let before = std::fs::read_to_string(&progress).expect("read");
    let roadmap = dir.path().join("mine.yaml");
    std::fs::write(
        &roadmap,
        "id: m\ntitle: M\nsteps:\n  - id: s\n    title: S\n",
    )
    .expect("write");
    let lock = dir.path().join("progress.yaml.lock");
    let sneaky = dir.path().join("sub/../progress.yaml");
    std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
    for target in [&progress, &lock, &sneaky] {
        let out = run(
            &progress,
            &["export", "-o", target.to_str().expect("utf-8")],
        );
        assert_eq!(out.status.code(), Some(2), "{}", target.display());
    }
    let out = run(
        &progress,
        &[
            "--roadmap",
            roadmap.to_str().expect("utf-8"),
            "export",
            "-o",
            roadmap.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&progress).expect("read"), before);
    // Anywhere else it writes, whole.
    let md = dir.path().join("progress.md");
    ok(&progress, &["export", "-o", md.to_str().expect("utf-8")]);
    assert!(
        std::fs::read_to_string(&md)
            .expect("read")
            .contains("- [x] Use a terminal")
    );
}

#[test]
fn an_empty_standard_input_never_deletes_a_note_and_replaced_notes_can_be_read_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    ok(&progress, &["note", "git", "first thoughts"]);
    let out = pathway(&progress, &["note", "git", "-"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("pathway note git \"\""),
        "says how to remove it: {err}"
    );
    assert_eq!(ok(&progress, &["note", "git"]), "first thoughts\n");
    ok(&progress, &["note", "git", "second thoughts"]);
    ok(&progress, &["note", "git", ""]);
    let log = ok(&progress, &["log", "--notes"]);
    assert!(log.contains("| first thoughts"), "{log}");
    assert!(log.contains("| second thoughts"), "{log}");
    let plain = ok(&progress, &["log"]);
    assert!(
        !plain.contains("first thoughts"),
        "only with --notes: {plain}"
    );
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_read_everywhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let roadmap = dir.path().join("r.yaml");
    std::fs::write(
        &roadmap,
        "\u{feff}id: c\r\ntitle: C\r\nsteps:\r\n  - id: s\r\n    title: S\r\n    tasks:\r\n      - {id: a, title: A}\r\n",
    )
    .expect("write");
    let progress = dir.path().join("progress.yaml");
    std::fs::write(
        &progress,
        "\u{feff}version: 2\r\nroadmaps:\r\n  c:\r\n    items:\r\n      s/a:\r\n        status: done\r\n",
    )
    .expect("write");
    let roadmap = roadmap.to_str().expect("utf-8");
    let out = ok(&progress, &["--roadmap", roadmap, "status"]);
    assert!(out.contains("1/1 done"), "{out}");
    ok(&progress, &["validate", roadmap]);
}

#[test]
fn devices_pipes_and_huge_files_are_read_with_a_bound() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    // Each read stops one byte past its own limit, and says so.
    for (args, bound) in [
        (
            &["validate", "/dev/zero"][..],
            "the file is over 32 MiB (33554433 bytes read)",
        ),
        (&["import", "/dev/zero"], "larger than 16 MiB, refused"),
    ] {
        let out = run(&progress, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let shown = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(shown.contains(bound), "{args:?}: {shown}");
    }
    // A roadmap to use must be a regular file.
    let out = run(&progress, &["--roadmap", "/dev/zero", "status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("/dev/zero: cannot read: it is not a regular file"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A FIFO as the progress file would block the open forever: it is refused at once.
    let fifo = dir.path().join("fifo.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let out = run(&fifo, &["status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not a regular file"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(Path::new("/dev/full"), &["status"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn problems_inside_quoted_strings_have_a_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    let roadmap = dir.path().join("q.yaml");
    std::fs::write(
        &roadmap,
        "id: x\ntitle: X\nsteps:\n  - id: \"a\\tb\"\n    title: \"T\"\n",
    )
    .expect("write");
    let out = run(&progress, &["validate", roadmap.to_str().expect("utf-8")]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("q.yaml:4:5: step 1"), "{shown}");
}

#[test]
fn a_change_to_an_item_from_a_clock_ahead_still_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    // Another machine, its clock decades ahead, marked the task done.
    std::fs::write(
        &progress,
        "version: 2\nroadmaps:\n  backend-devops:\n    items:\n      git/basics:\n        status: done\n        completed: 2099-01-01T00:00:00Z\n        updated: 2099-01-01T00:00:00Z\n",
    )
    .expect("write");
    // An open TUI has read the file.
    let open = Store::new(&progress);
    let mut tui = open.load().expect("load");
    // Here and now, the learner unticks it.
    ok(&progress, &["undo", "git/basics"]);
    // The TUI saves something else; the merge must keep the untick.
    tui.roadmap_mut("backend-devops").set_status(
        "linux/shell",
        Status::Done,
        jiff::Timestamp::now(),
    );
    open.save(&mut tui).expect("save");
    let after = Store::new(&progress).load().expect("load");
    let rp = after.roadmap("backend-devops").expect("roadmap");
    assert_eq!(rp.status("git/basics"), Status::Todo, "the untick stays");
    assert_eq!(rp.status("linux/shell"), Status::Done);
}

#[test]
fn an_import_that_contradicts_itself_changes_neither_and_an_unchanged_note_logs_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    let md = dir.path().join("in.md");
    std::fs::write(
        &md,
        "- [x] A <!-- pathway:git/basics -->\n- [ ] B <!-- pathway:git/basics -->\n- [x] C <!-- pathway:linux/shell -->\n  > my shell note\n",
    )
    .expect("write");
    let md = md.to_str().expect("utf-8");
    let out = ok(&progress, &["import", md]);
    assert!(
        out.contains("in.md:1,2: git/basics is given two different ways; left as it is"),
        "{out}"
    );
    let status = ok(&progress, &["status", "--json"]);
    assert!(status.contains("\"linux/shell\""), "{status}");
    let log_before = ok(&progress, &["log"]).lines().count();
    let again = ok(&progress, &["import", md]);
    assert!(again.contains("nothing to change"), "{again}");
    assert_eq!(
        ok(&progress, &["log"]).lines().count(),
        log_before,
        "no note edit logged"
    );
    let json: serde_json::Value = serde_json::from_str(&status).expect("json");
    let git = json["steps"][3]["tasks"][0]["status"].clone();
    assert_eq!(git, "todo", "neither line applied");
}

#[test]
fn a_pipe_in_the_roadmaps_folder_never_hangs_the_listing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    std::fs::create_dir(dir.path().join("roadmaps")).expect("mkdir");
    let made = Command::new("mkfifo")
        .arg(dir.path().join("roadmaps/evil.yaml"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    // Listed with what it is, never opened for reading (which would wait for a writer).
    let out = ok(&progress, &["roadmaps"]);
    assert!(out.contains("backend-devops"), "{out}");
    assert!(
        out.contains("roadmaps/evil.yaml: cannot read: it is not a regular file"),
        "{out}"
    );
}
