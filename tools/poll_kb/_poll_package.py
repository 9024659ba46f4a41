"""The extension's Blender-free poll package (core/poll), imported by path as ``gd_poll`` for the tools here."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORE_POLL = REPO / "core" / "poll"

if "gd_poll" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "gd_poll", CORE_POLL / "__init__.py", submodule_search_locations=[str(CORE_POLL)]
    )
    assert _spec is not None and _spec.loader is not None
    _package = importlib.util.module_from_spec(_spec)
    sys.modules["gd_poll"] = _package
    _spec.loader.exec_module(_package)

kb = importlib.import_module("gd_poll.kb")
library = importlib.import_module("gd_poll.library")
parse = importlib.import_module("gd_poll.parse")
recipe = importlib.import_module("gd_poll.recipe")
steps = importlib.import_module("gd_poll.steps")
sweep = importlib.import_module("gd_poll.sweep")
words = importlib.import_module("gd_poll.words")
WORKER = REPO / "poll_worker.py"
