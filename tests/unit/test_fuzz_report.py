"""Property-based tests for the report formats: whatever names, paths and messages a scanned file holds, the text
report has one line per finding and no raw control character, and the JSON report is valid UTF-8 that loads back."""

from __future__ import annotations

import json
import os

from gotcha_doctor.core.findings import SEVERITIES, Finding
from gotcha_doctor.core.report import build_report, dumps, format_text
from gotcha_doctor.core.text import has_unsafe_chars
from hypothesis import given
from hypothesis import strategies as st

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
fs_text = st.binary(max_size=60).map(os.fsdecode)
untrusted = st.one_of(any_text, fs_text, st.sampled_from(["\nFindings: 0 error, 0 warning, 0 info", "\x1b[2K\r"]))

findings = st.builds(
    Finding,
    check=st.sampled_from(["library_name_collisions", "relative_paths"]),
    topic=st.sampled_from(["library-name-collision", "relative-path"]),
    severity=st.sampled_from(SEVERITIES),
    message=untrusted,
    id_type=st.one_of(st.none(), st.sampled_from(["OBJECT", "IMAGE"])),
    id_name=st.one_of(st.none(), untrusted),
    library=st.one_of(st.none(), untrusted),
    details=st.dictionaries(
        st.sampled_from(["raw_path", "resolved", "libraries"]), st.one_of(untrusted, st.lists(untrusted, max_size=3))
    ),
)


def _report(items: list[Finding], blend_file: str, cancelled: bool) -> dict:
    return build_report(items, blender_version="5.0.1", blend_file=blend_file, cancelled=cancelled)


@given(st.lists(findings, max_size=8), untrusted, st.booleans())
def test_text_report_has_one_safe_line_per_finding(items: list[Finding], blend_file: str, cancelled: bool) -> None:
    text = format_text(_report(items, blend_file, cancelled))
    lines = text.split("\n")
    assert not any(has_unsafe_chars(line) for line in lines)
    text.encode("utf-8")
    # The header says the counts exactly once, and no finding can forge it or the "nothing found" line.
    assert sum(line.startswith("Findings: ") for line in lines) == 1
    assert sum(line.startswith("  [") for line in lines) == len(items)
    assert ("No gotchas found." in lines) == (not items)
    tally = {s: sum(f.severity == s for f in items) for s in SEVERITIES}
    assert lines[1].startswith("Findings: " + ", ".join(f"{tally[s]} {s.lower()}" for s in SEVERITIES))


@given(st.lists(findings, max_size=8), untrusted, st.booleans())
def test_json_report_is_valid_utf8_and_loads_back(items: list[Finding], blend_file: str, cancelled: bool) -> None:
    report = _report(items, blend_file, cancelled)
    raw = dumps(report).encode("utf-8")
    loaded = json.loads(raw.decode("utf-8"))
    assert loaded["cancelled"] is cancelled
    assert [f["severity"] for f in loaded["findings"]] == sorted((f.severity for f in items), key=SEVERITIES.index)
    if blend_file != loaded["blend_file"]:  # made readable: the exact bytes are kept in base64
        assert "blend_file_base64" in loaded
