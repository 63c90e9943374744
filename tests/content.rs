//! The roadmap pathway ships with: the article's six steps, in its order, each checkable.

use std::collections::HashSet;

use pathway::roadmap::{Roadmap, bad_url};

fn shipped() -> Roadmap {
    Roadmap::embedded().expect("the shipped roadmap is valid")
}

#[test]
fn has_the_six_steps_of_the_article_in_order() {
    let roadmap = shipped();
    let ids: Vec<&str> = roadmap.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "programming",
            "databases",
            "web-apis",
            "git",
            "linux",
            "cloud"
        ]
    );
}

#[test]
fn names_its_source_and_has_an_overview() {
    let r = shipped();
    assert!(
        r.source
            .as_deref()
            .is_some_and(|s| s.contains("Backend Development"))
    );
    assert!(
        r.overview.contains("DevOps"),
        "overview covers DevOps and cloud"
    );
    assert!(
        r.overview.contains("server"),
        "overview covers backend development"
    );
}

#[test]
fn every_step_has_a_summary_guidance_tasks_and_resources() {
    for step in shipped().steps {
        assert!(!step.summary.trim().is_empty(), "{}: summary", step.id);
        assert!(
            !step.summary.trim().contains('\n'),
            "{}: summary is one sentence",
            step.id
        );
        assert!(
            step.notes.len() > 200,
            "{}: notes are real guidance",
            step.id
        );
        assert!(
            (3..=7).contains(&step.tasks.len()),
            "{}: 3–7 tasks",
            step.id
        );
        assert!(!step.resources.is_empty(), "{}: resources", step.id);
    }
}

#[test]
fn ids_are_unique() {
    let r = shipped();
    let mut steps = HashSet::new();
    for step in &r.steps {
        assert!(steps.insert(&step.id), "step id {} repeats", step.id);
        let mut tasks = HashSet::new();
        for task in &step.tasks {
            assert!(
                tasks.insert(&task.id),
                "task id {}/{} repeats",
                step.id,
                task.id
            );
        }
    }
}

#[test]
fn every_url_is_https() {
    for step in shipped().steps {
        for r in &step.resources {
            assert!(r.url.starts_with("https://"), "{}", r.url);
            assert_eq!(bad_url(&r.url), None, "{}", r.url);
        }
    }
}

#[test]
fn databases_step_follows_the_article() {
    let r = shipped();
    let db = r.step("databases").expect("databases step");
    let titles: Vec<&str> = db.tasks.iter().map(|t| t.title.as_str()).collect();
    for expected in [
        "SQL basics",
        "PostgreSQL or MySQL",
        "MongoDB",
        "normalization",
    ] {
        assert!(
            titles.iter().any(|t| t.contains(expected)),
            "{expected} in {titles:?}"
        );
    }
}
