"""Blender-style path math, without Blender: resolving ``//`` paths, tokens, and what makes a path unportable.

Blender resolves a stored path with ``BLI_path_abs`` against the file the data comes from: the main .blend for
local data, the library's .blend for linked data. On POSIX it also turns ``C:\\x`` into ``/c/x``, backslashes into
slashes, and normalizes ``.``, ``..`` and doubled slashes (``..`` above ``/`` is dropped). ``bpy.path.abspath``
(what most scripts call) does none of that and, without ``library=``, resolves linked data against the main file.
Both are mirrored here so a finding can say what Blender reads and what a naive script would get.

Everything here is pure string work plus :class:`DirCache`, which answers "does this file exist" from one
``os.scandir`` per directory instead of one ``stat`` per file (the cost that dominates a scan of many files).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from itertools import islice
from operator import attrgetter
from typing import Any, NamedTuple

# --- Resolution -------------------------------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def is_blend_relative(path: str) -> bool:
    """True for Blender's ``//`` prefix (relative to the .blend the data comes from)."""
    return path.startswith("//")


def has_windows_drive(path: str) -> bool:
    return bool(_DRIVE.match(path))


def is_unc(path: str) -> bool:
    return path.startswith("\\\\")


def normalize(path: str) -> str:
    """``BLI_path_normalize`` on POSIX: collapse ``//``, ``.`` and ``..``; ``..`` above ``/`` is dropped.

    A trailing slash is kept (Blender keeps it, and it marks a directory). Relative input stays relative and
    keeps its leading ``..``.
    """
    if not path:
        return path
    absolute = path.startswith("/")
    trailing = path.endswith("/") and path.strip("/") != ""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not absolute:
                parts.append(part)
            continue
        parts.append(part)
    text = "/".join(parts)
    if absolute:
        text = "/" + text
    elif not text:
        text = "."
    if trailing and not text.endswith("/"):
        text += "/"
    return text


def blender_abspath(path: str, base_file: str) -> str:
    """What Blender (on POSIX) reads for a stored ``path``.

    ``base_file`` is the absolute path of the .blend the data comes from (the library's file for linked data);
    ``""`` for a file never saved, where ``//x`` becomes the relative ``x`` (resolved against the working directory).
    """
    text = path
    if has_windows_drive(text):
        # Blender on POSIX maps C:\foo to /c/foo: a drive path can never exist there as written.
        text = "/" + text[0].lower() + text[2:]
    text = text.replace("\\", "/")
    if is_blend_relative(path):
        rest = text[2:]
        base_dir = base_file.rsplit("/", 1)[0] + "/" if "/" in base_file else ""
        text = base_dir + rest
    return normalize(text) if text else text


def naive_abspath(path: str, main_file: str) -> str:
    """What ``bpy.path.abspath(path)`` returns without ``library=``: joined to the main file's directory, raw."""
    if not path.startswith("//"):
        return path
    return os.path.join(os.path.dirname(main_file), path[2:])


def library_abspath(path: str, library_file: str) -> str:
    """What ``bpy.path.abspath(path, library=lib)`` returns: right base, but not normalized."""
    if not path.startswith("//"):
        return path
    return os.path.join(os.path.dirname(library_file), path[2:])


def climb_info(path: str, base_file: str) -> tuple[bool, bool]:
    """For a ``//`` path: (climbs above the directory of ``base_file``, climbs above the file-system root).

    Climbing above the root is silently clamped by Blender (``//../../../../x`` may become ``/x``).
    """
    if not is_blend_relative(path):
        return False, False
    base_parts = [p for p in os.path.dirname(base_file).split("/") if p not in ("", ".")]
    depth = 0
    lowest = 0
    for part in path[2:].replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        depth = depth - 1 if part == ".." else depth + 1
        lowest = min(lowest, depth)
    return lowest < 0, -lowest > len(base_parts)


def is_within(path: str, root: str) -> bool:
    """True when the absolute ``path`` is ``root`` or inside it (both normalized, POSIX)."""
    root = normalize(root).rstrip("/")
    path = normalize(path).rstrip("/")
    if not root:
        return path.startswith("/")
    return path == root or path.startswith(root + "/")


# What makes a folder the top of a project, when no root is set: a version-control checkout, or an asset library
# (Blender keeps blender_assets.cats.txt in a library's top folder, and beside a saved file that has catalogs).
PROJECT_MARKERS: tuple[str, ...] = (".git", ".hg", ".svn", "blender_assets.cats.txt")


class ProjectRoot(NamedTuple):
    """The folder the path checks judge against, and why: ``marker`` names what was found there ("" when the root
    is the setting, or the file's own folder for want of anything better)."""

    path: str
    marker: str = ""


def project_root(
    setting: str,
    main_file: str,
    home: str | None = None,
    exists: Callable[[str], bool] = os.path.lexists,
    scanned: Sequence[str] = (),
) -> ProjectRoot:
    """The project root: ``setting`` (a folder, may be ``//``-relative to the main file) when given; else the
    nearest folder, from the main file's own up, holding one of :data:`PROJECT_MARKERS` (a shot file in
    ``proj/shots/sh010/`` whose textures are ``//../../textures/`` belongs to ``proj/``, the checkout); else the
    innermost of the ``scanned`` folders (those a many-files scan was given) holding the file: the tree being
    checked is the project, so ``//../textures/`` inside it is no climb out; else the main file's folder (``""``
    for a file never saved).

    The home folder and the file-system root are never taken (a home kept under version control for its dot files
    is not a project), nor is anything above the home folder for a file inside it.
    """
    if setting:
        if setting.startswith("//"):
            setting = blender_abspath(setting, main_file)
        return ProjectRoot(normalize(os.path.abspath(setting)))
    folder = os.path.dirname(main_file)
    if not folder:
        return ProjectRoot("")
    home = os.path.normcase(os.path.normpath(os.path.expanduser("~") if home is None else home))
    here = os.path.normpath(folder)
    while os.path.normcase(here) != home:
        parent = os.path.dirname(here)
        if parent == here:
            break  # the file-system root
        for marker in PROJECT_MARKERS:
            if exists(os.path.join(here, marker)):
                return ProjectRoot(here, marker)
        here = parent
    holding = [normalize(top).rstrip("/") or "/" for top in scanned if is_within(folder, top)]
    if holding:
        return ProjectRoot(max(holding, key=len))
    return ProjectRoot(folder)


def relative_to(path: str, base_file: str) -> str:
    """``path`` as Blender's ``//`` relative form from the directory of ``base_file`` (may climb with ``..``)."""
    rel = os.path.relpath(normalize(path), os.path.dirname(base_file))
    if path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return "//" + rel


# --- Tokens, tiles and sequences ----------------------------------------------------------------------------

UDIM_TOKEN = "<UDIM>"
UVTILE_TOKEN = "<UVTILE>"
_TILE_IN_NAME = re.compile(r"(?<!\d)(1\d{3})(?!\d)")
_LAST_DIGITS = re.compile(r"(\d+)(?!.*\d)")


def has_tile_token(path: str) -> bool:
    return UDIM_TOKEN in path or UVTILE_TOKEN in path


def uvtile_name(number: int) -> str:
    """Tile 1001 is ``u1_v1``, 1012 is ``u2_v2`` (Blender's ``<UVTILE>`` form)."""
    offset = number - 1001
    return f"u{offset % 10 + 1}_v{offset // 10 + 1}"


def expand_tile(path: str, number: int) -> str:
    """The file of tile ``number`` for a UDIM path; without a token, Blender's rule: the 1xxx number in the name."""
    if has_tile_token(path):
        return path.replace(UDIM_TOKEN, str(number)).replace(UVTILE_TOKEN, uvtile_name(number))
    head, sep, name = path.rpartition("/")
    matches = list(_TILE_IN_NAME.finditer(name))
    if not matches:
        return path
    match = matches[-1]  # the last 1xxx group is the tile number
    return f"{head}{sep}{name[: match.start()]}{number}{name[match.end() :]}"


def sequence_parts(path: str) -> tuple[str, str, int, str] | None:
    """``/a/f_0001.png`` -> (``/a``, ``f_``, 4, ``.png``): directory, name head, digit count, tail; None without digits.

    Like ``BLI_path_sequence_decode``: the frame number is the last group of digits in the file name.
    """
    head, _, name = path.rpartition("/")
    match = _LAST_DIGITS.search(name)
    if match is None:
        return None
    return head or "/", name[: match.start()], len(match.group(1)), name[match.end() :]


def sequence_frames(names: Iterable[str], head: str, tail: str) -> list[int]:
    """Frame numbers of the files in ``names`` that match ``head<digits>tail``, sorted."""
    frames = []
    for name in names:
        if name.startswith(head) and name.endswith(tail) and len(name) > len(head) + len(tail):
            middle = name[len(head) : len(name) - len(tail)]
            if middle.isdigit():
                frames.append(int(middle))
    return sorted(frames)


# --- Portability ------------------------------------------------------------------------------------------

_WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³])(\..*)?$", re.IGNORECASE)
_WINDOWS_BAD_CHARS = re.compile(r'[<>:"|?*\x00-\x1f]')


def windows_problems(path: str) -> list[str]:
    """Why ``path`` cannot be created on Windows: reserved names, bad characters, trailing dots or spaces.

    The ``//`` prefix, a drive letter, ``<UDIM>``/``<UVTILE>`` tokens and ``.``/``..`` are fine and not reported.
    Each problem names its path component.
    """
    text = path[2:] if path.startswith("//") else path
    if has_windows_drive(text):
        text = text[3:]
    text = text.replace(UDIM_TOKEN, "1001").replace(UVTILE_TOKEN, "u1_v1").replace("\\", "/")
    problems = []
    for part in text.split("/"):
        if part in ("", ".", ".."):
            continue
        if _WINDOWS_RESERVED.match(part):
            problems.append(f'"{part}" is a reserved device name on Windows')
        bad = sorted(set(_WINDOWS_BAD_CHARS.findall(part)))
        if bad:
            shown = " ".join(repr(c)[1:-1] for c in bad)
            problems.append(f'"{part}" holds characters Windows does not allow in names: {shown}')
        if part[-1] in ". ":
            problems.append(f'"{part}" ends with a {"dot" if part[-1] == "." else "space"}, which Windows drops')
    return problems


# One byte-translation pass folds case, maps the separators "\\" and NUL to "/", a space to "." (a trailing dot or
# space are one problem) and every character Windows rejects to "<"; the tests below are then two substring
# searches and one regular expression (NUL also joins many paths into one text).
_FOLD = bytearray(range(256))
for _byte in range(ord("A"), ord("Z") + 1):
    _FOLD[_byte] = _byte + 32
for _byte in (0, ord("\\")):
    _FOLD[_byte] = ord("/")
for _byte in [*range(1, 32), *b'<>:"|?*']:
    _FOLD[_byte] = ord("<")
_FOLD[ord(" ")] = ord(".")
_FOLD_TABLE = bytes(_FOLD)
# A reserved device name as a whole component or before an extension ("con", "con.txt", "com1", "lpt¹": the
# superscripts are two UTF-8 bytes): folders like "content", "common" or "null" raise no false alarm, which would
# send every path below them through the full rules. The first letter is tested as a class, the rest as pairs: a
# superset of the names ("/lon." too, rare), found two to three times faster than trying each name at every "/".
_RESERVED_NAME = re.compile(rb"/[acnlp](?:on|rn|ux|ul|(?:om|pt)(?:[0-9]|\xc2[\xb2\xb3\xb9]))[./]")


def maybe_windows_problem(text: str) -> bool:
    """Cheap pre-filter for :func:`windows_problems`: False means no Windows problem (True may be a false alarm).

    ``text`` may be one path or many joined with NUL (which never occurs in a Blender path): one call then
    clears a whole batch. A byte translation and substring searches, not a per-component regex: many times faster.
    """
    folded = b"/" + text.encode("utf-8", "surrogateescape").translate(_FOLD_TABLE) + b"/"
    return b"<" in folded or b"./" in folded or _RESERVED_NAME.search(folded) is not None


# --- Existence, one directory listing at a time ----------------------------------------------------------


_SEP_IS_SLASH = os.sep == "/"  # scandir joins directory and name with os.sep
_IS_SYMLINK = os.DirEntry.is_symlink
_ENTRY_PATH = attrgetter("path")


class _Listing:
    """A directory being listed: the open scan until it is exhausted. Its entries go to the cache's ``present``
    set as full paths (symbolic links, which may dangle, to ``links`` instead): one set for every directory, so a
    name is checked with one lookup, and no per-directory copy of 100,000 names has to be built or freed."""

    __slots__ = ("links", "scan", "folded", "prefix", "present", "partial", "count", "sample")

    def __init__(self, scan: Any, prefix: str, present: set[str]) -> None:
        self.links: set[str] = set()  # names that are symbolic links
        self.scan: Any = scan  # None once complete
        self.folded: set[str] | None = None
        self.prefix = prefix  # the directory with its trailing slash ("" for the working directory)
        self.present = present  # the cache's set of full paths known to exist
        self.partial = False  # the directory became unreadable midway: a name not read is answered by stat
        self.count = 0  # entries read
        self.sample: list[str] = []  # a few names, to probe whether the file system ignores case

    def has(self, name: str) -> bool:
        return self.prefix + name in self.present or name in self.links

    def advance(self, count: int) -> int:
        """Reads up to ``count`` more entries, in bulk (half the time of one Python step per entry); returns how
        many were read."""
        scan = self.scan
        if scan is None:
            return 0
        try:
            part = list(islice(scan, count))
        except OSError:
            part = []
            count = 1
            self.partial = True
        if len(part) < count:
            scan.close()
            self.scan = None
        read = len(part)
        self.count += read
        if len(self.sample) < 32:
            self.sample.extend(entry.name for entry in part[:32])
        if any(map(_IS_SYMLINK, part)):  # a loop in C: usually there is none
            self.links.update(entry.name for entry in part if entry.is_symlink())
            part = [entry for entry in part if not entry.is_symlink()]
        prefix = self.prefix
        if prefix and _SEP_IS_SLASH:
            # An entry's path is its directory and name joined with one "/", what prefix + name spells, already
            # built by scandir (a new string per entry costs 10-15 % of the listing); read in a loop in C.
            self.present.update(map(_ENTRY_PATH, part))
        else:
            # The working directory (scandir(".") gives "./x"), or Windows (entry.path joins with a backslash).
            self.present.update([prefix + entry.name for entry in part])
        return read


_UNKNOWN = object()


class DirCache:
    """Answers "does this path exist" from directory listings, like ``os.path.exists`` but far fewer system calls.

    A directory is listed once it has been asked about ``list_after`` times (a directory asked about once is
    cheaper to ``stat`` than to list), and listed incrementally: at most ``chunk`` more entries between two
    ``new_step()`` calls, answering with ``stat`` until the listing is complete, so no step stalls on a directory
    of 100,000 files (a check's step must stay small). Symlinks and names that differ only in case (case-insensitive
    file systems) fall back to ``os.path.exists``. ``path in cache.present`` is a one-lookup "exists" for the
    common case (a path not in it still needs exists()). Keep one cache per scan (the disk changes between scans)
    and ``close()`` it when done; ``release()`` frees it a part at a time.
    """

    def __init__(self, list_after: int = 3, chunk: int = 16000) -> None:
        self.list_after = list_after
        # Directory entries read at most per new_step(): 16,000 take about 15 ms. A name asked before its
        # directory's listing reaches it costs a stat (3-4 us, three entries' worth of listing), so a listing that
        # ends in few steps saves more than the longer step costs (4,000 a step: 4,900 stats at 100,000 images).
        self.chunk = chunk
        self._budget = chunk
        self._asked: dict[str, int] = {}
        self._listings: dict[str, _Listing | None] = {}
        self._names: dict[str, list[str]] = {}
        self.stat_calls = 0
        self.listings = 0
        # Full paths of the (non-symlink) entries listed so far, every directory together.
        self.present: set[str] = set()
        # Directories whose listing is complete and whose file system tells cases apart: a name not listed there
        # is missing, with no further question.
        self._settled: dict[str, _Listing] = {}
        self._dropping: list[str] = []  # known paths being freed by release()

    def new_step(self) -> None:
        """A caller's new step: allows reading another ``chunk`` directory entries (spread over all its calls)."""
        self._budget = self.chunk

    def close(self) -> None:
        for state in self._listings.values():
            if state is not None and state.scan is not None:
                state.scan.close()
                state.scan = None

    def release(self, count: int = 20_000) -> bool:
        """Frees up to ``count`` known paths; True once all are freed. Dropping 100,000 strings at once takes
        over 10 ms, long for one step of a scan. The set is emptied at once (its strings move to a list, about
        1 ms), then the list is cut a part at a time: cheaper than removing parts from the set."""
        if self.present:
            self._dropping.extend(self.present)
            self.present.clear()
        del self._dropping[:count]
        return not self._dropping

    def _open(self, directory: str) -> _Listing | None:
        prefix = "" if not directory else directory if directory.endswith("/") else directory + "/"
        try:
            state: _Listing | None = _Listing(os.scandir(directory or "."), prefix, self.present)
        except OSError:
            state = None
        self.listings += 1
        self._listings[directory] = state
        return state

    def is_directory(self, directory: str) -> bool:
        """True when ``directory`` is a readable directory (its listing starts)."""
        state = self._listings.get(directory, _UNKNOWN)
        if state is _UNKNOWN:
            state = self._open(directory)
        return state is not None

    def exists(self, path: str) -> bool:
        directory, _, name = path.rpartition("/")
        if not directory and path[:1] == "/":
            directory = "/"
        settled = self._settled.get(directory)
        if name and settled is not None and not settled.has(name):
            return False  # the quick answer for a missing file (often thousands of them)
        state = self._listings.get(directory, _UNKNOWN)
        if state is _UNKNOWN:
            if not name:
                return os.path.exists(path or ".")
            asked = self._asked.get(directory, 0) + 1
            self._asked[directory] = asked
            if asked < self.list_after:
                self.stat_calls += 1
                return os.path.exists(path)
            state = self._open(directory)
        if state is None:
            return False
        assert isinstance(state, _Listing)
        if not name:
            return True  # "dir/": the directory exists
        known = state.has(name)
        if not known and state.scan is not None:
            if self._budget > 0:
                self._budget -= max(1, state.advance(self._budget))
                known = state.has(name)
            if not known and state.scan is not None:
                self.stat_calls += 1
                return os.path.exists(path)  # listing still incomplete
        if not known and state.partial:
            self.stat_calls += 1
            return os.path.exists(path)
        if known:
            if name in state.links:
                self.stat_calls += 1
                return os.path.exists(path)  # a dangling link does not count
            return True
        folded = state.folded
        if folded is None:
            folded = state.folded = self._case_folded(directory, state)
            if not folded and state.scan is None and not state.partial:
                self._settled[directory] = state  # complete, readable, case-sensitive
        if folded and name.casefold() in folded:
            self.stat_calls += 1
            return os.path.exists(path)  # same name in another case: true only on a case-insensitive disk
        return False

    def absent(self, paths: list[str]) -> list[int]:
        """Indices of the ``paths`` that do not exist, as :meth:`exists` answers each: one set lookup for a listed
        file, the directory's listing (a settled directory's verdict included) for the rest."""
        present = self.present
        if all(map(present.__contains__, paths)):
            return []  # everything is there (one pass in C; issuperset() would first copy the list into a set)
        unlisted = [index for index, path in enumerate(paths) if path not in present]
        candidates = [paths[index] for index in unlisted]
        heads = {path.rpartition("/")[0] for path in candidates}
        settled = self._settled
        if (
            "" not in heads  # "name" or "/name": exists() decides which directory that is
            and "/\x00" not in "\x00".join(candidates) + "\x00"  # no "dir/" (a question about a directory)
            and all((listing := settled.get(head)) is not None and not listing.links for head in heads)
        ):
            # Each one's directory is settled (listed completely, case-sensitive, no symbolic links): missing, as
            # exists() answers each, without a call per path (thousands of them when a texture folder moved).
            return unlisted
        exists = self.exists
        return [index for index in unlisted if not exists(paths[index])]

    def _case_folded(self, directory: str, state: _Listing) -> set[str]:
        """Case-folded names when the directory's file system ignores case (macOS, Windows), else an empty set.

        Probed once per directory: does an entry's name in swapped case also exist?
        """
        for name in state.sample:
            swapped = name.swapcase()
            if swapped != name and not state.has(swapped):
                if os.path.exists(os.path.join(directory or ".", swapped)):
                    return {n.casefold() for n in self.names(directory)}
                return set()
        return set()

    def names(self, directory: str) -> list[str]:
        """The names in ``directory``, sorted (listed once per cache; [] when it cannot be read)."""
        names = self._names.get(directory)
        if names is None:
            try:
                names = sorted(os.listdir(directory or "."))
            except OSError:
                names = []
            self._names[directory] = names
        return names
