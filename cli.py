"""Command line: ``blender -b -c gotcha_doctor scan PATH... [--json OUT] [--fail-on LEVEL] [--checks IDS] ...`` and
``gotcha_doctor explain OPERATOR [--file FILE.blend] [--json OUT.json]``.

One file is opened and scanned in this process; several files or a folder go to a pool of worker processes
(``batch_cli.py``). A single-file scan reports and exits at once (``os._exit`` after flushing) when run as a
command, so a file that makes Blender abort while freeing it cannot turn the exit status into a crash.

The same ``main(argv)`` serves ``tools/gotcha_cli.py`` (the ``bpy`` module, no Blender binary). Exit status:
0 no finding at or above --fail-on, 1 some, 2 usage error or a file that cannot be opened. Scripts embedded
in the scanned file never run (opened with use_scripts=False). argparse is used with exit_on_error=False and
an error() that raises, because argparse's default sys.exit() would close Blender (the "sys.exit" gotcha).
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from .core.blend_open import not_a_readable_file
from .core.report import FAIL_ON_CHOICES, fails, format_text, write_report
from .core.report_target import refuse_report_path
from .core.text import display

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

USAGE = (
    "usage: gotcha_doctor scan FILE.blend [--json OUT.json] [--fail-on error|warning|info|never] [--checks ID,ID]"
    "\n       gotcha_doctor scan PATH... [--jobs N] [--timeout SECONDS] [--dask ADDRESS] [--json OUT]"
    " [--sarif OUT] [--junit OUT] [--no-cache] [--cache-dir DIR] [--fail-on ...] [--checks ID,ID]"
    "\n       gotcha_doctor explain OPERATOR [--file FILE.blend] [--json OUT.json]"
    "\n       gotcha_doctor lint PATH... [--format text|json|sarif|github] [--output FILE] [--fail-on LEVEL]"
)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog="gotcha_doctor", add_help=False, exit_on_error=False)
    sub = parser.add_subparsers(dest="command")
    scan = sub.add_parser("scan", add_help=False, exit_on_error=False)
    scan.add_argument("file", nargs="+")
    scan.add_argument("--json", dest="json_path")
    scan.add_argument("--fail-on", default="error", choices=FAIL_ON_CHOICES)
    scan.add_argument("--checks", default="")
    # Many files (batch_cli.py): several files or folders.
    scan.add_argument("--jobs", type=_positive_int, default=default_jobs())
    scan.add_argument("--timeout", type=_positive_float, default=120.0)
    scan.add_argument("--dask", default=None)
    scan.add_argument("--sarif", dest="sarif_path")
    scan.add_argument("--junit", dest="junit_path")
    scan.add_argument("--no-cache", action="store_true")
    scan.add_argument("--cache-dir", default=None)
    # The worker of a many-files scan (started by it, not by people): files on stdin, results on a pipe.
    worker = sub.add_parser("worker", add_help=False, exit_on_error=False)
    worker.add_argument("--checks", default="")
    worker.add_argument("--scanned", action="append", default=[])  # a folder the scan was given, base64 (repeated)
    explain = sub.add_parser("explain", add_help=False, exit_on_error=False)
    explain.add_argument("operator")
    explain.add_argument("--file", dest="blend_file")
    explain.add_argument("--json", dest="json_path")
    return parser


def default_jobs() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


def _say(text: str, stream: Any = None) -> None:
    stream = stream or sys.stdout
    # The console's encoding may not be UTF-8; never let printing a report raise.
    data = text.encode(getattr(stream, "encoding", None) or "utf-8", "replace")
    stream.write(data.decode(getattr(stream, "encoding", None) or "utf-8", "replace"))
    stream.flush()


def write_json(report: dict[str, Any], json_path: str, say: Any, scanned_file: str = "") -> bool:
    """Write the JSON report and say where; on failure say why in one line and return False. Never over a .blend
    (the scanned one or any other)."""
    path = os.path.abspath(json_path)
    if refused_output(json_path, scanned_file, say):
        return False
    try:
        write_report(report, path)
    except OSError as error:
        say(f"gotcha_doctor: cannot write {display(json_path)}: {error.strerror or error}\n", sys.stderr)
        return False
    say(f"JSON report written to {display(path)}\n")
    return True


def refused_output(out_path: str | None, scanned_file: str, say: Any) -> bool:
    """True (after saying why in one line) when a report must not be written to ``out_path``: it would replace a
    .blend (the scanned one or any other) or it is a directory."""
    if not out_path:
        return False
    refused = refuse_report_path(os.path.abspath(out_path), scanned_file)
    if refused:
        say(f"gotcha_doctor: not writing the report to {display(out_path)}: {refused}\n", sys.stderr)
    return refused is not None


def command(argv: list[str], worker_command: list[str] | None = None, remove_on_exit: Sequence[str] = ()) -> int:
    """Entry point of the real command (``blender -c gotcha_doctor`` and tools/gotcha_cli.py): as :func:`main`, but
    after a single-file scan the process ends here with the result, before Blender frees the file (removing the
    folders of ``remove_on_exit`` and Blender's temporary folder first)."""
    return main(argv, worker_command=worker_command, exit_after_scan=True, remove_on_exit=remove_on_exit)


def main(
    argv: list[str],
    worker_command: list[str] | None = None,
    exit_after_scan: bool = False,
    remove_on_exit: Sequence[str] = (),
) -> int:
    if argv and argv[0] == "lint":  # Blender-free; the same command as the pip-installed `gotcha-doctor lint`
        from .core.lint.command import main as lint_main

        return lint_main(argv[1:])
    if not argv:
        _say(USAGE + "\n", sys.stderr)  # a usage error: on stderr, like every error
        return EXIT_USAGE
    if argv[0] in {"-h", "--help", "help"}:
        _say(USAGE + "\n")
        return EXIT_OK
    try:
        args = _parser().parse_args(argv)
    except (UsageError, argparse.ArgumentError) as error:
        _say(f"gotcha_doctor: {display(str(error))} (gotcha_doctor --help shows the usage)\n", sys.stderr)
        return EXIT_USAGE
    if args.command == "explain":
        return explain_command(args.operator, args.blend_file, args.json_path, _say)
    if args.command == "worker":
        return _worker(args.checks, [os.fsdecode(base64.b64decode(folder)) for folder in args.scanned])
    if args.command != "scan":
        _say(f"gotcha_doctor: unknown command\n{USAGE}\n", sys.stderr)
        return EXIT_USAGE
    paths: list[str] = args.file
    if len(paths) > 1 or os.path.isdir(paths[0]) or args.dask:
        from .batch_cli import scan_many

        if any(refused_output(out, "", _say) for out in (args.json_path, args.sarif_path, args.junit_path)):
            return EXIT_USAGE
        return scan_many(paths, args, worker_command, _say)
    code = _scan(paths[0], args.json_path, args.fail_on, args.checks, args.sarif_path, args.junit_path)
    if exit_after_scan:
        _exit_now(code, remove_on_exit)
    return code


def _worker(checks: str, scanned: Sequence[str] = ()) -> int:
    from . import batch_worker, runner

    try:
        check_ids = runner.parse_check_ids(checks) if checks.strip() else batch_worker.file_check_ids()
    except runner.UnknownChecksError as error:
        _say(f"gotcha_doctor: {error}\n", sys.stderr)
        return EXIT_USAGE
    return batch_worker.serve(check_ids, scanned=scanned)


def _exit_now(code: int, remove: Sequence[str] = ()) -> None:
    """End the process with ``code`` now: the report is out, and freeing some files aborts Blender (old smoke
    caches: SIGABRT), which would turn a clean result into exit 134. Blender's temporary folder is removed first,
    as its own exit would."""
    import shutil

    import bpy

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    for folder in (*remove, bpy.app.tempdir):
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    os._exit(code)  # gotcha: ignore[sys-exit] - the command line ends the process on purpose, after its report


def _scan(
    path: str,
    json_path: str | None,
    fail_on: str,
    checks: str,
    sarif_path: str | None = None,
    junit_path: str | None = None,
) -> int:
    from . import batch_worker, runner

    path = os.path.abspath(path)
    problem = not_a_readable_file(path)
    if problem:
        _say(f"gotcha_doctor: cannot open {display(path)}: {problem}\n", sys.stderr)
        return EXIT_USAGE
    try:
        check_ids = runner.parse_check_ids(checks)
    except runner.UnknownChecksError as error:
        _say(f"gotcha_doctor: {error}\n", sys.stderr)
        return EXIT_USAGE
    # Refused before the scan, so a slip (--json scene.blend) costs nothing: the report would replace a .blend.
    if any(refused_output(out, path, _say) for out in (json_path, sarif_path, junit_path)):
        return EXIT_USAGE
    reason = batch_worker.open_blend(path)
    if reason is not None:
        _say(f"gotcha_doctor: cannot open {display(path)}: {reason}\n", sys.stderr)
        return EXIT_USAGE
    report = batch_worker.scan_open_file(check_ids)
    _say(format_text(report))
    if json_path and not write_json(report, json_path, _say, path):
        return EXIT_USAGE
    if (sarif_path or junit_path) and not _write_ci_formats(report, path, fail_on, sarif_path, junit_path):
        return EXIT_USAGE
    return EXIT_FINDINGS if fails(report["findings"], fail_on) else EXIT_OK


def explain_command(operator: str, blend_file: str | None, json_path: str | None, say: Callable[..., None]) -> int:
    """``explain``: the poll explainer in the session's own context (background: a window and its screen, no active
    area). Prints the answer and, with --json, writes it as a report holding the one finding. Exit status: 0 when
    explained, 2 for text that names no operator or a file that cannot be opened (nothing is evaluated or executed).
    """
    import bpy

    from . import runner
    from .checks import operator_poll
    from .core.poll import parse as poll_parse
    from .operators.poll import store_answer

    if blend_file:
        from .batch_worker import open_blend

        path = os.path.abspath(blend_file)
        if refused_output(json_path, path, say):
            return EXIT_USAGE
        reason = open_blend(path, load_ui=True)  # the explanation is about a window's context: keep the file's UI
        if reason is not None:
            say(f"gotcha_doctor: cannot open {display(path)}: {reason}\n", sys.stderr)
            return EXIT_USAGE
    try:
        finding = operator_poll.explain(operator, bpy.context)
    except poll_parse.BadOperatorText as error:
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
        if not write_json(runner.report([finding]), json_path, say, bpy.data.filepath):
            return EXIT_USAGE
    return EXIT_OK


def _write_ci_formats(
    report: dict[str, Any], path: str, fail_on: str, sarif_path: str | None, junit_path: str | None
) -> bool:
    """SARIF and JUnit for one file, the same as a many-files scan writes them."""
    from .batch_cli import tool_version
    from .core.batch import OK, FileResult
    from .core.batch_run import BatchOptions, BatchOutcome, write_outputs

    result = FileResult(path, OK, report=report, attempts=1)
    outcome = BatchOutcome([result], {}, 0.0)
    options = BatchOptions(
        blender_version=report["blender_version"],
        tool_version=tool_version(),
        sarif_path=sarif_path,
        junit_path=junit_path,
        fail_on=fail_on,
    )
    write_outputs(outcome, options)
    for line in outcome.write_errors:
        _say(f"gotcha_doctor: {line}\n", sys.stderr)
    return not outcome.write_errors
