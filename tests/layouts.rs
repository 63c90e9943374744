//! Every progress-file layout pathway has ever written still loads, with nothing lost. Add a
//! fixture to `tests/fixtures/` whenever the layout changes.

use jiff::Timestamp;
use pathway::core::history::Change;
use pathway::core::progress::{ReviewPhase, Status};
use pathway::core::status::Rating;
use pathway::storage::store::Store;

fn load(name: &str) -> pathway::core::progress::Progress {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    Store::new(path).load().expect("an old layout loads")
}

fn at(text: &str) -> Option<Timestamp> {
    Some(text.parse().expect("timestamp"))
}

#[test]
fn version_1_before_the_change_log() {
    let p = load("progress-v1-before-history.yaml");
    let rp = p.roadmap("backend-devops").expect("roadmap");
    assert_eq!(rp.started, at("2026-11-20T18:00:00Z"));
    assert_eq!(rp.status("programming/choose-language"), Status::Done);
    assert_eq!(rp.status("programming/syntax"), Status::InProgress);
    assert_eq!(
        rp.note("programming/syntax"),
        Some("Python it is.\n\nLoops: for, while; comprehensions later.")
    );
    assert_eq!(
        rp.note("databases"),
        Some("Practise joins on a sample database first.")
    );
    assert!(rp.history.is_empty());
}

#[test]
fn version_1_with_the_change_log_and_daily_totals() {
    let p = load("progress-v1-with-history.yaml");
    let rp = p.roadmap("backend-devops").expect("roadmap");
    assert_eq!(
        rp.started,
        at("2025-10-01T18:00:00.250Z"),
        "milliseconds kept"
    );
    assert_eq!(rp.status("programming/syntax"), Status::Skipped);
    assert_eq!(
        rp.note("programming/syntax"),
        Some("skipped: I know this from school \"CS50\"")
    );
    assert_eq!(rp.history.len(), 3);
    assert_eq!(rp.history[2].change, Change::Note { replaced: None });
    assert_eq!(rp.daily.get("2025-10-01").map(|d| d.done), Some(1));
    assert_eq!(
        p.roadmap("my-own-roadmap").map(|r| r.status("first/a")),
        Some(Status::Done),
        "another roadmap's progress is kept"
    );
}

#[test]
fn version_2_with_review_state() {
    let p = load("progress-v2-with-review.yaml");
    let rp = p.roadmap("backend-devops").expect("roadmap");
    let sql = rp.item("databases/sql-basics").expect("item");
    let review = sql.review.as_ref().expect("review state");
    assert_eq!(
        review.due,
        "2026-11-08T18:00:00Z".parse::<Timestamp>().expect("ts")
    );
    assert_eq!((review.stability, review.difficulty), (3.1262, 5.31));
    assert_eq!((review.reviews, review.lapses), (1, 0));
    assert_eq!(review.phase, ReviewPhase::Review);
    assert!(!review.off);
    let off = rp
        .item("programming/choose-language")
        .and_then(|i| i.review.as_ref());
    assert!(off.is_some_and(|r| r.off), "taken out of review");
    assert_eq!(rp.history[2].change, Change::Review(Rating::Good));
    let reset = p.roadmap("my-own-roadmap").expect("a reset roadmap");
    assert_eq!(reset.reset, at("2026-11-09T09:00:00Z"));
    assert_eq!(
        reset.status("first/a"),
        Status::Done,
        "progress after the reset"
    );
}

#[test]
fn version_3_with_a_change_time_for_each_part() {
    let p = load("progress-v3-parts.yaml");
    let rp = p.roadmap("backend-devops").expect("roadmap");
    let sql = rp.item("databases/sql-basics").expect("item");
    assert_eq!(sql.updated, at("2026-11-02T18:00:00Z"), "the status's time");
    assert_eq!(sql.noted, at("2026-11-06T18:00:00Z"), "the note's own time");
    let join = sql.cards.get("join").expect("a card's state");
    assert_eq!((join.reviews, join.lapses), (3, 1));
    assert_eq!(join.changed, at("2026-11-08T18:00:00Z"));
    assert!(sql.cards.get("where").is_some_and(|c| c.off));
    assert!(sql.checked.as_ref().is_some_and(|c| c.passed));
    let failed = rp
        .item("databases/indexes")
        .and_then(|i| i.checked.clone())
        .expect("a failed check");
    assert_eq!(
        (failed.passed, failed.failed.as_deref()),
        (false, Some("probe 1: expected exit 0, got 1"))
    );
    let rest = rp
        .item("web-apis/rest")
        .expect("a removed note is kept as a time");
    assert_eq!(
        (rest.note.as_deref(), rest.noted),
        (None, at("2026-11-09T18:00:00Z"))
    );
    assert_eq!(
        rp.history[4].change,
        Change::NoteConflict {
            lost: "the other machine's draft".into()
        }
    );
}

#[test]
fn version_4_with_cards_of_ones_own() {
    let p = load("progress-v4-own-cards.yaml");
    let rp = p.roadmap("backend-devops").expect("roadmap");
    let own = rp.own_cards("databases/sql-basics");
    assert_eq!(own.len(), 1, "the removed one is not a card: {own:?}");
    assert_eq!(own[0].0, "+mhhqy6o0");
    assert_eq!(own[0].1.ask, "What does a LEFT JOIN keep?");
    assert_eq!(
        own[0].1.answer,
        "Every row of the left table.\nNULL where the right has no match."
    );
    let sql = rp.item("databases/sql-basics").expect("item");
    assert_eq!(
        sql.own.get("+mhhqz2kw").and_then(|c| c.removed),
        at("2026-11-03T18:10:00Z"),
        "a removal is kept for merges"
    );
    assert_eq!(
        rp.own_cards("databases/indexes")[0].1.answer,
        "",
        "an answer may be left out"
    );
    // Scheduled with the roadmap's cards: its review state is the card's.
    let roadmap = pathway::core::roadmap::Roadmap::embedded().expect("embedded");
    let cards =
        pathway::core::review::in_review(&roadmap, rp, at("2026-11-10T00:00:00Z").expect("at"));
    let mine = cards
        .iter()
        .find(|c| c.card_id == "+mhhqy6o0")
        .expect("in review");
    assert!(mine.own);
    assert_eq!(mine.due, at("2026-11-20T18:00:00Z").expect("due"));
}

#[test]
fn an_older_layout_gives_its_one_change_time_to_every_part() {
    let p = load("progress-v2-with-review.yaml");
    let rp = p.roadmap("backend-devops").expect("roadmap");
    let sql = rp.item("databases/sql-basics").expect("item");
    let updated = at("2026-11-05T18:00:00Z");
    assert_eq!(sql.noted, updated);
    assert_eq!(sql.review.as_ref().and_then(|r| r.changed), updated);
}

#[test]
fn every_layout_is_saved_in_todays_layout_with_nothing_lost() {
    for name in [
        "progress-v1-before-history.yaml",
        "progress-v1-with-history.yaml",
        "progress-v2-with-review.yaml",
        "progress-v3-parts.yaml",
        "progress-v4-own-cards.yaml",
    ] {
        let old = load(name);
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::new(dir.path().join("progress.yaml"));
        store.save(&mut old.clone()).expect("save");
        let text = std::fs::read_to_string(dir.path().join("progress.yaml")).expect("read");
        assert!(text.starts_with("version: 4\n"), "{name}: {text}");
        assert_eq!(store.load().expect("load"), old, "{name}");
    }
}

#[test]
fn a_version_2_review_state_is_the_first_cards_on_the_shipped_roadmap() {
    let p = load("progress-v2-with-review.yaml");
    let rp = p.roadmap("backend-devops").expect("roadmap");
    let roadmap = pathway::core::roadmap::Roadmap::embedded().expect("embedded");
    let step = roadmap.step("databases").expect("step");
    let task = step
        .tasks
        .iter()
        .find(|t| t.id == "sql-basics")
        .expect("task");
    let cards = task.cards();
    let item = rp.item("databases/sql-basics").expect("item");
    let first = pathway::core::review::card_state(item, &cards[0].id, true).expect("first card");
    assert_eq!((first.reviews, first.stability), (1, 3.1262));
    for card in cards.iter().skip(1) {
        assert_eq!(
            pathway::core::review::card_state(item, &card.id, false),
            None,
            "{}: the other cards start new",
            card.id
        );
    }
}
