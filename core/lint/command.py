"""``gotcha-doctor lint PATH... [--format text|json|sarif|github] [--output FILE] [--select ...] [--ignore ...]
[--target-blender X.Y] [--fail-on error|warning|info|never]`` -- Blender-free; the same ``main(argv)`` serves
``blender -b -c gotcha_doctor lint ...``.

Exit status: 0 nothing at or above --fail-on (default warning), 1 something is, 2 usage error or unreadable
input (one line on stderr each; the run goes on with the other files). argparse is made to raise instead of
calling sys.exit(), which would close Blender (the "sys.exit" gotcha).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from ..findings import SEVERITIES
from ..topics import TOPICS
from . import config as config_mod
from .engine import ALL_RULES, lint_source, parse_target, select_findings, unknown_patterns
from .files import MAX_FILE_BYTES, headless_in, iter_python_files, read_source, standalone_file
from .files import show as shown_path
from .model import LintFinding

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github")
FAIL_ON = ("error", "warning", "info", "never")
SCHEMA = "gotcha-doctor/lint/1"
GOTCHAS_URI = "https://docs.blender.org/api/current/info_gotcha.html"
USAGE = (
    "usage: gotcha-doctor lint PATH... [--format text|json|sarif|github] [--output FILE]\n"
    "                          [--select RULE_OR_TOPIC,...] [--ignore RULE_OR_TOPIC,...]\n"
    "                          [--target-blender X.Y] [--fail-on error|warning|info|never]"
)


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog="gotcha-doctor lint", add_help=False, exit_on_error=False)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--format", default="text", choices=FORMATS)
    parser.add_argument("--output", "-o")
    parser.add_argument("--select", action="append", default=[])
    parser.add_argument("--ignore", action="append", default=[])
    parser.add_argument("--target-blender")
    parser.add_argument("--fail-on", choices=FAIL_ON)
    parser.add_argument("--config")
    parser.add_argument("--list-rules", action="store_true")
    parser.add_argument("-h", "--help", action="store_true")
    return parser


def _split(values: list[str]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _say(stream: TextIO, text: str) -> None:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "replace").decode(encoding, "replace"))
    stream.flush()


def main(argv: Sequence[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        args = _parser().parse_args(list(argv))
    except (UsageError, argparse.ArgumentError) as error:
        _say(err, f"gotcha-doctor lint: {error}\n{USAGE}\n")
        return EXIT_USAGE
    if args.help:
        _say(out, USAGE + "\n")
        return EXIT_OK
    if args.list_rules:
        for rule in ALL_RULES:
            state = "" if rule.default else "  (opt-in)"
            _say(out, f"{rule.code}  {rule.severity:<7}  {rule.topic or '-':<24} {rule.title}{state}\n")
        return EXIT_OK
    if not args.paths:
        _say(err, f"gotcha-doctor lint: no PATH given\n{USAGE}\n")
        return EXIT_USAGE
    try:
        pyproject = args.config or config_mod.find_pyproject(args.paths[0])
        config = config_mod.load_config(pyproject)
    except config_mod.ConfigError as error:
        _say(err, f"gotcha-doctor lint: {error}\n")
        return EXIT_USAGE
    select = _split(args.select) or config.select
    ignore = config.ignore + _split(args.ignore)
    unknown = unknown_patterns([*select, *ignore])
    if unknown:
        _say(err, f"gotcha-doctor lint: unknown rule or topic: {', '.join(unknown)} (see --list-rules)\n")
        return EXIT_USAGE
    target_text = args.target_blender or config.target_blender
    if target_text is None:
        root = os.path.dirname(pyproject) if pyproject else args.paths[0]
        target_text = config_mod.manifest_target(root if os.path.isdir(root) else os.path.dirname(root) or ".")
    try:
        target = parse_target(target_text)
    except ValueError as error:
        _say(err, f"gotcha-doctor lint: --target-blender: {error}\n")
        return EXIT_USAGE
    fail_on = args.fail_on or config.fail_on or "warning"
    if fail_on not in FAIL_ON:
        _say(err, f"gotcha-doctor lint: fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}\n")
        return EXIT_USAGE

    problems: list[str] = []

    def problem(line: str) -> None:
        problems.append(line)
        _say(err, f"gotcha-doctor lint: {line}\n")

    findings: list[LintFinding] = []
    files = 0
    max_bytes = config.max_file_bytes or MAX_FILE_BYTES
    for path in iter_python_files(list(args.paths), problem, tuple(config.exclude)):
        shown = _shown(path)
        source = read_source(path, shown, max_bytes)
        if isinstance(source, str):
            problem(source)
            continue
        files += 1
        found = list(source.findings)
        if source.text is not None:
            found += lint_source(
                source.text,
                shown,
                target_blender=target,
                select=select,
                ignore=ignore,
                headless=headless_in(path, args.paths),
                standalone=standalone_file(path),
            )
        findings.extend(select_findings(found, select, ignore))
    text = render(args.format, findings, files, problems)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
        except OSError as error:
            _say(err, f"gotcha-doctor lint: cannot write {args.output}: {error.strerror or error}\n")
            return EXIT_USAGE
        if args.format != "text":
            _say(out, render("text", findings, files))
    else:
        _say(out, text)
    if problems:
        return EXIT_USAGE
    return EXIT_FINDINGS if fails(findings, fail_on) else EXIT_OK


def fails(findings: Sequence[LintFinding], fail_on: str) -> bool:
    if fail_on == "never":
        return False
    worst = SEVERITIES.index(fail_on.upper())
    return any(SEVERITIES.index(f.severity) <= worst for f in findings)


def _shown(path: str) -> str:
    """Paths under the working folder are shown relative to it (as code scanning wants them)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative.replace(os.sep, "/")


def render(fmt: str, findings: Sequence[LintFinding], files: int, problems: Sequence[str] = ()) -> str:
    """The report; ``problems`` (inputs that could not be read) go in JSON's ``problems`` and SARIF's tool
    execution notifications, so a CI dashboard sees them too."""
    if fmt == "json":
        return (
            json.dumps(
                {
                    "schema": SCHEMA,
                    "files": files,
                    "findings": [_safe(f.to_dict()) for f in findings],
                    "problems": [_readable(p) for p in problems],
                },
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt == "sarif":
        return json.dumps(sarif_log(findings, problems=problems), ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(_github(f) for f in findings)
    lines = [
        f"{shown_path(f.file)}:{f.line}:{f.column}: {f.rule} [{f.topic or '-'}] {f.severity} {f.message}\n"
        for f in findings
    ]
    tally = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
    summary = ", ".join(f"{n} {s.lower()}" for s, n in tally.items() if n) or "no findings"
    lines.append(
        f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {files} file{'s' if files != 1 else ''} ({summary})\n"
    )
    return "".join(lines)


def _readable(text: str) -> str:
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _safe(value: Any) -> Any:
    if isinstance(value, str):
        return _readable(value)
    if isinstance(value, dict):
        return {k: _safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_safe(v) for v in value]
    return value


def _github(finding: LintFinding) -> str:
    level = {"ERROR": "error", "WARNING": "warning", "INFO": "notice"}[finding.severity]

    def prop(text: str) -> str:
        return (
            _readable(text)
            .replace("%", "%25")
            .replace("\r", "%0D")
            .replace("\n", "%0A")
            .replace(":", "%3A")
            .replace(",", "%2C")
        )

    message = _readable(finding.message).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    title = prop(f"{finding.rule} {finding.topic or ''}".strip())
    return f"::{level} file={prop(finding.file)},line={finding.line},col={finding.column},title={title}::{message}\n"


def sarif_rules() -> list[Any]:
    from ..sarif import Rule as SarifRule
    from ..sarif import level_for

    rules = []
    for rule in ALL_RULES:
        section = TOPICS[rule.topic].section if rule.topic in TOPICS else "Python source"
        rules.append(
            SarifRule(
                id=rule.code,
                name=rule.name,
                short=rule.title,
                help_text=(
                    f"{rule.title}. Fix: {rule.fix}. Gotchas section: {section} (topic {rule.topic or '-'}). "
                    f"Suppress one line with '# gotcha: ignore[{rule.code}]'."
                ),
                help_uri=GOTCHAS_URI,
                level=level_for(rule.severity),
                tags=("blender", rule.topic or "source"),
            )
        )
    return rules


def sarif_log(findings: Sequence[LintFinding], root: str | None = None, problems: Sequence[str] = ()) -> dict[str, Any]:
    """The findings as SARIF 2.1.0; paths under ``root`` (default: the working folder) are relative to it."""
    from ..sarif import Result, build_log, level_for

    results = []
    occurrence: dict[tuple[str, str, str], int] = {}
    cache: dict[str, list[str]] = {}
    for finding in findings:
        if finding.file not in cache:
            cache[finding.file] = _lines(finding.file)
        lines = cache[finding.file]
        text = lines[finding.line - 1].strip() if 0 < finding.line <= len(lines) else ""
        marker = (finding.rule, finding.file, text)
        occurrence[marker] = occurrence.get(marker, 0) + 1
        results.append(
            Result(
                rule_id=finding.rule,
                level=level_for(finding.severity),
                message=_readable(finding.message),
                path=finding.file,
                start_line=finding.line,
                start_column=finding.column,
                # the line's text and its occurrence, not its number: the fingerprint survives edits above it
                fingerprint_parts=(finding.rule, finding.file, text, str(occurrence[marker])),
                properties={"topic": finding.topic},
            )
        )
    return build_log(
        "Gotcha Doctor",
        _version(),
        sarif_rules(),
        results,
        information_uri=GOTCHAS_URI,
        root=root or os.getcwd(),
        invocation_ok=not problems,
        notifications=[_readable(p) for p in problems],
    )


def _lines(path: str) -> list[str]:
    try:
        with open(path, "rb") as stream:
            return stream.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return []


def _version() -> str:
    manifest = os.path.join(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "blender_manifest.toml"
    )
    try:
        import tomllib

        with open(manifest, "rb") as stream:
            return str(tomllib.load(stream).get("version", "0.0.0"))
    except (OSError, ValueError):
        from importlib import metadata

        try:
            return metadata.version("gotcha-doctor")
        except metadata.PackageNotFoundError:
            return "0.0.0"


def console_main() -> int:
    """The ``gotcha-doctor`` console command (pip install): ``lint`` runs without Blender."""
    argv = sys.argv[1:]
    if argv and argv[0] == "lint":
        return main(argv[1:])
    if argv and argv[0] in {"-h", "--help", "help"}:
        _say(sys.stdout, USAGE + "\n")
        return EXIT_OK
    _say(
        sys.stderr,
        "gotcha-doctor: without Blender only `lint` runs; scan .blend files with "
        "`blender -b -c gotcha_doctor scan FILE.blend`\n" + USAGE + "\n",
    )
    return EXIT_USAGE
