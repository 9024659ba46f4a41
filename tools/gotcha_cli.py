"""The Gotcha Doctor command line without a Blender binary, through the ``bpy`` module:

    python tools/gotcha_cli.py scan FILE.blend [--json OUT] [--fail-on error|warning|info|never] [--checks IDS]

Same arguments and exit codes as ``blender -b -c gotcha_doctor scan ...``. Enables the extension from this
source tree in a throw-away user-resources directory unless BLENDER_USER_RESOURCES is already set.
"""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXTENSION_ID = "gotcha_doctor"


def _raise(error: BaseException) -> None:
    raise error


def main(argv: list[str]) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="gotcha-doctor-cli-"))
    os.environ.setdefault("BLENDER_USER_RESOURCES", str(scratch / "user-resources"))
    import bpy

    # Only importable after bpy: importing bpy puts Blender's own modules on sys.path.
    addon_utils = importlib.import_module("addon_utils")

    repo_dir = scratch / "repo"
    repo_dir.mkdir()
    (repo_dir / EXTENSION_ID).symlink_to(REPO, target_is_directory=True)
    bpy.context.preferences.extensions.repos.new(
        name="gdcli", module="gdcli", custom_directory=str(repo_dir), source="USER"
    )
    addon_utils.enable(f"bl_ext.gdcli.{EXTENSION_ID}", default_set=True, handle_error=_raise)
    cli = sys.modules[f"bl_ext.gdcli.{EXTENSION_ID}.cli"]
    return int(cli.main(argv))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
