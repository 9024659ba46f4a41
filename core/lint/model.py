"""What the linter reports: rules (stable code, topic, severity, title, one-line fix) and findings.

Rule codes are part of the public output (``--select``, suppressions, SARIF ``ruleId``): never renumber a code,
only add new ones. Topics are the keys of ``core.topics.TOPICS`` (the Gotchas section each rule cites).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..findings import SEVERITIES


@dataclass(frozen=True)
class Rule:
    code: str  # "GD101"
    name: str  # kebab-case, e.g. "item-kept-across-add"
    topic: str | None  # a key of core.topics.TOPICS; None only for the rules about unreadable source
    severity: str  # default severity of its findings
    title: str  # one line: what is wrong
    fix: str  # one line: what to do instead
    default: bool = True  # False: opt-in (only with --select / config select)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"rule {self.code}: unknown severity {self.severity!r}")

    @property
    def doc_path(self) -> str:
        """The rule's page, relative to the repository root."""
        return f"docs/lint/{self.code}.md"


@dataclass(frozen=True)
class LintFinding:
    rule: str
    topic: str | None
    severity: str
    file: str
    line: int  # 1-based
    column: int  # 1-based
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "topic": self.topic,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "details": dict(self.details),
        }


class Reporter:
    """Collects one file's findings; a rule reports each (rule, line, column) once."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.findings: list[LintFinding] = []
        self._seen: set[tuple[str, int, int]] = set()

    def add(
        self,
        rule: Rule,
        line: int,
        column: int,
        message: str,
        *,
        severity: str | None = None,
        **details: Any,
    ) -> None:
        key = (rule.code, line, column)
        if key in self._seen:
            return
        self._seen.add(key)
        self.findings.append(
            LintFinding(rule.code, rule.topic, severity or rule.severity, self.filename, line, column, message, details)
        )
