"""Linting whole folders and files from Python (the console command and Blender's add-on lint share it)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from .config import Config
from .engine import lint_source, select_findings
from .files import MAX_FILE_BYTES, headless_in, iter_python_files, read_source, standalone_file
from .model import LintFinding


def lint_paths(
    paths: Iterable[str],
    *,
    target_blender: str | tuple[int, int] | None = None,
    problem: Callable[[str], None] | None = None,
    relative_to: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    config: Config | None = None,
) -> tuple[list[LintFinding], int]:
    """Findings of every ``*.py`` under ``paths`` and how many files were read. ``config`` (a project's
    ``[tool.gotcha-doctor]``) chooses rules and excludes files. Files are named relative to ``relative_to`` when
    given; what cannot be read goes to ``problem`` as one line."""
    config = config or Config()
    problems: list[str] = []
    report = problem or problems.append
    findings: list[LintFinding] = []
    files = 0
    paths = list(paths)
    for path in iter_python_files(paths, report, tuple(config.exclude)):
        shown = os.path.relpath(path, relative_to).replace(os.sep, "/") if relative_to else path
        source = read_source(path, shown, config.max_file_bytes or max_bytes)
        if isinstance(source, str):
            report(source)
            continue
        files += 1
        found = list(source.findings)
        if source.text is not None:
            found += lint_source(
                source.text,
                shown,
                target_blender=target_blender,
                select=config.select,
                ignore=config.ignore,
                headless=headless_in(path, paths),
                standalone=standalone_file(path),
            )
        findings.extend(select_findings(found, config.select, config.ignore))
    return findings, files
