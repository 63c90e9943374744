//! The checks' tests: helpers here, tests by probe kind beside them.

use std::collections::BTreeMap;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use super::run::*;
use crate::core::probe::{Expect, Method, Probe, ProbeKind};

mod command;
mod conventions;
mod file;
mod http;
mod process;
mod run;

pub fn project() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn ctx(dir: &Path) -> Context {
    Context::new(dir, BTreeMap::new())
}

pub fn probe(kind: ProbeKind, timeout: u64) -> Probe {
    Probe {
        kind,
        smoke: false,
        timeout,
        hint: Some("try harder".into()),
    }
}

pub fn run(command: &str, exit: i32, output: Option<Expect>) -> Probe {
    probe(
        ProbeKind::Run {
            command: command.to_string().into(),
            exit,
            output,
        },
        10,
    )
}

pub fn http(url: &str, method: Method, status: Option<u16>, body: Option<Expect>) -> Probe {
    probe(
        ProbeKind::Http {
            url: url.to_string().into(),
            method,
            status,
            body,
        },
        5,
    )
}

pub fn file(path: &str, content: Option<Expect>) -> Probe {
    probe(
        ProbeKind::File {
            path: path.to_string().into(),
            content,
        },
        10,
    )
}

pub fn contains(s: &str) -> Option<Expect> {
    Some(Expect::Contains(s.to_string().into()))
}

pub fn matches(s: &str) -> Option<Expect> {
    Some(Expect::Matches(s.to_string().into()))
}

#[track_caller]
pub fn passed(outcome: &ProbeOutcome) {
    assert!(
        matches!(outcome, ProbeOutcome::Passed { .. }),
        "should pass: {outcome:#?}"
    );
}

/// What came back, from a failure; panics on anything else.
#[track_caller]
pub fn failed(outcome: &ProbeOutcome) -> &str {
    match outcome {
        ProbeOutcome::Failed { got, hint, .. } => {
            assert_eq!(hint.as_deref(), Some("try harder"));
            got
        }
        other => panic!("should fail: {other:#?}"),
    }
}

/// Whether a process is still running (a zombie waiting for its parent is not).
pub fn alive(pid: i32) -> bool {
    if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        let state = stat.rsplit(") ").next().and_then(|s| s.chars().next());
        return state != Some('Z') && state != Some('X');
    }
    rustix::process::Pid::from_raw(pid)
        .is_some_and(|pid| rustix::process::test_kill_process(pid).is_ok())
}

pub fn gone_soon(pid: i32) -> bool {
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        if !alive(pid) {
            return true;
        }
        thread::sleep(Duration::from_millis(20));
    }
    false
}

pub fn read_pid(path: &Path) -> i32 {
    let until = Instant::now() + Duration::from_secs(3);
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && let Ok(pid) = text.trim().parse()
        {
            return pid;
        }
        assert!(Instant::now() < until, "no pid file");
        thread::sleep(Duration::from_millis(10));
    }
}
