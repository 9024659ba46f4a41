"""Finding and reading the files to lint, so that bad input is one line or one finding and never a traceback:
missing paths, unreadable folders, symlink loops, binary files, source that is not UTF-8, huge files."""

from __future__ import annotations

import codecs
import fnmatch
import functools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .model import LintFinding
from .rules.source import FILE_TOO_LARGE, PARSE_ERROR, SOURCE_NOT_UTF8

MAX_FILE_BYTES = 5 * 1024 * 1024
# Folders never walked into (a folder named on the command line is still linted): caches, and third-party code an
# add-on carries (its own command-line tools and error paths are not the add-on's to fix, and often never run in
# Blender). Packages installed beside a ``<name>-<version>.dist-info`` / ``.egg-info`` folder are skipped too.
SKIPPED_DIRS = frozenset(
    {"__pycache__", "node_modules", "site-packages", "vendor", "vendored", "_vendor", "third_party", "thirdparty"}
)
# Blender's own name for third-party code (``extern/``), and its variants: ``external/``, ``externals/``, a copy of
# another add-on kept in ``extern_tools/``.
_EXTERN_PREFIX = "extern"
# PEP 263: a coding cookie on line 1 or 2.
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


# Folders of test code, and the file names of test code and of a package run with ``python -m``.
_TEST_DIRS = frozenset({"tests", "test"})
_SCRIPT_NAMES = frozenset({"__main__.py", "conftest.py"})


def headless_file(path: str) -> bool:
    """True for a file that Blender's session does not import: a package's ``__main__.py`` (run by ``python -m``) or
    test code (under a ``tests``/``test`` folder, ``test_*.py``, ``*_test.py``, ``conftest.py``), run from a command
    line or by a headless Blender whose exit status is the result. ``sys.exit()`` is how such code reports it.
    ``path`` is relative to the folder linted (see :func:`headless_in`)."""
    parts = re.split(r"[\\/]", path)
    name = parts[-1]
    return (
        name in _SCRIPT_NAMES
        or (name.startswith("test_") or name.endswith("_test.py"))
        or not _TEST_DIRS.isdisjoint(parts[:-1])
    )


def headless_in(path: str, roots: Iterable[str]) -> bool:
    """:func:`headless_file` for ``path`` found by walking one of the folders ``roots``, judged by its place below
    that folder (a checkout kept in a folder named ``tests`` is not test code). A file named on its own (a
    single-file add-on) is judged as it is: False."""
    below = ""
    for root in roots:
        prefix = root.rstrip("/\\")
        if path.startswith(prefix) and path[len(prefix) : len(prefix) + 1] in ("/", "\\") and prefix:
            if not below or len(path) - len(prefix) < len(below):
                below = path[len(prefix) + 1 :]
    return bool(below) and headless_file(below)


def standalone_file(path: str) -> bool:
    """True for a file on disk that is part of no Python package: no ``__init__.py`` beside it nor in any folder
    above it (a folder without one inside a package is still importable, as a namespace package). Such a file is
    a script run on its own (a ``setup.py`` or build script beside an add-on's folder, or a script for
    ``blender --python``), not a module an add-on imports. A Text datablock or a string is never standalone."""
    return not _in_package(os.path.dirname(os.path.abspath(path)))


@functools.lru_cache(maxsize=1024)
def _in_package(folder: str) -> bool:
    if os.path.exists(os.path.join(folder, "__init__.py")):
        return True
    parent = os.path.dirname(folder)
    return parent != folder and _in_package(parent)


@dataclass(frozen=True)
class Source:
    path: str
    text: str | None  # None: nothing to lint, see findings
    findings: tuple[LintFinding, ...] = ()


def iter_python_files(paths: list[str], problem: Callable[[str], None], exclude: tuple[str, ...] = ()) -> Iterator[str]:
    """Every file named on the command line, and every ``*.py`` below the folders named, once each.

    ``problem`` receives one line for each path that cannot be read (missing, unreadable, a symlink loop);
    the walk goes on.
    """
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, problem, exclude, seen_dirs, seen_files)
        elif os.path.isfile(path):
            real = os.path.realpath(path)
            if real not in seen_files:
                seen_files.add(real)
                yield path
        elif os.path.islink(path):
            problem(f"{show(path)}: broken symbolic link or symlink loop")
        else:
            problem(f"{show(path)}: no such file or folder")


def _excluded(path: str, exclude: tuple[str, ...]) -> bool:
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path, f"*/{p}") for p in exclude)


def _walk(
    root: str,
    problem: Callable[[str], None],
    exclude: tuple[str, ...],
    seen_dirs: set[tuple[int, int]],
    seen_files: set[str],
) -> Iterator[str]:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as error:
            problem(f"{show(folder)}: {error.strerror or error}")
            continue
        identity = (info.st_dev, info.st_ino)
        if identity in seen_dirs:
            if os.path.islink(folder):
                problem(f"{show(folder)}: symlink loop (folder already visited), skipped")
            continue
        seen_dirs.add(identity)
        try:
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError as error:
            problem(f"{show(folder)}: cannot read folder: {error.strerror or error}")
            continue
        folders = []
        installed = _installed_packages(entry.name for entry in listing)
        for entry in listing:
            path = entry.path
            if _excluded(path, exclude) or _package_name(entry.name) in installed:
                continue
            try:
                is_dir = entry.is_dir()  # follows symlinks
                is_file = entry.is_file()
            except OSError as error:
                problem(f"{show(path)}: {error.strerror or error}")
                continue
            if is_dir:
                if entry.name.startswith((".", _EXTERN_PREFIX)) or entry.name in SKIPPED_DIRS:
                    continue
                folders.append(path)
            elif is_file and entry.name.endswith(".py"):
                real = os.path.realpath(path)
                if real not in seen_files:
                    seen_files.add(real)
                    yield path
            elif entry.is_symlink() and entry.name.endswith(".py") and not os.path.exists(path):
                problem(f"{show(path)}: broken symbolic link or symlink loop")
        stack.extend(reversed(folders))


def _package_name(name: str) -> str:
    """A folder's or module's name as pip normalizes project names (``My-Lib`` and ``my_lib.py``: ``my_lib``)."""
    return name.removesuffix(".py").lower().replace("-", "_").replace(".", "_")


def _installed_packages(names: Iterable[str]) -> set[str]:
    """Normalized names of the packages installed in this folder by pip: ``rich-13.7.1.dist-info`` gives ``rich``."""
    return {
        _package_name(name.partition("-")[0])
        for name in names
        if name.endswith((".dist-info", ".egg-info")) and "-" in name
    }


def show(path: str) -> str:
    """A path as one printable line (bytes that are not UTF-8 as \\xNN, control characters escaped)."""
    text = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def decode_source(data: bytes, name: str, max_bytes: int = MAX_FILE_BYTES) -> Source:
    """Bytes to text as Python would read them (UTF-8, or the PEP 263 cookie), else one finding."""
    if len(data) > max_bytes:
        return _too_large(name, len(data), max_bytes)
    if b"\x00" in data:
        return Source(name, None, (_parse_error(name, 1, "contains NUL bytes: a binary file, not Python source"),))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    encoding = _cookie(data)
    findings: tuple[LintFinding, ...] = ()
    if encoding is not None and codecs.lookup(encoding).name != "utf-8":
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as error:
            return Source(name, None, (_parse_error(name, 1, f"cannot be decoded as {encoding}: {error}"),))
        if data.isascii():
            return Source(name, text)  # "coding: ascii" or pure-ASCII text under any cookie: the bytes are UTF-8
        line = 1 if _COOKIE.match(data.split(b"\n", 1)[0]) else 2
        findings = (
            LintFinding(
                SOURCE_NOT_UTF8.code,
                SOURCE_NOT_UTF8.topic,
                SOURCE_NOT_UTF8.severity,
                name,
                line,
                1,
                f"the source is {encoding}, not UTF-8; Blender's Text Editor and data names expect UTF-8. "
                f"{SOURCE_NOT_UTF8.fix}",
                {"encoding": encoding},
            ),
        )
        return Source(name, text, findings)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            return Source(name, None, (_parse_error(name, 1, f"unknown coding cookie {encoding!r}"),))
    try:
        return Source(name, data.decode("utf-8"))
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return Source(
            name,
            None,
            (
                _parse_error(
                    name,
                    line,
                    f"byte 0x{data[error.start]:02x} at line {line} is not UTF-8 and there is no coding cookie: "
                    "Python (and Blender) refuse to load this file",
                ),
            ),
        )


def _cookie(data: bytes) -> str | None:
    for raw in data.split(b"\n", 2)[:2]:
        match = _COOKIE.match(raw)
        if match:
            return match.group(1).decode("ascii", "replace")
        if raw.strip() and not raw.lstrip().startswith(b"#"):
            break
    return None


def _too_large(name: str, size: int, limit: int) -> Source:
    message = f"not analysed: {size:,} bytes is over the {limit:,}-byte limit"
    finding = LintFinding(
        FILE_TOO_LARGE.code, FILE_TOO_LARGE.topic, FILE_TOO_LARGE.severity, name, 1, 1, message, {"bytes": size}
    )
    return Source(name, None, (finding,))


def _parse_error(name: str, line: int, message: str) -> LintFinding:
    return LintFinding(PARSE_ERROR.code, PARSE_ERROR.topic, PARSE_ERROR.severity, name, line, 1, message, {})


def read_source(path: str, shown: str, max_bytes: int = MAX_FILE_BYTES) -> Source | str:
    """The file's source, or one line saying why it cannot be read."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            return _too_large(shown, size, max_bytes)
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        return f"{show(shown)}: cannot read: {error.strerror or error}"
    return decode_source(data, shown, max_bytes)
