"""How long the poll explainer takes, with this Blender's knowledge base (target: <= 200 ms in the panel) and
without one (the child-process probe; target: <= 1 s once its child is warm).

Run: python3 tools/dev.py bench bench_poll (or any python with the bpy wheel, e.g. each matrix version's venv). The
baselines, measured in the same run: polling the operator once in each area of the screen by hand (with a KB), and
starting a child process that imports bpy (without one). The first explain of a session also loads the knowledge base
(gzip + JSON), and the first one without a KB also starts the warm child: both are shown on their own lines.
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
    knowledge, _ = operator_poll.load_kb()
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
        entry = knowledge.entry(op) if knowledge is not None else None
        if entry is not None and entry.crashed:  # a recorded crasher: never polled, so no baseline
            print(row(f"explain {op} (crasher, not polled)", explain))
            continue
        baseline = best_of(5, lambda op=op: poll_every_area(op))
        print(row(f"baseline: poll {op} in each area", baseline))
        print(row(f"explain {op}", explain, baseline))
    print(f"  slowest explain: {worst * 1000:.1f} ms (target 200 ms)")

    # Without a KB the explainer probes in a warm child process; baseline: a child that only starts Blender.
    child = [sys.executable, "-c", "import bpy"]
    start_only = best_of(2, lambda: subprocess.run(child, capture_output=True, check=True))
    print(row("baseline: start a child process that imports bpy", start_only))
    gd.probe_child.shutdown()
    started = time.perf_counter()
    operator_poll.explain("action.clean", bpy.context, use_kb=False)
    print(row("without KB: first explain (starts the warm child)", time.perf_counter() - started, start_only))
    worst = 0.0

    def ask_child(op: str) -> None:
        gd.probe_child.forget_answers()  # a first question about this operator, to the warm child
        operator_poll.explain(op, bpy.context, use_kb=False)

    for op in ("action.clean", "mesh.subdivide", "sequencer.split", "object.delete", "node.add_node"):
        warm = best_of(3, lambda op=op: ask_child(op))
        worst = max(worst, warm)
        print(row(f"without KB, warm child: explain {op}", warm, start_only))
    again = best_of(3, lambda: operator_poll.explain("node.add_node", bpy.context, use_kb=False))
    print(row("without KB: node.add_node asked again (the child's answers kept)", again, start_only))
    print(f"  slowest warm explain without KB: {worst * 1000:.0f} ms (target 1,000 ms)")
    gd.probe_child.shutdown()


if __name__ == "__main__":
    main()
