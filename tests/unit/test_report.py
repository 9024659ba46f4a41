"""The report, without Blender: one builder (sorted most severe first), the JSON writer, the text report, the counts
and ``--fail-on``."""

from __future__ import annotations

import base64
import io
import json
import os
from pathlib import Path

import pytest
from gotcha_doctor.core import report
from gotcha_doctor.core.findings import Finding

BAD_PATH = os.fsdecode(b"/tmp/caf\xe9/wood.png")  # not UTF-8: holds a surrogate escape


def finding(severity: str, message: str = "m", **fields: object) -> Finding:
    return Finding("relative_paths", "relative-path", severity, message, **fields)  # type: ignore[arg-type]


def build(findings: list[Finding], blend_file: str = "/p/main.blend", cancelled: bool = False) -> dict:
    return report.build_report(findings, blender_version="5.0.1", blend_file=blend_file, cancelled=cancelled)


def test_the_report_has_the_contract_shape() -> None:
    one = finding(
        "WARNING",
        'Image "wood.png" is missing',
        id_type="IMAGE",
        id_name="wood.png",
        library="//lib.blend",
        details={"kind": "missing", "owner": {"library": None}},
        fixes=("path_repoint",),
    )
    assert build([one]) == {
        "schema": "gotcha-doctor/report/1",
        "blender_version": "5.0.1",
        "blend_file": "/p/main.blend",
        "cancelled": False,
        "findings": [
            {
                "check": "relative_paths",
                "topic": "relative-path",
                "severity": "WARNING",
                "id_type": "IMAGE",
                "id_name": "wood.png",
                "library": "//lib.blend",
                "message": 'Image "wood.png" is missing',
                "details": {"kind": "missing", "owner": {"library": None}},
            }
        ],
    }


def test_findings_come_most_severe_first_keeping_scan_order_within_a_severity() -> None:
    findings = [finding(s, f"{s} {n}") for n, s in enumerate(("INFO", "ERROR", "WARNING", "ERROR", "INFO"))]
    messages = [f["message"] for f in build(findings)["findings"]]
    assert messages == ["ERROR 1", "ERROR 3", "WARNING 2", "INFO 0", "INFO 4"]


def test_non_utf8_text_is_readable_and_kept_losslessly(tmp_path: Path) -> None:
    bad = finding("WARNING", f"Missing {BAD_PATH}", id_type="IMAGE", id_name=BAD_PATH, details={"path": BAD_PATH})
    built = build([bad], blend_file=BAD_PATH, cancelled=True)
    assert built["blend_file"] == "/tmp/caf\\xe9/wood.png" and built["cancelled"] is True
    assert base64.b64decode(built["blend_file_base64"]) == b"/tmp/caf\xe9/wood.png"
    (item,) = built["findings"]
    assert item["message"] == "Missing /tmp/caf\\xe9/wood.png" and item["id_name"] == "/tmp/caf\\xe9/wood.png"
    assert item["details"]["path"] == "/tmp/caf\\xe9/wood.png"
    assert base64.b64decode(item["details"]["path_base64"]) == b"/tmp/caf\xe9/wood.png"
    out = tmp_path / "r.json"
    report.write_report(built, str(out))
    assert json.loads(out.read_bytes().decode("utf-8")) == built  # valid UTF-8, nothing lost


def test_an_unsaved_file_and_no_findings() -> None:
    built = build([], blend_file="")
    assert built["blend_file"] == "" and built["findings"] == [] and "blend_file_base64" not in built
    text = report.format_text(built)
    assert text.splitlines() == [
        "Gotcha Doctor report for (unsaved file) (Blender 5.0.1)",
        "Findings: 0 error, 0 warning, 0 info",
        "",
        "No gotchas found.",
    ]


def test_the_text_report_groups_by_severity_with_counts_and_prints_to_an_ascii_console() -> None:
    findings = [
        finding("INFO", "packed", id_type="IMAGE", id_name="a.png"),
        finding("ERROR", f"Missing {BAD_PATH}", id_type="OBJECT", id_name="Oak", library="//lib.blend"),
    ]
    text = report.format_text(build(findings, cancelled=True))
    assert text.splitlines() == [
        "Gotcha Doctor report for /p/main.blend (Blender 5.0.1)",
        "Findings: 1 error, 0 warning, 1 info (scan cancelled)",
        "",
        "ERROR (1)",
        '  [relative_paths / relative-path] Object "Oak" [//lib.blend]: Missing /tmp/caf\\xe9/wood.png',
        "",
        "INFO (1)",
        '  [relative_paths / relative-path] Image "a.png": packed',
    ]
    console = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    console.write(text)  # bad bytes are shown as \xNN, so even a strict ASCII console takes it
    console.flush()


def test_count_by_severity_and_the_status_summary() -> None:
    tally = report.count_by_severity(["ERROR", "INFO", "ERROR"])
    assert tally == {"ERROR": 2, "WARNING": 0, "INFO": 1}
    assert report.summary(tally) == "2 errors, 0 warnings, 1 info"


@pytest.mark.parametrize(
    ("fail_on", "severities", "fails"),
    [
        ("error", ["WARNING", "INFO"], False),
        ("error", ["INFO", "ERROR"], True),
        ("warning", ["INFO"], False),
        ("warning", ["WARNING"], True),
        ("info", ["INFO"], True),
        ("info", [], False),
        ("never", ["ERROR"], False),
    ],
)
def test_fail_on(fail_on: str, severities: list[str], fails: bool) -> None:
    assert report.fails([{"severity": s} for s in severities], fail_on) is fails


def test_fail_on_refuses_an_unknown_level() -> None:
    with pytest.raises(ValueError, match="--fail-on must be one of error, warning, info, never"):
        report.fails([], "fatal")
