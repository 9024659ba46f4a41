"""Lint speed, next to baselines measured in the same run:

1. all of Blender's bundled scripts (the ``scripts/`` folder of this bpy wheel) linted, next to pyflakes on the
   same files in the same process (CPU time, best of three; a child Python with requirements/bench-lint.txt);
2. a 2,000-line Text datablock linted inside Blender by the scan's check, next to Python's own ``compile()`` of
   the same text (what Blender does before running it).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import bpy
from _harness import best_of, enable_extension, row

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import dev  # noqa: E402 - the venv helper of the project's commands

REPO = Path(__file__).resolve().parents[1]


def text_of_lines(count: int) -> str:
    """Add-on-like code: operators, loops over data, collection changes, paths, timers."""
    parts = ["import os\nimport bpy\n\n"]
    index = 0
    while sum(p.count("\n") for p in parts) < count:
        parts.append(
            f"class OBJECT_OT_tool_{index}(bpy.types.Operator):\n"
            f'    bl_idname = "object.tool_{index}"\n'
            f'    bl_label = "Tool {index}"\n'
            "    bl_options = {'REGISTER', 'UNDO'}\n\n"
            "    def execute(self, context):\n"
            "        obj = context.active_object\n"
            "        mesh = obj.data\n"
            "        for poly in mesh.polygons:\n"
            "            poly.use_smooth = True\n"
            f"        mod = obj.modifiers.new('Bevel{index}', 'BEVEL')\n"
            f"        mod.width = {index} * 0.01\n"
            "        path = bpy.path.abspath(mesh.name)\n"
            "        if os.path.exists(path):\n"
            "            self.report({'INFO'}, repr(path))\n"
            "        return {'FINISHED'}\n\n\n"
            f"def helper_{index}(scene):\n"
            "    names = [ob.name for ob in scene.objects if ob.type == 'MESH']\n"
            "    for name in names:\n"
            "        ob = scene.objects[name]\n"
            "        ob.location.x += 1.0\n"
            "    scene.view_layer.update() if hasattr(scene, 'view_layer') else None\n"
            "    return len(names)\n\n\n"
        )
        index += 1
    return "".join(parts)


def main() -> None:
    gd = enable_extension()
    print("lint: a 2,000-line Text datablock, linted by the scan's check in Blender")
    source = text_of_lines(2000)
    text = bpy.data.texts.new("big_tool.py")
    text.from_string(source)
    check = gd.checks.embedded_scripts

    def lint_text() -> None:
        list(check.run(bpy.data, bpy.context))

    def compile_text() -> None:
        compile(text.as_string(), "big_tool.py", "exec")

    baseline = best_of(5, compile_text, time.process_time)
    seconds = best_of(5, lint_text, time.process_time)
    print(row("Python's compile() of the text (baseline)", baseline))
    print(row(f"embedded_scripts check, {len(source.splitlines())} lines", seconds, baseline))

    scripts = Path(bpy.utils.system_resource("SCRIPTS"))
    print(f"lint: Blender's bundled scripts ({scripts}) next to pyflakes, same files, one process")
    python = dev.venv_python("bench-lint")
    child = subprocess.run(
        [str(python), str(REPO / "benchmarks" / "lint_side_by_side.py"), str(scripts)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(child.stdout)
    print(f"  {result['files']} files, {result['lines']:,} lines, {result['findings']} findings")
    print(row("pyflakes (baseline)", result["pyflakes"]))
    print(row("gotcha lint", result["gotcha_lint"], result["pyflakes"]))
    print(f"  findings per 1,000 lines: {result['findings'] * 1000 / result['lines']:.3f}")


if __name__ == "__main__":
    main()
