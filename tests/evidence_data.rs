//! The shipped roadmap's checks on the learner's data and services: the HTTP behaviour of a
//! local server per web task (step 3), the Git rules that read the repository (steps 1 and 4),
//! and a real PostgreSQL (step 2). Honest minimal work verifies; token work (a stub server, a
//! keyword in a string, a look-alike schema, empty commits) never does, whatever the token.
//!
//! The PostgreSQL tests are ignored without a server: `.ci/run` starts a throwaway cluster
//! (`.ci/postgres start DIR`) and sets PGHOST. Each uses databases of its own, named after the
//! test and the process, so they run in parallel.

use std::sync::Arc;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::common::evidence::{
    Request, borrowed, check, createdb, git, not_verified, psql, psql_answer, reply, repo, serve,
    serve_requests, verified, write,
};
use pathway::checks::{CheckOutcome, CheckResult, ProbeOutcome};

// ---------------------------------------------------------------------------------------------
// Step 3: a local HTTP server per behaviour, honest and token.

const TOKEN: &str = "real-token-42";

/// The roadmap's default test author's password (`auth_password`).
const PASSWORD: &str = "change-me-locally";

fn honest_api(request: &Request) -> String {
    let (method, headers) = (request.method.as_str(), &request.headers);
    let security = "X-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n";
    let problem = |status: &str, detail: &str| {
        reply(
            status,
            security,
            &format!(
                "{{\"type\": \"about:blank\", \"title\": \"{status}\", \"detail\": \"{detail}\"}}"
            ),
        )
    };
    let authorised = headers
        .iter()
        .any(|h| h == &format!("Authorization: Bearer {TOKEN}"));
    match (method, request.path.split('?').next().unwrap_or("")) {
        (_, "/health") => reply("200 OK", security, "{\"status\": \"ok\"}"),
        (_, "/openapi.json") => reply("200 OK", security, "{\"openapi\": \"3.1.0\"}"),
        ("POST", "/login")
            if request
                .body
                .contains(&format!("\"password\": \"{PASSWORD}\"")) =>
        {
            reply(
                "200 OK",
                security,
                &format!("{{\"access_token\": \"{TOKEN}\"}}"),
            )
        }
        ("POST", "/login") => problem("401 Unauthorized", "wrong e-mail or password"),
        (_, "/me") if authorised => reply("200 OK", security, "{\"id\": 1}"),
        (_, "/me") => problem("401 Unauthorized", "log in first"),
        ("GET", "/posts") => {
            let etag = "\"v1\"";
            if headers
                .iter()
                .any(|h| h.eq_ignore_ascii_case(&format!("If-None-Match: {etag}")))
            {
                return format!(
                    "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                );
            }
            reply(
                "200 OK",
                &format!(
                    "{security}ETag: {etag}\r\nCache-Control: public, max-age=60\r\nLink: </posts?offset=1>; rel=\"next\"\r\n"
                ),
                "{\"items\": [{\"id\": 1, \"title\": \"Hello\"}], \"next\": \"/posts?offset=1\"}",
            )
        }
        ("GET", "/posts/1") => reply(
            "200 OK",
            &format!("{security}ETag: \"p1\"\r\n"),
            "{\"id\": 1, \"title\": \"Hello\"}",
        ),
        (_, p) if p.starts_with("/posts/") => problem("404 Not Found", "no such post"),
        _ => problem("404 Not Found", "no such page"),
    }
}

/// A stub: `/me` always 401, whatever comes; caching forbidden; no pagination; no 304.
fn token_api(method: &str, path: &str, _headers: &[String]) -> String {
    match (method, path.split('?').next().unwrap_or("")) {
        (_, "/health") => reply("200 OK", "", "{\"status\": \"ok\"}"),
        ("POST", "/login") => reply("200 OK", "", "{\"access_token\": \"whatever\"}"),
        (_, "/me") => reply("401 Unauthorized", "", "{\"error\": \"no\"}"),
        ("GET", "/posts") => reply(
            "200 OK",
            "Cache-Control: no-store\r\nETag: \"v1\"\r\n",
            "[{\"id\": 1, \"title\": \"Hello\"}]",
        ),
        _ => reply("500 Internal Server Error", "", "oops"),
    }
}

fn port(p: u16) -> Vec<(&'static str, String)> {
    vec![("port", p.to_string())]
}

/// A committed project for the web checks to run in (they read only the server).
fn project() -> tempfile::TempDir {
    repo(&[(
        "app/security.py",
        "from argon2 import PasswordHasher\n\nhasher = PasswordHasher()\n",
    )])
}

/// Whether the scaling task's HTTP probes (Cache-Control and the ETags, before the cache's
/// smoke probe, which fails where no cache runs) passed on `port`.
fn caching_passes(dir: &std::path::Path, port_number: u16) -> bool {
    let outcome = check("web-apis/scaling", dir, &port(port_number));
    outcome.probes.len() == 4
        && outcome.probes[..3]
            .iter()
            .all(|probe| matches!(probe, ProbeOutcome::Passed { .. }))
}

/// Everything the probes of `outcome` said came back, or why they could not tell, unescaped by
/// Debug: a test reads it as the learner would.
fn said(outcome: &CheckOutcome) -> String {
    outcome
        .probes
        .iter()
        .map(|p| match p {
            ProbeOutcome::Passed { got, .. } | ProbeOutcome::Failed { got, .. } => got.as_str(),
            ProbeOutcome::Cannot { why } => why.as_str(),
            ProbeOutcome::Cancelled => "cancelled",
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn honest_http_behaviour_verifies_and_a_stub_that_always_refuses_does_not() {
    let honest = serve_requests(honest_api);
    let token = serve(token_api);
    let dir = project();
    verified("web-apis/web-server", dir.path(), &port(honest));
    for key in ["web-apis/rest-api", "web-apis/api-design"] {
        verified(key, dir.path(), &port(honest));
        not_verified(key, dir.path(), &port(token));
    }
    // No database holds the test author here: the code's call of a password hash stands in.
    let vars = [
        ("port", honest.to_string()),
        ("db", "pathway_no_such_database".to_string()),
    ];
    verified("web-apis/auth", dir.path(), &vars);
    assert!(!auth_http_passes(dir.path(), token));
    let comment_only = repo(&[(
        "app/security.py",
        "# TODO: hash passwords with bcrypt\n# hasher = PasswordHasher()\nx = 1\n",
    )]);
    let outcome = not_verified("web-apis/auth", comment_only.path(), &vars);
    assert!(failed_at(&outcome, 5), "{outcome:#?}");
    // Nor is the name of a hash in a string.
    let string_only = repo(&[(
        "app/security.py",
        "HASH = \"bcrypt(\"\nNOTE = 'argon2.hash(password)'\n",
    )]);
    let outcome = not_verified("web-apis/auth", string_only.path(), &vars);
    assert!(failed_at(&outcome, 5), "{outcome:#?}");
    assert!(caching_passes(dir.path(), honest));
    assert!(!caching_passes(dir.path(), token));
}

/// Whether the auth task's HTTP probes (the four before the stored hash) passed on `port`.
fn auth_http_passes(dir: &std::path::Path, port_number: u16) -> bool {
    let vars = [
        ("port", port_number.to_string()),
        ("db", "pathway_no_such_database".to_string()),
    ];
    let outcome = check("web-apis/auth", dir, &vars);
    outcome.probes.len() >= 4
        && outcome.probes[..4]
            .iter()
            .all(|probe| matches!(probe, ProbeOutcome::Passed { .. }))
}

/// Whether the check failed at its probe `number` (from 1): the probes before it passed.
fn failed_at(outcome: &CheckOutcome, number: usize) -> bool {
    outcome.result == CheckResult::Failed
        && outcome.probes.len() == number
        && matches!(outcome.probes.last(), Some(ProbeOutcome::Failed { .. }))
}

#[test]
fn a_login_that_accepts_any_password_does_not_verify_auth() {
    // Everything else is honest: missing and forged tokens get 401, the real token 200.
    let any_password = serve_requests(|request: &Request| {
        if request.method == "POST" && request.path == "/login" {
            reply("200 OK", "", &format!("{{\"access_token\": \"{TOKEN}\"}}"))
        } else {
            honest_api(request)
        }
    });
    let dir = project();
    let outcome = not_verified("web-apis/auth", dir.path(), &port(any_password));
    // Its fourth probe, the wrong password.
    assert!(failed_at(&outcome, 4), "{outcome:#?}");
}

/// `honest_api`, but for the paths `changed` answers (when it answers `Some`).
fn honest_but(changed: impl Fn(&Request) -> Option<String> + Send + Sync + 'static) -> u16 {
    serve_requests(move |request: &Request| changed(request).unwrap_or_else(|| honest_api(request)))
}

#[test]
fn a_list_whose_posts_cannot_be_fetched_does_not_verify_the_rest_api() {
    // The list is there and unknown ids get 404, but so does every id the list names.
    let dir = project();
    let stub = honest_but(|r: &Request| {
        r.path
            .starts_with("/posts/")
            .then(|| reply("404 Not Found", "", "{\"detail\": \"no\"}"))
    });
    let outcome = not_verified("web-apis/rest-api", dir.path(), &port(stub));
    assert!(failed_at(&outcome, 2), "{outcome:#?}");
    assert!(said(&outcome).contains("GET /posts/1: 404"), "{outcome:#?}");
}

#[test]
fn errors_of_two_shapes_do_not_verify_the_api_design() {
    let dir = project();
    let stub = honest_but(|r: &Request| {
        (r.path == "/posts/pathway-not-an-id").then(|| reply("400 Bad Request", "", "bad id"))
    });
    let outcome = not_verified("web-apis/api-design", dir.path(), &port(stub));
    assert!(
        said(&outcome).contains("one error shape: no"),
        "{outcome:#?}"
    );
}

#[test]
fn a_me_that_accepts_the_token_with_anything_after_it_does_not_verify_auth() {
    let dir = project();
    let stub = honest_but(|r: &Request| {
        let bearer = format!("Authorization: Bearer {TOKEN}");
        (r.path == "/me" && r.headers.iter().any(|h| h.starts_with(&bearer)))
            .then(|| reply("200 OK", "", "{\"id\": 1}"))
    });
    let outcome = not_verified("web-apis/auth", dir.path(), &port(stub));
    assert!(
        said(&outcome).contains("the same altered: 200"),
        "{outcome:#?}"
    );
}

#[test]
fn security_headers_must_be_on_errors_too_and_guard_frames() {
    let dir = repo(&[("tests/test_security.py", "def test_x():\n    assert 1\n")]);
    verified(
        "web-apis/web-security",
        dir.path(),
        &port(serve_requests(honest_api)),
    );
    let only_on_posts = honest_but(|r: &Request| {
        (r.path != "/posts").then(|| reply("404 Not Found", "", "{\"detail\": \"no\"}"))
    });
    let outcome = not_verified("web-apis/web-security", dir.path(), &port(only_on_posts));
    assert!(said(&outcome).contains("on a 404: 0"), "{outcome:#?}");
    let nosniff_alone = honest_but(|r: &Request| {
        Some(reply("200 OK", "X-Content-Type-Options: nosniff\r\n", "[]"))
            .filter(|_| r.path == "/posts")
    });
    not_verified("web-apis/web-security", dir.path(), &port(nosniff_alone));
}

/// A server that serves `limit` requests to GET /posts, then answers 429, with
/// `Retry-After: SECONDS` when `retry_after` names them; when `lifts`, the limit lifts that many
/// seconds (or one) after its latest refusal, so a burst slowed by a busy machine cannot
/// straddle two windows.
fn limited_api(limit: usize, retry_after: Option<u64>, lifts: bool) -> u16 {
    let window = Arc::new(Mutex::new((0usize, None::<Instant>)));
    let wait = Duration::from_secs(retry_after.unwrap_or(1));
    serve_requests(move |request: &Request| {
        if request.path.starts_with("/posts") {
            let mut window = window.lock().unwrap_or_else(PoisonError::into_inner);
            if lifts && window.1.is_some_and(|since| since.elapsed() >= wait) {
                *window = (0, None);
            }
            window.0 += 1;
            if window.0 > limit {
                window.1 = Some(Instant::now());
                let header = retry_after.map_or(String::new(), |s| format!("Retry-After: {s}\r\n"));
                return reply(
                    "429 Too Many Requests",
                    &header,
                    "{\"title\": \"slow down\"}",
                );
            }
        }
        honest_api(request)
    })
}

#[test]
fn a_rate_limit_verifies_and_a_server_that_always_answers_429_does_not() {
    let dir = repo(&[("README.md", "# blog\n")]);
    verified(
        "web-apis/rate-limit",
        dir.path(),
        &port(limited_api(60, Some(1), true)),
    );
    let always = serve(|_: &str, _: &str, _: &[String]| {
        reply("429 Too Many Requests", "Retry-After: 60\r\n", "{}")
    });
    let outcome = not_verified("web-apis/rate-limit", dir.path(), &port(always));
    assert!(said(&outcome).contains("the first 3: 0 answered 2xx"));
    // A 429 must say when to come back.
    let outcome = not_verified(
        "web-apis/rate-limit",
        dir.path(),
        &port(limited_api(60, None, true)),
    );
    assert!(
        said(&outcome).contains("Retry-After on the next: 0"),
        "{outcome:#?}"
    );
    // No limit at all is no limit either.
    not_verified(
        "web-apis/rate-limit",
        dir.path(),
        &port(serve_requests(honest_api)),
    );
}

#[test]
fn a_limit_that_never_lifts_does_not_verify_and_a_long_window_cannot_be_waited_out() {
    let dir = repo(&[("README.md", "# blog\n")]);
    // Retry-After says a second, but the refusals go on.
    let outcome = not_verified(
        "web-apis/rate-limit",
        dir.path(),
        &port(limited_api(60, Some(1), false)),
    );
    assert!(
        said(&outcome).contains("Retry-After on the next: 1; after waiting it: 429"),
        "{outcome:#?}"
    );
    // An hour's window: pathway does not wait it out, and says so rather than failing.
    let outcome = check(
        "web-apis/rate-limit",
        dir.path(),
        &port(limited_api(60, Some(3600), true)),
    );
    assert_eq!(outcome.result, CheckResult::Cannot, "{outcome:#?}");
    assert!(
        said(&outcome).contains("Retry-After says 3600 s"),
        "{outcome:#?}"
    );
}

#[test]
fn an_etag_that_answers_304_to_any_tag_does_not_verify_caching() {
    let any_tag = serve_requests(|request: &Request| {
        let conditional = request
            .headers
            .iter()
            .any(|h| h.to_ascii_lowercase().starts_with("if-none-match:"));
        if request.path == "/posts" && conditional {
            "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n".into()
        } else {
            honest_api(request)
        }
    });
    let dir = project();
    assert!(!caching_passes(dir.path(), any_tag));
    let outcome = check("web-apis/scaling", dir.path(), &port(any_tag));
    assert!(said(&outcome).contains("another ETag: 304"), "{outcome:#?}");
}

#[test]
fn one_etag_for_every_response_does_not_verify_caching() {
    // 304 for its own ETag and 200 for another, but the same ETag on the list and on a post.
    let fixed = honest_but(|r: &Request| {
        (r.path == "/posts/1").then(|| {
            reply(
                "200 OK",
                "ETag: \"v1\"\r\n",
                "{\"id\": 1, \"title\": \"Hello\"}",
            )
        })
    });
    let dir = project();
    assert!(!caching_passes(dir.path(), fixed));
    let outcome = check("web-apis/scaling", dir.path(), &port(fixed));
    assert!(
        said(&outcome).contains("the same ETag, \"v1\""),
        "{outcome:#?}"
    );
    let none = honest_but(|r: &Request| {
        (r.path == "/posts/1").then(|| reply("200 OK", "", "{\"id\": 1, \"title\": \"Hello\"}"))
    });
    let outcome = check("web-apis/scaling", dir.path(), &port(none));
    assert!(
        said(&outcome).contains("GET /posts/1: no ETag"),
        "{outcome:#?}"
    );
}

#[test]
fn the_cache_probe_needs_no_redis_cli() {
    // redis-cli is not on this PATH: the cache is asked with curl, so the probe can tell (passed
    // with a cache running on its port, failed without), and never says "cannot" for the CLI.
    let dir = project();
    let outcome = check(
        "web-apis/scaling",
        dir.path(),
        &port(serve_requests(honest_api)),
    );
    assert_eq!(outcome.probes.len(), 4, "{outcome:#?}");
    let cache = &outcome.probes[3];
    assert!(!matches!(cache, ProbeOutcome::Cannot { .. }), "{cache:#?}");
}

// ---------------------------------------------------------------------------------------------
// Git: commits that change lines, and every .env ignored.

/// `count` commits that each add a line to notes.txt.
fn commits_with_lines(dir: &std::path::Path, count: usize) {
    for i in 0..count {
        let path = dir.join("notes.txt");
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str(&format!("step {i}\n"));
        std::fs::write(&path, text).expect("write");
        git(dir, &["add", "notes.txt"]);
        git(dir, &["commit", "-q", "-m", &format!("Note step {i}")]);
    }
}

#[test]
fn commits_of_empty_files_do_not_count_and_commits_of_lines_do() {
    // Eleven commits, each adding an empty file, plus an empty commit.
    let empty: Vec<(String, String)> = (0..11)
        .map(|i| (format!("exercises/ex{i}.py"), String::new()))
        .collect();
    let dir = repo(&borrowed(&empty));
    git(dir.path(), &["commit", "-q", "--allow-empty", "-m", "more"]);
    not_verified("git/basics", dir.path(), &[]);
    not_verified("programming/save-work", dir.path(), &[]);
    // Two commits that change lines are still fewer than three.
    commits_with_lines(dir.path(), 2);
    not_verified("programming/save-work", dir.path(), &[]);
    commits_with_lines(dir.path(), 1);
    verified("programming/save-work", dir.path(), &[]);
    not_verified("git/basics", dir.path(), &[]);
    commits_with_lines(dir.path(), 7);
    verified("git/basics", dir.path(), &[]);
}

#[test]
fn commits_of_blank_lines_or_spacing_do_not_count() {
    let dir = repo(&[("notes.txt", "start\n")]);
    for i in 0..12 {
        let path = dir.path().join("notes.txt");
        let mut text = std::fs::read_to_string(&path).expect("read");
        text.push_str(if i % 2 == 0 { "\n" } else { "   \n" });
        std::fs::write(&path, text).expect("write");
        git(dir.path(), &["commit", "-q", "-am", "."]);
    }
    not_verified("programming/save-work", dir.path(), &[]);
    not_verified("git/basics", dir.path(), &[]);
    // A branch whose one change is a blank line, merged: nothing was brought in.
    git(dir.path(), &["switch", "-q", "-c", "feature"]);
    write(
        dir.path(),
        "notes.txt",
        &format!(
            "{}\n",
            std::fs::read_to_string(dir.path().join("notes.txt")).expect("read")
        ),
    );
    git(dir.path(), &["commit", "-q", "-am", "blank"]);
    git(dir.path(), &["switch", "-q", "main"]);
    git(
        dir.path(),
        &["merge", "-q", "--no-ff", "-m", "merge", "feature"],
    );
    let outcome = not_verified("git/branching", dir.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:#?}");
}

/// A repository that ignores .env files everywhere and commits .env.example.
fn env_project(gitignore: &str) -> tempfile::TempDir {
    let dir = repo(&[
        (".gitignore", gitignore),
        (".env.example", "DATABASE_URL=postgresql://localhost/blog\n"),
        ("app/main.py", "print('blog')\n"),
    ]);
    write(
        dir.path(),
        ".env",
        "DATABASE_URL=postgresql://me:secret@localhost/blog\n",
    );
    write(dir.path(), "api/.env", "SECRET=1\n");
    write(dir.path(), ".env.local", "SECRET=2\n");
    dir
}

#[test]
fn every_env_file_must_be_ignored_and_none_committed() {
    for key in ["git/ignore-secrets", "web-apis/secrets"] {
        let honest = env_project(".env\n.env.*\n!.env.example\n");
        verified(key, honest.path(), &[]);
        // Only the root .env is ignored: api/.env and .env.local are not.
        let root_only = env_project("/.env\n");
        let outcome = not_verified(key, root_only.path(), &[]);
        let shown = said(&outcome);
        assert!(
            shown.contains("api/.env") && shown.contains(".env.local"),
            "{shown}"
        );
        // An ignored .env in a subfolder that was committed anyway (git add -f).
        let committed = env_project(".env\n.env.*\n!.env.example\n");
        git(committed.path(), &["add", "-f", "api/.env"]);
        git(
            committed.path(),
            &["commit", "-q", "-m", "Add the API settings"],
        );
        let outcome = not_verified(key, committed.path(), &[]);
        assert!(said(&outcome).contains("committed: api/.env"));
    }
}

#[test]
fn env_must_be_ignored_by_the_committed_gitignore_and_the_example_name_its_variables() {
    // Ignored through the clone's own .git/info/exclude, which nobody else gets.
    let local = repo(&[
        (".env.example", "DATABASE_URL=postgresql://localhost/blog\n"),
        ("app/main.py", "print('blog')\n"),
    ]);
    std::fs::write(local.path().join(".git/info/exclude"), ".env\n.env.*\n").expect("write");
    for key in ["git/ignore-secrets", "web-apis/secrets"] {
        let outcome = not_verified(key, local.path(), &[]);
        assert!(
            said(&outcome).contains("not by a .gitignore"),
            "{key}: {outcome:#?}"
        );
    }
    // Ignored through a committed file the clone's own settings name as its excludes file.
    let elsewhere = repo(&[
        (".env.example", "DATABASE_URL=postgresql://localhost/blog\n"),
        ("notes.txt", ".env\n.env.*\n!.env.example\n"),
    ]);
    git(
        elsewhere.path(),
        &["config", "core.excludesFile", "notes.txt"],
    );
    let outcome = not_verified("git/ignore-secrets", elsewhere.path(), &[]);
    assert!(
        said(&outcome).contains("not by a .gitignore"),
        "{outcome:#?}"
    );
    // An empty .env.example names nothing the API needs.
    let empty = env_project(".env\n.env.*\n!.env.example\n");
    write(empty.path(), ".env.example", "# TODO\n");
    git(empty.path(), &["commit", "-q", "-am", "empty the example"]);
    let outcome = not_verified("web-apis/secrets", empty.path(), &[]);
    assert!(failed_at(&outcome, 1), "{outcome:#?}");
    // What counts is the committed file, not a local copy filled in afterwards.
    write(empty.path(), ".env.example", "DATABASE_URL=\n");
    let outcome = not_verified("web-apis/secrets", empty.path(), &[]);
    assert!(failed_at(&outcome, 1), "{outcome:#?}");
}

// ---------------------------------------------------------------------------------------------
// Step 2 with a real PostgreSQL (.ci/run starts a throwaway cluster and sets PGHOST)

/// A database name of this test's own: tests run in parallel.
fn database(name: &str) -> String {
    format!("pathway_{name}_{}", std::process::id())
}

const HONEST_SCHEMA: &str = "create table authors (id serial primary key, email text not null unique);
     create table posts (id serial primary key, author_id integer not null references authors(id), title text not null);
     create table tags (id serial primary key, name text not null unique);
     create table post_tags (post_id integer references posts(id), tag_id integer references tags(id), primary key (post_id, tag_id));
     create index on posts (author_id);
     create table accounts (id serial primary key, balance numeric not null check (balance >= 0));
     insert into authors (email) select 'a' || n || '@example.com' from generate_series(1, 20) n;
     insert into posts (author_id, title) select 1 + n % 20, 'post ' || n from generate_series(1, 100000) n;";

const TRANSFER_SQL: &str = "begin;\nupdate accounts set balance = balance - 10 where id = 1;\n\
                            update accounts set balance = balance + 10 where id = 2;\ncommit;\n";

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn honest_schemas_verify_and_a_schema_without_its_keys_does_not() {
    let honest = database("schema_honest");
    createdb(&honest);
    psql(&honest, HONEST_SCHEMA);
    let token = database("schema_token");
    createdb(&token);
    // The words are there (a comment says FOREIGN KEY, a referencing table exists) but not the keys.
    psql(
        &token,
        "create table authors (id serial primary key, email text);
         create table posts (id serial primary key, author_id integer, title text);
         comment on table posts is 'FOREIGN KEY author_id';
         create table audit (post_id integer references posts(id));
         create table post_tags (post_id integer, tag_id integer);
         create table accounts (id serial primary key, balance numeric);",
    );
    let dir = repo(&[
        ("sql/transfer.sql", TRANSFER_SQL),
        ("sql/schema.sql", HONEST_SCHEMA),
    ]);
    for key in [
        "databases/schema",
        "databases/indexes",
        "databases/transactions",
    ] {
        verified(key, dir.path(), &[("db", honest.clone())]);
        not_verified(key, dir.path(), &[("db", token.clone())]);
    }
    let comments = repo(&[(
        "sql/transfer.sql",
        "-- begin; update ...; commit;\n-- TODO\n",
    )]);
    not_verified(
        "databases/transactions",
        comments.path(),
        &[("db", honest.clone())],
    );
    // A transfer is planned on the database, so the tables and columns it names must be there.
    for wrong in [
        TRANSFER_SQL.replace("update accounts", "update acounts"),
        TRANSFER_SQL.replace("balance + 10", "amount + 10"),
        format!("{TRANSFER_SQL}delete from accounts;\ncommit;\n"),
    ] {
        let dir = repo(&[("sql/transfer.sql", &wrong)]);
        let outcome = not_verified(
            "databases/transactions",
            dir.path(),
            &[("db", honest.clone())],
        );
        assert!(failed_at(&outcome, 1), "{wrong}: {outcome:#?}");
    }
    // Planned, not run: a transfer the balances cannot cover (its CHECK would stop it) verifies.
    psql(&honest, "insert into accounts (balance) values (5), (0)");
    verified(
        "databases/transactions",
        dir.path(),
        &[("db", honest.clone())],
    );
    assert_eq!(
        psql_answer(
            &honest,
            "select string_agg(balance::text, ' ' order by id) from accounts"
        ),
        "5 0"
    );
    // The keywords in strings are not statements either.
    let strings = repo(&[(
        "sql/transfer.sql",
        "select 'begin; update accounts; update accounts; commit';\n",
    )]);
    not_verified(
        "databases/transactions",
        strings.path(),
        &[("db", honest.clone())],
    );
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn an_index_over_rows_of_one_author_or_none_does_not_verify() {
    let db = database("index_one_author");
    createdb(&db);
    psql(
        &db,
        "create table posts (id serial primary key, author_id integer, title text);
         create index on posts (author_id);
         insert into posts (title) select 'post ' || n from generate_series(1, 100000) n;",
    );
    let dir = repo(&[("README.md", "# blog\n")]);
    let outcome = not_verified("databases/indexes", dir.path(), &[("db", db)]);
    assert!(failed_at(&outcome, 2), "{outcome:#?}");
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn a_schema_typed_into_psql_but_in_no_file_does_not_verify() {
    let db = database("schema_nofile");
    createdb(&db);
    psql(&db, HONEST_SCHEMA);
    let vars = [("db", db.clone())];
    for files in [
        vec![("README.md", "# blog\n")],
        vec![(
            "sql/schema.sql",
            "-- create table authors (id serial primary key);\n",
        )],
    ] {
        let dir = repo(&files);
        let outcome = not_verified("databases/schema", dir.path(), &vars);
        assert!(failed_at(&outcome, 4), "{files:?}: {outcome:#?}");
    }
    // A migration that creates the table is the project's too.
    let alembic = repo(&[(
        "alembic/versions/0001_authors.py",
        "def upgrade():\n    op.create_table('authors',\n    sa.Column('id', sa.Integer(), nullable=False),\n    )\n",
    )]);
    let outcome = check("databases/schema", alembic.path(), &vars);
    assert!(
        !matches!(outcome.probes.get(3), Some(ProbeOutcome::Failed { .. })),
        "{outcome:#?}"
    );
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn constraints_that_hold_nothing_do_not_verify() {
    let db = database("schema_loose");
    createdb(&db);
    // Unique on the e-mail joined to the id (so duplicates go in), and a CHECK that an OR
    // makes always true.
    psql(
        &db,
        &HONEST_SCHEMA
            .replace("email text not null unique", "email text not null")
            .replace("check (balance >= 0)", "check (balance > 0 or true)"),
    );
    psql(&db, "create unique index on authors ((email || id::text))");
    let dir = repo(&[
        ("sql/transfer.sql", TRANSFER_SQL),
        ("sql/schema.sql", HONEST_SCHEMA),
    ]);
    let vars = [("db", db.clone())];
    let outcome = not_verified("databases/schema", dir.path(), &vars);
    assert!(failed_at(&outcome, 2), "{outcome:#?}");
    let outcome = not_verified("databases/transactions", dir.path(), &vars);
    assert!(failed_at(&outcome, 2), "{outcome:#?}");
    // The honest forms of both: lower(trim(email)), and a CHECK with two bounds.
    psql(
        &db,
        "create unique index on authors (lower(trim(email)));
         alter table accounts add check (balance >= 0 and balance <= 1000000000)",
    );
    verified("databases/schema", dir.path(), &vars);
    verified("databases/transactions", dir.path(), &vars);
    // A transfer whose updates move nothing.
    for still in [
        "begin;\nupdate accounts set balance = balance where false;\nupdate accounts set balance = balance where false;\ncommit;\n",
        "begin;\nupdate accounts set balance = balance - 0 where id = 1;\nupdate accounts set balance = balance + 0 where id = 2;\ncommit;\n",
    ] {
        let dir = repo(&[("sql/transfer.sql", still)]);
        let outcome = not_verified("databases/transactions", dir.path(), &vars);
        assert!(failed_at(&outcome, 1), "{still}: {outcome:#?}");
    }
    // An amount as a parameter or a decimal moves money.
    let decimal = repo(&[(
        "sql/transfer.sql",
        "begin;\nupdate accounts set balance = balance - 0.50 where id = 1;\nupdate accounts set balance = balance + 0.50 where id = 2;\ncommit;\n",
    )]);
    let outcome = check("databases/transactions", decimal.path(), &vars);
    assert!(
        matches!(outcome.probes.first(), Some(ProbeOutcome::Passed { .. })),
        "{outcome:#?}"
    );
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn look_alike_schemas_do_not_verify() {
    let db = database("schema_alike");
    createdb(&db);
    // Every table of the blog is there, each key a look-alike of the one asked for: the "foreign
    // key" from posts to authors is a CHECK, posts has a user_id with no key and the real key
    // sits in another schema; the unique index is on the name, not the e-mail; post_tags' pair
    // is a key but neither half references anything; the index on posts is on the title; the
    // balance CHECK checks nothing about the balance.
    psql(
        &db,
        "create table authors (id serial primary key, name text unique, email text not null);
         create table posts (id serial primary key, user_id integer, author_id integer check (author_id > 0), title text);
         create schema other;
         create table other.authors (id serial primary key, email text not null unique);
         create table other.posts (id serial primary key, author_id integer not null references other.authors(id));
         create table tags (id serial primary key, name text);
         create table post_tags (post_id integer, tag_id integer, primary key (post_id, tag_id));
         create index on posts (title);
         create index on other.posts (author_id);
         create table accounts (id serial primary key, balance numeric check (balance is not null or true));
         insert into authors (email) values ('a@example.com');
         insert into posts (author_id, title) select 1, 'post ' || n from generate_series(1, 100000) n;",
    );
    let dir = repo(&[
        ("sql/transfer.sql", TRANSFER_SQL),
        ("sql/schema.sql", HONEST_SCHEMA),
    ]);
    let vars = [("db", db.clone())];
    let schema = not_verified("databases/schema", dir.path(), &vars);
    assert!(failed_at(&schema, 1), "{schema:#?}");
    not_verified("databases/indexes", dir.path(), &vars);
    not_verified("databases/transactions", dir.path(), &vars);
    // Each look-alike alone fails: fix the others on a copy and keep one.
    for (fix, still_wrong) in [
        (
            "alter table posts add foreign key (author_id) references authors(id); alter table posts alter author_id set not null",
            2,
        ),
        ("create unique index on authors (email)", 3),
    ] {
        psql(&db, fix);
        let outcome = not_verified("databases/schema", dir.path(), &vars);
        assert!(failed_at(&outcome, still_wrong), "{outcome:#?}");
    }
    psql(
        &db,
        "alter table post_tags add foreign key (post_id) references posts(id);
         alter table post_tags add foreign key (tag_id) references tags(id);",
    );
    verified("databases/schema", dir.path(), &vars);
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn migrations_count_only_a_migration_table_the_tool_filled() {
    let db = database("migrations");
    createdb(&db);
    let dir = repo(&[(
        "alembic/versions/0001_posts.py",
        "def upgrade():\n    op.add_column('posts', sa.Column('published_at', sa.DateTime()))\n",
    )]);
    let vars = [("db", db.clone())];
    // An empty table of the right name, made by hand.
    psql(
        &db,
        "create table alembic_version (version_num text primary key)",
    );
    not_verified("databases/migrations", dir.path(), &vars);
    // Filled by hand with a revision no committed migration has.
    for made_up in ["head", "done", "2", "9999"] {
        psql(
            &db,
            &format!(
                "delete from alembic_version; insert into alembic_version values ('{made_up}')"
            ),
        );
        let outcome = not_verified("databases/migrations", dir.path(), &vars);
        assert!(failed_at(&outcome, 1), "{made_up}: {outcome:#?}");
    }
    psql(
        &db,
        "delete from alembic_version; insert into alembic_version values ('0001')",
    );
    verified("databases/migrations", dir.path(), &vars);
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn each_migration_tool_s_record_names_its_committed_file() {
    // What each tool writes in its table when it applies the migration file beside it.
    let tools: [(&str, &str, &str, &str); 6] = [
        (
            "django",
            "create table django_migrations (id serial primary key, app varchar(255), name varchar(255), applied timestamptz default now());
             insert into django_migrations (app, name) values ('contenttypes', '0001_initial'), ('blog', '0002_post_published_at')",
            "blog/migrations/0002_post_published_at.py",
            "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [migrations.AddField('post', 'published_at', models.DateTimeField(null=True))]\n",
        ),
        (
            "flyway",
            "create table flyway_schema_history (installed_rank int primary key, version varchar(50), description varchar(200), type varchar(20), script varchar(1000), checksum int, installed_by varchar(100), installed_on timestamp default now(), execution_time int, success boolean);
             insert into flyway_schema_history values (1, '1', 'posts', 'SQL', 'V1__posts.sql', 12345, 'me', default, 4, true)",
            "src/main/resources/db/migration/V1__posts.sql",
            "alter table posts add column published_at timestamptz;\n",
        ),
        (
            "prisma",
            "create table _prisma_migrations (id varchar(36) primary key, checksum varchar(64), finished_at timestamptz, migration_name varchar(255), applied_steps_count int);
             insert into _prisma_migrations values ('5c1d', 'abc', now(), '20240101120000_published_at', 1)",
            "prisma/migrations/20240101120000_published_at/migration.sql",
            "ALTER TABLE \"posts\" ADD COLUMN \"published_at\" TIMESTAMP(3);\n",
        ),
        (
            "knex",
            "create table knex_migrations (id serial primary key, name varchar(255), batch int, migration_time timestamptz default now());
             insert into knex_migrations (name, batch) values ('20240101120000_published_at.js', 1)",
            "migrations/20240101120000_published_at.js",
            "exports.up = (knex) => knex.schema.alterTable('posts', (t) => t.timestamp('published_at'));\n",
        ),
        (
            "typeorm",
            "create table migrations (id serial primary key, timestamp bigint not null, name varchar not null);
             insert into migrations (timestamp, name) values (1704110400000, 'PublishedAt1704110400000')",
            "src/migrations/1704110400000-PublishedAt.ts",
            "export class PublishedAt1704110400000 implements MigrationInterface {\n  async up(q) { await q.query('alter table posts add published_at timestamptz'); }\n}\n",
        ),
        (
            "drizzle",
            "create schema drizzle;
             create table drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint);
             insert into drizzle.__drizzle_migrations (hash, created_at) values ('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 1704110400000)",
            "drizzle/0000_published_at.sql",
            "ALTER TABLE \"posts\" ADD COLUMN \"published_at\" timestamp;\n",
        ),
    ];
    for (tool, record, path, migration) in tools {
        let db = database(&format!("migrations_{tool}"));
        createdb(&db);
        psql(&db, record);
        let mut files = vec![(path, migration)];
        let journal = "{\"entries\": [{\"idx\": 0, \"when\": 1704110400000, \"tag\": \"0000_published_at\"}]}\n";
        if tool == "drizzle" {
            files.push(("drizzle/meta/_journal.json", journal));
        }
        let dir = repo(&files);
        let vars = [("db", db.clone())];
        verified("databases/migrations", dir.path(), &vars);
        // The same record beside its file emptied of all but a comment.
        for placeholder in ["-- TODO\n\n", "TODO\n"] {
            let todo = repo(&[(path, placeholder)]);
            not_verified("databases/migrations", todo.path(), &vars);
        }
        // The same record beside a project whose migrations are other files.
        let other = repo(&[(
            "migrations/0007_something_else.sql",
            "alter table posts add column x int;\n",
        )]);
        not_verified("databases/migrations", other.path(), &vars);
    }
}

/// Ten questions answered on the sample database, with a change that must not stay.
fn honest_questions() -> String {
    let mut questions = String::new();
    for i in 1..=8 {
        questions.push_str(&format!(
            "-- Question {i}: films over {i}\nselect title from film where film_id > {i} limit 3;\n"
        ));
    }
    questions.push_str(
        "-- How many films per rating?\nselect rating, count(*) from film group by rating having count(*) > 1;\n",
    );
    questions.push_str("-- Films never rented\nselect f.title from film f left outer join rental r on r.film_id = f.film_id where r.rental_id is null limit 5;\n");
    questions.push_str(
        "-- A change that must not stay\ndelete from rental;\nselect count(*) from rental;\n",
    );
    questions
}

/// A sample database of this test's own: a film table of 1000 rows and 500 rentals.
fn sample_database(name: &str) -> String {
    let db = database(name);
    createdb(&db);
    psql(
        &db,
        "create table film (film_id serial primary key, title text, rating text);
         create table rental (rental_id serial primary key, film_id integer);
         insert into film (title, rating) select 'film ' || n, case when n % 2 = 0 then 'PG' else 'R' end from generate_series(1, 1000) n;
         insert into rental (film_id) select n from generate_series(1, 500) n;",
    );
    db
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn sql_answers_run_in_a_rolled_back_transaction_and_comments_do_not_count() {
    let db = sample_database("answers");
    let vars = [("sample_db", db.clone())];
    let honest = repo(&[("sql/pagila-questions.sql", &honest_questions())]);
    verified("databases/sql-basics", honest.path(), &vars);
    verified("databases/install-rdbms", honest.path(), &vars);
    // The delete ran inside the check's transaction, which was rolled back.
    assert_eq!(psql_answer(&db, "select count(*) from rental"), "500");
    let token = repo(&[(
        "sql/pagila-questions.sql",
        "-- TODO: left join, group by\n-- for beginners\nselect 1;\n",
    )]);
    not_verified("databases/sql-basics", token.path(), &vars);
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn a_table_of_a_thousand_numbers_is_not_the_sample_database() {
    let dir = repo(&[("README.md", "# blog\n")]);
    for (name, film) in [
        (
            "numbers",
            "create table film as select generate_series(1, 1000) as film_id",
        ),
        (
            "one_title",
            "create table film as select n as film_id, 'x' as title from generate_series(1, 1000) n",
        ),
    ] {
        let db = database(&format!("sample_{name}"));
        createdb(&db);
        psql(&db, film);
        not_verified("databases/install-rdbms", dir.path(), &[("sample_db", db)]);
    }
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn keywords_in_strings_and_psql_commands_are_not_sql() {
    let db = sample_database("keywords");
    let vars = [("sample_db", db.clone())];
    let ten = "select title from film limit 2;\n".repeat(10);
    for token in [
        format!("\\echo left join\n\\echo group by\n{ten}"),
        format!("select 'left join', 'group by';\n{ten}"),
        format!("select 1 as \"left join\", $$ group by $$;\n{ten}"),
        format!("/* left join\n group by */\n{ten}"),
    ] {
        let dir = repo(&[("sql/pagila-questions.sql", &token)]);
        let outcome = not_verified("databases/sql-basics", dir.path(), &vars);
        assert_eq!(outcome.result, CheckResult::Failed, "{outcome:#?}");
    }
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn a_file_that_would_end_the_transaction_or_run_psql_commands_is_not_run() {
    let db = sample_database("escape");
    let vars = [("sample_db", db.clone())];
    for (escape, why) in [
        ("commit;\ndelete from rental;\n", "COMMIT"),
        ("end;\ndelete from rental;\n", "END"),
        ("rollback;\ndelete from rental;\n", "ROLLBACK"),
        ("\\set AUTOCOMMIT on\ndelete from rental;\n", "\\set"),
        ("\\! touch pwned\n", "\\!"),
        ("\\copy rental to 'rental.csv'\n", "\\copy"),
        ("\\i other.sql\n", "\\i"),
        ("copy (select 1) to program 'touch pwned';\n", "COPY"),
    ] {
        let answers = format!("{}{escape}", honest_questions());
        let dir = repo(&[("sql/pagila-questions.sql", &answers)]);
        let outcome = not_verified("databases/sql-basics", dir.path(), &vars);
        assert!(
            failed_at(&outcome, 3) && said(&outcome).contains(why),
            "{why}: {outcome:#?}"
        );
        assert!(!dir.path().join("pwned").exists());
        assert!(!dir.path().join("rental.csv").exists());
        assert_eq!(
            psql_answer(&db, "select count(*) from rental"),
            "500",
            "{why}"
        );
    }
}

#[test]
fn answers_of_one_query_repeated_or_of_no_table_are_not_ten_answers() {
    // Keywords in one real query, then selects of no table: nothing here asks the sample data
    // a question, and pathway says so before running anything.
    let mut token = String::from("select 1 from film left join rental on false group by 1;\n");
    for n in 1..=10 {
        token.push_str(&format!("select {n};\n"));
    }
    token.push_str(&"select 1 from film;\n".repeat(10));
    let dir = repo(&[("sql/pagila-questions.sql", &token)]);
    let outcome = not_verified(
        "databases/sql-basics",
        dir.path(),
        &[("sample_db", "nowhere".into())],
    );
    assert!(
        said(&outcome).contains("2 different queries of a table"),
        "{outcome:#?}"
    );
    // Ten different queries of a function or of subqueries of nothing read no table either.
    let mut series =
        String::from("select 1 from (select 1) a left join (select 1) b on true group by 1;\n");
    for n in 1..=10 {
        series.push_str(&format!("select {n} from generate_series(1, {n});\n"));
    }
    let dir = repo(&[("sql/pagila-questions.sql", &series)]);
    let outcome = not_verified(
        "databases/sql-basics",
        dir.path(),
        &[("sample_db", "nowhere".into())],
    );
    assert!(
        said(&outcome).contains("0 different queries of a table"),
        "{outcome:#?}"
    );
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn answers_must_return_rows_and_run_without_an_error() {
    let db = sample_database("rows");
    let vars = [("sample_db", db.clone())];
    // The keywords are in real queries, but only two queries find anything.
    let mut few = String::from(
        "select f.title from film f left join rental r on r.film_id = f.film_id limit 1;\n\
         select rating, count(*) from film group by rating;\n",
    );
    for i in 1..=8 {
        few.push_str(&format!("select title from film where film_id < -{i};\n"));
    }
    let dir = repo(&[("sql/pagila-questions.sql", &few)]);
    let outcome = not_verified("databases/sql-basics", dir.path(), &vars);
    assert!(
        said(&outcome).contains("2 statements returned rows"),
        "{outcome:#?}"
    );
    // A query with an error fails, with psql's message.
    let broken = format!("{}select nope from film;\n", honest_questions());
    let dir = repo(&[("sql/pagila-questions.sql", &broken)]);
    let outcome = not_verified("databases/sql-basics", dir.path(), &vars);
    assert!(said(&outcome).contains("nope"), "{outcome:#?}");
}

#[test]
#[ignore = "needs PostgreSQL: .ci/run starts a throwaway cluster (initdb, pg_ctl) and sets PGHOST"]
fn the_test_author_password_must_be_stored_as_a_slow_hash() {
    let db = database("auth");
    createdb(&db);
    let dir = project();
    let vars = [
        ("port", serve_requests(honest_api).to_string()),
        ("db", db.clone()),
    ];
    psql(
        &db,
        "create table authors (id serial primary key, email text not null unique, password_hash text not null);
         insert into authors (email, password_hash) values ('someone@example.com', '$2b$12$C6UzMDM.H6dfI/f/IKcEeO');",
    );
    let store = |hash: &str| {
        psql(&db, "delete from authors where id > 1");
        psql(
            &db,
            &format!(
                "insert into authors (email, password_hash) values ('Learner@example.com', '{hash}')"
            ),
        );
    };
    // Argon2id from argon2-cffi or node's argon2, bcrypt from Spring's delegating encoder,
    // Werkzeug's scrypt, Django's PBKDF2.
    for honest in [
        "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
        "{bcrypt}$2a$10$dXJ3SW6G7P50lGmMkkmwe.20cQQubK3.HZWzG3YB1tlRy.fqvM/BG",
        "scrypt:32768:8:1$c2FsdHNhbHQ$0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "pbkdf2_sha256$600000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA==",
        // A salt and a scrypt or PBKDF2 hash from Node.js's crypto, Python's hashlib or Java's
        // javax.crypto, in hex or base64 with a format of the project's own.
        "9f2c1a7be04d83f6a1c2d3e4f5a6b7c8:3b1f0c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
        "c2FsdHNhbHRzYWx0c2FsdA==$ZGVyaXZlZGtleWRlcml2ZWRrZXlkZXJpdmVka2V5ZGVyaXZlZGtleQ==",
    ] {
        store(honest);
        verified("web-apis/auth", dir.path(), &vars);
    }
    // The password itself, a hash in name only with the password beside it, and a value too
    // short to be a hash: none is stored safely, and another author's hash does not count.
    for token in [
        PASSWORD.to_string(),
        format!("$argon2id$ {PASSWORD}"),
        "short-and-not-a-hash".to_string(),
        "a".repeat(48),
        "not a hash, but it mentions $2b$ anyway".to_string(),
        "pbkdf2".to_string(),
        "$2b$aaaaaaaaaa".to_string(),
        format!("bcrypt({PASSWORD})"),
    ] {
        store(&token);
        let outcome = not_verified("web-apis/auth", dir.path(), &vars);
        assert!(failed_at(&outcome, 5), "{token}: {outcome:#?}");
    }
    // The password's unsalted digests, however they are spelt, are one lookup from it.
    for digest in [
        "md5('{P}')",
        "encode(sha256('{P}'), 'hex')",
        "upper(encode(sha256('{P}'), 'hex'))",
        "'sha256:' || encode(sha256('{P}'), 'base64')",
        "encode(sha512('{P}'), 'hex')",
    ] {
        psql(&db, "delete from authors where id > 1");
        psql(
            &db,
            &format!(
                "insert into authors (email, password_hash) values ('learner@example.com', {})",
                digest.replace("{P}", PASSWORD)
            ),
        );
        let outcome = not_verified("web-apis/auth", dir.path(), &vars);
        assert!(failed_at(&outcome, 5), "{digest}: {outcome:#?}");
    }
    // The row found by user name, in a users table, as a Node.js or Java project might have it.
    psql(
        &db,
        "drop table authors;
         create table users (id bigserial primary key, username varchar(100) unique, pw varchar(200));
         insert into users (username, pw) values ('learner@example.com', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy');",
    );
    verified("web-apis/auth", dir.path(), &vars);
    // A salt and a hash kept as bytes (a Java byte[] in a bytea column).
    psql(
        &db,
        "alter table users add column hash bytea;
         update users set pw = null, hash = decode(md5('salt') || md5('hash') || md5('more'), 'hex');",
    );
    verified("web-apis/auth", dir.path(), &vars);
}
