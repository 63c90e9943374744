//! Checks that cannot be turned against the learner (issue 30): nothing a check started
//! outlives pathway, only `y` approves, and the files and listings stay honest. Real processes,
//! each test in a temporary folder of its own.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, Pty};

/// A roadmap whose one check starts a long `sleep` and writes its process id.
const SLEEPER: &str = "id: sleeper\ntitle: Sleeper\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - id: t\n        title: T\n        check:\n          - run: \"echo $$ > sleep.pid; exec sleep 300\"\n            timeout: 300\n";

/// pathway with its progress, settings and approvals in `dir`, never the machine's own.
fn pathway(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(common::BIN);
    cmd.args(args)
        .current_dir(dir)
        .env("PATHWAY_PROGRESS", dir.join("progress.yaml"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .stdin(Stdio::null());
    cmd
}

/// The sleeper roadmap in `dir`, approved, with `dir` as the project folder in the settings.
fn approved_sleeper(dir: &Path) -> PathBuf {
    let roadmap = dir.join("sleeper.yaml");
    std::fs::write(&roadmap, SLEEPER).expect("write roadmap");
    let settings = dir.join("config/pathway");
    std::fs::create_dir_all(&settings).expect("mkdir");
    std::fs::write(
        settings.join("config.yaml"),
        format!("checks:\n  project: {:?}\n", dir.display().to_string()),
    )
    .expect("write settings");
    let out = pathway(dir, &["--roadmap", "sleeper.yaml", "trust", "--yes"])
        .output()
        .expect("trust");
    assert!(out.status.success(), "{out:?}");
    roadmap
}

/// Waits (a bound that only stops a hang) for the check's `sleep` to write its process id.
fn sleep_pid(dir: &Path) -> u32 {
    let start = Instant::now();
    loop {
        if let Some(pid) = std::fs::read_to_string(dir.join("sleep.pid"))
            .ok()
            .and_then(|text| text.trim().parse().ok())
        {
            return pid;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the check never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether a process runs (a zombie, dead but not yet reaped, does not count).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat.rsplit_once(')')?.1.trim_start().chars().next()?;
            Some(state != 'Z')
        })
        .unwrap_or(false)
}

fn kill(pid: u32, signal: &str) {
    let _ = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status();
}

/// Waits for `child` to end, killing it after a bound that only stops a hang.
fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("pathway did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_terminated_or_hung_up_check_command_leaves_nothing_running() {
    for signal in ["TERM", "HUP"] {
        let dir = tempfile::tempdir().expect("tempdir");
        approved_sleeper(dir.path());
        let mut child = pathway(dir.path(), &["--roadmap", "sleeper.yaml", "check", "s/t"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn pathway check");
        let sleeper = sleep_pid(dir.path());
        kill(child.id(), signal);
        let status = wait_exit(&mut child);
        let still_running = alive(sleeper);
        kill(sleeper, "KILL");
        assert!(
            !still_running,
            "SIG{signal}: the check's sleep outlived pathway"
        );
        let code = if signal == "TERM" { 143 } else { 129 };
        assert_eq!(status.code(), Some(code), "SIG{signal}");
    }
}

#[test]
fn quitting_or_terminating_the_checklist_while_a_check_runs_leaves_nothing_running() {
    for ending in ["q", "TERM", "HUP"] {
        let dir = tempfile::tempdir().expect("tempdir");
        approved_sleeper(dir.path());
        let mut pty = Pty::start(dir.path(), &["--roadmap", "sleeper.yaml"], 100, 30);
        pty.wait_for("Sleeper");
        // On the step: its tasks' checks, here the one.
        pty.send("v");
        let sleeper = sleep_pid(dir.path());
        if ending == "q" {
            pty.send("q");
        } else {
            pty.signal(ending);
        }
        pty.wait_exit();
        let still_running = alive(sleeper);
        kill(sleeper, "KILL");
        assert!(
            !still_running,
            "{ending}: the check's sleep outlived pathway"
        );
        assert!(pty.terminal_restored(), "{ending}");
    }
}

/// A roadmap of its own id whose one check reads a file.
fn roadmap_with_id(id: &str) -> String {
    format!(
        "id: {id}\ntitle: T\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - id: t\n        title: T\n        check:\n          - file: notes.md\n"
    )
}

#[test]
fn concurrent_approvals_are_all_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ids: Vec<String> = (0..18).map(|i| format!("road{i}")).collect();
    for id in &ids {
        std::fs::write(dir.path().join(format!("{id}.yaml")), roadmap_with_id(id)).expect("write");
    }
    // Six at once, three times over: without the lock, each read-change-write forgot what
    // the others wrote in between.
    for round in ids.chunks(6) {
        let children: Vec<Child> = round
            .iter()
            .map(|id| {
                pathway(
                    dir.path(),
                    &["--roadmap", &format!("{id}.yaml"), "trust", "--yes"],
                )
                .stdout(Stdio::null())
                .spawn()
                .expect("spawn")
            })
            .collect();
        for mut child in children {
            assert!(wait_exit(&mut child).success());
        }
    }
    let file = std::fs::read_to_string(dir.path().join("trusted-checks")).expect("approvals");
    for id in &ids {
        assert!(
            file.lines().any(|l| l.starts_with(&format!("{id} "))),
            "{id} lost:\n{file}"
        );
    }
}

#[test]
fn an_approvals_file_pathway_did_not_write_is_an_error_and_never_replaced() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("mine.yaml"), roadmap_with_id("mine")).expect("write");
    let approvals = dir.path().join("trusted-checks");
    let big = format!("other {}\n", "a".repeat(64)).repeat(5000);
    std::fs::write(&approvals, &big).expect("write");
    for args in [
        &["--roadmap", "mine.yaml", "trust", "--yes"][..],
        &["--roadmap", "mine.yaml", "check", "s/t"][..],
    ] {
        let out = pathway(dir.path(), args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            err.contains("trusted-checks") && err.contains("larger"),
            "{err}"
        );
    }
    assert_eq!(std::fs::read_to_string(&approvals).expect("kept"), big);

    std::fs::remove_file(&approvals).expect("rm");
    std::fs::create_dir(&approvals).expect("mkdir");
    let out = pathway(dir.path(), &["--roadmap", "mine.yaml", "trust", "--yes"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("trusted-checks"),
        "{err}"
    );
    assert!(approvals.is_dir());
}

#[test]
fn anchors_aliases_and_merge_keys_are_found_wherever_yaml_reads_them() {
    use pathway::core::roadmap::{Refused, refused};
    let at = |text: &str| refused(text).map(|(l, why)| (l.line, l.column, why));
    // A plain value ending in ` |` is not a block scalar: what follows is read as YAML.
    assert_eq!(
        at("title: a |\nnotes: &x long\nsummary: *x\n"),
        Some((2, 8, Refused::Anchor))
    );
    assert_eq!(
        at("steps:\n  - {id: a, title: &t T}\n"),
        Some((2, 20, Refused::Anchor))
    );
    assert_eq!(
        at("a:\n  b: {c: 1}\n  <<: {d: 2}\n"),
        Some((3, 3, Refused::MergeKey))
    );
    for fine in [
        "title: \"<<\"\n",
        "notes: |\n  &x *y <<: z\nnext: 1\n",
        "list: ['<<', \"*\"]\n",
        "value: <<\n",
    ] {
        assert_eq!(at(fine), None, "{fine:?}");
    }
}

/// Runs pathway with its data segment (heap) limited to `mib` MiB, as `ulimit -d` does.
fn with_heap_limit(dir: &Path, mib: u64, args: &str) -> std::process::Output {
    Command::new("sh")
        .args([
            "-c",
            &format!("ulimit -d {}; exec {} {args}", mib * 1024, common::BIN),
        ])
        .current_dir(dir)
        .env("PATHWAY_PROGRESS", dir.join("progress.yaml"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .stdin(Stdio::null())
        .output()
        .expect("run pathway")
}

#[test]
fn a_roadmap_of_one_string_aliased_400_times_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The step's lines are indented below a plain value ending in ` |`, which a text scanner
    // took for a block scalar, skipping the anchor and the aliases below it.
    let tasks: String = (0..400)
        .map(|i| format!("  - {{id: t{i}, title: *big}}\n"))
        .collect();
    let text = format!(
        "id: bomb\ntitle: Bomb\nsteps:\n- title: a |\n  id: s\n  summary: &big \"{}\"\n  tasks:\n{tasks}",
        "x".repeat(1024 * 1024)
    );
    std::fs::write(dir.path().join("bomb.yaml"), text).expect("write");
    // 400 copies of a 1 MiB string are 400 MiB: under a 48 MiB heap, expanding them aborts.
    let out = with_heap_limit(dir.path(), 48, "validate bomb.yaml");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("bomb.yaml:6:12: anchors and aliases"),
        "refused with the file, line and column: {said}"
    );
}

#[test]
fn a_check_says_passed_only_once_its_result_is_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let roadmap = "id: ok\ntitle: Ok\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - id: t\n        title: T\n        check:\n          - run: \"true\"\n";
    std::fs::write(dir.path().join("ok.yaml"), roadmap).expect("write");
    let trusted = pathway(dir.path(), &["--roadmap", "ok.yaml", "trust", "--yes"])
        .output()
        .expect("trust");
    assert!(trusted.status.success());
    // A file-size limit of zero, as a full disk: every write of the progress file fails.
    let out = Command::new("sh")
        .args([
            "-c",
            &format!(
                "ulimit -f 0; exec {} --roadmap ok.yaml check s/t --project .",
                common::BIN
            ),
        ])
        .current_dir(dir.path())
        .env("PATHWAY_PROGRESS", dir.path().join("progress.yaml"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let (said, err) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(!out.status.success(), "{said}{err}");
    assert!(!said.contains("passed"), "{said}");
    assert!(err.contains("NOT saved"), "{err}");

    let out = pathway(
        dir.path(),
        &["--roadmap", "ok.yaml", "check", "s/t", "--project", "."],
    )
    .output()
    .expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("✓ passed"));
}
