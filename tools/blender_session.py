"""Blender as a Python module with Gotcha Doctor enabled from this source tree, for the dev tools, the demo and
the benchmarks (tests do the same in tests/blender/conftest.py, with pytest's temp dirs).

Blender's user files go to a throw-away BLENDER_USER_RESOURCES (unless one is set), never ~/.config/blender.
The extension is enabled the way Blender enables any extension: a local extensions repository whose folder
holds a link named ``gotcha_doctor`` to the repo.
"""

from __future__ import annotations

import atexit
import importlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
EXTENSION_ID = "gotcha_doctor"


def _raise(error: BaseException) -> None:
    raise error


def enable_extension(repo_module: str = "gddev", scratch: Path | None = None) -> ModuleType:
    """Imports bpy (after isolating user files) and returns the enabled extension package. Its files go to
    ``scratch`` (default: a new temporary folder), which the caller may remove when done."""
    if scratch is None:
        scratch = Path(tempfile.mkdtemp(prefix="gotcha-doctor-"))
        # Registered before bpy's own exit handler, so it runs after Blender has let go of the folder.
        atexit.register(shutil.rmtree, scratch, True)
    os.environ.setdefault("BLENDER_USER_RESOURCES", str(scratch / "user-resources"))
    import bpy

    addon_utils = importlib.import_module("addon_utils")  # importable only after bpy puts it on sys.path
    repo_dir = scratch / "repo"
    repo_dir.mkdir()
    (repo_dir / EXTENSION_ID).symlink_to(REPO, target_is_directory=True)
    bpy.context.preferences.extensions.repos.new(
        name=repo_module, module=repo_module, custom_directory=str(repo_dir), source="USER"
    )
    module = f"bl_ext.{repo_module}.{EXTENSION_ID}"
    addon_utils.enable(module, default_set=True, handle_error=_raise)
    return sys.modules[module]
