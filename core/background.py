"""Child processes that work in the background of an interactive Blender: started below its priority.

A scan's child (a Blender reading a library file, the add-on linter) competes for the CPU with the window it serves:
on a machine with few cores, a window drawing with software OpenGL took two to three times as long per redraw while
a child ran at the same priority. Started ``NICENESS`` levels lower, the child takes what the window leaves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

NICENESS = 3  # levels below the parent (POSIX); "below normal" on Windows


def start(command: Sequence[str], **popen_kwargs: Any) -> subprocess.Popen[bytes]:
    """``subprocess.Popen(command, **popen_kwargs)``, the process then lowered in priority (best effort: a system
    that refuses leaves it as it is)."""
    if sys.platform == "win32":
        flags = popen_kwargs.pop("creationflags", 0) | subprocess.BELOW_NORMAL_PRIORITY_CLASS
        return subprocess.Popen(list(command), creationflags=flags, **popen_kwargs)  # noqa: S603 - the caller's
    process: subprocess.Popen[bytes] = subprocess.Popen(list(command), **popen_kwargs)  # noqa: S603 - the caller's
    try:
        # After the start, not in ``preexec_fn``: that is unsafe in a process with threads, as Blender is.
        own = os.getpriority(os.PRIO_PROCESS, 0)
        os.setpriority(os.PRIO_PROCESS, process.pid, min(19, own + NICENESS))
    except OSError:  # gone already, or not permitted: it runs at the parent's priority
        pass
    return process
