"""Re-check a shipped KB's passing contexts, each in its own fresh process (the sweep checks them in a reused one).

    BPY_PYTHON tools/poll_kb/verify.py --sample 300     # a seeded random sample; --all for every one

Each operator's snippet (core/poll/recipe.build_snippet with poll_only=True) runs in a new Python process with bpy and
a fresh factory startup; it must print True. Prints the pass rate and the operators that failed.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _poll_package import REPO, kb, recipe  # noqa: E402


def check(python: str, op: str, recipe_json: dict) -> tuple[str, str]:
    snippet = recipe.build_snippet(op, recipe.Recipe.from_json(recipe_json), poll_only=True)
    with tempfile.TemporaryDirectory(prefix="gd-poll-verify-") as user:
        env = dict(os.environ, BLENDER_USER_RESOURCES=user, TMPDIR=user)  # what the snippet writes goes too
        try:
            done = subprocess.run([python, "-c", snippet], capture_output=True, text=True, env=env, timeout=120)
        except subprocess.TimeoutExpired:
            return op, "timeout"
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0:
        return op, f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:] or ''}"
    return op, lines[-1] if lines else "no output"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--kb", help="KB file (default: poll_kb/kb-<version of --python's bpy>.json.gz)")
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--all", action="store_true")
    parser.add_argument("--ops", help="comma-separated operators to check (instead of a sample)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    if args.kb:
        kb_path = Path(args.kb)
    else:
        with tempfile.TemporaryDirectory(prefix="gd-poll-verify-") as user:
            version = subprocess.run(
                [args.python, "-c", "import bpy; print('.'.join(map(str, bpy.app.version)))"],
                capture_output=True,
                text=True,
                check=True,
                env=dict(os.environ, BLENDER_USER_RESOURCES=user, TMPDIR=user),
            ).stdout.split()[-1]
        kb_path = REPO / "poll_kb" / f"kb-{version}.json.gz"
    knowledge = kb.KnowledgeBase.read(str(kb_path))
    with_recipe = sorted(op for op, item in knowledge.ops.items() if "recipe" in item)
    if args.ops:
        chosen = [op for op in args.ops.split(",") if op in with_recipe]
    elif args.all:
        chosen = with_recipe
    else:
        chosen = random.Random(args.seed).sample(with_recipe, min(args.sample, len(with_recipe)))
    started = time.monotonic()
    with ThreadPoolExecutor(args.workers) as pool:
        results = list(
            pool.map(lambda op: check(args.python, op, knowledge.recipes[knowledge.ops[op]["recipe"]]), chosen)
        )
    failed = [(op, out) for op, out in results if out != "True"]
    print(
        f"{kb_path.name}: {len(chosen) - len(failed)} of {len(chosen)} passing contexts verified in fresh processes "
        f"({time.monotonic() - started:.0f} s)"
    )
    for op, out in failed:
        print(f"  FAILED {op}: {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
