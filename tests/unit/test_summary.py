"""Short problem statements for the findings list (core/summary.py)."""

from __future__ import annotations

from gotcha_doctor.core.summary import first_clause, short_problem
from gotcha_doctor.core.text import has_unsafe_chars
from hypothesis import given
from hypothesis import strategies as st


def test_path_kinds_get_a_few_words() -> None:
    assert short_problem("relative_paths", "ERROR", "long…", {"kind": "missing"}) == "file not found"
    assert short_problem("relative_paths", "ERROR", "", {"kind": "missing", "missing_tile_count": 1}) == (
        "tiles missing"
    )
    assert short_problem("relative_paths", "ERROR", "", {"kind": "climbs_above_root", "above": "filesystem"}) == (
        "climbs above /"
    )
    assert short_problem("relative_paths", "WARNING", "", {"kind": "climbs_above_root", "above": "project"}) == (
        "leaves project"
    )
    assert short_problem("non_utf8_paths", "WARNING", "", {"kind": "non_utf8"}) == "path not UTF-8"


def test_checks_by_severity_and_the_fallback() -> None:
    assert short_problem("editmode_sync", "WARNING", "Cube: 3 vertices moved", {}) == "edits unwritten"
    assert short_problem("editmode_sync", "INFO", "", {}) == "in Edit Mode"
    assert short_problem("library_name_collisions", "WARNING", "", {}) == "also linked"
    assert short_problem("handlers_timers", "INFO", "x", {}) == "not persistent"
    message = "Lint rule GD101 (operator without UNDO): fix it; more"
    assert short_problem("addon_code", "WARNING", message, {}) == "Lint rule GD101 (operat…"
    assert short_problem("new_check", "WARNING", "A thing runs; stop it", {}) == "A thing runs"


def test_first_clause_is_bounded() -> None:
    assert first_clause("x" * 100) == "x" * 23 + "…"
    assert first_clause("Short. Second sentence") == "Short"


@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=200))
def test_any_message_gives_one_short_safe_line(message: str) -> None:
    text = short_problem("some_new_check", "INFO", message, {})
    assert len(text) <= 24
    assert not has_unsafe_chars(text)
    text.encode("utf-8")
