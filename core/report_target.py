"""Where a report may be written: never over a .blend file (the scanned one or any other), never into a directory.

A report path is typed by hand or taken from a script; one slip (``--json scene.blend``) would replace a user's
work with JSON, so the decision is made here, before anything is opened for writing.
"""

from __future__ import annotations

import os
import re

# .blend, its backups (.blend1, .blend2 ...) and Blender's temporary save (.blend@).
_BLEND_NAME = re.compile(r"\.blend\d*@?$", re.IGNORECASE)
# What a .blend file starts with: uncompressed, gzip (Blender < 3.0) or zstd (3.0+).
_BLEND_MAGIC = (b"BLENDER", b"\x1f\x8b", b"\x28\xb5\x2f\xfd")


def refuse_report_path(path: str, scanned_file: str = "") -> str | None:
    """Why the report must not be written to ``path`` (an absolute path), or None when it may be.

    Refused: a name ending in .blend (or a backup's .blend1...), the scanned file itself (by name or, when both exist,
    by identity), an existing file that holds a .blend, and a directory.
    """
    if not path:
        return "no file path given"
    if os.path.isdir(path):
        return "it is a directory; give a file name such as report.json"
    if scanned_file and _same_file(path, scanned_file):
        return "it is the scanned .blend file itself; the report would replace it"
    if _BLEND_NAME.search(path):
        return "it is named like a .blend file; give a name such as report.json"
    if _holds_blend(path):
        return "that file is a .blend file (by its contents); the report would replace it"
    return None


def _same_file(path: str, other: str) -> bool:
    if os.path.abspath(path) == os.path.abspath(other):
        return True
    try:
        return os.path.samefile(path, other)
    except OSError:  # one of them does not exist: then they are not the same file
        return False


def _holds_blend(path: str) -> bool:
    try:
        with open(path, "rb") as stream:
            head = stream.read(7)
    except OSError:  # missing or unreadable: nothing there to overwrite by mistake
        return False
    if head.startswith(b"BLENDER"):
        return True
    # A compressed file is only taken for a .blend by its name (a .json.gz report is not one).
    return head.startswith(_BLEND_MAGIC[1:]) and ".blend" in os.path.basename(path).lower()
