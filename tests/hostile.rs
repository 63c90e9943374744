//! Hostile inputs of issue 18, one test each, through the real binary: names and text that
//! reach the terminal, files pathway owns, settings no one would write by hand, a leftover
//! environment, ids that look like files and files that are not files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

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
    let started = Instant::now();
    let out = env.run(&["status"]);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    let said = stderr(&out);
    assert!(
        said.contains("config.yaml:2:3: done: 55000 keys; give at most 10"),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");
    // A list of the most keys allowed is fine.
    env.write(
        "config/pathway/config.yaml",
        "keys:\n  done: [x, space, a, b, 1, 2, 3, 4, 5, 6]\n",
    );
    env.ok(&["status"]);
}

#[test]
fn keys_that_never_arrive_or_cannot_be_seen_are_refused_clearly() {
    let env = Env::new();
    let refused = |keys: &str, expected: &str| {
        env.write("config/pathway/config.yaml", &format!("keys:\n  {keys}\n"));
        let out = env.run(&["status"]);
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
    env.ok(&["status"]);
}
