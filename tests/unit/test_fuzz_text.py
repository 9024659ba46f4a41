"""Property-based tests for untrusted text: names and paths from a scanned file reach terminals, one-line labels,
JSON and paste-ready Python. Any string (including non-UTF-8 bytes as surrogate escapes) must come out safe."""

from __future__ import annotations

import os

from gotcha_doctor.core.text import (
    display,
    escape_controls,
    has_surrogates,
    has_unsafe_chars,
    path_bytes_b64,
    py_string,
    readable,
    sanitize_details,
)
from hypothesis import example, given
from hypothesis import strategies as st

# Every code point, surrogates included (hypothesis leaves category Cs out by default).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)
# What a file system path looks like in Python: bytes decoded with surrogate escapes.
fs_text = st.binary(max_size=80).map(os.fsdecode)
names = st.one_of(any_text, fs_text)

HOSTILE = [
    "\x1b[2J\x1b[31mred",
    "a\nFindings: 0 error, 0 warning, 0 info\n\nNo gotchas found.",
    "cr\roverwrite",
    'quo"te',
    "back\\slash'",
    "\u202egnp.exe",
    "\u2028line\u2029para",
    "caf\udce9",
    "\ud800lone",
    "\x00nul\x7fdel\x85nel\x9bcsi",
    "x" * 63,
]


def _is_terminal_safe(text: str) -> bool:
    # No C0/C1 control, no DEL, no line/paragraph separator, no bidi control, no surrogate.
    return not has_unsafe_chars(text) and not has_surrogates(text)


@given(names)
@example("\x1b]0;title\x07")
def test_display_is_one_safe_line(text: str) -> None:
    shown = display(text)
    assert _is_terminal_safe(shown)
    assert "\n" not in shown and "\r" not in shown
    shown.encode("utf-8")  # never raises


def test_hostile_examples_are_shown_escaped() -> None:
    assert display("\x1b[2J\x1b[31mred") == "\\x1b[2J\\x1b[31mred"
    assert display("a\nFindings: 0 error") == "a\\nFindings: 0 error"
    assert display("cr\roverwrite\t") == "cr\\roverwrite\\t"
    assert display("\u202egnp.exe") == "\\u202egnp.exe"
    assert display("caf\udce9") == "caf\\xe9"
    assert display("\ud800lone") == "\\ud800lone"
    assert display("\x85nel\x9bcsi") == "\\x85nel\\x9bcsi"
    for text in HOSTILE:
        assert _is_terminal_safe(display(text)), text


@given(st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), max_size=80))
def test_printable_text_is_unchanged(text: str) -> None:
    # Names in any script (right-to-left letters, emoji, accents, backslashes, quotes) are shown as they are.
    assert escape_controls(text) == text
    assert display(text, limit=10_000) == text


@given(names)
def test_display_is_idempotent(text: str) -> None:
    once = display(text, limit=10_000)
    assert display(once, limit=10_000) == once


@given(names, st.integers(min_value=0, max_value=50))
def test_display_is_bounded(text: str, limit: int) -> None:
    shown = display(text, limit)
    assert len(shown) <= limit + len("… (99999 more characters)")


@given(names)
@example('quo"te')
@example("new\nline")
@example("cr\r")
@example("both ' and \"")
@example("\\")
def test_py_string_is_valid_printable_python_for_any_name(text: str) -> None:
    literal = py_string(text)
    assert literal.isprintable()
    code = compile(f"value = {literal}", "<lookup>", "exec")
    scope: dict[str, str] = {}
    exec(code, {}, scope)  # noqa: S102 - evaluating our own literal is the property under test
    assert scope["value"] == text


def test_py_string_prefers_double_quotes() -> None:
    assert py_string("Cube") == '"Cube"'
    assert py_string("it's") == '"it\'s"'
    assert py_string('say "hi"') == "'say \"hi\"'"


@given(fs_text)
def test_readable_and_base64_keep_fs_paths(text: str) -> None:
    shown = readable(text)
    shown.encode("utf-8")
    import base64

    assert os.fsdecode(base64.b64decode(path_bytes_b64(text))) == text


@given(st.dictionaries(any_text, st.recursive(st.one_of(names, st.integers(), st.none()), st.lists, max_leaves=8)))
def test_sanitized_details_encode_as_utf8_json(details: dict) -> None:
    import json

    json.dumps(sanitize_details(details), ensure_ascii=False).encode("utf-8")
