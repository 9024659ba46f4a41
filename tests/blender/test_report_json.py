"""export_report writes the JSON of contract.md; non-UTF-8 text survives losslessly; the text report prints."""

import base64
import io
import json
import os

import bpy
import pytest
from blender_scenes import add_object, link_objects, save_as, write_library

BAD_PATH = os.fsdecode(b"/tmp/caf\xe9/wood.png")  # not UTF-8: holds a surrogate escape


def test_export_report_matches_the_contract(tmp_path):
    library = write_library(tmp_path / "lib.blend", ["Oak"])
    save_as(tmp_path / "main.blend")
    link_objects(library, ["Oak"])
    add_object("Oak")
    bpy.ops.gotcha.scan(checks="library_name_collisions")
    out = tmp_path / "report.json"
    assert bpy.ops.gotcha.export_report(filepath=str(out)) == {"FINISHED"}
    report = json.loads(out.read_bytes().decode("utf-8"))
    assert report == {
        "schema": "gotcha-doctor/report/1",
        "blender_version": bpy.app.version_string,
        "blend_file": str(tmp_path / "main.blend"),
        "cancelled": False,
        "findings": [
            {
                "check": "library_name_collisions",
                "topic": "library-name-collision",
                "severity": "WARNING",
                "id_type": "OBJECT",
                "id_name": "Oak",
                "library": None,
                "message": report["findings"][0]["message"],
                "details": {
                    "libraries": [None, "//lib.blend"],
                    "plain_lookup_returns": None,
                    "lookup_local": 'bpy.data.objects["Oak", None]',
                    "lookup_linked": 'bpy.data.objects["Oak", "//lib.blend"]',
                },
            }
        ],
    }


def test_unsaved_file_reports_empty_blend_file_and_findings_sorted_most_severe_first(tmp_path, gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, ["library_name_collisions"])
    for severity in ("INFO", "ERROR", "WARNING", "ERROR"):
        gd.properties.add_finding(state, gd.core.findings.Finding("c", "sys-exit", severity, f"m {severity}"))
    out = tmp_path / "r.json"
    bpy.ops.gotcha.export_report(filepath=str(out))
    report = json.loads(out.read_text("utf-8"))
    assert report["blend_file"] == ""
    assert [f["severity"] for f in report["findings"]] == ["ERROR", "ERROR", "WARNING", "INFO"]


def test_non_utf8_path_is_readable_and_lossless_everywhere(tmp_path, gd):
    state = bpy.context.window_manager.gotcha_doctor
    gd.runner.begin(state, ["library_name_collisions"])
    finding = gd.core.findings.Finding(
        "relative_paths",
        "non-utf8-path",
        "WARNING",
        f"Missing {BAD_PATH}",
        "IMAGE",
        "wood.png",
        None,
        {"path": BAD_PATH},
    )
    gd.properties.add_finding(state, finding)  # a string property would raise TypeError on the raw surrogate
    out = tmp_path / "r.json"
    bpy.ops.gotcha.export_report(filepath=str(out))
    raw = out.read_bytes()
    report = json.loads(raw.decode("utf-8"))  # valid UTF-8
    details = report["findings"][0]["details"]
    assert details["path"] == "/tmp/caf\\xe9/wood.png"
    assert base64.b64decode(details["path_base64"]) == b"/tmp/caf\xe9/wood.png"
    assert report["findings"][0]["message"] == "Missing /tmp/caf\\xe9/wood.png"
    # The readable text report prints even to an ASCII-only console (the seed's UnicodeEncodeError).
    ascii_console = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    gd.cli._say(gd.core.report.format_text(report), ascii_console)


def test_export_without_a_scan_says_what_to_do(gd):
    with pytest.raises(RuntimeError, match="run Gotcha Doctor: Scan first"):
        bpy.ops.gotcha.export_report(filepath="/tmp/never.json")


def test_export_to_an_unwritable_place_is_one_clear_error(tmp_path):
    bpy.ops.gotcha.scan()
    with pytest.raises(RuntimeError, match=r"Could not write .*missing-dir/r.json: No such file or directory"):
        bpy.ops.gotcha.export_report(filepath=str(tmp_path / "missing-dir" / "r.json"))
    with pytest.raises(RuntimeError, match="is a directory"):
        bpy.ops.gotcha.export_report(filepath=str(tmp_path))
