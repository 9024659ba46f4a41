"""The Blender-free tier: plain Python and pytest, no ``bpy``.

Everything here must run where Blender is not installed (CI runners, editors, pre-commit), so importing ``bpy`` is
made impossible for the whole tier: a test that needs Blender belongs in ``tests/blender``.
"""

from __future__ import annotations

import importlib.abc
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


class _NoBlender(importlib.abc.MetaPathFinder):
    """Refuses ``bpy`` and Blender's own modules even where a ``bpy`` wheel happens to be installed."""

    BLOCKED = frozenset({"bpy", "bmesh", "mathutils", "bpy_extras", "addon_utils", "_bpy", "gpu", "bl_ui"})

    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib's signature
        if fullname.split(".", 1)[0] in self.BLOCKED:
            raise ModuleNotFoundError(f"{fullname} is not importable in the Blender-free test tier", name=fullname)
        return None


sys.meta_path.insert(0, _NoBlender())


def _package_parent() -> Path:
    """A temp folder holding a link named ``gotcha_doctor`` to the repository, so ``import gotcha_doctor`` works."""
    import atexit
    import shutil
    import tempfile

    parent = Path(tempfile.mkdtemp(prefix="gotcha-doctor-unit-"))
    (parent / "gotcha_doctor").symlink_to(REPO, target_is_directory=True)
    atexit.register(shutil.rmtree, parent, True)
    return parent


# The repository root is the package ``gotcha_doctor``; make it importable under that name.
if "gotcha_doctor" not in sys.modules:
    sys.path.insert(0, str(_package_parent()))


def _hypothesis_profile() -> None:
    """Property tests: the same examples every run (a failure is never a matter of luck, and reproduces) and no
    per-example deadline (a loaded CI machine is no bug)."""
    from hypothesis import settings

    settings.register_profile("gotcha-doctor", derandomize=True, deadline=None)
    settings.load_profile("gotcha-doctor")


_hypothesis_profile()
