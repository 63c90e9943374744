//! What happens when things go wrong: two writers at once, a process killed mid-save.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use pathway::core::progress::Status;
use pathway::storage::store::Store;

const BIN: &str = env!("CARGO_BIN_EXE_pathway");

fn pathway(progress: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("PATHWAY_PROGRESS", progress)
        .env("XDG_CONFIG_HOME", progress.with_file_name("config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn two_processes_changing_different_tasks_at_once_lose_nothing() {
    let dir = crate::common::tempdir();
    let progress = dir.path().join("progress.yaml");
    // Each writer flips its own task 200 times and ends on a status of its own.
    let writer = |task: &'static str, last: &'static str, progress: PathBuf| {
        thread::spawn(move || {
            for i in 0..200 {
                let verb = if i % 2 == 1 { last } else { "undo" };
                let out = pathway(&progress, &[verb, task]).output().expect("run");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        })
    };
    let a = writer("programming/syntax", "done", progress.clone());
    let b = writer("databases/indexes", "skip", progress.clone());
    a.join().expect("writer a");
    b.join().expect("writer b");
    let saved = Store::new(&progress).load().expect("a valid file");
    let rp = saved.roadmap("backend-devops").expect("roadmap");
    assert_eq!(rp.status("programming/syntax"), Status::Done);
    assert_eq!(rp.status("databases/indexes"), Status::Skipped);
}

/// A roadmap big enough that saving its progress takes a while, so kills land mid-save.
fn big_roadmap(dir: &Path) -> PathBuf {
    let mut text = String::from("id: big\ntitle: Big\nsteps:\n");
    for s in 0..10 {
        text.push_str(&format!("  - id: s{s}\n    title: Step {s}\n    tasks:\n"));
        for t in 0..500 {
            text.push_str(&format!("      - {{id: t{t}, title: Task {t}}}\n"));
        }
    }
    let path = dir.join("big.yaml");
    std::fs::write(&path, text).expect("write roadmap");
    path
}

#[test]
fn a_process_killed_at_any_moment_leaves_a_file_that_parses() {
    let dir = crate::common::tempdir();
    let progress = dir.path().join("progress.yaml");
    let roadmap = big_roadmap(dir.path());
    let roadmap = roadmap.to_str().expect("utf-8");
    let ids: Vec<String> = (0..10).map(|s| format!("s{s}")).collect();
    let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    ids.insert(0, "done");
    let status = pathway(&progress, &["--roadmap", roadmap, "done", "s0"])
        .status()
        .expect("run");
    assert!(status.success());
    let mut killed_before_the_end = 0;
    for round in 0..30u64 {
        let verb = if round % 2 == 0 { "undo" } else { "done" };
        ids[0] = verb;
        let mut args = vec!["--roadmap", roadmap];
        args.extend(&ids);
        let mut child = pathway(&progress, &args).spawn().expect("spawn");
        // Spread the kills over start-up, parsing, saving and exit.
        thread::sleep(Duration::from_millis((round * 7919) % 80));
        if child.try_wait().expect("try_wait").is_none() {
            killed_before_the_end += 1;
        }
        child.kill().ok(); // SIGKILL
        child.wait().expect("wait");
        let loaded = Store::new(&progress).load();
        assert!(loaded.is_ok(), "round {round}: {:?}", loaded.err());
        let text = std::fs::read_to_string(&progress).expect("the file is always there");
        assert!(text.starts_with("version: 4\n"), "round {round}");
    }
    assert!(
        killed_before_the_end > 0,
        "some kills must land while the process runs"
    );
}
