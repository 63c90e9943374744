//! The event sources of the terminal loop, all feeding one channel: the terminal's input (a
//! thread reading crossterm events), the checks running in the background, the progress file
//! changed by another process (file events from the system), the return from a suspension (the
//! signal thread), and ticks when nothing else came.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use super::lock;

/// Everything the loop waits for.
pub(super) enum Event {
    /// A key, a mouse event, pasted text, focus, or a new size.
    Input(crossterm::event::Event),
    /// The terminal could not be read: the loop ends with this error.
    InputFailed(std::io::Error),
    /// Nothing else came for a while: messages fade, unsaved changes are tried again.
    Tick,
    /// A check the loop started (in run number `run`) finished.
    CheckFinished {
        run: u64,
        key: String,
        outcome: crate::checks::CheckOutcome,
    },
    /// Another process (a second pathway, `pathway done`) may have saved the progress file.
    ProgressChanged,
    /// Back from a suspension (Ctrl-Z, then `fg`): the frame is drawn whole.
    Resumed,
}

/// The one channel every source sends into.
pub(super) struct Events {
    send: Sender<Event>,
    receive: Receiver<Event>,
}

impl Events {
    pub fn new() -> Events {
        let (send, receive) = mpsc::channel();
        Events { send, receive }
    }

    /// For a source to send with.
    pub fn sender(&self) -> Sender<Event> {
        self.send.clone()
    }

    /// The next event, or a tick once `wait` passed without one.
    pub fn next(&self, wait: Duration) -> Event {
        match self.receive.recv_timeout(wait) {
            Ok(event) => event,
            // Never disconnected: `self` holds a sender.
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => Event::Tick,
        }
    }
}

/// How long the input thread waits for input before it looks whether to pause or stop: the
/// longest an external editor waits for the terminal, and the thread for the loop's end.
const INPUT_SLICE: Duration = Duration::from_millis(100);

/// Held by the input thread while it reads, and by whoever hands the terminal to another
/// program: crossterm reads whatever the terminal has, so nothing may read while an editor runs.
static READING: Mutex<()> = Mutex::new(());
/// Asks the input thread to leave the terminal alone (it waits without reading).
static PAUSED: AtomicBool = AtomicBool::new(false);

/// The thread reading the terminal's input; stopped and waited for when dropped, so nothing
/// reads the terminal once the loop has given it back.
pub(super) struct Input {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Input {
    pub fn start(send: Sender<Event>) -> Input {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::spawn(move || read_input(&send, &stopped));
        Input {
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn read_input(send: &Sender<Event>, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        if PAUSED.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(10));
            continue;
        }
        let _reading = lock(&READING);
        if PAUSED.load(Ordering::SeqCst) {
            continue;
        }
        let event = match crossterm::event::poll(INPUT_SLICE) {
            Ok(false) => continue,
            Ok(true) => crossterm::event::read(),
            Err(e) => Err(e),
        };
        let failed = event.is_err();
        let event = event.map_or_else(Event::InputFailed, Event::Input);
        if send.send(event).is_err() || failed {
            return;
        }
    }
}

/// Runs `f` (an external editor) with the input thread kept off the terminal.
pub(super) fn without_input<T>(f: impl FnOnce() -> T) -> T {
    PAUSED.store(true, Ordering::SeqCst);
    let result = {
        let _reading = lock(&READING);
        f()
    };
    PAUSED.store(false, Ordering::SeqCst);
    result
}

/// How long the progress file must be quiet after a change before the loop reads it: one save
/// is a write and a rename, and a burst of saves is read once.
const QUIET: Duration = Duration::from_millis(50);
/// The longest a change waits for the file to be quiet.
const SETTLE_AT_MOST: Duration = Duration::from_millis(500);

/// Watches the progress file's folder for changes to that file. Dropping it stops the watch.
pub(super) struct ProgressWatch {
    _watcher: notify::RecommendedWatcher,
}

impl ProgressWatch {
    /// Watches `file` (the real file, where saves rename to), sending
    /// [`Event::ProgressChanged`] once each burst of changes is over.
    pub fn start(file: &Path, send: Sender<Event>) -> notify::Result<ProgressWatch> {
        let folder = match file.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let name = file.file_name().map(|n| n.to_os_string());
        let (changed, changes) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // The folder holds the lock, the temporary file and backups too: only this file's
                // events count. An error (an overflowed queue) may hide a change: read to be sure.
                let counts = event.map_or(true, |event| {
                    !event.kind.is_access()
                        && event
                            .paths
                            .iter()
                            .any(|p| p.file_name().map(|n| n.to_os_string()) == name)
                });
                if counts {
                    let _ = changed.send(());
                }
            })?;
        watcher.watch(&folder, RecursiveMode::NonRecursive)?;
        std::thread::spawn(move || debounce(&changes, &send));
        Ok(ProgressWatch { _watcher: watcher })
    }
}

/// One [`Event::ProgressChanged`] per burst of changes; ends with the watcher or the loop.
fn debounce(changes: &Receiver<()>, send: &Sender<Event>) {
    while changes.recv().is_ok() {
        let started = Instant::now();
        loop {
            let left = SETTLE_AT_MOST.saturating_sub(started.elapsed()).min(QUIET);
            match changes.recv_timeout(left) {
                Ok(()) if !left.is_zero() => {}
                Ok(()) | Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if send.send(Event::ProgressChanged).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed_within(events: &Events, patience: Duration) -> bool {
        let deadline = Instant::now() + patience;
        while Instant::now() < deadline {
            if let Event::ProgressChanged = events.next(Duration::from_millis(50)) {
                return true;
            }
        }
        false
    }

    #[test]
    fn a_save_renamed_over_the_progress_file_is_one_change() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("progress.yaml");
        std::fs::write(&file, "a").expect("write");
        let events = Events::new();
        let _watch = ProgressWatch::start(&file, events.sender()).expect("watch");
        let tmp = dir.path().join(".progress.yaml.tmp");
        std::fs::write(&tmp, "b").expect("write");
        std::fs::rename(&tmp, &file).expect("rename");
        assert!(changed_within(&events, Duration::from_secs(10)));
        // The write and the rename were one burst: one event.
        assert!(!changed_within(&events, Duration::from_millis(300)));
    }

    #[test]
    fn a_folder_that_is_not_there_cannot_be_watched_so_the_loop_falls_back_to_polling() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("not-yet/progress.yaml");
        assert!(ProgressWatch::start(&file, Events::new().sender()).is_err());
    }

    #[test]
    fn other_files_in_the_folder_are_no_change() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("progress.yaml");
        let events = Events::new();
        let _watch = ProgressWatch::start(&file, events.sender()).expect("watch");
        std::fs::write(dir.path().join("progress.yaml.lock"), "").expect("write");
        std::fs::write(dir.path().join("last-roadmap"), "x").expect("write");
        assert!(!changed_within(&events, Duration::from_millis(500)));
        // The file's own creation is.
        std::fs::write(&file, "a").expect("write");
        assert!(changed_within(&events, Duration::from_secs(10)));
    }
}
