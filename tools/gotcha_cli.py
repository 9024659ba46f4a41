"""The Gotcha Doctor command line without a Blender binary, through the ``bpy`` module:

    python tools/gotcha_cli.py scan FILE.blend [--json OUT] [--fail-on error|warning|info|never] [--checks IDS]

Same arguments and exit codes as ``blender -b -c gotcha_doctor scan ...``; a many-files scan's workers are this
script again (``gotcha_cli.py worker``), each a Python process with the bpy module.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from blender_session import enable_extension

if __name__ == "__main__":
    worker = [sys.executable, os.path.abspath(__file__)]
    scratch = Path(tempfile.mkdtemp(prefix="gotcha-doctor-cli-"))
    try:
        gd = enable_extension("gdcli", scratch)
        # A single-file scan ends the process inside command() (after removing these), before Blender frees the file.
        code = int(gd.cli.command(sys.argv[1:], worker_command=worker, remove_on_exit=[str(scratch)]))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    sys.exit(code)
