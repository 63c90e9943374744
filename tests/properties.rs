//! Properties over random input: key sequences at random sizes, random YAML, and the progress
//! file round trip. Each must hold for every case proptest tries.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent};
use jiff::Timestamp;
use pathway::core::history::{Change, DayTotals, Event};
use pathway::core::progress::{
    Checked, Item, OwnCard, Progress, ReviewPhase, ReviewState, RoadmapProgress, Status,
};
use pathway::core::roadmap::Roadmap;
use pathway::storage::store::Store;
use pathway::tui::app::{Action, App};
use pathway::tui::config::Config;
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

/// The configuration these run with: the default keys, colours and review settings, and dates
/// in UTC so that no screen depends on the machine's time zone.
fn config() -> &'static Config {
    static CONFIG: std::sync::LazyLock<Config> =
        std::sync::LazyLock::new(|| Config::default().with_time_zone(jiff::tz::TimeZone::UTC));
    &CONFIG
}

const SMALL: &str = "\
id: small
title: Small
steps:
  - id: one
    title: One
    tasks:
      - {id: a, title: A}
  - id: empty
    title: Nothing here
  - id: three
    title: Three
    tasks:
      - {id: b, title: B}
      - {id: c, title: 日本語のタスク}
    resources:
      - {title: R, url: 'https://example.com'}
";

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        8 => prop_oneof![
            Just(Action::Down),
            Just(Action::Up),
            Just(Action::First),
            Just(Action::Last),
            Just(Action::Expand),
            Just(Action::Collapse),
            Just(Action::ToggleExpand),
        ],
        4 => prop_oneof![
            Just(Action::ToggleDone),
            Just(Action::ToggleInProgress),
            Just(Action::ToggleSkipped),
            Just(Action::Undo),
            Just(Action::Redo),
        ],
        3 => prop_oneof![
            Just(Action::Continue),
            Just(Action::ScrollDetailDown),
            Just(Action::ScrollDetailUp),
            Just(Action::ShowHelp),
            Just(Action::EditNote),
            Just(Action::EditNoteExternally),
            Just(Action::StartFilter),
            Just(Action::Backspace),
            Just(Action::CycleStatusFilter),
            Just(Action::OpenResource),
            Just(Action::PickResource),
            Just(Action::Confirm),
            Just(Action::Cancel),
            Just(Action::Tick),
        ],
        2 => any::<char>().prop_map(Action::Input),
        2 => any::<char>().prop_map(|c| Action::EditorKey(KeyEvent::from(KeyCode::Char(c)))),
        1 => ".{0,20}".prop_map(Action::NoteEdited),
        2 => (0u16..300, 0u16..100).prop_map(|(c, r)| Action::Click(c, r)),
        1 => (0u16..300, 0u16..100, any::<bool>()).prop_map(|(c, r, d)| Action::Wheel(c, r, d)),
    ]
}

/// What the terminal does next: a key's action, or a new size for the following frames.
fn step() -> impl Strategy<Value = (Action, Option<(u16, u16)>)> {
    prop_oneof![
        8 => action().prop_map(|a| (a, None)),
        1 => (0u16..=300, 0u16..=100).prop_map(|(w, h)| (Action::Tick, Some((w, h)))),
    ]
}

fn roadmap() -> impl Strategy<Value = Roadmap> {
    prop_oneof![
        Just(Roadmap::embedded().expect("valid")),
        Just(Roadmap::parse(SMALL, "small.yaml").expect("valid")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_keys_at_random_sizes_never_break_the_app(
        roadmap in roadmap(),
        actions in prop::collection::vec(step(), 1..80),
    ) {
        let mut app = App::new(roadmap, Progress::default());
        let mut size = Rect::new(0, 0, 80, 24);
        for (i, (action, resized)) in actions.into_iter().enumerate() {
            if let Some((w, h)) = resized {
                size = Rect::new(0, 0, w, h);
            }
            app.handle(action, Timestamp::from_second(1_700_000_000 + i as i64).expect("time"), config());
            prop_assert!(app.rows().is_empty() || app.selected() < app.rows().len());
            let recount = app.progress().counts(app.roadmap());
            prop_assert_eq!(app.counts(), recount);
            for (s, step) in app.roadmap().steps.iter().enumerate() {
                let rp = app.progress().roadmap(&app.roadmap().id).cloned().unwrap_or_default();
                prop_assert_eq!(app.step_counts(s), rp.step_counts(step));
            }
            let mut buffer = Buffer::empty(size);
            pathway::tui::ui::Screen::new(&app, config()).render(size, &mut buffer);
        }
    }

    #[test]
    fn random_roadmap_yaml_is_ok_or_a_clean_error(
        pieces in prop::collection::vec(prop_oneof![
            Just("id: x\n"), Just("title: T\n"), Just("steps:\n"), Just("  - id: s\n"),
            Just("    title: S\n"), Just("    tasks:\n"), Just("      - {id: t, title: T}\n"),
            Just("    resources: [{title: r, url: 'https://e.com'}]\n"), Just("- "), Just("{"),
            Just("}"), Just("["), Just("]"), Just("&a "), Just("*a"), Just(": "), Just("\""),
            Just("'"), Just("\t"), Just("\n"), Just("  "), Just("#"), Just("!!str "), Just("~"),
        ], 0..40),
        noise in ".{0,10}",
    ) {
        let text = format!("{}{noise}", pieces.concat());
        if let Err(e) = Roadmap::parse(&text, "random.yaml") {
            prop_assert!(e.to_string().starts_with("random.yaml"), "{}", e);
        }
    }

    #[test]
    fn random_progress_yaml_is_ok_or_a_clean_error(
        pieces in prop::collection::vec(prop_oneof![
            Just("version: 1\n"), Just("version: 99\n"), Just("roadmaps:\n"), Just("  r:\n"),
            Just("    items:\n"), Just("      s/t:\n"), Just("        status: done\n"),
            Just("        status: nope\n"), Just("        note: hi\n"),
            Just("        updated: 2026-01-01T00:00:00Z\n"), Just("        updated: yesterday\n"),
            Just("{"), Just("}"), Just("["), Just("]"), Just(": "), Just("\n"), Just("  "),
        ], 0..30),
    ) {
        if let Err(e) = pathway::storage::progress_yaml::parse(&pieces.concat(), "p.yaml") {
            prop_assert!(e.to_string().starts_with("progress file p.yaml"), "{}", e);
        }
    }

    #[test]
    fn the_fast_reader_reads_back_what_is_written(progress in progress()) {
        let text = pathway::storage::progress_yaml::write(&progress);
        prop_assert_eq!(pathway::storage::progress_yaml::read(&text), Some(progress.clone()));
        prop_assert_eq!(pathway::storage::progress_yaml::parse_any_yaml(&text, "p.yaml").expect("serde_yaml reads it"), progress);
    }

    #[test]
    fn the_fast_reader_agrees_with_serde_yaml_on_everything_it_accepts(
        progress in progress(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, prop_oneof![
            Just("# comment"), Just(""), Just("  "), Just("        status: done"),
            Just("        note: \"x\""), Just("          more"), Just("    items: {}"),
            Just("      \"k\":"), Just("        updated: 2020-01-01T00:00:00Z"),
            Just("        note: |-"), Just("  other:"), Just("\t"), Just("version: 1"),
        ]), 0..4),
    ) {
        // Hand edits to a file pathway wrote: insert, delete, duplicate or replace a line.
        let mut lines: Vec<String> = pathway::storage::progress_yaml::write(&progress).lines().map(String::from).collect();
        for (at, op, piece) in edits {
            let i = at.index(lines.len() + 1);
            match op {
                0 => lines.insert(i, piece.to_string()),
                1 if i < lines.len() => { lines.remove(i); }
                2 if i < lines.len() => { let l = lines[i].clone(); lines.insert(i, l); }
                3 if i < lines.len() => lines[i] = piece.to_string(),
                _ => {}
            }
        }
        let text = lines.join("\n") + "\n";
        if let Some(fast) = pathway::storage::progress_yaml::read(&text) {
            let slow = pathway::storage::progress_yaml::parse_any_yaml(&text, "p.yaml");
            prop_assert!(slow.is_ok(), "serde_yaml refuses what the fast reader took:\n{}\n{:?}", text, slow.err());
            prop_assert_eq!(fast, slow.expect("ok"), "{}", text);
        }
    }

    #[test]
    fn any_note_or_id_on_the_last_item_reads_back_on_the_fast_path(
        key in prop_oneof!["[a-z]{1,4}/[a-z]{1,4}", awkward_text()],
        note in prop_oneof![
            awkward_text(),
            // Text the writer keeps as a literal block: lines, blank lines, indented lines.
            "[a-z][a-z #:'\"|>-]{0,8}(\n( {0,3}[a-z#:'\"|>-]{1,8})?){1,3}[a-z]",
        ],
        status in 0..4usize,
    ) {
        let mut progress = Progress::default();
        progress.roadmaps.entry("r".into()).or_default().items.insert(key, Item {
            status: [Status::Todo, Status::InProgress, Status::Done, Status::Skipped][status],
            note: Some(note),
            ..Item::default()
        });
        let text = pathway::storage::progress_yaml::write(&progress);
        prop_assert_eq!(pathway::storage::progress_yaml::read(&text), Some(progress.clone()), "{}", text);
        prop_assert_eq!(pathway::storage::progress_yaml::parse_any_yaml(&text, "p.yaml").expect("serde_yaml reads it"), progress);
    }

    #[test]
    fn progress_survives_a_save_and_load_unchanged(progress in progress()) {
        let dir = crate::common::tempdir();
        let store = Store::new(dir.path().join("progress.yaml"));
        store.save(&mut progress.clone()).expect("save");
        // Loading writes out the part times an older layout leaves implicit; nothing else.
        let mut settled = progress.clone();
        settled.settle();
        prop_assert_eq!(store.load().expect("load"), settled);
    }
}

fn timestamp() -> impl Strategy<Value = Option<Timestamp>> {
    prop::option::of(
        (0i64..4_000_000_000_000).prop_map(|ms| Timestamp::from_millisecond(ms).expect("in range")),
    )
}

/// Text made of the pieces that make YAML hard: line breaks of every kind, tabs, controls, a
/// byte-order mark, quotes, `: ` and `#`, leading spaces, document markers, blank lines.
fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("\r".to_string()),
        Just("\r\n".to_string()),
        Just("\u{85}".to_string()),
        Just("\u{2028}".to_string()),
        Just("\u{2029}".to_string()),
        Just("\u{feff}".to_string()),
        Just("\u{1b}[2J".to_string()),
        Just("\0".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("\\".to_string()),
        Just(": ".to_string()),
        Just(" #".to_string()),
        Just("#".to_string()),
        Just("  ".to_string()),
        Just("---".to_string()),
        Just("...".to_string()),
        Just("- ".to_string()),
        Just("|".to_string()),
        Just(">".to_string()),
        Just("\n\n".to_string()),
        Just("\n  \n".to_string()),
        "[a-z ]{1,6}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat())
}

fn review_state() -> impl Strategy<Value = ReviewState> {
    (
        timestamp(),
        0.01f64..36_500.0,
        1.0f64..10.0,
        0u32..1000,
        0u32..100,
        0..4usize,
        timestamp(),
        (timestamp(), any::<bool>()),
    )
        .prop_map(
            |(due, stability, difficulty, reviews, lapses, phase, last, (changed, off))| {
                ReviewState {
                    due: due.unwrap_or(Timestamp::UNIX_EPOCH),
                    stability,
                    difficulty,
                    reviews,
                    lapses,
                    phase: [
                        ReviewPhase::New,
                        ReviewPhase::Learning,
                        ReviewPhase::Review,
                        ReviewPhase::Relearning,
                    ][phase],
                    last,
                    changed,
                    off,
                }
            },
        )
}

fn checked() -> impl Strategy<Value = Checked> {
    (timestamp(), any::<bool>(), prop::option::of(awkward_text())).prop_map(
        |(at, passed, failed)| Checked {
            at: at.unwrap_or(Timestamp::UNIX_EPOCH),
            passed,
            failed: if passed { None } else { failed },
        },
    )
}

/// One of the learner's cards, or the mark of its removal.
fn own_card() -> impl Strategy<Value = OwnCard> {
    (
        timestamp(),
        prop::option::of(timestamp()),
        awkward_text(),
        prop::option::of(awkward_text()),
    )
        .prop_map(|(changed, removed, ask, answer)| {
            let changed = changed.unwrap_or(Timestamp::UNIX_EPOCH);
            match removed {
                Some(seen) => OwnCard {
                    changed,
                    removed: Some(seen.unwrap_or(Timestamp::UNIX_EPOCH).min(changed)),
                    ask: String::new(),
                    answer: String::new(),
                },
                None => OwnCard {
                    changed,
                    removed: None,
                    ask: if ask.is_empty() { "?".into() } else { ask },
                    answer: answer.unwrap_or_default(),
                },
            }
        })
}

fn item() -> impl Strategy<Value = Item> {
    let status = prop_oneof![
        Just(Status::Todo),
        Just(Status::InProgress),
        Just(Status::Done),
        Just(Status::Skipped),
    ];
    (
        status,
        timestamp(),
        timestamp(),
        timestamp(),
        prop::option::of(awkward_text()),
    )
        .prop_map(|(status, started, completed, updated, note)| Item {
            status,
            started,
            completed,
            updated,
            note,
            ..Item::default()
        })
        .prop_flat_map(|item| {
            (
                Just(item),
                prop::option::of(review_state()),
                prop::collection::btree_map("[a-z0-9-]{1,6}", review_state(), 0..3),
                prop::option::of(checked()),
                timestamp(),
                prop::collection::btree_map("\\+[0-9a-z]{1,8}", own_card(), 0..3),
            )
                .prop_map(|(item, review, cards, checked, noted, own)| Item {
                    review,
                    cards,
                    checked,
                    noted,
                    own,
                    ..item
                })
        })
}

fn history() -> impl Strategy<Value = (Vec<Event>, BTreeMap<String, DayTotals>)> {
    let status = || {
        prop_oneof![
            Just(Status::Todo),
            Just(Status::InProgress),
            Just(Status::Done),
            Just(Status::Skipped)
        ]
    };
    let change = prop_oneof![
        (status(), status()).prop_map(|(from, to)| Change::Status { from, to }),
        prop::option::of(awkward_text()).prop_map(|replaced| Change::Note { replaced }),
    ];
    let event =
        (timestamp(), "[a-z0-9-]{1,8}(/[a-z0-9-]{1,8})?", change).prop_map(|(at, item, change)| {
            Event {
                at: at.unwrap_or(Timestamp::UNIX_EPOCH),
                item,
                change,
            }
        });
    let daily = prop::collection::btree_map(
        (1990i16..2030, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (0u32..1000, 0u32..1000).prop_map(|(changes, done)| DayTotals { changes, done }),
        0..3,
    );
    (prop::collection::vec(event, 0..6), daily)
}

fn progress() -> impl Strategy<Value = Progress> {
    let key = prop_oneof![
        "[a-z0-9-]{1,8}(/[a-z0-9-]{1,8})?",
        Just("null".to_string()),
        Just("2".to_string()),
        ".{0,8}",
        awkward_text(),
    ];
    let items = prop::collection::btree_map(key, item(), 0..12);
    let roadmap = (timestamp(), timestamp(), items, history()).prop_map(
        |(started, reset, items, (history, daily))| RoadmapProgress {
            started,
            reset,
            items,
            history,
            daily,
        },
    );
    prop::collection::btree_map("[a-z0-9-]{1,12}", roadmap, 0..3).prop_map(|roadmaps| Progress {
        version: pathway::core::progress::VERSION,
        roadmaps: roadmaps.into_iter().collect::<BTreeMap<_, _>>(),
        ..Progress::default()
    })
}

#[derive(Debug, Clone)]
enum Op {
    Change {
        process: usize,
        task: usize,
        status: Status,
    },
    Save(usize),
    Reload(usize),
    Reset(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let status = prop_oneof![
        Just(Status::Todo),
        Just(Status::InProgress),
        Just(Status::Done),
        Just(Status::Skipped),
    ];
    prop_oneof![
        5 => (0..3usize, 0..3usize, status).prop_map(|(process, task, status)| Op::Change { process, task, status }),
        3 => (0..3usize).prop_map(Op::Save),
        2 => (0..3usize).prop_map(Op::Reload),
        1 => (0..3usize).prop_map(Op::Reset),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Three processes (each its own store and copy, as separate programs would have) change
    /// their own tasks, save, reload and reset in any order. In the end, every change stamped
    /// after the last reset is in the file, and nothing from before it is. A reset is stamped
    /// with the latest change it cleared, and a change made after a copy has seen a reset is
    /// stamped after it.
    #[test]
    fn interleaved_saves_resets_and_reloads_lose_nothing(ops in prop::collection::vec(op(), 1..40)) {
        let dir = crate::common::tempdir();
        let path = dir.path().join("progress.yaml");
        let stores: Vec<Store> = (0..3).map(|_| Store::new(&path)).collect();
        let mut copies: Vec<Progress> = (0..3).map(|_| Progress::default()).collect();
        let mut clock = 1_700_000_000i64;
        let mut tick = || { clock += 1; Timestamp::from_second(clock).expect("time") };
        // The last change to each task, with its time; and the last reset's time.
        let mut last: BTreeMap<String, (Timestamp, Status)> = BTreeMap::new();
        let mut reset_at: Option<Timestamp> = None;
        for op in ops {
            match op {
                Op::Change { process, task, status } => {
                    let key = format!("p{process}/t{task}");
                    let now = tick();
                    let rp = copies[process].roadmap_mut("r");
                    if rp.set_status(&key, status, now) {
                        let stamped = rp.item(&key).and_then(|i| i.updated).expect("stamped");
                        last.insert(key, (stamped, status));
                    }
                }
                Op::Save(p) => { stores[p].save(&mut copies[p]).expect("save"); }
                Op::Reload(p) => {
                    let disk = stores[p].load().expect("load");
                    copies[p].merge_from(&disk);
                }
                Op::Reset(p) => {
                    let now = tick();
                    // Only a roadmap with progress on disk is reset (and then its time counts).
                    let reset = stores[p].reset_roadmap("r", now).expect("reset").is_some();
                    let disk = stores[p].load().expect("load");
                    if reset {
                        reset_at = disk.roadmap("r").and_then(|r| r.reset);
                    }
                    copies[p].merge_from(&disk);
                }
            }
        }
        for p in 0..3 {
            stores[p].save(&mut copies[p]).expect("final save");
        }
        let disk = Store::new(&path).load().expect("load");
        let rp = disk.roadmap("r").cloned().unwrap_or_default();
        for (key, (at, status)) in &last {
            let expected = match reset_at {
                Some(r) if *at <= r => Status::Todo,
                _ => *status,
            };
            prop_assert_eq!(rp.status(key), expected, "{} changed at {}", key, at);
        }
    }
}

/// A copy's last undoable change: the key, and the item before and after.
type Undoable = Option<(String, Option<Item>, Option<Item>)>;
/// A change to one copy's progress.
type Change1 = Box<dyn Fn(&mut RoadmapProgress) -> bool>;

#[derive(Debug, Clone)]
enum PartOp {
    Status(usize, usize, Status),
    Note(usize, usize, String),
    Review(usize, usize, usize),
    Undo(usize),
    Sync(usize),
}

fn part_op() -> impl Strategy<Value = PartOp> {
    let status = prop_oneof![
        Just(Status::Todo),
        Just(Status::InProgress),
        Just(Status::Done),
        Just(Status::Skipped),
    ];
    prop_oneof![
        4 => (0..2usize, 0..3usize, status).prop_map(|(c, t, s)| PartOp::Status(c, t, s)),
        4 => (0..2usize, 0..3usize, "[a-z ]{0,6}").prop_map(|(c, t, n)| PartOp::Note(c, t, n)),
        3 => (0..2usize, 0..3usize, 0..4usize).prop_map(|(c, t, r)| PartOp::Review(c, t, r)),
        2 => (0..2usize).prop_map(PartOp::Undo),
        1 => (0..2usize).prop_map(PartOp::Sync),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any two copies merge the same way whichever side merges, and merging again changes
    /// nothing.
    #[test]
    fn merging_is_order_free_and_idempotent(a in progress(), b in progress()) {
        let (mut a, mut b) = (a, b);
        a.settle();
        b.settle();
        let mut ab = a.clone();
        ab.merge_from(&b);
        let mut ba = b.clone();
        ba.merge_from(&a);
        prop_assert_eq!(&ab.roadmaps, &ba.roadmaps);
        let once = ab.clone();
        prop_assert!(!ab.merge_from(&b), "merging b again changed something");
        prop_assert!(!ab.merge_from(&a), "merging a again changed something");
        prop_assert_eq!(ab, once);
    }

    /// Two copies change statuses, notes and reviews of the same tasks, undo, and sometimes
    /// sync. Merged either way round, every part holds its latest change.
    #[test]
    fn every_parts_latest_change_survives_a_merge(ops in prop::collection::vec(part_op(), 1..40)) {
        use pathway::core::status::Rating;
        let mut clock = 1_700_000_000_000i64;
        let mut copies = [RoadmapProgress::default(), RoadmapProgress::default()];
        // The last undoable change of each copy: (key, before, after).
        let mut undo: [Undoable; 2] = [None, None];
        for op in ops {
            clock += 7;
            let now = Timestamp::from_millisecond(clock).expect("time");
            let key = |t: usize| format!("s/t{t}");
            let (copy, key, change): (usize, String, Change1) = match op {
                PartOp::Status(c, t, s) => (c, key(t), Box::new(move |rp: &mut RoadmapProgress| rp.set_status(&format!("s/t{t}"), s, now))),
                PartOp::Note(c, t, n) => (c, key(t), Box::new(move |rp: &mut RoadmapProgress| rp.set_note(&format!("s/t{t}"), &n, now))),
                PartOp::Review(c, t, r) => (c, key(t), Box::new(move |rp: &mut RoadmapProgress| {
                    let rating = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy][r];
                    pathway::core::review::rate(rp, &format!("s/t{t}"), "recall", true, rating, now, &Default::default()).is_some()
                })),
                PartOp::Undo(c) => {
                    if let Some((key, before, after)) = undo[c].take() {
                        copies[c].revert(&key, before.as_ref(), after.as_ref(), now);
                    }
                    continue;
                }
                PartOp::Sync(c) => {
                    let other = copies[1 - c].clone();
                    copies[c].merge_from(&other);
                    continue;
                }
            };
            let before = copies[copy].item(&key).cloned();
            if change(&mut copies[copy]) {
                undo[copy] = Some((key.clone(), before, copies[copy].item(&key).cloned()));
            }
        }
        // What each part should hold: the copy whose part changed last has it.
        let latest = |key: &str| {
            let pick = |f: &dyn Fn(&Item) -> Option<Timestamp>| {
                copies
                    .iter()
                    .filter_map(|c| c.item(key))
                    .max_by_key(|i| f(i))
                    .cloned()
            };
            (
                pick(&|i| i.updated).map(|i| i.status),
                pick(&|i| i.note_at()).and_then(|i| i.note),
                pick(&|i| i.cards.get("recall").and_then(|r| r.changed))
                    .and_then(|i| i.cards.get("recall").cloned()),
            )
        };
        let mut ab = copies[0].clone();
        ab.merge_from(&copies[1]);
        let mut ba = copies[1].clone();
        ba.merge_from(&copies[0]);
        prop_assert_eq!(&ab, &ba);
        for t in 0..3 {
            let key = format!("s/t{t}");
            let (status, note, review) = latest(&key);
            prop_assert_eq!(ab.status(&key), status.unwrap_or_default(), "{} status", key);
            prop_assert_eq!(ab.note(&key).map(str::to_string), note, "{} note", key);
            prop_assert_eq!(ab.item(&key).and_then(|i| i.cards.get("recall").cloned()), review, "{} review", key);
        }
    }
}

/// A note's fate on one copy since the common ancestor: kept, rewritten, or removed.
fn note_change() -> impl Strategy<Value = Option<Option<String>>> {
    prop_oneof![
        Just(None),
        awkward_text().prop_map(|t| Some(Some(t))),
        Just(Some(None)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Git's three-way merge never drops a note's text: whatever each copy wrote since the
    /// common ancestor is in the merged note, identical edits stay single, and which copy is
    /// "ours" does not change the note.
    #[test]
    fn a_three_way_merge_keeps_every_note_text_written_since_the_ancestor(
        base_note in prop::option::of(awkward_text()),
        ours_change in note_change(),
        theirs_change in note_change(),
        (t_ours, t_theirs) in (2i64..50, 2i64..50),
    ) {
        let at = |s: i64| Timestamp::from_second(1_700_000_000 + s).expect("time");
        let mut base = Progress::default();
        if let Some(text) = &base_note {
            base.roadmap_mut("r").set_note("s/a", text, at(1));
        }
        let changed = |change: &Option<Option<String>>, t: i64| {
            let mut copy = base.clone();
            if let Some(text) = change {
                copy.roadmap_mut("r").set_note("s/a", text.as_deref().unwrap_or(""), at(t));
            }
            copy
        };
        let (ours, theirs) = (changed(&ours_change, t_ours), changed(&theirs_change, t_theirs));
        let mut merged = ours.clone();
        merged.merge_three(&base, &theirs);
        let mut other_way = theirs.clone();
        other_way.merge_three(&base, &ours);
        let note = |p: &Progress| p.roadmap("r").and_then(|r| r.note("s/a")).map(str::to_string);
        prop_assert_eq!(note(&merged), note(&other_way));
        let merged_note = note(&merged).unwrap_or_default();
        let written: Vec<String> = [&ours, &theirs]
            .into_iter()
            .filter_map(note)
            .filter(|t| Some(t) != note(&base).as_ref())
            .collect();
        for text in &written {
            prop_assert!(merged_note.contains(text.as_str()), "{:?} lost from {:?}", text, merged_note);
        }
        if written.len() == 2 && written[0] == written[1] {
            prop_assert_eq!(&merged_note, &written[0], "identical edits stay single");
        }
        if written.is_empty() && ours_change.is_none() && theirs_change.is_none() {
            prop_assert_eq!(note(&merged), note(&base));
        }
    }
}
