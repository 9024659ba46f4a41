"""CI formats of a many-files scan: SARIF 2.1.0 (code scanning) and JUnit XML (GitLab, Jenkins).

SARIF: a .blend has no lines, so every finding sits at line 1 of its file; its fingerprint is made of the check,
the datablock (type, name, library) and the file's path (relative to the root), plus the RNA path of the property
for path findings (one datablock may hold several paths), so code scanning tracks a finding across runs even when
its message's figures change. A file that is not ``ok`` is one ``error`` result of the rule ``file-not-scanned``.

JUnit: one test suite, one test case per file (``classname`` the folder, ``name`` the file name); a file with a
finding at or above ``--fail-on`` is a ``failure``; a file that is not ok is an ``error``; its findings are the
case's ``system-out``.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from .batch import OK, FileResult, result_fails, result_line
from .report import counts, owner_label
from .sarif import Result, Rule, build_log, level_for
from .text import display, readable
from .topics import TOPICS

TOOL_NAME = "Gotcha Doctor"
FILE_RULE = "file-not-scanned"
GOTCHAS_URI = "https://docs.blender.org/api/current/info_gotcha.html"


def _rules(results: Sequence[FileResult]) -> list[Rule]:
    """One rule per check that found something (with its topic's Gotchas section), and the file-status rule."""
    seen: dict[str, str] = {}
    for result in results:
        for finding in result.findings:
            seen.setdefault(finding["check"], finding["topic"])
    rules = []
    for check, topic in sorted(seen.items()):
        info = TOPICS.get(topic)
        section = f' (Blender Python API Gotchas: "{info.section}")' if info else ""
        rules.append(
            Rule(
                id=check,
                name=check,
                short=f"Gotcha Doctor check {check}, topic {topic}{section}.",
                help_text=(info.summary if info else topic),
                help_uri=GOTCHAS_URI,
                tags=(topic,),
            )
        )
    rules.append(
        Rule(
            id=FILE_RULE,
            name=FILE_RULE,
            short="The .blend file could not be scanned: unreadable, or Blender crashed or hung on it.",
            level="error",
        )
    )
    return rules


def sarif_log(results: Sequence[FileResult], tool_version: str, root: str | None) -> dict[str, Any]:
    base = os.path.abspath(root) if root else None

    def where(path: str) -> str:
        if base and (path == base or path.startswith(base.rstrip(os.sep) + os.sep)):
            return os.path.relpath(path, base)
        return path

    items: list[Result] = []
    for result in results:
        path_key = where(result.blend_file)
        if result.status != OK:
            items.append(
                Result(
                    FILE_RULE,
                    "error",
                    f"{result.status}: {result.error or result.status}",
                    result.blend_file,
                    fingerprint_parts=(FILE_RULE, path_key),
                    properties={"status": result.status},
                )
            )
            continue
        for finding in result.findings:
            details = finding.get("details") or {}
            owner = owner_label(finding)
            items.append(
                Result(
                    finding["check"],
                    level_for(finding["severity"]),
                    f"{owner + ': ' if owner else ''}{finding['message']}",
                    result.blend_file,
                    fingerprint_parts=(
                        finding["check"],
                        finding.get("id_type") or "",
                        finding.get("id_name") or "",
                        finding.get("library") or "",
                        path_key,
                        str(details.get("data_path") or ""),
                    ),
                    properties={"topic": finding["topic"], "severity": finding["severity"]},
                )
            )
    return build_log(
        TOOL_NAME,
        tool_version,
        _rules(results),
        items,
        information_uri=GOTCHAS_URI,
        root=base,
    )


# Characters XML 1.0 cannot hold at all (control characters other than tab, newline, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Readable text XML can hold: bad bytes as ``\\xNN`` (see core.text), control characters as ``\\xNN``."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", readable(text))


def junit_xml(results: Sequence[FileResult], fail_on: str, seconds: float) -> bytes:
    failures = sum(1 for r in results if r.status == OK and result_fails(r, fail_on))
    errors = sum(1 for r in results if r.status != OK)
    suite = ET.Element(
        "testsuite",
        name="gotcha-doctor",
        tests=str(len(results)),
        failures=str(failures),
        errors=str(errors),
        skipped="0",
        time=f"{seconds:.3f}",
    )
    for result in results:
        folder, name = os.path.split(result.blend_file)
        case = ET.SubElement(
            suite, "testcase", classname=xml_text(folder), name=xml_text(name), time=f"{result.seconds:.3f}"
        )
        lines = [
            f"{f['severity']} [{f['check']} / {f['topic']}] "
            f"{owner_label(f) + ': ' if owner_label(f) else ''}{display(f['message'])}"
            for f in result.findings
        ]
        if result.status != OK:
            error = ET.SubElement(case, "error", type=result.status, message=xml_text(result.error or result.status))
            error.text = xml_text(result_line(result))
        elif result_fails(result, fail_on):
            tally = counts(result.findings)
            failure = ET.SubElement(
                case,
                "failure",
                type=f"findings at or above {fail_on}",
                message=f"{tally['ERROR']} error, {tally['WARNING']} warning, {tally['INFO']} info",
            )
            failure.text = xml_text("\n".join(lines))
        if lines:
            ET.SubElement(case, "system-out").text = xml_text("\n".join(lines))
    data: bytes = ET.tostring(suite, encoding="utf-8", xml_declaration=True)
    return data
