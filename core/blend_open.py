"""Why a .blend cannot be scanned, in one short phrase: asked of the file system before Blender opens it, and read
from Blender's error after (without its "Error:" prefix, and without the path it repeats)."""

from __future__ import annotations

import os
import re
import stat
import zlib

from .text import display

# The header that starts every .blend (after gzip, for files saved compressed before 3.0): "BLENDER-v279" (pointer
# size, endianness, version 2.79) or, from 5.0, "BLENDER17-01v0500" (header size, format version, endianness, 5.0).
_HEADER = re.compile(rb"BLENDER(?:[-_][vV](\d{3})|\d\d-\d\d[vV](\d{4}))")


def not_a_readable_file(path: str) -> str | None:
    """Why ``path`` cannot be opened as a .blend before Blender is asked, or None. A FIFO is never opened (reading
    one blocks until something writes to it)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "no such file"
    except OSError as error:
        return display(error.strerror or str(error), 200)
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return "it is a directory, not a .blend file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device); give a .blend file"
    if not os.access(path, os.R_OK):
        return "permission denied"
    if info.st_size == 0:
        return "the file is empty (0 bytes)"  # Blender would say only "File format is not supported"
    return None


def open_failure_reason(message: str, path: str) -> str:
    """``Error: Cannot read file "/x.blend": File format is not supported`` -> ``File format is not supported``."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    if not lines:
        return "not a readable .blend file"
    reason = lines[-1]
    while reason.lower().startswith("error:"):
        reason = reason[len("error:") :].strip()
    at = reason.rfind(path)
    if at >= 0:  # Blender names the path, quoted, once or twice: keep what follows it, else what precedes it
        after = reason[at + len(path) :].lstrip("\"' :,")
        before = reason[:at].rstrip("\"' :,")
        for tail in (" in file", " file"):
            if before.lower().endswith(tail):
                before = before[: -len(tail)]
        reason = after or before
    if not reason or reason.lower() in {"cannot read", "can't read"}:
        return "not a readable .blend file"
    return display(reason[:1].upper() + reason[1:], 300)


def header_version(path: str) -> tuple[int, int] | None:
    """(major, minor) of the Blender that saved ``path``, read from its first bytes; None when they do not say
    (not a .blend, or compressed with Zstandard, which the standard library cannot read)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(512)
    except OSError:
        return None
    if head[:2] == b"\x1f\x8b":  # gzip: the first bytes of the stream are enough
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 64)
        except zlib.error:
            return None
    match = _HEADER.match(head)
    if match is None:
        return None
    number = int(match.group(1) or match.group(2))
    return number // 100, number % 100


# What a file that Blender cannot open often is instead, by its first bytes: asset libraries kept in Git hold
# LFS pointers until ``git lfs pull``, downloads can be an HTML error page or a zip of the file.
_CONTENT_HINTS = (
    (b"version https://git-lfs.github.com/spec/", "a Git LFS pointer, not the file: fetch it with git lfs pull"),
    (b"/annex/objects/", "a git-annex pointer, not the file: fetch it with git annex get"),
    (b"PK\x03\x04", "a zip archive: extract the .blend from it"),
    (b"<!doctype html", "a web page (HTML), not a .blend: a download that failed?"),
    (b"<html", "a web page (HTML), not a .blend: a download that failed?"),
)


def content_hint(path: str) -> str | None:
    """What ``path`` holds instead of a .blend, when its first bytes say (a Git LFS pointer, a zip...)."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(256)
    except OSError:
        return None
    start = head.lstrip().lower()
    for magic, hint in _CONTENT_HINTS:
        if start.startswith(magic.lower()) or (magic == b"/annex/objects/" and magic in start):
            return hint
    return None


def _cut_short(path: str) -> str | None:
    """A hint when an uncompressed .blend lacks the ENDB block every .blend ends with: an interrupted save, copy or
    download (Blender says only "Missing DNA block" or "File incomplete"). None when it ends as it should, or when
    compressed (gzip or Zstandard: the end is not readable without decompressing it all)."""
    try:
        with open(path, "rb") as stream:
            if stream.read(7) != b"BLENDER":
                return None
            stream.seek(0, os.SEEK_END)
            size = stream.tell()
            stream.seek(max(0, size - 64))
            tail = stream.read()
    except OSError:
        return None
    if b"ENDB" in tail:
        return None
    return f"the file is cut short at {size:,} bytes: it lacks the end block every .blend has; an interrupted save, copy or download?"


def newer_file_reason(path: str, reason: str, running: tuple[int, int]) -> str:
    """``reason`` for a file Blender could not open, with a hint when a newer Blender saved it (Blender itself says
    only "Not a blend file" for the file format 5.0 introduced, read from 4.5 on), or when the file is something
    else, recognisably (:func:`content_hint`)."""
    written = header_version(path)
    if written is None or written <= running:
        hint = content_hint(path) if written is None else _cut_short(path)
        return f"{reason} ({hint})" if hint else reason
    newer = f"{written[0]}.{written[1]}"
    return (
        f"{reason} (saved by Blender {newer}, newer than this Blender {running[0]}.{running[1]}: try {newer} or newer)"
    )
