use super::*;

#[test]
fn a_check_passes_only_when_every_probe_does_and_stops_at_a_failure() {
    let dir = project();
    let c = ctx(dir.path());
    let ok = run("true", 0, None);
    let bad = run("false", 0, None);
    let missing = run("pathway-no-such-program", 0, None);
    let outcome = run_check(&[ok.clone(), ok.clone()], &c);
    assert_eq!(outcome.result, CheckResult::Passed);
    assert_eq!(outcome.probes.len(), 2);
    let outcome = run_check(&[missing.clone(), bad.clone(), ok.clone()], &c);
    assert_eq!(outcome.result, CheckResult::Failed);
    assert_eq!(
        outcome.probes.len(),
        2,
        "the probe after a failure does not run"
    );
    assert_eq!(run_check(&[ok, missing], &c).result, CheckResult::Cannot);
    assert_eq!(run_check(&[], &c).result, CheckResult::Cannot);
    assert_eq!(CheckResult::Failed.as_str(), "failed");
    let json = serde_json::to_value(run_check(&[run("true", 0, None), bad], &c)).expect("json");
    assert_eq!(
        json,
        serde_json::json!({
            "result": "failed",
            "probes": [
                {"result": "passed", "expected": "`true` exits with status 0", "got": "exit status 0"},
                {"result": "failed", "expected": "`false` exits with status 0",
                 "got": "exit status 1, no output", "hint": "try harder"},
            ]
        })
    );
}

// -----------------------------------------------------------------------------------------
#[test]
fn hints_are_expanded_and_escaped() {
    let dir = project();
    let mut c = ctx(dir.path());
    c.vars.insert("port".into(), "8000".into());
    let mut p = run("false", 0, None);
    p.hint = Some("start it on port {port}\u{1b}[2J".into());
    match run_probe(&p, &c) {
        ProbeOutcome::Failed { hint, .. } => {
            assert_eq!(hint.as_deref(), Some("start it on port 8000\\u{1b}[2J"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_check_of_smoke_probes_alone_never_verifies() {
    let dir = project();
    let c = ctx(dir.path());
    let mut smoke = run("true", 0, None);
    smoke.smoke = true;
    let outcome = run_check(&[smoke.clone(), smoke.clone()], &c);
    assert_eq!(outcome.result, CheckResult::Cannot);
    assert!(
        matches!(outcome.probes.last(), Some(ProbeOutcome::Cannot { why }) if why.contains("only smoke probes")),
        "{outcome:?}"
    );
    // With one evidence probe beside it, a pass is a pass; a failing smoke probe still fails.
    assert_eq!(
        run_check(&[smoke.clone(), run("true", 0, None)], &c).result,
        CheckResult::Passed
    );
    let mut missing = run("false", 0, None);
    missing.smoke = true;
    assert_eq!(run_check(&[missing], &c).result, CheckResult::Failed);
}
