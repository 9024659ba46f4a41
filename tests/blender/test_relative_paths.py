"""relative_paths on real files: each reason asserted exactly (check, topic, severity, owner, resolved path)."""

from __future__ import annotations

import os
from pathlib import Path

import bpy
import pytest
from blender_scenes import (
    add_object,
    extension,
    file_image,
    link_objects,
    listed_details,
    save_as,
    touch,
    triangle_mesh,
    write_library,
)

CHECK = "relative_paths"
TOPIC = "relative-path"


def write_png(path: Path) -> Path:
    """A real 2x2 PNG written by Blender (so it can be loaded and packed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = bpy.data.images.new("__png_writer", 2, 2)
    image.filepath_raw = str(path)
    image.file_format = "PNG"
    image.save()
    bpy.data.images.remove(image)
    return path


def scan(check: str = CHECK) -> list[dict]:
    """Scan, and return the stored findings in report form (plus the offered fixes)."""
    assert bpy.ops.gotcha.scan(checks=check) == {"FINISHED"}
    as_report = extension().properties.finding_as_report_dict
    return [
        {**as_report(item), "fixes": [f for f in item.fixes.split(",") if f]}
        for item in bpy.context.window_manager.gotcha_doctor.findings
    ]


def by_owner(findings: list[dict]) -> dict[tuple, list[dict]]:
    grouped: dict[tuple, list[dict]] = {}
    for finding in findings:
        grouped.setdefault((finding["id_type"], finding["id_name"]), []).append(finding)
    return grouped


def kinds(findings: list[dict]) -> list[tuple]:
    return sorted((f["id_type"], f["id_name"], f["details"]["kind"], f["severity"]) for f in findings)


def only(findings: list[dict], id_name: str, kind: str) -> dict:
    matches = [f for f in findings if f["id_name"] == id_name and f["details"]["kind"] == kind]
    assert len(matches) == 1, (id_name, kind, findings)
    finding = matches[0]
    assert finding["check"] == CHECK and finding["topic"] == TOPIC
    return finding


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "tex").mkdir(parents=True)
    return root


def test_saved_file_existing_missing_packed_absolute_and_outside(project: Path, tmp_path: Path):
    touch(project / "tex" / "ok.png")
    packed_src = write_png(project / "tex" / "packed.png")
    outside = touch(tmp_path / "elsewhere" / "out.png")
    save_as(project / "main.blend")
    file_image("ok", "//tex/ok.png")
    file_image("missing", "//tex/missing.png")
    file_image("absolute", str(project / "tex" / "ok.png"))
    file_image("outside", str(outside))
    packed = bpy.data.images.load(str(packed_src))
    packed.use_fake_user = True
    packed.filepath = "//tex/packed.png"
    packed.pack()
    packed_src.unlink()  # only the packed copy is left
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(project / "main.blend"))

    findings = scan()
    assert kinds(findings) == [
        ("IMAGE", "missing", "missing", "ERROR"),
        ("IMAGE", "outside", "outside_project", "WARNING"),
        ("IMAGE", "packed.png", "packed", "INFO"),
    ]
    missing = only(findings, "missing", "missing")
    assert missing["library"] is None
    assert missing["details"]["resolved_path"] == f"{project}/tex/missing.png"
    assert missing["details"]["raw_path"] == "//tex/missing.png"
    assert missing["details"]["exists"] is False
    assert missing["details"]["owner"] == {"id_type": "IMAGE", "name": "missing", "library": None}
    assert missing["fixes"] == ["path_repoint"]
    assert "naive_abspath" not in missing["details"]  # bpy.path.abspath gives the same path here
    out = only(findings, "outside", "outside_project")
    assert out["details"]["resolved_path"] == str(outside) and out["details"]["project_root"] == str(project)
    assert out["details"]["exists"] is True and out["fixes"] == ["path_make_relative"]
    packed_finding = only(findings, "packed.png", "packed")
    assert packed_finding["details"]["exists"] is False
    assert packed_finding["details"]["resolved_path"] == f"{project}/tex/packed.png"


def test_unsaved_file_relative_path_resolves_against_the_working_directory(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    touch(tmp_path / "tex" / "a.png")
    file_image("unsaved", "//tex/a.png")
    findings = scan()
    assert kinds(findings) == [("IMAGE", "unsaved", "unsaved_relative", "WARNING")]
    finding = findings[0]
    assert finding["details"]["resolved_path"] == f"{tmp_path}/tex/a.png"
    assert finding["details"]["exists"] is True  # found, but only because of where Blender was started
    assert bpy.path.abspath("//tex/a.png") == "tex/a.png"  # the measured behaviour the finding explains
    assert "never saved" in finding["message"]


def _library_with_image(tmp_path: Path) -> tuple[Path, Path]:
    """assets/lib.blend: material "Wood" using image "wood.png" stored as //tex/wood.png (next to the library)."""
    assets = tmp_path / "assets"
    write_png(assets / "tex" / "wood.png")
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(assets / "lib.blend")
    image = bpy.data.images.load(str(assets / "tex" / "wood.png"))
    image.filepath = "//tex/wood.png"
    material = bpy.data.materials.new("Wood")
    material.use_fake_user = True
    if material.node_tree is None:  # a new material has its node tree from 5.0 (use_nodes is deprecated there)
        material.use_nodes = True
    node = material.node_tree.nodes.new("ShaderNodeTexImage")
    node.image = image
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.read_homefile(use_empty=True)
    return assets / "lib.blend", assets / "tex" / "wood.png"


def _link_material(library: Path) -> None:
    with bpy.data.libraries.load(str(library), link=True, relative=True) as (source, target):
        target.materials = ["Wood"]
    add_object("User", triangle_mesh("UserMesh")).data.materials.append(target.materials[0])


def test_linked_image_resolves_relative_to_its_library_not_the_main_file(tmp_path: Path, project: Path):
    library, wood = _library_with_image(tmp_path)
    save_as(project / "main.blend")
    _link_material(library)
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(project / "main.blend"))

    findings = scan()
    finding = only(findings, "wood.png", "library_relative")
    assert finding["severity"] == "WARNING"
    assert finding["id_type"] == "IMAGE" and finding["library"] == "//../assets/lib.blend"
    details = finding["details"]
    assert details["resolved_path"] == str(wood) and details["exists"] is True
    assert details["naive_abspath"] == f"{project}/tex/wood.png" and details["naive_exists"] is False
    assert finding["fixes"] == []  # linked data is never touched
    # The facts the finding states, measured in Blender itself:
    image = bpy.data.images["wood.png", "//../assets/lib.blend"]
    assert bpy.path.abspath(image.filepath) == details["naive_abspath"]
    assert image.filepath_from_user() == details["resolved_path"]
    # The library link itself climbs out of the project folder: reported, without a fix.
    link = only(findings, "lib.blend", "climbs_above_root")
    assert link["id_type"] == "LIBRARY" and link["severity"] == "WARNING" and link["fixes"] == []
    assert link["details"]["resolved_path"] == str(library)
    assert {f["details"]["kind"] for f in findings} == {"library_relative", "climbs_above_root"}


def test_linked_image_missing_next_to_its_library_says_what_a_naive_script_gets(tmp_path: Path, project: Path):
    library, wood = _library_with_image(tmp_path)
    save_as(project / "main.blend")
    _link_material(library)
    bpy.ops.wm.save_mainfile()
    wood.unlink()
    touch(project / "tex" / "wood.png")  # a same-named file next to the main file fools a naive script
    bpy.ops.wm.open_mainfile(filepath=str(project / "main.blend"))
    finding = only(scan(), "wood.png", "missing")
    assert finding["severity"] == "ERROR" and finding["library"] == "//../assets/lib.blend"
    assert finding["details"]["resolved_path"] == str(wood)
    assert finding["details"]["naive_abspath"] == f"{project}/tex/wood.png"
    assert finding["fixes"] == []


@pytest.mark.skipif(bpy.app.version < (4, 3, 0), reason="brushes became assets linked from a library in 4.3")
def test_the_brush_library_blender_links_is_not_the_files_to_fix(tmp_path: Path, project: Path):
    """Entering Sculpt Mode links Blender's Essentials brush library from its own installation, far outside any
    project; the .blend stores an asset reference instead of that path, and Blender links it anew at every load. A
    library the file itself links from outside the project is still reported."""
    props = write_library(tmp_path / "shared" / "props.blend", ["Chair"])
    save_as(project / "main.blend")
    link_objects(props, ["Chair"], relative=False)
    sculpted = add_object("Sculpted", triangle_mesh("SculptedMesh"))
    bpy.context.view_layer.objects.active = sculpted
    assert bpy.ops.object.mode_set(mode="SCULPT") == {"FINISHED"}
    try:
        (brushes,) = [library for library in bpy.data.libraries if library.is_editable]
        assert "essentials_brushes" in brushes.filepath and not brushes.filepath.startswith(str(project))
        findings = scan()
    finally:
        bpy.ops.object.mode_set(mode="OBJECT")
    assert kinds(findings) == [("LIBRARY", "props.blend", "outside_project", "WARNING")]
    assert findings[0]["details"]["resolved_path"] == str(props)


def test_datablocks_renamed_in_their_library_are_one_error_naming_the_placeholders(tmp_path: Path, project: Path):
    lib = write_library(project / "libs" / "props.blend", ["Chair", "Table", "Lamp"])
    save_as(project / "main.blend")
    link_objects(lib, ["Chair", "Table", "Lamp"])
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(lib))
    bpy.data.objects["Table"].name = "Desk"  # someone renames assets in the library...
    bpy.data.objects.remove(bpy.data.objects["Lamp"])  # ...and deletes one
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(project / "main.blend"))
    assert sorted((o.name, o.is_missing) for o in bpy.data.objects) == [
        ("Chair", False),
        ("Lamp", True),
        ("Table", True),
    ]

    findings = scan()
    assert kinds(findings) == [("LIBRARY", "props.blend", "linked_missing", "ERROR")]
    assert findings[0]["message"] == (
        f'Library file {lib} no longer has 2 datablocks this file links (Object "Lamp", Object "Table"): Blender '
        "shows empty placeholders (renamed or deleted in the library since it was linked; relink it or restore the "
        "name)"
    )
    details = findings[0]["details"]
    assert (details["linked"], details["linked_count"], details["exists"]) == (["OBJECT:Lamp", "OBJECT:Table"], 2, True)
    assert findings[0]["fixes"] == [] and findings[0]["library"] is None


def test_missing_library_is_one_error_listing_what_came_from_it(tmp_path: Path, project: Path):
    lib = project / "libs" / "props.blend"
    bpy.ops.wm.read_homefile(use_empty=True)
    add_object("Chair", triangle_mesh("ChairMesh"))
    file_image("lib_tex", "//tex/none.png")  # data of a missing library is not reported one by one
    save_as(lib)
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(project / "main.blend")
    with bpy.data.libraries.load(str(lib), link=True, relative=False) as (source, target):
        target.objects = ["Chair"]
        target.images = ["lib_tex"]
    bpy.context.scene.collection.objects.link(target.objects[0])
    bpy.ops.wm.save_mainfile()
    lib.unlink()
    bpy.ops.wm.open_mainfile(filepath=str(project / "main.blend"))

    findings = scan()
    assert kinds(findings) == [("LIBRARY", "props.blend", "library_missing", "ERROR")]
    details = findings[0]["details"]
    assert details["resolved_path"] == str(lib) and details["exists"] is False
    assert details["linked"] == ["OBJECT:Chair"] and details["linked_count"] == 1  # its mesh was never read
    assert findings[0]["message"] == (
        f'Library file {lib} is missing: its linked datablock is an empty placeholder (Object "Chair")'
    )
    assert findings[0]["library"] is None  # the Library datablock itself is local


def test_udim_with_a_missing_tile_and_image_sequences(project: Path):
    for tile in (1001, 1003):
        touch(project / "tex" / f"skin.{tile}.png")
    for frame in (1, 2, 3):
        touch(project / "seq" / f"shot_{frame:04d}.png")
    save_as(project / "main.blend")
    udim = file_image("skin", "//tex/skin.<UDIM>.png", "TILED")
    udim.tiles.new(1002)
    udim.tiles.new(1003)
    file_image("shot", "//seq/shot_0001.png", "SEQUENCE")
    file_image("later", "//seq/shot_0007.png", "SEQUENCE")  # frame 7 is absent, but the sequence exists
    file_image("gone", "//seq/gone_0001.png", "SEQUENCE")
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(project / "main.blend"))

    findings = scan()
    assert kinds(findings) == [("IMAGE", "gone", "missing", "ERROR"), ("IMAGE", "skin", "missing", "ERROR")]
    skin = only(findings, "skin", "missing")
    assert skin["details"]["tiles"] == [1001, 1002, 1003]
    assert skin["details"]["missing_tiles"] == [1002] and skin["details"]["found_tile_count"] == 2
    assert skin["details"]["resolved_path"] == f"{project}/tex/skin.<UDIM>.png"
    # Two of the three tiles exist: the message counts, it does not say "not found".
    assert (
        skin["message"] == f'UDIM tiles "//tex/skin.<UDIM>.png": 1 of 3 missing (1002) in {project}/tex/skin.<UDIM>.png'
    )

    gone = only(findings, "gone", "missing")
    assert gone["details"]["sequence_frames_found"] == 0


def test_windows_paths_and_climbing_paths(project: Path):
    touch(project / "tex" / "ok.png")
    touch(project.parent / "shared" / "s.png")
    save_as(project / "main.blend")
    file_image("drive", "C:\\textures\\wood.png")
    file_image("backslash", "//tex\\ok.png")
    file_image("shared", "//../shared/s.png")
    file_image("abyss", "//" + "../" * 40 + "x.png")
    bpy.ops.wm.save_mainfile()

    findings = scan()
    assert kinds(findings) == [
        ("IMAGE", "abyss", "climbs_above_root", "ERROR"),
        ("IMAGE", "abyss", "missing", "ERROR"),
        ("IMAGE", "backslash", "windows_path", "WARNING"),
        ("IMAGE", "drive", "windows_path", "ERROR"),
        ("IMAGE", "shared", "climbs_above_root", "WARNING"),
    ]
    drive = only(findings, "drive", "windows_path")
    assert drive["details"]["resolved_path"] == "/c/textures/wood.png" and drive["details"]["exists"] is False
    assert drive["message"] == (
        'File "C:\\textures\\wood.png" uses a Windows drive letter: Blender here reads /c/textures/wood.png '
        "(not found), but open() and os.path given the stored text look for another file"
    )
    backslash = only(findings, "backslash", "windows_path")
    assert backslash["details"]["resolved_path"] == f"{project}/tex/ok.png" and backslash["details"]["exists"]
    assert backslash["details"]["naive_abspath"] == f"{project}/tex\\ok.png"
    shared = only(findings, "shared", "climbs_above_root")
    assert shared["details"]["resolved_path"] == f"{project.parent}/shared/s.png"
    assert shared["details"]["above"] == "project" and shared["fixes"] == ["path_make_absolute"]
    abyss = only(findings, "abyss", "climbs_above_root")
    assert abyss["details"]["resolved_path"] == "/x.png" and abyss["details"]["above"] == "filesystem"


def test_configured_project_root_widens_the_project(gd, project: Path):
    touch(project.parent / "shared" / "s.png")
    save_as(project / "main.blend")
    file_image("shared", "//../shared/s.png")
    file_image("shared_abs", str(project.parent / "shared" / "s.png"))
    prefs = gd.preferences.get(bpy.context)
    if prefs is None or not hasattr(prefs, "project_root"):
        pytest.skip("the project_root preference is not registered")
    prefs.project_root = str(project.parent)
    try:
        assert kinds(scan()) == []  # neither climbs out of nor lies outside the configured root
        prefs.project_root = ""
        assert kinds(scan()) == [
            ("IMAGE", "shared", "climbs_above_root", "WARNING"),
            ("IMAGE", "shared_abs", "outside_project", "WARNING"),
        ]
    finally:
        prefs.project_root = ""


def test_a_shot_file_in_a_checkout_is_judged_against_the_checkout(gd, tmp_path: Path):
    """With no Project Root set, a file in proj/shots/sh010/ of a checkout (proj/.git) belongs to proj/: its
    textures in proj/textures/ (//../../textures/...) and absolute paths inside proj/ are fine; a path outside
    proj/ is reported against proj/, saying why proj/ is the root."""
    proj = tmp_path / "proj"
    (proj / ".git").mkdir(parents=True)
    touch(proj / "textures" / "wood.png")
    outside = touch(tmp_path / "elsewhere" / "rock.png")
    save_as(proj / "shots" / "sh010" / "sh010.blend")
    file_image("wood", "//../../textures/wood.png")
    file_image("wood_abs", str(proj / "textures" / "wood.png"))
    file_image("rock", str(outside))
    findings = scan()
    assert kinds(findings) == [("IMAGE", "rock", "outside_project", "WARNING")]
    rock = only(findings, "rock", "outside_project")
    assert rock["details"]["project_root"] == str(proj)
    assert rock["details"]["project_root_marker"] == ".git"
    assert f"outside the project root {proj} (the folder with .git)" in rock["message"]
    (proj / ".git").rmdir()  # no checkout: the file's own folder, as before
    assert kinds(scan()) == [
        ("IMAGE", "rock", "outside_project", "WARNING"),
        ("IMAGE", "wood", "climbs_above_root", "WARNING"),
        ("IMAGE", "wood_abs", "outside_project", "WARNING"),
    ]


def test_other_path_owners(gd, project: Path):
    """Texts, sounds, volumes, modifiers, strips, nodes and outputs are walked too, with their data paths."""
    touch(project / "strip" / "a.png")
    save_as(project / "main.blend")
    text = bpy.data.texts.new("notes.txt")
    text.filepath = "//notes.txt"  # a text with a file that is gone
    text.use_fake_user = True
    volume = bpy.data.volumes.new("Smoke")
    volume.filepath = "//vdb/smoke.vdb"
    volume.use_fake_user = True
    sound = bpy.data.sounds.load(str(project / "sfx" / "boom.wav"), check_existing=False)
    sound.use_fake_user = True
    obj = add_object("Cached", triangle_mesh("CachedMesh"))
    cache_mod = obj.modifiers.new("MeshCache", "MESH_CACHE")
    cache_mod.filepath = "//cache/anim.pc2"
    scene = bpy.context.scene
    scene.render.filepath = "//" + "../" * 40 + "render/"
    editor = scene.sequence_editor_create()
    strips = editor.strips if hasattr(editor, "strips") else editor.sequences
    strip = strips.new_image("Plate", str(project / "strip" / "a.png"), 1, 1)
    strip.elements.append("b.png")  # not on disk
    material = bpy.data.materials.new("OSL")
    material.use_fake_user = True
    if material.node_tree is None:  # a new material has its node tree from 5.0 (use_nodes is deprecated there)
        material.use_nodes = True
    script = material.node_tree.nodes.new("ShaderNodeScript")
    script.name = 'Script "quoted"'
    script.mode = "EXTERNAL"
    script.filepath = "//osl/shader.osl"
    bpy.ops.wm.save_mainfile()

    found = {(f["id_type"], f["id_name"], f["details"]["kind"], f["details"]["data_path"]) for f in scan()}
    strips_attr = "strips_all" if hasattr(editor, "strips_all") else "sequences_all"
    assert found == {
        ("TEXT", "notes.txt", "missing", "filepath"),
        ("VOLUME", "Smoke", "missing", "filepath"),
        ("SOUND", "boom.wav", "missing", "filepath"),
        ("OBJECT", "Cached", "missing", 'modifiers["MeshCache"].filepath'),
        ("SCENE", scene.name, "climbs_above_root", "render.filepath"),
        ("SCENE", scene.name, "missing", f'sequence_editor.{strips_attr}["Plate"].directory'),
        ("MATERIAL", "OSL", "missing", 'node_tree.nodes["Script \\"quoted\\""].filepath'),
    }
    for id_type, name, _kind, data_path in found:  # every data path resolves to the stored string
        owner = getattr(bpy.data, gd.core.datablocks.collection_name(id_type))[name]
        assert isinstance(owner.path_resolve(data_path), str)
    strip_missing = [f for f in scan() if f["id_type"] == "SCENE" and f["details"]["kind"] == "missing"][0]
    assert strip_missing["details"]["missing_elements"] == ["b.png"]
    assert strip_missing["details"]["missing_element_count"] == 1


def test_walker_covers_every_path_blender_knows(gd, project: Path):
    """Every path bpy.data.file_path_map() lists (Blender's own bpath walk) is one the walker yields too."""
    if bpy.app.version < (4, 4, 0):
        assert not hasattr(bpy.data, "file_path_map")  # 4.2 and 4.3 have no such walk
        pytest.skip("bpy.data.file_path_map() exists from Blender 4.4")
    assert hasattr(bpy.data, "file_path_map")
    save_as(project / "main.blend")
    file_image("img", "//tex/a.png")
    udim = file_image("udim", "//tex/u.<UDIM>.png", "TILED")
    udim.tiles.new(1002)
    obj = add_object("Cached", triangle_mesh("CachedMesh"))
    obj.modifiers.new("MeshCache", "MESH_CACHE").filepath = "//cache/anim.pc2"
    text = bpy.data.texts.new("t.py")
    text.filepath = "//t.py"
    volume = bpy.data.volumes.new("V")
    volume.filepath = "//v.vdb"
    editor = bpy.context.scene.sequence_editor_create()
    strips = editor.strips if hasattr(editor, "strips") else editor.sequences
    strips.new_image("Plate", str(project / "a.png"), 1, 1)
    walker = gd.checks._path_owners
    ctx = walker.WalkContext(bpy.data.filepath, {}, set())
    walked = {(ref.id_type, ref.id_name, ref.raw) for _f, refs in walker.walk(bpy.data, ctx) for ref in refs}
    blender = set()
    for datablock, file_paths in bpy.data.file_path_map().items():
        for file_path in file_paths:
            blender.add((datablock.id_type, datablock.name, file_path))
    # Blender lists an image strip's directory joined with its first element; the walker keeps the directory.
    blender = {(t, n, p.rsplit("/", 1)[0] + "/" if t == "SCENE" and p.endswith("a.png") else p) for t, n, p in blender}
    assert blender <= walked, blender - walked


def test_check_yields_progress_in_small_steps(gd, project: Path):
    save_as(project / "main.blend")
    for index in range(1200):
        file_image(f"img{index}", f"//tex/{index}.png")
    steps = list(gd.checks.relative_paths.run(bpy.data, bpy.context))
    progress = [s.fraction for s in steps if isinstance(s, gd.core.findings.Progress)]
    assert len(progress) >= 3 and progress == sorted(progress) and progress[-1] == 1.0
    batches = [s for s in steps if isinstance(s, list)]  # a walk batch's findings come as one step
    assert len(batches) >= 3 and sum(len(batch) for batch in batches) == 1200 and max(map(len, batches)) <= 400


def test_unicode_directory_and_file_names_resolve(project: Path):
    bad_dir = project / os.fsdecode(b"d\xe9cor")
    touch(bad_dir / os.fsdecode(b"caf\xe9.png"))
    save_as(project / "main.blend")
    file_image("present", "//" + os.fsdecode(b"d\xe9cor/caf\xe9.png"))
    file_image("absent", "//" + os.fsdecode(b"d\xe9cor/th\xe9.png"))
    findings = scan()
    assert kinds(findings) == [("IMAGE", "absent", "missing", "ERROR")]
    details = findings[0]["details"]
    assert details["resolved_path"] == f"{project}/d\\xe9cor/th\\xe9.png"  # readable form
    assert os.fsdecode(__import__("base64").b64decode(details["resolved_path_base64"])) == str(
        bad_dir / os.fsdecode(b"th\xe9.png")
    )


def test_fast_path_and_full_rules_give_the_same_missing_finding(gd, project: Path):
    """The inline image path and evaluate() must agree exactly (they are two implementations of one rule)."""
    save_as(project / "main.blend")
    file_image("gone", "//tex/gone.png")
    file_image("gone_abs", f"{project}/tex/gone_abs.png")
    check = gd.checks.relative_paths
    fast = [f for step in check.run(bpy.data, bpy.context) if isinstance(step, list) for f in step]
    resolver = check.Resolver(bpy.data.filepath, str(project))
    ctx = gd.checks._path_owners.WalkContext(bpy.data.filepath, {}, set())
    full = []
    for image in bpy.data.images:
        refs: list = []
        gd.checks._path_owners.read_image(image, ctx, refs)
        for ref in refs:
            full.extend(check.evaluate(ref._replace(data_path="filepath ", label="file"), resolver, {}))
    assert len(fast) == len(full) == 2
    for quick, slow in zip(sorted(fast, key=lambda f: f.id_name), sorted(full, key=lambda f: f.id_name), strict=True):
        assert quick.details == {**slow.details, "data_path": "filepath"}
        assert (quick.message, quick.severity, quick.fixes) == (slow.message, slow.severity, slow.fixes)


def test_the_gotcha_zoo_shows_every_path_finding(gd, tmp_path: Path):
    """The bundled zoo (examples/make_gotcha_zoo.py), saved and reopened as the CLI does, shows each kind."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "zoo", Path(__file__).resolve().parents[2] / "examples" / "make_gotcha_zoo.py"
    )
    zoo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(zoo)
    path = zoo.build(tmp_path / "zoo")
    bpy.ops.wm.open_mainfile(filepath=str(path), load_ui=False, use_scripts=False)
    found = {
        (f["id_name"], f["check"], f["details"]["kind"], f["severity"]) for f in scan("relative_paths,non_utf8_paths")
    }
    expected = {
        ("zoo_gone.blend", "relative_paths", "library_missing", "ERROR"),
        ("zoo_missing_000", "relative_paths", "missing", "ERROR"),
        ("zoo_udim", "relative_paths", "missing", "ERROR"),
        ("zoo_packed", "relative_paths", "packed", "INFO"),
        ("zoo_absolute_outside", "relative_paths", "outside_project", "WARNING"),
        ("zoo_absolute_outside", "relative_paths", "missing", "ERROR"),
        ("zoo_windows_drive", "relative_paths", "windows_path", "ERROR"),
        ("zoo_climbing", "relative_paths", "climbs_above_root", "WARNING"),
        ("zoo_climbing", "relative_paths", "missing", "ERROR"),
        ("zoo_windows_name", "relative_paths", "missing", "ERROR"),
        ("zoo_windows_name", "non_utf8_paths", "windows_invalid_name", "INFO"),
        ("zoo_non_utf8", "non_utf8_paths", "non_utf8", "WARNING"),
        ("plank.png", "relative_paths", "library_relative", "WARNING"),
    }
    assert expected <= found, expected - found
    assert not {f for f in found if f[0] in ("zoo_existing", "zoo_sequence")}


def test_indirect_library_and_its_image_resolve_like_blender(tmp_path: Path):
    """main (c/deep) links an object from lib1 (b/) whose material comes from lib2 (a/), whose image is //tex/x.png.

    Blender stores the indirect library's path relative to the main file; the image resolves next to lib2.
    """
    write_png(tmp_path / "a" / "tex" / "x.png")
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(tmp_path / "a" / "lib2.blend")
    image = bpy.data.images.load(str(tmp_path / "a" / "tex" / "x.png"))
    image.filepath = "//tex/x.png"
    material = bpy.data.materials.new("M2")
    material.use_fake_user = True
    if material.node_tree is None:  # a new material has its node tree from 5.0 (use_nodes is deprecated there)
        material.use_nodes = True
    material.node_tree.nodes.new("ShaderNodeTexImage").image = image
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.read_homefile(use_empty=True)
    save_as(tmp_path / "b" / "lib1.blend")
    with bpy.data.libraries.load(str(tmp_path / "a" / "lib2.blend"), link=True, relative=True) as (_s, target):
        target.materials = ["M2"]
    add_object("O1", triangle_mesh("ME")).data.materials.append(target.materials[0])
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.read_homefile(use_empty=True)
    main = save_as(tmp_path / "c" / "deep" / "main.blend")
    with bpy.data.libraries.load(str(tmp_path / "b" / "lib1.blend"), link=True, relative=True) as (_s, target):
        target.objects = ["O1"]
    bpy.context.scene.collection.objects.link(target.objects[0])
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(main))
    assert bpy.data.libraries["lib2.blend"].filepath == "//../../a/lib2.blend"  # relative to main, not to lib1
    assert bpy.data.libraries["lib2.blend"].parent == bpy.data.libraries["lib1.blend"]

    findings = scan()
    assert kinds(findings) == [
        ("IMAGE", "x.png", "library_relative", "WARNING"),
        ("LIBRARY", "lib1.blend", "climbs_above_root", "WARNING"),
        ("LIBRARY", "lib2.blend", "climbs_above_root", "WARNING"),
    ]
    x = only(findings, "x.png", "library_relative")
    assert x["library"] == "//../../a/lib2.blend"
    assert x["details"]["resolved_path"] == str(tmp_path / "a" / "tex" / "x.png")
    assert x["details"]["resolved_path"] == bpy.data.images["x.png"].filepath_from_user()
    assert only(findings, "lib2.blend", "climbs_above_root")["details"]["resolved_path"] == str(
        tmp_path / "a" / "lib2.blend"
    )


def test_modal_scan_with_an_edit_midway_gives_the_sync_findings(gd, project: Path):
    """Through the modal tick logic, in small slices, with an edit (and so a restart) in the middle of the walk."""
    save_as(project / "main.blend")
    for index in range(1500):
        file_image(f"img{index:04d}", f"//tex/{index}.png" if index % 2 else f"/elsewhere/{index}.png")
    expected = sorted((f["id_name"], f["details"]["kind"]) for f in scan())
    state = bpy.context.window_manager.gotcha_doctor
    modal = gd.runner.ModalScan(state, ["relative_paths"])
    ticks = 0
    # A budget of 0 is one generator step per tick (the engine checks the deadline after each step), so the edit
    # lands mid-walk whatever this Blender's speed: a fixed budget let a fast Python finish the walk in 3 ticks.
    while modal.tick(state, 0.0) == "running":
        ticks += 1
        if ticks == 2:
            gd.runner.change_counters["edits"] += 1  # what the depsgraph handler does after an edit
    assert modal.restarts == 1 and ticks > 2
    got = sorted((item.id_name, listed_details(item)["kind"]) for item in state.findings)
    assert got == expected and len(got) == 2250


def test_packed_data_is_reported_as_packed_only_when_its_file_is_gone(project: Path):
    """Packed sounds and images: no finding while the file exists, "packed" (not "missing") once it is gone."""
    png = write_png(project / "tex" / "p.png")
    sound_file = project / "sfx" / "tone.wav"
    sound_file.parent.mkdir()
    import wave

    with wave.open(str(sound_file), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(b"\x00\x00" * 800)
    save_as(project / "main.blend")
    image = bpy.data.images.load(str(png))
    image.filepath = "//tex/p.png"
    image.use_fake_user = True
    image.pack()
    sound = bpy.data.sounds.load(str(sound_file))
    sound.filepath = "//sfx/tone.wav"
    sound.use_fake_user = True
    sound.pack()
    assert kinds(scan()) == []
    png.unlink()
    sound_file.unlink()
    assert kinds(scan()) == [("IMAGE", "p.png", "packed", "INFO"), ("SOUND", "tone.wav", "packed", "INFO")]


def test_a_batch_mixing_plain_missing_packed_and_sequence_images_keeps_the_collection_order(gd, project: Path):
    """Missing plain images get their findings built together; a packed image and a sequence in the same batch go
    through the full rules. The check still gives its findings in the images' order (the report keeps it within
    a severity)."""
    packed_png = write_png(project / "tex" / "c_packed.png")
    save_as(project / "main.blend")
    file_image("a_plain", "//tex/a.png")
    file_image("b_sequence", "//tex/b_0001.png", source="SEQUENCE")
    packed = bpy.data.images.load(str(packed_png))
    packed.name = "c_packed"
    packed.filepath = "//tex/c_packed.png"
    packed.use_fake_user = True
    packed.pack()
    packed_png.unlink()
    file_image("d_plain", f"{project}/tex/d.png")
    touch(project / "tex" / "e_there.png")
    file_image("e_there", "//tex/e_there.png")
    file_image("f_plain", "//tex/f.png")
    findings = gd.runner.make_engine([CHECK]).run_to_end()
    assert [(f.id_name, f.details["kind"], f.severity) for f in findings] == [
        ("a_plain", "missing", "ERROR"),
        ("b_sequence", "missing", "ERROR"),
        ("c_packed", "packed", "INFO"),
        ("d_plain", "missing", "ERROR"),
        ("f_plain", "missing", "ERROR"),
    ]
    assert findings[3].message == f'File "{project}/tex/d.png" not found: {project}/tex/d.png'
    assert findings[1].details["sequence_frames_found"] == 0


def test_cache_files_known_to_exist_are_settled_per_batch_and_the_rest_judged_one_by_one(gd, project: Path):
    """A batch of objects' references whose plain file paths exist is settled at once: only the missing ones (and,
    when one path in the batch is not plain, every one of them through the full rules) give findings."""
    save_as(project / "main.blend")
    stored = {
        "A_there": "//cache/a.pc2",
        "B_gone": "//cache/b.pc2",
        "C_there_absolute": f"{project}/cache/c.pc2",
        "D_gone_absolute": f"{project}/cache/d.pc2",
        "E_there": "//cache/e.pc2",
    }
    for name in ("a", "c", "e"):
        touch(project / "cache" / f"{name}.pc2")
    for name, path in stored.items():
        add_object(name, triangle_mesh(f"{name}_mesh")).modifiers.new("MeshCache", "MESH_CACHE").filepath = path
    bpy.ops.wm.save_mainfile()
    data_path = 'modifiers["MeshCache"].filepath'

    def judged() -> list[tuple[str, str, str, str]]:
        findings = gd.runner.make_engine([CHECK]).run_to_end()
        return [(f.id_name, f.details["kind"], f.severity, f.details["data_path"]) for f in findings]

    assert judged() == [
        ("B_gone", "missing", "ERROR", data_path),
        ("D_gone_absolute", "missing", "ERROR", data_path),
    ]
    # One path outside the project makes the batch not plain: each reference goes through evaluate(), same verdicts.
    outside = project.parent / "elsewhere" / "f.pc2"
    touch(outside)
    add_object("F_outside", triangle_mesh("F_mesh")).modifiers.new("MeshCache", "MESH_CACHE").filepath = str(outside)
    verdicts = judged()
    assert verdicts[:2] == [
        ("B_gone", "missing", "ERROR", data_path),
        ("D_gone_absolute", "missing", "ERROR", data_path),
    ]
    assert [(name, kind) for name, kind, _severity, _path in verdicts[2:]] == [("F_outside", "outside_project")]
