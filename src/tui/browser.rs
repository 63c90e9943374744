//! Opening a web address: `$BROWSER` first (as git and most command-line tools do), else the
//! system's opener. Never waits for the browser, so the TUI never blocks on it.

use std::process::{Command, Stdio};

/// The commands `$BROWSER` names for `url`, in order: entries are separated by `:`, each split
/// like shell words (no shell runs it); `%s` stands for the address, else it is appended.
pub fn browser_commands(browser: &str, url: &str) -> Vec<(String, Vec<String>)> {
    browser
        .split(':')
        .filter_map(|entry| {
            let mut words = shell_words::split(entry).ok()?;
            if words.is_empty() {
                return None;
            }
            if words.iter().any(|w| w.contains("%s")) {
                for w in &mut words {
                    *w = w.replace("%s", url);
                }
            } else {
                words.push(url.to_string());
            }
            let program = words.remove(0);
            Some((program, words))
        })
        .collect()
}

/// Opens `url` (already checked to be a web address), or says why it could not: the caller
/// shows the address whole, to be opened by hand.
pub fn open(url: &str, browser: Option<&str>) -> Result<(), String> {
    if let Some(browser) = browser.filter(|b| !b.trim().is_empty()) {
        for (program, args) in browser_commands(browser, url) {
            let spawned = Command::new(&program)
                .args(&args)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn();
            if let Ok(mut child) = spawned {
                // Reaped in the background, so no zombie is left behind.
                std::thread::spawn(move || child.wait());
                return Ok(());
            }
        }
        return Err("$BROWSER could not be started".to_string());
    }
    open::that_detached(url)
        .map_err(|_| "no browser found (set $BROWSER to choose one)".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_entries_are_tried_in_order_with_the_address() {
        let url = "https://example.com/a b";
        assert_eq!(
            browser_commands("firefox --new-tab:lynx '%s' -x", url),
            vec![
                (
                    "firefox".to_string(),
                    vec!["--new-tab".to_string(), url.to_string()]
                ),
                ("lynx".to_string(), vec![url.to_string(), "-x".to_string()]),
            ]
        );
        assert!(browser_commands(":: ", url).is_empty());
    }

    #[test]
    fn a_browser_that_cannot_start_says_so() {
        let err = open("https://example.com/docs", Some("/no/such/browser")).expect_err("fails");
        assert_eq!(err, "$BROWSER could not be started");
    }
}
