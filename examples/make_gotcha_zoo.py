"""Builds the bundled "gotcha zoo": a .blend (plus the side files it refers to) that shows every check.

    python examples/make_gotcha_zoo.py OUT_DIR [--scale N]            (the bpy module)
    blender -b --factory-startup --python examples/make_gotcha_zoo.py -- OUT_DIR [--scale N]

Writes OUT_DIR/gotcha_zoo.blend. ``--scale N`` repeats every exhibit N times (for long scans in window tests
and benchmarks). Each exhibit is one function of SECTIONS; a check's issue adds its own.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import bpy

ZOO_NAME = "gotcha_zoo.blend"


def _save(path: Path) -> None:
    bpy.ops.wm.save_as_mainfile(filepath=str(path), compress=False, relative_remap=False)


def section_library_name_collisions(out_dir: Path, scale: int) -> None:
    """A library with objects "Tree_N"; the main file links them and also has local objects of the same names."""
    lib_path = out_dir / "lib" / "zoo_library.blend"
    lib_path.parent.mkdir(parents=True, exist_ok=True)
    names = [f"Tree_{i:03d}" for i in range(scale)]
    main_path = Path(bpy.data.filepath)

    # Write the library as its own file, then come back to the zoo.
    _save(main_path)
    bpy.ops.wm.read_homefile(use_empty=True)
    for name in names:
        mesh = bpy.data.meshes.new(name)
        mesh.from_pydata([(0, 0, 0), (1, 0, 0), (0, 1, 0)], [], [(0, 1, 2)])
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(name, mesh))
    _save(lib_path)
    bpy.ops.wm.open_mainfile(filepath=str(main_path))

    with bpy.data.libraries.load(str(lib_path), link=True, relative=True) as (source, target):
        target.objects = [n for n in source.objects if n in names]
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)  # a user, so the link survives saving
        bpy.context.scene.collection.objects.link(bpy.data.objects.new(obj.name, None))  # a local twin


SECTIONS = (section_library_name_collisions,)


def build(out_dir: Path, scale: int = 1) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    zoo = out_dir / ZOO_NAME
    bpy.ops.wm.read_homefile(use_empty=True)
    _save(zoo)  # saved first: relative (//) paths and relative library links need the file's location
    for section in SECTIONS:
        section(out_dir, scale)
    _save(zoo)
    return zoo


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="make_gotcha_zoo", exit_on_error=False)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--clean", action="store_true", help="remove OUT_DIR first")
    args = parser.parse_args(argv)
    if args.clean and args.out_dir.exists():
        shutil.rmtree(args.out_dir)
    path = build(args.out_dir.resolve(), max(1, args.scale))
    print(f"gotcha zoo written to {path}")
    return 0


if __name__ == "__main__":
    argv = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    sys.exit(main(argv))
