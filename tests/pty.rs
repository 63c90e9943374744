//! The real binary in a real (pseudo-)terminal: tick a task, quit, come back, see it ticked.

use crate::common::{self, Pty};

#[test]
fn a_ticked_task_is_saved_and_shown_on_the_next_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("Roadmap");
    pty.wait_for("[ ] Install your language and run");
    pty.type_keys(&["j", " "]);
    pty.wait_for("saved");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(
        pty.terminal_restored(),
        "alternate screen left and cursor shown"
    );

    let saved = std::fs::read_to_string(dir.path().join("progress.yaml")).expect("progress file");
    assert!(saved.contains("programming/choose-language:"), "{saved}");
    assert!(saved.contains("status: done"), "{saved}");
    assert!(
        !dir.path().join("config").exists(),
        "the override was used, not the config dir"
    );

    let mut again = Pty::start(dir.path(), &[], 100, 30);
    again.wait_for("[x] Install your language and run");
    again.wait_for("1/52 done");
    again.send("\x03"); // Ctrl-C
    assert_eq!(again.wait_exit(), 0);
    assert!(again.terminal_restored());
}

#[test]
fn a_broken_roadmap_is_a_one_line_error_not_a_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let roadmap = dir.path().join("bad.yaml");
    std::fs::write(
        &roadmap,
        "id: x\ntitle: X\nsteps:\n  - id: a\n    titel: A\n",
    )
    .expect("write");
    let mut pty = Pty::start(dir.path(), &["--roadmap", "bad.yaml"], 80, 24);
    assert_eq!(pty.wait_exit(), 1);
    let screen = pty.screen();
    assert!(
        screen.contains("bad.yaml:5:5: steps[0]: unknown field `titel`"),
        "{screen}"
    );
    assert!(!screen.contains("panicked"), "{screen}");
    assert!(pty.terminal_restored());
}

#[test]
fn a_note_written_with_n_is_there_after_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    pty.type_keys(&["n"]);
    pty.wait_for("Note ·");
    pty.send("Python it is ✎");
    pty.wait_for("Python it is");
    pty.type_keys(&["\x13"]); // Ctrl-S
    pty.wait_for("saved ✓");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);

    let mut again = Pty::start(dir.path(), &[], 100, 30);
    again.wait_for("Your note ✎");
    again.wait_for("Python it is ✎");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

#[test]
fn e_edits_the_note_in_the_editor_from_the_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("fake-editor");
    // An editor that appends a line to the file it is given, as a person would type it.
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'written in the editor\\n' >> \"$2\"\n",
    )
    .expect("write");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let editor = format!("{} --wait", script.display());
    let mut pty = Pty::start_with_env(dir.path(), &[], &[("EDITOR", &editor)], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    pty.type_keys(&["e"]);
    pty.wait_for("written in the editor");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let saved = std::fs::read_to_string(dir.path().join("progress.yaml")).expect("saved");
    assert!(saved.contains("note: \"written in the editor\""), "{saved}");
}

#[test]
fn a_missing_editor_is_a_message_and_the_app_keeps_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start_with_env(dir.path(), &[], &[("VISUAL", "/no/such/editor")], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    pty.type_keys(&["e"]);
    pty.wait_for("cannot start editor");
    pty.type_keys(&[" "]);
    pty.wait_for("1/52 done");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

#[test]
fn a_command_run_while_the_tui_is_open_is_neither_lost_nor_overwritten() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    let out = std::process::Command::new(common::BIN)
        .args(["done", "databases"])
        .env("PATHWAY_PROGRESS", dir.path().join("progress.yaml"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .expect("run pathway done");
    assert!(out.status.success());
    // The TUI takes the change in on its own (the system tells it the file changed): the
    // step's eight core tasks, its stretch tasks left waiting.
    pty.wait_for("8/52 done");
    pty.type_keys(&[" "]);
    pty.wait_for("9/52 done");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let saved = std::fs::read_to_string(dir.path().join("progress.yaml")).expect("saved");
    assert!(
        saved.contains("databases/migrations:\n        status: done"),
        "{saved}"
    );
    assert!(
        saved.contains("programming/terminal:\n        status: done"),
        "{saved}"
    );
}

#[test]
fn sigterm_restores_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 80, 24);
    pty.wait_for("Roadmap");
    pty.signal("TERM");
    assert_eq!(pty.wait_exit(), 143, "128 + SIGTERM");
    assert!(
        pty.terminal_restored(),
        "alternate screen left and cursor shown"
    );
}

#[test]
fn a_save_that_fails_is_reported_and_retried_on_the_next_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("sub");
    let progress = folder.join("progress.yaml");
    let progress = progress.to_str().expect("utf-8");
    let mut pty = Pty::start_with_env(dir.path(), &[], &[("PATHWAY_PROGRESS", progress)], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    // The folder the file should go in turns out to be a file: no save can succeed, even as root.
    std::fs::write(&folder, "in the way").expect("write");
    pty.type_keys(&[" "]);
    pty.wait_for("NOT SAVED");
    pty.wait_for("1/52 done");
    std::fs::remove_file(&folder).expect("remove");
    pty.type_keys(&["j", " "]);
    pty.wait_for("saved ✓");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let saved = std::fs::read_to_string(progress).expect("saved");
    assert!(
        saved.contains("programming/terminal:\n        status: done"),
        "{saved}"
    );
    assert!(
        saved.contains("programming/choose-language:\n        status: done"),
        "{saved}"
    );
}

#[test]
fn a_corrupt_progress_file_stops_the_tui_before_it_starts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let progress = dir.path().join("progress.yaml");
    std::fs::write(
        &progress,
        "version: 1\nroadmaps: {backend-devops: {items: 7}}\n",
    )
    .expect("write");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    assert_eq!(pty.wait_exit(), 1);
    let screen = pty.screen();
    assert!(screen.contains("progress.yaml:2:"), "{screen}");
    assert!(screen.contains("pathway reset --yes"), "{screen}");
    assert!(pty.terminal_restored());
    assert_eq!(
        std::fs::read_to_string(&progress).expect("read"),
        "version: 1\nroadmaps: {backend-devops: {items: 7}}\n"
    );
}

#[test]
fn a_panic_restores_the_terminal_before_the_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let env = [("PATHWAY_DEBUG_PANIC", "1"), ("RUST_BACKTRACE", "0")];
    let mut pty = Pty::start_with_env(dir.path(), &[], &env, 80, 24);
    pty.wait_for("Roadmap");
    pty.send("!");
    assert_eq!(pty.wait_exit(), 101, "the exit status of a panic");
    assert!(
        pty.terminal_restored(),
        "alternate screen left and cursor shown"
    );
    pty.wait_for("panic requested with PATHWAY_DEBUG_PANIC");
}

#[test]
fn ctrl_z_hands_the_terminal_back_and_the_app_carries_on() {
    // With no job-control shell around (the test is the session), the stop signal is discarded
    // by the kernel and pathway resumes at once: what can be checked here is that it comes back
    // whole. In a shell, it stops until `fg`.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    pty.send("\x1a");
    pty.wait_for("Roadmap");
    pty.type_keys(&[" "]);
    pty.wait_for("1/52 done");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

#[test]
fn esc_at_the_top_and_alt_q_do_not_quit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    // Apart, so the terminal reads three presses: Esc, Alt-q, Esc; each read before the next.
    for keys in ["\x1b", "\x1bq", "\x1b"] {
        pty.send(keys);
        pty.settle();
    }
    assert!(pty.running(), "still open:\n{}", pty.screen());
    // Still answering keys: the help opens, and Esc closes it without quitting.
    pty.type_keys(&["?"]);
    pty.wait_for("About this roadmap");
    pty.type_keys(&["\x1b"]);
    pty.type_keys(&["?"]);
    pty.wait_for("About this roadmap");
    pty.type_keys(&["q"]);
    assert!(pty.running());
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

#[test]
fn pasted_text_never_runs_as_keys() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    // While browsing: ignored, and said so.
    pty.send("\x1b[200~j j s j i j\rq\x1b[201~");
    pty.wait_for("pasted text is ignored");
    // In the filter: text, not keys.
    pty.type_keys(&["/"]);
    pty.send("\x1b[200~syntax\rj j s j i j\rq\x1b[201~");
    pty.wait_for("/syntax");
    pty.settle();
    assert!(pty.running(), "q in a paste does not quit");
    assert!(
        pty.screen().contains("0/52 done") || pty.screen().contains("0% "),
        "nothing ticked:\n{}",
        pty.screen()
    );
    assert!(!dir.path().join("progress.yaml").exists(), "nothing saved");
    pty.type_keys(&["\x1b"]);
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn sigquit_ends_cleanly_like_sigterm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 80, 24);
    pty.wait_for("Roadmap");
    pty.signal("QUIT");
    assert_eq!(pty.wait_exit(), 131, "128 + SIGQUIT");
    assert!(pty.terminal_restored());
}

#[test]
fn an_external_tstp_suspends_and_the_app_comes_back_whole() {
    // As with Ctrl-Z, no shell here does job control, so the kernel drops the stop itself:
    // what is checked is that pathway gives the terminal back, takes it again and redraws.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    let before = pty.written();
    pty.signal("TSTP");
    // Given back (the screen restored) and taken again (the frame drawn anew).
    pty.wait_for_output_after(before);
    pty.wait_for("[ ] Install your language and run");
    assert!(pty.running());
    pty.type_keys(&[" "]);
    pty.wait_for("1/52 done");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    assert!(pty.terminal_restored());
}

#[test]
fn sigterm_while_the_editor_is_open_keeps_what_was_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).expect("mkdir");
    let script = dir.path().join("slow-editor");
    // Writes a line, then waits to be told to stop, as an editor with a saved buffer would.
    std::fs::write(
        &script,
        "#!/bin/sh\nprintf 'typed before the signal\\n' >> \"$1\"\ntrap 'exit 0' TERM\nwhile :; do sleep 0.1; done\n",
    )
    .expect("write");
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
        .expect("chmod");
    let editor = script.display().to_string();
    let tmpdir = tmp.display().to_string();
    let mut pty = Pty::start_with_env(
        dir.path(),
        &[],
        &[("EDITOR", &editor), ("TMPDIR", &tmpdir)],
        100,
        30,
    );
    pty.wait_for("[ ] Install your language and run");
    pty.send("e");
    // Wait until the editor has written its line into the note file.
    let start = std::time::Instant::now();
    loop {
        let written = std::fs::read_dir(&tmp)
            .expect("read tmp")
            .flatten()
            .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("typed")));
        if written {
            break;
        }
        assert!(start.elapsed().as_secs() < 20, "the editor never wrote");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let notes: Vec<_> = std::fs::read_dir(&tmp)
        .expect("read tmp")
        .flatten()
        .collect();
    let mode = notes[0].metadata().expect("meta").permissions();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
        0o600,
        "the note file is private"
    );
    pty.signal("TERM");
    assert_eq!(pty.wait_exit(), 143, "128 + SIGTERM");
    assert!(pty.terminal_restored());
    let saved = std::fs::read_to_string(dir.path().join("progress.yaml")).expect("saved");
    assert!(saved.contains("typed before the signal"), "{saved}");
    let left = std::fs::read_dir(&tmp).expect("read tmp").count();
    assert_eq!(left, 0, "the temporary note is removed");
}

#[test]
fn r_switches_roadmaps_and_the_choice_is_reopened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let made = std::process::Command::new(common::BIN)
        .args(["new", "mine"])
        .env("PATHWAY_PROGRESS", dir.path().join("progress.yaml"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .expect("pathway new");
    assert!(made.status.success());
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("Backend → DevOps & Cloud");
    pty.type_keys(&["R"]);
    pty.wait_for("Roadmaps · enter open");
    // Moving the selection changes only colours, which `type_keys` sees.
    pty.type_keys(&["j", "\r"]);
    pty.wait_for("pathway · My roadmap");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let mut again = Pty::start(dir.path(), &[], 100, 30);
    again.wait_for("pathway · My roadmap");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

#[test]
fn a_held_lock_never_freezes_the_tui_and_the_change_is_saved_once_it_is_free() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start(dir.path(), &[], 100, 30);
    pty.wait_for("[ ] Install your language and run");
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(dir.path().join("progress.yaml.lock"))
        .expect("open lock");
    lock.lock().expect("hold the lock");
    pty.type_keys(&[" "]);
    pty.wait_for("waiting for another pathway to finish saving");
    // Still answering keys while it waits.
    pty.type_keys(&["j"]);
    pty.type_keys(&["?"]);
    pty.wait_for("About this roadmap");
    pty.type_keys(&["\x1b"]);
    drop(lock);
    pty.wait_for("saved ✓");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let saved = std::fs::read_to_string(dir.path().join("progress.yaml")).expect("saved");
    assert!(
        saved.contains("programming/terminal:\n        status: done"),
        "{saved}"
    );
}

/// Whether a process whose command line contains `needle` is running.
fn running(needle: &str) -> bool {
    std::fs::read_dir("/proc")
        .map(|dir| {
            dir.flatten().any(|entry| {
                std::fs::read(entry.path().join("cmdline"))
                    .map(|c| {
                        String::from_utf8_lossy(&c)
                            .replace('\0', " ")
                            .contains(needle)
                    })
                    .unwrap_or(false)
            })
        })
        .unwrap_or(false)
}

#[test]
fn a_slow_check_keeps_the_screen_answering_and_esc_stops_it_leaving_nothing_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = format!("37.{}", std::process::id());
    let roadmap = dir.path().join("slow.yaml");
    std::fs::write(
        &roadmap,
        format!(
            "id: slow\ntitle: Slow\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - id: wait\n        title: Wait a while\n        check:\n          - run: \"sleep {marker}\"\n            timeout: 120\n            hint: it waits\n      - {{id: next, title: Next task}}\n"
        ),
    )
    .expect("write");
    let roadmap = roadmap.to_str().expect("utf-8");
    let approve = std::process::Command::new(common::BIN)
        .args(["--roadmap", roadmap, "trust", "--yes"])
        .env("PATHWAY_PROGRESS", dir.path().join("progress.yaml"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .expect("trust");
    assert!(approve.status.success());
    // With no project folder set, nothing runs: v says how to set one.
    let mut pty = Pty::start(dir.path(), &["--roadmap", roadmap], 100, 30);
    pty.wait_for("[ ] Wait a while");
    pty.type_keys(&["v"]);
    pty.wait_for("no project folder is set");
    assert!(!running(&format!("sleep {marker}")), "nothing ran");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let settings = dir.path().join("config").join("pathway");
    std::fs::create_dir_all(&settings).expect("mkdir");
    std::fs::write(
        settings.join("config.yaml"),
        format!(
            "checks:\n  project: {:?}\n",
            dir.path().display().to_string()
        ),
    )
    .expect("settings");
    let mut pty = Pty::start(dir.path(), &["--roadmap", roadmap], 100, 30);
    pty.wait_for("[ ] Wait a while");
    pty.type_keys(&["v"]);
    pty.wait_for("checking wait");
    assert!(running(&format!("sleep {marker}")), "the check runs");
    // The screen still answers keys while the check runs.
    pty.type_keys(&["j"]);
    pty.wait_for("Next task");
    pty.wait_for("checking wait");
    pty.send("\x1b");
    pty.wait_for("checks stopped");
    let gone = (0..50).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        !running(&format!("sleep {marker}"))
    });
    assert!(gone, "nothing the check started is left running");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

#[test]
fn a_link_no_browser_can_open_is_shown_whole_on_a_line_of_its_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut pty = Pty::start_with_env(dir.path(), &[], &[("BROWSER", "/no/such/browser")], 60, 24);
    pty.wait_for("Use a terminal");
    pty.send("o");
    pty.wait_for("Open it yourself");
    let screen = pty.screen();
    let address = screen
        .lines()
        .find(|l| l.starts_with("https://"))
        .unwrap_or_else(|| panic!("the address from the first column: {screen}"));
    assert!(!address.contains('…') && !address.contains('│'), "{screen}");
    assert!(screen.contains("$BROWSER could not be started"), "{screen}");
    // Esc closes it (and is answered before the next key, which would otherwise read as Alt-q).
    pty.type_keys(&["\x1b"]);
    assert!(
        !pty.screen().contains("Open it yourself"),
        "{}",
        pty.screen()
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}
