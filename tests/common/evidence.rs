//! Helpers of the evidence tests (`tests/evidence.rs`, `tests/evidence_data.rs`): the shipped
//! roadmap's checks run on fixture projects of the tests' own, Git repositories built commit by
//! commit, a local HTTP server per behaviour and a PostgreSQL database per test.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::thread;

use pathway::checks::{CheckOutcome, CheckResult, Context, run_check};
use pathway::core::roadmap::Roadmap;

/// Runs the shipped check of `key` (`step/task`) on `dir` with the roadmap's variables and
/// `vars` over them.
pub fn check(key: &str, dir: &Path, vars: &[(&str, String)]) -> CheckOutcome {
    let roadmap = Roadmap::embedded().expect("the shipped roadmap");
    let (step, task) = key.split_once('/').expect("step/task");
    let task = roadmap
        .steps
        .iter()
        .filter(|s| s.id == step)
        .flat_map(|s| &s.tasks)
        .find(|t| t.id == task)
        .unwrap_or_else(|| panic!("no task {key}"));
    let mut all: BTreeMap<String, String> = roadmap.vars.clone();
    for (name, value) in vars {
        all.insert(name.to_string(), value.clone());
    }
    run_check(&task.check, &Context::new(dir, all))
}

#[track_caller]
pub fn verified(key: &str, dir: &Path, vars: &[(&str, String)]) {
    let outcome = check(key, dir, vars);
    assert_eq!(
        outcome.result,
        CheckResult::Passed,
        "{key} should verify honest work: {outcome:#?}"
    );
}

#[track_caller]
pub fn not_verified(key: &str, dir: &Path, vars: &[(&str, String)]) -> CheckOutcome {
    let outcome = check(key, dir, vars);
    assert_ne!(
        outcome.result,
        CheckResult::Passed,
        "{key} must not verify token work: {outcome:#?}"
    );
    outcome
}

/// Owned (path, content) pairs as [`repo`] takes them.
pub fn borrowed(files: &[(String, String)]) -> Vec<(&str, &str)> {
    files
        .iter()
        .map(|(path, content)| (path.as_str(), content.as_str()))
        .collect()
}

/// A Git repository in a temporary folder holding `files`, one commit per file.
pub fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["config", "user.email", "learner@example.com"]);
    git(dir.path(), &["config", "user.name", "Learner"]);
    for (path, content) in files {
        write(dir.path(), path, content);
        git(dir.path(), &["add", "--", path]);
        git(dir.path(), &["commit", "-q", "-m", &format!("Add {path}")]);
    }
    dir
}

pub fn write(dir: &Path, path: &str, content: &str) {
    let path = dir.join(path);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, content).expect("write");
}

pub fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

/// One request as the test server read it.
pub struct Request {
    pub method: String,
    pub path: String,
    /// Each header line as sent, trimmed.
    pub headers: Vec<String>,
    pub body: String,
}

/// Serves `answer(method, path, headers)` on 127.0.0.1 until the test ends; returns the port.
pub fn serve(answer: impl Fn(&str, &str, &[String]) -> String + Send + Sync + 'static) -> u16 {
    serve_requests(move |r: &Request| answer(&r.method, &r.path, &r.headers))
}

/// Serves `answer(request)`, body included, on 127.0.0.1 until the test ends; returns the port.
pub fn serve_requests(answer: impl Fn(&Request) -> String + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let answer = Arc::new(answer);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = Arc::clone(&answer);
            thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                let mut words = line.split_whitespace();
                let method = words.next().unwrap_or("").to_string();
                let path = words.next().unwrap_or("").to_string();
                let mut headers = Vec::new();
                let mut length = 0;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
                        break;
                    }
                    if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    headers.push(header.trim().to_string());
                }
                let mut body = vec![0u8; length];
                let _ = reader.read_exact(&mut body);
                let request = Request {
                    method,
                    path,
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                };
                let _ = (&stream).write_all(answer(&request).as_bytes());
            });
        }
    });
    port
}

pub fn reply(status: &str, headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n{headers}\r\n{body}",
        body.len()
    )
}

/// Runs `sql` on the database `db` of the tests' PostgreSQL (PGHOST and friends from the
/// environment, as `.ci/postgres` prints them), stopping at the first error.
pub fn psql(db: &str, sql: &str) {
    let status = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql])
        .status()
        .expect("psql");
    assert!(status.success(), "psql {sql}");
}

/// `sql`'s answer on `db`, unaligned and without headers, trimmed.
pub fn psql_answer(db: &str, sql: &str) -> String {
    let output = Command::new("psql")
        .args(["-X", "-tA", "-d", db, "-c", sql])
        .output()
        .expect("psql");
    assert!(output.status.success(), "psql {sql}");
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// A fresh, empty database of that name (dropped first if an earlier run left it).
pub fn createdb(name: &str) {
    let _ = Command::new("dropdb").args(["--if-exists", name]).status();
    let status = Command::new("createdb")
        .arg(name)
        .status()
        .expect("createdb");
    assert!(status.success(), "createdb {name}");
}
