//! The rules of what counts as the learner's work, without running anything.

use std::path::PathBuf;

use crate::checks::conventions::*;

#[test]
fn an_npm_script_counts_only_when_it_is_a_test_runner_and_nothing_else() {
    for (script, runner) in [
        ("jest", "Jest"),
        ("npx jest --coverage", "Jest"),
        ("NODE_ENV=test mocha", "Mocha"),
        ("cross-env CI=1 vitest run", "Vitest"),
        ("node --test", "node --test"),
        ("node --test test/", "node --test"),
    ] {
        assert_eq!(npm_runner(script).map(|s| s.name), Ok(runner), "{script}");
    }
    for script in [
        "echo '3 passing'",
        "jest; echo ok",
        "jest && echo 'Tests: 9 passed'",
        "mocha | tee out",
        "node test.js",
        "vitest $(echo run)",
        "jest > /dev/null",
    ] {
        assert!(npm_runner(script).is_err(), "{script}");
    }
}

fn evidence(source: &str, language: Language) -> TestEvidence {
    let files = [
        PathBuf::from("calc.py"),
        PathBuf::from("app/models.py"),
        PathBuf::from("Calc.java"),
        PathBuf::from("CalcTest.java"),
    ];
    test_evidence(source, language, &project_names(&files))
}

#[test]
fn an_assertion_counts_when_it_names_a_value_and_the_test_uses_the_learners_code() {
    let python = evidence(
        "from calc import add\nfrom app.models import Post\n\ndef test_a():\n    assert add(1, 2) == 3\n\
         def test_b():\n    result = add(2, 2)\n    assert result == 4\n",
        Language::Python,
    );
    assert_eq!(
        python,
        TestEvidence {
            uses_project: true,
            assertions: 2
        }
    );
    let js = evidence(
        "const { add } = require('../calc');\ntest('a', () => expect(add(1, 2)).toBe(3));\n\
         test('b', () => assert.strictEqual(add(0, 0), 0));\n",
        Language::JavaScript,
    );
    assert_eq!(
        js,
        TestEvidence {
            uses_project: true,
            assertions: 2
        }
    );
    let java = evidence(
        "import static org.junit.jupiter.api.Assertions.assertEquals;\nclass CalcTest {\n  @Test void a() { assertEquals(3, Calc.add(1, 2)); }\n}\n",
        Language::Java,
    );
    assert_eq!(
        java,
        TestEvidence {
            uses_project: true,
            assertions: 1
        }
    );
}

#[test]
fn literal_assertions_comments_and_other_peoples_modules_do_not_count() {
    let literal = evidence(
        "import calc\ndef test_a():\n    assert True\n    assert 1 + 1 == 2\n    assert 'x'\n    assert 1e5 > 0x10\n\
         # assert calc.add(1, 2) == 3\n",
        Language::Python,
    );
    assert_eq!(
        literal,
        TestEvidence {
            uses_project: false,
            assertions: 0
        }
    );
    let foreign = evidence(
        "import requests\nfrom os import path\ndef test_a():\n    assert path.exists('.')\n",
        Language::Python,
    );
    assert!(!foreign.uses_project);
    let js = evidence(
        "const assert = require('node:assert');\nconst express = require('express');\n\
         test('a', () => expect(true).toBe(true));\ntest('b', () => assert.ok(1));\n",
        Language::JavaScript,
    );
    assert_eq!(
        js,
        TestEvidence {
            uses_project: false,
            assertions: 0
        }
    );
    let java = evidence(
        "class CalcTest {\n  @Test void a() { assertTrue(true); assertEquals(1, 1); }\n}\n",
        Language::Java,
    );
    assert_eq!(java.assertions, 0);
}

#[test]
fn code_is_what_is_left_without_comments_punctuation_and_placeholders() {
    let code = code(
        "# a\n\ndef f():\n    pass\n    ...\n)\n]);\nx = 1  # y\n",
        Language::Python,
    );
    assert_eq!(code, ["def f():", "x = 1  # y"]);
    assert!(is_program(
        "public class A { public static void main(String[] a) {} }",
        Language::Java
    ));
    assert!(!is_program(
        "class Shapes {\n  static int area(int s) { return s * s; }\n}",
        Language::Java
    ));
    assert!(!is_program("// void main() {}\nclass A {}", Language::Java));
}

#[test]
fn a_program_that_met_the_end_of_its_input_ran_as_far_as_it_could() {
    assert!(ran_out_of_input(
        "number: Traceback (most recent call last):\n  File \"x.py\", line 2\nEOFError: EOF when reading a line\n"
    ));
    assert!(ran_out_of_input(
        "Exception in thread \"main\" java.util.NoSuchElementException: No line found\n\tat Scanner.nextLine\n"
    ));
    assert!(!ran_out_of_input(
        "Traceback\nNameError: name 'squre' is not defined\n"
    ));
}

#[test]
fn a_value_computed_from_the_learners_code_carries_its_origin_into_the_assertion() {
    let python = evidence(
        "from calc import add\ndef test_a():\n    got = add(1, 2)  # three\n    assert got == 3\n\
         def test_b():\n    x = 1\n    assert x == 1\n",
        Language::Python,
    );
    assert_eq!(python.assertions, 1);
    let java = evidence(
        "class CalcTest {\n  Calc unused = null;\n  @Test void a() { int n = 3; assertEquals(3, n); }\n\
         @Test void b() {\n    int m = Calc.add(1, 2);\n    assertEquals(3, m);\n  }\n}\n",
        Language::Java,
    );
    assert_eq!(java.assertions, 1);
    assert_eq!(
        without_comment("x = '#1'  # one", Language::Python),
        "x = '#1'"
    );
    assert_eq!(
        without_comment("let u = \"http://x\"; // two", Language::JavaScript),
        "let u = \"http://x\";"
    );
}

#[test]
fn long_literals_and_block_comments_are_not_code() {
    use crate::checks::conventions::without_long_literals;
    let python = "\"\"\"\nif exercise 1\nfor nothing\n\"\"\"\nx = '\"\"\"'\nprint(x)  # \"\"\" in a comment\n";
    let kept = without_long_literals(python, Language::Python);
    assert_eq!(
        kept,
        "\"\"\n\n\n\nx = '\"\"\"'\nprint(x)  # \"\"\" in a comment\n"
    );
    let js = "`\nif (x) {\n}\n`;\n/* for (;;) {\n} */\nconst s = \"/* not a comment\";\n// a ` in a comment\nif (s) { f(`a${1}`); }\n";
    let kept = without_long_literals(js, Language::JavaScript);
    assert_eq!(
        kept,
        "\"\"\n\n\n;\n \n\nconst s = \"/* not a comment\";\n// a ` in a comment\nif (s) { f(`a${1}`); }\n"
    );
    let java = "/**\n * for each\n */\nString s = \"\"\"\n  if\n  \"\"\";\n";
    assert_eq!(
        without_long_literals(java, Language::Java),
        " \n\n\nString s = \"\"\n\n;\n"
    );
}

#[test]
fn an_assertion_that_cannot_fail_or_only_names_a_module_is_not_about_the_code() {
    for (source, language) in [
        (
            "import calc\n\ndef test_a():\n    assert calc or True\n\ndef test_b():\n    assert calc\n",
            Language::Python,
        ),
        (
            "from calc import add\n\ndef test_a():\n    assert add(1, 2) == 3 or True\n",
            Language::Python,
        ),
        (
            "const calc = require('../calc');\ntest('a', () => expect(calc.add(1, 2) === 3 || true).toBe(true));\n",
            Language::JavaScript,
        ),
        (
            "from calc import add\n\ndef test_a():\n    \"\"\"\n    assert add(1, 2) == 3\n    \"\"\"\n",
            Language::Python,
        ),
    ] {
        assert_eq!(evidence(source, language).assertions, 0, "{source}");
    }
    // Opening the module is using it.
    let opened = evidence(
        "import calc\n\ndef test_a():\n    assert calc.add(1, 2) == 3\n",
        Language::Python,
    );
    assert_eq!(opened.assertions, 1);
}

#[test]
fn an_assertion_must_call_the_code_and_be_able_to_fail() {
    for source in [
        "import calc\n\ndef test_a():\n    assert calc.add\n",
        "from calc import add\n\ndef test_a():\n    assert add(1, 2) or 2\n",
        "from calc import add\n\ndef test_a():\n    assert add(1, 2) == add(1, 2)\n",
        "import calc\n\ndef test_a():\n    assert callable(calc.add)\n",
        "from calc import add\n\ndef test_a():\n    assert add.__name__ == 'add'\n",
    ] {
        assert_eq!(evidence(source, Language::Python).assertions, 0, "{source}");
    }
    let java = evidence(
        "class CalcTest {\n  @Test void a() { assertNotNull(Calc.class); }\n  @Test void b() { assertTrue(true || Calc.add(1, 2) == 3); }\n}\n",
        Language::Java,
    );
    assert_eq!(java.assertions, 0);
}

#[test]
fn a_fixture_or_a_url_built_from_the_code_stands_for_it() {
    // Flask's documented fixture, and a Node test asking the app it started.
    let flask = evidence(
        "import pytest\nfrom app.models import Post\n\n@pytest.fixture\ndef client():\n    return Post.test_client()\n\n\
         def test_list(client):\n    response = client.get('/posts')\n    assert response.status_code == 200\n",
        Language::Python,
    );
    assert_eq!(flask.assertions, 1);
    let node = evidence(
        "const { add } = require('../calc');\nconst server = add.listen(0);\nconst port = server.address().port;\n\
         test('a', async () => {\n  const res = await fetch(`http://localhost:${port}/posts`);\n  assert.equal(res.status, 200);\n});\n",
        Language::JavaScript,
    );
    assert_eq!(node.assertions, 1);
}

#[test]
fn test_files_follow_each_runner_s_own_names() {
    for name in [
        "test_calc.py",
        "calc_test.py",
        "calc.test.js",
        "calc.spec.mjs",
        "calc-test.js",
        "calc_test.cjs",
        "test-calc.js",
        "__tests__/calc.js",
        "CalcTest.java",
        "CalcIT.java",
    ] {
        assert!(is_test_file(std::path::Path::new(name)), "{name}");
    }
    for name in ["calc.py", "contest.js", "latest.js", "Calc.java"] {
        assert!(!is_test_file(std::path::Path::new(name)), "{name}");
    }
}

#[test]
fn a_server_a_fixture_starts_from_the_code_is_the_code() {
    let started = evidence(
        "from app.models import Post\n\n@pytest.fixture\ndef base():\n    server = HTTPServer((\"127.0.0.1\", 0), Post)\n    \
         yield f\"http://127.0.0.1:{server.server_port}\"\n\ndef test_status(base):\n    with urlopen(base + \"/posts\") as r:\n        \
         assert r.status == 200\n",
        Language::Python,
    );
    assert_eq!(started.assertions, 1);
}
