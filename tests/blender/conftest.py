"""Runs the tests inside real Blender (the PyPI ``bpy`` module) with the extension enabled from this source tree.

Blender's user resources go to a temporary directory (never ~/.config/blender). The extension is enabled the
way Blender enables any extension: through a local extensions repository whose folder holds ``gotcha_doctor``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="gotcha-doctor-tests-"))
atexit.register(shutil.rmtree, _SESSION_DIR, True)  # registered before bpy's own exit handler, so it runs after it
os.environ["BLENDER_USER_RESOURCES"] = str(_SESSION_DIR / "user-resources")

import bpy  # noqa: E402 - must come after BLENDER_USER_RESOURCES is set
from blender_scenes import EXTENSION_MODULE as MODULE  # noqa: E402 - after bpy, like every bpy user

EXTENSION_ID = "gotcha_doctor"


def _raise(error: BaseException) -> None:
    raise error


def _enable_extension() -> None:
    import addon_utils

    repo_dir = _SESSION_DIR / "repo"
    repo_dir.mkdir()
    (repo_dir / EXTENSION_ID).symlink_to(REPO, target_is_directory=True)
    bpy.context.preferences.extensions.repos.new(
        name="gdtest", module="gdtest", custom_directory=str(repo_dir), source="USER"
    )
    module = addon_utils.enable(MODULE, default_set=True, handle_error=_raise)
    assert module is not None, f"could not enable {MODULE}"


_enable_extension()


@pytest.fixture(scope="session")
def gd():
    """The enabled extension package (``bl_ext.gdtest.gotcha_doctor``)."""
    return sys.modules[MODULE]


@pytest.fixture(autouse=True)
def fresh_session():
    """Each test starts from an empty file (the extension stays enabled) and no findings."""
    bpy.ops.wm.read_homefile(use_empty=True)
    state = bpy.context.window_manager.gotcha_doctor
    sys.modules[MODULE].properties.clear_findings(state)
    state.has_scanned = False
    state.cancelled = False
    yield


@pytest.fixture
def tmp_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture(scope="module")
def live_addon(tmp_path_factory):
    """The ``live_gotchas`` test extension (tests/blender/live_addons.py), built, installed and enabled for one test
    module: it leaves a thread and a timer running and keeps Blender data where the Gotchas pages warn against."""
    import live_addons

    module = live_addons.build_and_install(tmp_path_factory.mktemp("live-addon"))
    yield module
    live_addons.uninstall()


_exit_status = 0


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Leave once pytest has reported, without the bpy module's own exit: after a full run it crashed (4.2.23:
    SIGSEGV) or hung for good (4.5.15: the main thread's static destructors wait in pthread_cond_destroy on Blender's
    delayed-close thread), turning a finished run into a failed or endless one. The scratch folder goes first."""
    shutil.rmtree(_SESSION_DIR, ignore_errors=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status)  # gotcha: ignore[sys-exit] - ends the pytest process on purpose (see above)
