//! `sql` probes: a learner's SQL file judged on its code (comments, literals and psql commands
//! left out), and run with psql inside a transaction that is rolled back, so the check changes
//! nothing in the learner's database.

use std::process::Command;
use std::time::Duration;

use super::command::OUTPUT_CAP;
use super::file::read_capped;
use super::process::{End, supervise};
use super::run::{Context, Matcher, ProbeOutcome, bounded, cannot};
use super::show::{first_lines, last_lines};
use crate::core::sql;
use crate::core::text;

/// A `sql` probe with its values expanded.
pub(super) struct SqlProbe<'a> {
    pub path: &'a str,
    pub content: Option<Matcher>,
    pub database: Option<&'a str>,
    pub rows: Option<u32>,
}

pub(super) fn sql_probe(probe: &SqlProbe, timeout: Duration, ctx: &Context) -> ProbeOutcome {
    let path = ctx.project.join(probe.path);
    let shown = text::clean(&path.to_string_lossy()).into_owned();
    let expected = expected(probe, &shown);
    let failed = |got: String| ProbeOutcome::Failed {
        expected: expected.clone(),
        got,
        hint: None,
    };
    let read = {
        let path = path.clone();
        bounded(timeout, &ctx.cancel, move || read_capped(&path))
    };
    let bytes = match read {
        Ok(Ok((_, true))) => return failed("it is larger than 1 MiB".into()),
        Ok(Ok((bytes, false))) => bytes,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return failed("no such file".into());
        }
        Ok(Err(e)) => return failed(format!("cannot read it: {e}")),
        Err(stalled) => return stalled.outcome(&format!("the file {shown}"), timeout),
    };
    let source = String::from_utf8_lossy(&bytes);
    let scan = sql::scan(&source);
    if let Some(content) = &probe.content
        && !content.accepts(&scan.code)
    {
        let code = scan.code.trim();
        return failed(if code.is_empty() {
            "it holds no SQL outside comments".into()
        } else {
            format!(
                "its code does not; without comments and literals it begins:\n{}",
                first_lines(code)
            )
        });
    }
    let Some(database) = probe.database else {
        return ProbeOutcome::Passed {
            expected,
            got: "its code does".into(),
        };
    };
    if let Some(rows) = probe.rows {
        let queries = sql::queries_reading_tables(&scan.code);
        if queries < rows as usize {
            let noun = if queries == 1 { "query" } else { "queries" };
            return failed(format!(
                "{queries} different {noun} of a table (FROM …): each question needs a query \
                 of its own"
            ));
        }
    }
    // A transaction of its own (a transfer) is planned rather than run, so its BEGIN … COMMIT
    // may stay; planning proves nothing about rows, so a probe that asks for them runs the file.
    let planned = probe
        .rows
        .is_none()
        .then(|| sql::planned(&source, &scan))
        .flatten();
    let is_planned = planned.is_some();
    let (source, scan) = match planned {
        Some(planned) => {
            let scan = sql::scan(&planned);
            (std::borrow::Cow::Owned(planned), scan)
        }
        None => (source, scan),
    };
    if let Some(why) = sql::unsafe_to_roll_back(&scan) {
        return failed(format!("pathway did not run it: {}", text::clean(&why)));
    }
    match run_rolled_back(&source, database, probe.rows, timeout, ctx, &expected) {
        ProbeOutcome::Passed { expected, .. } if is_planned => ProbeOutcome::Passed {
            expected,
            got: "it is one transaction (BEGIN … COMMIT): its statements were planned \
                  (EXPLAIN) on the database without an error, and none of its changes ran"
                .into(),
        },
        outcome => outcome,
    }
}

/// What the probe asks for, in a sentence.
fn expected(probe: &SqlProbe, shown: &str) -> String {
    let mut out = shown.to_string();
    if let Some(content) = &probe.content {
        out.push_str(&format!(
            ": its code (comments and literals left out) {}",
            content.describe()
        ));
    }
    if let Some(database) = probe.database {
        out.push_str(&format!(
            "{} runs on the database {} without an error, in a transaction that is rolled back",
            if probe.content.is_some() { "; it" } else { "" },
            text::clean(database)
        ));
        if let Some(rows) = probe.rows {
            out.push_str(&format!(
                ", and {} return rows",
                text::count(rows as usize, "statement")
            ));
        }
    }
    out
}

/// Runs `source` with psql on `database` between BEGIN and ROLLBACK, stopping at the first
/// error; passes when psql exits 0 and at least `rows` results had rows.
fn run_rolled_back(
    source: &str,
    database: &str,
    rows: Option<u32>,
    timeout: Duration,
    ctx: &Context,
    expected: &str,
) -> ProbeOutcome {
    // The statement timeout stops the server's side too when the probe's time is up; the `;`
    // after the file ends a last statement written without one, before the rollback.
    let input = format!(
        "begin;\nset local statement_timeout = '{}s';\n{source}\n;\nrollback;\n",
        timeout.as_secs()
    );
    let mut cmd = Command::new("psql");
    cmd.args(["-X", "-w", "-v", "ON_ERROR_STOP=1", "-P", "pager=off", "-d"])
        .arg(database)
        .current_dir(&ctx.project)
        .env("PATHWAY_PROJECT", &ctx.project);
    let finished = match supervise(
        cmd,
        Some(input.into_bytes()),
        OUTPUT_CAP,
        timeout,
        &ctx.cancel,
    ) {
        Ok(finished) => finished,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return cannot("needs psql on your PATH");
        }
        Err(e) => return cannot(&format!("cannot start psql: {e}")),
    };
    let failed = |got: String| ProbeOutcome::Failed {
        expected: expected.to_string(),
        got,
        hint: None,
    };
    let out = &finished.out;
    let output = || last_lines(&out.kept, out.more);
    let status = match finished.end {
        End::Cancelled => return ProbeOutcome::Cancelled,
        End::TimedOut => {
            return failed(format!(
                "still running after {} s, so it was stopped; output:\n{}",
                timeout.as_secs(),
                output()
            ));
        }
        End::Exited(status) => status,
    };
    if !status.success() {
        return failed(format!(
            "psql stopped at an error (exit status {}):\n{}",
            status.code().unwrap_or(-1),
            output()
        ));
    }
    let with_rows = results_with_rows(&String::from_utf8_lossy(&out.kept));
    let got = format!("{} returned rows", text::count(with_rows, "statement"));
    match rows {
        Some(rows) if with_rows < rows as usize => failed(got),
        _ => ProbeOutcome::Passed {
            expected: expected.to_string(),
            got,
        },
    }
}

/// Results that had rows, counted from psql's footers (`(3 rows)`) in its aligned output: a
/// value never starts a line there (each is indented by a space), so a string cannot pass for one.
fn results_with_rows(output: &str) -> usize {
    output
        .lines()
        .filter_map(|line| {
            let inner = line.strip_prefix('(')?.strip_suffix(')')?;
            let (n, word) = inner.split_once(' ')?;
            matches!(word, "row" | "rows").then_some(n.parse::<u64>().ok()?)
        })
        .filter(|&n| n > 0)
        .count()
}

#[cfg(test)]
mod tests {
    use super::results_with_rows;

    #[test]
    fn only_footers_of_results_with_rows_count() {
        let output = "BEGIN\n title \n-------\n (5 rows)\n x\n(1 row)\n\n n \n---\n(0 rows)\n\
                      DELETE 3\n a \n---\n 1\n 2\n(2 rows)\nROLLBACK\n";
        assert_eq!(results_with_rows(output), 2);
    }
}
