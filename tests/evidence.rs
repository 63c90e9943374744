//! The shipped roadmap's checks on real work: fixture projects of honest minimal work in each
//! stack the article offers verify, and token work (empty files, stubs, keyword comments, empty
//! commits, a server that always refuses) never does.
//!
//! Tests that need a tool a fresh machine may lack (Node.js, a JDK, JUnit, pytest, PostgreSQL)
//! are ignored with the reason; `.ci/run` installs the tools and runs them all.

//!
//! The HTTP and PostgreSQL tests are in `tests/evidence_data.rs`; the helpers both use are in
//! `tests/common/evidence.rs`.

use std::process::Command;

use crate::common::evidence::{borrowed, check, git, not_verified, repo, verified, write};
use pathway::checks::{CheckOutcome, CheckResult};

// ---------------------------------------------------------------------------------------------
// Step 1 in Python

fn python_exercises() -> Vec<(String, String)> {
    (1..=10)
        .map(|i| {
            (
                format!("exercises/ex{i:02}.py"),
                format!(
                    "def square(n):\n    return n * n\n\nvalue = {i}\nfor k in range(value):\n    \
                     print(k, square(k))\nif value > 5:\n    print('big')\n"
                ),
            )
        })
        .collect()
}

const WORDCOUNT_PY: &str = "import sys\n\ncounts = {}\nfor word in sys.stdin.read().split():\n    \
                            counts[word] = counts.get(word, 0) + 1\nfor word, n in counts.items():\n    \
                            print(f'{word}: {n}')\n";

const TESTS_PY: &str = "import unittest\nfrom calc import add\n\n\nclass AddTest(unittest.TestCase):\n    \
                        def test_small(self):\n        self.assertEqual(add(1, 2), 3)\n\n    \
                        def test_zero(self):\n        self.assertEqual(add(0, 0), 0)\n\n    \
                        def test_negative(self):\n        self.assertEqual(add(-1, 1), 0)\n";

fn python_project() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("hello.py".into(), "print('Hello, world!')\n".into()),
        ("wordcount.py".into(), WORDCOUNT_PY.into()),
        ("requirements.txt".into(), "requests==2.32.3\n".into()),
        (".gitignore".into(), ".venv/\n.env\n__pycache__/\n".into()),
        (
            "calc.py".into(),
            "def add(a, b):\n    total = a + b\n    return total\n".into(),
        ),
        ("tests/test_calc.py".into(), TESTS_PY.into()),
    ];
    files.extend(python_exercises());
    let files = borrowed(&files);
    repo(&files)
}

#[test]
#[ignore = "needs python3: apt install python3"]
fn honest_python_work_verifies_every_step_one_task() {
    let dir = python_project();
    for key in [
        "programming/choose-language",
        "programming/save-work",
        "programming/syntax",
        "programming/data-structures",
        "programming/packages",
        "programming/errors-and-tests",
        "git/basics",
        "git/ignore-secrets",
    ] {
        verified(key, dir.path(), &[]);
    }
}

#[test]
fn ten_empty_exercises_copies_or_a_crash_do_not_verify_the_exercises() {
    let empty: Vec<(String, String)> = (1..=10)
        .map(|i| (format!("exercises/ex{i}.py"), String::new()))
        .collect();
    let files = borrowed(&empty);
    let dir = repo(&files);
    let outcome = not_verified("programming/syntax", dir.path(), &[]);
    assert!(
        format!("{outcome:?}").contains("empty or a stub"),
        "{outcome:?}"
    );

    // Ten copies of one program are one program.
    let copies: Vec<(String, String)> = (1..=10)
        .map(|i| {
            (
                format!("exercises/ex{i}.py"),
                python_exercises()[0].1.clone(),
            )
        })
        .collect();
    let files = borrowed(&copies);
    not_verified("programming/syntax", repo(&files).path(), &[]);

    // Keyword comments are not code.
    let comments: Vec<(String, String)> = (1..=10)
        .map(|i| {
            (
                format!("exercises/ex{i}.py"),
                format!(
                    "# exercise {i}: loops\n# TODO: variables, conditions\n# functions\n# {i}\n"
                ),
            )
        })
        .collect();
    let files = borrowed(&comments);
    not_verified("programming/syntax", repo(&files).path(), &[]);

    // Nor are keywords in a docstring, a template string or a block comment.
    let strings: Vec<(String, String)> = (1..=10)
        .map(|i| match i % 3 {
            0 => (
                format!("exercises/ex{i}.py"),
                format!("\"\"\"\nif exercise {i}\nfor nothing\ndone here\n\"\"\"\n"),
            ),
            1 => (
                format!("exercises/ex{i}.mjs"),
                format!("`\nif (exercise{i}) {{\n  for (;;) {{}}\n}}\n`;\n"),
            ),
            _ => (
                format!("exercises/ex{i}.js"),
                format!("/*\nfunction ex{i}() {{\n  if (x) {{ return 1; }}\n}}\n*/\n"),
            ),
        })
        .collect();
    let files = borrowed(&strings);
    let outcome = not_verified("programming/syntax", repo(&files).path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:#?}");

    // Nor lines that are strings: a tuple of them, an array of them.
    let quoted: Vec<(String, String)> = (1..=10)
        .map(|i| {
            if i % 2 == 0 {
                (
                    format!("exercises/ex{i}.py"),
                    format!(
                        "x = (\n    \"for i in range({i}):\"\n    \"if i:\"\n    \"print(i)\"\n)\n"
                    ),
                )
            } else {
                (
                    format!("exercises/ex{i}.js"),
                    format!(
                        "const x = [\n  \"if (x{i}) {{\",\n  \"for (;;) {{}}\",\n  \"}}\",\n];\n"
                    ),
                )
            }
        })
        .collect();
    let files = borrowed(&quoted);
    let outcome = not_verified("programming/syntax", repo(&files).path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:#?}");
}

#[test]
#[ignore = "needs python3: apt install python3"]
fn an_exercise_that_crashes_fails_the_exercises() {
    let mut files = python_exercises();
    files[3].1.push_str("raise SystemExit(squre(2))\n");
    let files = borrowed(&files);
    let dir = repo(&files);
    let outcome = check("programming/syntax", dir.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:#?}");
    assert!(
        format!("{outcome:?}").contains("ex04.py does not run"),
        "{outcome:?}"
    );
}

#[test]
fn token_step_one_work_does_not_verify() {
    // Empty requirements.txt, an empty test file, a stub hello, three commits of which two are
    // empty, and a .gitignore that ignores .envrc but not .env.
    let dir = repo(&[
        ("requirements.txt", ""),
        ("test_x.py", ""),
        ("hello.py", "# print('Hello, world')\n"),
        (".gitignore", ".envrc\n"),
    ]);
    git(
        dir.path(),
        &["commit", "-q", "--allow-empty", "-m", "exercise 2"],
    );
    git(
        dir.path(),
        &["commit", "-q", "--allow-empty", "-m", "exercise 3"],
    );
    for key in [
        "programming/choose-language",
        "programming/packages",
        "programming/errors-and-tests",
        "programming/syntax",
        "git/ignore-secrets",
        "git/basics",
    ] {
        not_verified(key, dir.path(), &[]);
    }
    // Three commits that change files are there, but the empty ones do not count toward ten.
    let outcome = not_verified("git/basics", dir.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed);
}

#[test]
#[ignore = "needs python3: apt install python3"]
fn a_word_count_that_prints_a_fixed_answer_does_not_verify() {
    let dir = repo(&[(
        "wordcount.py",
        "import sys\nsys.stdin.read()\nprint('the: 4')\nprint('cat: 2')\n",
    )]);
    not_verified("programming/data-structures", dir.path(), &[]);
}

#[test]
#[ignore = "needs pytest: pip install pytest"]
fn pytest_style_tests_verify_and_an_empty_test_file_does_not() {
    let dir = repo(&[
        (
            "calc.py",
            "def add(a, b):\n    total = a + b\n    return total\n",
        ),
        (
            "tests/test_calc.py",
            "from calc import add\n\ndef test_one():\n    assert add(1, 2) == 3\n\n\
             def test_two():\n    assert add(2, 2) == 4\n\ndef test_three():\n    assert add(0, 0) == 0\n",
        ),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\npythonpath = [\".\"]\n",
        ),
    ]);
    verified("programming/errors-and-tests", dir.path(), &[]);
    let token = repo(&[("test_x.py", ""), ("pyproject.toml", "")]);
    not_verified("programming/errors-and-tests", token.path(), &[]);
    // A failing test fails.
    let failing = repo(&[
        (
            "calc.py",
            "def add(a, b):\n    total = a - b\n    return total\n",
        ),
        (
            "tests/test_calc.py",
            "from calc import add\n\ndef test_one():\n    assert add(1, 2) == 3\n\ndef test_two():\n    assert add(2, 2) == 4\n\ndef test_three():\n    assert add(0, 0) == 0\n",
        ),
        (
            "pyproject.toml",
            "[tool.pytest.ini_options]\npythonpath = [\".\"]\n",
        ),
    ]);
    assert_eq!(
        check("programming/errors-and-tests", failing.path(), &[]).result,
        CheckResult::Failed
    );
}

// ---------------------------------------------------------------------------------------------
// Step 1 in Node.js, CommonJS and ES modules

fn node_project(test_script: bool) -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("hello.mjs".into(), "console.log('Hello, world!');\n".into()),
        (
            "word_count.js".into(),
            "const text = require('fs').readFileSync(0, 'utf8');\nconst counts = new Map();\n\
             for (const word of text.split(/\\s+/).filter(Boolean)) {\n  counts.set(word, (counts.get(word) || 0) + 1);\n}\n\
             for (const [word, n] of counts) console.log(`${word}: ${n}`);\n"
                .into(),
        ),
        ("calc.js".into(), "function add(a, b) {\n  const total = a + b;\n  return total;\n}\nmodule.exports = { add };\n".into()),
        (
            if test_script { "test/calc.test.js" } else { "__tests__/calc.spec.js" }.into(),
            "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('../calc');\n\
             test('adds', () => assert.strictEqual(add(1, 2), 3));\ntest('zero', () => assert.strictEqual(add(0, 0), 0));\n\
             test('negative', () => assert.strictEqual(add(-1, 1), 0));\n"
                .into(),
        ),
        (".gitignore".into(), "node_modules/\n.env\n".into()),
    ];
    let script = if test_script {
        ",\n  \"scripts\": { \"test\": \"node --test\" }"
    } else {
        ""
    };
    files.push((
        "package.json".into(),
        format!("{{\n  \"name\": \"blog\",\n  \"dependencies\": {{ \"express\": \"^5.1.0\" }}{script}\n}}\n"),
    ));
    for i in 1..=10 {
        let (ext, body) = if i % 2 == 0 {
            (
                "mjs",
                format!(
                    "export function double(n) {{\n  return n * 2;\n}}\nfor (let k = 0; k < {i}; k++) {{\n  console.log(k, double(k));\n}}\n"
                ),
            )
        } else {
            (
                "cjs",
                format!(
                    "function triple(n) {{\n  return n * 3;\n}}\nconst limit = {i};\nfor (let k = 0; k < limit; k++) {{\n  if (k % 2 === 0) console.log(triple(k));\n}}\n"
                ),
            )
        };
        files.push((format!("exercises/ex{i:02}.{ext}"), body));
    }
    let files = borrowed(&files);
    repo(&files)
}

#[test]
#[ignore = "needs Node.js: apt install nodejs"]
fn honest_node_work_verifies_step_one_with_commonjs_and_es_modules() {
    for script in [true, false] {
        let dir = node_project(script);
        for key in [
            "programming/choose-language",
            "programming/syntax",
            "programming/data-structures",
            "programming/packages",
            "programming/errors-and-tests",
        ] {
            verified(key, dir.path(), &[]);
        }
    }
}

#[test]
#[ignore = "needs Node.js: apt install nodejs"]
fn a_node_test_script_that_runs_no_test_does_not_verify() {
    let dir = repo(&[(
        "package.json",
        "{ \"name\": \"x\", \"scripts\": { \"test\": \"echo ok\" } }\n",
    )]);
    not_verified("programming/errors-and-tests", dir.path(), &[]);
}

// ---------------------------------------------------------------------------------------------
// Step 1 in Java

const CALC_TEST_JAVA: &str = "import static org.junit.jupiter.api.Assertions.assertEquals;\n\
import org.junit.jupiter.api.Test;\n\nclass CalcTest {\n    @Test\n    void adds() { assertEquals(3, Calc.add(1, 2)); }\n\
    @Test\n    void zero() { assertEquals(0, Calc.add(0, 0)); }\n    @Test\n    void negative() { assertEquals(0, Calc.add(-1, 1)); }\n}\n";

fn java_project() -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("Hello.java".into(), "public class Hello {\n    public static void main(String[] args) {\n        System.out.println(\"Hello, world!\");\n    }\n}\n".into()),
        (
            "WordCount.java".into(),
            "import java.util.*;\n\npublic class WordCount {\n    public static void main(String[] args) {\n        \
             Scanner in = new Scanner(System.in);\n        Map<String, Integer> counts = new LinkedHashMap<>();\n        \
             while (in.hasNext()) counts.merge(in.next(), 1, Integer::sum);\n        \
             counts.forEach((w, n) -> System.out.println(w + \": \" + n));\n    }\n}\n"
                .into(),
        ),
        ("src/main/java/Calc.java".into(), "public class Calc {\n    static int add(int a, int b) {\n        int total = a + b;\n        return total;\n    }\n}\n".into()),
        ("src/test/java/CalcTest.java".into(), CALC_TEST_JAVA.into()),
    ];
    for i in 1..=10 {
        files.push((
            format!("exercises/Ex{i:02}.java"),
            format!("public class Ex{i:02} {{\n    static int twice(int n) {{\n        return 2 * n;\n    }}\n    public static void main(String[] args) {{\n        for (int k = 0; k < {i}; k++) System.out.println(twice(k));\n    }}\n}}\n"),
        ));
    }
    let files = borrowed(&files);
    repo(&files)
}

#[test]
#[ignore = "needs a JDK and JUnit's console launcher: apt install default-jdk junit5"]
fn honest_java_work_verifies_step_one() {
    let dir = java_project();
    for key in [
        "programming/choose-language",
        "programming/syntax",
        "programming/data-structures",
        "programming/errors-and-tests",
    ] {
        verified(key, dir.path(), &[]);
    }
}

// ---------------------------------------------------------------------------------------------
// What counts as running the work, in every stack: the rules, on honest and token work

fn owned(files: &[(String, String)]) -> tempfile::TempDir {
    let files = borrowed(files);
    repo(&files)
}

#[test]
#[ignore = "needs pytest: pip install pytest"]
fn tests_that_cannot_fail_or_never_touch_the_learners_code_do_not_verify() {
    let calc = (
        "calc.py",
        "def add(a, b):\n    total = a + b\n    return total\n",
    );
    let config = (
        "pyproject.toml",
        "[tool.pytest.ini_options]\npythonpath = [\".\"]\n",
    );
    // Literal assertions: they pass whatever the code does.
    let literal = repo(&[
        calc,
        config,
        (
            "tests/test_calc.py",
            "import calc\n\ndef test_one():\n    assert True\n\ndef test_two():\n    assert 1 + 1 == 2\n\n\
             def test_three():\n    assert 'add'\n",
        ),
    ]);
    let outcome = not_verified("programming/errors-and-tests", literal.path(), &[]);
    assert!(
        format!("{outcome:?}").contains("cannot fail"),
        "{outcome:?}"
    );
    // Real-looking assertions about values the test made itself, never importing the code.
    let detached = repo(&[
        calc,
        config,
        (
            "tests/test_calc.py",
            "def test_one():\n    x = 3\n    assert x == 3\n\ndef test_two():\n    y = [1]\n    assert len(y) == 1\n\n\
             def test_three():\n    z = 'a'\n    assert z.upper() == 'A'\n",
        ),
    ]);
    not_verified("programming/errors-and-tests", detached.path(), &[]);
    // The keyword in a comment is not an assertion.
    let commented = repo(&[
        calc,
        config,
        (
            "tests/test_calc.py",
            "from calc import add\n\ndef test_one():\n    add(1, 2)  # assert add(1, 2) == 3\n\n\
             def test_two():\n    # assert add(2, 2) == 4\n    add(2, 2)\n\ndef test_three():\n    add(0, 0)\n",
        ),
    ]);
    not_verified("programming/errors-and-tests", commented.path(), &[]);
}

#[test]
fn an_npm_test_script_that_prints_a_summary_instead_of_running_tests_does_not_verify() {
    for script in [
        "echo '3 passing'",
        "echo 'Tests: 3 passed, 3 total'",
        "node --test; echo '# pass 3'",
        "mocha || true",
        "printf '# pass 5\\n'",
    ] {
        let dir = repo(&[
            (
                "calc.js",
                "function add(a, b) {\n  const total = a + b;\n  return total;\n}\nmodule.exports = { add };\n",
            ),
            (
                "test/calc.test.js",
                "const assert = require('node:assert');\nconst { add } = require('../calc');\n\
                 assert.strictEqual(add(1, 2), 3);\nassert.strictEqual(add(2, 2), 4);\nassert.strictEqual(add(0, 0), 0);\n",
            ),
            (
                "package.json",
                &format!("{{ \"name\": \"x\", \"scripts\": {{ \"test\": {script:?} }} }}\n"),
            ),
        ]);
        let outcome = not_verified("programming/errors-and-tests", dir.path(), &[]);
        assert_eq!(outcome.result, CheckResult::Failed, "{script}: {outcome:?}");
    }
}

#[test]
#[ignore = "needs python3: apt install python3"]
fn unittest_without_pytest_counts_passed_tests_not_skipped_ones() {
    // A virtual environment without pytest: pathway falls back to unittest, from a tests/
    // folder that is not a package.
    let make = |test: &str| {
        let dir = repo(&[
            (
                "calc.py",
                "def add(a, b):\n    total = a + b\n    return total\n",
            ),
            ("tests/test_calc.py", test),
        ]);
        let venv = Command::new("python3")
            .args(["-m", "venv", "--without-pip", ".venv"])
            .current_dir(dir.path())
            .status()
            .expect("python3 -m venv");
        assert!(venv.success());
        dir
    };
    let honest = make(&TESTS_PY.replace(
        "import unittest\n",
        "import sys, unittest\nsys.path.insert(0, '.')\n",
    ));
    verified("programming/errors-and-tests", honest.path(), &[]);
    let skipped = make(
        &TESTS_PY
            .replace(
                "import unittest\n",
                "import sys, unittest\nsys.path.insert(0, '.')\n",
            )
            .replace(
                "    def test_",
                "    @unittest.skip('later')\n    def test_",
            ),
    );
    let outcome = not_verified("programming/errors-and-tests", skipped.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:?}");
}

#[test]
#[ignore = "needs python3: apt install python3"]
fn a_word_count_is_judged_on_words_it_has_never_seen_in_any_honest_layout() {
    // Answers hard-coded for any fixed input a roadmap could hold fail.
    let cheat = repo(&[(
        "wordcount.py",
        "import sys\ntext = sys.stdin.read()\nif 'cat' in text:\n    print('the: 4')\nelse:\n    print('green: 1')\n",
    )]);
    let outcome = not_verified("programming/data-structures", cheat.path(), &[]);
    assert!(format!("{outcome:?}").contains("got wrong"), "{outcome:?}");
    // Honest programs print the counts in their own layout.
    for program in [
        WORDCOUNT_PY.to_string(),
        "import sys\nfrom collections import Counter\nprint(Counter(sys.stdin.read().split()))\n".into(),
        "import sys\ncounts = {}\nfor w in sys.stdin.read().split():\n    counts[w] = counts.get(w, 0) + 1\n\
         for w in sorted(counts, key=counts.get, reverse=True):\n    print(counts[w], w)\n"
            .into(),
    ] {
        let dir = repo(&[("wordcount.py", &program)]);
        verified("programming/data-structures", dir.path(), &[]);
    }
}

#[test]
#[ignore = "needs python3: apt install python3"]
fn exercises_are_programs_of_code_not_comments_or_punctuation_and_may_wait_for_input() {
    // The same program with new comments, or files of brackets, are not ten programs.
    let base = &python_exercises()[0].1;
    let recommented: Vec<(String, String)> = (1..=10)
        .map(|i| {
            (
                format!("exercises/ex{i}.py"),
                format!("# exercise {i}\n{base}# done {i}\n"),
            )
        })
        .collect();
    not_verified("programming/syntax", owned(&recommented).path(), &[]);
    let brackets: Vec<(String, String)> = (1..=10)
        .map(|i| {
            (
                format!("exercises/ex{i}.js"),
                format!("// {i}\n{{\n}}\n[\n];\n({i});\n"),
            )
        })
        .collect();
    not_verified("programming/syntax", owned(&brackets).path(), &[]);
    // A menu that loops until told to quit, and a program reading until its input ends.
    let mut files = python_exercises();
    files[0].1 = "while True:\n    choice = input('1) add 0) quit: ')\n    if choice in ('0', 'q'):\n        break\n    print('chose', choice)\n".into();
    files[1].1 =
        "total = 0\nwhile True:\n    total += int(input('number: '))\n    print('total', total)\n"
            .into();
    verified("programming/syntax", owned(&files).path(), &[]);
}

#[test]
fn exercises_in_a_language_pathway_does_not_run_cannot_be_checked_rather_than_fail() {
    let files: Vec<(String, String)> = (1..=10)
        .map(|i| {
            (
                format!("exercises/ex{i}/main.go"),
                format!(
                    "package main\n\nimport \"fmt\"\n\nfunc main() {{\n\tfmt.Println({i})\n}}\n"
                ),
            )
        })
        .collect();
    let outcome = check("programming/syntax", owned(&files).path(), &[]);
    assert_eq!(outcome.result, CheckResult::Cannot, "{outcome:?}");
}

#[test]
#[ignore = "needs a JDK and JUnit's console launcher: apt install default-jdk junit5"]
fn java_exercises_with_helper_classes_and_repeated_names_verify() {
    let dir = java_project();
    // Two exercises both called Main, in folders of their own, and a helper class with no main.
    write(
        dir.path(),
        "exercises/a/Main.java",
        "public class Main {\n    public static void main(String[] args) {\n        System.out.println(Shapes.area(2));\n    }\n}\n",
    );
    write(
        dir.path(),
        "exercises/a/Shapes.java",
        "class Shapes {\n    static int area(int side) {\n        return side * side;\n    }\n}\n",
    );
    write(
        dir.path(),
        "exercises/b/Main.java",
        "public class Main {\n    public static void main(String[] args) {\n        int total = 0;\n        for (int i = 0; i < 3; i++) total += i;\n        System.out.println(total);\n    }\n}\n",
    );
    verified("programming/errors-and-tests", dir.path(), &[]);
    // Two programs that each declare their own helper class Point, beside the tests.
    for (path, body) in [
        (
            "exercises/c/Distance.java",
            "System.out.println(new Point(3, 4).length());",
        ),
        (
            "exercises/d/Moves.java",
            "System.out.println(new Point(1, 2).x);",
        ),
    ] {
        let class = path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".java");
        write(
            dir.path(),
            path,
            &format!(
                "public class {class} {{\n    public static void main(String[] args) {{\n        {body}\n    }}\n}}\n\n\
                 class Point {{\n    final int x;\n    final int y;\n\n    Point(int x, int y) {{\n        this.x = x;\n        this.y = y;\n    }}\n\n    \
                 double length() {{\n        return Math.sqrt(x * x + y * y);\n    }}\n}}\n"
            ),
        );
    }
    verified("programming/errors-and-tests", dir.path(), &[]);
    // An empty @Test is not a test of anything.
    let empty = repo(&[
        (
            "Calc.java",
            "class Calc {\n    static int add(int a, int b) {\n        return a + b;\n    }\n}\n",
        ),
        (
            "CalcTest.java",
            "import org.junit.jupiter.api.Test;\nimport static org.junit.jupiter.api.Assertions.assertTrue;\n\n\
             class CalcTest {\n    @Test\n    void one() { }\n    @Test\n    void two() { assertTrue(true); }\n    \
             @Test\n    void three() { Calc.add(1, 2); }\n}\n",
        ),
    ]);
    not_verified("programming/errors-and-tests", empty.path(), &[]);
}

#[test]
#[ignore = "needs a JDK: apt install default-jdk-headless"]
fn java_programs_that_use_a_class_of_their_folder_run_on_any_jdk() {
    // On JDK 17 the launcher compiles one file; pathway compiles the folder together instead.
    let mut files: Vec<(String, String)> = (1..=9)
        .map(|i| {
            (
                format!("exercises/Ex{i}.java"),
                format!(
                    "public class Ex{i} {{\n    public static void main(String[] args) {{\n        \
                     int total = 0;\n        for (int n = 0; n < {i}; n++) {{\n            total += n;\n        }}\n        \
                     System.out.println(total);\n    }}\n}}\n"
                ),
            )
        })
        .collect();
    files.push((
        "exercises/Squares.java".into(),
        "public class Squares {\n    public static void main(String[] args) {\n        for (int n = 1; n < 4; n++) {\n            \
         System.out.println(MathUtil.square(n));\n        }\n    }\n}\n"
            .into(),
    ));
    files.push((
        "exercises/MathUtil.java".into(),
        "class MathUtil {\n    static int square(int n) {\n        return n * n;\n    }\n}\n"
            .into(),
    ));
    let files = borrowed(&files);
    let dir = repo(&files);
    verified("programming/syntax", dir.path(), &[]);
    // A program whose helper is missing still fails, with javac's reason.
    std::fs::remove_file(dir.path().join("exercises/MathUtil.java")).expect("rm");
    let outcome = not_verified("programming/syntax", dir.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:#?}");
}

// ---------------------------------------------------------------------------------------------
// Step 4 and 6: the pipeline's settings, read as code (comments left out)

/// Whether probe `n` of the check passed.
fn probe_passed(outcome: &CheckOutcome, n: usize) -> bool {
    matches!(
        outcome.probes.get(n),
        Some(pathway::checks::ProbeOutcome::Passed { .. })
    )
}

const DEPENDABOT: &str = "version: 2\nupdates:\n  - package-ecosystem: \"npm\"\n    directory: \"/\"\n    schedule:\n      interval: weekly\n\
  - package-ecosystem: \"github-actions\"\n    directory: \"/\"\n    schedule:\n      interval: weekly\n";
const PINNED_CI: &str = "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n\
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0\n\
      - uses: actions/setup-node@a0853c24544627f65ddf259abe73b1d18a591444 # v5.0.0\n\
      - run: npm ci\n      - run: npm test\n      - uses: ./.github/actions/local\n";

#[test]
fn supply_chain_settings_verify_and_comments_or_tags_do_not() {
    let honest = repo(&[
        (".github/dependabot.yml", DEPENDABOT),
        (".github/workflows/ci.yml", PINNED_CI),
        ("package-lock.json", "{}\n"),
    ]);
    verified("git/supply-chain", honest.path(), &[]);
    for (path, content) in [
        // Keywords in comments only.
        (
            ".github/dependabot.yml",
            "# package-ecosystem: github-actions\n# package-ecosystem: npm\nversion: 2\n",
        ),
        // A tag is not a commit.
        (
            ".github/workflows/ci.yml",
            &PINNED_CI.replace("@08c6903cd8c0fde910a37f88322edcfb5dd907a8", "@v5"),
        ),
        // npm install, with npm ci in a comment.
        (
            ".github/workflows/ci.yml",
            &PINNED_CI.replace("- run: npm ci", "# - run: npm ci\n      - run: npm install"),
        ),
        // npm ci as a step's name, an input and an environment value: none of them runs it.
        (
            ".github/workflows/ci.yml",
            &PINNED_CI.replace(
                "- run: npm ci",
                "- name: npm ci\n        env:\n          INSTALL: npm ci\n        with:\n          args: |\n            npm ci\n        run: npm test",
            ),
        ),
    ] {
        let token = repo(&[
            (".github/dependabot.yml", DEPENDABOT),
            (".github/workflows/ci.yml", PINNED_CI),
            ("package-lock.json", "{}\n"),
        ]);
        write(token.path(), path, content);
        let outcome = not_verified("git/supply-chain", token.path(), &[]);
        assert_eq!(outcome.result, CheckResult::Failed, "{path}: {outcome:?}");
    }
}

#[test]
fn a_run_block_or_a_gitlab_pipeline_installs_from_the_lockfile_too() {
    let block = PINNED_CI.replace(
        "- run: npm ci",
        "- name: Install\n        run: |\n          cd app\n          npm ci --no-audit",
    );
    let honest = repo(&[
        (".github/dependabot.yml", DEPENDABOT),
        (".github/workflows/ci.yml", &block),
        ("package-lock.json", "{}\n"),
    ]);
    verified("git/supply-chain", honest.path(), &[]);
    let digest = "a".repeat(64);
    let gitlab = format!(
        "include:\n  - component: gitlab.com/components/sast/sast@{}\ntest:\n  image: node:24@sha256:{digest}\n  script:\n  - npm ci\n  - npm test\n",
        "0".repeat(39) + "1"
    );
    let honest = repo(&[
        ("renovate.json", "{\"extends\": [\"config:recommended\"]}\n"),
        (".gitlab-ci.yml", &gitlab),
        ("package-lock.json", "{}\n"),
    ]);
    verified("git/supply-chain", honest.path(), &[]);
    // A tag is not a digest; a component at a version tag is not a commit.
    for (from, to) in [
        (format!("node:24@sha256:{digest}"), "node:24".to_string()),
        ("@00000".to_string(), "@1.0.0 # @00000".to_string()),
    ] {
        write(
            honest.path(),
            ".gitlab-ci.yml",
            &gitlab.replacen(&from, &to, 1),
        );
        let outcome = not_verified("git/supply-chain", honest.path(), &[]);
        assert!(
            probe_passed(&outcome, 0) && !probe_passed(&outcome, 1),
            "{to}: {outcome:#?}"
        );
    }
    // The long form of an image, and a service, each pinned: honest.
    let digest2 = "b".repeat(64);
    let long = gitlab.replace(
        &format!("  image: node:24@sha256:{digest}\n"),
        &format!("  image:\n    name: node:24@sha256:{digest}\n    entrypoint: [\"\"]\n  services:\n    - name: postgres:17@sha256:{digest2}\n      alias: db\n"),
    );
    write(honest.path(), ".gitlab-ci.yml", &long);
    verified("git/supply-chain", honest.path(), &[]);
    // The same with the service at a tag, or a remote include at a branch.
    for unpinned in [
        long.replace(&format!("postgres:17@sha256:{digest2}"), "postgres:latest"),
        format!("{long}include:\n  - remote: https://example.com/main/ci.yml\n"),
    ] {
        write(honest.path(), ".gitlab-ci.yml", &unpinned);
        let outcome = not_verified("git/supply-chain", honest.path(), &[]);
        assert!(!probe_passed(&outcome, 1), "{unpinned}: {outcome:#?}");
    }
    // npm ci only as words an echo prints installs nothing.
    write(
        honest.path(),
        ".gitlab-ci.yml",
        &gitlab.replace("  - npm ci\n", "  - echo npm ci\n"),
    );
    let outcome = not_verified("git/supply-chain", honest.path(), &[]);
    assert!(
        probe_passed(&outcome, 1) && !probe_passed(&outcome, 2),
        "{outcome:#?}"
    );
    // npm install in GitLab's script: list is not npm ci.
    write(
        honest.path(),
        ".gitlab-ci.yml",
        &gitlab.replace("  - npm ci\n", "  - npm install\n"),
    );
    not_verified("git/supply-chain", honest.path(), &[]);
}

#[test]
fn a_runbook_and_a_sha_tag_pass_their_probes_and_keywords_do_not() {
    let honest = repo(&[
        (
            "docs/runbook.md",
            "# Runbook\n\n## Deploy\n\n./deploy.sh SHA\n\n## Roll back\n\n./deploy.sh PREVIOUS_SHA\n\n## Health\n\ncurl -fsS https://example.com/health\n",
        ),
        (
            ".github/workflows/cd.yml",
            "jobs:\n  push:\n    steps:\n      - run: docker build -t ghcr.io/me/blog:${{ github.sha }} .\n",
        ),
    ]);
    let outcome = check("cloud/release", honest.path(), &[]);
    assert!(
        probe_passed(&outcome, 0) && probe_passed(&outcome, 1),
        "{outcome:#?}"
    );
    assert_ne!(
        outcome.result,
        CheckResult::Passed,
        "the registry was never asked"
    );
    let token = repo(&[
        ("docs/runbook.md", "deploy, roll back, health: TODO\n"),
        (
            ".github/workflows/cd.yml",
            "# tag with github.sha\njobs: {}\n",
        ),
    ]);
    let outcome = not_verified("cloud/release", token.path(), &[]);
    assert!(
        !probe_passed(&outcome, 0) && !probe_passed(&outcome, 1),
        "{outcome:#?}"
    );
}

#[test]
fn an_infrastructure_workflow_is_read_without_its_comments() {
    let workflow = "name: infra\non:\n  pull_request:\n    paths: [infra/**]\n  push:\n    branches: [main]\n\
permissions:\n  id-token: write\n  contents: read\njobs:\n  plan:\n    steps:\n\
      - uses: hashicorp/setup-terraform@b9cd54a3c349d3f38e8881555d616ced269862dd # v3.1.2\n\
      - run: terraform -chdir=infra fmt -check\n      - run: terraform -chdir=infra validate\n\
      - run: terraform -chdir=infra plan -out plan.tfplan\n      - run: terraform -chdir=infra apply plan.tfplan\n";
    let honest = repo(&[(".github/workflows/infra.yml", workflow)]);
    let outcome = check("cloud/iac-ci", honest.path(), &[]);
    assert!(probe_passed(&outcome, 0), "{outcome:#?}");
    let block = workflow.replace(
        "      - run: terraform -chdir=infra apply plan.tfplan\n",
        "      - name: Apply\n        run: |\n          cd infra\n          terraform apply plan.tfplan\n",
    );
    let dir = repo(&[(".github/workflows/infra.yml", &block)]);
    let outcome = check("cloud/iac-ci", dir.path(), &[]);
    assert!(probe_passed(&outcome, 0), "{outcome:#?}");
    for token in [
        workflow.replace("  id-token: write\n", "  # id-token: write\n"),
        workflow.replace(
            "      - run: terraform -chdir=infra validate\n",
            "      # terraform validate\n",
        ),
        format!("{workflow}    env:\n      AWS_SECRET_ACCESS_KEY: ${{{{ secrets.KEY }}}}\n"),
        // A step named for the command runs nothing.
        workflow.replace(
            "      - run: terraform -chdir=infra apply plan.tfplan\n",
            "      - name: terraform apply\n        run: echo done\n",
        ),
    ] {
        let dir = repo(&[(".github/workflows/infra.yml", &token)]);
        let outcome = not_verified("cloud/iac-ci", dir.path(), &[]);
        assert!(!probe_passed(&outcome, 0), "{token}\n{outcome:#?}");
    }
}

#[test]
fn a_linter_needs_its_settings_committed_and_something_to_check() {
    let nothing = repo(&[("README.md", "# blog\n")]);
    let outcome = not_verified("programming/lint-format", nothing.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:?}");
    let unset = repo(&[("app.py", "def add(a, b):\n    return a + b\n")]);
    let outcome = not_verified("programming/lint-format", unset.path(), &[]);
    assert!(
        format!("{outcome:?}").contains("no ruff settings"),
        "{outcome:?}"
    );
}

#[test]
#[ignore = "needs ruff: pip install ruff"]
fn ruff_on_clean_code_verifies_and_on_an_excluded_or_messy_project_does_not() {
    let clean = "def add(a, b):\n    return a + b\n";
    let honest = repo(&[
        ("app.py", clean),
        ("pyproject.toml", "[tool.ruff]\nline-length = 100\n"),
    ]);
    verified("programming/lint-format", honest.path(), &[]);
    let excluded = repo(&[
        ("app.py", clean),
        ("pyproject.toml", "[tool.ruff]\nexclude = [\"*\"]\n"),
    ]);
    let outcome = not_verified("programming/lint-format", excluded.path(), &[]);
    assert!(
        format!("{outcome:?}").contains("checks no file"),
        "{outcome:?}"
    );
    // Settings that select no rule and format nothing.
    let disabled = repo(&[
        ("app.py", "x=( 1 ,2)\ndef f( a ):\n  return a\n"),
        (
            "pyproject.toml",
            "[tool.ruff.lint]\nselect = []\n[tool.ruff.format]\nexclude = [\"*.py\"]\n",
        ),
    ]);
    not_verified("programming/lint-format", disabled.path(), &[]);
    // A script of the project's where the virtual environment's ruff would be.
    let fake = repo(&[("app.py", "x=( 1 ,2)\n"), ("ruff.toml", "")]);
    write(fake.path(), ".venv/bin/ruff", "#!/bin/sh\necho app.py\n");
    write(fake.path(), ".venv/pyvenv.cfg", "home = /usr/bin\n");
    not_verified("programming/lint-format", fake.path(), &[]);
    let messy = repo(&[
        ("app.py", "import os\ndef add(a,b):\n  return a+b\n"),
        ("pyproject.toml", "[tool.ruff]\n"),
    ]);
    not_verified("programming/lint-format", messy.path(), &[]);
    // Every rule ignored for every file, on code that ruff format has already tidied.
    let ignored = repo(&[
        ("app.py", "import os\nimport sys\n"),
        (
            "pyproject.toml",
            "[tool.ruff.lint]\nper-file-ignores = {\"*\" = [\"ALL\"]}\n",
        ),
    ]);
    let outcome = not_verified("programming/lint-format", ignored.path(), &[]);
    assert!(
        format!("{outcome:?}").contains("reports nothing on known mistakes"),
        "{outcome:#?}"
    );
    // Every rule ignored for every file but one tidy one.
    let all_but_one = repo(&[
        ("a.py", "x = 1\n"),
        ("b.py", "import os\nimport sys\n"),
        (
            "pyproject.toml",
            "[tool.ruff.lint]\nper-file-ignores = {\"!a.py\" = [\"ALL\"]}\n",
        ),
    ]);
    let outcome = not_verified("programming/lint-format", all_but_one.path(), &[]);
    assert!(
        format!("{outcome:?}").contains("reports nothing on known mistakes"),
        "{outcome:#?}"
    );
}

#[test]
fn an_orm_with_eager_loading_in_code_verifies_and_in_a_comment_does_not() {
    let honest = repo(&[(
        "app/posts.py",
        "from sqlalchemy import select\nfrom sqlalchemy.orm import selectinload\n\n\
         def posts(session):\n    return session.scalars(select(Post).options(selectinload(Post.author))).all()\n",
    )]);
    verified("databases/orm", honest.path(), &[]);
    let token = repo(&[(
        "app/posts.py",
        "from sqlalchemy import select\n\n# TODO: selectinload\ndef posts(session):\n    return session.scalars(select(Post)).all()\n",
    )]);
    not_verified("databases/orm", token.path(), &[]);
    let named = repo(&[(
        "app/posts.py",
        "from sqlalchemy import select\n\nq = \"selectinload\"\ndef posts(session):\n    return session.scalars(select(Post)).all()\n",
    )]);
    not_verified("databases/orm", named.path(), &[]);
    // A word that holds "eager" is not eager loading; JPA's and TypeORM's settings are.
    let word = repo(&[("app/models.py", "import sqlalchemy\n\nno_eager = True\n")]);
    not_verified("databases/orm", word.path(), &[]);
    let jpa = repo(&[(
        "src/main/java/blog/Post.java",
        "package blog;\n\nimport jakarta.persistence.*;\n\n@Entity\npublic class Post {\n  @ManyToOne(fetch = FetchType.EAGER)\n  Author author;\n}\n",
    )]);
    verified("databases/orm", jpa.path(), &[]);
    let join_fetch = repo(&[(
        "src/main/java/blog/PostRepository.java",
        "package blog;\n\nimport org.springframework.data.jpa.repository.JpaRepository;\nimport org.springframework.data.jpa.repository.Query;\n\n\
         interface PostRepository extends JpaRepository<Post, Long> {\n  @Query(\"select p from Post p join fetch p.author\")\n  java.util.List<Post> withAuthors();\n}\n",
    )]);
    verified("databases/orm", join_fetch.path(), &[]);
    // The loader's name in a string or a trailing comment loads nothing.
    for line in [
        "NOTE = \"selectinload(Post.author)\"",
        "x = 1  # joinedload(Post.author)",
    ] {
        let dir = repo(&[(
            "app/posts.py",
            &format!("from sqlalchemy import select\n\n{line}\n"),
        )]);
        not_verified("databases/orm", dir.path(), &[]);
    }
}

#[test]
#[ignore = "needs pytest: pip install pytest"]
fn a_project_file_in_place_of_python_or_a_reporting_hook_does_not_verify_wrong_code() {
    let calc = (
        "calc.py",
        "def add(a, b):\n    total = a - b\n    return total\n",
    );
    let tests = (
        "test_calc.py",
        "from calc import add\n\ndef test_one():\n    assert add(1, 2) == 3\n\ndef test_two():\n    \
         assert add(2, 2) == 4\n\ndef test_three():\n    assert add(0, 0) == 0\n",
    );
    // A script where the virtual environment's Python would be.
    let fake = repo(&[calc, tests]);
    write(
        fake.path(),
        ".venv/bin/python",
        "#!/bin/sh\necho '=== 3 passed in 0.01s ==='\n",
    );
    write(fake.path(), ".venv/pyvenv.cfg", "home = /usr/bin\n");
    let status = Command::new("chmod")
        .args(["+x", ".venv/bin/python"])
        .current_dir(fake.path())
        .status()
        .expect("chmod");
    assert!(status.success());
    let outcome = not_verified("programming/errors-and-tests", fake.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:?}");
    // A hook that reports every test as passed.
    let hooked = repo(&[
        calc,
        tests,
        (
            "conftest.py",
            "import pytest\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n    \
             o = yield\n    o.get_result().outcome = 'passed'\n",
        ),
    ]);
    let outcome = not_verified("programming/errors-and-tests", hooked.path(), &[]);
    assert!(
        format!("{outcome:?}").contains("conftest.py"),
        "{outcome:?}"
    );
}

#[test]
#[ignore = "needs pytest: pip install pytest"]
fn a_parametrized_test_or_a_shared_helper_verifies_and_values_the_test_made_do_not() {
    let calc = (
        "calc.py",
        "def add(a, b):\n    total = a + b\n    return total\n",
    );
    let config = (
        "pyproject.toml",
        "[tool.pytest.ini_options]\npythonpath = [\".\"]\n",
    );
    let parametrized = repo(&[
        calc,
        config,
        (
            "tests/test_calc.py",
            "import pytest\nfrom calc import add\n\n@pytest.mark.parametrize('a, b, want', [(1, 2, 3), (0, 0, 0), (-1, 1, 0)])\n\
             def test_add(a, b, want):\n    got = add(a, b)\n    assert got == want\n",
        ),
    ]);
    verified("programming/errors-and-tests", parametrized.path(), &[]);
    let own_values = repo(&[
        calc,
        config,
        (
            "tests/test_calc.py",
            "import calc\n\ndef test_one():\n    x = 1\n    assert x == 1\n\ndef test_two():\n    \
             assert len('ab') == 2\n\ndef test_three():\n    assert abs(-1) == 1\n",
        ),
    ]);
    not_verified("programming/errors-and-tests", own_values.path(), &[]);
}

#[test]
fn an_npm_runner_that_is_not_installed_cannot_be_checked_and_a_fake_one_fails() {
    let files = [
        (
            "calc.js",
            "function add(a, b) {\n  const total = a + b;\n  return total;\n}\nmodule.exports = { add };\n",
        ),
        (
            "__tests__/calc.test.js",
            "const { add } = require('../calc');\ntest('adds', () => expect(add(1, 2)).toBe(3));\n",
        ),
        (
            "package.json",
            "{ \"name\": \"x\", \"scripts\": { \"test\": \"jest\" } }\n",
        ),
    ];
    let missing = repo(&files);
    let outcome = check("programming/errors-and-tests", missing.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Cannot, "{outcome:?}");
    let fake = repo(&files);
    write(
        fake.path(),
        "node_modules/.bin/jest",
        "#!/bin/sh\necho 'Tests:       3 passed, 3 total'\n",
    );
    let outcome = not_verified("programming/errors-and-tests", fake.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:?}");
}

#[test]
#[ignore = "needs python3: apt install python3"]
fn exercises_need_a_condition_a_loop_or_a_function_and_trailing_comments_do_not_differ() {
    let assignments: Vec<(String, String)> = (1..=10)
        .map(|i| {
            (
                format!("exercises/ex{i}.py"),
                format!("a = {i}\nb = {i}\nc = {i}\n"),
            )
        })
        .collect();
    not_verified("programming/syntax", owned(&assignments).path(), &[]);
    let exits: Vec<(String, String)> = (1..=10)
        .map(|i| {
            (
                format!("exercises/ex{i}.py"),
                format!("import sys\nimport os\nsys.exit(0)  # {i}\n"),
            )
        })
        .collect();
    not_verified("programming/syntax", owned(&exits).path(), &[]);
}

// ---------------------------------------------------------------------------------------------
// Git history: merges, reverts and remotes of real work

#[test]
fn a_merge_and_a_revert_of_real_changes_verify_and_empty_ones_do_not() {
    let honest = repo(&[("app.py", "print('v1')\n")]);
    let dir = honest.path();
    git(dir, &["switch", "-q", "-c", "feature"]);
    write(dir, "app.py", "print('v2')\n");
    git(dir, &["commit", "-q", "-am", "v2"]);
    git(dir, &["switch", "-q", "main"]);
    git(
        dir,
        &["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"],
    );
    write(dir, "notes.txt", "a line\n");
    git(dir, &["add", "notes.txt"]);
    git(dir, &["commit", "-q", "-m", "notes"]);
    git(dir, &["revert", "--no-edit", "HEAD"]);
    verified("git/branching", dir, &[]);
    verified("git/undo", dir, &[]);

    let token = repo(&[("app.py", "print('v1')\n")]);
    let dir = token.path();
    git(dir, &["switch", "-q", "-c", "feature"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", "nothing"]);
    git(dir, &["switch", "-q", "main"]);
    git(
        dir,
        &["merge", "-q", "--no-ff", "-m", "Merge feature", "feature"],
    );
    git(
        dir,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "Revert \"nothing\"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.",
        ],
    );
    not_verified("git/branching", dir, &[]);
    not_verified("git/undo", dir, &[]);
}

#[test]
fn a_folder_on_this_machine_is_not_a_remote() {
    let bare = tempfile::tempdir().expect("tempdir");
    git(bare.path(), &["init", "-q", "--bare"]);
    let dir = repo(&[("app.py", "print('hi')\n")]);
    let url = bare.path().to_string_lossy().into_owned();
    git(dir.path(), &["remote", "add", "origin", &url]);
    git(dir.path(), &["push", "-q", "-u", "origin", "main"]);
    let outcome = not_verified("git/remote", dir.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Failed, "{outcome:?}");
}

#[test]
fn a_placeholder_in_the_manifest_is_not_a_dependency() {
    for (path, manifest) in [
        ("requirements.txt", "TODO\n"),
        ("requirements.txt", "# requests\n-r other.txt\n"),
        ("package.json", "{\"dependencies\": {\"\": \"\"}}\n"),
        (
            "pyproject.toml",
            "[project]\nname = \"blog\"\ndependencies = [\n  \"TODO\",\n]\n",
        ),
    ] {
        let dir = repo(&[(path, manifest), ("app.py", "print(1)\n")]);
        let outcome = not_verified("programming/packages", dir.path(), &[]);
        assert!(said_failed_at(&outcome, 1), "{manifest}: {outcome:#?}");
    }
    for (path, manifest) in [
        ("requirements.txt", "requests>=2.31\n"),
        (
            "requirements.txt",
            "argon2-cffi[dev]==23.1.0 ; python_version >= \"3.9\"\n",
        ),
        ("requirements.txt", "todo-txt\n"),
        (
            "package.json",
            "{\"dependencies\": {\"@prisma/client\": \"^6.0.0\"}}\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"blog\"\ndependencies = [\n  \"fastapi>=0.115\",\n]\n",
        ),
    ] {
        let dir = repo(&[(path, manifest), ("app.py", "print(1)\n")]);
        verified("programming/packages", dir.path(), &[]);
    }
}

/// Whether the check failed at probe `n` (from 0) after the ones before it ran.
fn said_failed_at(outcome: &CheckOutcome, n: usize) -> bool {
    outcome.probes.len() == n + 1
        && matches!(
            outcome.probes.last(),
            Some(pathway::checks::ProbeOutcome::Failed { .. })
        )
}

/// A Node.js project with eslint, prettier and tsc installed as npm packages would install
/// them (a command in node_modules/.bin linking into its package), each a stand-in script:
/// `eslint` prints `rules` for --print-config, and every tool exits 0.
fn node_lint_project(rules: &str) -> tempfile::TempDir {
    let dir = repo(&[
        ("src/app.js", "export const add = (a, b) => a + b;\n"),
        ("eslint.config.js", "export default [];\n"),
        (
            "tsconfig.json",
            "{\"compilerOptions\": {\"allowJs\": true, \"checkJs\": true}}\n",
        ),
        ("package.json", "{\"type\": \"module\"}\n"),
    ]);
    for (command, package, script) in [
        (
            "eslint",
            "eslint",
            format!(
                "#!/bin/sh\n[ \"$1\" = --print-config ] && echo '{{\"rules\": {rules}}}'\nexit 0\n"
            ),
        ),
        ("prettier", "prettier", "#!/bin/sh\nexit 0\n".to_string()),
        ("tsc", "typescript", "#!/bin/sh\nexit 0\n".to_string()),
    ] {
        let bin = format!("node_modules/{package}/bin/{command}.js");
        write(dir.path(), &bin, &script);
        std::fs::set_permissions(
            dir.path().join(&bin),
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
        std::fs::create_dir_all(dir.path().join("node_modules/.bin")).expect("mkdir");
        std::os::unix::fs::symlink(
            format!("../{package}/bin/{command}.js"),
            dir.path().join("node_modules/.bin").join(command),
        )
        .expect("symlink");
    }
    write(dir.path(), ".gitignore", "node_modules/\n");
    dir
}

#[test]
fn eslint_settings_that_enable_no_rule_check_nothing() {
    let empty = node_lint_project("{}");
    let outcome = not_verified("programming/lint-format", empty.path(), &[]);
    assert!(
        format!("{outcome:?}").contains("ESLint enables no rule"),
        "{outcome:#?}"
    );
    let rules = node_lint_project("{\"no-unused-vars\": [2]}");
    verified("programming/lint-format", rules.path(), &[]);
}

#[test]
#[ignore = "needs python3 and a JDK: apt install python3 default-jdk-headless"]
fn a_word_counter_as_a_package_or_with_a_class_of_its_own_verifies_and_another_language_cannot() {
    // A Python package run with python -m.
    let package = repo(&[
        ("wordcount/__main__.py", WORDCOUNT_PY),
        ("wordcount/__init__.py", ""),
    ]);
    verified("programming/data-structures", package.path(), &[]);
    let in_src = repo(&[
        ("src/wordcount/__main__.py", WORDCOUNT_PY),
        ("src/wordcount/__init__.py", ""),
    ]);
    verified("programming/data-structures", in_src.path(), &[]);
    // Java whose counting lives in a class beside it: on JDK 17 it is compiled with it.
    let java = repo(&[
        (
            "WordCount.java",
            "import java.util.Scanner;\n\npublic class WordCount {\n    public static void main(String[] args) {\n        \
             Counter counter = new Counter();\n        Scanner in = new Scanner(System.in);\n        while (in.hasNext()) {\n            \
             counter.add(in.next());\n        }\n        counter.print();\n    }\n}\n",
        ),
        (
            "Counter.java",
            "import java.util.Map;\nimport java.util.TreeMap;\n\nclass Counter {\n    private final Map<String, Integer> counts = new TreeMap<>();\n\n    \
             void add(String word) {\n        counts.merge(word, 1, Integer::sum);\n    }\n\n    void print() {\n        \
             counts.forEach((word, n) -> System.out.println(word + \": \" + n));\n    }\n}\n",
        ),
    ]);
    verified("programming/data-structures", java.path(), &[]);
    // Go is not run, and that is not a failure.
    let go = repo(&[("wordcount.go", "package main\n\nfunc main() {}\n")]);
    let outcome = check("programming/data-structures", go.path(), &[]);
    assert_eq!(outcome.result, CheckResult::Cannot, "{outcome:#?}");
}

#[test]
#[ignore = "needs pytest: pip install pytest"]
fn integration_tests_ask_the_api_and_unit_tests_of_a_function_are_not_them() {
    let app = "import json\nfrom http.server import BaseHTTPRequestHandler\n\n\
               POSTS = [{\"id\": 1, \"title\": \"Hello\"}]\n\n\
               class Handler(BaseHTTPRequestHandler):\n    def do_GET(self):\n        body = json.dumps(POSTS).encode()\n        \
               self.send_response(200 if self.path == \"/posts\" else 404)\n        self.end_headers()\n        self.wfile.write(body)\n\n    \
               def log_message(self, *args):\n        pass\n\n\ndef add(a, b):\n    return a + b\n";
    let tests = "import json\nimport threading\nfrom http.server import HTTPServer\nfrom urllib.error import HTTPError\nfrom urllib.request import urlopen\n\n\
                 import pytest\n\nfrom app import Handler\n\n\n@pytest.fixture\ndef base():\n    server = HTTPServer((\"127.0.0.1\", 0), Handler)\n    \
                 threading.Thread(target=server.serve_forever, daemon=True).start()\n    yield f\"http://127.0.0.1:{server.server_port}\"\n    server.shutdown()\n\n\n\
                 def test_lists_posts(base):\n    with urlopen(base + \"/posts\") as r:\n        assert json.load(r)[0][\"title\"] == \"Hello\"\n\n\n\
                 def test_status(base):\n    with urlopen(base + \"/posts\") as r:\n        assert r.status == 200\n\n\n\
                 def test_unknown(base):\n    with pytest.raises(HTTPError):\n        urlopen(base + \"/nope\")\n";
    let honest = repo(&[("app.py", app), ("tests/test_api.py", tests)]);
    verified("web-apis/api-tests", honest.path(), &[]);
    // Three passing unit tests of add(), in a file named for the API.
    let unit = repo(&[
        ("app.py", app),
        (
            "tests/test_api.py",
            "from app import add\n\n\ndef test_a():\n    assert add(1, 2) == 3\n\n\ndef test_b():\n    assert add(2, 2) == 4\n\n\n\
             def test_c():\n    assert add(0, 0) == 0\n",
        ),
    ]);
    let outcome = not_verified("web-apis/api-tests", unit.path(), &[]);
    assert!(
        probe_passed(&outcome, 0) && !probe_passed(&outcome, 1),
        "{outcome:#?}"
    );
}
