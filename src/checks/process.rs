//! Processes a check starts: a session of their own without a terminal, bounded capture, a
//! timeout and a cancel, and nothing left behind.
//!
//! Nothing left behind: the child leads a new session (so it has no controlling terminal and
//! nothing it prints or asks reaches the learner's screen), its process group is killed when it
//! ends, and every process that carries the check's marker in its environment is killed too:
//! that finds a daemon that left the group with `setsid` or a double fork. On Linux pathway is
//! the subreaper of what it starts, so such orphans come back to it and are reaped. On macOS
//! there is no subreaper and no readable environment of other processes: the group is killed,
//! and a process that left it on purpose can survive (docs/checks.md says so).

use std::io::{self, Read};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal};

/// How long the output of a finished command is still waited for: a process that left its
/// process group can hold the pipes open forever.
const PIPE_GRACE: Duration = Duration::from_secs(1);

/// The environment variable that marks every process a check started, whatever it did to its
/// session or group afterwards.
pub(super) const MARKER: &str = "PATHWAY_CHECK_RUN";

pub(super) enum End {
    Exited(ExitStatus),
    TimedOut,
    Cancelled,
}

/// Up to a cap of a stream, and the number of bytes past the cap.
#[derive(Debug, Clone, Default)]
pub(super) struct Captured {
    pub kept: Vec<u8>,
    pub more: u64,
}

impl Captured {
    fn push(&mut self, chunk: &[u8], cap: usize) {
        let room = cap.saturating_sub(self.kept.len()).min(chunk.len());
        self.kept.extend_from_slice(&chunk[..room]);
        self.more += (chunk.len() - room) as u64;
    }
}

pub(super) struct Finished {
    pub end: End,
    /// stdout and stderr together, interleaved as a terminal would show them.
    pub out: Captured,
}

/// Runs `cmd` in a session of its own with `input` (or nothing) on its standard input and no
/// terminal, capturing its output up to `cap` bytes. When it exits, times out or is cancelled,
/// everything it started is killed (a background `sleep 100 &` and a `setsid` daemon included)
/// and the child reaped; output is then waited for only a moment, in case something kept the
/// pipe.
pub(super) fn supervise(
    mut cmd: Command,
    input: Option<Vec<u8>>,
    cap: usize,
    timeout: Duration,
    cancel: &AtomicBool,
) -> io::Result<Finished> {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let marker = format!(
        "{}-{}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    );
    become_subreaper();
    let stdin = if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    };
    cmd.stdin(stdin).env(MARKER, &marker);
    // SAFETY: between fork and exec only setsid runs, which is async-signal-safe and touches no
    // memory of the parent. std has `process_group` but nothing that also drops the controlling
    // terminal, and a check must not reach the learner's terminal through /dev/tty.
    unsafe {
        cmd.pre_exec(|| {
            rustix::process::setsid()
                .map(|_| ())
                .map_err(io::Error::from)
        });
    }
    let (mut reader, writer) = io::pipe()?;
    cmd.stdout(writer.try_clone()?).stderr(writer);
    let child = cmd.spawn();
    // The command holds the pipe's writing ends: without dropping it, no EOF ever comes.
    drop(cmd);
    let mut child = child?;
    let pid = child.id();
    if let (Some(mut stdin), Some(input)) = (child.stdin.take(), input) {
        // A program that never reads its input must not block the check: the writer is a
        // thread of its own, and a closed pipe only ends it.
        let _ = thread::Builder::new()
            .name("pathway-check-input".into())
            .spawn(move || {
                let _ = std::io::Write::write_all(&mut stdin, &input);
            });
    }
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let capture = Arc::new(Mutex::new(Captured::default()));
    let kept = Arc::clone(&capture);
    let spawned = thread::Builder::new()
        .name("pathway-check-output".into())
        .spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => lock(&kept).push(&buf[..n], cap),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = done_tx.send(());
        });
    if let Err(e) = spawned {
        kill_group(pid);
        let _ = child.wait();
        kill_marked(&marker);
        return Err(e);
    }
    let end = wait(&mut child, timeout, cancel);
    // On a timeout or a cancel the child is killed with its group before it is reaped, so the
    // group's id cannot have been reused; after an exit, whatever it left in its group goes.
    kill_group(pid);
    if !matches!(end, Ok(End::Exited(_))) {
        let _ = child.wait();
    }
    kill_marked(&marker);
    let end = end?;
    let _ = done_rx.recv_timeout(PIPE_GRACE);
    let out = lock(&capture).clone();
    Ok(Finished { end, out })
}

/// How a program run with `run_quiet` ended: its exit status (`None`: it ran past its time and
/// was killed), and what it printed, stdout and stderr together, cut at the cap.
pub struct Ran {
    pub status: Option<ExitStatus>,
    pub output: String,
}

/// Runs a program to its end the way a check's commands run: no terminal to prompt on, no
/// input, output kept up to `cap` bytes, killed with everything it started after `timeout`.
/// For the tools pathway runs on the learner's behalf (Git, for the cohort commands).
pub fn run_quiet(cmd: Command, cap: usize, timeout: Duration) -> io::Result<Ran> {
    let finished = supervise(cmd, None, cap, timeout, &AtomicBool::new(false))?;
    let status = match finished.end {
        End::Exited(status) => Some(status),
        End::TimedOut | End::Cancelled => None,
    };
    Ok(Ran {
        status,
        output: String::from_utf8_lossy(&finished.out.kept).into_owned(),
    })
}

/// Waits for `child` until it exits, the timeout passes or the cancel flag is set.
fn wait(
    child: &mut std::process::Child,
    timeout: Duration,
    cancel: &AtomicBool,
) -> io::Result<End> {
    let start = Instant::now();
    let mut nap = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(End::Exited(status));
        }
        if cancel.load(Ordering::Relaxed) {
            return Ok(End::Cancelled);
        }
        let elapsed = start.elapsed();
        if elapsed >= timeout {
            return Ok(End::TimedOut);
        }
        thread::sleep(nap.min(timeout - elapsed));
        nap = (nap * 2).min(Duration::from_millis(20));
    }
}

pub(super) fn lock(capture: &Mutex<Captured>) -> std::sync::MutexGuard<'_, Captured> {
    capture
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// SIGKILL to the process group whose leader was `pid`.
fn kill_group(pid: u32) {
    // Never 0 or 1: kill(0) and kill(-1) would reach this process's group or every process.
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .filter(|&p| p > 1)
        .and_then(Pid::from_raw)
    {
        // A group that is already gone gives ESRCH, which is what we want.
        let _ = rustix::process::kill_process_group(pid, Signal::KILL);
    }
}

/// Makes pathway the subreaper of what it starts (Linux): a process that double-forks away
/// from a check is reparented here instead of to init, where it can be found and reaped.
fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
    }
}

/// Kills every process of this user that carries `marker` in its environment, until none is
/// left (a process may fork while it is being killed), and reaps those that became our
/// children. Linux only: elsewhere there is no /proc to read.
pub(super) fn kill_marked(marker: &str) {
    let wanted = format!("{MARKER}={marker}");
    for _ in 0..20 {
        let found = marked(wanted.as_bytes());
        if found.is_empty() {
            return;
        }
        for &pid in &found {
            if let Some(pid) = Pid::from_raw(pid) {
                let _ = rustix::process::kill_process(pid, Signal::KILL);
            }
        }
        for &pid in &found {
            reap(pid);
        }
    }
}

/// The processes whose environment holds `wanted` as one entry. A process of another user, or
/// one that is gone by the time it is read, is skipped.
fn marked(wanted: &[u8]) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let me = std::process::id();
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        // Bounded: an environment is at most a few hundred kilobytes, and /proc cannot stall.
        let Ok(file) = std::fs::File::open(entry.path().join("environ")) else {
            continue;
        };
        let mut environ = Vec::new();
        if file.take(4 << 20).read_to_end(&mut environ).is_ok()
            && environ.split(|&b| b == 0).any(|var| var == wanted)
            && let Ok(pid) = i32::try_from(pid)
        {
            found.push(pid);
        }
    }
    found
}

/// Reaps `pid` if it is (or, being killed, soon is) a zombie child of pathway: an orphan that
/// came back to the subreaper. Waits at most a moment; a process that is not our child is left.
fn reap(pid: i32) {
    let Some(pid) = Pid::from_raw(pid) else {
        return;
    };
    let until = Instant::now() + Duration::from_millis(500);
    loop {
        match rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::NOHANG) {
            Ok(Some(_)) | Err(_) => return,
            Ok(None) if Instant::now() < until => thread::sleep(Duration::from_millis(5)),
            Ok(None) => return,
        }
    }
}
