"""The report: built once from findings (:func:`build_report`: the one sort, most severe first), written as JSON
(:func:`write_report`, schema ``gotcha-doctor/report/1``) or as readable text (:func:`format_text`), and counted by
severity (:func:`count_by_severity`). The command line, the export operator and the poll explainer all use these."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from .findings import SEVERITIES, Finding, severity_rank
from .text import display, has_surrogates, path_bytes_b64, readable, sanitize_details

SCHEMA = "gotcha-doctor/report/1"
FAIL_ON_CHOICES = ("error", "warning", "info", "never")


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """One finding as the report holds it: every string UTF-8 safe, non-UTF-8 paths kept losslessly."""
    return {
        "check": finding.check,
        "topic": finding.topic,
        "severity": finding.severity,
        "id_type": finding.id_type,
        "id_name": None if finding.id_name is None else readable(finding.id_name),
        "library": None if finding.library is None else readable(finding.library),
        "message": readable(finding.message),
        "details": sanitize_details(finding.details),
    }


def build_report(
    findings: Iterable[Finding],
    *,
    blender_version: str,
    blend_file: str,
    cancelled: bool,
) -> dict[str, Any]:
    """The report of ``findings``: most severe first, scan order kept within a severity; each in report form
    (:func:`finding_to_dict`). A ``blend_file`` that is not valid UTF-8 is given readable, plus losslessly as
    ``blend_file_base64``.
    """
    in_order = sorted(findings, key=lambda finding: severity_rank(finding.severity))
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "blender_version": blender_version,
        "blend_file": readable(blend_file),
        "cancelled": bool(cancelled),
        "findings": [finding_to_dict(finding) for finding in in_order],
    }
    if has_surrogates(blend_file):
        report["blend_file_base64"] = path_bytes_b64(blend_file)
    return report


def dumps(report: Mapping[str, Any]) -> str:
    # ensure_ascii=False keeps names readable; every string was made UTF-8 safe before, so this encodes.
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def write_report(report: Mapping[str, Any], path: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(dumps(report))


def count_by_severity(severities: Iterable[str]) -> dict[str, int]:
    """``{"ERROR": n, "WARNING": n, "INFO": n}`` for the severities of some findings."""
    tally = dict.fromkeys(SEVERITIES, 0)
    for severity in severities:
        tally[severity] += 1
    return tally


def counts(findings: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """:func:`count_by_severity` of findings in report form."""
    return count_by_severity(finding["severity"] for finding in findings)


def summary(tally: Mapping[str, int]) -> str:
    """``3 errors, 1 warnings, 0 info`` (the scan's status line)."""
    return f"{tally['ERROR']} errors, {tally['WARNING']} warnings, {tally['INFO']} info"


def fails(findings: Iterable[Mapping[str, Any]], fail_on: str) -> bool:
    """True when a finding is at or above ``fail_on`` (``error``, ``warning``, ``info``; ``never`` never fails)."""
    if fail_on not in FAIL_ON_CHOICES:
        raise ValueError(f"--fail-on must be one of {', '.join(FAIL_ON_CHOICES)}, not {fail_on!r}")
    if fail_on == "never":
        return False
    threshold = severity_rank(fail_on.upper())
    return any(severity_rank(f["severity"]) <= threshold for f in findings)


def owner_label(finding: Mapping[str, Any]) -> str:
    """``Image "wood.png"`` or ``Object "Cube" [lib.blend]``; empty when the finding has no datablock."""
    if not finding.get("id_type"):
        return ""
    label = f'{finding["id_type"].title()} "{display(finding.get("id_name") or "", 200)}"'
    if finding.get("library"):
        label += f" [{display(finding['library'], 200)}]"
    return label


def format_text(report: Mapping[str, Any]) -> str:
    """The readable report the command line prints: grouped by severity, with counts. Always printable."""
    findings = report["findings"]
    tally = counts(findings)
    blend = report["blend_file"] or "(unsaved file)"
    lines = [
        f"Gotcha Doctor report for {display(blend)} (Blender {report['blender_version']})",
        "Findings: "
        + ", ".join(f"{tally[s]} {s.lower()}" for s in SEVERITIES)
        + (" (scan cancelled)" if report["cancelled"] else ""),
    ]
    for severity in SEVERITIES:
        group = [f for f in findings if f["severity"] == severity]
        if not group:
            continue
        lines.append("")
        lines.append(f"{severity} ({len(group)})")
        for finding in group:
            owner = owner_label(finding)
            prefix = f"  [{finding['check']} / {finding['topic']}]"
            lines.append(f"{prefix} {owner + ': ' if owner else ''}{display(finding['message'])}")
    if not findings:
        lines.append("")
        lines.append("No gotchas found.")
    # The console may not be UTF-8 (the seed's print() UnicodeEncodeError); callers print with errors="replace"-safe
    # streams, and everything here is already free of surrogates.
    return "\n".join(lines) + "\n"
