//! The web checks on honest minimal blog APIs written the way a learner without a package
//! registry would write them: Python's `http.server`, Node.js's `http` (CommonJS and ES modules)
//! and the JDK's `com.sun.net.httpserver` (`tests/fixtures/stacks/`). Each serves its own
//! conventions (FastAPI-like problem details and 422, Express-like weak ETags and camelCase,
//! Spring-like `{"status":"UP"}`, `/v3/api-docs` and `{"error": …}`), and each must verify.
//!
//! Ignored without the language: `.ci/run` installs Node.js and a JDK.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::evidence::{check, repo, verified};
use pathway::checks::{CheckResult, ProbeOutcome};

/// A server of the fixture's, stopped when the test ends, pass or panic.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn fixtures() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/stacks"
    ))
}

/// Starts `program args` in `dir` on a free port, and waits until it answers /health.
fn start(program: &str, args: &[&str], dir: &Path) -> (Running, u16) {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PORT", port.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {program}: {e}"));
    let running = Running(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{program} never listened on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (running, port)
}

/// Every web check of step 3 that a server alone can answer, on the server at `port` whose
/// source is the fixture `server`, committed in a project: each verifies (auth through the
/// code's password hash, since these servers keep the author in memory), and the scaling
/// task's HTTP probes pass (its last asks for a cache).
fn web_checks_verify(port: u16, server: &str) {
    let source = std::fs::read_to_string(fixtures().join(server)).expect("the server's source");
    let dir = repo(&[
        (server, &source),
        (
            "tests/test_security.py",
            "from app import app\n\ndef test_headers():\n    assert app\n",
        ),
    ]);
    let vars = [
        ("port", port.to_string()),
        ("db", "pathway_no_such_database".to_string()),
    ];
    for key in [
        "web-apis/web-server",
        "web-apis/rest-api",
        "web-apis/api-design",
        "web-apis/auth",
        "web-apis/web-security",
    ] {
        verified(key, dir.path(), &vars);
    }
    {
        let (key, probes) = ("web-apis/scaling", 4);
        let outcome = check(key, dir.path(), &vars);
        assert!(
            outcome.result != CheckResult::Passed
                && outcome.probes.len() == probes
                && outcome.probes[..probes - 1]
                    .iter()
                    .all(|p| matches!(p, ProbeOutcome::Passed { .. })),
            "{key}: {outcome:#?}"
        );
    }
}

#[test]
#[ignore = "needs Python 3 (python3 on the PATH)"]
fn an_honest_python_standard_library_api_verifies() {
    let (_server, port) = start("python3", &["app.py"], fixtures());
    web_checks_verify(port, "app.py");
}

#[test]
#[ignore = "needs Node.js: apt-get install nodejs (.ci/run does)"]
fn an_honest_node_api_verifies_as_commonjs_and_as_an_es_module() {
    let (_server, port) = start("node", &["server.js"], fixtures());
    web_checks_verify(port, "server.js");
    // The same server as an ES module, in a project folder of its own.
    let source = std::fs::read_to_string(fixtures().join("server.js")).expect("server.js");
    let esm = source
        .replace(
            "const http = require(\"node:http\");",
            "import http from \"node:http\";",
        )
        .replace(
            "const crypto = require(\"node:crypto\");",
            "import crypto from \"node:crypto\";",
        );
    assert!(!esm.contains("require("), "{esm}");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("server.mjs"), esm).expect("write");
    let (_server, port) = start("node", &["server.mjs"], dir.path());
    web_checks_verify(port, "server.js");
}

#[test]
#[ignore = "needs a JDK: apt-get install default-jdk-headless (.ci/run does)"]
fn an_honest_java_api_verifies() {
    let (_server, port) = start("java", &["Server.java"], fixtures());
    web_checks_verify(port, "Server.java");
}
