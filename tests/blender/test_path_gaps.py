"""Paths Blender reads that no path field spells out in full, on real files: multires external displacement
(.btx), a cache-file (Alembic) sequence with a missing frame, a particle cache baked to disk whose files are gone,
and an ocean modifier's cache folder (read only once baked). Each finding says what Blender does without it."""

from __future__ import annotations

import shutil
from pathlib import Path

import blend_patch
import bpy
import pytest
from blender_scenes import extension, save_as


def scan() -> list[dict]:
    assert bpy.ops.gotcha.scan(checks="relative_paths") == {"FINISHED"}
    as_report = extension().properties.finding_as_report_dict
    return [as_report(item) for item in bpy.context.window_manager.gotcha_doctor.findings]


def reopen(path: Path) -> None:
    bpy.ops.wm.open_mainfile(filepath=str(path), load_ui=False, use_scripts=False)


def multires_file(folder: Path) -> Path:
    blend = save_as(folder / "sculpt.blend")
    bpy.ops.mesh.primitive_cube_add()
    cube = bpy.context.object
    cube.name = "Sculpt"
    cube.modifiers.new("Multires", "MULTIRES")
    with bpy.context.temp_override(object=cube, active_object=cube):
        bpy.ops.object.multires_subdivide(modifier="Multires", mode="CATMULL_CLARK")
        bpy.ops.object.multires_external_save(
            filepath=str(folder / "sculpt.btx"), relative_path=True, modifier="Multires"
        )
    assert cube.modifiers["Multires"].is_external and cube.modifiers["Multires"].filepath == "//sculpt.btx"
    bpy.ops.wm.save_mainfile()
    return blend


def test_multires_external_displacement_file_gone(tmp_path):
    blend = multires_file(tmp_path)
    assert (tmp_path / "sculpt.btx").is_file()
    assert scan() == []
    (tmp_path / "sculpt.btx").unlink()
    reopen(blend)
    (finding,) = scan()
    assert (finding["severity"], finding["id_type"], finding["id_name"]) == ("ERROR", "OBJECT", "Sculpt")
    assert finding["details"]["kind"] == "missing"
    assert finding["details"]["data_path"] == 'modifiers["Multires"].filepath'
    assert finding["message"] == (
        f'Modifier "Multires" external displacement file "//sculpt.btx" not found: {tmp_path}/sculpt.btx; the '
        "sculpted multires detail is stored only there: without it Blender loads the base mesh and the modifier's "
        "levels have no displacement"
    )


def alembic_sequence(folder: Path, frames: tuple[int, ...]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    bpy.ops.mesh.primitive_cube_add()
    for frame in frames:
        bpy.context.scene.frame_set(frame)
        bpy.ops.wm.alembic_export(filepath=str(folder / f"cube_{frame:04d}.abc"), start=frame, end=frame)
    bpy.ops.wm.read_homefile(use_empty=True)
    blend = save_as(folder / "shot.blend")
    bpy.ops.wm.alembic_import(filepath=str(folder / "cube_0001.abc"), is_sequence=True, relative_path=True)
    (cache,) = bpy.data.cache_files
    assert cache.is_sequence and cache.filepath == "//cube_0001.abc"
    bpy.ops.wm.save_mainfile()
    return blend


@pytest.mark.parametrize(("gone", "text"), [(1, "1"), (3, "3")])
def test_a_cache_file_sequence_with_a_missing_frame(tmp_path, gone, text):
    blend = alembic_sequence(tmp_path, (1, 2, 3, 4))
    cache_name = bpy.data.cache_files[0].name
    assert scan() == []
    (tmp_path / f"cube_{gone:04d}.abc").unlink()
    reopen(blend)
    (finding,) = scan()
    assert (finding["severity"], finding["id_type"], finding["id_name"]) == ("ERROR", "CACHEFILE", cache_name)
    details = finding["details"]
    assert (details["missing_frames"], details["missing_frame_count"], details["sequence_frames_found"]) == (
        [gone],
        1,
        3,
    )
    assert finding["message"] == (
        f'Cache file "//cube_0001.abc": 1 frame(s) of the sequence {tmp_path}/cube_0001.abc are missing '
        f"({text}; 3 on disk); at frames without a file the Mesh Sequence Cache modifiers and Transform Cache "
        "constraints reading it get no data (Blender reports that it cannot open the archive) and the objects keep "
        "their own mesh and transform"
    )


def test_a_particle_cache_baked_to_disk_whose_files_are_gone(tmp_path):
    blend = save_as(tmp_path / "fx.blend")
    bpy.ops.mesh.primitive_ico_sphere_add()
    emitter = bpy.context.object
    emitter.name = "Emitter"
    emitter.modifiers.new("Particles", "PARTICLE_SYSTEM")
    system = emitter.particle_systems[0]
    system.settings.count = 10
    system.settings.frame_end = 3
    cache = system.point_cache
    cache.use_disk_cache = True
    cache.frame_end = 3
    bpy.ops.wm.save_mainfile()
    with bpy.context.temp_override(point_cache=cache, object=emitter, active_object=emitter):
        assert bpy.ops.ptcache.bake(bake=True) == {"FINISHED"}
    assert cache.is_baked
    bpy.ops.wm.save_mainfile()
    disk = tmp_path / "blendcache_fx"
    # The files are named by the hex of the object's name when the cache has none.
    assert sorted(p.name for p in disk.iterdir())[0] == "456D6974746572_000000_00.bphys"
    assert scan() == []
    shutil.rmtree(disk)
    reopen(blend)
    (finding,) = scan()
    assert (finding["severity"], finding["id_type"], finding["id_name"]) == ("ERROR", "OBJECT", "Emitter")
    assert finding["details"]["raw_path"] == "//blendcache_fx/"
    assert finding["details"]["data_path"] == 'particle_systems["Particles"].point_cache'
    assert finding["message"] == (
        f'Particle system "Particles" point cache (baked to disk) "//blendcache_fx/" not found: no baked frame '
        f"(456D6974746572_*.bphys) in {tmp_path}/blendcache_fx/; the cache is marked baked, so Blender does not "
        "simulate again: without these files the simulation shows nothing (particles, cloth or soft body stay at "
        "rest) until it is freed and re-baked"
    )
    # The folder is back but empty (a sync that lost the files): still reported.
    disk.mkdir()
    reopen(blend)
    assert [f["details"]["cache_files_found"] for f in scan()] == [0]


def test_an_ocean_cache_folder_is_a_path_blender_reads_only_once_baked(tmp_path):
    save_as(tmp_path / "sea.blend")
    bpy.ops.mesh.primitive_plane_add()
    ocean = bpy.context.object.modifiers.new("Ocean", "OCEAN")
    ocean.filepath = "//cache_ocean"
    bpy.ops.wm.save_mainfile()
    assert not ocean.is_cached
    assert scan() == []  # not baked: the folder is where a bake would write, nothing reads it yet
    walker = extension().checks._path_owners
    ctx = walker.WalkContext(bpy.data.filepath, {}, set())
    (ref,) = [r for _f, refs in walker.walk(bpy.data, ctx) for r in refs if r.id_type == "OBJECT"]
    assert (ref.role, ref.label, ref.consequence) == (walker.OUTPUT, 'modifier "Ocean" cache directory', "")


def test_a_baked_ocean_needs_its_cache_folder(tmp_path):
    blend = save_as(tmp_path / "sea.blend")
    bpy.ops.mesh.primitive_plane_add()
    bpy.context.object.name = "Sea"
    ocean = bpy.context.object.modifiers.new("Ocean", "OCEAN")
    ocean.filepath = "//cache_ocean"
    bpy.ops.wm.save_mainfile(compress=False)
    # A bake sets the flag when its job ends, which the bpy module never gets to: set it in the saved file.
    assert blend_patch.set_char_field(blend, "OceanModifierData", "cached", 1) == 1
    reopen(blend)
    sea = bpy.data.objects["Sea"]  # gotcha: ignore[data-name-limits] - reopened: the name is the way back to it
    assert sea.modifiers["Ocean"].is_cached
    (finding,) = scan()
    assert (finding["severity"], finding["id_type"], finding["id_name"]) == ("ERROR", "OBJECT", "Sea")
    assert finding["details"]["data_path"] == 'modifiers["Ocean"].filepath'
    assert finding["message"] == (
        f'Modifier "Ocean" baked cache directory "//cache_ocean" not found: {tmp_path}/cache_ocean; the modifier is '
        "baked (is_cached), so Blender reads every frame from this folder and does not simulate: without it the "
        "surface shows no waves"
    )
    (tmp_path / "cache_ocean").mkdir()
    reopen(blend)
    assert scan() == []
