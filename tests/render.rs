//! What the screen shows, drawn into ratatui's `TestBackend` and compared to reviewed snapshots.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use pathway::core::progress::{Progress, Status};
use pathway::core::roadmap::Roadmap;
use pathway::tui::app::{Action, App};
use pathway::tui::config::Config;
use pathway::tui::ui::Screen;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The configuration these run with: the default keys, colours and review settings, and dates
/// in UTC so that no screen depends on the machine's time zone.
fn config() -> &'static Config {
    static CONFIG: std::sync::LazyLock<Config> =
        std::sync::LazyLock::new(|| Config::default().with_time_zone(jiff::tz::TimeZone::UTC));
    &CONFIG
}

fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(secs).expect("valid")
}

/// The tests' own roadmap (`tests/fixtures/roadmap.yaml`): editing the shipped content never
/// changes these screens.
fn fixture() -> Roadmap {
    let text = include_str!("fixtures/roadmap.yaml");
    Roadmap::parse(text, "fixtures/roadmap.yaml").expect("valid")
}

/// A roadmap with its first step done on a fixed day and the first task of step 2 ticked.
fn app_on(roadmap: Roadmap) -> App {
    let mut progress = Progress::default();
    let rp = progress.roadmap_mut(&roadmap.id);
    let first = &roadmap.steps[0];
    for task in &first.tasks {
        rp.set_status(
            &format!("{}/{}", first.id, task.id),
            Status::Done,
            at(1_763_985_600),
        );
    }
    let second = &roadmap.steps[1];
    rp.set_status(
        &format!("{}/{}", second.id, second.tasks[0].id),
        Status::Done,
        at(1_764_072_000),
    );
    App::new(roadmap, progress)
}

fn app() -> App {
    app_on(fixture())
}

/// The shipped roadmap, for the one snapshot that shows it.
fn shipped() -> App {
    app_on(Roadmap::embedded().expect("valid"))
}

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    draw_with(app, config(), width, height)
}

fn draw_with(app: &App, config: &Config, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| frame.render_widget(Screen::new(app, config), frame.area()))
        .expect("draw");
    terminal
}

fn press(app: &mut App, actions: &[Action]) {
    for action in actions {
        app.handle(action.clone(), at(1_764_158_400), config());
    }
}

#[test]
fn the_shipped_roadmap_at_100x30() {
    let app = shipped();
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn checklist_at_100x30() {
    let app = app();
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn completed_step_details_at_100x30() {
    let mut app = app();
    press(&mut app, &[Action::First]);
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn small_terminal_at_30x8() {
    let app = app();
    insta::assert_snapshot!(draw(&app, 30, 8).backend());
}

#[test]
fn narrow_terminal_stacks_the_panes() {
    let app = app();
    insta::assert_snapshot!(draw(&app, 50, 30).backend());
}

#[test]
fn help_overlay_at_80x24() {
    let mut app = app();
    press(&mut app, &[Action::ShowHelp]);
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn help_overlay_at_100x30() {
    let mut app = app();
    press(&mut app, &[Action::ShowHelp]);
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

/// The cells of a screen's outer rows and columns of the panes: the frame around an overlay.
fn frame_cells(app: &App, width: u16, height: u16) -> Vec<String> {
    let terminal = draw(app, width, height);
    let buffer = terminal.backend().buffer();
    let mut cells = Vec::new();
    for y in 1..height - 1 {
        for x in 0..width {
            let edge = y == 1 || y == height - 2 || x == 0 || x == width - 1;
            if edge {
                cells.push(format!("{x},{y}:{}", buffer[(x, y)].symbol()));
            }
        }
    }
    cells
}

#[test]
fn the_help_overlay_leaves_the_frame_around_it_and_wrapped_lines_keep_their_indent() {
    for (w, h) in [(80, 24), (100, 30)] {
        let mut app = app();
        let before = frame_cells(&app, w, h);
        press(&mut app, &[Action::ShowHelp]);
        assert_eq!(frame_cells(&app, w, h), before, "{w}x{h}");
        let screen = draw(&app, w, h).backend().to_string();
        let fading = screen
            .lines()
            .position(|l| l.contains("↻  done but fading"))
            .expect("the fading mark");
        let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
        let find = |line: &[char], text: &str| {
            let text: Vec<char> = text.chars().collect();
            line.windows(text.len()).position(|w| w == text.as_slice())
        };
        let left = lines
            .iter()
            .find_map(|l| find(l, "┌ Help"))
            .expect("the help's border");
        // The second line of the legend's last entry starts under its text, not at the border.
        let next = &lines[fading + 1];
        let start = (left + 1..next.len()).find(|&x| next[x] != ' ');
        assert_eq!(start, find(&lines[fading], "done but"), "{w}x{h}: {screen}");
    }
}

#[test]
fn tiny_and_empty_sizes_do_not_panic() {
    for (w, h) in [
        (1, 1),
        (0, 0),
        (10, 0),
        (0, 10),
        (19, 4),
        (20, 5),
        (2, 30),
        (300, 3),
    ] {
        let mut app = app();
        press(
            &mut app,
            &[Action::Down, Action::Last, Action::ScrollDetailDown],
        );
        draw(&app, w, h);
        press(&mut app, &[Action::ShowHelp, Action::Down]);
        draw(&app, w, h);
    }
    let app = app();
    let terminal = draw(&app, 1, 1);
    assert_eq!(
        terminal.backend().buffer()[(0, 0)].symbol(),
        "…",
        "says it cannot fit"
    );
}

#[test]
fn ticking_a_task_shows_in_the_tree_and_header() {
    let mut app = app();
    let before = draw(&app, 100, 30).backend().to_string();
    assert!(before.contains("4/10 done"), "{before}");
    press(&mut app, &[Action::ToggleDone]);
    let after = draw(&app, 100, 30).backend().to_string();
    assert!(after.contains("5/10 done"), "{after}");
    assert!(after.contains("[x] Design a schema"), "{after}");
}

#[test]
fn no_color_keeps_the_selection_visible() {
    use ratatui::style::{Color, Modifier};
    let app = app();
    let no_color = Config::new(&Default::default(), false, false).expect("default keys");
    let terminal = draw_with(&app, &no_color, 100, 30);
    let buffer = terminal.backend().buffer();
    let mut colored = 0;
    for cell in buffer.content() {
        if cell.fg != Color::Reset || cell.bg != Color::Reset {
            colored += 1;
        }
    }
    assert_eq!(colored, 0, "no colours at all");
    let row = (0..30u16)
        .find(|y| buffer[(1, *y)].symbol() == "›")
        .expect("a selected row");
    assert!(buffer[(5, row)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn detail_pane_with_a_note_and_statuses() {
    let mut app = app();
    app.handle(Action::ToggleInProgress, at(1_764_158_400), config());
    app.handle(
        Action::NoteEdited("never used".into()),
        at(1_764_158_400),
        config(),
    );
    // A note written through the app, as the learner would.
    app.handle(Action::EditNoteExternally, at(1_764_158_400), config());
    app.handle(
        Action::NoteEdited(
            "Start with the official tutorial.\nThen a schema for a blog: posts, authors, tags."
                .into(),
        ),
        at(1_764_158_400),
        config(),
    );
    press(&mut app, &[Action::Down, Action::ToggleSkipped, Action::Up]);
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn a_stretch_task_is_marked_in_the_tree_explained_in_the_detail_and_counted_apart() {
    let text = include_str!("fixtures/roadmap.yaml").replace(
        "{id: documents, title: Store the same data as documents, hours: 5}",
        "{id: documents, title: Store the same data as documents, hours: 5, level: stretch, \
         why_later: \"Tables serve the blog; documents matter once a job uses them.\"}",
    );
    let roadmap = Roadmap::parse(&text, "fixtures/roadmap.yaml").expect("valid");
    let mut app = app_on(roadmap);
    // It opens on step 2's second task, the first not done; two down is the stretch one.
    press(&mut app, &[Action::Down, Action::Down]);
    let screen = draw(&app, 100, 30).backend().to_string();
    let marked = |title: &str| {
        screen
            .lines()
            .find(|l| l.contains(title))
            .is_some_and(|l| l.contains("◇"))
    };
    assert!(marked("[ ] Store the same data as documents"), "{screen}");
    assert!(
        !marked("[ ] Add an index"),
        "core tasks carry no mark: {screen}"
    );
    assert!(
        screen.contains("2 Data and storage                    1/4"),
        "{screen}"
    );
    assert!(
        screen.contains("◇ Stretch: Tables serve the blog"),
        "{screen}"
    );
    assert!(screen.contains("· 1 stretch"), "the header: {screen}");
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn an_active_filter_shows_matches_with_their_steps() {
    let mut app = app();
    press(&mut app, &[Action::StartFilter]);
    for c in "documents".chars() {
        press(&mut app, &[Action::Input(c)]);
    }
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn the_note_editor_over_the_detail_pane() {
    let mut app = app();
    press(&mut app, &[Action::EditNote]);
    for c in "Practise joins on a sample database".chars() {
        let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
        press(&mut app, &[Action::EditorKey(key)]);
    }
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn the_progress_view_without_history() {
    let mut app = App::new(fixture(), Progress::default());
    app.handle(Action::ToggleStats, at(1_764_158_400), config());
    let screen = draw(&app, 100, 30).backend().to_string();
    assert!(screen.contains("Not enough history yet"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_progress_view_with_weeks_of_history() {
    let roadmap = fixture();
    let mut progress = Progress::default();
    let rp = progress.roadmap_mut(&roadmap.id);
    // Three weeks of work: a few tasks on some days, nothing on others.
    let day = 86_400;
    let start = 1_762_430_400; // Thu 6 Nov 2025, noon UTC
    let mut n = 0;
    for step in &roadmap.steps[..2] {
        for task in &step.tasks {
            n += 1;
            let when = start + (n * 19 / 10) * day;
            rp.set_status(&format!("{}/{}", step.id, task.id), Status::Done, at(when));
        }
    }
    let now = start + 26 * day;
    let mut app = App::new(roadmap, progress);
    app.handle(Action::ToggleStats, at(now), config());
    let screen = draw(&app, 100, 30).backend().to_string();
    // 12 h left at 59 h in 25 days: six days.
    assert!(screen.contains("are done around 8 Dec"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn the_progress_view_scrolls_to_its_end_at_every_size() {
    let last_step = Roadmap::embedded()
        .expect("valid")
        .steps
        .last()
        .map(|s| s.title.to_string())
        .expect("a step");
    for (width, height) in [(80, 24), (100, 30), (160, 48), (50, 20), (60, 15)] {
        let mut app = shipped();
        // The first frame says whether there is room for the details beside the tree.
        draw(&app, width, height);
        press(&mut app, &[Action::ToggleStats]);
        let first = draw(&app, width, height).backend().to_string();
        assert!(
            !first.contains("p for details") || !first.contains("back to the list"),
            "{first}"
        );
        for _ in 0..40 {
            press(&mut app, &[Action::Down, Action::ScrollDetailDown]);
            draw(&app, width, height);
        }
        let end = draw(&app, width, height).backend().to_string();
        assert!(
            end.contains(&last_step),
            "at {width}x{height} the last step's days are reached:\n{end}"
        );
    }
}

#[test]
fn the_full_screen_progress_view_offers_the_way_back_not_the_details() {
    // A window too small for two panes shows the progress view in place of the tree.
    let mut app = app();
    draw(&app, 60, 15);
    press(&mut app, &[Action::ToggleStats]);
    let screen = draw(&app, 60, 15).backend().to_string();
    assert!(screen.contains("esc back to the list"), "{screen}");
    assert!(!screen.contains("for details"), "{screen}");
}

#[test]
fn the_header_counts_the_cards_due_from_the_first_frame() {
    // What the terminal does before it draws anything: no key, no tick yet.
    let mut app = app();
    app.greet(at(1_764_158_400), config());
    let screen = draw(&app, 100, 30).backend().to_string();
    assert!(screen.contains("· 4 to review"), "{screen}");
}

/// The footer's line of a screen.
fn footer_of(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn the_review_footer_offers_only_the_keys_that_work_on_each_screen() {
    use pathway::core::status::Rating;
    let mut app = app();
    press(&mut app, &[Action::StartReview]);
    let question = footer_of(&draw(&app, 100, 30).backend().to_string());
    assert!(
        question.contains("answer") && !question.contains("good"),
        "{question}"
    );
    press(&mut app, &[Action::Reveal]);
    let answer = footer_of(&draw(&app, 100, 30).backend().to_string());
    assert!(
        answer.contains("3 good") && !answer.contains("answer"),
        "{answer}"
    );
    // One card forgotten and asked again: five ratings of four cards.
    press(&mut app, &[Action::Rate(Rating::Again)]);
    for _ in 0..4 {
        press(&mut app, &[Action::Reveal, Action::Rate(Rating::Good)]);
    }
    let summary = draw(&app, 100, 30).backend().to_string();
    assert!(
        summary.contains("5 reviews of 4 cards, 80% remembered."),
        "{summary}"
    );
    let footer = footer_of(&summary);
    assert!(
        footer.contains("esc close") && footer.contains("u undo last rating"),
        "{footer}"
    );
    assert!(
        !footer.contains("good") && !footer.contains("answer"),
        "{footer}"
    );
}

#[test]
fn nothing_to_review_offers_review_ahead_and_back_in_the_footer() {
    use pathway::core::status::Rating;
    let mut app = app();
    press(&mut app, &[Action::StartReview]);
    for _ in 0..4 {
        press(&mut app, &[Action::Reveal, Action::Rate(Rating::Good)]);
    }
    press(&mut app, &[Action::Cancel, Action::StartReview]);
    let footer = footer_of(&draw(&app, 100, 30).backend().to_string());
    assert!(
        footer.contains("space review ahead") && footer.contains("esc back"),
        "{footer}"
    );
    assert!(
        !footer.contains("good") && !footer.contains("end"),
        "{footer}"
    );
}

#[test]
fn resource_titles_become_hyperlinks_only_when_asked() {
    let mut app = app();
    press(&mut app, &[Action::First]);
    let terminal = draw_with(&app, &config().clone().with_hyperlinks(true), 120, 60);
    let linked: Vec<String> = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol().to_string())
        .filter(|s| s.contains("\x1b]8;;"))
        .collect();
    assert_eq!(
        linked.first().map(String::as_str),
        Some("\x1b]8;;https://example.com/basics\x1b\\Th\x1b]8;;\x1b\\")
    );
    let book = linked
        .iter()
        .filter(|s| s.contains("example.com/basics"))
        .count();
    assert_eq!(book, 8, "\"The Basics Book\" in pairs of characters");
    let plain = draw(&app, 120, 60);
    assert!(
        !plain
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.symbol().contains('\x1b'))
    );
}

#[test]
fn a_wide_window_shows_whole_titles_at_200x60() {
    let app = app();
    let screen = draw(&app, 200, 60).backend().to_string();
    for title in [
        "Design a schema for a small blog with authors, posts and tags, with keys and constraints",
        "Query the database from a program with parameters",
    ] {
        assert!(screen.contains(title), "{title} whole:\n{screen}");
    }
    insta::assert_snapshot!(draw(&app, 200, 60).backend());
}

#[test]
fn a_small_window_shows_a_tasks_details_full_screen_at_40x12() {
    let mut app = app();
    draw(&app, 40, 12);
    press(&mut app, &[Action::Expand]);
    insta::assert_snapshot!(draw(&app, 40, 12).backend());
}

#[test]
fn the_footer_names_filter_progress_and_help_at_80x24() {
    let app = app();
    let screen = draw(&app, 80, 24).backend().to_string();
    let footer = screen.lines().last().expect("a footer");
    for key in ["/ filter", "p progress", "? help", "q quit"] {
        assert!(footer.contains(key), "{key} in {footer}");
    }
}

#[test]
fn the_editor_keeps_its_changed_mark_on_a_long_title() {
    let mut app = app();
    press(&mut app, &[Action::EditNote]);
    let key = |c| {
        Action::EditorKey(crossterm::event::KeyEvent::from(
            crossterm::event::KeyCode::Char(c),
        ))
    };
    press(&mut app, &[key('x')]);
    let screen = draw(&app, 80, 24).backend().to_string();
    assert!(screen.contains("· changed"), "{screen}");
}

/// Four tasks done days before `at(1_764_158_400)`, and a note.
fn app_with_reviews() -> App {
    let mut app = app();
    app.handle(Action::EditNote, at(1_764_000_000), config());
    for c in "LEFT JOIN keeps every row of the left table.".chars() {
        app.handle(
            Action::EditorKey(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char(c),
            )),
            at(1_764_000_000),
            config(),
        );
    }
    app.handle(Action::Confirm, at(1_764_000_000), config());
    app.handle(Action::Tick, at(1_764_158_400), config());
    app
}

#[test]
fn the_notes_view_at_100x30() {
    let mut app = app_with_reviews();
    press(&mut app, &[Action::ShowNotes]);
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

/// The fixture with notes on two steps: a step's own, a long one with a list, a short one.
fn app_with_notes() -> App {
    let roadmap = fixture();
    let mut progress = Progress::default();
    let rp = progress.roadmap_mut(&roadmap.id);
    let edited = at(1_764_000_000);
    rp.set_status("basics/install", Status::Done, edited);
    rp.set_note(
        "basics",
        "Practise every day, even for ten minutes.",
        edited,
    );
    rp.set_note(
        "basics/install",
        "Installed with the system's package manager, not the download page: updates come \
         with the rest of the system.\n\nWhat to check after installing:\n  - the version \
         printed matches the one the course uses, and the path is the one I expect\n  - a \
         new terminal finds it too",
        edited,
    );
    rp.set_note(
        "data/schema",
        "LEFT JOIN keeps every row of the left table.",
        edited,
    );
    App::new(roadmap, progress)
}

#[test]
fn the_notes_view_reads_at_80x24_and_100x30() {
    for (w, h) in [(80, 24), (100, 30)] {
        let mut app = app_with_notes();
        press(&mut app, &[Action::ShowNotes, Action::Down]);
        let screen = draw(&app, w, h).backend().to_string();
        // The whole width: no tree beside it.
        assert!(!screen.contains("Roadmap "), "{screen}");
        // Wrapped text keeps its indent, and a list item its own, under its text.
        let wrapped = if w == 80 {
            "\"│       updates come with the rest of the system."
        } else {
            "\"│       rest of the system."
        };
        assert!(screen.contains(wrapped), "{screen}");
        if w == 80 {
            assert!(
                screen.contains("\"│           path is the one I expect"),
                "{screen}"
            );
        }
        insta::assert_snapshot!(format!("notes_view_{w}x{h}"), screen);
    }
}

#[test]
fn a_review_question_then_its_answer_at_100x30() {
    let mut app = app_with_reviews();
    press(&mut app, &[Action::StartReview]);
    let question = draw(&app, 100, 30).backend().to_string();
    assert!(question.contains("Review · 1 of 4"), "{question}");
    assert!(
        !question.contains("About this step"),
        "the answer is hidden: {question}"
    );
    insta::assert_snapshot!("review_question", draw(&app, 100, 30).backend());
    press(&mut app, &[Action::Reveal]);
    insta::assert_snapshot!("review_answer", draw(&app, 100, 30).backend());
}

/// The question, the revealed card with its rating line, and the result of a rating, at the
/// sizes a learner uses most and the smallest the session supports.
#[test]
fn a_review_card_and_the_result_of_a_rating_at_80x24_and_40x12() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut app = app_with_reviews();
        press(&mut app, &[Action::StartReview]);
        let name = |what: &str| format!("review_{what}_{w}x{h}");
        insta::assert_snapshot!(name("question"), draw(&app, w, h).backend());
        press(&mut app, &[Action::Reveal]);
        let revealed = draw(&app, w, h).backend().to_string();
        for rating in ["again", "hard", "good", "easy"] {
            assert!(
                revealed.contains(rating),
                "{w}x{h}: the rating line shows {rating}: {revealed}"
            );
        }
        insta::assert_snapshot!(name("revealed"), revealed);
        press(
            &mut app,
            &[Action::Rate(pathway::core::status::Rating::Good)],
        );
        let result = draw(&app, w, h).backend().to_string();
        assert!(
            result.contains("good: next "),
            "{w}x{h}: the result shows: {result}"
        );
        insta::assert_snapshot!(name("result"), result);
    }
}

#[test]
fn the_help_credits_the_roadmaps_source_and_searches() {
    let mut app = app();
    press(&mut app, &[Action::ShowHelp]);
    let screen = draw(&app, 100, 60).backend().to_string();
    assert!(screen.contains("Based on: A test fixture"), "{screen}");
    press(&mut app, &[Action::StartFilter]);
    for c in "undo".chars() {
        press(&mut app, &[Action::Input(c)]);
    }
    let screen = draw(&app, 100, 60).backend().to_string();
    assert!(screen.contains("undo the last change"), "{screen}");
    assert!(!screen.contains("move down"), "only what matches: {screen}");
}

#[test]
fn control_characters_in_notes_never_reach_the_screen() {
    let mut app = app();
    app.handle(Action::EditNoteExternally, at(1), config());
    app.handle(
        Action::NoteEdited("\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\u{9b}31m note".into()),
        at(1),
        config(),
    );
    for actions in [&[][..], &[Action::ShowNotes][..]] {
        press(&mut app, actions);
        let terminal = draw(&app, 100, 30);
        for cell in terminal.backend().buffer().content() {
            assert!(
                !cell.symbol().chars().any(char::is_control),
                "a control character in a cell: {:?}",
                cell.symbol()
            );
        }
    }
}

/// The configuration a settings file gives, in colour or not.
fn configured(yaml: &str, color: bool) -> Config {
    let settings = pathway::storage::settings::parse(yaml, "config.yaml").expect("valid settings");
    Config::new(&settings, color, false)
        .expect("valid keys")
        .with_time_zone(TimeZone::UTC)
}

#[test]
fn each_theme_renders_with_its_styles() {
    for (name, yaml) in [
        ("theme_dark", "theme: dark\n"),
        ("theme_light", "theme: light\n"),
        ("theme_high_contrast", "theme: high-contrast\n"),
        (
            "theme_colour_overrides",
            "colors: {selection: yellow, done: '#22aa22', accent: magenta}\n",
        ),
    ] {
        let app = app();
        let config = configured(yaml, true);
        // The buffer's Debug form shows every cell's colour and modifiers, not just its text.
        insta::assert_debug_snapshot!(name, draw_with(&app, &config, 60, 14).backend().buffer());
    }
}

#[test]
fn high_contrast_keeps_the_selection_and_statuses_apart_without_colour() {
    use ratatui::style::Modifier;
    let app = app();
    let terminal = draw_with(&app, &configured("theme: high-contrast\n", false), 60, 14);
    let buffer = terminal.backend().buffer();
    let row = (0..14u16)
        .find(|y| buffer[(1, *y)].symbol() == "›")
        .expect("a selected row");
    let selected = buffer[(5, row)].modifier;
    assert!(
        selected.contains(Modifier::REVERSED | Modifier::UNDERLINED),
        "{selected:?}"
    );
    // A done checkbox is bold, an open one is not: told apart with no colour at all.
    let done_row = (0..14u16)
        .find(|y| {
            (0..60).any(|x| {
                buffer[(x, *y)].symbol() == "x" && buffer[(x.saturating_sub(1), *y)].symbol() == "["
            })
        })
        .expect("a done task");
    let x = (0..60)
        .find(|x| buffer[(*x, done_row)].symbol() == "x")
        .expect("x");
    assert!(buffer[(x, done_row)].modifier.contains(Modifier::BOLD));
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| c.fg == ratatui::style::Color::Reset)
    );
}

#[test]
fn a_remapped_key_shows_in_the_footer_and_help() {
    let mut app = app();
    let config = configured("keys: {done: [x], quit: [ctrl-q]}\n", true);
    let screen = draw_with(&app, &config, 100, 30).backend().to_string();
    let footer = screen.lines().last().expect("footer");
    assert!(footer.contains("x done"), "{footer}");
    assert!(footer.contains("Ctrl-Q quit"), "{footer}");
    press(&mut app, &[Action::ShowHelp]);
    let help = draw_with(&app, &config, 100, 60).backend().to_string();
    assert!(help.contains("x  done           done / not done"), "{help}");
}

#[test]
fn the_roadmap_switcher_lists_each_roadmap_with_its_progress() {
    use pathway::tui::app::RoadmapChoice;
    let mut app = app();
    // The folder is read only when the switcher is asked for.
    assert_eq!(
        app.handle(Action::ShowRoadmaps, at(2), config()),
        pathway::tui::app::Effect::ListRoadmaps
    );
    app.show_roadmaps(vec![
        RoadmapChoice {
            id: "fixture".into(),
            title: "Fixture Path".into(),
            percent: 40,
            error: None,
        },
        RoadmapChoice {
            id: "rust".into(),
            title: "Rust in depth".into(),
            percent: 0,
            error: None,
        },
        RoadmapChoice {
            id: String::new(),
            title: "broken.yaml".into(),
            percent: 0,
            error: Some("broken.yaml:2:1: unknown field `titel`".into()),
        },
    ]);
    insta::assert_snapshot!(draw(&app, 80, 20).backend());
    assert_eq!(
        app.handle(Action::Down, at(2), config()),
        pathway::tui::app::Effect::None
    );
    assert_eq!(
        app.handle(Action::Confirm, at(2), config()),
        pathway::tui::app::Effect::SwitchRoadmap("rust".into())
    );
}

/// Every action of the checklist bound to a key nobody would guess: what the screens and the
/// messages say must name those keys, never the default ones.
#[test]
fn with_every_action_remapped_no_screen_names_a_default_key() {
    let names = [
        "up",
        "down",
        "open",
        "close",
        "toggle-step",
        "done",
        "started",
        "skip",
        "note",
        "edit-note",
        "filter",
        "status-filter",
        "open-link",
        "pick-link",
        "progress",
        "continue",
        "review",
        "notes",
        "review-on-off",
        "verify",
        "roadmaps",
        "undo",
        "redo",
        "first",
        "last",
        "scroll-down",
        "scroll-up",
        "help",
        "back",
        "quit",
    ];
    let pool = [
        "ctrl-a", "ctrl-b", "ctrl-d", "ctrl-e", "ctrl-f", "ctrl-g", "ctrl-h", "ctrl-j", "ctrl-k",
        "ctrl-l", "ctrl-n", "ctrl-o", "ctrl-p", "ctrl-q", "ctrl-r", "ctrl-s", "ctrl-t", "ctrl-u",
        "ctrl-v", "ctrl-w", "ctrl-x", "ctrl-y", "0", "5", "6", "7", "8", "9", "!", "@",
    ];
    let mut settings = pathway::storage::settings::Settings::default();
    for (name, key) in names.iter().zip(pool) {
        settings
            .keys
            .insert((*name).to_string(), vec![key.to_string()]);
    }
    let config = Config::new(&settings, true, false)
        .expect("a valid remapping")
        .with_time_zone(TimeZone::UTC);
    let mut app = app_with_reviews();
    let now = at(1_764_158_400);
    let mut screens = Vec::new();
    app.handle(Action::Tick, now, &config);
    screens.push(draw_with(&app, &config, 120, 40).backend().to_string());
    app.handle(Action::Paste("x".into()), now, &config);
    screens.push(draw_with(&app, &config, 120, 40).backend().to_string());
    for actions in [
        &[Action::First, Action::Down][..],
        &[Action::ToggleStats],
        &[Action::ToggleStats, Action::ShowNotes],
        &[Action::Cancel, Action::CycleStatusFilter],
        &[
            Action::Cancel,
            Action::Down,
            Action::Down,
            Action::ToggleDone,
        ],
    ] {
        for action in actions {
            app.handle(action.clone(), now, &config);
        }
        screens.push(draw_with(&app, &config, 120, 40).backend().to_string());
    }
    let defaults = [
        " r starts",
        "r review",
        "i when you start",
        "space when",
        "space done",
        "u undoes",
        "n to write",
        "/ to filter",
        "/ filter",
        "N shows",
        "p for details",
        "p progress",
        "n note",
        "v runs",
        "v verify",
        "press n ",
    ];
    for screen in &screens {
        for default in defaults {
            assert!(
                !screen.contains(default),
                "{default:?} on a screen where it is not bound:\n{screen}"
            );
        }
    }
    let all = screens.join("\n");
    assert!(
        all.contains("Ctrl-K to write a note")
            && all.contains("Ctrl-R for details")
            && all.contains("@ quit"),
        "the new keys are named: {all}"
    );
}

#[test]
fn a_link_longer_than_the_window_is_shown_whole_over_lines_of_its_own() {
    let mut app = app();
    let url = "https://example.com/a/long/path/to/the/page/about/joins?section=left-outer";
    app.show_link(url, "no browser found");
    let terminal = draw(&app, 40, 12);
    let screen = terminal.backend().to_string();
    let lines: Vec<String> = screen
        .lines()
        .map(|l| l.trim_matches('"').trim_end().to_string())
        .collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("https://"))
        .unwrap_or_else(|| panic!("{screen}"));
    let whole = format!("{}{}", lines[first], lines[first + 1]);
    assert_eq!(whole, url, "{screen}");
    assert!(screen.contains("Not opened: no browser found."), "{screen}");
}

/// The screen as rows of text.
fn rows(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_failed_check_says_which_probe_what_came_back_the_hint_and_the_folder() {
    use pathway::checks::{CheckOutcome, CheckResult, ProbeOutcome};
    let mut app = app().with_checks_trusted(true);
    // data/schema: its check runs, and fails on its first probe.
    press(
        &mut app,
        &[
            Action::First,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Verify,
        ],
    );
    let outcome = CheckOutcome {
        result: CheckResult::Failed,
        probes: vec![ProbeOutcome::Failed {
            expected: "the file /home/learner/blog/schema.sql exists and contains \"PRIMARY KEY\""
                .into(),
            got: "no such file".into(),
            hint: Some("Keep the schema in schema.sql.".into()),
        }],
    };
    let report =
        pathway::checks::report(&outcome, Some(std::path::Path::new("/home/learner/blog")));
    app.handle(
        Action::CheckFinished {
            key: "data/schema".into(),
            result: CheckResult::Failed,
            detail: Some(pathway::checks::failure(&outcome)),
            report,
        },
        at(1_764_158_400),
        config(),
    );
    let mut screens = vec![rows(&draw(&app, 160, 48))];
    // At 80x24 the report continues below the pane's fold: the learner scrolls the details.
    let mut small = String::new();
    for _ in 0..6 {
        small.push_str(&rows(&draw(&app, 80, 24)));
        press(&mut app, &[Action::ScrollDetailDown]);
    }
    screens.push(small);
    // The tree marks the task whose check failed.
    let tree_row = screens[0]
        .lines()
        .filter_map(|l| l.split("││").next())
        .find(|l| l.contains("Design a schema"))
        .unwrap_or_default()
        .to_string();
    assert!(tree_row.contains('✗'), "{tree_row}");
    for (screen, (width, height)) in screens.iter().zip([(160, 48), (80, 24)]) {
        let flat: String = screen
            .lines()
            .map(|l| l.trim_matches(|c: char| c == '│' || c.is_whitespace()))
            .collect::<Vec<_>>()
            .join(" ");
        for wanted in [
            "Last check",
            "in /home/learner/blog",
            "✗ 1.",
            "got: no such file",
            "schema.sql exists",
            "hint: Keep the schema in schema.sql.",
        ] {
            assert!(
                flat.contains(wanted),
                "{width}x{height}: {wanted:?} missing:\n{screen}"
            );
        }
    }
}

#[test]
fn v_on_a_step_ends_with_a_summary_of_its_checks() {
    use pathway::checks::CheckResult;
    let mut app = app().with_checks_trusted(true);
    press(&mut app, &[Action::First, Action::Down, Action::Verify]);
    let keys = app.checking().expect("running").keys.clone();
    assert!(keys.len() >= 2, "{keys:?}");
    let results = [
        CheckResult::Passed,
        CheckResult::Failed,
        CheckResult::Cannot,
    ];
    for (i, key) in keys.iter().enumerate() {
        app.handle(
            Action::CheckFinished {
                key: key.clone(),
                result: results[i % 3],
                detail: None,
                report: String::new(),
            },
            at(1_764_158_400),
            config(),
        );
    }
    let said = app.message(&config().keymap).unwrap_or_default();
    let passed = (0..keys.len()).filter(|i| i % 3 == 0).count();
    let failed = (0..keys.len()).filter(|i| i % 3 == 1).count();
    let cannot = keys.len() - passed - failed;
    assert!(
        said.ends_with(&format!(
            "done: {passed} passed · {failed} failed · {cannot} cannot check"
        )),
        "{said}"
    );
}

/// `app()` with a card of the learner's own on the first task, its question holding an escape.
fn app_with_own_card() -> App {
    let roadmap = fixture();
    let mut app = app();
    let key = format!("{}/{}", roadmap.steps[0].id, roadmap.steps[0].tasks[0].id);
    let mut progress = app.progress().clone();
    pathway::core::ops::add_card(
        progress.roadmap_mut(&roadmap.id),
        &key,
        "Which \u{1b}[2J flag lists hidden files?",
        "ls -a",
        at(1_763_990_000),
    )
    .expect("added");
    app = App::new(roadmap, progress);
    app.handle(Action::Tick, at(1_764_158_400), config());
    app
}

#[test]
fn a_card_of_ones_own_in_review_is_marked_and_escaped() {
    let mut app = app_with_own_card();
    press(&mut app, &[Action::StartReview]);
    let mut screen = draw(&app, 80, 24).backend().to_string();
    for _ in 0..6 {
        if screen.contains("your card") {
            break;
        }
        press(
            &mut app,
            &[
                Action::Reveal,
                Action::Rate(pathway::core::status::Rating::Good),
            ],
        );
        screen = draw(&app, 80, 24).backend().to_string();
    }
    assert!(screen.contains("· your card"), "{screen}");
    assert!(
        screen.contains("Which \\u{1b}[2J flag"),
        "escaped: {screen}"
    );
    press(&mut app, &[Action::Reveal]);
    let answer = draw(&app, 80, 24).backend().to_string();
    assert!(answer.contains("ls -a"), "{answer}");
    insta::assert_snapshot!("review_own_card_80x24", draw(&app, 80, 24).backend());
}

#[test]
fn the_card_editor_over_the_detail_pane() {
    let mut app = app_with_own_card();
    press(&mut app, &[Action::Down, Action::EditCards]);
    let type_in = |app: &mut App, text: &str| {
        for c in text.chars() {
            let key = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char(c));
            press(app, &[Action::EditorKey(key)]);
        }
    };
    type_in(&mut app, "What does cd - do?");
    press(&mut app, &[Action::NextField]);
    type_in(&mut app, "Back to the last folder.");
    let screen = draw(&app, 80, 24).backend().to_string();
    assert!(screen.contains("New card"), "{screen}");
    assert!(screen.contains("· changed"), "{screen}");
    assert!(
        screen.contains("› Answer"),
        "the field typed into: {screen}"
    );
    insta::assert_snapshot!("card_editor_80x24", draw(&app, 80, 24).backend());
    // Saved, it is the task's card of the learner's that PgUp goes back to.
    press(&mut app, &[Action::Confirm, Action::EditCards, Action::Up]);
    let screen = draw(&app, 160, 48).backend().to_string();
    assert!(screen.contains("Your card 1 of 1"), "{screen}");
    assert!(screen.contains("What does cd - do?"), "{screen}");
    insta::assert_snapshot!("card_editor_160x48", draw(&app, 160, 48).backend());
}
