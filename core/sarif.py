"""SARIF 2.1.0 logs (what GitHub code scanning and other CI dashboards read), for any kind of finding.

Generic: a caller gives its rules and results; this module builds the log. Each result gets
``partialFingerprints`` from parts the caller chooses (stable facts about the finding, never its line text or
position alone), so a dashboard tracks the same finding across runs.

File locations: a path under ``root`` (the checkout, usually the working directory) becomes a relative URI with
``uriBaseId`` ``%SRCROOT%``, as code scanning wants; any other path becomes an absolute ``file://`` URI. A path
that is not UTF-8 is percent-encoded byte by byte, so nothing is lost.
"""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
FINGERPRINT_KEY = "gotchaDoctor/v1"
LEVELS = {"ERROR": "error", "WARNING": "warning", "INFO": "note"}


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # PascalCase-free readable name is fine; shown as the rule's title
    short: str  # one sentence
    help_text: str = ""  # longer help (markdown-free plain text)
    help_uri: str | None = None
    level: str = "warning"  # default level: "error" | "warning" | "note"
    tags: tuple[str, ...] = ()


@dataclass
class Result:
    rule_id: str
    level: str  # "error" | "warning" | "note"
    message: str
    path: str  # the file the result is in (absolute or relative to the root)
    start_line: int = 1
    start_column: int | None = None
    fingerprint_parts: Sequence[str] = ()
    properties: dict[str, Any] = field(default_factory=dict)


def level_for(severity: str) -> str:
    """Gotcha Doctor severity (ERROR, WARNING, INFO) to SARIF level (error, warning, note)."""
    return LEVELS[severity]


def fingerprint(parts: Iterable[str]) -> str:
    """A stable hex digest of the parts (NUL-separated, so ``("ab", "c")`` differs from ``("a", "bc")``)."""
    data = b"\0".join(os.fsencode(part) if isinstance(part, str) else bytes(part) for part in parts)
    return hashlib.sha256(data).hexdigest()


def artifact_location(path: str, root: str | None) -> dict[str, Any]:
    raw = os.fsencode(path)
    if root is not None:
        absolute = os.path.abspath(path)
        base = os.path.abspath(root)
        if absolute == base or absolute.startswith(base.rstrip(os.sep) + os.sep):
            relative = os.fsencode(os.path.relpath(absolute, base)).replace(os.fsencode(os.sep), b"/")
            return {"uri": urllib.parse.quote_from_bytes(relative, safe="/"), "uriBaseId": "%SRCROOT%"}
        raw = os.fsencode(absolute)
    elif not os.path.isabs(path):
        return {"uri": urllib.parse.quote_from_bytes(raw.replace(os.fsencode(os.sep), b"/"), safe="/")}
    return {"uri": "file://" + urllib.parse.quote_from_bytes(raw, safe="/")}


def _rule(rule: Rule) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.help_text or rule.short},
        "help": {"text": rule.help_text or rule.short},
        "defaultConfiguration": {"level": rule.level},
    }
    if rule.help_uri:
        item["helpUri"] = rule.help_uri
    if rule.tags:
        item["properties"] = {"tags": list(rule.tags)}
    return item


def _result(result: Result, rule_index: dict[str, int], root: str | None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(1, result.start_line)}
    if result.start_column is not None:
        region["startColumn"] = max(1, result.start_column)
    item: dict[str, Any] = {
        "ruleId": result.rule_id,
        "level": result.level,
        "message": {"text": result.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact_location(result.path, root), "region": region}}
        ],
    }
    if result.rule_id in rule_index:
        item["ruleIndex"] = rule_index[result.rule_id]
    if result.fingerprint_parts:
        item["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(result.fingerprint_parts)}
    if result.properties:
        item["properties"] = result.properties
    return item


def build_log(
    tool_name: str,
    tool_version: str,
    rules: Sequence[Rule],
    results: Iterable[Result],
    *,
    information_uri: str | None = None,
    root: str | None = None,
    invocation_ok: bool = True,
    notifications: Sequence[str] = (),
) -> dict[str, Any]:
    """One run of one tool. ``notifications``: problems of the run itself (a file that could not be read)."""
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": tool_name,
        "version": tool_version,
        "semanticVersion": tool_version,
        "rules": [_rule(rule) for rule in rules],
    }
    if information_uri:
        driver["informationUri"] = information_uri
    invocation: dict[str, Any] = {"executionSuccessful": invocation_ok}
    if notifications:
        invocation["toolExecutionNotifications"] = [
            {"level": "error", "message": {"text": text}} for text in notifications
        ]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "results": [_result(result, rule_index, root) for result in results],
    }
    if root is not None:
        base = os.fsencode(os.path.abspath(root)).rstrip(b"/") + b"/"
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": "file://" + urllib.parse.quote_from_bytes(base, safe="/")}}
    return {"$schema": SCHEMA_URI, "version": VERSION, "runs": [run]}


def problems(log: dict[str, Any]) -> list[str]:
    """What GitHub code scanning needs and ``log`` lacks (empty when it is fine): the properties the SARIF 2.1.0
    schema requires, plus code scanning's own (rule help text, ruleId of a known rule, startLine >= 1, stable
    partialFingerprints). Used by tests, where no copy of the JSON schema is at hand."""
    found: list[str] = []
    if log.get("version") != VERSION:
        found.append("version must be 2.1.0")
    runs = log.get("runs")
    if not isinstance(runs, list) or not runs:
        return [*found, "runs must be a non-empty list"]
    for r, run in enumerate(runs):
        driver = run.get("tool", {}).get("driver", {})
        if not driver.get("name"):
            found.append(f"runs[{r}].tool.driver.name is required")
        rule_ids = set()
        for i, rule in enumerate(driver.get("rules", [])):
            if not rule.get("id"):
                found.append(f"runs[{r}].tool.driver.rules[{i}].id is required")
            rule_ids.add(rule.get("id"))
            if not rule.get("shortDescription", {}).get("text"):
                found.append(f"rule {rule.get('id')}: shortDescription.text is required")
            if not rule.get("help", {}).get("text"):
                found.append(f"rule {rule.get('id')}: help.text is required by code scanning")
        for i, result in enumerate(run.get("results", [])):
            where = f"runs[{r}].results[{i}]"
            if not result.get("message", {}).get("text"):
                found.append(f"{where}.message.text is required")
            if result.get("ruleId") not in rule_ids:
                found.append(f"{where}.ruleId {result.get('ruleId')!r} is not a rule of the driver")
            if result.get("level") not in {"none", "note", "warning", "error"}:
                found.append(f"{where}.level is not a SARIF level")
            fingerprints = result.get("partialFingerprints")
            if not fingerprints:
                found.append(f"{where}.partialFingerprints is missing")
            elif not all(isinstance(v, str) and v for v in fingerprints.values()):
                found.append(f"{where}.partialFingerprints values must be non-empty strings")
            if not result.get("locations"):
                found.append(f"{where}.locations: code scanning needs at least one location")
            for location in result.get("locations", []):
                physical = location.get("physicalLocation", {})
                if not physical.get("artifactLocation", {}).get("uri"):
                    found.append(f"{where}: physicalLocation.artifactLocation.uri is required")
                region = physical.get("region")
                if region is not None and (not isinstance(region.get("startLine"), int) or region["startLine"] < 1):
                    found.append(f"{where}: region.startLine must be an integer >= 1")
    return found
