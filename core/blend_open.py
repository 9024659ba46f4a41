"""Why a .blend cannot be scanned, in one short phrase: asked of the file system before Blender opens it, and read
from Blender's error after (without its "Error:" prefix, and without the path it repeats)."""

from __future__ import annotations

import os
import stat

from .text import display


def not_a_readable_file(path: str) -> str | None:
    """Why ``path`` cannot be opened as a .blend before Blender is asked, or None. A FIFO is never opened (reading
    one blocks until something writes to it)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "no such file"
    except OSError as error:
        return display(error.strerror or str(error), 200)
    if stat.S_ISDIR(mode):
        return "it is a directory, not a .blend file"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device); give a .blend file"
    if not os.access(path, os.R_OK):
        return "permission denied"
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
