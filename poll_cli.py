"""``gotcha_doctor explain OPERATOR [--file FILE.blend] [--json OUT.json]``: the poll explainer on the command line.

Explains in the session's own context (background: a window and its screen, no active area), prints the answer and,
with --json, writes it as a report (schema gotcha-doctor/report/1) holding the one finding. Exit status: 0 when
explained, 2 for text that names no operator or a file that cannot be opened (nothing is evaluated or executed).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from .cli import write_json
from .core.report import build_report
from .core.text import display

EXIT_OK, EXIT_USAGE = 0, 2


def explain_command(operator: str, blend_file: str | None, json_path: str | None, say: Callable[..., None]) -> int:
    import sys

    import bpy

    from .checks import operator_poll
    from .core import poll_text
    from .core.report import finding_to_dict
    from .operators.poll import store_answer

    if blend_file:
        path = os.path.abspath(blend_file)
        if not os.path.isfile(path):
            say(f"gotcha_doctor: cannot open {display(path)}: no such file\n", sys.stderr)
            return EXIT_USAGE
        try:
            bpy.ops.wm.open_mainfile(filepath=path, load_ui=True, use_scripts=False)
        except RuntimeError as error:
            say(f"gotcha_doctor: cannot open {display(path)}: {display(str(error).strip())}\n", sys.stderr)
            return EXIT_USAGE
    try:
        finding = operator_poll.explain(operator, bpy.context)
    except poll_text.BadOperatorText as error:
        say(f"gotcha_doctor: {error}\n", sys.stderr)
        return EXIT_USAGE
    store_answer(bpy.context, finding)
    details = finding.details
    lines = [display(finding.message)]
    passing = details.get("passing_context")
    if passing:
        lines.append(
            f"verified passing context: editor {passing['ui_type'] or '(none)'}, region {passing['region']}, "
            f"mode {passing['mode']}, setup {', '.join(passing['setup']) or '(none)'}"
        )
        lines += ["snippet:", passing["snippet"].rstrip()]
    source = details.get("python_poll") or {}
    if source.get("file"):
        lines.append(f"poll() source: {display(source['file'])}:{source['line']}")
    say("\n".join(lines) + "\n")
    if json_path:
        report = build_report(
            [finding_to_dict(finding)],
            blender_version=bpy.app.version_string,
            blend_file=bpy.data.filepath,
            cancelled=False,
        )
        if not write_json(report, json_path, say):
            return EXIT_USAGE
    return EXIT_OK
