"""The Gotcha Doctor command line without a Blender binary, through the ``bpy`` module:

    python tools/gotcha_cli.py scan FILE.blend [--json OUT] [--fail-on error|warning|info|never] [--checks IDS]

Same arguments and exit codes as ``blender -b -c gotcha_doctor scan ...``; a many-files scan's workers are this
script again (``gotcha_cli.py worker``), each a Python process with the bpy module.
"""

from __future__ import annotations

import os
import sys

from blender_session import enable_extension

if __name__ == "__main__":
    worker = [sys.executable, os.path.abspath(__file__)]
    sys.exit(int(enable_extension("gdcli").cli.command(sys.argv[1:], worker_command=worker)))
