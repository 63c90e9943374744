//! A learner's `.sql` file as PostgreSQL and psql read it, for the `sql` probe: the code with its
//! comments and literals taken out (so a keyword in `-- left join`, `select 'left join'` or
//! `"left join"` is not code), the psql commands in it, and whether anything in it would end the
//! transaction a check runs it in.
//!
//! Lexing follows PostgreSQL's rules: `--` to the end of the line and nested `/* */` comments;
//! `'…'` strings with `''` inside, `E'…'` strings with backslash escapes, `$tag$…$tag$` strings;
//! `"…"` names with `""` inside; and psql's: a backslash outside all of these starts a psql
//! command that runs to the end of the line.

use std::collections::BTreeSet;

/// What [`scan`] found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    /// The code: each comment becomes a space, each string `''` and each quoted name `""`; psql
    /// commands are left out. Every line break is kept, so a statement keeps its line.
    pub code: String,
    /// Each psql command (`\echo`, `\copy`, `\!`…): its line, from 1, and its name.
    pub commands: Vec<(usize, String)>,
    /// The line where a string, quoted name or comment opens that never closes.
    pub unterminated: Option<usize>,
    /// Where each semicolon of the code is in the file, counted in characters: the ends of its
    /// statements.
    pub ends: Vec<usize>,
}

/// Reads `sql` as PostgreSQL and psql would, keeping only its code (see [`Scan`]).
pub fn scan(sql: &str) -> Scan {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Scan {
        code: String::with_capacity(sql.len()),
        commands: Vec::new(),
        unterminated: None,
        ends: Vec::new(),
    };
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let after_word = i > 0 && is_word(chars[i - 1]);
        let start = line;
        let end = match c {
            '-' if next == Some('-') => {
                out.code.push(' ');
                Some(line_end(&chars, i))
            }
            '/' if next == Some('*') => {
                out.code.push(' ');
                block_comment(&chars, i)
            }
            '\'' => {
                // E'…' (or e'…') takes backslash escapes; a word ending in e before the quote
                // (`type'…'`) does not.
                let escapes =
                    i > 0 && matches!(chars[i - 1], 'e' | 'E') && !(i > 1 && is_word(chars[i - 2]));
                out.code.push_str("''");
                quoted(&chars, i, '\'', escapes)
            }
            '"' => {
                out.code.push_str("\"\"");
                quoted(&chars, i, '"', false)
            }
            '$' if !after_word && dollar_tag(&chars[i..]).is_some() => {
                let tag = dollar_tag(&chars[i..]).unwrap_or_default();
                out.code.push_str("''");
                find(&chars, i + tag.len(), &tag).map(|at| at + tag.len())
            }
            '\\' => {
                let name: String = chars[i..]
                    .iter()
                    .enumerate()
                    .take_while(|&(n, c)| n == 0 || !(c.is_whitespace() || *c == '\\'))
                    .map(|(_, c)| *c)
                    .take(20)
                    .collect();
                out.commands.push((line, name));
                Some(line_end(&chars, i))
            }
            _ => {
                if c == '\n' {
                    line += 1;
                } else if c == ';' {
                    out.ends.push(i);
                }
                out.code.push(c);
                i += 1;
                continue;
            }
        };
        let end = end.unwrap_or_else(|| {
            out.unterminated.get_or_insert(start);
            chars.len()
        });
        // The line breaks of what was left out, so later code keeps its line.
        for _ in chars[i..end].iter().filter(|&&c| c == '\n') {
            out.code.push('\n');
            line += 1;
        }
        i = end;
    }
    out
}

/// Where a statement of [`Scan::code`] starts: its line and its first two words, lowercase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub line: usize,
    pub words: Vec<String>,
}

/// The statements of `code` (split at every semicolon, so a statement never hides behind one),
/// empty ones left out.
pub fn statements(code: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut line = 1;
    for piece in code.split(';') {
        let leading = piece.len() - piece.trim_start().len();
        let words: Vec<String> = piece
            .split(|c: char| !is_word(c))
            .filter(|w| !w.is_empty())
            .take(2)
            .map(str::to_lowercase)
            .collect();
        if !words.is_empty() {
            out.push(Statement {
                line: line + piece[..leading].matches('\n').count(),
                words,
            });
        }
        line += piece.matches('\n').count();
    }
    out
}

/// How many different statements of `code` read a table, compared without case and spacing:
/// ten copies of one query, `SELECT 5`, or a query of `generate_series(…)` or of `(SELECT 1)`
/// alone answer no question of a sample database.
pub fn queries_reading_tables(code: &str) -> usize {
    let mut seen = std::collections::BTreeSet::new();
    for piece in code.split(';') {
        if reads_a_table(piece) {
            let words: Vec<String> = piece.split_whitespace().map(str::to_lowercase).collect();
            seen.insert(words.join(" "));
        }
    }
    seen.len()
}

/// Whether a statement's FROM or JOIN names a table: a name not followed by `(` (that is a
/// function, `generate_series(1, 10)`), not a subquery's `(`, and not the `FROM` inside a
/// function's parentheses (`extract(year from rental_date)`, `substring(x from 2)`). A quoted
/// name (`""` in the code) is a table too.
fn reads_a_table(statement: &str) -> bool {
    let mut tokens: Vec<String> = Vec::new();
    let chars: Vec<char> = statement.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_word(c) || c == '"' {
            let start = i;
            while i < chars.len() && (is_word(chars[i]) || chars[i] == '"' || chars[i] == '.') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect::<String>().to_lowercase());
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    // The statement's own named subqueries (`WITH t AS (…)`): a FROM of one reads a table only
    // through the FROM inside it.
    let ctes: BTreeSet<&str> = tokens
        .windows(3)
        .filter(|w| w[1] == "as" && w[2] == "(")
        .map(|w| w[0].as_str())
        .collect();
    // For each open parenthesis, whether it holds a query (its first word is SELECT or WITH).
    let mut parens: Vec<bool> = Vec::new();
    for (at, token) in tokens.iter().enumerate() {
        let next = |n: usize| tokens.get(at + n).map_or("", String::as_str);
        match token.as_str() {
            "(" => parens.push(matches!(next(1), "select" | "with")),
            ")" => {
                parens.pop();
            }
            "from" | "join" if parens.last().is_none_or(|&query| query) => {
                let mut n = 1;
                while matches!(next(n), "only" | "lateral") {
                    n += 1;
                }
                let name = next(n);
                let is_name = name.starts_with(|c: char| is_word(c) || c == '"');
                if is_name && next(n + 1) != "(" && !ctes.contains(name) {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Why `scan` cannot run inside a transaction that is rolled back afterwards, keeping nothing:
/// a psql command (it could write a file, run a program, read another file or change how psql
/// stops), a statement that ends or splits the transaction (its changes would stay), a COPY
/// (it reads and writes files and programs on the server), or a literal left open (it would
/// swallow the rollback). The first reason, with its line; `None` when it is safe.
pub fn unsafe_to_roll_back(scan: &Scan) -> Option<String> {
    if let Some((line, name)) = scan.commands.first() {
        return Some(format!(
            "line {line}: {name} is a psql command; a file run as a check holds SQL only"
        ));
    }
    if let Some(line) = scan.unterminated {
        return Some(format!(
            "line {line}: a string, quoted name or comment opens here and never closes"
        ));
    }
    let ends = [
        "begin",
        "start",
        "commit",
        "end",
        "rollback",
        "abort",
        "savepoint",
        "release",
    ];
    statements(&scan.code).into_iter().find_map(|s| {
        let first = s.words[0].as_str();
        let second = s.words.get(1).map_or("", String::as_str);
        let what = if ends.contains(&first) || (first == "prepare" && second == "transaction") {
            "controls the transaction: its changes would outlive the check"
        } else if first == "copy" {
            "reads or writes files on the server"
        } else {
            return None;
        };
        Some(format!("line {}: {} {what}", s.line, first.to_uppercase()))
    })
}

/// A file that is one transaction of its own (`BEGIN` or `START TRANSACTION` first, `COMMIT` or
/// `END` last), rewritten so that a check can run it and keep nothing: its `BEGIN` and `COMMIT`
/// taken out (the check's own transaction, rolled back, holds it) and each statement that reads
/// or changes rows given to `EXPLAIN`, which plans it on the database (every table and column it
/// names must be there) without running it, so a transfer's balances do not matter. Line
/// numbers are kept. `None` when the file is not one such transaction; a statement that
/// controls the transaction elsewhere in it stays, for [`unsafe_to_roll_back`] to refuse.
pub fn planned(source: &str, scan: &Scan) -> Option<String> {
    let chars: Vec<char> = source.chars().collect();
    let mut pieces: Vec<String> = Vec::new();
    let mut start = 0;
    for &end in scan.ends.iter().chain(std::iter::once(&chars.len())) {
        pieces.push(chars[start..end.min(chars.len())].iter().collect());
        start = end + 1;
    }
    // The code splits at the same semicolons as the file, so its pieces are the same statements
    // with comments and literals left out.
    let words: Vec<Vec<String>> = scan
        .code
        .split(';')
        .map(|piece| {
            piece
                .split(|c: char| !is_word(c))
                .filter(|w| !w.is_empty())
                .take(2)
                .map(str::to_lowercase)
                .collect()
        })
        .collect();
    if words.len() != pieces.len() {
        return None;
    }
    let used: Vec<usize> = (0..words.len()).filter(|&i| !words[i].is_empty()).collect();
    let (&first, &last) = (used.first()?, used.last()?);
    let opens = match words[first][0].as_str() {
        "begin" => true,
        "start" => words[first].get(1).is_some_and(|w| w == "transaction"),
        _ => false,
    };
    if first == last || !opens || !matches!(words[last][0].as_str(), "commit" | "end") {
        return None;
    }
    let only_lines = |piece: &str| "\n".repeat(piece.matches('\n').count());
    let rows = [
        "select", "insert", "update", "delete", "merge", "with", "values", "table",
    ];
    for i in used {
        if i == first || i == last {
            pieces[i] = only_lines(&pieces[i]);
        } else if rows.contains(&words[i][0].as_str()) {
            pieces[i] = format!("explain {}", pieces[i]);
        }
    }
    Some(pieces.join(";"))
}

/// Where the line holding `from` ends: at its line break, or at the end.
fn line_end(chars: &[char], from: usize) -> usize {
    chars[from..]
        .iter()
        .position(|&c| c == '\n')
        .map_or(chars.len(), |at| from + at)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// The end (past the closing `*/`) of the nested comment opening at `start`.
fn block_comment(chars: &[char], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => {
                depth += 1;
                i += 2;
            }
            ('*', '/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// The end (past the closing quote) of the literal opening with `quote` at `start`; a doubled
/// quote stands for itself, and with `escapes` a backslash takes the next character.
fn quoted(chars: &[char], start: usize, quote: char, escapes: bool) -> Option<usize> {
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '\\' if escapes => i += 2,
            c if c == quote && chars.get(i + 1) == Some(&quote) => i += 2,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// `$tag$` (or `$$`) at the start of `chars`: a dollar-quote's opening tag. `$1` is a parameter.
fn dollar_tag(chars: &[char]) -> Option<String> {
    let close = chars[1..].iter().position(|&c| c == '$')? + 1;
    let tag = &chars[1..close];
    let first_ok = tag.first().is_none_or(|c| c.is_alphabetic() || *c == '_');
    (first_ok && tag.iter().all(|c| c.is_alphanumeric() || *c == '_'))
        .then(|| chars[..=close].iter().collect())
}

/// Where `needle` next occurs in `chars` from `from`.
fn find(chars: &[char], from: usize, needle: &str) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..=chars.len().checked_sub(needle.len())?).find(|&at| chars[at..].starts_with(&needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_strings_and_quoted_names_are_not_code() {
        let s = scan(
            "-- left join\nselect 'left join', E'it\\'s a group by', $$ group by $$, \
             $x$ having $x$ as \"left join\" /* group /* by */ left */ from film;\n",
        );
        assert_eq!(s.code, " \nselect '', E'', '', '' as \"\"   from film;\n");
        assert!(s.commands.is_empty());
        assert_eq!(s.unterminated, None);
    }

    #[test]
    fn psql_commands_are_found_with_their_line_and_left_out_of_the_code() {
        let s = scan("select 1;\n\\echo left join\n  \\! rm -rf x\nselect '\\x';\n");
        assert_eq!(
            s.commands,
            vec![(2, "\\echo".to_string()), (3, "\\!".to_string())]
        );
        assert!(!s.code.contains("left join"));
        assert_eq!(s.code.matches('\n').count(), 4);
    }

    #[test]
    fn a_string_left_open_is_named_by_its_line() {
        assert_eq!(
            scan("select 1;\nselect 'oops;\nrollback;").unterminated,
            Some(2)
        );
        assert_eq!(scan("/* /* */").unterminated, Some(1));
        assert_eq!(scan("select $1, a$b$c from t").unterminated, None);
    }

    #[test]
    fn transaction_control_copy_and_commands_are_refused_with_their_line() {
        let refused = |sql: &str| unsafe_to_roll_back(&scan(sql));
        assert_eq!(refused("select 1;\nselect 2;"), None);
        assert_eq!(
            refused("select 1;\n\ndelete from rental;\nCOMMIT;"),
            Some(
                "line 4: COMMIT controls the transaction: its changes would outlive the check"
                    .into()
            )
        );
        for sql in [
            "end",
            "rollback; delete from t",
            "abort",
            "begin",
            "start transaction",
            "savepoint a",
            "release a",
            "prepare transaction 'x'",
        ] {
            assert!(refused(sql).is_some(), "{sql}");
        }
        assert!(refused("copy film to '/tmp/x'").unwrap().contains("COPY"));
        assert!(
            refused("\\set ON_ERROR_STOP off")
                .unwrap()
                .contains("\\set")
        );
        // Words inside literals, comments and other statements are not statements.
        assert_eq!(
            refused("select case when true then 'commit' end; -- commit\nprepare q as select 1"),
            None
        );
    }

    #[test]
    fn a_file_of_one_transaction_is_planned_not_run() {
        let source = "-- move 10\nBEGIN ISOLATION LEVEL SERIALIZABLE;\nupdate accounts set balance = balance - 10 where id = 1;\n\
                      select 'commit;';\nset local lock_timeout = '1s';\nCOMMIT;\n";
        let planned = planned(source, &scan(source)).expect("one transaction");
        assert_eq!(
            planned,
            "\n;explain \nupdate accounts set balance = balance - 10 where id = 1;explain \n\
             select 'commit;';\nset local lock_timeout = '1s';\n;\n"
        );
        assert_eq!(unsafe_to_roll_back(&scan(&planned)), None);
        assert_eq!(planned.matches('\n').count(), source.matches('\n').count());
        // Not one transaction: left as it is.
        for sql in [
            "update t set a = 1; commit;",
            "begin; update t set a = 1;",
            "start; commit",
            "commit",
            "select 1",
            "",
        ] {
            assert_eq!(planned_of(sql), None, "{sql}");
        }
        // A transaction ended halfway keeps its COMMIT, which is refused.
        let twice = planned_of("begin; update t set a = 1; commit; delete from t; commit;")
            .expect("begins and commits");
        assert!(unsafe_to_roll_back(&scan(&twice)).is_some(), "{twice}");
    }

    fn planned_of(sql: &str) -> Option<String> {
        planned(sql, &scan(sql))
    }

    #[test]
    fn a_table_is_read_by_from_or_join_not_by_a_function_or_a_subquery_of_nothing() {
        for (sql, reads) in [
            ("select title from film", true),
            ("select * from only film", true),
            (
                "select 1 from public.film f join rental r using (film_id)",
                true,
            ),
            ("select 1 from \"\" ", true),
            ("select 1 from (select title from film) t", true),
            ("select count(*) from generate_series(1, 10)", false),
            (
                "select 1 from (select 1) a left join (select 1) b on true group by 1",
                false,
            ),
            (
                "select extract(year from now()), substring('x' from 1)",
                false,
            ),
            ("select 1 where 1 in (select 2)", false),
            ("select 1 from lateral unnest(array[1])", false),
            ("select 5", false),
            (
                "with t as (select generate_series(1, 9) g) select g from t left join t u using (g)",
                false,
            ),
            ("with t as (select title from film) select * from t", true),
        ] {
            assert_eq!(super::reads_a_table(sql), reads, "{sql}");
        }
    }

    #[test]
    fn only_different_queries_of_tables_count() {
        let code = "select 5;\nselect 1 from film;\nSELECT  1\nFROM film;\nselect title from film where film_id = 1;\nupdate x set a = 1;";
        assert_eq!(super::queries_reading_tables(code), 2);
    }
}
