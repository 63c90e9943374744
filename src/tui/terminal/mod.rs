//! The terminal loop: set the terminal up, then draw, take the next event of the one channel
//! (events.rs), turn it into an `Action` for the app and run the `Effect` it returns
//! (effects.rs); save after changes, and put the terminal back however the loop ends.

use std::io::stdout;
use std::time::Duration;

use anyhow::{Context, Result};
use crossterm::cursor::Show;
use crossterm::event::{
    DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableFocusChange, EnableMouseCapture, Event as CrosstermEvent, MouseButton, MouseEvent,
    MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::backend::CrosstermBackend;
use ratatui::{DefaultTerminal, Terminal};

use crate::core::clock::now;
use crate::storage::progress_yaml::ProgressError;
use crate::storage::store::Store;
use crate::tui::app::{Action, App};
use crate::tui::config::Config;
use crate::tui::editor;

mod effects;
mod events;

use events::{Event, Events, Input, ProgressWatch};

/// Where the roadmap switcher finds roadmaps and remembers the last one chosen, and how checks
/// are trusted and run.
pub struct Switch {
    pub folder: std::path::PathBuf,
    pub last_used: std::path::PathBuf,
    pub checks: crate::tui::checking::CheckSetup,
}

/// The app with what its checks run with, for the approval's listing to name what will run.
/// With no project folder set nothing runs, so the listing shows the templates alone.
fn check_values(switch: &Switch, app: App) -> App {
    let Some(project) = switch.checks.project(app.roadmap()) else {
        return app;
    };
    let ctx = switch.checks.context_in(app.roadmap(), &project);
    app.with_check_values(crate::tui::checking::values(&ctx))
}

/// Runs the TUI until the learner quits. Progress is saved after every change; a save that fails
/// is shown in the footer and tried again on the next change and on quit.
pub fn run(app: App, config: &Config, store: &Store, switch: &Switch) -> Result<App> {
    let mut app = check_values(switch, app);
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            // try_init may have switched raw mode on before failing.
            restore();
            return Err(e).context("cannot start the terminal interface (is this a terminal?)");
        }
    };
    install_panic_hook();
    let events = Events::new();
    install_signal_handlers(events.sender())?;
    // Bracketed paste: pasted text arrives as one piece of text, never as keys to run.
    let result = execute!(
        stdout(),
        EnableMouseCapture,
        EnableFocusChange,
        EnableBracketedPaste
    )
    .map_err(Into::into)
    .and_then(|()| event_loop(&mut terminal, &mut app, config, store, switch, events));
    // Quitting, or an error: nothing a check started outlives pathway.
    stop_checks();
    restore();
    result.map(|()| app)
}

/// How often the loop ticks when nothing else comes: messages fade, and where the system gives
/// no file events, the progress file's time is looked at.
const TICK_EVERY: Duration = Duration::from_secs(1);
/// How soon an unsaved change is tried again.
const RETRY_EVERY: Duration = Duration::from_millis(250);
/// How often the footer counts a running check's seconds.
const CHECKS_TICK: Duration = Duration::from_millis(200);

/// Whether the loop goes on after an event.
enum Flow {
    Continue,
    Quit,
}

/// What the loop works with: the terminal, the app, where it saves, the one channel of events,
/// and the checks running now.
struct Loop<'a> {
    terminal: &'a mut DefaultTerminal,
    app: &'a mut App,
    config: &'a Config,
    store: &'a Store,
    switch: &'a Switch,
    events: Events,
    sync: FileSync,
    checks: Option<effects::Runner>,
    /// How many runs of checks were started: a result names its run, so one of a run
    /// cancelled or replaced is told apart.
    runs: u64,
    /// The progress file's changes as the system reports them; `None` where it cannot (no
    /// inotify watch left, the folder not made yet): then every tick looks at the file's time,
    /// and every save tries to watch again.
    watch: Option<ProgressWatch>,
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    config: &Config,
    store: &Store,
    switch: &Switch,
    events: Events,
) -> Result<()> {
    // Dropped when the loop ends, however it ends: nothing reads the terminal after.
    let _input = Input::start(events.sender());
    let mut the = Loop {
        terminal,
        app,
        config,
        store,
        switch,
        events,
        sync: FileSync {
            seen: None,
            unsaved: false,
        },
        checks: None,
        runs: 0,
        watch: None,
    };
    // Watching first, then the file's time: a save in between is seen.
    the.watch = the.watch_progress();
    the.sync.seen = store.modified();
    // The header's due count and the greeting are there from the first frame.
    the.app.greet(now(), config);
    loop {
        the.draw()?;
        let event = the.events.next(the.wait());
        if let Flow::Quit = the.handle(event)? {
            return Ok(());
        }
    }
}

impl Loop<'_> {
    fn draw(&mut self) -> Result<()> {
        // Under the lock a suspension holds, so a frame is never drawn halfway through one.
        let _frame = lock(&TERMINAL);
        if RESUMED.swap(false, std::sync::atomic::Ordering::SeqCst) {
            // Back from a suspension: a new terminal has empty buffers, so all is drawn.
            self.new_terminal()?;
        }
        let screen = crate::tui::ui::Screen::new(self.app, self.config);
        self.terminal
            .draw(|frame| frame.render_widget(screen, frame.area()))?;
        Ok(())
    }

    fn new_terminal(&mut self) -> Result<()> {
        *self.terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
        Ok(())
    }

    /// How long to wait for an event before a tick: an idle pathway wakes only to fade a
    /// message, to try a save again, or to count a check's seconds.
    fn wait(&self) -> Duration {
        let mut wait = if self.sync.unsaved {
            RETRY_EVERY
        } else {
            TICK_EVERY
        };
        if let Some(until) = self.app.message_expires() {
            wait = wait.min(Duration::try_from(until.duration_since(now())).unwrap_or_default());
        }
        if self.checks.is_some() {
            wait = wait.min(CHECKS_TICK);
        }
        wait
    }

    fn handle(&mut self, event: Event) -> Result<Flow> {
        let action = match event {
            Event::Input(input) => self.input_action(input),
            Event::InputFailed(e) => return Err(e.into()),
            Event::Tick => {
                self.tick();
                None
            }
            Event::CheckFinished { run, key, outcome } => {
                self.check_finished(run, key, outcome);
                None
            }
            Event::ProgressChanged => {
                self.reload();
                None
            }
            // The next frame is drawn whole (`draw` sees `RESUMED`).
            Event::Resumed => None,
        };
        let Some(action) = action else {
            return Ok(Flow::Continue);
        };
        let said_before = self.app.message_expires();
        let effect = self.app.handle(action, now(), self.config);
        // What this change said ("5 tasks of Databases marked done") stays beside "saved ✓".
        let said = self.app.message_expires() != said_before;
        self.run_effect(effect, said)
    }

    fn input_action(&mut self, input: CrosstermEvent) -> Option<Action> {
        match input {
            CrosstermEvent::Key(key) => {
                panic_on_request(&key);
                self.config.keymap.action_for(self.app.mode(), &key)
            }
            CrosstermEvent::Mouse(mouse) => mouse_action(mouse),
            CrosstermEvent::Paste(text) => Some(Action::Paste(text)),
            CrosstermEvent::FocusGained => {
                self.reload();
                None
            }
            // The next frame is drawn at the new size, whatever the event.
            _ => None,
        }
    }

    fn tick(&mut self) {
        self.app.handle(Action::Tick, now(), self.config);
        if self.sync.unsaved {
            // The last save failed or met another process's lock: try again.
            self.save(false);
        } else if self.watch.is_none() {
            self.reload();
        }
    }

    fn save(&mut self, said: bool) {
        self.sync.save(self.app, self.config, self.store, said);
        if self.watch.is_none() && !self.sync.unsaved {
            self.watch = self.watch_progress();
        }
    }

    fn reload(&mut self) {
        self.sync
            .reload_if_changed(self.app, self.config, self.store);
    }

    fn watch_progress(&self) -> Option<ProgressWatch> {
        ProgressWatch::start(&self.store.real_path(), self.events.sender()).ok()
    }
}

/// Keeps the app and the progress file in step with each other.
struct FileSync {
    /// The file's modification time after our last save or reload.
    seen: Option<std::time::SystemTime>,
    /// A change is not on disk yet: the last save failed.
    unsaved: bool,
}

impl FileSync {
    fn save(&mut self, app: &mut App, config: &Config, store: &Store, said: bool) {
        let _saving = SAVING.lock();
        match app.save_with(|p| store.save(p), config) {
            Ok(()) => {
                // What the change said stays in view, with the save after it.
                app.say_saved(said, now());
                self.seen = store.modified();
                self.unsaved = false;
            }
            Err(e) if e.is::<crate::storage::store::Locked>() => {
                app.set_message("waiting for another pathway to finish saving…", now());
                self.unsaved = true;
            }
            Err(e) => {
                let said = match e.downcast_ref::<ProgressError>() {
                    Some(e @ ProgressError::Unmerged { .. }) => e.footer(),
                    _ => format!("NOT SAVED: {e:#}"),
                };
                app.set_message(said, now());
                self.unsaved = true;
            }
        }
    }

    /// Takes in what another process saved, merged with this one's state.
    fn reload_if_changed(&mut self, app: &mut App, config: &Config, store: &Store) {
        let modified = store.modified();
        if modified == self.seen {
            return;
        }
        match store.load() {
            Ok(disk) => {
                if let Some(warning) = disk.warnings.first() {
                    app.set_message(warning.clone(), now());
                }
                app.merge_from_disk(&disk, config);
                self.seen = modified;
            }
            Err(e) => app.set_message(e.footer(), now()),
        }
    }
}

fn mouse_action(mouse: MouseEvent) -> Option<Action> {
    let (col, row) = (mouse.column, mouse.row);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(col, row)),
        MouseEventKind::ScrollDown => Some(Action::Wheel(col, row, true)),
        MouseEventKind::ScrollUp => Some(Action::Wheel(col, row, false)),
        _ => None,
    }
}

/// Takes the terminal back after another program or the shell had it: every mode `run` sets,
/// and a cleared screen for a whole new frame.
fn take_terminal() -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        EnableFocusChange,
        Clear(ClearType::All)
    )
}

/// Leaves the terminal as it was found. ratatui's own restore leaves mouse capture and a hidden
/// cursor alone, so those are undone here too; every step runs even if an earlier one fails.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        DisableFocusChange,
        LeaveAlternateScreen,
        Show
    );
}

/// In debug builds only, `!` panics when `PATHWAY_DEBUG_PANIC` is set: the pseudo-terminal tests
/// use it to check that a panic leaves the terminal usable.
fn panic_on_request(key: &crossterm::event::KeyEvent) {
    if cfg!(debug_assertions)
        && key.code == crossterm::event::KeyCode::Char('!')
        && std::env::var_os("PATHWAY_DEBUG_PANIC").is_some()
    {
        panic!("panic requested with PATHWAY_DEBUG_PANIC");
    }
}

/// The threads of the checks started from the checklist, with their cancel flags. A check runs
/// in a session of its own, which no signal to pathway reaches: however pathway ends (`q`, a
/// signal, an error, a panic), they are cancelled and waited for, so that everything they
/// started is killed and reaped first.
type CheckThread = (
    std::sync::Arc<std::sync::atomic::AtomicBool>,
    std::thread::JoinHandle<()>,
);
static CHECK_THREADS: std::sync::Mutex<Vec<CheckThread>> = std::sync::Mutex::new(Vec::new());

/// How long pathway waits on its way out for checks to clean up: a probe sees its cancel flag
/// within 50 ms and then waits at most a second for the output of what it killed.
const CLEANUP_WAIT: Duration = Duration::from_secs(5);

/// A lock, even one a panicking thread held: what each lock here guards is whole at every step.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Cancels every running check and waits (at most [`CLEANUP_WAIT`]) until each has killed and
/// reaped what it started.
fn stop_checks() {
    let running = std::mem::take(&mut *lock(&CHECK_THREADS));
    for (cancel, _) in &running {
        cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    let deadline = std::time::Instant::now() + CLEANUP_WAIT;
    for (_, thread) in running {
        while !thread.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        if thread.is_finished() {
            let _ = thread.join();
        }
    }
}

/// Held while saving, so a termination signal waits for the save to finish.
static SAVING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// SIGTERM, SIGHUP and SIGINT end pathway cleanly: after any save in progress, the terminal is
/// restored and the process exits with the conventional 128 + signal number. Every change is
/// saved when it is made, so there is nothing else to write.
fn install_signal_handlers(resumed: std::sync::mpsc::Sender<Event>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP])
            .context("cannot install signal handlers")?;
    std::thread::spawn(move || {
        for signal in signals.forever() {
            match signal {
                // Ctrl-Z, or `kill -TSTP` from outside: suspend like a well-behaved program.
                SIGTSTP => suspend_for_the_shell(&resumed),
                // Ctrl-C in the editor is the editor's business.
                SIGINT if editor::running() => {}
                // The editor gets the signal and ends; the main thread keeps what it wrote and
                // exits after it.
                _ if editor::forward_signal(signal) => {}
                _ => {
                    stop_checks();
                    let _saving = SAVING.lock();
                    restore();
                    std::process::exit(128 + signal);
                }
            }
        }
    });
    Ok(())
}

/// Raises `signal` with its default action, as if pathway had no handler: the process stops
/// until continued, or, in a process group no shell controls, the kernel drops it as it does for
/// any program. (signal-hook's emulation raises SIGSTOP instead, which nothing can drop.)
///
/// Written with libc because no crate puts the default action back safely: signal-hook only
/// emulates it, as said, and the sigaction of nix and of rustix is an `unsafe fn` too.
fn stop_as_by_default(signal: i32) {
    // SAFETY: sigaction with valid arguments, installing the default action (no code of ours
    // runs in a handler); the one signal-hook installed is put back right after.
    let previous = unsafe {
        let mut default: libc::sigaction = std::mem::zeroed();
        default.sa_sigaction = libc::SIG_DFL;
        let mut previous: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(signal, &default, &mut previous) != 0 {
            return;
        }
        previous
    };
    let _ = signal_hook::low_level::raise(signal);
    // SAFETY: puts back the handler that was there, as sigaction returned it.
    unsafe {
        libc::sigaction(signal, &previous, std::ptr::null_mut());
    }
}

/// Held while a frame is drawn, so a suspension does not cut one in half.
static TERMINAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
/// Set when pathway comes back from a suspension: the next frame is drawn whole.
static RESUMED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Gives the terminal back, stops until the shell continues the process (`fg`), then takes the
/// terminal again and asks for a whole new frame. While the external editor runs, it has the
/// terminal: pathway only stops with it.
fn suspend_for_the_shell(resumed: &std::sync::mpsc::Sender<Event>) {
    use signal_hook::consts::SIGTSTP;
    if editor::running() {
        stop_as_by_default(SIGTSTP);
        return;
    }
    let _frame = TERMINAL.lock();
    let _saving = SAVING.lock();
    restore();
    // Stops here; returns once continued (or at once where no shell does job control).
    stop_as_by_default(SIGTSTP);
    let _ = take_terminal();
    RESUMED.store(true, std::sync::atomic::Ordering::SeqCst);
    // Wakes the loop, which may be waiting for an event, to draw the whole frame now.
    let _ = resumed.send(Event::Resumed);
}

/// Restores the terminal before the panic report is printed, so the report is readable and the
/// shell usable. Chains to the hook that was there before (ratatui's, then the default).
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        stop_checks();
        previous(info);
    }));
}
