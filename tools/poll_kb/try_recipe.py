"""Try one recipe on a few operators, in this process (a python with the bpy wheel), for developing recipes.

    BPY_PYTHON tools/poll_kb/try_recipe.py --ops asset.catalog_new,asset.tag_add \
        --recipe '{"ui_type": "ASSETS", "region": "WINDOW", "mode": "OBJECT", "setup": ["asset_library"]}' \
        [--extra my_steps.py]

``--extra`` is a Python file defining step functions with the ``step`` decorator (it is given ``step`` and ``Any``)
and optionally ``EDITORS`` (ui_type -> (area, words)); they join the vocabulary for this run, so a new step can be
tried before it is written into core/poll/steps.py. Prints the setup code, then per operator: poll result, and Blender's message when it fails.
It builds exactly what the sweep worker builds (poll_worker.build), so a pass here is what the sweep will see.
"""

from __future__ import annotations

import argparse
import importlib
import json
import runpy
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import poll_worker as worker  # noqa: E402 - imports bpy after setting BLENDER_USER_RESOURCES


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", required=True)
    parser.add_argument("--recipe", required=True, help="JSON: ui_type, region, mode, setup")
    parser.add_argument("--extra", help="a Python file with STEPS (and EDITORS) to add to the vocabulary")
    parser.add_argument("--quiet", action="store_true", help="do not print the setup code")
    args = parser.parse_args()
    if args.extra:
        steps = importlib.import_module("gd_poll.steps")
        words = importlib.import_module("gd_poll.words")
        extra = runpy.run_path(args.extra, init_globals={"step": steps.step, "Any": Any})
        words.EDITORS.update(extra.get("EDITORS", {}))
    recipe = json.loads(args.recipe)
    if not args.quiet:
        print(worker.recipe_module.build_setup_code(worker.recipe_module.Recipe.from_json(recipe)))
    override = worker.build(recipe)
    for idname in args.ops.split(","):
        ok = worker.poll(idname, override)
        line = f"{idname}: {'PASS' if ok else 'fail'}"
        if not ok:
            message, executed = worker.message_after_failed_poll(idname, override)
            line += f"  ({'EXECUTED' if executed else message})"
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
