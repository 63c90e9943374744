//! The terminal loop: set the terminal up, read events, map keys, draw, save after changes, and
//! put the terminal back however the loop ends.

use std::io::stdout;

use anyhow::{Context, Result};
use crossterm::cursor::Show;
use crossterm::event::{self, DisableMouseCapture, Event};
use crossterm::execute;
use crossterm::terminal::{LeaveAlternateScreen, disable_raw_mode};
use jiff::Timestamp;
use ratatui::DefaultTerminal;

use crate::app::{Action, App, Effect};
use crate::keys;
use crate::store::Store;

/// Runs the TUI until the learner quits. Progress is saved after every change; a save that fails
/// is shown in the footer and tried again on the next change and on quit.
pub fn run(mut app: App, store: &Store) -> Result<()> {
    let mut terminal = match ratatui::try_init() {
        Ok(terminal) => terminal,
        Err(e) => {
            // try_init may have switched raw mode on before failing.
            restore();
            return Err(e).context("cannot start the terminal interface (is this a terminal?)");
        }
    };
    install_panic_hook();
    let result = event_loop(&mut terminal, &mut app, store);
    restore();
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App, store: &Store) -> Result<()> {
    let size = terminal.size()?;
    app.handle(Action::Resize(size.width, size.height), Timestamp::now());
    let mut unsaved = false;
    loop {
        terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
        // Blocks until something happens: an idle pathway costs no CPU.
        let action = match event::read()? {
            Event::Key(key) => keys::action_for(app.mode(), &key),
            Event::Resize(width, height) => Some(Action::Resize(width, height)),
            _ => None,
        };
        let Some(action) = action else { continue };
        match app.handle(action, Timestamp::now()) {
            Effect::None => {}
            Effect::Save => unsaved = !save(app, store),
            Effect::Quit => {
                if unsaved && !save(app, store) {
                    // The last change could not be written: say so on the way out, loudly.
                    return store
                        .save(app.progress())
                        .context("quitting with unsaved progress");
                }
                return Ok(());
            }
        }
    }
}

fn save(app: &mut App, store: &Store) -> bool {
    match store.save(app.progress()) {
        Ok(()) => {
            app.set_message("saved ✓");
            true
        }
        Err(e) => {
            app.set_message(format!("NOT SAVED: {e:#}"));
            false
        }
    }
}

/// Leaves the terminal as it was found. ratatui's own restore leaves mouse capture and a hidden
/// cursor alone, so those are undone here too; every step runs even if an earlier one fails.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(stdout(), DisableMouseCapture, LeaveAlternateScreen, Show);
}

/// Restores the terminal before the panic report is printed, so the report is readable and the
/// shell usable. Chains to the hook that was there before (ratatui's, then the default).
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}
