use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use super::*;

#[test]
fn a_timeout_kills_the_whole_group_and_fails() {
    let dir = project();
    let pidfile = dir.path().join("pid");
    let mut p = run("sleep 30 & echo $! > pid; echo started; wait", 0, None);
    p.timeout = 1;
    let start = Instant::now();
    let outcome = run_probe(&p, &ctx(dir.path()));
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    let got = failed(&outcome).to_string();
    assert_eq!(
        got,
        "still running after 1 s, so it was stopped, output:\nstarted"
    );
    let grandchild = read_pid(&pidfile);
    assert!(gone_soon(grandchild), "sleep {grandchild} is still running");
}

#[test]
fn a_background_process_holding_the_output_does_not_hold_the_check() {
    let dir = project();
    let pidfile = dir.path().join("pid");
    let start = Instant::now();
    let outcome = run_probe(
        &run("sleep 100 & echo $! > pid; echo hi", 0, contains("hi")),
        &ctx(dir.path()),
    );
    passed(&outcome);
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    let background = read_pid(&pidfile);
    assert!(gone_soon(background), "sleep {background} is still running");
}

#[test]
fn cancelling_stops_a_running_probe_fast() {
    let dir = project();
    let pidfile = dir.path().join("pid");
    let c = ctx(dir.path());
    let mut p = run("sleep 30 & echo $! > pid; wait", 0, None);
    p.timeout = 60;
    let cancel = Arc::clone(&c.cancel);
    let setter = thread::spawn(move || {
        thread::sleep(Duration::from_millis(300));
        cancel.store(true, Ordering::Relaxed);
    });
    let start = Instant::now();
    let outcome = run_check(&[p.clone(), p], &c);
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(outcome.result, CheckResult::Cancelled);
    assert_eq!(outcome.probes, vec![ProbeOutcome::Cancelled]);
    assert!(gone_soon(read_pid(&pidfile)));
    setter.join().expect("setter");
    // A check cancelled before it starts runs nothing.
    assert_eq!(
        run_probe(&run("true", 0, None), &c),
        ProbeOutcome::Cancelled
    );
}

#[test]
fn a_daemon_that_left_the_session_is_killed_with_the_check() {
    let dir = project();
    let pidfile = dir.path().join("pid");
    // A double fork into a new session: the classic daemon, out of the group and the session.
    let command = "setsid sh -c 'echo $$ > pid; exec sleep 100' < /dev/null > /dev/null 2>&1 & \
                   until [ -s pid ]; do sleep 0.05; done";
    passed(&run_probe(&run(command, 0, None), &ctx(dir.path())));
    let daemon = read_pid(&pidfile);
    assert!(gone_soon(daemon), "the daemon {daemon} is still running");
}

#[test]
fn a_stalled_call_is_given_up_at_the_timeout() {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let start = Instant::now();
    let result = crate::checks::run::bounded(Duration::from_millis(300), &cancel, || {
        thread::sleep(Duration::from_secs(5));
    });
    assert!(matches!(result, Err(crate::checks::run::Stalled::TimedOut)));
    assert!(start.elapsed() < Duration::from_secs(2));
}
