//! `http` probes: one GET or HEAD request, through ureq for `http://` and `https://` alike.
//!
//! The bounds: the probe's timeout for the whole exchange, no redirect followed (a 301 is the
//! answer), at most `READ_CAP` bytes of body, and everything shown escaped. The request runs on
//! a thread of its own so that a cancel is answered at once; that thread ends by the timeout.

use std::io::Read;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use super::run::{Context, Matcher, ProbeOutcome, READ_CAP, SLICE, cannot};
use super::show::last_lines;
use crate::core::probe::{self, Method};
use crate::core::text;

/// A server's answer: its status and up to `READ_CAP` bytes of body.
struct Answer {
    status: u16,
    body: Vec<u8>,
    /// The body went on past what was read.
    cut: bool,
    /// The body stopped coming before its end: a timeout or a closed connection mid-body.
    unfinished: Option<String>,
}

enum HttpError {
    Failed(String),
    Cannot(String),
    Cancelled,
}

pub(super) fn http_probe(
    url: &str,
    method: Method,
    status: Option<u16>,
    body: Option<Matcher>,
    timeout: Duration,
    ctx: &Context,
) -> ProbeOutcome {
    let wanted_status = status.map_or("2xx".to_string(), |s| s.to_string());
    let mut expected = format!(
        "{} {} answers with status {wanted_status}",
        method.as_str(),
        text::clean(url)
    );
    if let Some(body) = &body {
        expected.push_str(&format!(" and a body that {}", body.describe()));
    }
    let answer = match probe::http_url(url) {
        Err(why) => Err(HttpError::Cannot(format!("the URL {url} {why}"))),
        Ok(_) => request(url, method, timeout, ctx),
    };
    let answer = match answer {
        Ok(answer) => answer,
        Err(HttpError::Cancelled) => return ProbeOutcome::Cancelled,
        Err(HttpError::Cannot(why)) => return cannot(&why),
        Err(HttpError::Failed(got)) => {
            return ProbeOutcome::Failed {
                expected,
                got: text::clean(&got).into_owned(),
                hint: None,
            };
        }
    };
    if let Some(why) = &answer.unfinished {
        return ProbeOutcome::Failed {
            expected,
            got: format!("status {}, but {}", answer.status, text::clean(why)),
            hint: None,
        };
    }
    let status_ok = match status {
        Some(wanted) => answer.status == wanted,
        None => (200..300).contains(&answer.status),
    };
    let body_text = String::from_utf8_lossy(&answer.body);
    let body_ok = body.as_ref().is_none_or(|b| b.accepts(&body_text));
    if status_ok && body_ok {
        return ProbeOutcome::Passed {
            expected,
            got: format!("status {}", answer.status),
        };
    }
    let shown = if answer.body.is_empty() {
        ", no body".to_string()
    } else {
        let cut = if answer.cut {
            "\n… (only the first 1 MiB was read)"
        } else {
            ""
        };
        format!(", body:\n{}{cut}", last_lines(&answer.body, 0))
    };
    ProbeOutcome::Failed {
        expected,
        got: format!("status {}{shown}", answer.status),
        hint: None,
    }
}

/// The request on a thread of its own, waited for until the timeout (with a moment's grace, as
/// ureq keeps the time itself) or a cancel.
fn request(
    url: &str,
    method: Method,
    timeout: Duration,
    ctx: &Context,
) -> Result<Answer, HttpError> {
    let (tx, rx) = mpsc::channel();
    let url = url.to_string();
    thread::Builder::new()
        .name("pathway-check-http".into())
        .spawn(move || {
            let _ = tx.send(exchange(&url, method, timeout));
        })
        .map_err(|e| HttpError::Cannot(format!("cannot start the request: {e}")))?;
    let until = std::time::Instant::now() + timeout + Duration::from_secs(1);
    loop {
        if ctx.cancelled() {
            return Err(HttpError::Cancelled);
        }
        match rx.recv_timeout(SLICE) {
            Ok(answer) => return answer,
            Err(mpsc::RecvTimeoutError::Timeout) if std::time::Instant::now() < until => {}
            Err(_) => {
                return Err(HttpError::Failed(format!(
                    "no answer within {} s",
                    timeout.as_secs()
                )));
            }
        }
    }
}

fn exchange(url: &str, method: Method, timeout: Duration) -> Result<Answer, HttpError> {
    let secs = timeout.as_secs();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent("pathway-check")
        .build()
        .into();
    let uri = encode_brackets(url);
    let response = match method {
        Method::Get => agent.get(&uri).call(),
        Method::Head => agent.head(&uri).call(),
    }
    .map_err(|e| HttpError::Failed(why(&e, secs)))?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    let mut unfinished = None;
    if method != Method::Head {
        let reader = response.into_body().into_reader();
        // A body that breaks off (shorter than announced, say) is shown as it came; one that
        // is still coming at the timeout is reported as slow, not as "no answer".
        if let Err(e) = reader.take(READ_CAP as u64 + 1).read_to_end(&mut body)
            && is_timeout(&e)
        {
            unfinished = Some(format!(
                "the body was still coming after {secs} s (a slow or endless body)"
            ));
        }
    }
    let cut = body.len() > READ_CAP;
    body.truncate(READ_CAP);
    Ok(Answer {
        status,
        body,
        cut,
        unfinished,
    })
}

fn is_timeout(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::TimedOut
        || e.get_ref()
            .and_then(|inner| inner.downcast_ref::<ureq::Error>())
            .is_some_and(|inner| matches!(inner, ureq::Error::Timeout(_)))
}

/// `[` and `]` percent-encoded outside the host: a URL like `?page[size]=1` is common in APIs,
/// and the URI parser refuses the brackets raw.
fn encode_brackets(url: &str) -> String {
    let host_end = url
        .find("://")
        .map(|at| at + 3)
        .and_then(|from| url[from..].find('/').map(|to| from + to))
        .unwrap_or(url.len());
    let (head, tail) = url.split_at(host_end);
    format!("{head}{}", tail.replace('[', "%5B").replace(']', "%5D"))
}

/// A failed exchange in the learner's words.
fn why(e: &ureq::Error, secs: u64) -> String {
    match e {
        ureq::Error::Timeout(_) => format!("no answer within {secs} s"),
        ureq::Error::HostNotFound => "cannot find the host (is the name right?)".into(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused (is it running?)".into()
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
            format!("no answer within {secs} s")
        }
        // rustls reports a failed handshake as invalid data on the connection.
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::InvalidData => {
            tls_reason(&io.to_string())
        }
        ureq::Error::Io(io) => format!("the connection failed: {io}"),
        ureq::Error::ConnectionFailed => "cannot connect (is it running?)".into(),
        ureq::Error::Rustls(tls) => tls_reason(&tls.to_string()),
        ureq::Error::Tls(tls) => tls_reason(tls),
        other => other.to_string(),
    }
}

/// A TLS failure by its reason, with what usually causes it.
fn tls_reason(said: &str) -> String {
    let advice = if said.contains("UnknownIssuer") {
        ": the certificate is self-signed or from an unknown authority (use Let's Encrypt)"
    } else if said.contains("Expired") {
        ": the certificate has expired (is renewal running?)"
    } else if said.contains("NotValidForName") {
        ": the certificate is for another name"
    } else {
        ""
    };
    format!("the TLS handshake failed: {said}{advice}")
}
