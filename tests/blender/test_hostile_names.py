"""Names a file can hold that break naive text handling: quotes, newlines, CR, control characters, bidi controls,
backslashes, names at the length limit. Paste-ready lookups must compile and return the datablock they name; the
text report must show each finding on one line, escaped."""

from __future__ import annotations

import bpy
from blender_scenes import extension, linked_twins

HOSTILE_NAMES = [
    'quo"te',
    "it's",
    "both ' and \"",
    "new\nline",
    "carriage\rreturn",
    "tab\there",
    "back\\slash",
    "\x1b[31mred\x1b[0m",
    "\u202egnp.exe",
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew (right to left), shown as it is
    "a\nFindings: 0 error",
]


def _lookups(findings) -> list[tuple[str, str]]:
    out = []
    for item in findings:
        details = extension().properties.finding_details(item)
        out += [(item.id_name, details["lookup_local"]), (item.id_name, details["lookup_linked"])]
    return out


def test_paste_ready_lookups_compile_and_return_the_named_datablock(tmp_path):
    names = linked_twins(tmp_path, HOSTILE_NAMES)
    assert bpy.ops.gotcha.scan(checks="library_name_collisions") == {"FINISHED"}
    findings = list(bpy.context.window_manager.gotcha_doctor.findings)
    assert sorted(item.id_name for item in findings) == sorted(names)
    lookups = _lookups(findings)
    assert len(lookups) == 2 * len(names)
    for name, lookup in lookups:
        assert lookup.isprintable(), lookup
        found = eval(compile(lookup, "<lookup>", "eval"), {"bpy": bpy})  # noqa: S307 - the property under test
        assert found.name == name
    libraries = {eval(lookup, {"bpy": bpy}).library is None for _name, lookup in lookups}  # noqa: S307
    assert libraries == {True, False}
    for item in findings:  # the message quotes the same literals
        assert "\n" not in item.message and "\r" not in item.message and "\x1b" not in item.message


def test_text_report_shows_hostile_names_escaped_one_line_each(gd, tmp_path):
    names = linked_twins(tmp_path, HOSTILE_NAMES)
    bpy.ops.gotcha.scan(checks="library_name_collisions")
    report = gd.runner.report_from_state(bpy.context.window_manager.gotcha_doctor)
    text = gd.core.report.format_text(report)
    lines = text.splitlines()
    assert [line for line in lines if line.startswith("Findings: ")] == ["Findings: 0 error, 11 warning, 0 info"]
    assert sum(line.startswith("  [library_name_collisions") for line in lines) == len(names)
    for char in "\r\x1b\u202e":
        assert char not in text
    assert "\\x1b[31mred\\x1b[0m" in text
    assert "\u05e9\u05dc\u05d5\u05dd" in text
    assert "No gotchas found." not in text
