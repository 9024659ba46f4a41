"""Window tests are opt-in: they need root, build a Debian root once and run a real Blender window (~1-2 min).

They run when asked for by path (``pytest tests/gui``, ``tests/gui/run_window_tests.sh``) or with
GOTCHA_GUI_TESTS=1; in a plain ``pytest`` of the whole tree they are reported as skipped with that reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _asked_for(config: pytest.Config) -> bool:
    if os.environ.get("GOTCHA_GUI_TESTS") == "1":
        return True
    for arg in config.args:
        path = Path(str(arg).split("::")[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _asked_for(config):
        return
    skip = pytest.mark.skip(
        reason="window tests are opt-in: run tests/gui/run_window_tests.sh, "
        "`pytest tests/gui`, or set GOTCHA_GUI_TESTS=1"
    )
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)
