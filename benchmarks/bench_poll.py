"""How long the poll explainer takes for operators in the knowledge base (target: <= 200 ms in the panel).

Run: python3 tools/dev.py bench bench_poll (or any python with the bpy wheel). The baseline, measured in
the same run, is the cheapest useful alternative: polling the operator once in each area of the screen by hand.
The first explain of a session also loads the knowledge base (gzip + JSON), shown on its own line.
"""

from __future__ import annotations

import subprocess
import sys
import time

from _harness import best_of, bpy, enable_extension  # _harness sets BLENDER_USER_RESOURCES before importing bpy

OPERATORS = [
    "action.clean",
    "mesh.subdivide",
    "node.add_node",
    "sequencer.split",
    "uv.unwrap",
    "object.delete",
    "armature.collection_unsolo_all",
    "anim.slot_channels_move_to_new_action",
]


def row(label: str, seconds: float, baseline: float | None = None) -> str:
    ratio = "" if baseline is None else f"  ({seconds / baseline:6.1f}x baseline)"
    return f"  {label:<62} {seconds * 1000:8.3f} ms{ratio}"


def main() -> None:
    gd = enable_extension()
    bpy.ops.wm.read_homefile(use_empty=False)
    operator_poll = gd.checks.operator_poll
    store_answer = gd.operators.poll.store_answer
    started = time.perf_counter()
    operator_poll.load_kb()
    load = time.perf_counter() - started
    print(f"Blender {bpy.app.version_string}: poll explainer")
    print(row("first use: load the knowledge base", load))
    window = bpy.context.window_manager.windows[0]

    def poll_every_area(op: str) -> None:
        group, name = op.split(".")
        proxy = getattr(getattr(bpy.ops, group), name)
        for area in window.screen.areas:
            region = next(r for r in area.regions if r.type == "WINDOW")
            with bpy.context.temp_override(window=window, area=area, region=region):
                proxy.poll()

    worst = 0.0
    for op in OPERATORS:
        if op.split(".")[1] not in dir(getattr(bpy.ops, op.split(".")[0])):
            print(f"  {op}: not in Blender {bpy.app.version_string}")
            continue
        # What the operator does, minus its report line (which the bpy module prints to stdout).
        explain = best_of(5, lambda op=op: store_answer(bpy.context, operator_poll.explain(op, bpy.context)))
        worst = max(worst, explain)
        if op == "anim.slot_channels_move_to_new_action":  # a recorded crasher: never polled, so no baseline
            print(row(f"explain {op} (crasher, not polled)", explain))
            continue
        baseline = best_of(5, lambda op=op: poll_every_area(op))
        print(row(f"baseline: poll {op} in each area", baseline))
        print(row(f"explain {op}", explain, baseline))
    print(f"  slowest explain: {worst * 1000:.1f} ms (target 200 ms)")

    # Without a KB entry the explainer probes in a child process; baseline: a child that only starts Blender.
    child = [sys.executable, "-c", "import bpy"]
    start_only = best_of(2, lambda: subprocess.run(child, capture_output=True, check=True))
    probe = best_of(2, lambda: operator_poll.explain("action.clean", bpy.context, use_kb=False))
    print(row("baseline: start a child process that imports bpy", start_only))
    print(row("explain action.clean without KB (child-process probe)", probe, start_only))


if __name__ == "__main__":
    main()
