use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::{Duration, Instant};

use super::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

// http, against a server on 127.0.0.1 that answers each connection with the next canned
// answer and reports the request it read.

fn serve(answers: Vec<&'static str>) -> (u16, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for answer in answers {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut request = Vec::new();
            let mut byte = [0u8; 1];
            while !request.ends_with(b"\r\n\r\n") {
                match stream.read(&mut byte) {
                    Ok(1) => request.push(byte[0]),
                    _ => break,
                }
            }
            let _ = tx.send(String::from_utf8_lossy(&request).into_owned());
            if answer == "HANG" {
                thread::sleep(Duration::from_secs(4));
                continue;
            }
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (port, rx)
}

const OK_LENGTH: &str =
    "HTTP/1.1 200 OK\r\nContent-Length: 15\r\nContent-Type: text/plain\r\n\r\n{\"status\":\"ok\"}";
const OK_CHUNKED: &str = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
                          5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n";
const OK_TO_EOF: &str = "HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the end\nof the stream";
const CONTINUE_THEN_OK: &str =
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok";
const NOT_FOUND: &str =
    "HTTP/1.1 404 Not Found\r\nContent-Length: 24\r\n\r\n\u{1b}[2Jno such page\nsorry\n";
const REDIRECT: &str =
    "HTTP/1.1 301 Moved Permanently\r\nLocation: http://127.0.0.1:1/\r\nContent-Length: 0\r\n\r\n";

#[test]
fn http_reads_every_kind_of_body() {
    let dir = project();
    let (port, requests) = serve(vec![OK_LENGTH, OK_CHUNKED, OK_TO_EOF, CONTINUE_THEN_OK]);
    let mut c = ctx(dir.path());
    c.vars.insert("port".into(), port.to_string());
    let url = "http://127.0.0.1:{port}/health?full=1";
    passed(&run_probe(
        &http(url, Method::Get, Some(200), contains("\"ok\"")),
        &c,
    ));
    let request = requests.recv().expect("request");
    assert!(
        request.starts_with("GET /health?full=1 HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request
            .to_ascii_lowercase()
            .contains(&format!("\r\nhost: 127.0.0.1:{port}\r\n")),
        "{request}"
    );
    passed(&run_probe(
        &http(url, Method::Get, None, matches("^hello, world$")),
        &c,
    ));
    passed(&run_probe(
        &http(url, Method::Get, None, matches("(?m)^of the stream$")),
        &c,
    ));
    passed(&run_probe(
        &http(url, Method::Get, Some(201), contains("ok")),
        &c,
    ));
}

#[test]
fn http_fails_on_the_status_or_the_body_and_shows_both() {
    let dir = project();
    let (port, requests) = serve(vec![NOT_FOUND, REDIRECT, REDIRECT, OK_LENGTH, OK_LENGTH]);
    let c = ctx(dir.path());
    let url = format!("http://127.0.0.1:{port}/page");
    let got = failed(&run_probe(&http(&url, Method::Get, None, None), &c)).to_string();
    assert_eq!(got, "status 404, body:\n\\u{1b}[2Jno such page\nsorry");
    // A redirect is not followed: it is the status that came back.
    let got = failed(&run_probe(&http(&url, Method::Get, None, None), &c)).to_string();
    assert_eq!(got, "status 301, no body");
    passed(&run_probe(&http(&url, Method::Get, Some(301), None), &c));
    let outcome = run_probe(&http(&url, Method::Get, None, contains("healthy")), &c);
    let got = failed(&outcome).to_string();
    assert_eq!(got, "status 200, body:\n{\"status\":\"ok\"}");
    match outcome {
        ProbeOutcome::Failed { expected, .. } => assert_eq!(
            expected,
            format!("GET {url} answers with status 2xx and a body that contains \"healthy\"")
        ),
        other => panic!("{other:?}"),
    }
    failed(&run_probe(
        &http(&url, Method::Get, None, matches("^ok$")),
        &c,
    ));
    let seen: Vec<String> = requests.try_iter().collect();
    assert_eq!(seen.len(), 5);
}

#[test]
fn http_head_reads_no_body() {
    let dir = project();
    // Content-Length announces a body that a HEAD answer does not send.
    let (port, requests) = serve(vec!["HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"]);
    let start = Instant::now();
    // `localhost` may name ::1 first, where nothing listens: 127.0.0.1 is tried next.
    let url = format!("http://localhost:{port}/");
    passed(&run_probe(
        &http(&url, Method::Head, None, None),
        &ctx(dir.path()),
    ));
    assert!(start.elapsed() < Duration::from_secs(3));
    let request = requests.recv().expect("request");
    assert!(request.starts_with("HEAD / HTTP/1.1\r\n"), "{request}");
}

#[test]
fn http_to_nothing_is_refused_and_a_silent_server_times_out() {
    let dir = project();
    let c = ctx(dir.path());
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let got = failed(&run_probe(
        &http(
            &format!("http://127.0.0.1:{port}/"),
            Method::Get,
            None,
            None,
        ),
        &c,
    ))
    .to_string();
    assert_eq!(got, "connection refused (is it running?)");

    let (port, _requests) = serve(vec!["HANG"]);
    let mut p = http(
        &format!("http://127.0.0.1:{port}/"),
        Method::Get,
        None,
        None,
    );
    p.timeout = 1;
    let start = Instant::now();
    let got = failed(&run_probe(&p, &c)).to_string();
    assert_eq!(got, "no answer within 1 s");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn cancelling_stops_a_waiting_request() {
    let dir = project();
    let c = ctx(dir.path());
    let (port, _requests) = serve(vec!["HANG"]);
    let mut p = http(
        &format!("http://127.0.0.1:{port}/"),
        Method::Get,
        None,
        None,
    );
    p.timeout = 60;
    let cancel = Arc::clone(&c.cancel);
    let setter = thread::spawn(move || {
        thread::sleep(Duration::from_millis(300));
        cancel.store(true, Ordering::Relaxed);
    });
    let start = Instant::now();
    assert_eq!(run_probe(&p, &c), ProbeOutcome::Cancelled);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    setter.join().expect("setter");
}

#[test]
fn https_to_a_closed_port_is_refused_and_to_a_plain_server_names_the_tls_failure() {
    let dir = project();
    let c = ctx(dir.path());
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr").port()
    };
    let got = failed(&run_probe(
        &http(
            &format!("https://127.0.0.1:{port}/"),
            Method::Get,
            None,
            None,
        ),
        &c,
    ))
    .to_string();
    assert_eq!(got, "connection refused (is it running?)");
    // A server that speaks plain HTTP where TLS was asked for: the reason, not a last line.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let _ = stream.write_all(OK_LENGTH.as_bytes());
            thread::sleep(Duration::from_secs(2));
        }
    });
    let got = failed(&run_probe(
        &http(
            &format!("https://127.0.0.1:{port}/"),
            Method::Get,
            None,
            None,
        ),
        &c,
    ))
    .to_string();
    assert!(got.starts_with("the TLS handshake failed"), "{got}");
}

#[test]
fn braces_and_brackets_in_a_url_are_one_request_for_that_url() {
    let dir = project();
    let (port, requests) = serve(vec![OK_LENGTH, OK_LENGTH]);
    let c = ctx(dir.path());
    passed(&run_probe(
        &http(
            &format!("http://127.0.0.1:{port}/posts?page[size]=1"),
            Method::Get,
            None,
            None,
        ),
        &c,
    ));
    let request = requests.recv().expect("request");
    assert!(
        request.starts_with("GET /posts?page%5Bsize%5D=1 HTTP/1.1\r\n"),
        "{request}"
    );
    // `{a,b}` is not expanded into two requests (curl's globbing did that).
    passed(&run_probe(
        &http(
            &format!("http://127.0.0.1:{port}/x/{{{{a,b}}}}"),
            Method::Get,
            None,
            None,
        ),
        &c,
    ));
    let request = requests.recv().expect("request");
    assert!(
        request.starts_with("GET /x/%7Ba,b%7D HTTP/1.1")
            || request.starts_with("GET /x/{a,b} HTTP/1.1"),
        "{request}"
    );
    assert!(requests.try_recv().is_err(), "one request, not two");
}

#[test]
fn a_body_trickled_after_the_status_is_reported_as_slow() {
    let dir = project();
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut buf = [0u8; 1024];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nok");
            thread::sleep(Duration::from_secs(4));
        }
    });
    let mut p = http(
        &format!("http://127.0.0.1:{port}/"),
        Method::Get,
        None,
        None,
    );
    p.timeout = 1;
    let start = Instant::now();
    let got = failed(&run_probe(&p, &ctx(dir.path()))).to_string();
    assert!(got.starts_with("status 200, but the body"), "{got}");
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );
}
