use std::time::{Duration, Instant};

use super::*;

#[test]
fn file_passes_when_it_exists_and_holds_what_is_expected() {
    let dir = project();
    let c = ctx(dir.path());
    std::fs::write(
        dir.path().join("README.md"),
        "# Blog\n\n## Running\ncargo run\n",
    )
    .expect("write");
    std::fs::create_dir(dir.path().join(".git")).expect("mkdir");
    passed(&run_probe(&file("README.md", None), &c));
    passed(&run_probe(&file(".git", None), &c));
    passed(&run_probe(&file("README.md", contains("## Running")), &c));
    passed(&run_probe(&file("README.md", matches("^cargo run$")), &c));
    let absolute = dir.path().join("README.md").to_string_lossy().into_owned();
    passed(&run_probe(&file(&absolute, contains("Blog")), &c));
    passed(&run_probe(
        &file("{project}/README.md", contains("Blog")),
        &c,
    ));

    assert_eq!(
        failed(&run_probe(&file("NOTES.md", None), &c)),
        "no such file"
    );
    let got = failed(&run_probe(&file("README.md", contains("## Testing")), &c)).to_string();
    assert_eq!(
        got,
        "it does not; it begins:\n# Blog\n\n## Running\ncargo run"
    );
    failed(&run_probe(&file("README.md", matches("^Running")), &c));
    assert_eq!(
        failed(&run_probe(&file(".git", contains("x")), &c)),
        "it is a folder, not a file"
    );
    match run_probe(&file("README.md", contains("## Testing")), &c) {
        ProbeOutcome::Failed { expected, .. } => assert_eq!(
            expected,
            format!("the file {absolute} exists and contains \"## Testing\"")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn file_content_is_escaped_and_a_fifo_does_not_block() {
    let dir = project();
    let c = ctx(dir.path());
    std::fs::write(dir.path().join("evil"), "\u{1b}]0;title\u{7}\r\nline\n").expect("write");
    let got = failed(&run_probe(&file("evil", contains("nothing")), &c)).to_string();
    assert_eq!(got, "it does not; it begins:\n\\u{1b}]0;title\\u{7}\nline");
    let fifo = dir.path().join("fifo");
    let name = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
    // SAFETY: a valid C string; mkfifo only creates the file.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
    let start = Instant::now();
    assert_eq!(
        failed(&run_probe(&file("fifo", contains("x")), &c)),
        "it is not a regular file"
    );
    assert!(start.elapsed() < Duration::from_secs(2));
}
