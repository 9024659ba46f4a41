"""Generated hostile scenes, scanned by every check: names at the length limit, control characters, right-to-left
text and bidi controls, paths that are not UTF-8, libraries that link each other in a cycle, 100,000 datablocks.

For each: no exception (no check fails, printing and JSON never raise), no data change, the JSON report is valid
UTF-8, and the text report holds no raw control character. Scenes come from a seeded generator, so a failure names
a seed that reproduces it.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import bpy
import pytest
from blender_scenes import add_object, datablock_keys, file_image, rna_snapshot, save_as, triangle_mesh

NAME_PIECES = [
    "plain",
    "\n",
    "\r",
    "\t",
    "\x1b[2J",
    "\x1b]0;title\x07",
    "\x7f",
    "\u0085",
    "\u009b31m",
    '"',
    "'",
    "\\",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u2028",
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic
    "\U0001f600",
    "\u00e9",
    "Findings: 0 error, 0 warning, 0 info",
    "No gotchas found.",
    "CON",
    "trailing. ",
]
PATH_BYTES = [b"caf\xe9", b"\xff\xfe", b"d\xe9cor", b"ok", b"\xc3\x28", b"tex", b"con", b"a\x1bb", b"new\nline"]


def hostile_name(rng: random.Random, at_limit: bool) -> str:
    name = "".join(rng.choice(NAME_PIECES) for _ in range(rng.randint(1, 5)))
    if at_limit:  # longer than any Blender's limit (63 bytes before 5.0, 255 after): Blender cuts it at a character
        name += "\u05d0" * 140
    return name


def hostile_path(rng: random.Random, utf8: bool = False) -> str:
    pieces = [p for p in PATH_BYTES if not utf8 or _is_utf8(p)]
    parts = [rng.choice(pieces) for _ in range(rng.randint(1, 4))]
    prefix = rng.choice([b"//", b"/", b"C:\\", b"//../../"])
    return os.fsdecode(prefix + b"/".join(parts) + rng.choice([b".png", b"", b".<UDIM>.png", b"_0001.exr"]))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def set_path(holder, attr: str, rng: random.Random) -> None:  # noqa: ANN001 - any RNA struct with a path
    """A hostile path; properties that cannot hold bytes that are not UTF-8 (Text.filepath) get a UTF-8 one."""
    try:
        setattr(holder, attr, hostile_path(rng))
    except TypeError:
        setattr(holder, attr, hostile_path(rng, utf8=True))


def write_cycle(folder: Path, rng: random.Random) -> tuple[Path, Path]:
    """Two libraries that link each other (a -> b -> a), with hostile object names."""
    a, b = folder / "lib_a.blend", folder / "lib_b.blend"
    name_a, name_b = hostile_name(rng, False) + "A", hostile_name(rng, False) + "B"
    bpy.ops.wm.read_homefile(use_empty=True)
    add_object(name_a, triangle_mesh("MeshA"))
    save_as(a)
    bpy.ops.wm.read_homefile(use_empty=True)
    add_object(name_b, triangle_mesh("MeshB"))
    save_as(b)
    for path, other, wanted in ((b, a, name_a), (a, b, name_b)):
        bpy.ops.wm.open_mainfile(filepath=str(path))
        with bpy.data.libraries.load(str(other), link=True, relative=True) as (_source, target):
            target.objects = [wanted]
        for obj in target.objects:
            bpy.context.scene.collection.objects.link(obj)
        bpy.ops.wm.save_mainfile()
    return a, b


def build_hostile_scene(folder: Path, seed: int) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lib_a, lib_b = write_cycle(folder, rng)
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(folder / os.fsdecode(b"sc\xe8ne " + str(seed).encode() + b".blend"))
    with bpy.data.libraries.load(str(lib_a), link=True, relative=True) as (source, target):
        target.objects = list(source.objects)
    for obj in target.objects:
        bpy.context.scene.collection.objects.link(obj)
        add_object(obj.name, triangle_mesh("Twin"))  # a local twin of each linked name
    for number in range(25):
        obj = add_object(hostile_name(rng, at_limit=number % 5 == 0), triangle_mesh(hostile_name(rng, False)))
        obj.data.materials.append(bpy.data.materials.new(hostile_name(rng, number % 3 == 0)))
        image = file_image(hostile_name(rng, number % 4 == 0), hostile_path(rng), rng.choice(["FILE", "SEQUENCE"]))
        image.use_fake_user = True
    for number in range(5):
        set_path(bpy.data.texts.new(hostile_name(rng, False)), "filepath", rng)
        obj = add_object(hostile_name(rng, False), triangle_mesh(f"cache{number}"))
        set_path(obj.modifiers.new(hostile_name(rng, False), "MESH_CACHE"), "filepath", rng)
    set_path(bpy.context.scene.render, "filepath", rng)
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=bpy.data.filepath)  # scanned as a user opens it


def scan_and_check_reports(gd) -> dict:
    """Scan with every check; assert what must hold for any file. Returns the JSON report."""
    assert bpy.ops.gotcha.scan() == {"FINISHED"}
    state = bpy.context.window_manager.gotcha_doctor
    failed = [item.message for item in state.findings if gd.properties.finding_details(item).get("check_failed")]
    assert failed == []
    report = gd.runner.report_from_state(state)
    encoded = gd.core.report.dumps(report).encode("utf-8")  # valid UTF-8, or this raises
    assert json.loads(encoded.decode("utf-8"))["findings"] == json.loads(json.dumps(report["findings"]))
    text = gd.core.report.format_text(report)
    lines = text.split("\n")
    for line in lines:
        assert not gd.core.text.has_unsafe_chars(line), repr(line)
    text.encode("utf-8")
    assert sum(line.startswith("Findings: ") for line in lines) == 1
    assert sum(line.startswith("  [") for line in lines) == len(report["findings"])
    return report


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_hostile_scene_scans_safely_and_changes_nothing(tmp_path, gd, seed):
    build_hostile_scene(tmp_path, seed)
    before_keys, before = datablock_keys(), rna_snapshot()
    report = scan_and_check_reports(gd)
    assert datablock_keys() == before_keys
    assert rna_snapshot() == before
    checks = {finding["check"] for finding in report["findings"]}
    assert {"library_name_collisions", "relative_paths", "non_utf8_paths"} <= checks
    # Names at the limit were cut by Blender on a character boundary: they still encode.
    assert all(len(o.name.encode("utf-8")) <= 255 for o in bpy.data.objects)
    # The panel's rows and details draw for every finding without raising (recording layout).
    from recording_layout import draw_panel

    state = bpy.context.window_manager.gotcha_doctor
    for index in range(0, len(state.findings), max(1, len(state.findings) // 20)):
        state.active_index = index
        draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor_details, bpy.context)


def test_hundred_thousand_datablocks_scan_safely(tmp_path, gd):
    objects = bpy.data.objects
    for number in range(100_000):
        objects.new(f"E{number:06d}\u202e\n", None)
    save_as(tmp_path / "many.blend")
    before_keys = datablock_keys()
    report = scan_and_check_reports(gd)
    assert datablock_keys() == before_keys
    assert len(bpy.data.objects) == 100_000
    assert report["cancelled"] is False
