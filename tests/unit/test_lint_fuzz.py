"""The linter never raises, whatever the text: random text, and the rules' own examples cut, shuffled and
spliced (mostly valid Python that reaches every rule family in odd shapes)."""

from __future__ import annotations

from gotcha_doctor.core.lint import lint_source
from gotcha_doctor.core.lint.examples import EXAMPLES, example
from gotcha_doctor.core.lint.files import decode_source
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SOURCES = [text for code in sorted(EXAMPLES) for text in example(code)]  # type: ignore[union-attr]
LINES = [line for text in SOURCES for line in text.splitlines()]


def _check(text: str) -> None:
    for finding in lint_source(text, "fuzz.py", select=["ALL"]):
        assert finding.line >= 1 and finding.column >= 1
        assert finding.rule.startswith("GD") and finding.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), max_size=40))
def test_spliced_example_lines(lines: list[str]) -> None:
    _check("\n".join(lines) + "\n")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SOURCES), st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=40))
def test_cut_examples(text: str, start: int, length: int) -> None:
    _check(text[:start] + text[start + length :])


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_one_finding_or_linted(data: bytes) -> None:
    source = decode_source(data, "bytes.py")
    if source.text is None:
        assert len(source.findings) == 1
    else:
        _check(source.text)


def test_deep_nesting_is_one_finding_not_a_crash() -> None:
    deep = "".join("    " * i + "if x:\n" for i in range(400)) + "    " * 400 + "pass\n"
    found = lint_source(deep, "deep.py")
    assert len(found) <= 1 and all(f.rule == "GD001" for f in found)
