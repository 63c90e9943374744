//! The progress file: round trips, roadmap changes, and files that must never be overwritten.

use std::fs;

use jiff::Timestamp;
use pathway::core::progress::{self, Progress, Status};
use pathway::core::roadmap::Roadmap;
use pathway::storage::store::{self, Store};
use pathway::tui::app::{Action, App};
use pathway::tui::config::Config;

/// The configuration these run with: the default keys, colours and review settings, and dates
/// in UTC so that no screen depends on the machine's time zone.
fn config() -> &'static Config {
    static CONFIG: std::sync::LazyLock<Config> =
        std::sync::LazyLock::new(|| Config::default().with_time_zone(jiff::tz::TimeZone::UTC));
    &CONFIG
}

const ROADMAP: &str = "\
id: r
title: R
steps:
  - id: one
    title: One
    tasks:
      - {id: a, title: A}
      - {id: b, title: B}
";

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).expect("valid")
}

#[test]
fn progress_round_trips_through_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::new(dir.path().join("nested/progress.yaml"));
    let mut progress = Progress::default();
    let rp = progress.roadmap_mut("r");
    rp.set_status("one/a", Status::Done, at(1_000));
    rp.set_status("one/b", Status::InProgress, at(2_000));
    rp.set_note(
        "one/b",
        "Unicode ✎ 日本語\nsecond line: with # and 'quotes'\n  indented",
        at(3_000),
    );
    rp.set_note("one", &"a very long line ".repeat(200), at(3_000));
    store
        .save(&mut progress.clone())
        .expect("save creates the folder");
    assert_eq!(store.load().expect("load"), progress);
}

#[test]
fn saving_merges_what_another_process_saved_meanwhile() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Two processes: each has its own store on the same file.
    let store = Store::new(dir.path().join("progress.yaml"));
    let other = Store::new(dir.path().join("progress.yaml"));
    let mut first = other.load().expect("load");
    let mut second = store.load().expect("load");
    first
        .roadmap_mut("r")
        .set_status("one/a", Status::Done, at(10));
    assert!(
        !other.save(&mut first).expect("save"),
        "nothing else to merge"
    );
    second
        .roadmap_mut("r")
        .set_status("one/b", Status::Skipped, at(20));
    assert!(
        store.save(&mut second).expect("save"),
        "first's change came in"
    );
    let on_disk = store.load().expect("load");
    assert_eq!(second, on_disk, "save leaves the merged progress in place");
    let rp = on_disk.roadmap("r").expect("r");
    assert_eq!(
        (rp.status("one/a"), rp.status("one/b")),
        (Status::Done, Status::Skipped)
    );
}

#[test]
fn a_file_that_became_unreadable_is_not_saved_over() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("progress.yaml");
    let store = Store::new(&path);
    fs::write(&path, "version: 1\nroadmaps: [broken\n").expect("write");
    let err = store.save(&mut Progress::default()).expect_err("refused");
    assert!(format!("{err:#}").contains("progress.yaml:"), "{err:#}");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        "version: 1\nroadmaps: [broken\n"
    );
}

#[test]
fn a_missing_file_is_a_fresh_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::new(dir.path().join("progress.yaml"));
    assert_eq!(store.load().expect("load"), Progress::default());
}

#[test]
fn saving_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::new(dir.path().join("progress.yaml"));
    for i in 0..3 {
        let mut progress = Progress::default();
        progress
            .roadmap_mut("r")
            .set_status("one/a", Status::Done, at(i));
        store.save(&mut progress).expect("save");
    }
    let names: Vec<_> = fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    let mut names: Vec<String> = names
        .iter()
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["progress.yaml", "progress.yaml.lock"]);
}

#[test]
fn progress_of_removed_tasks_and_other_roadmaps_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::new(dir.path().join("progress.yaml"));
    let mut progress = Progress::default();
    progress
        .roadmap_mut("r")
        .set_status("gone/x", Status::Done, at(5));
    progress
        .roadmap_mut("other")
        .set_status("s/t", Status::Done, at(6));
    store.save(&mut progress).expect("save");

    // The roadmap no longer has step "gone"; ticking a task there must not drop it.
    let roadmap = Roadmap::parse(ROADMAP, "r.yaml").expect("valid");
    let mut app = App::new(roadmap, store.load().expect("load"));
    app.handle(Action::ToggleDone, at(10), config());
    app.save_with(|p| store.save(p), config()).expect("save");

    let reloaded = store.load().expect("load");
    let rp = reloaded.roadmap("r").expect("roadmap r");
    assert_eq!(rp.status("gone/x"), Status::Done);
    assert_eq!(rp.status("one/a"), Status::Done);
    assert_eq!(
        reloaded.roadmap("other").map(|o| o.status("s/t")),
        Some(Status::Done)
    );
}

fn assert_refused_and_untouched(contents: &str, expected: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("progress.yaml");
    fs::write(&path, contents).expect("write");
    let err = Store::new(&path).load().expect_err("must be refused");
    let shown = format!("{err:#}");
    assert!(
        shown.contains(&path.display().to_string()),
        "names the file: {shown}"
    );
    assert!(shown.contains(expected), "{expected:?} in {shown}");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        contents,
        "bytes unchanged"
    );
}

#[test]
fn a_corrupt_file_is_refused_with_its_line_and_column() {
    assert_refused_and_untouched(
        "version: 1\nroadmaps: [unclosed\n",
        "progress.yaml:3:1: did not find",
    );
}

#[test]
fn wrong_types_are_refused() {
    let text = "version: 1\nroadmaps:\n  r:\n    items:\n      one/a:\n        status: finished\n";
    assert_refused_and_untouched(
        text,
        "progress.yaml:6:17: roadmaps.r.items.one/a.status: unknown variant `finished`",
    );
}

#[test]
fn a_file_from_a_newer_pathway_is_refused() {
    let text = format!(
        "version: {}\nroadmaps: {{}}\nfuture: yes\n",
        progress::VERSION + 1
    );
    assert_refused_and_untouched(&text, "newer pathway");
}

#[test]
fn an_empty_or_truncated_file_is_refused() {
    assert_refused_and_untouched("", "empty");
    assert_refused_and_untouched(
        "version: 1\nroadmaps:\n  r:\n    items:\n      one/a:\n        status: do",
        "progress.yaml:6:17: ",
    );
}

#[test]
fn a_save_that_cannot_happen_is_an_error_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The folder the progress file should live in is a file: no write can succeed, even as root.
    let blocker = dir.path().join("not-a-dir");
    fs::write(&blocker, "x").expect("write");
    let store = Store::new(blocker.join("progress.yaml"));
    let err = store
        .save(&mut Progress::default())
        .expect_err("cannot save");
    assert!(format!("{err:#}").contains("not-a-dir"), "{err:#}");
    assert_eq!(fs::read_to_string(&blocker).expect("read"), "x");
}

#[test]
fn the_progress_flag_beats_the_environment_which_beats_the_config_dir() {
    use std::path::{Path, PathBuf};
    let config = Some(PathBuf::from("/home/me/.config/pathway"));
    let env = Some(std::ffi::OsString::from("/env/p.yaml"));
    let flag = Some(Path::new("/flag/p.yaml"));
    let resolve = |flag, env: Option<std::ffi::OsString>| {
        store::resolve_path(flag, env, config.clone()).expect("a path")
    };
    assert_eq!(resolve(flag, env.clone()), PathBuf::from("/flag/p.yaml"));
    assert_eq!(resolve(None, env), PathBuf::from("/env/p.yaml"));
    assert_eq!(
        resolve(None, None),
        PathBuf::from("/home/me/.config/pathway/progress.yaml")
    );
    assert_eq!(
        resolve(None, Some("".into())),
        PathBuf::from("/home/me/.config/pathway/progress.yaml")
    );
    assert!(store::resolve_path(None, None, None).is_err());
}

/// The read limit the tests below give a store: the 64 MiB pathway reads would take seconds to
/// write and read back in a test build; `the_binary_reads_at_most_64_mib_of_progress` shows the
/// binary's own.
const LIMIT: u64 = 1024 * 1024;

/// Progress whose notes add up to about `kib` KiB, in notes of 64 KiB on keys starting with
/// `prefix`.
fn heavy(prefix: &str, kib: usize) -> Progress {
    let mut progress = Progress::default();
    let note = "x".repeat(64 * 1024 - 16);
    let rp = progress.roadmap_mut("r");
    for i in 0..kib / 64 {
        rp.set_note(&format!("{prefix}/{i}"), &note, at(1 + i as i64));
    }
    progress
}

#[test]
fn a_save_past_the_read_limit_fails_and_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::new(dir.path().join("progress.yaml")).with_read_limit(LIMIT);
    let mut small = Progress::default();
    small
        .roadmap_mut("r")
        .set_status("one/a", Status::Done, at(1));
    store.save(&mut small).expect("save");
    let before = fs::read(store.path()).expect("read");
    let mut huge = heavy("one", LIMIT as usize / 1024 + 128);
    let err = store.save(&mut huge).expect_err("over the limit");
    assert!(
        format!("{err:#}").contains("not saved: the progress for"),
        "{err:#}"
    );
    assert!(format!("{err:#}").contains("over the 1 MiB"), "{err:#}");
    assert_eq!(fs::read(store.path()).expect("read"), before, "untouched");
}

#[test]
fn merge_file_refuses_a_result_past_the_read_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Each side under the limit, both together over it.
    let half = LIMIT as usize / 1024 / 2 + 128;
    let paths: Vec<_> = ["ours", "theirs"]
        .iter()
        .map(|n| dir.path().join(format!("{n}.yaml")))
        .collect();
    fs::write(
        &paths[0],
        pathway::storage::progress_yaml::write(&heavy("ours", half)),
    )
    .expect("ours");
    fs::write(
        &paths[1],
        pathway::storage::progress_yaml::write(&heavy("theirs", half)),
    )
    .expect("theirs");
    for path in &paths {
        let len = fs::metadata(path).expect("size").len();
        assert!(len < LIMIT, "{len}: each side is readable");
    }
    let before = fs::read(&paths[0]).expect("read");
    // No common ancestor: Git hands over an empty file.
    let base = dir.path().join("base.yaml");
    fs::write(&base, "").expect("base");
    let err =
        pathway::cli::merge_files(&base, &paths[0], &paths[1], LIMIT).expect_err("over the limit");
    assert!(err.contains("not saved"), "{err}");
    assert_eq!(fs::read(&paths[0]).expect("read"), before, "ours untouched");
    // The same two files merge under a limit that holds them both.
    pathway::cli::merge_files(&base, &paths[0], &paths[1], 4 * LIMIT).expect("merged");
    let merged = Store::new(&paths[0]).load().expect("load");
    assert_eq!(
        merged.roadmap("r").map(|r| r.items.len()),
        Some(2 * half / 64)
    );
}

/// The limits above are the binary's 64 MiB: a progress file one byte over it is refused, by
/// the commands and by Git's merge driver, without reading it into a progress (the file is
/// sparse: nothing of it is written to disk).
#[test]
fn the_binary_reads_at_most_64_mib_of_progress() {
    assert_eq!(store::MAX_PROGRESS_BYTES, 64 * 1024 * 1024);
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.yaml");
    fs::File::create(&big)
        .and_then(|f| f.set_len(store::MAX_PROGRESS_BYTES + 1))
        .expect("a sparse file");
    let ours = dir.path().join("ours.yaml");
    fs::write(&ours, "version: 3\nroadmaps: {}\n").expect("ours");
    let run = |args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pathway"))
            .args(args)
            .env("PATHWAY_PROGRESS", &big)
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = run(&["status".as_ref()]);
    assert!(
        said.contains("big.yaml: larger than 64 MiB, refused"),
        "{said}"
    );
    let said = run(&[
        "merge-file".as_ref(),
        ours.as_ref(),
        ours.as_ref(),
        big.as_ref(),
    ]);
    assert!(
        said.contains("big.yaml: larger than 64 MiB, refused"),
        "{said}"
    );
    assert_eq!(
        fs::read_to_string(&ours).expect("read"),
        "version: 3\nroadmaps: {}\n",
        "ours untouched"
    );
    assert_eq!(
        fs::metadata(&big).expect("size").len(),
        store::MAX_PROGRESS_BYTES + 1
    );
}
