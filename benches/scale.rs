//! How pathway scales: the shipped size (6 steps, ~30 tasks), 1,000 tasks, and 100,000 tasks
//! (100 steps of 1,000). `cargo bench` runs it; the README has the figures and how to read them.

use divan::{Bencher, black_box};
use jiff::Timestamp;
use pathway::core::progress::Progress;
use pathway::core::roadmap::Roadmap;
use pathway::core::synthetic;
use pathway::storage::store::Store;
use pathway::tui::app::{Action, App};
use pathway::tui::config::Config;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The configuration these run with: the default keys, colours and review settings, and dates
/// in UTC so that no screen depends on the machine's time zone.
fn config() -> &'static Config {
    static CONFIG: std::sync::LazyLock<Config> =
        std::sync::LazyLock::new(|| Config::default().with_time_zone(jiff::tz::TimeZone::UTC));
    &CONFIG
}

/// (steps, tasks per step)
const SIZES: &[(usize, usize)] = &[(6, 5), (20, 50), (100, 1000)];

fn main() {
    divan::main();
}

fn label((steps, tasks): (usize, usize)) -> usize {
    steps * tasks
}

fn roadmap(size: (usize, usize)) -> Roadmap {
    Roadmap::parse(&synthetic::roadmap_yaml(size.0, size.1), "synthetic.yaml").expect("valid")
}

fn now() -> Timestamp {
    Timestamp::from_second(1_800_000_000).expect("valid")
}

/// An app at 200x60 with its first frame drawn, as a learner sees it after start-up.
fn ready(size: (usize, usize)) -> (App, Terminal<TestBackend>) {
    let r = roadmap(size);
    let progress = synthetic::all_done(&r);
    let app = App::new(r, progress);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(pathway::tui::ui::Screen::new(&app, config()), f.area()))
        .expect("draw");
    (app, terminal)
}

/// The built-in roadmap, compiled at build time: what every start-up pays for it.
#[divan::bench]
fn embedded_roadmap() -> Roadmap {
    Roadmap::embedded().expect("built in")
}

#[divan::bench(args = SIZES.iter().map(|s| label(*s)), sample_count = 10)]
fn parse_and_validate(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let text = synthetic::roadmap_yaml(size.0, size.1);
    bencher.bench(|| Roadmap::parse(black_box(&text), "synthetic.yaml").expect("valid"));
}

#[divan::bench(args = SIZES.iter().map(|s| label(*s)), sample_count = 10)]
fn load_progress_all_done(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::new(dir.path().join("progress.yaml"));
    store
        .save(&mut synthetic::all_done(&roadmap(size)))
        .expect("save");
    bencher.bench(|| store.load().expect("load"));
}

#[divan::bench(args = SIZES.iter().map(|s| label(*s)), sample_count = 10)]
fn build_app_state(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let r = roadmap(size);
    let progress = synthetic::all_done(&r);
    bencher
        .with_inputs(|| (r.clone(), progress.clone()))
        .bench_local_values(|(r, p)| App::new(r, p));
}

#[divan::bench(args = SIZES.iter().map(|s| label(*s)), sample_count = 10)]
fn first_render_200x60(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let r = roadmap(size);
    let app = App::new(r.clone(), synthetic::all_done(&r));
    bencher
        .with_inputs(|| Terminal::new(TestBackend::new(200, 60)).expect("terminal"))
        .bench_local_refs(|t| {
            t.draw(|f| f.render_widget(pathway::tui::ui::Screen::new(&app, config()), f.area()))
                .expect("draw");
        });
}

#[divan::bench(args = SIZES.iter().map(|s| label(*s)))]
fn key_move_and_render(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let (mut app, mut terminal) = ready(size);
    let mut down = true;
    bencher.bench_local(|| {
        // Back and forth, so the selection never runs into the end.
        down = !down;
        app.handle(
            if down { Action::Down } else { Action::Up },
            now(),
            config(),
        );
        terminal
            .draw(|f| f.render_widget(pathway::tui::ui::Screen::new(&app, config()), f.area()))
            .expect("draw");
    });
}

#[divan::bench(args = SIZES.iter().map(|s| label(*s)))]
fn key_toggle_and_render(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let (mut app, mut terminal) = ready(size);
    // A task in the first step, as a learner ticks them.
    app.handle(Action::Expand, now(), config());
    app.handle(Action::Down, now(), config());
    bencher.bench_local(|| {
        app.handle(Action::ToggleDone, now(), config());
        terminal
            .draw(|f| f.render_widget(pathway::tui::ui::Screen::new(&app, config()), f.area()))
            .expect("draw");
    });
}

#[divan::bench(args = SIZES.iter().map(|s| label(*s)), sample_count = 20)]
fn filter_keystroke_and_render(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let (mut app, mut terminal) = ready(size);
    app.handle(Action::StartFilter, now(), config());
    app.handle(Action::Input('9'), now(), config());
    let mut typed = false;
    bencher.bench_local(|| {
        typed = !typed;
        app.handle(
            if typed {
                Action::Input('9')
            } else {
                Action::Backspace
            },
            now(),
            config(),
        );
        terminal
            .draw(|f| f.render_widget(pathway::tui::ui::Screen::new(&app, config()), f.area()))
            .expect("draw");
    });
}

#[divan::bench(args = SIZES.iter().map(|s| label(*s)), sample_count = 10)]
fn save_one_change(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let r = roadmap(size);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::new(dir.path().join("progress.yaml"));
    let mut progress: Progress = synthetic::all_done(&r);
    store.save(&mut progress).expect("save");
    let key = format!("{}/{}", r.steps[0].id, r.steps[0].tasks[0].id);
    let mut ms = 1_900_000_000_000;
    bencher.bench_local(|| {
        ms += 1;
        let at = Timestamp::from_millisecond(ms).expect("valid");
        let rp = progress.roadmap_mut("synthetic");
        let next = if rp.status(&key) == pathway::core::progress::Status::Done {
            pathway::core::progress::Status::Todo
        } else {
            pathway::core::progress::Status::Done
        };
        rp.set_status(&key, next, at);
        store.save(&mut progress).expect("save");
    });
}

/// The review queue with every task done and due: the target is well under 100 ms at 100,000.
#[divan::bench(args = SIZES.iter().map(|s| label(*s)), sample_count = 10)]
fn review_queue_all_due(bencher: Bencher, tasks: usize) {
    let size = *SIZES.iter().find(|s| label(**s) == tasks).expect("size");
    let r = roadmap(size);
    let progress = synthetic::all_done(&r);
    let rp = progress.roadmap(&r.id).expect("progress").clone();
    // Long after every completion: everything is due.
    let later = now() + jiff::SignedDuration::from_hours(24 * 30);
    bencher.bench(|| {
        pathway::core::review::queue(black_box(&r), black_box(&rp), later, &Default::default())
            .len()
    });
}

/// 100 KB of text, as a learner would paste an article's worth of notes.
fn hundred_kb() -> String {
    let line =
        "Pasted notes: joins, indexes and the query plan, read twice and then written down. ";
    let mut text = String::new();
    while text.len() < 100_000 {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// A bracketed paste of 100 KB into the note editor and the frame after it: target < 50 ms.
#[divan::bench(sample_count = 10)]
fn paste_100kb_into_the_editor_and_render(bencher: Bencher) {
    let text = hundred_kb();
    bencher
        .with_inputs(|| {
            let (mut app, terminal) = ready((6, 5));
            app.handle(Action::EditNote, now(), config());
            (app, terminal)
        })
        .bench_local_values(|(mut app, mut terminal)| {
            app.handle(Action::Paste(text.clone()), now(), config());
            terminal
                .draw(|f| f.render_widget(pathway::tui::ui::Screen::new(&app, config()), f.area()))
                .expect("draw");
        });
}

/// A keystroke in a 100 KB note and its frame: target < 5 ms.
#[divan::bench(sample_count = 20)]
fn keystroke_in_a_100kb_note_and_render(bencher: Bencher) {
    let (mut app, mut terminal) = ready((6, 5));
    app.handle(Action::EditNote, now(), config());
    app.handle(Action::Paste(hundred_kb()), now(), config());
    let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('x'));
    bencher.bench_local(|| {
        app.handle(Action::EditorKey(key), now(), config());
        terminal
            .draw(|f| f.render_widget(pathway::tui::ui::Screen::new(&app, config()), f.area()))
            .expect("draw");
    });
}

/// A mentor's `pathway cohort DIR --no-pull` on 300 learners of the built-in roadmap, less the
/// process start: every snapshot read from its file and parsed, the cohort summed up, and the
/// table laid out for 80 columns.
#[divan::bench(sample_count = 20)]
fn cohort_300_learners(bencher: Bencher) {
    let roadmap = Roadmap::embedded().expect("built in");
    let dir = tempfile::tempdir().expect("tempdir");
    let learners = dir.path().join("learners");
    std::fs::create_dir_all(&learners).expect("learners");
    for (name, snapshot) in synthetic::cohort(&roadmap, 300, now()) {
        let text = serde_json::to_string_pretty(&snapshot).expect("json");
        std::fs::write(learners.join(format!("{name}.json")), text).expect("write");
    }
    bencher.bench(|| {
        let folder = pathway::storage::cohort::read(dir.path(), &roadmap.id).expect("read");
        assert_eq!(folder.snapshots.len(), 300);
        let cohort = pathway::core::cohort::summarize(
            &roadmap,
            folder.snapshots,
            folder.unreadable,
            now(),
            &jiff::tz::TimeZone::UTC,
        );
        pathway::cli::cohort::text(&roadmap, &cohort, 80)
    });
}
