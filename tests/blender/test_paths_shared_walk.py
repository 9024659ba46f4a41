"""The path checks' fast paths give exactly the findings of the full rules, and the walk shared by the two checks
within one scan gives exactly what each check finds alone (and is never reused after the file changed)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import bpy
from blender_scenes import file_image, save_as, touch


def as_tuples(findings) -> list[tuple]:
    return [
        (f.check, f.topic, f.severity, f.message, f.id_type, f.id_name, f.library, f.details, f.fixes) for f in findings
    ]


def full_rules(gd, project: Path) -> list[tuple]:
    """What evaluate() (the full rules, no fast path) finds for every image and text, in walk order."""
    check = gd.checks.relative_paths
    owners = gd.checks._path_owners
    resolver = check.Resolver(bpy.data.filepath, str(project))
    ctx = owners.WalkContext(bpy.data.filepath, {}, set())
    found = []
    for datablock in [*bpy.data.images, *bpy.data.texts]:
        refs: list = []
        if datablock.id_type == "IMAGE":
            owners.read_image(datablock, ctx, refs)
        else:
            owners._text(datablock, ctx, refs)
        for ref in refs:
            # A data_path the fast path does not know: evaluate() must take its full rules.
            full = list(check.evaluate(ref._replace(data_path=ref.data_path + " "), resolver, {}))
            found += [dataclasses.replace(f, details={**f.details, "data_path": ref.data_path}) for f in full]
    return as_tuples(found)


def direct(gd, check: str) -> list[tuple]:
    module = getattr(gd.checks, check)
    return as_tuples(findings_of(gd, module.run(bpy.data, bpy.context)))


def findings_of(gd, steps) -> list:
    """The findings a check's generator yields, one by one or in lists."""
    found = []
    for step in steps:
        if isinstance(step, list):
            found.extend(step)
        elif isinstance(step, gd.core.findings.Finding):
            found.append(step)
    return found


def build_mixed(project: Path, *, odd_sources: bool) -> None:
    """Plain, climbing, doubled-slash, packed-looking, sequence and movie paths, half of them missing; with
    ``odd_sources`` also tiled and generated images (the per-image path instead of the whole-batch one)."""
    save_as(project / "main.blend")
    for index in range(60):
        name = f"t{index:03d}.png"
        if index % 2:
            touch(project / "tex" / name)
        kind = index % 6
        path = {
            0: f"//tex/{name}",
            1: f"{project}/tex/{name}",
            2: f"//tex//{name}",  # doubled slash: full rules
            3: f"//sub/../tex/{name}",  # climbing: full rules
            4: f"/elsewhere/tex/{name}",  # outside the project
            5: f"///tex/{name}",  # three slashes: full rules
        }[kind]
        source = ("FILE", "MOVIE", "SEQUENCE")[index % 3]
        file_image(f"img{index:03d}", path, source)
    for index in range(20):
        text = bpy.data.texts.new(f"note{index:02d}.txt")
        if index % 2:
            touch(project / "notes" / f"n{index:02d}.txt")
        text.filepath = f"//notes/n{index:02d}.txt"
        text.use_fake_user = True
    bpy.data.texts.new("in_memory.py")  # no file: no finding
    if odd_sources:
        udim = file_image("udim", "//tex/u.<UDIM>.png", "TILED")
        udim.tiles.new(1002)
        touch(project / "tex" / "u.1001.png")
        bpy.data.images.new("generated", 4, 4).use_fake_user = True
    bpy.ops.wm.save_mainfile()


def test_whole_batch_fast_path_matches_the_full_rules(gd, tmp_path: Path):
    build_mixed(tmp_path, odd_sources=False)
    assert direct(gd, "relative_paths") == full_rules(gd, tmp_path)
    assert len(direct(gd, "relative_paths")) > 30


def test_per_image_fast_path_matches_the_full_rules(gd, tmp_path: Path):
    build_mixed(tmp_path, odd_sources=True)
    got = direct(gd, "relative_paths")
    assert got == full_rules(gd, tmp_path)
    assert ("IMAGE", "udim") in {(t[4], t[5]) for t in got}  # tile 1002 is missing


def build_non_utf8(project: Path) -> None:
    save_as(project / "main.blend")
    bad = os.fsdecode(b"caf\xe9.png")
    for index in range(500):  # more than one batch
        file_image(f"img{index:03d}", f"//tex/{index}.png")
    file_image("bad", f"//tex/{bad}")
    file_image("windows", "//tex/CON.png")
    text = bpy.data.texts.new("t.txt")
    text.filepath = "//notes/trailing./t.txt"
    text.use_fake_user = True
    bpy.ops.wm.save_mainfile()


def test_shared_walk_gives_what_each_check_finds_alone(gd, tmp_path: Path):
    build_non_utf8(tmp_path)
    alone = {
        check: as_tuples(gd.runner.make_engine([check]).run_to_end()) for check in ("relative_paths", "non_utf8_paths")
    }
    engine = gd.runner.make_engine(["relative_paths", "non_utf8_paths"])
    both = as_tuples(engine.run_to_end())
    assert both == alone["relative_paths"] + alone["non_utf8_paths"]
    assert [t[5] for t in alone["non_utf8_paths"]] == ["bad", "windows", "t.txt"]
    reverse = as_tuples(gd.runner.make_engine(["non_utf8_paths", "relative_paths"]).run_to_end())
    assert reverse == alone["non_utf8_paths"] + alone["relative_paths"]
    assert direct(gd, "non_utf8_paths") == alone["non_utf8_paths"]  # driven directly: its own walk
    assert engine.scan_state.handover == {}  # handed over and taken


def test_shared_walk_is_not_used_after_an_edit(gd, tmp_path: Path):
    """An edit between the two checks (seen by the runner's handlers) makes non_utf8_paths walk the file again.

    (An edit while non_utf8_paths runs restarts it, as the modal scan does; the hand-over is taken once, so the
    restarted check walks the file too.)"""
    build_non_utf8(tmp_path)
    engine = gd.runner.make_engine(["relative_paths", "non_utf8_paths"])
    while engine.index == 0:
        engine._advance()  # one step at a time: stop right after relative_paths, before non_utf8_paths starts
    bpy.data.images["img000"].filepath = "//tex/" + os.fsdecode(b"th\xe9.png")
    gd.runner.change_counters["edits"] += 1  # what the depsgraph handler does after an edit
    names = [f.id_name for f in engine.run_to_end() if f.check == "non_utf8_paths"]
    assert names == ["bad", "img000", "windows", "t.txt"]
    engine = gd.runner.make_engine(["relative_paths", "non_utf8_paths"])
    while engine.index == 0 or engine._live is None:
        engine._advance()  # non_utf8_paths has taken the hand-over
    bpy.data.images["img001"].filepath = "//tex/" + os.fsdecode(b"\xe0.png")
    gd.runner.change_counters["edits"] += 1
    engine.restart_current()  # what ModalScan.tick does when the counters moved
    names = [f.id_name for f in engine.run_to_end() if f.check == "non_utf8_paths"]
    assert names == ["bad", "img000", "img001", "windows", "t.txt"]


def test_shared_walk_dies_with_an_unfinished_scan(gd, tmp_path: Path):
    import gc
    import weakref

    build_non_utf8(tmp_path)
    engine = gd.runner.make_engine(["relative_paths", "non_utf8_paths"])
    while engine.index == 0:
        engine._advance()
    assert engine.scan_state.handover  # relative_paths handed its walk over, into this scan's own state
    state = weakref.ref(engine.scan_state)
    engine.cancel()
    del engine
    gc.collect()
    assert state() is None  # the hand-over dies with the scan


def test_image_batch_while_the_listing_completes_midway(gd, tmp_path: Path):
    """A directory listed a few entries per step: the batch's answers must match os.path.exists throughout (a
    listing that completes in the middle of a batch must not turn files listed since into missing ones)."""
    save_as(tmp_path / "main.blend")
    for index in range(900):
        if index % 3:
            touch(tmp_path / "tex" / f"{index:04d}.png")
        file_image(f"img{index:04d}", f"//tex/{index:04d}.png" if index % 2 else f"{tmp_path}/tex/{index:04d}.png")
    check = gd.checks.relative_paths
    owners = gd.checks._path_owners
    for chunk in (7, 50, 333):
        resolver = check.Resolver(bpy.data.filepath, str(tmp_path), gd.core.paths.DirCache(list_after=1, chunk=chunk))
        ctx = owners.WalkContext(bpy.data.filepath, {}, set(), has_libraries=False)
        found = []
        for _fraction, items in owners.walk(bpy.data, ctx, batches=True):
            resolver.cache.new_step()  # as the check does for each batch: the listing goes on a chunk at a time
            for batch in (item for item in items if isinstance(item, owners.ImageBatch)):
                found += [finding.id_name for finding in check._image_findings(batch, resolver, ctx, {})]
        assert found == [f"img{index:04d}" for index in range(900) if index % 3 == 0], chunk
        resolver.cache.close()
