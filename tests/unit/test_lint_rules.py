"""Every rule: code that must be reported (exact rule and line) and the corrected code that must stay quiet.

The cases are the rules' documented examples (core/lint/examples.py); ``# <-`` marks the expected line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gotcha_doctor.core.lint import ALL_RULES, lint_source
from gotcha_doctor.core.lint.examples import EXAMPLES, example

REPO = Path(__file__).resolve().parents[2]

SOURCE_RULES = {"GD001", "GD002", "GD003"}  # about the file itself, tested in test_lint_cli


def marked_line(code: str) -> int:
    return next(number for number, line in enumerate(code.splitlines(), 1) if "# <-" in line)


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_wrong_code_is_reported(code: str) -> None:
    wrong, _ = example(code)  # type: ignore[misc]
    found = [(f.rule, f.line) for f in lint_source(wrong, "wrong.py", select=["ALL"])]
    assert found == [(code, marked_line(wrong))]


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_right_code_is_quiet(code: str) -> None:
    _, right = example(code)  # type: ignore[misc]
    assert lint_source(right, "right.py", select=["ALL"]) == []


def test_every_rule_has_cases_and_a_page() -> None:
    codes = {rule.code for rule in ALL_RULES}
    assert codes - SOURCE_RULES == set(EXAMPLES)
    missing = [rule.code for rule in ALL_RULES if not (REPO / rule.doc_path).is_file()]
    assert missing == []


def test_rule_metadata_is_complete() -> None:
    from gotcha_doctor.core.topics import TOPICS

    for rule in ALL_RULES:
        assert rule.code.startswith("GD") and len(rule.code) == 5
        assert rule.topic is None or rule.topic in TOPICS, rule.code
        assert rule.title and rule.fix and rule.name
    assert len({rule.code for rule in ALL_RULES}) == len(ALL_RULES)
    assert len({rule.name for rule in ALL_RULES}) == len(ALL_RULES)


def test_rule_pages_are_up_to_date() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "lint_docs.py"), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
