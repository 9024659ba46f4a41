"""The open file's Text datablocks, linted ("Gotcha lint": the Gotchas in the code that causes them).

Every text that holds Python (a ``.py`` name, registered to run on load, or source that parses) is linted with
the Blender-free linter of ``core.lint``, for the Blender version running. A finding names the text and the line;
selecting it opens the text at that line. A text registered to run when the file loads (``use_module``) is named
as such, since its code runs in every session that opens the file with scripts allowed.

Read-only: texts are read with ``as_string()``; nothing is executed, compiled into Blender or changed. A text that
does not parse is left out (it is not Python, or not finished): only texts that Blender would run are judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import bpy

from ..core.findings import CheckInfo, Finding, Progress
from ..core.lint import lint_source
from ..core.topics import TOPICS

INFO = CheckInfo(
    id="embedded_scripts",
    topic="stale-reference",
    title="Scripts in the file",
    description="Text datablocks of the open file linted for Gotchas in their code (kept references, threads, "
    "sys.exit, // paths, …); each finding names the text and line",
    severity="WARNING",
)

MAX_TEXT_CHARS = 2_000_000  # a bigger text is not linted (said as one INFO finding)


def run(data: Any, context: Any) -> Iterator[Finding | Progress]:
    texts = list(data.texts)
    target = f"{bpy.app.version[0]}.{bpy.app.version[1]}"
    for done, text in enumerate(texts):
        name = text.name
        library = None if text.library is None else text.library.filepath
        registered = bool(text.use_module)
        source = text.as_string()
        if len(source) > MAX_TEXT_CHARS:
            yield Finding(
                check=INFO.id,
                topic="stale-reference",
                severity="INFO",
                message=f'Text "{name}" is {len(source):,} characters long; not linted',
                id_type="TEXT",
                id_name=name,
                library=library,
                details={"characters": len(source)},
            )
            continue
        if not (registered or name.endswith(".py")) and not _looks_like_python(source):
            yield Progress((done + 1) / len(texts))
            continue
        for finding in lint_source(source, name, target_blender=target):
            if finding.topic not in TOPICS:
                continue  # does not parse (GD001): not a script Blender would run as it is
            # The report and the panel lead with the owner (Text "name"), so the message starts at the line.
            where = f"Line {finding.line}" + (" (registered: runs when the file loads)" if registered else "")
            yield Finding(
                check=INFO.id,
                topic=finding.topic,
                severity=finding.severity,
                message=f"{where}: {finding.message}",
                id_type="TEXT",
                id_name=name,
                library=library,
                details={
                    "rule": finding.rule,
                    "line": finding.line,
                    "column": finding.column,
                    "registered": registered,
                    **finding.details,
                },
            )
        yield Progress((done + 1) / len(texts))


def _looks_like_python(source: str) -> bool:
    """A text without a .py name is linted when it imports Blender's modules (notes and data files are not)."""
    head = source[:20_000]
    return "import bpy" in head or "from bpy" in head
