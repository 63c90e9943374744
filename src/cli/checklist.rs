//! The full-screen commands: the checklist (`pathway` on a terminal) and `review --session`.

use std::io::{IsTerminal, Write};

use anyhow::Result;
use jiff::tz::TimeZone;

use super::config::tui_config;
use super::context::Ctx;
use super::usage;
use crate::core::clock::now;
use crate::tui::app::App;

/// `pathway` on a terminal: the checklist, until the learner quits.
pub(super) fn open(ctx: Ctx) -> Result<()> {
    let config = tui_config(&ctx.settings)?;
    let switch = ctx.switch();
    let built_in = ctx.roadmap_file.is_none();
    let app = App::new(ctx.roadmap, ctx.progress);
    // The TUI never waits on another process's lock: it retries and keeps answering.
    let store = ctx.home.store.with_lock_patience(std::time::Duration::ZERO);
    let trusted = switch.checks.trusted(app.roadmap(), built_in);
    let app = app.with_checks_trusted(trusted);
    crate::tui::terminal::run(app, &config, &store, &switch)?;
    Ok(())
}

/// `pathway review --session`: the review session alone, full screen; it ends with a summary
/// printed on the terminal. With nothing due, it says when the next card is and exits.
pub(super) fn review_session(out: &mut impl Write, ctx: Ctx) -> Result<()> {
    let now = now();
    let settings = ctx.review_settings();
    let roadmap = &ctx.roadmap;
    let rp = ctx.progress.roadmap_or_empty(&roadmap.id);
    if crate::core::review::queue(roadmap, rp, now, &settings).is_empty() {
        let next = crate::core::review::next_due(roadmap, rp, now);
        let text =
            crate::cli::report::review_text(roadmap, rp, &[], next, now, &TimeZone::system());
        if let Some(line) = &ctx.heading {
            writeln!(out, "{line}")?;
        }
        out.write_all(text.as_bytes())?;
        return Ok(());
    }
    if !(std::io::stdout().is_terminal() && std::io::stdin().is_terminal()) {
        return Err(usage(
            "review --session needs a terminal; pathway review lists the cards due",
        ));
    }
    let config = tui_config(&ctx.settings)?;
    let switch = ctx.switch();
    let built_in = ctx.roadmap_file.is_none();
    let trusted = switch.checks.trusted(&ctx.roadmap, built_in);
    let app = App::new(ctx.roadmap, ctx.progress).for_review_session(now, &config);
    let store = ctx.home.store.with_lock_patience(std::time::Duration::ZERO);
    let app =
        crate::tui::terminal::run(app.with_checks_trusted(trusted), &config, &store, &switch)?;
    if let Some(summary) = app.session_summary() {
        writeln!(out, "{summary}")?;
    }
    Ok(())
}
