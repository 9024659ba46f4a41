"""Gotcha lint: finds the Gotchas in the code that causes them, with the standard library only (no ``bpy``).

``lint_source(text, filename)`` lints one module's text; ``lint_paths`` lints files and folders. Rules have
stable codes (``GD101``…), a topic (a key of ``core.topics.TOPICS``), a severity, a title and a one-line fix.
"""

from __future__ import annotations

from .engine import ALL_RULES, DEFAULT_TARGET, RULES_BY_CODE, enabled_rules, lint_source, parse_target
from .model import LintFinding, Rule

__all__ = [
    "ALL_RULES",
    "DEFAULT_TARGET",
    "RULES_BY_CODE",
    "LintFinding",
    "Rule",
    "enabled_rules",
    "lint_source",
    "parse_target",
]
