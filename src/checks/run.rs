//! Running checks on the learner's machine: each probe bounded in time and in what it keeps,
//! cancellable from another thread, and leaving nothing running behind it.
//!
//! Everything an outcome holds (`expected`, `got`, `hint`, `why`) is already escaped for the
//! terminal: a command's output, a server's body or a file's content cannot drive the screen.

use std::collections::BTreeMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use crate::core::probe::{self, Expect, Method, Probe, ProbeKind};
use crate::core::text;

/// Output of a `run` probe kept for matching and showing; the rest is only counted.
const OUTPUT_CAP: usize = 64 * 1024;
/// Most of an HTTP body or a file that is read.
const READ_CAP: usize = 1024 * 1024;
/// Lines of output, body or file shown in `got`.
const SHOWN_LINES: usize = 10;
/// Bytes those lines may take, for output that is one long line.
const SHOWN_BYTES: usize = 4 * 1024;
/// How long the output of a finished command is still waited for: a process that left its
/// process group can hold the pipes open forever.
const PIPE_GRACE: Duration = Duration::from_secs(1);
/// How often a blocking wait looks at the cancel flag and the deadline.
const SLICE: Duration = Duration::from_millis(50);
/// The program https probes use.
const CURL: &str = "curl";

/// Where and with what checks run. Cloning shares the cancel flag.
#[derive(Debug, Clone)]
pub struct Context {
    /// The learner's project folder: `run` commands start there, `file` paths are relative to
    /// it, and it is `{project}` and `$PATHWAY_PROJECT`.
    pub project: PathBuf,
    /// Variables for `{name}`: the roadmap's defaults with the learner's settings over them.
    pub vars: BTreeMap<String, String>,
    /// Set it (from any thread) to stop the running probe and the check: whatever a probe
    /// started is killed, and the outcome is `Cancelled`.
    pub cancel: Arc<AtomicBool>,
}

impl Context {
    pub fn new(project: impl Into<PathBuf>, vars: BTreeMap<String, String>) -> Context {
        Context {
            project: project.into(),
            vars,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }
}

/// What one probe found.
///
/// Serialized for `--json` as `{"result": "passed", "expected": …, "got": …}`, `"failed"` with a
/// `hint`, `{"result": "cannot", "why": …}` or `{"result": "cancelled"}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "lowercase")]
pub enum ProbeOutcome {
    /// `expected` says what the probe asked for (the expanded command, URL or path and its
    /// expectations); `got` what came back, in short.
    Passed { expected: String, got: String },
    /// As `Passed`, with what came back in full: the exit status or HTTP status and the last
    /// lines of output or body. `hint` is the probe's own.
    Failed {
        expected: String,
        got: String,
        hint: Option<String>,
    },
    /// The probe could not tell: a program it needs is missing ("needs psql on your PATH"), a
    /// variable is unknown, the project folder does not exist. Not a failure.
    Cannot { why: String },
    /// Stopped by the context's cancel flag.
    Cancelled,
}

/// A check's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckResult {
    /// Every probe passed.
    Passed,
    /// A probe failed.
    Failed,
    /// No probe failed, but one could not tell (or the check has no probes).
    Cannot,
    /// Cancelled before it finished: nothing should be recorded.
    Cancelled,
}

impl CheckResult {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckResult::Passed => "passed",
            CheckResult::Failed => "failed",
            CheckResult::Cannot => "cannot",
            CheckResult::Cancelled => "cancelled",
        }
    }
}

/// A check's verdict and what each probe that ran found, in order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CheckOutcome {
    pub result: CheckResult,
    /// One per probe that ran: probes run in order, and the first failure (or a cancel) ends
    /// the check, so this can be shorter than the check.
    pub probes: Vec<ProbeOutcome>,
}

/// Runs a check's probes in order, stopping at the first that fails or is cancelled.
pub fn run_check(check: &[Probe], ctx: &Context) -> CheckOutcome {
    let mut probes = Vec::with_capacity(check.len());
    for probe in check {
        if ctx.cancelled() {
            probes.push(ProbeOutcome::Cancelled);
            break;
        }
        let outcome = run_probe(probe, ctx);
        let stop = matches!(
            outcome,
            ProbeOutcome::Failed { .. } | ProbeOutcome::Cancelled
        );
        probes.push(outcome);
        if stop {
            break;
        }
    }
    let any = |f: fn(&ProbeOutcome) -> bool| probes.iter().any(f);
    let result = if any(|p| matches!(p, ProbeOutcome::Cancelled)) {
        CheckResult::Cancelled
    } else if any(|p| matches!(p, ProbeOutcome::Failed { .. })) {
        CheckResult::Failed
    } else if probes.is_empty() || any(|p| matches!(p, ProbeOutcome::Cannot { .. })) {
        CheckResult::Cannot
    } else {
        CheckResult::Passed
    };
    CheckOutcome { result, probes }
}

/// "probe 2: run psql …": which probe failed, in a few words, for the record and the details.
pub fn failure(outcome: &CheckOutcome) -> String {
    outcome
        .probes
        .iter()
        .enumerate()
        .find_map(|(i, p)| match p {
            ProbeOutcome::Failed { expected, .. } => Some(format!(
                "probe {}: {}",
                i + 1,
                crate::core::text::fit(expected, 120)
            )),
            _ => None,
        })
        .unwrap_or_else(|| "failed".to_string())
}

/// Runs one probe. It takes at most its timeout (plus a moment to clean up), returns soon after
/// the context's cancel flag is set, and leaves no process behind.
pub fn run_probe(probe: &Probe, ctx: &Context) -> ProbeOutcome {
    if ctx.cancelled() {
        return ProbeOutcome::Cancelled;
    }
    let timeout = Duration::from_secs(probe.timeout.clamp(1, probe::MAX_TIMEOUT));
    let expand = |s: &str| probe::expand(s, &ctx.project, &ctx.vars);
    let hint = match probe.hint.as_deref().map(expand).transpose() {
        Ok(hint) => hint.map(|h| text::clean(&h).into_owned()),
        Err(why) => return cannot(&why),
    };
    let outcome = match &probe.kind {
        ProbeKind::Run {
            command,
            exit,
            output,
        } => match (expand(command), matcher(output.as_ref(), expand)) {
            (Ok(command), Ok(output)) => run_probe_command(&command, *exit, output, timeout, ctx),
            (Err(why), _) | (_, Err(why)) => cannot(&why),
        },
        ProbeKind::Http {
            url,
            method,
            status,
            body,
        } => match (expand(url), matcher(body.as_ref(), expand)) {
            (Ok(url), Ok(body)) => http_probe(&url, *method, *status, body, timeout, ctx, CURL),
            (Err(why), _) | (_, Err(why)) => cannot(&why),
        },
        ProbeKind::File { path, content } => {
            match (expand(path), matcher(content.as_ref(), expand)) {
                (Ok(path), Ok(content)) => file_probe(&path, content, ctx),
                (Err(why), _) | (_, Err(why)) => cannot(&why),
            }
        }
    };
    match outcome {
        ProbeOutcome::Failed { expected, got, .. } => ProbeOutcome::Failed {
            expected,
            got,
            hint,
        },
        other => other,
    }
}

fn cannot(why: &str) -> ProbeOutcome {
    ProbeOutcome::Cannot {
        why: text::clean(why).into_owned(),
    }
}

/// An expectation with its variables expanded and its pattern compiled.
enum Matcher {
    Contains(String),
    Matches(regex_lite::Regex, String),
}

impl Matcher {
    fn accepts(&self, text: &str) -> bool {
        match self {
            Matcher::Contains(wanted) => text.contains(wanted.as_str()),
            Matcher::Matches(regex, _) => regex.is_match(text),
        }
    }

    /// "contains \"ok\"", "matches /o+k/", escaped.
    fn describe(&self) -> String {
        match self {
            Matcher::Contains(wanted) => format!("contains {wanted:?}"),
            Matcher::Matches(_, pattern) => format!("matches /{}/", text::clean(pattern)),
        }
    }
}

fn matcher(
    expect: Option<&Expect>,
    expand: impl Fn(&str) -> Result<String, String>,
) -> Result<Option<Matcher>, String> {
    match expect {
        None => Ok(None),
        Some(Expect::Contains(wanted)) => Ok(Some(Matcher::Contains(expand(wanted)?))),
        Some(Expect::Matches(pattern)) => {
            let pattern = expand(pattern)?;
            let regex = probe::regex(&pattern)
                .map_err(|why| format!("the pattern /{pattern}/ is not valid: {why}"))?;
            Ok(Some(Matcher::Matches(regex, pattern)))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// run

fn run_probe_command(
    command: &str,
    exit: i32,
    output: Option<Matcher>,
    timeout: Duration,
    ctx: &Context,
) -> ProbeOutcome {
    let mut expected = format!("`{}` exits with status {exit}", one_line(command));
    if let Some(output) = &output {
        expected.push_str(&format!(" and its output {}", output.describe()));
    }
    if !ctx.project.is_dir() {
        return cannot(&format!(
            "the project folder {} is not a folder",
            ctx.project.display()
        ));
    }
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(&ctx.project)
        .env("PATHWAY_PROJECT", &ctx.project);
    let finished = match supervise(cmd, Pipes::Combined, OUTPUT_CAP, timeout, &ctx.cancel) {
        Ok(finished) => finished,
        Err(e) => return cannot(&format!("cannot start sh: {e}")),
    };
    let out = &finished.out;
    let status = match finished.end {
        End::Cancelled => return ProbeOutcome::Cancelled,
        End::TimedOut => {
            return ProbeOutcome::Failed {
                expected,
                got: format!(
                    "still running after {} s, so it was stopped{}",
                    timeout.as_secs(),
                    shown_output(out)
                ),
                hint: None,
            };
        }
        End::Exited(status) => status,
    };
    let text = String::from_utf8_lossy(&out.kept);
    match status.code() {
        Some(code) if code == exit => match &output {
            Some(output) if !output.accepts(&text) => ProbeOutcome::Failed {
                expected,
                got: format!("exit status {code}{}", shown_output(out)),
                hint: None,
            },
            _ => ProbeOutcome::Passed {
                expected,
                got: format!("exit status {code}"),
            },
        },
        Some(127) => cannot(&format!(
            "needs {} on your PATH",
            missing_program(command, &text)
        )),
        Some(code) => ProbeOutcome::Failed {
            expected,
            got: format!("exit status {code}{}", shown_output(out)),
            hint: None,
        },
        None => ProbeOutcome::Failed {
            expected,
            got: format!(
                "stopped by signal {}{}",
                status.signal().unwrap_or(0),
                shown_output(out)
            ),
            hint: None,
        },
    }
}

/// The program a shell could not find: from its "not found" message (dash says
/// `sh: 1: psql: not found`, bash `sh: line 1: psql: command not found`), else the command's
/// first word that is not a `NAME=value` assignment.
fn missing_program(command: &str, output: &str) -> String {
    for line in output.lines() {
        for suffix in [": command not found", ": not found"] {
            if let Some(head) = line.trim_end().strip_suffix(suffix) {
                let name = head.rsplit(": ").next().unwrap_or("").trim();
                if !name.is_empty() {
                    return text::clean(name).into_owned();
                }
            }
        }
    }
    let words = shell_words::split(command)
        .unwrap_or_else(|_| command.split_whitespace().map(String::from).collect());
    let program = words
        .into_iter()
        .find(|w| w.find('=').is_none_or(|at| at == 0))
        .unwrap_or_else(|| "a program".into());
    text::clean(&program).into_owned()
}

/// A command as one line in a sentence: its first line, cut, escaped.
fn one_line(command: &str) -> String {
    let trimmed = command.trim();
    let first = trimmed.lines().next().unwrap_or("");
    let mut shown = text::fit(first, 120);
    if first.len() < trimmed.len() && !shown.ends_with('…') {
        shown.push_str(" …");
    }
    text::clean(&shown).into_owned()
}

/// ", output:\n‹its last lines›", or ", no output".
fn shown_output(out: &Captured) -> String {
    if out.kept.is_empty() {
        return ", no output".into();
    }
    format!(", output:\n{}", last_lines(&out.kept, out.more))
}

// ---------------------------------------------------------------------------------------------
// Processes: a process group, bounded capture, timeout and cancel, nothing left behind.

enum Pipes {
    /// stdout and stderr into one pipe, interleaved as a terminal would show them.
    Combined,
    /// stdout and stderr apart.
    Separate,
}

enum End {
    Exited(ExitStatus),
    TimedOut,
    Cancelled,
}

/// Up to a cap of a stream, the number of bytes past the cap, and its last bytes.
#[derive(Debug, Clone, Default)]
struct Captured {
    kept: Vec<u8>,
    more: u64,
    tail: Vec<u8>,
}

const TAIL: usize = 32;

impl Captured {
    fn push(&mut self, chunk: &[u8], cap: usize) {
        let room = cap.saturating_sub(self.kept.len()).min(chunk.len());
        self.kept.extend_from_slice(&chunk[..room]);
        self.more += (chunk.len() - room) as u64;
        self.tail
            .extend_from_slice(&chunk[chunk.len().saturating_sub(TAIL)..]);
        let excess = self.tail.len().saturating_sub(TAIL);
        self.tail.drain(..excess);
    }
}

struct Finished {
    end: End,
    out: Captured,
    /// Empty with `Pipes::Combined`.
    err: Captured,
}

/// Runs `cmd` in a process group of its own with no standard input, capturing its output up to
/// `cap` bytes a stream. When it exits, times out or is cancelled, the whole group is killed (a
/// background `sleep 100 &` included) and the child reaped; output is then waited for only a
/// moment, in case something left the group with the pipes.
fn supervise(
    mut cmd: Command,
    pipes: Pipes,
    cap: usize,
    timeout: Duration,
    cancel: &AtomicBool,
) -> io::Result<Finished> {
    cmd.stdin(Stdio::null()).process_group(0);
    let mut streams: Vec<Box<dyn Read + Send>> = Vec::new();
    let mut child = match pipes {
        Pipes::Combined => {
            let (reader, writer) = io::pipe()?;
            cmd.stdout(writer.try_clone()?).stderr(writer);
            let child = cmd.spawn();
            // The command holds the pipe's writing ends: without dropping it, no EOF ever comes.
            drop(cmd);
            let child = child?;
            streams.push(Box::new(reader));
            child
        }
        Pipes::Separate => {
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
            let mut child = cmd.spawn()?;
            drop(cmd);
            if let Some(out) = child.stdout.take() {
                streams.push(Box::new(out));
            }
            if let Some(err) = child.stderr.take() {
                streams.push(Box::new(err));
            }
            child
        }
    };
    let pid = child.id();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let mut captures = Vec::new();
    let mut readers = 0;
    for mut stream in streams {
        let capture = Arc::new(Mutex::new(Captured::default()));
        captures.push(Arc::clone(&capture));
        let done = done_tx.clone();
        let spawned = thread::Builder::new()
            .name("pathway-check-output".into())
            .spawn(move || {
                let mut buf = [0u8; 8192];
                loop {
                    match stream.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => lock(&capture).push(&buf[..n], cap),
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(_) => break,
                    }
                }
                let _ = done.send(());
            });
        match spawned {
            Ok(_) => readers += 1,
            Err(e) => {
                kill_group(pid);
                let _ = child.wait();
                return Err(e);
            }
        }
    }
    drop(done_tx);

    let start = Instant::now();
    let mut nap = Duration::from_millis(1);
    let end = loop {
        match child.try_wait() {
            Ok(Some(status)) => break End::Exited(status),
            Ok(None) => {}
            Err(e) => {
                kill_group(pid);
                let _ = child.wait();
                return Err(e);
            }
        }
        if cancel.load(Ordering::Relaxed) {
            break End::Cancelled;
        }
        let elapsed = start.elapsed();
        if elapsed >= timeout {
            break End::TimedOut;
        }
        thread::sleep(nap.min(timeout - elapsed));
        nap = (nap * 2).min(Duration::from_millis(20));
    };
    // On a timeout or a cancel the child is killed with its group before it is reaped, so the
    // group's id cannot have been reused; after an exit, whatever it left in its group goes.
    kill_group(pid);
    if !matches!(end, End::Exited(_)) {
        let _ = child.wait();
    }
    let grace = Instant::now() + PIPE_GRACE;
    for _ in 0..readers {
        let left = grace.saturating_duration_since(Instant::now());
        if done_rx.recv_timeout(left).is_err() {
            break;
        }
    }
    let mut taken = captures.iter().map(|c| lock(c).clone());
    let out = taken.next().unwrap_or_default();
    let err = taken.next().unwrap_or_default();
    Ok(Finished { end, out, err })
}

fn lock(capture: &Mutex<Captured>) -> std::sync::MutexGuard<'_, Captured> {
    capture
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// SIGKILL to the process group whose leader was `pid`.
fn kill_group(pid: u32) {
    // Never 0 or 1: kill(0) and kill(-1) would reach this process's group or every process.
    if let Ok(pid) = libc::pid_t::try_from(pid)
        && pid > 1
    {
        // SAFETY: kill has no memory effects; a group that is already gone gives ESRCH.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// http

/// A server's answer: its status and up to `READ_CAP` bytes of body.
struct Answer {
    status: u16,
    body: Vec<u8>,
    /// The body went on past what was read.
    cut: bool,
}

enum HttpError {
    Failed(String),
    Cannot(String),
    Cancelled,
}

fn http_probe(
    url: &str,
    method: Method,
    status: Option<u16>,
    body: Option<Matcher>,
    timeout: Duration,
    ctx: &Context,
    curl_program: &str,
) -> ProbeOutcome {
    let wanted_status = status.map_or("2xx".to_string(), |s| s.to_string());
    let mut expected = format!(
        "{} {} answers with status {wanted_status}",
        method.as_str(),
        text::clean(url)
    );
    if let Some(body) = &body {
        expected.push_str(&format!(" and a body that {}", body.describe()));
    }
    let answer = match probe::http_url(url) {
        Err(why) => Err(HttpError::Cannot(format!("the URL {url} {why}"))),
        Ok(target) if target.tls => curl(curl_program, url, method, timeout, ctx),
        Ok(target) => fetch(&target, method, timeout, &ctx.cancel),
    };
    let answer = match answer {
        Ok(answer) => answer,
        Err(HttpError::Cancelled) => return ProbeOutcome::Cancelled,
        Err(HttpError::Cannot(why)) => return cannot(&why),
        Err(HttpError::Failed(got)) => {
            return ProbeOutcome::Failed {
                expected,
                got: text::clean(&got).into_owned(),
                hint: None,
            };
        }
    };
    let status_ok = match status {
        Some(wanted) => answer.status == wanted,
        None => (200..300).contains(&answer.status),
    };
    let body_text = String::from_utf8_lossy(&answer.body);
    let body_ok = body.as_ref().is_none_or(|b| b.accepts(&body_text));
    if status_ok && body_ok {
        return ProbeOutcome::Passed {
            expected,
            got: format!("status {}", answer.status),
        };
    }
    let shown = if answer.body.is_empty() {
        ", no body".to_string()
    } else {
        let cut = if answer.cut {
            "\n… (only the first 1 MiB was read)"
        } else {
            ""
        };
        format!(", body:\n{}{cut}", last_lines(&answer.body, 0))
    };
    ProbeOutcome::Failed {
        expected,
        got: format!("status {}{shown}", answer.status),
        hint: None,
    }
}

/// One plain-HTTP/1.1 request: no redirects followed, no more than `READ_CAP` bytes of body,
/// everything within `timeout`.
fn fetch(
    target: &probe::HttpTarget,
    method: Method,
    timeout: Duration,
    cancel: &AtomicBool,
) -> Result<Answer, HttpError> {
    let deadline = Instant::now() + timeout;
    let secs = timeout.as_secs();
    let failed = |e: io::Error| -> HttpError {
        if cancel.load(Ordering::Relaxed) {
            HttpError::Cancelled
        } else {
            HttpError::Failed(match e.kind() {
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                    format!("no answer within {secs} s")
                }
                io::ErrorKind::ConnectionRefused => "connection refused (is it running?)".into(),
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof => format!("the connection was closed: {e}"),
                _ => e.to_string(),
            })
        }
    };
    let stream = connect(target, deadline, cancel).map_err(|e| match e {
        Connect::Lookup(e) if !cancel.load(Ordering::Relaxed) => {
            HttpError::Failed(format!("cannot find the host {}: {e}", target.host))
        }
        Connect::Lookup(e) | Connect::Io(e) => failed(e),
    })?;
    let request = format!(
        "{} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: pathway-check\r\nAccept: */*\r\n\
         Connection: close\r\n\r\n",
        method.as_str(),
        target.path,
        target.authority
    );
    let left = deadline.saturating_duration_since(Instant::now());
    stream
        .set_write_timeout(Some(left.max(Duration::from_millis(1))))
        .map_err(failed)?;
    (&stream).write_all(request.as_bytes()).map_err(failed)?;
    let mut reader = BufReader::new(Timed {
        stream,
        deadline,
        cancel,
    });
    read_answer(&mut reader, method).map_err(failed)
}

enum Connect {
    Lookup(io::Error),
    Io(io::Error),
}

/// Resolves and connects in a thread of its own, so that a cancel is answered at once even while
/// a name lookup or a connection hangs; that thread ends by the deadline on its own.
fn connect(
    target: &probe::HttpTarget,
    deadline: Instant,
    cancel: &AtomicBool,
) -> Result<TcpStream, Connect> {
    let (tx, rx) = mpsc::channel();
    let host = target.host.clone();
    let port = target.port;
    thread::Builder::new()
        .name("pathway-check-connect".into())
        .spawn(move || {
            let result = (|| {
                let addrs: Vec<SocketAddr> = (host.as_str(), port)
                    .to_socket_addrs()
                    .map_err(Connect::Lookup)?
                    .collect();
                let mut refused = None;
                let mut last = io::Error::new(io::ErrorKind::NotFound, "the host has no address");
                for addr in addrs {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Connect::Io(io::ErrorKind::TimedOut.into()));
                    }
                    match TcpStream::connect_timeout(&addr, left) {
                        Ok(stream) => return Ok(stream),
                        Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => refused = Some(e),
                        Err(e) => last = e,
                    }
                }
                Err(Connect::Io(refused.unwrap_or(last)))
            })();
            let _ = tx.send(result);
        })
        .map_err(Connect::Io)?;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(Connect::Io(io::Error::other("cancelled")));
        }
        match rx.recv_timeout(SLICE) {
            Ok(result) => return result,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // The thread gives up by the deadline; this is only a backstop.
                if Instant::now() > deadline + Duration::from_secs(1) {
                    return Err(Connect::Io(io::ErrorKind::TimedOut.into()));
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Connect::Io(io::Error::other(
                    "the connection attempt failed",
                )));
            }
        }
    }
}

/// A stream whose reads end at a deadline (`TimedOut`) or soon after a cancel.
struct Timed<'a> {
    stream: TcpStream,
    deadline: Instant,
    cancel: &'a AtomicBool,
}

impl Read for Timed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                return Err(io::Error::other("cancelled"));
            }
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::ErrorKind::TimedOut.into());
            }
            self.stream.set_read_timeout(Some(left.min(SLICE)))?;
            match self.stream.read(buf) {
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock
                            | io::ErrorKind::TimedOut
                            | io::ErrorKind::Interrupted
                    ) => {}
                other => return other,
            }
        }
    }
}

const MAX_HEAD_BYTES: usize = 64 * 1024;

fn read_answer(reader: &mut impl BufRead, method: Method) -> io::Result<Answer> {
    let bad = |what: String| io::Error::new(io::ErrorKind::InvalidData, what);
    let mut head_bytes = 0;
    // Informational answers (100 Continue, 103 Early Hints) come before the real one.
    let (status, length, chunked) = loop {
        let line = read_line(reader, &mut head_bytes)?
            .ok_or_else(|| bad("the server closed the connection without answering".into()))?;
        let mut words = line.split_whitespace();
        let version = words.next().unwrap_or("");
        let status = words
            .next()
            .filter(|_| version.starts_with("HTTP/"))
            .and_then(|s| s.parse::<u16>().ok())
            .filter(|s| (100..=999).contains(s))
            .ok_or_else(|| {
                bad(format!(
                    "not an HTTP answer: {:?}",
                    text::fit(&line, 80).as_str()
                ))
            })?;
        let mut length: Option<u64> = None;
        let mut chunked = false;
        loop {
            let line = read_line(reader, &mut head_bytes)?
                .ok_or_else(|| bad("the answer ended inside its headers".into()))?;
            if line.is_empty() {
                break;
            }
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(
                    value
                        .parse()
                        .map_err(|_| bad(format!("a Content-Length of {value:?}")))?,
                );
            } else if name.trim().eq_ignore_ascii_case("transfer-encoding") {
                chunked = value
                    .rsplit(',')
                    .next()
                    .is_some_and(|c| c.trim().eq_ignore_ascii_case("chunked"));
            }
        }
        if (100..200).contains(&status) && status != 101 {
            continue;
        }
        break (status, length, chunked);
    };
    let no_body =
        method == Method::Head || (100..200).contains(&status) || status == 204 || status == 304;
    let mut body = Vec::new();
    let mut cut = false;
    if no_body {
    } else if chunked {
        loop {
            let mut ignored = 0;
            let line = read_line(reader, &mut ignored)?
                .ok_or_else(|| bad("the chunked body ended early".into()))?;
            let size = line.split(';').next().unwrap_or("").trim();
            let size = u64::from_str_radix(size, 16)
                .map_err(|_| bad(format!("a chunk size of {size:?}")))?;
            if size == 0 {
                break;
            }
            let room = (READ_CAP - body.len()) as u64;
            let want = size.min(room);
            let got = reader.take(want).read_to_end(&mut body)? as u64;
            if got < want {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            if size > room {
                cut = true;
                break;
            }
            let mut ignored = 0;
            read_line(reader, &mut ignored)?;
        }
    } else if let Some(length) = length {
        let want = length.min(READ_CAP as u64);
        // A body shorter than announced is shown as it came.
        reader.take(want).read_to_end(&mut body)?;
        cut = length > want;
    } else {
        reader.take(READ_CAP as u64 + 1).read_to_end(&mut body)?;
        if body.len() > READ_CAP {
            body.truncate(READ_CAP);
            cut = true;
        }
    }
    Ok(Answer { status, body, cut })
}

/// One line of an HTTP head without its line ending; `None` at the end of the stream. Heads
/// beyond `MAX_HEAD_BYTES` are refused.
fn read_line(reader: &mut impl BufRead, used: &mut usize) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    let limit = (MAX_HEAD_BYTES - (*used).min(MAX_HEAD_BYTES)) as u64;
    reader.take(limit).read_until(b'\n', &mut line)?;
    *used += line.len();
    if line.is_empty() {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') && *used >= MAX_HEAD_BYTES {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "the answer's headers are larger than 64 KiB",
        ));
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// An https request through curl, which has the TLS that this program does not carry. `-q`
/// first keeps a `.curlrc` from adding options such as following redirects.
fn curl(
    program: &str,
    url: &str,
    method: Method,
    timeout: Duration,
    ctx: &Context,
) -> Result<Answer, HttpError> {
    let secs = timeout.as_secs();
    let mut cmd = Command::new(program);
    cmd.args(["-q", "-sS", "-o", "-", "-w", "\n%{http_code}"])
        .args(["--max-time", &secs.to_string(), "--proto", "=https"]);
    if method == Method::Head {
        // `-X HEAD` would wait for a body that never comes.
        cmd.arg("--head");
    }
    cmd.arg("--url").arg(url);
    if ctx.project.is_dir() {
        cmd.current_dir(&ctx.project);
    }
    // curl keeps its own time; this is a backstop.
    let limit = timeout + Duration::from_secs(5);
    let finished = match supervise(cmd, Pipes::Separate, READ_CAP, limit, &ctx.cancel) {
        Ok(finished) => finished,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(HttpError::Cannot(
                "needs curl on your PATH for https".into(),
            ));
        }
        Err(e) => return Err(HttpError::Cannot(format!("cannot start curl: {e}"))),
    };
    let status = match finished.end {
        End::Cancelled => return Err(HttpError::Cancelled),
        End::TimedOut => return Err(HttpError::Failed(format!("no answer within {secs} s"))),
        End::Exited(status) => status,
    };
    let stderr = String::from_utf8_lossy(&finished.err.kept);
    let said = stderr
        .trim()
        .lines()
        .last()
        .unwrap_or("")
        .trim()
        .to_string();
    match status.code() {
        Some(0) => {}
        // Failed to connect: refused, unreachable, or a newer curl's "Couldn't connect".
        Some(7) if said.to_ascii_lowercase().contains("refused") => {
            return Err(HttpError::Failed(
                "connection refused (is it running?)".into(),
            ));
        }
        Some(7) => {
            return Err(HttpError::Failed(format!(
                "cannot connect (is it running?): {said}"
            )));
        }
        Some(6) => return Err(HttpError::Failed(format!("cannot find the host: {said}"))),
        Some(28) => return Err(HttpError::Failed(format!("no answer within {secs} s"))),
        Some(code) => {
            return Err(HttpError::Failed(format!(
                "curl failed with exit status {code}: {said}"
            )));
        }
        None => return Err(HttpError::Failed("curl was stopped by a signal".into())),
    }
    let out = finished.out;
    // What curl wrote: the body, a line break, the status code.
    let (body, code_text, cut) = if out.more == 0 {
        let at = out.kept.iter().rposition(|&b| b == b'\n').unwrap_or(0);
        let code = out.kept.get(at + 1..).unwrap_or(&[]).to_vec();
        (out.kept[..at].to_vec(), code, false)
    } else {
        let at = out.tail.iter().rposition(|&b| b == b'\n').unwrap_or(0);
        let code = out.tail.get(at + 1..).unwrap_or(&[]).to_vec();
        (out.kept, code, true)
    };
    let code_text = String::from_utf8_lossy(&code_text);
    match code_text.trim().parse::<u16>() {
        Ok(status) if status >= 100 => Ok(Answer { status, body, cut }),
        _ => Err(HttpError::Failed(format!(
            "curl gave no HTTP status: {said}"
        ))),
    }
}

// ---------------------------------------------------------------------------------------------
// file

fn file_probe(path_text: &str, content: Option<Matcher>, ctx: &Context) -> ProbeOutcome {
    let path = ctx.project.join(path_text);
    let shown = text::clean(&path.to_string_lossy()).into_owned();
    let mut expected = format!("the file {shown} exists");
    if let Some(content) = &content {
        expected.push_str(&format!(" and {}", content.describe()));
    }
    let failed = |got: String| ProbeOutcome::Failed {
        expected: expected.clone(),
        got,
        hint: None,
    };
    let meta = match std::fs::metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return failed("no such file".into()),
        Err(e) => return failed(format!("cannot look at it: {e}")),
    };
    let Some(content) = content else {
        return ProbeOutcome::Passed {
            expected,
            got: if meta.is_dir() {
                "it exists (a folder)".into()
            } else {
                "it exists".into()
            },
        };
    };
    if meta.is_dir() {
        return failed("it is a folder, not a file".into());
    }
    if !meta.is_file() {
        return failed("it is not a regular file".into());
    }
    // Non-blocking, in case a FIFO took the file's place since it was looked at.
    let read = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&path)
        .and_then(|file| {
            let mut bytes = Vec::new();
            file.take(READ_CAP as u64 + 1).read_to_end(&mut bytes)?;
            Ok(bytes)
        });
    let mut bytes = match read {
        Ok(bytes) => bytes,
        Err(e) => return failed(format!("cannot read it: {e}")),
    };
    let cut = bytes.len() > READ_CAP;
    bytes.truncate(READ_CAP);
    let text = String::from_utf8_lossy(&bytes);
    if content.accepts(&text) {
        return ProbeOutcome::Passed {
            expected,
            got: "it does".into(),
        };
    }
    let mut got = if bytes.is_empty() {
        "it is empty".to_string()
    } else {
        format!("it does not; it begins:\n{}", first_lines(&text))
    };
    if cut {
        got.push_str("\n(only its first 1 MiB was read)");
    }
    failed(got)
}

// ---------------------------------------------------------------------------------------------
// Showing text from outside

/// The last `SHOWN_LINES` lines of `bytes`, escaped, saying how many lines came before and how
/// many bytes after (`more`, past the capture's cap).
fn last_lines(bytes: &[u8], more: u64) -> String {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
    let skip = lines.len().saturating_sub(SHOWN_LINES);
    let mut shown = lines[skip..].join("\n");
    let mut out = String::new();
    if skip > 0 {
        out.push_str(&format!(
            "… ({} before)\n",
            crate::core::text::count(skip, "line")
        ));
    }
    if shown.len() > SHOWN_BYTES {
        let mut from = shown.len() - SHOWN_BYTES;
        while !shown.is_char_boundary(from) {
            from += 1;
        }
        shown = format!("…{}", &shown[from..]);
    }
    out.push_str(&text::clean(&shown));
    if more > 0 {
        out.push_str(&format!("\n… ({more} more bytes)"));
    }
    out
}

/// The first `SHOWN_LINES` lines of `text`, escaped.
fn first_lines(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let lines: Vec<&str> = text.trim_end_matches('\n').split('\n').collect();
    let mut shown = lines[..lines.len().min(SHOWN_LINES)].join("\n");
    if shown.len() > SHOWN_BYTES {
        let mut to = SHOWN_BYTES;
        while !shown.is_char_boundary(to) {
            to -= 1;
        }
        shown.truncate(to);
        shown.push('…');
    }
    let mut out = text::clean(&shown).into_owned();
    if lines.len() > SHOWN_LINES {
        out.push_str(&format!("\n… ({} more lines)", lines.len() - SHOWN_LINES));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::path::Path;

    fn project() -> tempfile::TempDir {
        tempfile::tempdir().expect("temp dir")
    }

    fn ctx(dir: &Path) -> Context {
        Context::new(dir, BTreeMap::new())
    }

    fn probe(kind: ProbeKind, timeout: u64) -> Probe {
        Probe {
            kind,
            timeout,
            hint: Some("try harder".into()),
        }
    }

    fn run(command: &str, exit: i32, output: Option<Expect>) -> Probe {
        probe(
            ProbeKind::Run {
                command: command.to_string().into(),
                exit,
                output,
            },
            10,
        )
    }

    fn http(url: &str, method: Method, status: Option<u16>, body: Option<Expect>) -> Probe {
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

    fn file(path: &str, content: Option<Expect>) -> Probe {
        probe(
            ProbeKind::File {
                path: path.to_string().into(),
                content,
            },
            10,
        )
    }

    fn contains(s: &str) -> Option<Expect> {
        Some(Expect::Contains(s.to_string().into()))
    }

    fn matches(s: &str) -> Option<Expect> {
        Some(Expect::Matches(s.to_string().into()))
    }

    #[track_caller]
    fn passed(outcome: &ProbeOutcome) {
        assert!(
            matches!(outcome, ProbeOutcome::Passed { .. }),
            "should pass: {outcome:#?}"
        );
    }

    /// What came back, from a failure; panics on anything else.
    #[track_caller]
    fn failed(outcome: &ProbeOutcome) -> &str {
        match outcome {
            ProbeOutcome::Failed { got, hint, .. } => {
                assert_eq!(hint.as_deref(), Some("try harder"));
                got
            }
            other => panic!("should fail: {other:#?}"),
        }
    }

    /// Whether a process is still running (a zombie waiting for its parent is not).
    fn alive(pid: i32) -> bool {
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            let state = stat.rsplit(") ").next().and_then(|s| s.chars().next());
            return state != Some('Z') && state != Some('X');
        }
        // SAFETY: signal 0 only asks whether the process exists.
        unsafe { libc::kill(pid, 0) == 0 }
    }

    fn gone_soon(pid: i32) -> bool {
        let until = Instant::now() + Duration::from_secs(3);
        while Instant::now() < until {
            if !alive(pid) {
                return true;
            }
            thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn read_pid(path: &Path) -> i32 {
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

    #[test]
    fn run_passes_on_the_exit_status_and_fails_showing_it() {
        let dir = project();
        let c = ctx(dir.path());
        passed(&run_probe(&run("true", 0, None), &c));
        passed(&run_probe(&run("exit 3", 3, None), &c));
        let got = failed(&run_probe(&run("echo nope; exit 1", 0, None), &c)).to_string();
        assert_eq!(got, "exit status 1, output:\nnope");
        let got = failed(&run_probe(&run("exit 0", 2, None), &c)).to_string();
        assert_eq!(got, "exit status 0, no output");
    }

    #[test]
    fn run_checks_its_output_stdout_and_stderr_together() {
        let dir = project();
        let c = ctx(dir.path());
        let cmd = "echo 'PostgreSQL 16.2'; echo warning >&2";
        passed(&run_probe(&run(cmd, 0, contains("PostgreSQL")), &c));
        passed(&run_probe(&run(cmd, 0, contains("warning")), &c));
        passed(&run_probe(
            &run(cmd, 0, matches(r"^PostgreSQL 1[6-9]\.")),
            &c,
        ));
        passed(&run_probe(&run(cmd, 0, matches("^warning$")), &c));
        let got = failed(&run_probe(&run(cmd, 0, contains("MySQL")), &c)).to_string();
        assert_eq!(got, "exit status 0, output:\nPostgreSQL 16.2\nwarning");
        failed(&run_probe(
            &run(cmd, 0, matches(r"^PostgreSQL 1[0-5]\.")),
            &c,
        ));
        // The exit status is checked along with the output.
        failed(&run_probe(
            &run("echo PostgreSQL; exit 1", 0, contains("PostgreSQL")),
            &c,
        ));
        match run_probe(&run(cmd, 0, contains("MySQL")), &c) {
            ProbeOutcome::Failed { expected, .. } => assert_eq!(
                expected,
                "`echo 'PostgreSQL 16.2'; echo warning >&2` exits with status 0 and its output \
                 contains \"MySQL\""
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn run_starts_in_the_project_with_its_variables_and_no_input() {
        let dir = project();
        std::fs::write(dir.path().join("marker"), "").expect("write");
        let mut c = ctx(dir.path());
        c.vars.insert("name".into(), "marker".into());
        passed(&run_probe(&run("test -f {name}", 0, None), &c));
        passed(&run_probe(
            &run(
                "test \"$PATHWAY_PROJECT\" = \"$(pwd)\" && test -f {project}/marker",
                0,
                None,
            ),
            &c,
        ));
        // Standard input is empty: `cat` ends at once instead of waiting for the terminal.
        let start = Instant::now();
        passed(&run_probe(
            &run("cat; read x || echo eof", 0, contains("eof")),
            &c,
        ));
        assert!(start.elapsed() < Duration::from_secs(5));
        // An unknown variable cannot be run.
        assert!(matches!(
            run_probe(&run("echo {nope}", 0, None), &c),
            ProbeOutcome::Cannot { why } if why.contains("unknown variable")
        ));
        let missing = ctx(&dir.path().join("nowhere"));
        assert!(matches!(
            run_probe(&run("true", 0, None), &missing),
            ProbeOutcome::Cannot { why } if why.contains("is not a folder")
        ));
    }

    #[test]
    fn a_missing_program_cannot_check_rather_than_fails() {
        let dir = project();
        let c = ctx(dir.path());
        let outcome = run_probe(&run("pathway-no-such-program --version", 0, None), &c);
        assert_eq!(
            outcome,
            ProbeOutcome::Cannot {
                why: "needs pathway-no-such-program on your PATH".into()
            }
        );
        let outcome = run_probe(&run("LANG=C true && pathway-nope-2 -x", 0, None), &c);
        assert!(
            matches!(&outcome, ProbeOutcome::Cannot { why } if why.contains("pathway-nope-2")),
            "{outcome:?}"
        );
        assert_eq!(missing_program("PGHOST=x psql -c 1", ""), "psql");
        // A check that expects 127 gets it.
        passed(&run_probe(&run("pathway-no-such-program", 127, None), &c));
        let outcome = run_check(
            &[
                run("true", 0, None),
                run("pathway-no-such-program", 0, None),
            ],
            &c,
        );
        assert_eq!(outcome.result, CheckResult::Cannot);
    }

    #[test]
    fn escape_sequences_in_output_are_shown_escaped() {
        let dir = project();
        let c = ctx(dir.path());
        let cmd = r"printf '\033[31mred\033[0m\r\n\033]52;c;aGk=\007\n'; exit 1";
        let got = failed(&run_probe(&run(cmd, 0, None), &c)).to_string();
        assert!(!got.chars().any(|c| c.is_control() && c != '\n'), "{got:?}");
        assert!(got.contains("\\u{1b}[31mred\\u{1b}[0m\n"), "{got:?}");
        assert!(got.contains("\\u{1b}]52;c;aGk=\\u{7}"), "{got:?}");
        // The output is matched as it came, not as it is shown.
        passed(&run_probe(&run(cmd, 1, contains("\u{1b}[31mred")), &c));
    }

    #[test]
    fn output_is_capped_counted_and_shown_by_its_last_lines() {
        let dir = project();
        let c = ctx(dir.path());
        let got = failed(&run_probe(&run("seq 1 50; exit 1", 0, None), &c)).to_string();
        assert_eq!(
            got,
            "exit status 1, output:\n… (40 lines before)\n41\n42\n43\n44\n45\n46\n47\n48\n49\n50"
        );
        let cmd = "head -c 100000 /dev/zero | tr '\\0' a; exit 1";
        let got = failed(&run_probe(&run(cmd, 0, None), &c)).to_string();
        assert!(
            got.ends_with("\n… (34464 more bytes)"),
            "{}",
            &got[got.len() - 60..]
        );
        assert!(got.len() < SHOWN_BYTES + 200, "{}", got.len());
    }

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
    fn a_check_passes_only_when_every_probe_does_and_stops_at_a_failure() {
        let dir = project();
        let c = ctx(dir.path());
        let ok = run("true", 0, None);
        let bad = run("false", 0, None);
        let missing = run("pathway-no-such-program", 0, None);
        let outcome = run_check(&[ok.clone(), ok.clone()], &c);
        assert_eq!(outcome.result, CheckResult::Passed);
        assert_eq!(outcome.probes.len(), 2);
        let outcome = run_check(&[missing.clone(), bad.clone(), ok.clone()], &c);
        assert_eq!(outcome.result, CheckResult::Failed);
        assert_eq!(
            outcome.probes.len(),
            2,
            "the probe after a failure does not run"
        );
        assert_eq!(run_check(&[ok, missing], &c).result, CheckResult::Cannot);
        assert_eq!(run_check(&[], &c).result, CheckResult::Cannot);
        assert_eq!(CheckResult::Failed.as_str(), "failed");
        let json = serde_json::to_value(run_check(&[run("true", 0, None), bad], &c)).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "result": "failed",
                "probes": [
                    {"result": "passed", "expected": "`true` exits with status 0", "got": "exit status 0"},
                    {"result": "failed", "expected": "`false` exits with status 0",
                     "got": "exit status 1, no output", "hint": "try harder"},
                ]
            })
        );
    }

    // -----------------------------------------------------------------------------------------
    // http, against a server on 127.0.0.1 that answers each connection with the next canned
    // answer and reports the request it read.

    fn serve(answers: Vec<&'static str>) -> (u16, mpsc::Receiver<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for answer in answers {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut byte = [0u8; 1];
                while !request.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte) {
                        Ok(1) => request.push(byte[0]),
                        _ => break,
                    }
                }
                let _ = tx.send(String::from_utf8_lossy(&request).into_owned());
                if answer == "HANG" {
                    thread::sleep(Duration::from_secs(4));
                    continue;
                }
                let _ = stream.write_all(answer.as_bytes());
            }
        });
        (port, rx)
    }

    const OK_LENGTH: &str = "HTTP/1.1 200 OK\r\nContent-Length: 15\r\nContent-Type: text/plain\r\n\r\n{\"status\":\"ok\"}";
    const OK_CHUNKED: &str = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                              5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n";
    const OK_TO_EOF: &str = "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the end\nof the stream";
    const CONTINUE_THEN_OK: &str =
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
    const NOT_FOUND: &str =
        "HTTP/1.1 404 Not Found\r\nContent-Length: 24\r\n\r\n\u{1b}[2Jno such page\nsorry\n";
    const REDIRECT: &str = "HTTP/1.1 301 Moved Permanently\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n";

    #[test]
    fn http_reads_every_kind_of_body() {
        let dir = project();
        let (port, requests) = serve(vec![OK_LENGTH, OK_CHUNKED, OK_TO_EOF, CONTINUE_THEN_OK]);
        let mut c = ctx(dir.path());
        c.vars.insert("port".into(), port.to_string());
        let url = "http://127.0.0.1:{port}/health?full=1";
        passed(&run_probe(
            &http(url, Method::Get, Some(200), contains("\"ok\"")),
            &c,
        ));
        let request = requests.recv().expect("request");
        assert!(
            request.starts_with(&format!(
                "GET /health?full=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            )),
            "{request}"
        );
        assert!(request.contains("Connection: close\r\n"), "{request}");
        passed(&run_probe(
            &http(url, Method::Get, None, matches("^hello, world$")),
            &c,
        ));
        passed(&run_probe(
            &http(url, Method::Get, None, matches("(?m)^of the stream$")),
            &c,
        ));
        passed(&run_probe(
            &http(url, Method::Get, Some(201), contains("ok")),
            &c,
        ));
    }

    #[test]
    fn http_fails_on_the_status_or_the_body_and_shows_both() {
        let dir = project();
        let (port, requests) = serve(vec![NOT_FOUND, REDIRECT, REDIRECT, OK_LENGTH, OK_LENGTH]);
        let c = ctx(dir.path());
        let url = format!("http://127.0.0.1:{port}/page");
        let got = failed(&run_probe(&http(&url, Method::Get, None, None), &c)).to_string();
        assert_eq!(got, "status 404, body:\n\\u{1b}[2Jno such page\nsorry");
        // A redirect is not followed: it is the status that came back.
        let got = failed(&run_probe(&http(&url, Method::Get, None, None), &c)).to_string();
        assert_eq!(got, "status 301, no body");
        passed(&run_probe(&http(&url, Method::Get, Some(301), None), &c));
        let outcome = run_probe(&http(&url, Method::Get, None, contains("healthy")), &c);
        let got = failed(&outcome).to_string();
        assert_eq!(got, "status 200, body:\n{\"status\":\"ok\"}");
        match outcome {
            ProbeOutcome::Failed { expected, .. } => assert_eq!(
                expected,
                format!("GET {url} answers with status 2xx and a body that contains \"healthy\"")
            ),
            other => panic!("{other:?}"),
        }
        failed(&run_probe(
            &http(&url, Method::Get, None, matches("^ok$")),
            &c,
        ));
        let seen: Vec<String> = requests.try_iter().collect();
        assert_eq!(seen.len(), 5);
    }

    #[test]
    fn http_head_reads_no_body() {
        let dir = project();
        // Content-Length announces a body that a HEAD answer does not send.
        let (port, requests) = serve(vec!["HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"]);
        let start = Instant::now();
        // `localhost` may name ::1 first, where nothing listens: 127.0.0.1 is tried next.
        let url = format!("http://localhost:{port}/");
        passed(&run_probe(
            &http(&url, Method::Head, None, None),
            &ctx(dir.path()),
        ));
        assert!(start.elapsed() < Duration::from_secs(3));
        let request = requests.recv().expect("request");
        assert!(request.starts_with("HEAD / HTTP/1.1\r\n"), "{request}");
    }

    #[test]
    fn real_curl_takes_these_arguments_and_reports_a_refusal() {
        let dir = project();
        let c = ctx(dir.path());
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("addr").port()
        };
        let url = format!("https://127.0.0.1:{port}/");
        let outcome = http_probe(
            &url,
            Method::Get,
            None,
            None,
            Duration::from_secs(5),
            &c,
            CURL,
        );
        match outcome {
            // Where curl is not installed, that is what the probe says.
            ProbeOutcome::Cannot { why } => assert_eq!(why, "needs curl on your PATH for https"),
            // curl says "Connection refused", or since 8.x "Couldn't connect to server".
            ProbeOutcome::Failed { got, .. } => assert!(
                got == "connection refused (is it running?)"
                    || got.starts_with("cannot connect (is it running?): curl: (7)"),
                "{got}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn http_to_nothing_is_refused_and_a_silent_server_times_out() {
        let dir = project();
        let c = ctx(dir.path());
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("addr").port()
        };
        let got = failed(&run_probe(
            &http(
                &format!("http://127.0.0.1:{port}/"),
                Method::Get,
                None,
                None,
            ),
            &c,
        ))
        .to_string();
        assert_eq!(got, "connection refused (is it running?)");

        let (port, _requests) = serve(vec!["HANG"]);
        let mut p = http(
            &format!("http://127.0.0.1:{port}/"),
            Method::Get,
            None,
            None,
        );
        p.timeout = 1;
        let start = Instant::now();
        let got = failed(&run_probe(&p, &c)).to_string();
        assert_eq!(got, "no answer within 1 s");
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn cancelling_stops_a_waiting_request() {
        let dir = project();
        let c = ctx(dir.path());
        let (port, _requests) = serve(vec!["HANG"]);
        let mut p = http(
            &format!("http://127.0.0.1:{port}/"),
            Method::Get,
            None,
            None,
        );
        p.timeout = 60;
        let cancel = Arc::clone(&c.cancel);
        let setter = thread::spawn(move || {
            thread::sleep(Duration::from_millis(300));
            cancel.store(true, Ordering::Relaxed);
        });
        let start = Instant::now();
        assert_eq!(run_probe(&p, &c), ProbeOutcome::Cancelled);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        setter.join().expect("setter");
    }

    #[test]
    fn https_goes_through_curl_or_cannot_check() {
        let dir = project();
        let c = ctx(dir.path());
        let url = "https://example.invalid/health";
        assert_eq!(
            http_probe(
                url,
                Method::Get,
                None,
                None,
                Duration::from_secs(1),
                &c,
                "pathway-no-curl"
            ),
            ProbeOutcome::Cannot {
                why: "needs curl on your PATH for https".into()
            }
        );
        // A stand-in for curl that prints what curl would: the body, a line break, the status.
        // It records its arguments, which must carry the URL as one argument after `--url`.
        let fake = dir.path().join("fake-curl");
        std::fs::write(
            &fake,
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > args\nprintf 'all good\\n\\n200'\n",
        )
        .expect("write");
        std::fs::set_permissions(&fake, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("chmod");
        let fake = fake.to_string_lossy().into_owned();
        let run = |status, body: Option<Matcher>| {
            http_probe(
                url,
                Method::Get,
                status,
                body,
                Duration::from_secs(5),
                &c,
                &fake,
            )
        };
        passed(&run(None, Some(Matcher::Contains("all good".into()))));
        let args = std::fs::read_to_string(dir.path().join("args")).expect("args");
        assert!(args.starts_with("-q\n"), "{args}");
        assert!(args.contains(&format!("--url\n{url}\n")), "{args}");
        let outcome = run(Some(404), None);
        assert!(
            matches!(&outcome, ProbeOutcome::Failed { got, .. } if got == "status 200, body:\nall good"),
            "{outcome:?}"
        );
        let refusing = dir.path().join("refusing-curl");
        std::fs::write(
            &refusing,
            "#!/bin/sh\necho 'curl: (7) Failed to connect to x port 443: Connection refused' >&2\n\
             exit 7\n",
        )
        .expect("write");
        std::fs::set_permissions(
            &refusing,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
        let outcome = http_probe(
            url,
            Method::Get,
            None,
            None,
            Duration::from_secs(5),
            &c,
            &refusing.to_string_lossy(),
        );
        assert!(
            matches!(&outcome, ProbeOutcome::Failed { got, .. } if got == "connection refused (is it running?)"),
            "{outcome:?}"
        );
    }

    // -----------------------------------------------------------------------------------------
    // file

    #[test]
    fn file_passes_when_it_exists_and_holds_what_is_expected() {
        let dir = project();
        let c = ctx(dir.path());
        std::fs::write(
            dir.path().join("README.md"),
            "# Blog\n\n## Running\ncargo run\n",
        )
        .expect("write");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
        passed(&run_probe(&file("README.md", None), &c));
        passed(&run_probe(&file(".git", None), &c));
        passed(&run_probe(&file("README.md", contains("## Running")), &c));
        passed(&run_probe(&file("README.md", matches("^cargo run$")), &c));
        let absolute = dir.path().join("README.md").to_string_lossy().into_owned();
        passed(&run_probe(&file(&absolute, contains("Blog")), &c));
        passed(&run_probe(
            &file("{project}/README.md", contains("Blog")),
            &c,
        ));

        assert_eq!(
            failed(&run_probe(&file("NOTES.md", None), &c)),
            "no such file"
        );
        let got = failed(&run_probe(&file("README.md", contains("## Testing")), &c)).to_string();
        assert_eq!(
            got,
            "it does not; it begins:\n# Blog\n\n## Running\ncargo run"
        );
        failed(&run_probe(&file("README.md", matches("^Running")), &c));
        assert_eq!(
            failed(&run_probe(&file(".git", contains("x")), &c)),
            "it is a folder, not a file"
        );
        match run_probe(&file("README.md", contains("## Testing")), &c) {
            ProbeOutcome::Failed { expected, .. } => assert_eq!(
                expected,
                format!("the file {absolute} exists and contains \"## Testing\"")
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn file_content_is_escaped_and_a_fifo_does_not_block() {
        let dir = project();
        let c = ctx(dir.path());
        std::fs::write(dir.path().join("evil"), "\u{1b}]0;title\u{7}\r\nline\n").expect("write");
        let got = failed(&run_probe(&file("evil", contains("nothing")), &c)).to_string();
        assert_eq!(got, "it does not; it begins:\n\\u{1b}]0;title\\u{7}\nline");
        let fifo = dir.path().join("fifo");
        let name = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
        // SAFETY: a valid C string; mkfifo only creates the file.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        let start = Instant::now();
        assert_eq!(
            failed(&run_probe(&file("fifo", contains("x")), &c)),
            "it is not a regular file"
        );
        assert!(start.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn hints_are_expanded_and_escaped() {
        let dir = project();
        let mut c = ctx(dir.path());
        c.vars.insert("port".into(), "8000".into());
        let mut p = run("false", 0, None);
        p.hint = Some("start it on port {port}\u{1b}[2J".into());
        match run_probe(&p, &c) {
            ProbeOutcome::Failed { hint, .. } => {
                assert_eq!(hint.as_deref(), Some("start it on port 8000\\u{1b}[2J"));
            }
            other => panic!("{other:?}"),
        }
    }
}
