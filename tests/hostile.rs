//! Hostile inputs of issue 18, one test each, through the real binary where they reach it:
//! names and text that reach the terminal, files pathway owns, settings no one would write by
//! hand, a leftover environment, ids that look like files, files that are not files, and a note
//! too large for the inline editor.

use pathway::tui::config::Config;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The configuration these run with: the default keys, colours and review settings, and dates
/// in UTC so that no screen depends on the machine's time zone.
fn config() -> &'static Config {
    static CONFIG: std::sync::LazyLock<Config> =
        std::sync::LazyLock::new(|| Config::default().with_time_zone(jiff::tz::TimeZone::UTC));
    &CONFIG
}

const BIN: &str = env!("CARGO_BIN_EXE_pathway");

/// pathway's files in a temporary directory: the progress file in `dir`, the config directory
/// at `dir/config` (so the settings file is `dir/config/pathway/config.yaml`).
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn progress(&self) -> PathBuf {
        self.path("progress.yaml")
    }

    fn settings(&self) -> PathBuf {
        self.path("config/pathway/config.yaml")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(self.dir.path())
            .env("PATHWAY_PROGRESS", self.progress())
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env_remove("PATHWAY_CONFIG")
            .env_remove("PATHWAY_COMPLETE")
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run pathway")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?} failed: {}", stderr(&out));
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Writes a file (its folders made first) and returns its path.
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
        path
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// A task's status, from `status --json`.
fn task_status(env: &Env, id: &str) -> String {
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["status", "--json"])).expect("json");
    let steps = json["steps"].as_array().expect("steps");
    steps
        .iter()
        .flat_map(|s| s["tasks"].as_array().cloned().unwrap_or_default())
        .find(|t| t["id"] == id)
        .and_then(|t| t["status"].as_str().map(str::to_string))
        .expect("the task is in the status")
}

fn roadmap_yaml(id: &str, title: &str) -> String {
    format!(
        "id: {id}\ntitle: \"{title}\"\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - {{id: t, title: T}}\n"
    )
}

/// Neither a terminal control nor a bidirectional control in what was printed.
fn assert_printable(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what} printed {bad:?}:\n{text}");
}

#[test]
fn file_names_and_bidi_controls_never_split_or_reorder_a_printed_line() {
    let env = Env::new();
    // A name that, printed raw, would forge a second line and flip the rest of the line.
    let sneaky = "roadmaps/evil\nmine.yaml: ok, 99 steps\u{202e}.yaml";
    let file = env.write(sneaky, &roadmap_yaml("evil", "Evil \u{202e}eman\u{2066}x"));
    env.write("roadmaps/broken\n! x.yaml", "id: b\ntitle: B\nsteps: 7\n");

    let out = env.ok(&["validate", utf8(&file)]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("evil\\u{a}mine.yaml"), "{out}");
    assert!(out.contains("\\u{202e}"), "{out}");

    let listed = env.ok(&["roadmaps"]);
    assert_printable("roadmaps", &listed);
    assert_eq!(
        listed.lines().count(),
        3,
        "built in, evil, broken:\n{listed}"
    );
    for line in listed.lines() {
        assert!(
            line.starts_with("* ") || line.starts_with("  ") || line.starts_with("! "),
            "{line:?} in\n{listed}"
        );
    }

    for args in [
        &["--roadmap", "evil", "status"][..],
        &["--roadmap", "evil", "where"],
        &["--roadmap", "evil", "export"],
        &["--roadmap", "evil", "notes", "--format", "markdown"],
        &["--roadmap", utf8(&file), "where"],
    ] {
        let out = env.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert_printable(&format!("{args:?}"), &stdout(&out));
    }
    let place = env.ok(&["--roadmap", utf8(&file), "where"]);
    assert_eq!(place.lines().count(), 2, "{place}");

    // JSON escapes them its own way, and stays JSON.
    let json = env.ok(&["--roadmap", "evil", "status", "--json"]);
    assert_printable("status --json", &json);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid json");
    assert_eq!(value["roadmap"]["title"], "Evil \u{202e}eman\u{2066}x");

    // An error naming the file is one line, and its first line names the whole file.
    let broken = env.path("roadmaps/broken\n! x.yaml");
    let out = env.run(&["validate", utf8(&broken)]);
    assert_eq!(out.status.code(), Some(1));
    let shown = stdout(&out);
    assert!(
        shown.contains("roadmaps/broken\\u{a}! x.yaml:3:8: steps:"),
        "{shown}"
    );

    // The progress file's own name, in a command's error and in `where`.
    let odd_dir = env.path("a\nb");
    std::fs::create_dir(&odd_dir).expect("mkdir");
    std::fs::write(odd_dir.join("progress.yaml"), "version: [").expect("write");
    let out = env
        .cmd(&["status"])
        .env("PATHWAY_PROGRESS", odd_dir.join("progress.yaml"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let first = stderr(&out).lines().next().unwrap_or_default().to_string();
    assert!(first.contains("a\\u{a}b/progress.yaml"), "{}", stderr(&out));
}

#[test]
fn the_settings_file_is_where_help_the_manual_and_the_readme_say() {
    let env = Env::new();
    // The progress kept in a folder of its own, with a settings file beside it that must not
    // be read: the settings are in the config directory.
    let elsewhere = env.path("elsewhere/progress.yaml");
    env.write("elsewhere/config.yaml", "theme: [not, read]\n");
    env.write("config/pathway/config.yaml", "theme: light\n");
    let out = env
        .cmd(&["config"])
        .env("PATHWAY_PROGRESS", &elsewhere)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    let expected = env.path("config/pathway/config.yaml");
    assert!(
        shown.starts_with(&format!("# {}\n", expected.display())),
        "{shown}"
    );
    assert!(shown.contains("theme: light"), "{shown}");
    // The three places that say where it is, say the same.
    let said = "$XDG_CONFIG_HOME/pathway/config.yaml";
    let help = env.ok(&["--help"]);
    assert!(help.contains(said), "{help}");
    let man = env.ok(&["man"]);
    assert!(
        man.contains("$XDG_CONFIG_HOME/pathway/config.yaml"),
        "man page"
    );
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    assert!(readme.contains(&format!("`{said}`")), "README");
    assert!(!help.contains("beside the progress"), "{help}");
}

#[test]
fn a_completion_variable_left_set_never_replaces_a_command() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "1"] {
        let out = env
            .cmd(&["done", "git/basics"])
            .env("PATHWAY_COMPLETE", shell)
            .output()
            .expect("run");
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        assert!(
            stdout(&out).contains("git/basics") && !stdout(&out).contains("complete"),
            "{shell}: {}",
            stdout(&out)
        );
        let out = env
            .cmd(&["undo", "git/basics"])
            .env("PATHWAY_COMPLETE", shell)
            .output()
            .expect("run");
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
    }
    let marked = env
        .cmd(&["done", "git/basics"])
        .env("PATHWAY_COMPLETE", "bash")
        .output()
        .expect("run");
    assert!(marked.status.success());
    assert_eq!(task_status(&env, "git/basics"), "done");
    // The bare program with the variable set is the checklist (here: the status), not a script.
    let bare = env
        .cmd(&[])
        .env("PATHWAY_COMPLETE", "bash")
        .output()
        .expect("run");
    assert!(stdout(&bare).contains("Backend"), "{}", stdout(&bare));
    // The protocol's own form still completes.
    let words = env
        .cmd(&["--", "pathway", "don"])
        .env("PATHWAY_COMPLETE", "fish")
        .output()
        .expect("run");
    assert!(stdout(&words).starts_with("done"), "{}", stdout(&words));
}

#[test]
fn a_huge_key_list_is_refused_at_once() {
    let env = Env::new();
    // Two actions with 55,000 keys each (a settings file just under 1 MiB): checked pairwise, that took half a minute
    // on every command.
    let many: Vec<String> = (0..55_000).map(|i| format!("k{i}")).collect();
    let list = many.join(", ");
    env.write(
        "config/pathway/config.yaml",
        &format!("keys:\n  done: [{list}]\n  skip: [{list}]\n"),
    );
    let out = env.run(&["config"]);
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    // The count alone, on one line: the list was refused before any of its keys was read
    // (the first of which, "k0", is no key at all).
    assert!(
        said.contains("config.yaml:2:3: done: 55000 keys; give at most 10"),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");
    // A list of the most keys allowed is fine.
    env.write(
        "config/pathway/config.yaml",
        "keys:\n  done: [x, space, y, b, 1, 2, 3, 4, 5, 6]\n",
    );
    env.ok(&["config"]);
}

#[test]
fn keys_that_never_arrive_or_cannot_be_seen_are_refused_clearly() {
    let env = Env::new();
    let refused = |keys: &str, expected: &str| {
        env.write("config/pathway/config.yaml", &format!("keys:\n  {keys}\n"));
        let out = env.run(&["config"]);
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{keys}: {said}");
        assert!(said.contains(expected), "{keys}: {said}");
        assert_printable(keys, &said);
        said
    };
    refused("done: [ctrl-m]", "a terminal sends Ctrl-M as Enter");
    refused("done: [CTRL-I]", "a terminal sends Ctrl-I as Tab");
    // A combining accent, a zero-width space, a no-break space, a bidi override, a soft
    // hyphen: nothing a person can press alone or see in the footer.
    for (invisible, code) in [
        ("\u{301}", "U+0301"),
        ("\u{200b}", "U+200B"),
        ("\u{a0}", "U+00A0"),
        ("\u{202e}", "U+202E"),
        ("\u{ad}", "U+00AD"),
        ("\u{3164}", "U+3164"),
    ] {
        refused(
            &format!("done: [\"{invisible}\"]"),
            &format!("no key {code}: it is invisible, blank or a combining mark"),
        );
    }
    // Ctrl-C always quits: saying so, not "bound to both quit and quit".
    let said = refused("quit: [q, ctrl-c]", "Ctrl-C always does \"quit\" already");
    assert!(!said.contains("both quit and quit"), "{said}");
    refused(
        "done: [ctrl-z]",
        "Ctrl-Z is pathway's own key for \"suspend",
    );
    // What a person would write still works, a key written twice included.
    env.write(
        "config/pathway/config.yaml",
        "keys:\n  done: [x, x, é, ctrl-d, \" \"]\n  quit: [ctrl-q]\n",
    );
    env.ok(&["config"]);
}

/// Runs a command that must end within `secs` seconds: one that hangs is killed, and fails the
/// test instead of hanging it.
fn run_within(mut cmd: Command, secs: u64) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if started.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

#[test]
fn an_id_is_looked_up_in_the_roadmaps_folder_only() {
    let env = Env::new();
    env.write(
        "roadmaps/mine.yaml",
        &roadmap_yaml("mine", "From the folder"),
    );
    // A file named like the id in the current folder is not the roadmap `mine`, and a FIFO
    // named like the built-in id is never opened.
    env.write(
        "mine",
        &roadmap_yaml("decoy", "Decoy in the current folder"),
    );
    mkfifo(&env.path("backend-devops"));
    // The title a status begins with; a roadmap other than the built-in one is named in a
    // heading, "Roadmap: TITLE (ID), chosen …".
    let title = |args: &[&str]| {
        let out = run_within(env.cmd(args), 10);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        let first = stdout(&out).lines().next().unwrap_or_default().to_string();
        match first.strip_prefix("Roadmap: ") {
            Some(named) => named
                .rsplit_once(" (")
                .map_or(named, |(t, _)| t)
                .to_string(),
            None => first,
        }
    };
    assert_eq!(title(&["--roadmap", "mine", "status"]), "From the folder");
    assert_eq!(
        title(&["--roadmap", "backend-devops", "status"]),
        "Backend → DevOps & Cloud"
    );
    // A value is a file when it looks like a path.
    assert_eq!(
        title(&["--roadmap", "./mine", "status"]),
        "Decoy in the current folder"
    );
    env.write("here.yaml", &roadmap_yaml("here", "A file by its name"));
    assert_eq!(
        title(&["--roadmap", "here.yaml", "status"]),
        "A file by its name"
    );
    // An id whose file is named otherwise is found by the id inside.
    env.write(
        "roadmaps/renamed.yml",
        &roadmap_yaml("rust-path", "Renamed file"),
    );
    assert_eq!(title(&["--roadmap", "rust-path", "status"]), "Renamed file");
    // An unknown id says what the ids are and how to name a file.
    let out = env.run(&["--roadmap", "here", "status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no roadmap \"here\": no id of backend-devops, mine, rust-path")
            && stderr(&out).contains("./here.yaml"),
        "{}",
        stderr(&out)
    );
    // The settings' value follows the same rule; a path there is read from the settings'
    // folder, wherever pathway runs.
    env.write("config/pathway/config.yaml", "roadmap: mine\n");
    assert_eq!(title(&["status"]), "From the folder");
    env.write(
        "config/pathway/custom.yaml",
        &roadmap_yaml("custom", "Beside the settings"),
    );
    env.write("config/pathway/config.yaml", "roadmap: custom.yaml\n");
    assert_eq!(title(&["status"]), "Beside the settings");
    let elsewhere = env.path("roadmaps");
    let mut cmd = env.cmd(&["status"]);
    cmd.current_dir(&elsewhere);
    let out = run_within(cmd, 10);
    assert!(
        stdout(&out).starts_with("Roadmap: Beside the settings (custom)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_fifo_named_as_the_roadmap_never_hangs_anything() {
    let env = Env::new();
    let fifo = env.path("trap.yaml");
    mkfifo(&fifo);
    // Named in last-roadmap (by hand, or by an older pathway): passed over, at once.
    env.write("last-roadmap", utf8(&fifo));
    let out = run_within(env.cmd(&["status"]), 10);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Backend → DevOps & Cloud"));
    // Named by --roadmap or the settings: refused at once, naming it.
    let out = run_within(env.cmd(&["--roadmap", utf8(&fifo), "status"]), 10);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("trap.yaml: cannot read: it is not a regular file"),
        "{}",
        stderr(&out)
    );
    env.write(
        "config/pathway/config.yaml",
        &format!("roadmap: {}\n", utf8(&fifo)),
    );
    let out = run_within(env.cmd(&["status"]), 10);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("not a regular file"),
        "{}",
        stderr(&out)
    );
    // In the roadmaps folder, as the file an id would be looked for in.
    std::fs::remove_file(env.settings()).expect("rm");
    std::fs::create_dir(env.path("roadmaps")).expect("mkdir");
    mkfifo(&env.path("roadmaps/mine.yaml"));
    let out = run_within(env.cmd(&["--roadmap", "mine", "status"]), 10);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("roadmaps/mine.yaml: cannot read: it is not a regular file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn new_refuses_the_built_in_id_a_dash_and_an_id_in_use() {
    let env = Env::new();
    let refused = |id: &str, expected: &str| {
        let out = env.run(&["new", id]);
        assert_eq!(out.status.code(), Some(2), "{id}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{id}: {}", stderr(&out));
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    };
    refused("backend-devops", "is the built-in roadmap's id");
    refused("-", "starting with a letter or digit");
    refused("_x", "starting with a letter or digit");
    refused("Mine", "lower-case letters");
    assert!(!env.path("roadmaps/backend-devops.yaml").exists());
    assert!(!env.path("roadmaps/-.yaml").exists());
    env.ok(&["new", "mine"]);
    refused("mine", "exists already");
    // An id a file of another name already has would open that file, not the new one.
    env.write("roadmaps/other-name.yaml", &roadmap_yaml("taken", "Taken"));
    refused("taken", "is already the id of");
    assert!(!env.path("roadmaps/taken.yaml").exists());
}

/// Start-up reads the roadmap in use and nothing else of the roadmaps folder whole. Beside a
/// small roadmap lies a 30 MiB file: listing the roadmaps reads it, every way of choosing one at
/// start-up reads a few KiB in all (when an id must be looked for, the first lines of each
/// file). Counted in bytes read, which are the same on any machine; how long start-up takes is
/// for benches/compare.sh.
#[test]
fn only_the_roadmap_in_use_is_parsed_at_start_up() {
    let env = Env::new();
    env.write("roadmaps/mine.yaml", &roadmap_yaml("mine", "Mine"));
    // Its id on the first line, then nothing up to 30 MiB (under the 32 MiB a roadmap may be):
    // a sparse file, so nothing of it is written to disk.
    let big = env.write("roadmaps/big.yaml", "id: big\ntitle: Big\n");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .and_then(|f| f.set_len(30 << 20))
        .expect("grow");
    let (out, read) = run_counting_reads(env.cmd(&["roadmaps"]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("big.yaml"), "{}", stdout(&out));
    assert!(read > 30 << 20, "listing read only {read} bytes");
    let start = |args: &[&str]| {
        let (out, read) = run_counting_reads(env.cmd(args));
        assert!(
            read < 1 << 20,
            "{args:?} read {read} bytes: the 30 MiB file was read whole"
        );
        out
    };
    for (args, shown) in [
        (&["--roadmap", "mine", "status"][..], "Roadmap: Mine (mine)"),
        (&["--roadmap", "backend-devops", "status"], "Backend"),
        (&["status"], "Backend"),
    ] {
        let out = start(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with(shown),
            "{args:?}: {}",
            stdout(&out)
        );
    }
    env.write("last-roadmap", "mine");
    let out = start(&["status"]);
    assert!(
        stdout(&out).starts_with("Roadmap: Mine (mine)"),
        "{}",
        stdout(&out)
    );
    // An id that is gone (passed over) or unknown (an error listing the ids) looks at the first
    // lines of every file, and reads none whole.
    env.write("last-roadmap", "gone");
    let out = start(&["status"]);
    assert!(stdout(&out).starts_with("Backend"), "{}", stdout(&out));
    let out = start(&["--roadmap", "nope", "status"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no id of backend-devops, big, mine"),
        "{}",
        stderr(&out)
    );
}

/// Runs a command to its end and counts the bytes it read (`rchar` in /proc/PID/io, read while
/// the process has ended but is not yet reaped). One that hangs is killed after two minutes,
/// failing the test instead of hanging it.
fn run_counting_reads(mut cmd: Command) -> (Output, u64) {
    use std::io::Read;
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Drained as it comes, so that a full pipe never stops the process short of its end.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                pipe.read_to_end(&mut bytes).expect("read output");
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    loop {
        // SAFETY: a zeroed siginfo_t is valid; waitid writes into it and nothing else.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // WNOWAIT leaves the ended process a zombie, whose /proc entry still holds its counts.
        let waited = unsafe {
            libc::waitid(
                libc::P_PID,
                child.id(),
                &mut info,
                libc::WEXITED | libc::WNOWAIT | libc::WNOHANG,
            )
        };
        assert_eq!(waited, 0, "waitid: {}", std::io::Error::last_os_error());
        // SAFETY: waitid filled `info` in (or left it zeroed: not ended yet).
        if unsafe { info.si_pid() } != 0 {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after 120 s");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let io = std::fs::read_to_string(format!("/proc/{}/io", child.id())).expect("/proc/PID/io");
    let read = io
        .lines()
        .find_map(|line| line.strip_prefix("rchar: "))
        .and_then(|n| n.parse().ok())
        .expect("rchar");
    let status = child.wait().expect("wait");
    let output = Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    };
    (output, read)
}

#[test]
fn export_refuses_every_file_pathway_owns() {
    let env = Env::new();
    env.ok(&["done", "git/basics"]);
    env.write("config/pathway/config.yaml", "theme: light\n");
    env.write("roadmaps/mine.yaml", &roadmap_yaml("mine", "Mine"));
    env.write("last-roadmap", "backend-devops");
    env.write("mine-elsewhere.yaml", &roadmap_yaml("other", "Other"));
    let backup = env.write("progress.yaml.20260101T000000Z.bak", "version: 1\n");
    std::fs::create_dir(env.path("sub")).expect("mkdir");
    std::fs::create_dir(env.path("linked")).expect("mkdir");
    std::os::unix::fs::symlink(env.settings(), env.path("linked/settings-link")).expect("symlink");
    std::fs::hard_link(env.path("roadmaps/mine.yaml"), env.path("hard-link.yaml"))
        .expect("hard link");
    let snapshot = || {
        [
            env.progress(),
            env.settings(),
            env.path("roadmaps/mine.yaml"),
            env.path("last-roadmap"),
            backup.clone(),
        ]
        .map(|p| std::fs::read(&p).unwrap_or_default())
    };
    let before = snapshot();
    let refused = |extra: &[&str], target: &str, what: &str| {
        let mut args = extra.to_vec();
        args.extend(["export", "-o", target]);
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{target}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("it is {what}")),
            "{target}: {}",
            stderr(&out)
        );
    };
    refused(&[], utf8(&env.settings()), "the settings file");
    refused(
        &[],
        "config/pathway/../pathway/config.yaml",
        "the settings file",
    );
    refused(&[], "linked/settings-link", "the settings file");
    refused(&[], "roadmaps/mine.yaml", "a file of the roadmaps folder");
    refused(&[], "roadmaps/new.md", "a file of the roadmaps folder");
    refused(&[], "hard-link.yaml", "a file of the roadmaps folder");
    refused(
        &[],
        "sub/../roadmaps/mine.yaml",
        "a file of the roadmaps folder",
    );
    refused(&[], "last-roadmap", "where the last roadmap chosen is kept");
    refused(&[], "progress.yaml", "the progress file");
    refused(&[], "progress.yaml.lock", "the progress file's lock");
    refused(&[], utf8(&backup), "a backup, lock or temporary file");
    refused(
        &[],
        ".progress.yaml.tmp",
        "a backup, lock or temporary file",
    );
    refused(
        &["--roadmap", "mine-elsewhere.yaml"],
        "mine-elsewhere.yaml",
        "the roadmap in use",
    );
    // A settings file named by --config is the settings file too.
    let other = env.write("other-settings.yaml", "theme: dark\n");
    refused(
        &["--config", utf8(&other)],
        "other-settings.yaml",
        "the settings file",
    );
    assert_eq!(snapshot(), before, "nothing pathway owns was touched");
    // Names that only look alike are the learner's.
    for free in ["progress.md", "progress.yaml.md", "config.yaml.md"] {
        env.ok(&["export", "-o", free]);
        let written = std::fs::read_to_string(env.path(free)).expect("written");
        assert!(written.contains("- [x] "), "{free}");
    }
}

#[test]
fn review_with_an_unknown_id_exits_2_with_the_usual_suggestion() {
    let env = Env::new();
    env.ok(&["done", "git/basics"]);
    for args in [
        &["review", "git/basix"][..],
        &["review", "git/basix", "good"],
        &["review", "git/basix", "off"],
    ] {
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("unknown id \"git/basix\": did you mean git/basics?"),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
    }
    let out = env.run(&["review", "nothing-like-it"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("pathway status --tasks` lists every id"),
        "{}",
        stderr(&out)
    );
    // A known ID without a rating shows that task's cards instead of listing what is due.
    let out = env.run(&["review", "git/basics"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("git/basics  "), "{}", stdout(&out));
}

/// The checklist on the built-in roadmap with `note` on the selected task, drawn once.
fn app_with_note(note: &str) -> pathway::tui::app::App {
    use pathway::tui::app::App;
    let roadmap = pathway::core::roadmap::Roadmap::embedded().expect("embedded");
    let mut progress = pathway::core::progress::Progress::default();
    let step = &roadmap.steps[0];
    let now = jiff::Timestamp::now();
    for task in &step.tasks {
        let key = format!("{}/{}", step.id, task.id);
        progress.roadmap_mut(&roadmap.id).set_note(&key, note, now);
    }
    App::new(roadmap, progress)
}

#[test]
fn the_inline_editor_stays_interactive_on_the_largest_note() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use pathway::tui::app::{Action, Effect, MAX_INLINE_NOTE_BYTES, Mode};
    let now = jiff::Timestamp::now();
    let key = |c: char| Action::EditorKey(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    // The largest note `note -` takes (1 MiB) opens in $EDITOR, saying why.
    let huge = "a line of a long note\n".repeat(1024 * 1024 / 22);
    let mut app = app_with_note(&huge);
    let effect = app.handle(Action::EditNote, now, config());
    assert!(
        matches!(&effect, Effect::EditExternally(text) if text.trim_end() == huge.trim_end()),
        "the note goes to $EDITOR"
    );
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("opened in $VISUAL or $EDITOR")),
        "{:?}",
        app.message(&config().keymap).as_deref()
    );
    // A note at the limit opens inline, and a key at the limit is taken back, saying why.
    let full = "x".repeat(MAX_INLINE_NOTE_BYTES);
    let mut app = app_with_note(&full);
    assert_eq!(app.handle(Action::EditNote, now, config()), Effect::None);
    assert_eq!(app.mode(), Mode::Edit);
    app.handle(key('y'), now, config());
    let editor = app.editor().expect("editor open");
    assert_eq!(editor.len(), MAX_INLINE_NOTE_BYTES);
    assert!(!editor.changed());
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("up to 64 KiB")),
        "{:?}",
        app.message(&config().keymap).as_deref()
    );
    // Deleting still works; so does typing back into the room made.
    app.handle(
        Action::EditorKey(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
        now,
        config(),
    );
    app.handle(key('z'), now, config());
    let editor = app.editor().expect("editor open");
    assert!(editor.text().ends_with("xz"));
    assert_eq!(editor.len(), MAX_INLINE_NOTE_BYTES);
    // A paste that would pass the limit is refused whole.
    app.handle(
        Action::EditorKey(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE)),
        now,
        config(),
    );
    app.handle(Action::Paste("two".into()), now, config());
    assert_eq!(
        app.editor().expect("editor open").len(),
        MAX_INLINE_NOTE_BYTES - 1
    );
    // Yanking a cut text back again and again cannot grow it past the limit either.
    let mut app = app_with_note(&"line\n".repeat(MAX_INLINE_NOTE_BYTES / 10));
    app.handle(Action::EditNote, now, config());
    let ctrl = |c: char| Action::EditorKey(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    for _ in 0..50 {
        app.handle(ctrl('u'), now, config());
        app.handle(ctrl('y'), now, config());
        app.handle(ctrl('y'), now, config());
    }
    assert!(app.editor().expect("editor open").len() <= MAX_INLINE_NOTE_BYTES);
}
