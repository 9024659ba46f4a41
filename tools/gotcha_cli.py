"""The Gotcha Doctor command line without a Blender binary, through the ``bpy`` module:

    python tools/gotcha_cli.py scan FILE.blend [--json OUT] [--fail-on error|warning|info|never] [--checks IDS]

Same arguments and exit codes as ``blender -b -c gotcha_doctor scan ...``.
"""

from __future__ import annotations

import sys

from blender_session import enable_extension

if __name__ == "__main__":
    sys.exit(int(enable_extension("gdcli").cli.main(sys.argv[1:])))
