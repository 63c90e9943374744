//! App state transitions, driven by actions and key events without a terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use jiff::Timestamp;
use pathway::core::progress::{Counts, Progress, Status};
use pathway::core::roadmap::Roadmap;
use pathway::tui::app::{Action, App, Effect, Mode, ReviewSession, Row, StatusFilter};
use pathway::tui::config::Config;
use pathway::tui::keys;
use ratatui::layout::Rect;

/// The configuration these run with: the default keys, colours and review settings, and dates
/// in UTC so that no screen depends on the machine's time zone.
fn config() -> &'static Config {
    static CONFIG: std::sync::LazyLock<Config> =
        std::sync::LazyLock::new(|| Config::default().with_time_zone(jiff::tz::TimeZone::UTC));
    &CONFIG
}

const ROADMAP: &str = "\
id: t
title: Test
steps:
  - id: one
    title: One
    summary: The first step about SQL.
    tasks:
      - {id: a, title: Alpha, cards: [{id: first, ask: Which letter comes first?, answer: 'alpha, then beta'}]}
      - {id: b, title: Beta, check: [{file: beta.txt, hint: write beta.txt}]}
    resources:
      - {title: Docs, url: 'https://example.com/docs'}
      - {title: Book, url: 'https://example.com/book', kind: book}
  - id: two
    title: Two
    tasks:
      - {id: c, title: Gamma}
  - id: empty
    title: No tasks
";

fn app() -> App {
    let roadmap = Roadmap::parse(ROADMAP, "t.yaml").expect("valid");
    App::new(roadmap, Progress::default())
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).expect("valid")
}

fn now() -> Timestamp {
    at(1_700_000_000)
}

fn press(app: &mut App, actions: &[Action]) -> Vec<Effect> {
    actions
        .iter()
        .map(|a| app.handle(a.clone(), now(), config()))
        .collect()
}

/// Types keys as the terminal would deliver them, through the key table.
fn keys(app: &mut App, events: &[KeyEvent]) -> Vec<Effect> {
    let mut effects = Vec::new();
    for event in events {
        if let Some(action) = keys::action_for(app.mode(), event) {
            effects.push(app.handle(action, now(), config()));
        }
    }
    effects
}

fn ch(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn code(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn text(s: &str) -> Vec<KeyEvent> {
    s.chars()
        .map(|c| {
            if c == '\n' {
                code(KeyCode::Enter)
            } else {
                ch(c)
            }
        })
        .collect()
}

fn status(app: &App, key: &str) -> Status {
    app.roadmap_progress().status(key)
}

// Moving and opening

#[test]
fn opens_on_the_first_task_not_done() {
    let app = app();
    assert_eq!(app.selected_row(), Some(Row::Task(0, 0)));
    assert!(app.is_expanded(0) && !app.is_expanded(1));
}

#[test]
fn opens_on_the_first_task_in_progress() {
    let roadmap = Roadmap::parse(ROADMAP, "t.yaml").expect("valid");
    let mut progress = Progress::default();
    progress
        .roadmap_mut("t")
        .set_status("two/c", Status::InProgress, now());
    let app = App::new(roadmap, progress);
    assert_eq!(app.selected_row(), Some(Row::Task(1, 0)));
}

#[test]
fn moving_stays_within_the_rows() {
    let mut app = app();
    press(&mut app, &[Action::Up, Action::Up]);
    assert_eq!(app.selected_row(), Some(Row::Step(0)));
    press(&mut app, &[Action::Last, Action::Down, Action::Down]);
    assert_eq!(app.selected_row(), Some(Row::Step(2)));
    press(&mut app, &[Action::First]);
    assert_eq!(app.selected(), 0);
}

#[test]
fn expand_and_collapse_steps() {
    let mut app = app();
    press(&mut app, &[Action::Collapse]);
    assert_eq!(
        app.selected_row(),
        Some(Row::Step(0)),
        "left on a task goes to its step"
    );
    press(&mut app, &[Action::Collapse]);
    assert_eq!(app.rows(), &[Row::Step(0), Row::Step(1), Row::Step(2)]);
    press(&mut app, &[Action::Down, Action::Expand]);
    assert_eq!(app.rows().len(), 4);
    assert_eq!(app.selected_row(), Some(Row::Step(1)));
    press(&mut app, &[Action::Expand]);
    assert_eq!(
        app.selected_row(),
        Some(Row::Task(1, 0)),
        "right on an open step enters it"
    );
    press(&mut app, &[Action::Up, Action::ToggleExpand]);
    assert!(!app.is_expanded(1));
}

/// Draws a frame, as the terminal loop does between keys: the app reads what it fit.
fn frame(app: &App, width: u16, height: u16) {
    let area = Rect::new(0, 0, width, height);
    let mut buffer = ratatui::buffer::Buffer::empty(area);
    ratatui::widgets::Widget::render(
        pathway::tui::ui::Screen::new(app, config()),
        area,
        &mut buffer,
    );
}

#[test]
fn tree_scrolls_to_keep_the_selection_visible() {
    let mut app = app();
    for _ in 0..3 {
        frame(&app, 30, 6);
        press(&mut app, &[Action::Down]);
    }
    frame(&app, 30, 6);
    let height = app.viewport().tree.height as usize;
    assert!(
        height > 0 && height < app.rows().len(),
        "the tree must scroll"
    );
    assert!(app.selected() >= app.tree_offset());
    assert!(app.selected() < app.tree_offset() + height);
    press(&mut app, &[Action::First]);
    frame(&app, 30, 6);
    assert_eq!(app.tree_offset(), 0, "back at the top");
}

#[test]
fn detail_scroll_is_clamped_and_resets_on_a_new_selection() {
    let mut app = app();
    for _ in 0..50 {
        frame(&app, 80, 12);
        press(&mut app, &[Action::ScrollDetailDown]);
    }
    let max = app.viewport().detail_max_scroll;
    assert!(max > 0, "the detail text is longer than the pane");
    assert_eq!(app.detail_scroll(), max);
    press(&mut app, &[Action::Down]);
    assert_eq!(app.detail_scroll(), 0);
}

#[test]
fn help_swallows_keys_until_closed() {
    let mut app = app();
    press(
        &mut app,
        &[Action::ShowHelp, Action::Down, Action::ToggleDone],
    );
    assert_eq!(app.mode(), Mode::Help);
    assert_eq!(app.counts().done, 0);
    press(&mut app, &[Action::Cancel]);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(press(&mut app, &[Action::Quit]), vec![Effect::Quit]);
}

#[test]
fn clicks_select_lines_and_the_wheel_scrolls() {
    let mut app = app();
    frame(&app, 100, 30);
    // Row 0 is the header, row 1 the tree's border: the first line is at row 2.
    press(&mut app, &[Action::Click(5, 2)]);
    assert_eq!(app.selected_row(), Some(Row::Step(0)));
    press(&mut app, &[Action::Click(5, 2)]);
    assert!(!app.is_expanded(0), "a second click on a step closes it");
    press(&mut app, &[Action::Wheel(5, 5, true)]);
    assert_eq!(app.selected_row(), Some(Row::Step(1)));
    press(&mut app, &[Action::Click(5, 29)]);
    assert_eq!(
        app.selected_row(),
        Some(Row::Step(1)),
        "a click outside the rows does nothing"
    );
}

// Statuses and counts

#[test]
fn toggling_a_task_changes_counts_and_asks_to_save() {
    let mut app = app();
    assert_eq!(press(&mut app, &[Action::ToggleDone]), vec![Effect::Save]);
    assert_eq!(app.task_status(0, 0), Status::Done);
    assert_eq!(app.step_counts(0).done, 1);
    assert_eq!(app.counts().done, 1);
    assert_eq!(app.counts().total, 3);
    let item = app.roadmap_progress().item("one/a").expect("recorded");
    assert_eq!(item.completed, Some(now()));
    press(&mut app, &[Action::ToggleDone]);
    assert_eq!(app.task_status(0, 0), Status::Todo);
    assert_eq!(app.counts().done, 0);
}

#[test]
fn toggling_a_step_marks_all_tasks_then_none() {
    let mut app = app();
    press(&mut app, &[Action::ToggleDone, Action::Up]);
    assert_eq!(
        press(&mut app, &[Action::ToggleDone]),
        vec![Effect::Save],
        "one open task left: no question"
    );
    assert_eq!(app.step_counts(0).done, 2);
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("1 task of One marked done · u undoes")
    );
    assert_eq!(
        press(&mut app, &[Action::ToggleDone]),
        vec![Effect::None],
        "two tasks would change: ask first"
    );
    assert_eq!(app.mode(), Mode::Confirm);
    assert_eq!(app.step_counts(0).done, 2, "nothing changed yet");
    assert_eq!(press(&mut app, &[Action::Confirm]), vec![Effect::Save]);
    assert_eq!(app.step_counts(0).done, 0);
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("2 tasks of One back to todo · u undoes")
    );
}

#[test]
fn a_step_change_of_many_tasks_asks_first_and_no_changes_nothing() {
    let mut app = app();
    press(&mut app, &[Action::First]);
    assert_eq!(keys(&mut app, &[ch(' ')]), vec![Effect::None]);
    match app.overlay() {
        pathway::tui::app::Overlay::Confirm(pending) => {
            assert_eq!(pending.question, "Mark the 2 open tasks of \"One\" done?");
        }
        other => panic!("expected a question, got {other:?}"),
    }
    assert_eq!(keys(&mut app, &[ch('n')]), vec![Effect::None]);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(app.step_counts(0).done, 0);
    keys(&mut app, &[ch('s')]);
    assert_eq!(keys(&mut app, &[ch('y')]), vec![Effect::Save]);
    assert_eq!(app.step_counts(0).skipped, 2);
}

#[test]
fn toggling_a_step_without_tasks_changes_nothing() {
    let mut app = app();
    press(&mut app, &[Action::Last]);
    assert_eq!(app.selected_row(), Some(Row::Step(2)));
    assert_eq!(press(&mut app, &[Action::ToggleDone]), vec![Effect::None]);
    assert_eq!(app.step_counts(2), Counts::default());
}

#[test]
fn in_progress_and_skipped_toggle_and_skipped_does_not_count() {
    let mut app = app();
    keys(&mut app, &[ch('i')]);
    assert_eq!(status(&app, "one/a"), Status::InProgress);
    keys(&mut app, &[ch('i')]);
    assert_eq!(status(&app, "one/a"), Status::Todo);
    keys(&mut app, &[ch('s'), ch('j'), ch(' ')]);
    assert_eq!(status(&app, "one/a"), Status::Skipped);
    let c = app.step_counts(0);
    assert_eq!(
        (c.done, c.skipped, c.counted(), c.percent()),
        (1, 1, 1, 100)
    );
    assert_eq!(
        app.step_counts(0).status(),
        Status::Done,
        "done apart from the skipped task"
    );
    assert_eq!(
        app.counts().percent(),
        50,
        "one of the two tasks that count"
    );
    let item = app.roadmap_progress().item("one/a").expect("item");
    assert_eq!(
        item.started,
        Some(now()),
        "start date kept from the first change"
    );
}

#[test]
fn skipping_a_step_skips_its_open_tasks_and_leaves_done_ones() {
    let mut app = app();
    keys(&mut app, &[ch(' '), ch('k'), ch('s')]);
    assert_eq!(
        (status(&app, "one/a"), status(&app, "one/b")),
        (Status::Done, Status::Skipped)
    );
    keys(&mut app, &[ch('s')]);
    assert_eq!(
        (status(&app, "one/a"), status(&app, "one/b")),
        (Status::Done, Status::Todo)
    );
    assert_eq!(
        keys(&mut app, &[ch('i')]),
        vec![Effect::None],
        "in progress is for tasks"
    );
}

#[test]
fn continue_jumps_to_the_first_task_in_progress() {
    let mut app = app();
    keys(
        &mut app,
        &[ch('G'), ch('k'), ch('l'), ch('l'), ch('i'), ch('g')],
    );
    assert_eq!(app.selected_row(), Some(Row::Step(0)));
    keys(&mut app, &[ch('c')]);
    assert_eq!(app.selected_row(), Some(Row::Task(1, 0)));
}

// Notes

#[test]
fn a_note_is_written_in_the_inline_editor_and_saved_with_ctrl_s() {
    let mut app = app();
    keys(&mut app, &[ch('n')]);
    assert_eq!(app.mode(), Mode::Edit);
    keys(&mut app, &text("Use psql\nthen pgAdmin ✎ 日本"));
    assert_eq!(keys(&mut app, &[ctrl('s')]), vec![Effect::Save]);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(
        app.roadmap_progress().note("one/a"),
        Some("Use psql\nthen pgAdmin ✎ 日本")
    );
    assert_eq!(
        app.row_note(Row::Task(0, 0)),
        Some("Use psql\nthen pgAdmin ✎ 日本")
    );
}

#[test]
fn editing_a_note_starts_from_its_text_and_clearing_it_removes_it() {
    let mut app = app();
    keys(&mut app, &[ch('n')]);
    keys(&mut app, &text("first"));
    keys(&mut app, &[ctrl('s'), ch('n')]);
    keys(&mut app, &text(" and more"));
    keys(&mut app, &[ctrl('s')]);
    assert_eq!(app.roadmap_progress().note("one/a"), Some("first and more"));
    keys(&mut app, &[ch('n')]);
    for _ in 0.."first and more".len() {
        keys(&mut app, &[code(KeyCode::Backspace)]);
    }
    assert_eq!(keys(&mut app, &[ctrl('s')]), vec![Effect::Save]);
    assert_eq!(app.roadmap_progress().note("one/a"), None);
}

#[test]
fn notes_go_on_steps_too() {
    let mut app = app();
    keys(&mut app, &[ch('k'), ch('n')]);
    keys(&mut app, &text("why this step"));
    keys(&mut app, &[ctrl('s')]);
    assert_eq!(app.roadmap_progress().note("one"), Some("why this step"));
}

#[test]
fn escape_asks_before_discarding_a_changed_note() {
    let mut app = app();
    keys(&mut app, &[ch('n'), code(KeyCode::Esc)]);
    assert_eq!(app.mode(), Mode::Browse, "an unchanged note closes at once");
    keys(&mut app, &[ch('n')]);
    keys(&mut app, &text("draft"));
    keys(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.mode(), Mode::ConfirmDiscard);
    keys(&mut app, &[ch('n')]);
    assert_eq!(app.mode(), Mode::Edit, "n keeps editing");
    assert_eq!(app.editor().map(|e| e.text()), Some("draft".to_string()));
    keys(&mut app, &[ctrl('c'), ch('y')]);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(app.roadmap_progress().note("one/a"), None, "discarded");
}

#[test]
fn an_external_edit_comes_back_as_the_note() {
    let mut app = app();
    assert_eq!(
        keys(&mut app, &[ch('e')]),
        vec![Effect::EditExternally(String::new())]
    );
    let effect = app.handle(Action::NoteEdited("from vim\n".into()), now(), config());
    assert_eq!(effect, Effect::Save);
    assert_eq!(app.roadmap_progress().note("one/a"), Some("from vim"));
    assert_eq!(
        app.handle(Action::NoteEdited("stray".into()), now(), config()),
        Effect::None,
        "only the edit that was asked for lands"
    );
}

// Undo and redo

#[test]
fn undo_and_redo_walk_back_and_forth_over_statuses_and_notes() {
    let mut app = app();
    keys(&mut app, &[ch(' ')]);
    keys(&mut app, &[ch('n')]);
    keys(&mut app, &text("note"));
    keys(&mut app, &[ctrl('s'), ch('j'), ch('s')]);
    assert_eq!(status(&app, "one/b"), Status::Skipped);

    assert_eq!(
        keys(&mut app, &[ch('u')]),
        vec![Effect::Save],
        "each undo is saved"
    );
    assert_eq!(status(&app, "one/b"), Status::Todo);
    keys(&mut app, &[ch('u')]);
    assert_eq!(app.roadmap_progress().note("one/a"), None);
    assert_eq!(status(&app, "one/a"), Status::Done);
    keys(&mut app, &[ch('u')]);
    assert_eq!(status(&app, "one/a"), Status::Todo);
    assert_eq!(app.counts().done, 0);
    assert_eq!(
        keys(&mut app, &[ch('u')]),
        vec![Effect::None],
        "nothing left to undo"
    );

    keys(&mut app, &[ctrl('r'), ctrl('r')]);
    assert_eq!(status(&app, "one/a"), Status::Done);
    assert_eq!(app.roadmap_progress().note("one/a"), Some("note"));
    keys(&mut app, &[ch('u'), ch('i')]);
    assert_eq!(
        keys(&mut app, &[ctrl('r')]),
        vec![Effect::None],
        "a new change ends the redo trail"
    );
}

#[test]
fn undo_walks_back_every_change_to_one_task_and_redo_walks_forward() {
    let mut app = app();
    keys(&mut app, &[ch('i'), ch(' ')]);
    assert_eq!(status(&app, "one/a"), Status::Done);
    keys(&mut app, &[ch('u')]);
    assert_eq!(status(&app, "one/a"), Status::InProgress);
    keys(&mut app, &[ch('u')]);
    assert_eq!(
        status(&app, "one/a"),
        Status::Todo,
        "the task is todo again"
    );
    keys(&mut app, &[ctrl('r')]);
    assert_eq!(status(&app, "one/a"), Status::InProgress);
    keys(&mut app, &[ctrl('r')]);
    assert_eq!(status(&app, "one/a"), Status::Done, "redo walks forward");
    keys(&mut app, &[ch('u'), ch('u')]);
    assert_eq!(status(&app, "one/a"), Status::Todo, "and back again");
}

#[test]
fn undoing_a_step_toggle_restores_every_task() {
    let mut app = app();
    keys(&mut app, &[ch('i'), ch('k'), ch(' '), ch('y')]);
    assert_eq!(app.step_counts(0).done, 2);
    keys(&mut app, &[ch('u')]);
    assert_eq!(
        (status(&app, "one/a"), status(&app, "one/b")),
        (Status::InProgress, Status::Todo)
    );
    let item = app.roadmap_progress().item("one/a").expect("item");
    // Three changes in the same millisecond: each is stamped just after the one it replaced.
    assert_eq!(
        item.updated,
        Some(now() + jiff::SignedDuration::from_millis(2)),
        "an undo is a change like any other, newer than what it undid"
    );
}

// Filters

#[test]
fn typing_a_filter_narrows_the_tree_to_matches_with_their_steps() {
    let mut app = app();
    keys(&mut app, &[ch('/')]);
    keys(&mut app, &text("GAM"));
    assert_eq!(app.mode(), Mode::Filter);
    assert_eq!(app.rows(), &[Row::Step(1), Row::Task(1, 0)]);
    keys(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.mode(), Mode::Browse, "enter keeps the filter");
    assert_eq!(app.query(), "GAM");
    assert_eq!(app.rows().len(), 2);
    keys(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.query(), "");
    assert_eq!(app.rows().len(), 5, "esc clears it");
}

#[test]
fn the_filter_searches_summaries_and_personal_notes() {
    let mut app = app();
    keys(&mut app, &[ch('j'), ch('n')]);
    keys(&mut app, &text("remember kubernetes"));
    keys(&mut app, &[ctrl('s'), ch('/')]);
    keys(&mut app, &text("kubern"));
    assert_eq!(app.rows(), &[Row::Step(0), Row::Task(0, 1)]);
    keys(&mut app, &[code(KeyCode::Esc), ch('/')]);
    keys(&mut app, &text("sql"));
    assert_eq!(
        app.rows(),
        &[Row::Step(0)],
        "the step's summary matches, none of its tasks"
    );
    keys(
        &mut app,
        &[
            code(KeyCode::Backspace),
            code(KeyCode::Backspace),
            code(KeyCode::Backspace),
        ],
    );
    assert!(!app.filtering());
}

#[test]
fn the_status_filter_cycles_all_not_done_done_with_notes_fading_core_stretch() {
    let mut app = app();
    keys(&mut app, &[ch(' '), ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::NotDone);
    assert_eq!(
        app.rows(),
        &[Row::Step(0), Row::Task(0, 1), Row::Step(1), Row::Task(1, 0)]
    );
    keys(&mut app, &[ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::Done);
    assert_eq!(app.rows(), &[Row::Step(0), Row::Task(0, 0)]);
    keys(&mut app, &[ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::WithNotes);
    assert_eq!(app.rows(), &[] as &[Row], "no notes yet");
    keys(&mut app, &[ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::Fading);
    assert_eq!(
        app.rows(),
        &[] as &[Row],
        "nothing reviewed, nothing fading"
    );
    keys(&mut app, &[ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::Core);
    assert_eq!(
        app.rows().len(),
        5,
        "this roadmap is all core: {:?}",
        app.rows()
    );
    keys(&mut app, &[ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::Stretch);
    assert_eq!(app.rows(), &[] as &[Row], "and has no stretch task");
    keys(&mut app, &[ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::All);
}

#[test]
fn a_done_task_whose_memory_fades_is_marked_and_filtered() {
    let mut app = done_days_ago(40);
    // Reviewed once, long ago: by now its recall is well below the retention aimed at.
    keys(&mut app, &[ch('r'), ch(' '), ch('3'), code(KeyCode::Esc)]);
    assert!(!app.task_fading(0, 0), "just reviewed");
    let later = now() + jiff::SignedDuration::from_hours(24 * 60);
    app.handle(Action::Tick, later, config());
    assert!(app.task_fading(0, 0), "two months on, it fades");
    assert!(
        !app.task_fading(0, 1),
        "never reviewed is not fading, it is new"
    );
    app.handle(Action::CycleStatusFilter, later, config());
    app.handle(Action::CycleStatusFilter, later, config());
    app.handle(Action::CycleStatusFilter, later, config());
    app.handle(Action::CycleStatusFilter, later, config());
    assert_eq!(app.status_filter(), StatusFilter::Fading);
    assert_eq!(app.rows(), &[Row::Step(0), Row::Task(0, 0)]);
    assert_eq!(app.stats(config()).review.fading, vec![1, 0, 0]);
}

#[test]
fn the_with_notes_filter_shows_what_has_a_note() {
    let mut app = app();
    keys(&mut app, &[ch('j'), ch('n'), ch('x'), ctrl('s')]);
    press(&mut app, &[Action::Last, Action::Up]);
    assert_eq!(app.selected_row(), Some(Row::Step(1)));
    keys(&mut app, &[ch('n'), ch('y'), ctrl('s')]);
    keys(&mut app, &[ch('f'), ch('f'), ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::WithNotes);
    assert_eq!(
        app.rows(),
        &[Row::Step(0), Row::Task(0, 1), Row::Step(1)],
        "a task's note and a step's own"
    );
}

#[test]
fn a_filter_with_no_match_leaves_an_empty_tree_that_keys_survive() {
    let mut app = app();
    keys(&mut app, &[ch('/')]);
    keys(&mut app, &text("zzz"));
    assert!(app.rows().is_empty());
    keys(
        &mut app,
        &[
            code(KeyCode::Enter),
            ch('j'),
            ch(' '),
            ch('n'),
            ch('o'),
            ch('G'),
        ],
    );
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(app.counts().done, 0);
}

// Resources

#[test]
fn o_opens_the_first_resource_and_the_picker_chooses_another() {
    let mut app = app();
    assert_eq!(
        keys(&mut app, &[ch('o')]),
        vec![Effect::Open("https://example.com/docs".into())]
    );
    keys(&mut app, &[ch('O')]);
    assert_eq!(app.mode(), Mode::Picker);
    let effects = keys(&mut app, &[ch('j'), ch('j'), code(KeyCode::Enter)]);
    assert_eq!(
        effects.last(),
        Some(&Effect::Open("https://example.com/book".into()))
    );
    assert_eq!(app.mode(), Mode::Browse);
    keys(&mut app, &[ch('G')]);
    assert_eq!(
        keys(&mut app, &[ch('o')]),
        vec![Effect::None],
        "no resources there"
    );
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("no links here"))
    );
}

#[test]
fn unsafe_addresses_are_never_opened() {
    // Roadmap validation refuses these, so build one that slipped through by hand.
    let mut roadmap = Roadmap::parse(ROADMAP, "t.yaml").expect("valid");
    for bad in [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "/usr/bin/env",
        "-oProxyCommand=x",
    ] {
        roadmap.steps[0].resources[0].url = bad.into();
        let mut app = App::new(roadmap.clone(), Progress::default());
        assert_eq!(keys(&mut app, &[ch('o')]), vec![Effect::None], "{bad}");
        assert!(
            app.message(&config().keymap)
                .as_deref()
                .is_some_and(|m| m.starts_with("not opened")),
            "{bad}"
        );
    }
}

#[test]
fn messages_fade_after_a_few_seconds() {
    let mut app = app();
    app.set_message("saved ✓", at(100));
    app.handle(Action::Tick, at(101), config());
    assert_eq!(app.message(&config().keymap).as_deref(), Some("saved ✓"));
    app.handle(
        Action::Tick,
        at(100) + pathway::tui::app::MESSAGE_TTL,
        config(),
    );
    assert_eq!(app.message(&config().keymap).as_deref(), None);
}

// Traps

#[test]
fn a_change_that_hides_the_selected_task_moves_to_the_next_task_not_the_step() {
    let mut app = app();
    keys(&mut app, &[ch('f')]);
    assert_eq!(app.status_filter(), StatusFilter::NotDone);
    press(&mut app, &[Action::First, Action::Down]);
    assert_eq!(app.selected_row(), Some(Row::Task(0, 0)));
    keys(&mut app, &[ch(' ')]);
    assert_eq!(
        app.selected_row(),
        Some(Row::Task(0, 1)),
        "the next task of the same step"
    );
    keys(&mut app, &[ch(' ')]);
    assert_eq!(
        app.selected_row(),
        Some(Row::Task(1, 0)),
        "across steps, still a task"
    );
    keys(&mut app, &[ch(' ')]);
    assert_eq!(app.selected_row(), None, "nothing left to show");
    assert_eq!(app.counts().done, 3);
}

#[test]
fn the_last_hidden_task_falls_back_to_the_previous_task() {
    let mut app = app();
    keys(&mut app, &[ch('f')]);
    press(&mut app, &[Action::Last]);
    assert_eq!(app.selected_row(), Some(Row::Task(1, 0)));
    keys(&mut app, &[ch(' ')]);
    assert_eq!(app.selected_row(), Some(Row::Task(0, 1)));
}

#[test]
fn esc_backs_out_and_never_quits() {
    let mut app = app();
    for key in [code(KeyCode::Esc), code(KeyCode::Esc)] {
        assert_eq!(keys(&mut app, &[key]), vec![Effect::None]);
    }
    keys(&mut app, &[ch('p')]);
    assert!(app.showing_stats());
    keys(&mut app, &[code(KeyCode::Esc)]);
    assert!(!app.showing_stats(), "Esc closes the progress view");
    keys(&mut app, &[ch('f'), code(KeyCode::Esc)]);
    assert_eq!(app.status_filter(), StatusFilter::All);
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        None,
        "no stale 'showing not done tasks'"
    );
    // The editor: n, text, Ctrl-S, Esc must not quit.
    let effects = keys(&mut app, &[ch('n'), ch('x'), ctrl('s'), code(KeyCode::Esc)]);
    assert!(!effects.contains(&Effect::Quit), "{effects:?}");
    let effects = keys(&mut app, &[ch('?'), code(KeyCode::Esc), code(KeyCode::Esc)]);
    assert!(!effects.contains(&Effect::Quit), "{effects:?}");
    assert_eq!(keys(&mut app, &[ch('q')]), vec![Effect::Quit]);
}

#[test]
fn alt_q_does_not_quit() {
    let mut app = app();
    let alt_q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT);
    assert_eq!(keys(&mut app, &[alt_q]), Vec::<Effect>::new());
}

#[test]
fn undo_names_what_it_undid_and_shows_it() {
    let mut app = app();
    keys(&mut app, &[ch('n'), ch('h'), ch('i'), ctrl('s')]);
    press(&mut app, &[Action::Last]);
    assert_eq!(app.selected_row(), Some(Row::Step(2)));
    keys(&mut app, &[ch('u')]);
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("undone: note on Alpha")
    );
    assert_eq!(
        app.selected_row(),
        Some(Row::Task(0, 0)),
        "the selection shows it"
    );
    assert_eq!(app.roadmap_progress().note("one/a"), None);
    keys(&mut app, &[ctrl('r')]);
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("redone: note on Alpha")
    );
    keys(&mut app, &[ch(' ')]);
    press(&mut app, &[Action::Last]);
    keys(&mut app, &[ch('u')]);
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("undone: Alpha marked done")
    );
    assert_eq!(app.selected_row(), Some(Row::Task(0, 0)));
}

#[test]
fn undo_of_a_step_change_names_the_step() {
    let mut app = app();
    press(&mut app, &[Action::First]);
    keys(&mut app, &[ch(' '), ch('y')]);
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("2 tasks of One marked done · u undoes")
    );
    keys(&mut app, &[ch('u')]);
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("undone: 2 tasks of One marked done")
    );
}

#[test]
fn o_opens_the_tasks_own_link_then_the_last_one_picked() {
    const WITH_LINKS: &str = "\
id: t
title: Test
steps:
  - id: one
    title: One
    tasks:
      - id: a
        title: Alpha
        resources: [{title: Own, url: 'https://example.com/own'}]
      - {id: b, title: Beta}
    resources:
      - {title: Docs, url: 'https://example.com/docs'}
";
    let roadmap = Roadmap::parse(WITH_LINKS, "t.yaml").expect("valid");
    let mut app = App::new(roadmap, Progress::default());
    assert_eq!(app.selected_row(), Some(Row::Task(0, 0)));
    assert_eq!(
        keys(&mut app, &[ch('o')]),
        vec![Effect::Open("https://example.com/own".into())]
    );
    keys(&mut app, &[ch('O')]);
    assert_eq!(app.picked(), 0, "the task's own link first");
    keys(&mut app, &[ch('j')]);
    assert_eq!(
        keys(&mut app, &[code(KeyCode::Enter)]),
        vec![Effect::Open("https://example.com/docs".into())]
    );
    assert_eq!(
        keys(&mut app, &[ch('o')]),
        vec![Effect::Open("https://example.com/docs".into())],
        "o opens what was picked last"
    );
    keys(&mut app, &[ch('O')]);
    assert_eq!(app.picked(), 1, "the picker starts on the last choice");
    keys(&mut app, &[code(KeyCode::Esc), ch('j')]);
    assert_eq!(
        keys(&mut app, &[ch('o')]),
        vec![Effect::Open("https://example.com/docs".into())],
        "a task without links opens its step's"
    );
}

#[test]
fn on_a_small_window_enter_and_p_show_the_details_full_screen() {
    let mut app = app();
    frame(&app, 40, 12);
    assert_eq!(app.viewport().detail, None, "no room for two panes");
    keys(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(app.mode(), Mode::Details);
    keys(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.mode(), Mode::Browse);
    keys(&mut app, &[ch('p')]);
    assert_eq!(app.mode(), Mode::Details);
    keys(&mut app, &[code(KeyCode::Esc)]);
    frame(&app, 100, 30);
    keys(&mut app, &[code(KeyCode::Enter)]);
    assert_eq!(
        app.mode(),
        Mode::Browse,
        "with room, Enter on a task does what it did"
    );
}

// Notes view and review

fn done_days_ago(days: i64) -> App {
    let roadmap = Roadmap::parse(ROADMAP, "t.yaml").expect("valid");
    let mut progress = Progress::default();
    let rp = progress.roadmap_mut("t");
    for key in ["one/a", "one/b"] {
        rp.set_status(key, Status::Done, at(1_700_000_000 - days * 86_400));
    }
    rp.set_note(
        "one/a",
        "alpha is the first letter",
        at(1_700_000_000 - days * 86_400),
    );
    App::new(roadmap, progress)
}

#[test]
fn the_notes_view_lists_every_note_and_jumps_to_it() {
    let mut app = app();
    assert_eq!(keys(&mut app, &[ch('N')]), vec![Effect::None]);
    assert_eq!(app.mode(), Mode::Notes);
    assert!(app.notes().is_empty());
    keys(&mut app, &[code(KeyCode::Esc)]);
    keys(
        &mut app,
        &[
            ch('n'),
            ch('a'),
            ctrl('s'),
            ch('j'),
            ch('n'),
            ch('b'),
            ctrl('s'),
        ],
    );
    press(&mut app, &[Action::First]);
    keys(&mut app, &[ch('n'), ch('s'), ctrl('s')]);
    let keys_in_order: Vec<String> = app.notes().into_iter().map(|e| e.key).collect();
    assert_eq!(
        keys_in_order,
        ["one", "one/a", "one/b"],
        "the step's own note first"
    );
    keys(&mut app, &[ch('N'), ch('j'), ch('j'), code(KeyCode::Enter)]);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(
        app.selected_row(),
        Some(Row::Task(0, 1)),
        "Enter goes to the item"
    );
    keys(&mut app, &[ch('N'), ch('/'), ch('a')]);
    assert_eq!(app.mode(), Mode::NotesSearch);
    keys(&mut app, &[code(KeyCode::Enter), ch('n')]);
    assert_eq!(app.mode(), Mode::Edit, "n edits the selected note there");
    assert_eq!(
        app.editor().map(|e| e.key.clone()),
        Some("one/a".to_string())
    );
}

fn session(app: &App) -> Option<ReviewSession> {
    match app.overlay() {
        pathway::tui::app::Overlay::Review(s) => Some(s.clone()),
        _ => None,
    }
}

#[test]
fn a_review_session_asks_reveals_rates_shows_the_result_and_moves_on() {
    let mut app = done_days_ago(10);
    press(&mut app, &[Action::Tick]);
    assert_eq!(
        app.review_due(),
        2,
        "completed ten days ago, never reviewed: due"
    );
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("2 cards to review: r starts")
    );
    keys(&mut app, &[ch('r')]);
    assert_eq!(app.mode(), Mode::Review);
    let s = session(&app).expect("session");
    assert_eq!(
        (s.index, s.revealed, s.rated.len()),
        (0, false, 0),
        "the question first"
    );
    assert_eq!(
        keys(&mut app, &[ch('3')]),
        vec![Effect::None],
        "no rating before the answer"
    );
    keys(&mut app, &[ch(' ')]);
    assert!(session(&app).is_some_and(|s| s.revealed));
    let previews = app
        .review_previews(config())
        .expect("what each rating would do");
    assert!(
        previews[0].1 < previews[1].1 && previews[2].1 < previews[3].1,
        "{previews:?}"
    );
    assert_eq!(keys(&mut app, &[ch('3')]), vec![Effect::Save]);
    let s = session(&app).expect("session");
    assert_eq!(
        (s.index, s.revealed),
        (1, false),
        "the next due card follows"
    );
    let result = s.last_result().expect("the result shows");
    assert_eq!(
        Some(result.next),
        Some(now() + previews[2].1),
        "the preview was what the rating did"
    );
    assert_eq!(app.review_due(), 1);
    keys(&mut app, &[ch(' ')]);
    assert_eq!(keys(&mut app, &[ch('4')]), vec![Effect::Save]);
    let s = session(&app).expect("the summary shows in the session");
    assert!(s.finished());
    keys(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(app.mode(), Mode::Browse);
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.starts_with("review ended: 2 cards reviewed, 100% remembered")),
        "{:?}",
        app.message(&config().keymap).as_deref()
    );
    let item = app.roadmap_progress().item("one/b").expect("item");
    assert!(
        item.cards
            .get("recall")
            .is_some_and(|r| r.lapses == 0 && r.reviews == 1)
    );
    keys(&mut app, &[ch('r')]);
    assert!(
        session(&app).is_some_and(|s| s.offer_ahead),
        "nothing due: review ahead is offered"
    );
    keys(&mut app, &[ch(' ')]);
    let s = session(&app).expect("reviewing ahead");
    assert!(
        s.ahead && s.queue.len() == 1,
        "the good one, due within a week: {s:?}"
    );
}

#[test]
fn the_answer_is_the_cards_then_the_note() {
    let mut app = done_days_ago(3);
    keys(&mut app, &[ch('r')]);
    let s = session(&app).expect("session");
    let card = s.current().expect("a card");
    assert_eq!(card.id(), "one/a#first");
    let task = &app.roadmap().steps[card.step].tasks[card.task];
    let cards = task.cards();
    assert_eq!(cards[card.card].answer.as_deref(), Some("alpha, then beta"));
}

#[test]
fn again_brings_the_card_back_in_the_same_session() {
    let mut app = done_days_ago(3);
    keys(&mut app, &[ch('r'), ch(' '), ch('1')]);
    let s = session(&app).expect("session");
    assert_eq!(s.queue.len(), 3, "the forgotten card joins the end");
    assert_eq!(s.queue[2].id(), "one/a#first");
    let next = s.rated[0].next;
    assert!(
        next <= now() + jiff::SignedDuration::from_hours(24),
        "{next}"
    );
    keys(&mut app, &[ch(' '), ch('3'), ch(' '), ch('3')]);
    assert!(session(&app).is_some_and(|s| s.finished()));
}

#[test]
fn undo_in_a_session_takes_back_the_rating_and_asks_again() {
    let mut app = done_days_ago(3);
    keys(&mut app, &[ch('r'), ch(' '), ch('1')]);
    assert_eq!(keys(&mut app, &[ch('u')]), vec![Effect::Save]);
    let s = session(&app).expect("session");
    assert_eq!((s.index, s.rated.len(), s.queue.len()), (0, 0, 2));
    assert_eq!(
        app.message(&config().keymap).as_deref(),
        Some("undid review of Alpha")
    );
    let item = app.roadmap_progress().item("one/a").expect("item");
    assert!(
        item.cards.get("first").is_none_or(|c| c.reviews == 0),
        "the card is as it was: {item:?}"
    );
    let stats = app.stats(config());
    assert_eq!(
        stats.review.reviewed_30d, 0,
        "an undone rating does not count"
    );
    assert!(
        app.roadmap_progress()
            .history
            .iter()
            .any(|e| matches!(e.change, pathway::core::history::Change::ReviewUndone(_))),
        "the log records the undo"
    );
}

#[test]
fn a_note_written_from_a_card_returns_to_the_session() {
    let mut app = done_days_ago(3);
    keys(&mut app, &[ch('r'), ch(' '), ch('n')]);
    assert_eq!(app.mode(), Mode::Edit);
    assert_eq!(app.editor().map(|e| e.key.clone()), Some("one/a".into()));
    keys(&mut app, &text(" (and omega last)"));
    assert_eq!(keys(&mut app, &[ctrl('s')]), vec![Effect::Save]);
    assert_eq!(app.mode(), Mode::Review, "back in the session");
    let s = session(&app).expect("session");
    assert_eq!((s.index, s.revealed), (0, true), "on the same card");
    assert_eq!(
        app.roadmap_progress().note("one/a"),
        Some("alpha is the first letter (and omega last)")
    );
}

#[test]
fn esc_ends_a_review_with_a_summary_and_keeps_what_was_rated() {
    let mut app = done_days_ago(3);
    keys(&mut app, &[ch('r'), ch(' '), ch('4'), code(KeyCode::Esc)]);
    assert_eq!(app.mode(), Mode::Browse);
    let message = app
        .message(&config().keymap)
        .as_deref()
        .unwrap_or_default()
        .to_string();
    assert!(
        message.starts_with("review ended: 1 card reviewed, 100% remembered · 1 still due"),
        "{message}"
    );
    assert!(
        app.roadmap_progress()
            .item("one/a")
            .is_some_and(|i| i.cards.contains_key("first"))
    );
}

#[test]
fn a_done_task_can_be_taken_out_of_review_and_put_back() {
    let mut app = done_days_ago(3);
    press(&mut app, &[Action::Tick]);
    assert_eq!(
        app.selected_row(),
        Some(Row::Task(1, 0)),
        "opens on the first open task"
    );
    keys(&mut app, &[ch('X')]);
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("only a done task"))
    );
    press(&mut app, &[Action::First, Action::Expand, Action::Down]);
    assert_eq!(app.selected_row(), Some(Row::Task(0, 0)));
    assert_eq!(keys(&mut app, &[ch('X')]), vec![Effect::Save]);
    assert_eq!(app.review_due(), 1);
    keys(&mut app, &[ch('X')]);
    assert_eq!(app.review_due(), 1, "back in review, due tomorrow");
    keys(&mut app, &[ch(' ')]);
    assert_eq!(app.task_status(0, 0), Status::Todo);
    assert_eq!(app.review_due(), 1, "unticking takes it out");
    keys(&mut app, &[ch(' ')]);
    assert_eq!(
        app.review_due(),
        1,
        "ticking again resumes its schedule: due tomorrow still"
    );
}

#[test]
fn a_paste_is_text_never_keys() {
    let mut app = app();
    let done_before = app.counts().done;
    assert_eq!(
        app.handle(Action::Paste("j j s j i j\nq".into()), now(), config()),
        Effect::None
    );
    assert_eq!(
        app.counts().done,
        done_before,
        "while browsing, a paste changes nothing"
    );
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("pasted text is ignored"))
    );
    keys(&mut app, &[ch('/')]);
    app.handle(Action::Paste("gamma\nj j s q".into()), now(), config());
    assert_eq!(app.query(), "gamma", "the first line, as filter text");
    assert_eq!(app.mode(), Mode::Filter);
    keys(&mut app, &[code(KeyCode::Esc), ch('n')]);
    app.handle(
        Action::Paste("line one\r\nline two\n".into()),
        now(),
        config(),
    );
    assert_eq!(app.mode(), Mode::Edit);
    assert_eq!(
        app.editor().map(|e| e.text()),
        Some("line one\nline two\n".to_string()),
        "one insertion, lines kept"
    );
}

fn running_checks(app: &App) -> Option<usize> {
    app.checking().map(|c| c.keys.len() - c.done)
}

#[test]
fn v_runs_a_tasks_check_in_the_background_and_a_pass_verifies_it() {
    use pathway::checks::CheckResult;
    let mut app = app().with_checks_trusted(true);
    press(&mut app, &[Action::First, Action::Down]);
    assert_eq!(app.selected_row(), Some(Row::Task(0, 0)));
    press(&mut app, &[Action::Verify]);
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("no check here"))
    );
    press(&mut app, &[Action::Down]);
    assert_eq!(
        press(&mut app, &[Action::Verify]),
        vec![Effect::RunChecks(vec!["one/b".into()])]
    );
    assert_eq!(running_checks(&app), Some(1));
    // The screen keeps answering while it runs.
    press(&mut app, &[Action::Up, Action::Down]);
    assert_eq!(app.selected_row(), Some(Row::Task(0, 1)));
    let done = app.handle(
        Action::CheckFinished {
            key: "one/b".into(),
            result: CheckResult::Passed,
            detail: None,
            report: String::new(),
        },
        now(),
        config(),
    );
    assert_eq!(done, Effect::Save);
    assert_eq!(running_checks(&app), None);
    assert_eq!(app.task_status(0, 1), Status::Done, "a pass ticks it");
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.starts_with("✓ verified: Beta"))
    );
    let checked = app
        .roadmap_progress()
        .item("one/b")
        .and_then(|i| i.checked.clone())
        .expect("recorded");
    assert!(checked.passed);
}

#[test]
fn esc_stops_running_checks_and_a_failure_never_unticks() {
    use pathway::checks::CheckResult;
    let mut app = app().with_checks_trusted(true);
    press(
        &mut app,
        &[
            Action::First,
            Action::Down,
            Action::Down,
            Action::ToggleDone,
        ],
    );
    press(&mut app, &[Action::Verify]);
    assert_eq!(
        keys(&mut app, &[code(KeyCode::Esc)]),
        vec![Effect::CancelChecks]
    );
    assert_eq!(running_checks(&app), None);
    press(&mut app, &[Action::Verify]);
    app.handle(
        Action::CheckFinished {
            key: "one/b".into(),
            result: CheckResult::Failed,
            detail: Some("probe 1: file beta.txt".into()),
            report: String::new(),
        },
        now(),
        config(),
    );
    assert_eq!(app.task_status(0, 1), Status::Done, "still done");
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("check failed: Beta: probe 1"))
    );
}

#[test]
fn checks_of_an_unapproved_roadmap_ask_first() {
    let mut app = app();
    press(
        &mut app,
        &[Action::First, Action::Down, Action::Down, Action::Verify],
    );
    assert_eq!(
        app.mode(),
        Mode::ConfirmTrust,
        "the list of what would run, and a question"
    );
    assert_eq!(keys(&mut app, &[ch('n')]), vec![Effect::None]);
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("nothing ran"))
    );
    press(&mut app, &[Action::Verify]);
    assert_eq!(
        keys(&mut app, &[ch('y')]),
        vec![Effect::ApproveChecks(vec!["one/b".into()])]
    );
    assert_eq!(running_checks(&app), Some(1));
}

#[test]
fn only_y_approves_checks_enter_is_no() {
    let mut app = app();
    press(
        &mut app,
        &[Action::First, Action::Down, Action::Down, Action::Verify],
    );
    assert_eq!(app.mode(), Mode::ConfirmTrust);
    // Enter, as in `pathway trust`'s [y/N], declines: nothing is approved, nothing runs.
    assert_eq!(keys(&mut app, &[code(KeyCode::Enter)]), vec![Effect::None]);
    assert_eq!(app.mode(), Mode::Browse);
    assert_eq!(running_checks(&app), None);
    press(&mut app, &[Action::Verify]);
    for other in [ch('Y'), ch(' '), ch('a'), ch('1')] {
        let effects = keys(&mut app, &[other]);
        assert!(
            effects.iter().all(|e| *e == Effect::None),
            "{other:?} gave {effects:?}"
        );
        assert_eq!(
            app.mode(),
            Mode::ConfirmTrust,
            "{other:?} left the question"
        );
    }
    assert_eq!(
        keys(&mut app, &[ch('y')]),
        vec![Effect::ApproveChecks(vec!["one/b".into()])]
    );
}

#[test]
fn in_review_a_check_rates_only_the_card_it_was_started_on() {
    use pathway::checks::CheckResult;
    let roadmap = Roadmap::parse(
        "id: t\ntitle: T\nsteps:\n  - id: one\n    title: One\n    tasks:\n      - id: b\n        title: Beta\n        check: [{file: beta.txt}]\n        cards:\n          - {id: c1, ask: First?, answer: one}\n          - {id: c2, ask: Second?, answer: two}\n",
        "t.yaml",
    )
    .expect("valid");
    let mut progress = Progress::default();
    progress
        .roadmap_mut("t")
        .set_status("one/b", Status::Done, at(1_700_000_000 - 3 * 86_400));
    let mut app = App::new(roadmap, progress).with_checks_trusted(true);
    keys(&mut app, &[ch('r'), ch(' ')]);
    let first = session(&app).expect("session").index;
    assert_eq!(
        keys(&mut app, &[ch('v')]),
        vec![Effect::RunChecks(vec!["one/b".into()])]
    );
    // While the check runs, the learner rates this card themselves and goes on to the other
    // card of the same task.
    keys(&mut app, &[ch('2')]);
    let s = session(&app).expect("session");
    assert_ne!(s.index, first);
    assert_eq!(s.current().map(|c| c.key.as_str()), Some("one/b"));
    app.handle(
        Action::CheckFinished {
            key: "one/b".into(),
            result: CheckResult::Passed,
            detail: None,
            report: String::new(),
        },
        now(),
        config(),
    );
    let s = session(&app).expect("session");
    assert_eq!(s.rated.len(), 1, "only the learner's own rating");
    assert_eq!(s.rated[0].rating, pathway::core::status::Rating::Hard);
    assert!(!s.revealed, "the second card is still asked, not rated");
}

#[test]
fn in_review_a_passing_check_rates_the_card_good() {
    use pathway::checks::CheckResult;
    let mut app = done_days_ago(3).with_checks_trusted(true);
    keys(&mut app, &[ch('r'), ch(' '), ch('3')]);
    let s = session(&app).expect("session");
    assert_eq!(s.current().map(|c| c.key.clone()), Some("one/b".into()));
    // Not before the answer is shown: the learner recalls first.
    assert_eq!(keys(&mut app, &[ch('v')]), vec![Effect::None]);
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.contains("show the answer first"))
    );
    press(&mut app, &[Action::Reveal]);
    assert_eq!(
        keys(&mut app, &[ch('v')]),
        vec![Effect::RunChecks(vec!["one/b".into()])]
    );
    app.handle(
        Action::CheckFinished {
            key: "one/b".into(),
            result: CheckResult::Passed,
            detail: None,
            report: String::new(),
        },
        now(),
        config(),
    );
    let s = session(&app).expect("session");
    let last = s.rated.last().expect("rated");
    assert_eq!(
        (last.card.key.as_str(), last.rating),
        ("one/b", pathway::core::status::Rating::Good)
    );
    assert!(
        app.message(&config().keymap)
            .as_deref()
            .is_some_and(|m| m.starts_with("check passed: rated good · u to rate it yourself")),
        "{:?}",
        app.message(&config().keymap).as_deref()
    );
}

#[test]
fn the_switcher_shows_the_open_roadmaps_figures_as_of_the_last_change() {
    use pathway::tui::app::RoadmapChoice;
    let mut app = app();
    press(&mut app, &[Action::ToggleDone]);
    assert_eq!(app.counts().percent(), 33);
    // Figures read from the progress at some earlier moment: the open roadmap's are replaced.
    app.show_roadmaps(vec![
        RoadmapChoice {
            id: "t".into(),
            title: "Test".into(),
            percent: 0,
            error: None,
        },
        RoadmapChoice {
            id: "other".into(),
            title: "Other".into(),
            percent: 7,
            error: None,
        },
    ]);
    let percents: Vec<usize> = app.roadmaps().iter().map(|r| r.percent).collect();
    assert_eq!(percents, [33, 7]);
}

/// The notes view open on the second of two notes.
fn notes_view_on_the_second() -> App {
    let roadmap = Roadmap::parse(ROADMAP, "t.yaml").expect("valid");
    let mut progress = Progress::default();
    let rp = progress.roadmap_mut("t");
    rp.set_note("one/a", "first", now());
    rp.set_note("two/c", "second", now());
    let mut app = App::new(roadmap, progress);
    press(&mut app, &[Action::ShowNotes, Action::Down]);
    app
}

fn notes_selected(app: &App) -> Option<usize> {
    match app.overlay() {
        pathway::tui::app::Overlay::Notes { selected, .. } => Some(*selected),
        _ => None,
    }
}

#[test]
fn editing_a_note_from_the_notes_view_comes_back_to_the_view_on_that_note() {
    let mut app = notes_view_on_the_second();
    press(&mut app, &[Action::EditNote]);
    assert_eq!(app.mode(), Mode::Edit);
    assert_eq!(app.editor().map(|e| e.key.as_str()), Some("two/c"));
    keys(&mut app, &text(" again"));
    assert_eq!(press(&mut app, &[Action::Confirm]), [Effect::Save]);
    assert_eq!(app.mode(), Mode::Notes, "back in the view");
    assert_eq!(notes_selected(&app), Some(1), "on the note just edited");
    assert_eq!(app.roadmap_progress().note("two/c"), Some("second again"));
    // Leaving the editor without a change comes back too.
    press(&mut app, &[Action::EditNote, Action::Cancel]);
    assert_eq!(notes_selected(&app), Some(1));
    // And so does $EDITOR.
    let effects = press(&mut app, &[Action::EditNoteExternally]);
    assert!(matches!(effects[0], Effect::EditExternally(_)));
    press(&mut app, &[Action::NoteEdited("edited outside".into())]);
    assert_eq!(notes_selected(&app), Some(1));
    assert_eq!(app.roadmap_progress().note("two/c"), Some("edited outside"));
}

#[test]
fn a_note_emptied_from_the_notes_view_leaves_the_selection_on_a_note() {
    let mut app = notes_view_on_the_second();
    press(&mut app, &[Action::EditNoteExternally]);
    press(&mut app, &[Action::NoteEdited(String::new())]);
    assert_eq!(app.mode(), Mode::Notes);
    assert_eq!(app.notes().len(), 1);
    press(&mut app, &[Action::Up]);
    assert_eq!(notes_selected(&app), Some(0));
}

#[test]
fn esc_that_closes_the_note_editor_never_also_ends_the_review_session() {
    let mut app = done_days_ago(10);
    keys(&mut app, &[ch('r'), ch('n')]);
    assert_eq!(app.mode(), Mode::Edit);
    keys(&mut app, &[code(KeyCode::Esc)]);
    assert_eq!(
        app.mode(),
        Mode::Review,
        "an unchanged note closes to the card"
    );
    keys(&mut app, &[ch('n')]);
    keys(&mut app, &text("typed"));
    keys(&mut app, &[code(KeyCode::Esc), ch('y')]);
    assert_eq!(
        app.mode(),
        Mode::Review,
        "a discarded note closes to the card"
    );
    keys(&mut app, &[ch('n')]);
    keys(&mut app, &text("kept"));
    assert_eq!(keys(&mut app, &[ctrl('s')]), [Effect::Save]);
    assert_eq!(
        app.mode(),
        Mode::Review,
        "Ctrl-S saves and closes, back to the card"
    );
}

/// A card whose task another copy took out of review while the session was open is not rated:
/// the footer names the task as the session does, and the key that puts it back, as bound now.
#[test]
fn a_rating_refused_mid_session_names_the_task_and_the_way_back() {
    let mut app = done_days_ago(10);
    keys(&mut app, &[ch('r'), ch(' ')]);
    let first = session(&app)
        .and_then(|s| s.current().cloned())
        .expect("a card");
    // Another process takes the task out of review (a later change wins the merge).
    let mut disk = app.progress().clone();
    let rp = disk.roadmap_mut("t");
    let roadmap = Roadmap::parse(ROADMAP, "t.yaml").expect("valid");
    let task = &roadmap.steps[first.step].tasks[first.task];
    pathway::core::ops::set_reviewing(rp, &first.key, task, false, at(1_700_000_500))
        .expect("done");
    app.merge_from_disk(&disk, config());
    keys(&mut app, &[ch('3')]);
    let message = app.message(&config().keymap).unwrap_or_default();
    assert!(
        message.starts_with(&format!("{} is out of review · X", task.title)),
        "{message}"
    );
    assert!(
        session(&app).is_some_and(|s| s.rated.is_empty()),
        "nothing rated"
    );
}
