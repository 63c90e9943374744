use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::core::progress::{RoadmapProgress, Status};
use crate::core::review::{self, ReviewSettings};
use crate::core::roadmap::Roadmap;
use crate::core::status::Rating;

fn roadmap() -> Roadmap {
    Roadmap::parse(
        "id: r\ntitle: R\nsteps:\n  - id: s\n    title: S\n    tasks:\n      - {id: a, title: Alpha, hours: 2}\n      - {id: b, title: Beta, hours: 3}\n      - {id: c, title: Gamma, hours: 5}\n  - id: u\n    title: U\n    tasks:\n      - {id: d, title: Delta, hours: 1}\n",
        "r.yaml",
    )
    .expect("valid")
}

const DAY: i64 = 86_400;

fn day(n: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + n * DAY).expect("valid")
}

fn snapshot(rp: &RoadmapProgress, now: Timestamp, notes: bool) -> Snapshot {
    Snapshot::build(
        "ana",
        &roadmap(),
        rp,
        now,
        &TimeZone::UTC,
        &ReviewSettings::default(),
        notes,
    )
}

/// Done a (verified by a check), b in progress with a note, d's check failing three times.
fn learner() -> RoadmapProgress {
    let mut rp = RoadmapProgress::default();
    rp.record_check("s/a", true, None, day(0));
    rp.set_status("s/b", Status::InProgress, day(1));
    rp.set_note("s/b", "my secret plan", day(1));
    for n in 0..3 {
        rp.record_check("u/d", false, Some("out: password=x".into()), day(2 + n));
    }
    rp
}

#[test]
fn a_snapshot_holds_the_figures_and_neither_notes_nor_check_output() {
    let s = snapshot(&learner(), day(5), false);
    assert_eq!(s.format, FORMAT);
    assert_eq!(s.roadmap.id, "r");
    assert_eq!(
        (s.totals.done, s.totals.counted, s.totals.verified),
        (1, 4, 1)
    );
    assert_eq!(s.totals.in_progress, 1);
    assert_eq!((s.totals.hours_done, s.totals.hours_left), (2.0, 9.0));
    assert_eq!(s.totals.current.as_deref(), Some("s/b"));
    assert_eq!(
        s.totals.last_active,
        Some(day(4).to_zoned_datetime(TimeZone::UTC).date())
    );
    let ids: Vec<&str> = s.tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids, ["s/a", "s/b", "u/d"], "untouched tasks are left out");
    assert!(s.tasks[0].verified && s.tasks[0].verified_at == Some(day(0)));
    assert_eq!(s.tasks[2].check_failures, 3);
    let text = serde_json::to_string(&s).expect("json");
    assert!(!text.contains("secret"), "{text}");
    assert!(!text.contains("password"), "{text}");
    let with = snapshot(&learner(), day(5), true);
    assert_eq!(with.tasks[1].note.as_deref(), Some("my secret plan"));
}

#[test]
fn a_passing_check_clears_the_failures_before_it() {
    let mut rp = learner();
    rp.record_check("u/d", true, None, day(6));
    rp.record_check("u/d", false, None, day(7));
    let s = snapshot(&rp, day(8), false);
    let d = s.tasks.iter().find(|t| t.id == "u/d").expect("d");
    assert_eq!(d.check_failures, 1);
}

#[test]
fn reviews_give_lapses_recall_and_again_counts_per_task() {
    let mut rp = RoadmapProgress::default();
    rp.set_status("s/a", Status::Done, day(0));
    let settings = ReviewSettings::default();
    let card = roadmap().steps[0].tasks[0].cards()[0].id.to_string();
    review::rate(&mut rp, "s/a", &card, true, Rating::Good, day(2), &settings);
    review::rate(
        &mut rp,
        "s/a",
        &card,
        true,
        Rating::Again,
        day(20),
        &settings,
    );
    review::rate(
        &mut rp,
        "s/a",
        &card,
        true,
        Rating::Again,
        day(21),
        &settings,
    );
    let s = snapshot(&rp, day(22), false);
    let a = &s.tasks[0];
    assert_eq!((a.reviews_30d, a.again_30d), (3, 2));
    assert!(a.lapses >= 1, "{a:?}");
    assert_eq!(a.cards.len(), 1);
    assert!(a.recall.is_some_and(|r| r > 0.0 && r <= 1.0));
    assert_eq!((s.review.reviewed_30d, s.review.remembered_30d), (3, 1));
}

#[test]
fn a_snapshot_reads_back_and_bad_ones_say_why() {
    let s = snapshot(&learner(), day(5), false);
    let text = serde_json::to_string_pretty(&s).expect("json");
    assert_eq!(parse(&text, "r"), Ok(s.clone()));
    let other = parse(&text, "rust").expect_err("another roadmap");
    assert!(other.contains("another roadmap (r)"), "{other}");
    let newer = text.replacen("\"format\": 1", "\"format\": 9", 1);
    let newer = parse(&newer, "r").expect_err("newer");
    assert!(
        newer.contains("newer pathway") && newer.contains('9'),
        "{newer}"
    );
    let garbage = parse("\u{1b}[2J not json", "r").expect_err("garbage");
    assert!(garbage.starts_with("not a pathway snapshot"), "{garbage}");
    let half = parse("{\"format\": 1, \"roadmap\": {\"id\": \"r\"}}", "r").expect_err("half");
    assert!(half.starts_with("not a valid snapshot"), "{half}");
    assert!(parse("{}", "r").is_err());
}

fn summary(learners: Vec<(&str, RoadmapProgress)>, now: Timestamp) -> Cohort {
    let snapshots = learners
        .into_iter()
        .map(|(name, rp)| (name.to_string(), snapshot(&rp, now, false)))
        .collect();
    summarize(&roadmap(), snapshots, Vec::new(), now, &TimeZone::UTC)
}

#[test]
fn a_task_in_progress_for_weeks_failing_checks_and_absence_are_flagged() {
    let cohort = summary(vec![("ana", learner())], day(20));
    let kinds: Vec<&str> = cohort.rows[0].flags.iter().map(Flag::kind).collect();
    assert_eq!(kinds, ["stalled", "failing-check", "inactive"]);
    assert_eq!(cohort.rows[0].flags[0].text(), "in progress 19 days: s/b");
    assert_eq!(cohort.rows[0].flags[2].text(), "no activity for 16 days");
    let fresh = summary(vec![("ana", learner())], day(10));
    let kinds: Vec<&str> = fresh.rows[0].flags.iter().map(Flag::kind).collect();
    assert_eq!(kinds, ["failing-check"], "nine days is not a stall");
}

#[test]
fn a_step_mostly_forgotten_is_flagged() {
    let mut rp = RoadmapProgress::default();
    rp.set_status("s/a", Status::Done, day(0));
    let settings = ReviewSettings::default();
    let card = roadmap().steps[0].tasks[0].cards()[0].id.to_string();
    for (n, rating) in [
        Rating::Again,
        Rating::Good,
        Rating::Again,
        Rating::Again,
        Rating::Good,
    ]
    .into_iter()
    .enumerate()
    {
        review::rate(
            &mut rp,
            "s/a",
            &card,
            true,
            rating,
            day(2 + 3 * n as i64),
            &settings,
        );
    }
    let cohort = summary(vec![("ana", rp)], day(16));
    let forgetting = cohort.rows[0]
        .flags
        .iter()
        .find(|f| f.kind() == "forgetting")
        .expect("flagged");
    assert_eq!(forgetting.text(), "forgot 3 of 5 reviews of step s");
}

#[test]
fn who_needs_attention_comes_first_then_the_tallies() {
    let mut ahead = RoadmapProgress::default();
    for key in ["s/a", "s/b", "s/c"] {
        ahead.set_status(key, Status::Done, day(19));
    }
    let mut behind = RoadmapProgress::default();
    behind.set_status("s/a", Status::Done, day(19));
    let cohort = summary(
        vec![
            ("zed", ahead),
            ("bo", behind),
            ("ana", learner()),
            ("new", RoadmapProgress::default()),
        ],
        day(20),
    );
    let order: Vec<&str> = cohort.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(order, ["ana", "new", "bo", "zed"]);
    let new = &cohort.rows[1];
    assert_eq!(new.flags, [Flag::Inactive { days: None }]);
    assert_eq!(cohort.rows[3].percent, 75);
    let a = &cohort.tasks[0];
    assert_eq!((a.key.as_str(), a.done, a.verified), ("s/a", 3, 1));
    assert_eq!(cohort.tasks[1].in_progress, 1);
    assert_eq!(cohort.tasks.len(), 4, "every task of the roadmap");
    assert_eq!(cohort.rows[0].current_title.as_deref(), Some("Beta"));
    assert_eq!(cohort.rows[0].ticked_only(), 0);
    assert_eq!(cohort.rows[2].ticked_only(), 1);
}

#[test]
fn the_cards_forgotten_most_are_summed_over_learners() {
    let settings = ReviewSettings::default();
    let card = roadmap().steps[0].tasks[0].cards()[0].id.to_string();
    let forgetful = |times: usize| {
        let mut rp = RoadmapProgress::default();
        rp.set_status("s/a", Status::Done, day(0));
        review::rate(&mut rp, "s/a", &card, true, Rating::Good, day(2), &settings);
        for n in 0..times {
            let at = day(10 + n as i64) + SignedDuration::from_hours(1);
            review::rate(&mut rp, "s/a", &card, true, Rating::Again, at, &settings);
            review::rate(
                &mut rp,
                "s/a",
                &card,
                true,
                Rating::Good,
                at + SignedDuration::from_mins(20),
                &settings,
            );
        }
        rp
    };
    let cohort = summary(vec![("a", forgetful(1)), ("b", forgetful(2))], day(20));
    assert_eq!(cohort.lapses.len(), 1);
    assert_eq!(cohort.lapses[0].learners, 2);
    assert!(cohort.lapses[0].lapses >= 2, "{:?}", cohort.lapses);
    assert!(cohort.lapses[0].card.starts_with("s/a#"));
}

#[test]
fn a_learner_name_is_a_safe_file_name() {
    for good in ["ana", "Ana.Lopez", "bo_2", "x-y"] {
        assert_eq!(valid_name(good), Ok(()), "{good}");
    }
    for bad in [
        "",
        ".hidden",
        "-rf",
        "a/b",
        "..",
        "a b",
        "é",
        "a\u{1b}",
        &"x".repeat(65),
    ] {
        assert!(valid_name(bad).is_err(), "{bad:?}");
    }
}
