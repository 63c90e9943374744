//! The terminal loop: set the terminal up, read events, map keys, draw, save after changes, and
//! put the terminal back however the loop ends.

use std::io::stdout;
use std::time::Duration;

use anyhow::{Context, Result};
use crossterm::cursor::Show;
use crossterm::event::{
    self, DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableBracketedPaste,
    EnableFocusChange, EnableMouseCapture, Event, MouseButton, MouseEvent, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::backend::CrosstermBackend;
use ratatui::{DefaultTerminal, Terminal};

use crate::core::clock::now;
use crate::core::roadmap;
use crate::storage::progress_yaml::ProgressError;
use crate::storage::store::Store;
use crate::tui::app::{Action, App, Effect};
use crate::tui::config::Config;
use crate::tui::editor;

/// The roadmaps for the switcher (`R`), each with this progress: every file of the folder is
/// read, as the learner asked to see them all, and one that cannot be used is listed with why.
/// The app puts its own figures on the roadmap open now.
fn roadmap_choices(
    folder: &std::path::Path,
    progress: &crate::core::progress::Progress,
) -> Vec<crate::tui::app::RoadmapChoice> {
    crate::storage::catalog::load(folder)
        .into_iter()
        .map(|entry| match &entry.roadmap {
            Ok(r) => crate::tui::app::RoadmapChoice {
                id: r.id.to_string(),
                title: r.title.to_string(),
                percent: progress.counts(r).percent(),
                error: None,
            },
            Err(_) => crate::tui::app::RoadmapChoice {
                id: String::new(),
                title: entry.name(),
                percent: 0,
                error: entry.problem(false),
            },
        })
        .collect()
}

/// Where the roadmap switcher finds roadmaps and remembers the last one chosen.
pub struct Switch {
    pub folder: std::path::PathBuf,
    pub last_used: std::path::PathBuf,
    /// Where checks run and with what variables (the settings' `checks:`).
    pub checks: crate::storage::settings::ChecksSection,
    /// The folder of the approvals of roadmaps' checks.
    pub home: std::path::PathBuf,
}

/// Whether a roadmap's checks may run without asking: built in, or approved as they are.
pub fn checks_trusted(
    home: &std::path::Path,
    roadmap: &crate::core::roadmap::Roadmap,
    built_in: bool,
) -> bool {
    // An approvals file that cannot be read approves nothing; approving again names it.
    let approvals = crate::storage::approvals::read(home).ok().flatten();
    crate::checks::trust::status(roadmap, built_in, approvals.as_deref()).may_run()
}

/// Where and with what a roadmap's checks run: the project folder of the settings (else the
/// folder pathway was started in) and the variables.
fn check_context(
    switch: &Switch,
    roadmap: &crate::core::roadmap::Roadmap,
) -> crate::checks::Context {
    let project = switch
        .checks
        .project(&roadmap.id)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    crate::checks::Context::new(project, switch.checks.vars(&roadmap.id, &roadmap.vars))
}

/// The same, as the approval shows it: the listing names what will run. With no project
/// folder set nothing runs, so the listing shows the templates alone.
fn check_values(switch: &Switch, app: App) -> App {
    if switch.checks.project(&app.roadmap().id).is_none() {
        return app;
    }
    let ctx = check_context(switch, app.roadmap());
    app.with_check_values(crate::checks::trust::Values {
        project: ctx.project,
        vars: ctx.vars,
    })
}

/// Checks running on a thread of their own, so the screen keeps answering keys.
struct Runner {
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
    results: std::sync::mpsc::Receiver<(String, crate::checks::CheckOutcome)>,
    /// Where the checks run; `None` when no project folder is set and nothing runs.
    project: Option<std::path::PathBuf>,
}

impl Runner {
    /// Runs the checks of `keys` one after another, in the project folder of the settings. With
    /// none set, nothing runs: each check says how to set one, rather than running silently in
    /// whatever folder pathway was started in.
    fn start(app: &App, keys: Vec<String>, switch: &Switch) -> Runner {
        let roadmap = app.roadmap().clone();
        let configured = switch.checks.project(&roadmap.id);
        let ctx = check_context(switch, &roadmap);
        let cancel = ctx.cancel.clone();
        let project = configured.is_some().then(|| ctx.project.clone());
        let (send, results) = std::sync::mpsc::channel();
        if configured.is_none() {
            for key in keys {
                let why = "no project folder is set: add `checks: {project: ~/code/blog}` to \
                           the settings (S shows where they are), or run pathway check ID \
                           --project DIR";
                let outcome = crate::checks::CheckOutcome {
                    result: crate::checks::CheckResult::Cannot,
                    probes: vec![crate::checks::ProbeOutcome::Cannot { why: why.into() }],
                };
                let _ = send.send((key, outcome));
            }
            return Runner {
                cancel,
                results,
                project,
            };
        }
        let thread = std::thread::spawn(move || {
            for key in keys {
                if ctx.cancel.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let check = roadmap.steps.iter().find_map(|s| {
                    s.tasks
                        .iter()
                        .find(|t| crate::core::roadmap::task_key(s, t) == key)
                        .map(|t| t.check.clone())
                });
                let outcome = crate::checks::run_check(&check.unwrap_or_default(), &ctx);
                if send.send((key, outcome)).is_err() {
                    break;
                }
            }
        });
        let mut running = lock(&CHECK_THREADS);
        running.retain(|(_, thread)| !thread.is_finished());
        running.push((cancel.clone(), thread));
        Runner {
            cancel,
            results,
            project,
        }
    }
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
    install_signal_handlers()?;
    // Bracketed paste: pasted text arrives as one piece of text, never as keys to run.
    let result = execute!(
        stdout(),
        EnableMouseCapture,
        EnableFocusChange,
        EnableBracketedPaste
    )
    .map_err(Into::into)
    .and_then(|()| event_loop(&mut terminal, &mut app, config, store, switch));
    // Quitting, or an error: nothing a check started outlives pathway.
    stop_checks();
    restore();
    result.map(|()| app)
}

/// How often an idle TUI looks whether another process saved the progress file.
/// It also bounds how long a frame waits after `fg` brings back a process stopped from outside.
const RELOAD_EVERY: Duration = Duration::from_secs(1);
/// How soon an unsaved change is tried again.
const RETRY_EVERY: Duration = Duration::from_millis(250);

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    config: &Config,
    store: &Store,
    switch: &Switch,
) -> Result<()> {
    let mut sync = FileSync {
        seen: store.modified(),
        unsaved: false,
    };
    let mut runner: Option<Runner> = None;
    app.greet(now(), config);
    loop {
        if let Some(running) = &runner {
            // Results of the background checks, as they come.
            while let Ok((key, outcome)) = running.results.try_recv() {
                let detail = match outcome.result {
                    crate::checks::CheckResult::Failed => Some(crate::checks::failure(&outcome)),
                    crate::checks::CheckResult::Cannot => {
                        outcome.probes.iter().find_map(|p| match p {
                            crate::checks::ProbeOutcome::Cannot { why } => Some(why.clone()),
                            _ => None,
                        })
                    }
                    _ => None,
                };
                let finished = Action::CheckFinished {
                    key,
                    result: outcome.result,
                    detail,
                    report: crate::checks::report(&outcome, running.project.as_deref()),
                };
                if app.handle(finished, now(), config) == Effect::Save {
                    sync.save(app, config, store, true);
                }
            }
            if app.checking().is_none() {
                runner = None;
            }
        }
        {
            // Under the lock a suspension holds, so a frame is never drawn halfway through one.
            let _frame = TERMINAL.lock();
            if RESUMED.swap(false, std::sync::atomic::Ordering::SeqCst) {
                // Back from a suspension: a new terminal has empty buffers, so all is drawn.
                *terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
            }
            terminal.draw(|frame| {
                frame.render_widget(crate::tui::ui::Screen::new(app, config), frame.area())
            })?;
        }
        // Sleeps until input comes, waking only to fade a message or to look at the file: an
        // idle pathway costs no measurable CPU.
        let mut wait = if sync.unsaved {
            RETRY_EVERY
        } else {
            RELOAD_EVERY
        };
        if let Some(until) = app.message_expires() {
            wait = wait.min(Duration::try_from(until.duration_since(now())).unwrap_or_default());
        }
        if runner.is_some() {
            // The footer counts the seconds, and results are taken in as they come.
            wait = wait.min(Duration::from_millis(200));
        }
        if !event::poll(wait)? {
            app.handle(Action::Tick, now(), config);
            if sync.unsaved {
                // The last save failed or met another process's lock: try again.
                sync.save(app, config, store, false);
            } else {
                sync.reload_if_changed(app, config, store);
            }
            continue;
        }
        let action = match event::read()? {
            Event::Key(key) => {
                panic_on_request(&key);
                config.keymap.action_for(app.mode(), &key)
            }
            Event::Mouse(mouse) => mouse_action(mouse),
            // The next frame is drawn at the new size, whatever the event.
            Event::Resize(..) => None,
            Event::Paste(text) => Some(Action::Paste(text)),
            Event::FocusGained => {
                sync.reload_if_changed(app, config, store);
                None
            }
            _ => None,
        };
        let Some(action) = action else { continue };
        let said_before = app.message_expires();
        let effect = app.handle(action, now(), config);
        // What this change said ("5 tasks of Databases marked done") stays beside "saved ✓".
        let said = app.message_expires() != said_before;
        match effect {
            Effect::None => {}
            Effect::Save => sync.save(app, config, store, said),
            Effect::Open(url) => open_in_browser(app, &url),
            Effect::RunChecks(keys) => runner = Some(Runner::start(app, keys, switch)),
            Effect::CancelChecks => {
                if let Some(running) = runner.take() {
                    running
                        .cancel
                        .store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            Effect::ApproveChecks(keys) => {
                let approved = crate::storage::approvals::update(&switch.home, |current| {
                    crate::checks::trust::approve(current, app.roadmap())
                });
                match approved {
                    Ok(()) => runner = Some(Runner::start(app, keys, switch)),
                    Err(e) => {
                        app.handle(Action::Cancel, now(), config);
                        app.set_message(format!("cannot record the approval: {e:#}"), now());
                    }
                }
            }
            Effect::ListRoadmaps => {
                let choices = roadmap_choices(&switch.folder, app.progress());
                app.show_roadmaps(choices);
            }
            Effect::SwitchRoadmap(id) => match crate::storage::catalog::find(&id, &switch.folder) {
                Ok((roadmap, file)) => {
                    let trusted = checks_trusted(&switch.home, &roadmap, file.is_none());
                    *app = check_values(
                        switch,
                        app.switched_to(roadmap).with_checks_trusted(trusted),
                    );
                    app.set_message(format!("opened {}", app.roadmap().title), now());
                    // Reopened next time, unless --roadmap or the settings name another.
                    if let Err(e) =
                        crate::storage::fsio::write_atomic(&switch.last_used, id.as_bytes())
                    {
                        app.set_message(format!("cannot remember the roadmap: {e:#}"), now());
                    }
                }
                Err(e) => app.set_message(format!("{e:#}"), now()),
            },
            Effect::Suspend => {
                // The signal thread suspends and comes back (see suspend_for_the_shell); this
                // thread waits for it, then draws a whole frame.
                signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
                let start = std::time::Instant::now();
                while !RESUMED.load(std::sync::atomic::Ordering::SeqCst)
                    && start.elapsed() < Duration::from_secs(2)
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            Effect::EditExternally(text) => {
                let edited = suspended(terminal, || external_edit(&text))?;
                if let Some(signal) = editor::forwarded() {
                    // Ended from outside while the editor was open: keep what was written.
                    let changed = edited.is_ok_and(|text| {
                        app.handle(Action::NoteEdited(text), now(), config) == Effect::Save
                    });
                    let saved = if changed {
                        app.save_with(|p| store.save_within(p, Duration::from_secs(5)), config)
                    } else {
                        Ok(())
                    };
                    stop_checks();
                    restore();
                    // Ending anyway, as the signal asks; a note that could not be saved is said
                    // out loud on the way out, never dropped in silence.
                    if let Err(e) = saved {
                        eprintln!(
                            "pathway: the note written in the editor was NOT saved: {}",
                            crate::core::text::clean(&format!("{e:#}"))
                        );
                    }
                    std::process::exit(128 + signal);
                }
                match edited {
                    Ok(text) => {
                        if app.handle(Action::NoteEdited(text), now(), config) == Effect::Save {
                            sync.save(app, config, store, true);
                        }
                    }
                    Err(e) => {
                        app.handle(Action::Cancel, now(), config);
                        app.set_message(format!("{e:#}"), now());
                    }
                }
            }
            Effect::Quit => {
                if sync.unsaved {
                    // The last change could not be written: wait for a lock another process
                    // holds, and if it still cannot be saved, say so on the way out, loudly.
                    app.save_with(|p| store.save_within(p, Duration::from_secs(10)), config)
                        .context("quitting with unsaved progress")?;
                }
                return Ok(());
            }
        }
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

/// Opens a web address without waiting for the browser, so the TUI never blocks on it. The app
/// checked the address already; it is checked again here, right before it leaves the process.
fn open_in_browser(app: &mut App, url: &str) {
    let browser = std::env::var("BROWSER").ok();
    match roadmap::bad_url(url) {
        Some(why) => app.set_message(format!("not opened: {why}"), now()),
        None => match crate::tui::browser::open(url, browser.as_deref()) {
            Ok(()) => app.set_message(format!("opened {url}"), now()),
            // The whole address, on a line of its own, to copy: a footer would cut it.
            Err(why) => app.show_link(url, &why),
        },
    }
}

fn external_edit(text: &str) -> Result<String> {
    let (program, args) =
        editor::editor_command(std::env::var_os("VISUAL"), std::env::var_os("EDITOR"))?;
    editor::edit(text, &program, &args)
}

/// Hands the terminal to another program for the duration of `f`, then takes it back.
fn suspended<T>(terminal: &mut DefaultTerminal, f: impl FnOnce() -> T) -> Result<T> {
    restore();
    let result = f();
    take_terminal()?;
    // A new terminal has empty buffers, so the next frame is drawn whole. (`Terminal::clear`
    // would do the same but asks the terminal for the cursor position, which not all answer.)
    *terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok(result)
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

/// A lock, even one a panicking thread held: the data is a list, whole at every step.
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
fn install_signal_handlers() -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGTSTP])
            .context("cannot install signal handlers")?;
    std::thread::spawn(move || {
        for signal in signals.forever() {
            match signal {
                // Ctrl-Z, or `kill -TSTP` from outside: suspend like a well-behaved program.
                SIGTSTP => suspend_for_the_shell(),
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
fn suspend_for_the_shell() {
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
