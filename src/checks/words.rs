//! The word-count probe's input and its judge: words pathway makes up at every run, each
//! occurring a different number of times, so the answer cannot be known in advance, and an
//! output that names each word with its count, in any of the layouts beginners print
//! (`the: 4`, `the 4`, `4 the`, `the -> 4`, `{'the': 4, 'cat': 2}`).

use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};

/// How many different words the input has; word number `i` occurs `i + 1` times.
const WORDS: usize = 6;

/// A random number from the standard library's per-process random keys: enough to make an
/// input nobody can predict, without a random-number crate.
fn random() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.finish()
}

/// A made-up lowercase word of 4 to 7 letters from `seed`.
fn word(mut seed: u64) -> String {
    const CONSONANTS: &[u8] = b"bdfgklmnprstvz";
    const VOWELS: &[u8] = b"aeiou";
    let len = 4 + (seed % 4) as usize;
    seed /= 4;
    (0..len)
        .map(|i| {
            let pool = if i % 2 == 0 { CONSONANTS } else { VOWELS };
            let c = pool[(seed % pool.len() as u64) as usize];
            seed /= pool.len() as u64;
            char::from(c)
        })
        .collect()
}

/// The input and the count of each word in it.
pub(super) fn input() -> (String, BTreeMap<String, usize>) {
    input_from(random())
}

fn input_from(mut seed: u64) -> (String, BTreeMap<String, usize>) {
    let mut counts = BTreeMap::new();
    let mut next = || {
        // splitmix64: a few lines that spread one seed into many numbers.
        seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    while counts.len() < WORDS {
        let candidate = word(next());
        let n = counts.len() + 1;
        counts.entry(candidate).or_insert(n);
    }
    let mut words: Vec<&str> = counts
        .iter()
        .flat_map(|(w, n)| std::iter::repeat_n(w.as_str(), *n))
        .collect();
    for i in (1..words.len()).rev() {
        words.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    let mut text = String::new();
    for (i, w) in words.iter().enumerate() {
        text.push_str(w);
        text.push(if next() % 5 == 0 || i + 1 == words.len() {
            '\n'
        } else {
            ' '
        });
    }
    (text, counts)
}

/// The words of `output` without a count next to them, or the count given instead of the
/// right one; empty when every word is there with its count.
pub(super) fn wrong(output: &str, counts: &BTreeMap<String, usize>) -> Vec<String> {
    let mut said: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for line in output.lines() {
        let tokens: Vec<&str> = line
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        let number = |t: &str| t.parse::<usize>().ok();
        for (i, token) in tokens.iter().enumerate() {
            let key = token.to_lowercase();
            let Some((word, _)) = counts.get_key_value(key.as_str()) else {
                continue;
            };
            // The number after the word, or before it on a line of just the two (`4 the`).
            let after = tokens.get(i + 1).copied().and_then(number);
            let before = (tokens.len() == 2 && i == 1)
                .then(|| number(tokens[0]))
                .flatten();
            if let Some(n) = after.or(before) {
                said.entry(word.as_str()).or_default().push(n);
            }
        }
    }
    counts
        .iter()
        .filter_map(|(word, n)| match said.get(word.as_str()) {
            Some(given) if given.iter().all(|g| g == n) => None,
            Some(given) => Some(format!("{word} (occurs {n} times, printed {})", given[0])),
            None => Some(format!("{word} (occurs {n} times, no count printed)")),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(text: &str) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for w in text.split_whitespace() {
            *counts.entry(w).or_default() += 1;
        }
        counts.iter().map(|(w, n)| format!("{w}: {n}\n")).collect()
    }

    #[test]
    fn inputs_differ_and_hold_each_word_its_own_number_of_times() {
        let (a, counts) = input_from(1);
        let (b, _) = input_from(2);
        assert_ne!(a, b);
        assert_eq!(counts.len(), WORDS);
        for (word, n) in &counts {
            assert_eq!(a.split_whitespace().filter(|w| w == word).count(), *n);
        }
    }

    #[test]
    fn every_usual_layout_of_the_right_counts_is_accepted() {
        let (text, counts) = input_from(7);
        let plain = counted(&text);
        assert!(wrong(&plain, &counts).is_empty());
        let swapped: String = plain
            .lines()
            .map(|l| {
                let (w, n) = l.split_once(": ").unwrap_or_default();
                format!("{n} {w}\n")
            })
            .collect();
        assert!(wrong(&swapped, &counts).is_empty(), "{swapped}");
        let dict = format!(
            "Counter({{{}}})",
            counts
                .iter()
                .map(|(w, n)| format!("'{w}': {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert!(wrong(&dict, &counts).is_empty(), "{dict}");
    }

    #[test]
    fn a_wrong_or_missing_count_is_named() {
        let (text, counts) = input_from(9);
        let mut out = counted(&text);
        let (first, n) = counts
            .iter()
            .next()
            .map(|(w, n)| (w.clone(), *n))
            .unwrap_or_default();
        out = out.replace(&format!("{first}: {n}"), &format!("{first}: {}", n + 1));
        assert_eq!(wrong(&out, &counts).len(), 1);
        assert_eq!(wrong("the: 4\ncat: 2\n", &counts).len(), WORDS);
        assert_eq!(wrong("", &counts).len(), WORDS);
    }
}
