//! Helpers the test modules share: a temporary folder for tests that save hundreds of times, and
//! the real `pathway` binary run in a pseudo-terminal, its screen read through a vt100 parser
//! as a person in a terminal would see it.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub mod evidence;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const BIN: &str = env!("CARGO_BIN_EXE_pathway");

/// A temporary folder in memory (`/dev/shm`) where the system has one, else in the usual place.
/// For tests that save hundreds of times: every save syncs the file and its folder to disk, and
/// on a disk busy with a build beside them those waits took seconds (a property test, 0.2 s in
/// memory, took 5.6 s). What they prove (the lock, the merge, renames that replace a file
/// whole) holds on any file system, and a process killed mid-save leaves the same file on each.
pub fn tempdir() -> tempfile::TempDir {
    let memory = Path::new("/dev/shm");
    if memory.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(memory)
    {
        return dir;
    }
    tempfile::tempdir().expect("tempdir")
}

/// How long to wait for the screen or the process: `PATHWAY_TEST_PATIENCE` seconds on a slow
/// machine, else 20.
fn patience() -> Duration {
    let secs = std::env::var("PATHWAY_TEST_PATIENCE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    Duration::from_secs(secs)
}

/// A frame counts as drawn once the screen has not changed for this long.
const STABLE_FOR: Duration = Duration::from_millis(60);

pub struct Pty {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Bytes pathway has written to the terminal so far.
    written: Arc<AtomicUsize>,
    /// Set once everything pathway wrote has been read (its side of the terminal is closed).
    closed: Arc<AtomicBool>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Pty {
    /// Starts pathway with its progress and config kept in `dir`, never the machine's own.
    pub fn start(dir: &Path, args: &[&str], cols: u16, rows: u16) -> Pty {
        Pty::start_with_env(dir, args, &[], cols, rows)
    }

    /// As `start`, with extra environment variables.
    pub fn start_with_env(
        dir: &Path,
        args: &[&str],
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("PATHWAY_PROGRESS", dir.join("progress.yaml"));
        cmd.env("XDG_CONFIG_HOME", dir.join("config"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("VISUAL");
        cmd.env_remove("EDITOR");
        for (key, value) in env {
            cmd.env(key, value);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn pathway");
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let sink = Arc::clone(&parser);
        let written = Arc::new(AtomicUsize::new(0));
        let closed = Arc::new(AtomicBool::new(false));
        let (count, done) = (Arc::clone(&written), Arc::clone(&closed));
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("parser lock").process(&buf[..n]);
                count.fetch_add(n, Ordering::SeqCst);
            }
            done.store(true, Ordering::SeqCst);
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Pty {
            parser,
            written,
            closed,
            writer,
            child,
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser lock").screen().contents()
    }

    /// The screen with its colours and attributes: a move that only changes which line is
    /// highlighted changes this, not `screen`.
    fn formatted(&self) -> Vec<u8> {
        self.parser
            .lock()
            .expect("parser lock")
            .screen()
            .contents_formatted()
    }

    /// Bytes pathway has written to the terminal so far: compare before and after an event to
    /// know it drew something.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::SeqCst)
    }

    /// Bytes sent to pathway that it has not read yet (what is waiting in its terminal's input),
    /// or `None` once it has ended.
    fn unread_input(&self) -> Option<usize> {
        let pid = self.child.process_id()?;
        // pathway's own end of the terminal, opened anew and closed at once: holding it would
        // keep the terminal open after pathway ends.
        let tty = std::fs::File::open(format!("/proc/{pid}/fd/0")).ok()?;
        let mut n: libc::c_int = 0;
        // SAFETY: FIONREAD writes one c_int through the pointer, to a live local.
        let ok = unsafe {
            libc::ioctl(
                std::os::fd::AsRawFd::as_raw_fd(&tty),
                libc::FIONREAD,
                &mut n,
            )
        } == 0;
        ok.then_some(usize::try_from(n).unwrap_or(0))
    }

    /// Waits until pathway has read every key sent so far and its screen has settled: for keys
    /// that change nothing on the screen (they still must be read apart from the next ones).
    pub fn settle(&mut self) {
        let start = Instant::now();
        while self.unread_input().is_some_and(|n| n > 0) {
            if start.elapsed() > patience() {
                panic!("pathway never read its input; screen:\n{}", self.screen());
            }
            thread::sleep(Duration::from_millis(5));
        }
        self.stable_screen();
    }

    /// Waits until pathway has written something after `mark` (from `written`) and the screen
    /// has settled again: a redraw after a signal.
    pub fn wait_for_output_after(&self, mark: usize) -> String {
        let start = Instant::now();
        while self.written() <= mark {
            if start.elapsed() > patience() {
                panic!("pathway wrote nothing; screen:\n{}", self.screen());
            }
            thread::sleep(Duration::from_millis(10));
        }
        self.stable_screen()
    }

    /// Waits until the screen shows `text`; panics with the screen if it never does.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < patience() {
            if self.screen().contains(text) {
                return;
            }
            thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for {text:?}; screen:\n{}", self.screen());
    }

    /// Waits until the screen, colours included, stops changing (a whole frame drawn) and
    /// returns its text.
    pub fn stable_screen(&self) -> String {
        let start = Instant::now();
        let mut last = self.formatted();
        let mut since = Instant::now();
        while start.elapsed() < patience() {
            thread::sleep(Duration::from_millis(10));
            let now = self.formatted();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= STABLE_FOR {
                return self.screen();
            }
        }
        panic!("the screen never settled; last screen:\n{}", self.screen());
    }

    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Sends keys one at a time, waiting for the screen (colours included) to react to each
    /// and settle, so no key is read before the app is ready for it. A key the screen never
    /// answers fails the test with the last screen: for keys meant to change nothing, `send`
    /// them and `settle`.
    pub fn type_keys(&mut self, keys: &[&str]) {
        for key in keys {
            self.stable_screen();
            let before = self.formatted();
            self.send(key);
            let start = Instant::now();
            while self.formatted() == before {
                if start.elapsed() > patience() {
                    panic!(
                        "the screen did not change after {key:?}; screen:\n{}",
                        self.screen()
                    );
                }
                thread::sleep(Duration::from_millis(10));
            }
            self.stable_screen();
        }
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Waits for the process to end and returns its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < patience() {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // The reader takes in the last bytes the process wrote, up to the end.
                while !self.closed.load(Ordering::SeqCst) && start.elapsed() < patience() {
                    thread::sleep(Duration::from_millis(5));
                }
                return status.exit_code();
            }
            thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("pathway did not exit; screen:\n{}", self.screen());
    }

    /// Sends a signal to the process, as `kill -SIGNAL` would.
    pub fn signal(&self, name: &str) {
        let pid = self.child.process_id().expect("pid");
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    /// Whether the terminal is back to normal: main screen, cursor shown.
    pub fn terminal_restored(&self) -> bool {
        let parser = self.parser.lock().expect("parser lock");
        let screen = parser.screen();
        !screen.alternate_screen() && !screen.hide_cursor()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
