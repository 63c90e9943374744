//! The effect runner: what the app asks of the world after an action, one function per
//! [`Effect`], and the checks run on a thread of their own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::Duration;

use anyhow::{Context as _, Result};

use super::events::{Event, without_input};
use super::{
    CHECK_THREADS, Flow, Loop, RESUMED, Switch, lock, restore, stop_checks, take_terminal,
};
use crate::core::clock::now;
use crate::core::roadmap;
use crate::tui::app::{Action, App, Effect, RoadmapChoice};
use crate::tui::editor;

impl Loop<'_> {
    /// Runs what the app asked for. `said`: the action put a message in the footer, which a
    /// save keeps beside "saved ✓".
    pub(super) fn run_effect(&mut self, effect: Effect, said: bool) -> Result<Flow> {
        match effect {
            Effect::None => {}
            Effect::Save => self.save(said),
            Effect::Open(url) => open_in_browser(self.app, &url),
            Effect::RunChecks(keys) => self.start_checks(keys),
            Effect::CancelChecks => self.cancel_checks(),
            Effect::ApproveChecks(keys) => self.approve_checks(keys),
            Effect::ListRoadmaps => self.list_roadmaps(),
            Effect::SwitchRoadmap(id) => self.switch_roadmap(&id),
            Effect::Suspend => suspend()?,
            Effect::EditExternally(text) => self.edit_externally(&text)?,
            Effect::Quit => return self.quit(),
        }
        Ok(Flow::Continue)
    }

    fn start_checks(&mut self, keys: Vec<String>) {
        // A run replaced is a run no one waits for any more.
        self.cancel_checks();
        self.runs += 1;
        self.checks = Some(Runner::start(
            self.app,
            keys,
            self.switch,
            self.runs,
            self.events.sender(),
        ));
    }

    fn cancel_checks(&mut self) {
        if let Some(running) = self.checks.take() {
            running.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// A result of the checks running now, for the app; one of a run cancelled is dropped.
    pub(super) fn check_finished(
        &mut self,
        run: u64,
        key: String,
        outcome: crate::checks::CheckOutcome,
    ) {
        let Some(running) = self.checks.as_ref().filter(|r| r.run == run) else {
            return;
        };
        let finished = finished(key, &outcome, running.project.as_deref());
        if self.app.handle(finished, now(), self.config) == Effect::Save {
            self.save(true);
        }
        if self.app.checking().is_none() {
            self.checks = None;
        }
    }

    fn approve_checks(&mut self, keys: Vec<String>) {
        match self.switch.checks.approve(self.app.roadmap()) {
            Ok(()) => self.start_checks(keys),
            Err(e) => {
                self.app.handle(Action::Cancel, now(), self.config);
                self.app
                    .set_message(format!("cannot record the approval: {e:#}"), now());
            }
        }
    }

    fn list_roadmaps(&mut self) {
        let choices = roadmap_choices(&self.switch.folder, self.app.progress());
        self.app.show_roadmaps(choices);
    }

    fn switch_roadmap(&mut self, id: &str) {
        let app = &mut *self.app;
        let switch = self.switch;
        match crate::storage::catalog::find(id, &switch.folder) {
            Ok((roadmap, file)) => {
                let trusted = switch.checks.trusted(&roadmap, file.is_none());
                *app = super::check_values(
                    switch,
                    app.switched_to(roadmap).with_checks_trusted(trusted),
                );
                app.set_message(format!("opened {}", app.roadmap().title), now());
                // Reopened next time, unless --roadmap or the settings name another.
                if let Err(e) = crate::storage::fsio::write_atomic(&switch.last_used, id.as_bytes())
                {
                    app.set_message(format!("cannot remember the roadmap: {e:#}"), now());
                }
            }
            Err(e) => app.set_message(format!("{e:#}"), now()),
        }
    }

    fn edit_externally(&mut self, text: &str) -> Result<()> {
        let edited = self.suspended(|| external_edit(text))?;
        if let Some(signal) = editor::forwarded() {
            self.exit_keeping(edited, signal);
        }
        match edited {
            Ok(text) => {
                if self
                    .app
                    .handle(Action::NoteEdited(text), now(), self.config)
                    == Effect::Save
                {
                    self.save(true);
                }
            }
            Err(e) => {
                self.app.handle(Action::Cancel, now(), self.config);
                self.app.set_message(format!("{e:#}"), now());
            }
        }
        Ok(())
    }

    /// Ended from outside while the editor was open: keeps what was written, then ends as the
    /// signal asks; a note that could not be saved is said out loud on the way out, never
    /// dropped in silence.
    fn exit_keeping(&mut self, edited: Result<String>, signal: i32) -> ! {
        let changed = edited.is_ok_and(|text| {
            self.app
                .handle(Action::NoteEdited(text), now(), self.config)
                == Effect::Save
        });
        let saved = if changed {
            let store = self.store;
            self.app.save_with(
                |p| store.save_within(p, Duration::from_secs(5)),
                self.config,
            )
        } else {
            Ok(())
        };
        stop_checks();
        restore();
        if let Err(e) = saved {
            eprintln!(
                "pathway: the note written in the editor was NOT saved: {}",
                crate::core::text::clean(&format!("{e:#}"))
            );
        }
        std::process::exit(128 + signal);
    }

    /// Hands the terminal to another program for the duration of `f`, then takes it back.
    fn suspended<T>(&mut self, f: impl FnOnce() -> T) -> Result<T> {
        restore();
        let result = without_input(f);
        take_terminal()?;
        // A new terminal has empty buffers, so the next frame is drawn whole. (`Terminal::clear`
        // would do the same but asks the terminal for the cursor position, which not all answer.)
        self.new_terminal()?;
        Ok(result)
    }

    fn quit(&mut self) -> Result<Flow> {
        if self.sync.unsaved {
            // The last change could not be written: wait for a lock another process holds,
            // and if it still cannot be saved, say so on the way out, loudly.
            let store = self.store;
            self.app
                .save_with(
                    |p| store.save_within(p, Duration::from_secs(10)),
                    self.config,
                )
                .context("quitting with unsaved progress")?;
        }
        Ok(Flow::Quit)
    }
}

/// Ctrl-Z: the signal thread suspends and comes back (see `suspend_for_the_shell`); this thread
/// waits for it, so the next frame is the whole one drawn after.
fn suspend() -> Result<()> {
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    let start = std::time::Instant::now();
    while !RESUMED.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(5));
    }
    Ok(())
}

/// A check's outcome as the app takes it: what failed or why it could not check, and the
/// report for the details.
fn finished(
    key: String,
    outcome: &crate::checks::CheckOutcome,
    project: Option<&std::path::Path>,
) -> Action {
    let detail = match outcome.result {
        crate::checks::CheckResult::Failed => Some(crate::checks::failure(outcome)),
        crate::checks::CheckResult::Cannot => outcome.probes.iter().find_map(|p| match p {
            crate::checks::ProbeOutcome::Cannot { why } => Some(why.clone()),
            _ => None,
        }),
        _ => None,
    };
    Action::CheckFinished {
        key,
        result: outcome.result,
        detail,
        report: crate::checks::report(outcome, project),
    }
}

/// The roadmaps for the switcher (`R`), each with this progress: every file of the folder is
/// read, as the learner asked to see them all, and one that cannot be used is listed with why.
/// The app puts its own figures on the roadmap open now.
fn roadmap_choices(
    folder: &std::path::Path,
    progress: &crate::core::progress::Progress,
) -> Vec<RoadmapChoice> {
    crate::storage::catalog::load(folder)
        .into_iter()
        .map(|entry| match &entry.roadmap {
            Ok(r) => RoadmapChoice {
                id: r.id.to_string(),
                title: r.title.to_string(),
                percent: progress.counts(r).percent(),
                error: None,
            },
            Err(_) => RoadmapChoice {
                id: String::new(),
                title: entry.name(),
                percent: 0,
                error: entry.problem(false),
            },
        })
        .collect()
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

/// Checks running on a thread of their own, so the screen keeps answering keys; their results
/// come into the loop as [`Event::CheckFinished`] of this run.
pub(super) struct Runner {
    run: u64,
    cancel: Arc<AtomicBool>,
    /// Where the checks run; `None` when no project folder is set and nothing runs.
    project: Option<std::path::PathBuf>,
}

impl Runner {
    /// Runs the checks of `keys` one after another, in the project folder of the settings. With
    /// none set, nothing runs: each check says how to set one, rather than running silently in
    /// whatever folder pathway was started in.
    fn start(
        app: &App,
        keys: Vec<String>,
        switch: &Switch,
        run: u64,
        send: Sender<Event>,
    ) -> Runner {
        let roadmap = app.roadmap().clone();
        let ctx = switch
            .checks
            .project(&roadmap)
            .map(|project| switch.checks.context_in(&roadmap, &project));
        let runner = Runner {
            run,
            cancel: ctx
                .as_ref()
                .map_or_else(Arc::default, |ctx| ctx.cancel.clone()),
            project: ctx.as_ref().map(|ctx| ctx.project.clone()),
        };
        let finished = move |key, outcome| {
            send.send(Event::CheckFinished { run, key, outcome })
                .is_ok()
        };
        let Some(ctx) = ctx else {
            for key in keys {
                finished(key, no_project());
            }
            return runner;
        };
        let thread = std::thread::spawn(move || {
            for key in keys {
                if ctx.cancel.load(Ordering::Relaxed) {
                    break;
                }
                let check = roadmap.steps.iter().find_map(|s| {
                    s.tasks
                        .iter()
                        .find(|t| crate::core::roadmap::task_key(s, t) == key)
                        .map(|t| t.check.clone())
                });
                let outcome = crate::checks::run_check(&check.unwrap_or_default(), &ctx);
                if !finished(key, outcome) {
                    break;
                }
            }
        });
        let mut running = lock(&CHECK_THREADS);
        running.retain(|(_, thread)| !thread.is_finished());
        running.push((runner.cancel.clone(), thread));
        runner
    }
}

fn no_project() -> crate::checks::CheckOutcome {
    let why = "no project folder is set: add `checks: {project: ~/code/blog}` to the settings \
               (S shows where they are), or run pathway check ID --project DIR";
    crate::checks::CheckOutcome {
        result: crate::checks::CheckResult::Cannot,
        probes: vec![crate::checks::ProbeOutcome::Cannot { why: why.into() }],
    }
}
