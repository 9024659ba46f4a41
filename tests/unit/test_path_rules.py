"""The relative_paths rules (core.path_rules) on real files in a temporary folder, without Blender: each finding
kind, exactly, and the plain-path shortcut giving what the full rules give."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from gotcha_doctor.core import paths
from gotcha_doctor.core.findings import Finding
from gotcha_doctor.core.path_rules import (
    DIR,
    FILE,
    LIBRARY,
    OUTPUT,
    PathRef,
    Resolver,
    evaluate,
    missing_files,
    missing_plain,
)


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    touch(tmp_path / "proj" / "main.blend")
    return tmp_path / "proj"


def ref(project: Path, raw: str, **fields: object) -> PathRef:
    base = {
        "id_type": "IMAGE",
        "id_name": "img",
        "library": None,
        "base_file": str(project / "main.blend"),
        "data_path": "filepath",
        "label": "file",
        "raw": raw,
        "role": FILE,
    }
    return PathRef(**{**base, **fields})  # type: ignore[arg-type]


def judge(project: Path, one: PathRef, root: str | None = None, dependents: dict | None = None) -> list[Finding]:
    resolver = Resolver(str(project / "main.blend"), str(project) if root is None else root)
    try:
        return list(evaluate(one, resolver, dependents or {}))
    finally:
        resolver.cache.close()


def test_an_existing_plain_path_has_no_finding(project: Path) -> None:
    touch(project / "tex" / "a.png")
    assert judge(project, ref(project, "//tex/a.png")) == []
    assert judge(project, ref(project, f"{project}/tex/a.png")) == []


def test_a_missing_file_is_one_error_with_the_repoint_fix(project: Path) -> None:
    (finding,) = judge(project, ref(project, "//tex/gone.png"))
    assert finding == Finding(
        "relative_paths",
        "relative-path",
        "ERROR",
        f'File "//tex/gone.png" not found: {project}/tex/gone.png',
        "IMAGE",
        "img",
        None,
        {
            "kind": "missing",
            "raw_path": "//tex/gone.png",
            "owner": {"id_type": "IMAGE", "name": "img", "library": None},
            "property": "file",
            "data_path": "filepath",
            "resolved_path": f"{project}/tex/gone.png",
            "exists": False,
            "relative_to": f"{project}/main.blend",
        },
        ("path_repoint",),
    )


def test_a_missing_plain_path_says_what_blender_does_without_it_as_the_full_rules_do(project: Path) -> None:
    """A plain path (the quick branch) and one the full rules resolve (a "/./" in it) say the same after "not
    found": the resolved path, then the consequence."""
    consequence = "the modifier's levels have no displacement"
    label = 'modifier "Multires" external displacement file'
    fields = {"id_type": "OBJECT", "data_path": 'modifiers["Multires"].filepath', "consequence": consequence}
    (plain,) = judge(project, ref(project, "//disp/gone.btx", label=label, **fields))
    (full,) = judge(project, ref(project, "//disp/./gone.btx", label=label, **fields))
    gone = f"{project}/disp/gone.btx"
    assert (
        plain.message
        == f'Modifier "Multires" external displacement file "//disp/gone.btx" not found: {gone}; {consequence}'
    )
    assert full.message == plain.message.replace("//disp/gone", "//disp/./gone")
    assert plain.fixes == full.fixes == ("path_repoint",)
    assert (plain.severity, plain.details["kind"], plain.details["resolved_path"]) == ("ERROR", "missing", gone)
    assert full.details == {
        **plain.details,
        "raw_path": "//disp/./gone.btx",
        "naive_abspath": f"{project}/disp/./gone.btx",
    }


def test_missing_files_are_the_findings_missing_plain_gives(project: Path) -> None:
    """The batch builder (the images' common case) gives, finding for finding, what missing_plain gives one path at a
    time, exactly as the general "missing" finding reads."""
    main = str(project / "main.blend")
    names = ["img", 'odd "name"\\', "Ünïcode"]
    raws = ["//tex/a.png", f"{project}/tex/b.png", "//tex/ü.png"]
    resolved = [f"{project}/tex/a.png", f"{project}/tex/b.png", f"{project}/tex/ü.png"]
    one_by_one = [
        missing_plain(ref(project, raw, id_name=name), path)
        for name, raw, path in zip(names, raws, resolved, strict=True)
    ]
    assert missing_files(main, "IMAGE", "file", "filepath", "", names, raws, resolved) == one_by_one
    assert [finding.message for finding in one_by_one][1] == f'File "{raws[1]}" not found: {resolved[1]}'
    assert one_by_one[2].details == {
        "kind": "missing",
        "raw_path": "//tex/ü.png",
        "owner": {"id_type": "IMAGE", "name": "Ünïcode", "library": None},
        "property": "file",
        "data_path": "filepath",
        "resolved_path": f"{project}/tex/ü.png",
        "exists": False,
        "relative_to": main,
    }
    assert (one_by_one[2].id_type, one_by_one[2].id_name, one_by_one[2].fixes) == (
        "IMAGE",
        "Ünïcode",
        ("path_repoint",),
    )
    # Another kind of owner, with what Blender does without the file: the same finding both ways, key for key.
    cache = {"id_type": "OBJECT", "label": 'modifier "MeshCache" cache file', "consequence": "the mesh stays still"}
    single = missing_plain(ref(project, raws[0], data_path='modifiers["MeshCache"].filepath', **cache), resolved[0])
    (batch,) = missing_files(
        main,
        "OBJECT",
        cache["label"],
        'modifiers["MeshCache"].filepath',
        cache["consequence"],
        ["img"],
        raws[:1],
        resolved[:1],
    )
    assert single == batch and list(single.details) == list(batch.details)
    assert (
        single.message
        == f'Modifier "MeshCache" cache file "//tex/a.png" not found: {resolved[0]}; the mesh stays still'
    )
    assert missing_files(main, "IMAGE", "file", "filepath", "", [], [], []) == []


@pytest.mark.parametrize("raw", ["//tex/gone.png", "//tex/there.png", "PROJECT/tex/gone.png", "PROJECT/tex/there.png"])
def test_the_plain_shortcut_gives_what_the_full_rules_give(project: Path, raw: str) -> None:
    """A plain local path skips most rules; the same path owned by linked data (from a library at the main file's
    place, so it resolves the same) runs them all. Both must give the same finding, but for what linked data
    never gets: its library in the owner, and a fix."""
    touch(project / "tex" / "there.png")
    local = ref(project, raw.replace("PROJECT", str(project)))
    assert Resolver(str(project / "main.blend"), str(project)).plain(local.raw) is not None
    shortcut = judge(project, local)
    full = judge(project, local._replace(library="//main.blend"))
    assert len(shortcut) == len(full) == (1 if "gone" in raw else 0)
    for quick, slow in zip(shortcut, full, strict=True):
        owner = {**slow.details["owner"], "library": None}
        assert quick == dataclasses.replace(
            slow, library=None, details={**slow.details, "owner": owner}, fixes=quick.fixes
        )
        assert quick.fixes == ("path_repoint",) and slow.fixes == ()


def test_packed_is_info_only_when_the_file_on_disk_is_gone(project: Path) -> None:
    touch(project / "tex" / "there.png")
    assert judge(project, ref(project, "//tex/there.png", packed=True)) == []
    (finding,) = judge(project, ref(project, "//tex/gone.png", packed=True))
    assert (finding.severity, finding.details["kind"], finding.fixes) == ("INFO", "packed", ())
    assert finding.message == (
        f'File "//tex/gone.png" is packed into the .blend: Blender uses the packed copy; the file on disk '
        f"({project}/tex/gone.png) is missing, so scripts that open the path fail"
    )
    # Packed data travels inside the .blend: where its path points does not stop the project from moving.
    touch(project.parent / "elsewhere" / "a.png")
    for raw in ("//../elsewhere/a.png", f"{project.parent}/elsewhere/a.png"):
        assert judge(project, ref(project, raw, packed=True)) == []
        assert judge(project, ref(project, raw)) != []  # not packed: reported
    (gone,) = judge(project, ref(project, "//../../gone/a.png", packed=True))
    assert gone.details["kind"] == "packed"


def test_windows_paths(project: Path) -> None:
    touch(project / "tex" / "a.png")
    (there,) = judge(project, ref(project, "//tex\\a.png"))
    assert (there.severity, there.details["kind"]) == ("WARNING", "windows_path")
    assert there.message == (
        f'File "//tex\\a.png" uses backslashes: Blender here reads {project}/tex/a.png, but open() and os.path given '
        "the stored text look for another file"
    )
    (drive,) = judge(project, ref(project, "C:\\tex\\a.png"), root="")
    assert (
        drive.severity == "ERROR"
        and "a Windows drive letter" in drive.message
        and "/c/tex/a.png (not found)" in drive.message
    )


def test_a_missing_library_lists_what_came_from_it(project: Path) -> None:
    library = ref(
        project, "//libs/gone.blend", id_type="LIBRARY", id_name="gone.blend", label="library file", role=LIBRARY
    )
    (finding,) = judge(project, library, dependents={"gone.blend": ["OBJECT:Oak", "MESH:Oak"]})
    assert finding.message == (
        f"Library file {project}/libs/gone.blend is missing: its 2 linked datablocks are empty placeholders "
        '(Object "Oak", Mesh "Oak")'
    )
    assert finding.details["linked_count"] == 2 and finding.details["linked"] == ["OBJECT:Oak", "MESH:Oak"]
    assert finding.fixes == ()  # library links are never touched


def test_a_library_blender_links_from_an_asset_reference_has_no_location_finding(project: Path, tmp_path: Path) -> None:
    touch(tmp_path / "blender" / "assets" / "brushes.blend")
    fields = {"id_type": "LIBRARY", "id_name": "brushes.blend", "label": "library file", "role": LIBRARY}
    for raw in (f"{tmp_path}/blender/assets/brushes.blend", "//../blender/assets/brushes.blend"):
        assert [f.details["kind"] for f in judge(project, ref(project, raw, **fields))] != []  # linked by the file
        assert judge(project, ref(project, raw, asset_link=True, **fields)) == []  # linked by Blender at load
    gone = ref(project, f"{tmp_path}/blender/assets/gone.blend", asset_link=True, **fields)
    assert [f.details["kind"] for f in judge(project, gone)] == ["library_missing"]  # missing still is missing


def test_a_library_blender_could_not_read_says_why_from_its_header(project: Path) -> None:
    libs = project / "libs"
    libs.mkdir()
    fields = {"id_type": "LIBRARY", "label": "library file", "role": LIBRARY, "unreadable": True}
    (libs / "old.blend").write_bytes(b"BLENDER-v279" + bytes(64))
    (libs / "new.blend").write_bytes(b"BLENDER17-01v0500" + bytes(64))
    resolver = Resolver(str(project / "main.blend"), str(project), blender_version=(4, 2))
    dependents = {"old.blend": ["OBJECT:Oak"], "new.blend": ["OBJECT:Oak", "MESH:Oak"]}
    try:
        (old,) = evaluate(ref(project, "//libs/old.blend", id_name="old.blend", **fields), resolver, dependents)
        (new,) = evaluate(ref(project, "//libs/new.blend", id_name="new.blend", **fields), resolver, dependents)
    finally:
        resolver.cache.close()
    assert (old.details["kind"], old.severity, old.fixes) == ("library_unreadable", "ERROR", ())
    assert old.message == (
        f"Library file {libs}/old.blend is there but Blender could not read it (it is damaged or not a .blend "
        'file): its linked datablock is an empty placeholder (Object "Oak")'
    )
    assert (new.details["saved_by"], new.details["linked_count"], new.details["exists"]) == ("5.0", 2, True)
    assert new.message == (
        f"Library file {libs}/new.blend is there but Blender could not read it (it was saved by Blender 5.0, newer "
        'than this Blender 4.2): its 2 linked datablocks are empty placeholders (Object "Oak", Mesh "Oak")'
    )
    # A library whose file is gone is "missing", as before, whether or not Blender marked it unreadable.
    (gone,) = judge(project, ref(project, "//libs/gone.blend", id_name="gone.blend", **fields))
    assert gone.details["kind"] == "library_missing"


def test_a_readable_library_missing_what_the_file_links_names_the_placeholders(project: Path) -> None:
    touch(project / "libs" / "props.blend")
    fields = {"id_type": "LIBRARY", "id_name": "props.blend", "label": "library file", "role": LIBRARY}
    (one,) = judge(project, ref(project, "//libs/props.blend", placeholders=("OBJECT:Table",), **fields))
    assert (one.details["kind"], one.severity, one.details["linked"]) == ("linked_missing", "ERROR", ["OBJECT:Table"])
    assert one.message == (
        f'Library file {project}/libs/props.blend no longer has Object "Table", which this file links: Blender shows '
        "an empty placeholder (renamed or deleted in the library since it was linked; relink it or restore the name)"
    )
    assert judge(project, ref(project, "//libs/props.blend", **fields)) == []  # nothing missing from it


def test_linked_data_relative_to_its_library(project: Path) -> None:
    touch(project / "libs" / "tex" / "wood.png")
    linked = ref(project, "//tex/wood.png", library="//libs/lib.blend", base_file=f"{project}/libs/lib.blend")
    (finding,) = judge(project, linked)
    assert finding.details["kind"] == "library_relative" and finding.severity == "WARNING"
    assert finding.details["naive_abspath"] == f"{project}/tex/wood.png" and finding.details["naive_exists"] is False
    assert finding.fixes == ()  # linked data is never touched


def test_a_relative_path_in_a_file_never_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    touch(tmp_path / "tex" / "a.png")
    unsaved = ref(tmp_path, "//tex/a.png", base_file="")
    resolver = Resolver("", "")
    (finding,) = evaluate(unsaved, resolver, {})
    resolver.cache.close()
    assert finding.details["kind"] == "unsaved_relative" and finding.details["exists"] is True
    assert finding.details["resolved_path"] == f"{tmp_path}/tex/a.png"


def test_absolute_outside_the_project_and_climbing_out_of_it(project: Path, tmp_path: Path) -> None:
    touch(tmp_path / "elsewhere" / "a.png")
    (outside,) = judge(project, ref(project, f"{tmp_path}/elsewhere/a.png"))
    assert (outside.details["kind"], outside.fixes) == ("outside_project", ("path_make_relative",))
    (climbing,) = judge(project, ref(project, "//../elsewhere/a.png"))
    assert (climbing.details["kind"], climbing.details["above"]) == ("climbs_above_root", "project")
    assert climbing.fixes == ("path_make_absolute",)
    # Within a wider project root the same climb is fine.
    assert judge(project, ref(project, "//../elsewhere/a.png"), root=str(tmp_path)) == []
    deep = "//" + "../" * (len(Path(project).parts) + 2) + "x.png"
    kinds = [(f.details["kind"], f.details.get("above")) for f in judge(project, ref(project, deep))]
    assert kinds == [("missing", None), ("climbs_above_root", "filesystem")]


def test_output_paths_need_not_exist_and_directories_must(project: Path) -> None:
    assert judge(project, ref(project, "//render/", role=OUTPUT, label="render output")) == []
    (cache,) = judge(project, ref(project, "//cache/", role=DIR, label="point cache"))
    assert cache.details["kind"] == "missing" and cache.message.startswith('Point cache "//cache/" not found')
    (project / "cache").mkdir()
    assert judge(project, ref(project, "//cache/", role=DIR, label="point cache")) == []


def test_udim_tiles_sequences_and_strip_elements(project: Path) -> None:
    touch(project / "tex" / "u.1001.png")
    (udim,) = judge(project, ref(project, "//tex/u.<UDIM>.png", variant="udim", tiles=(1001, 1002), label="UDIM tiles"))
    assert udim.details["missing_tiles"] == [1002] and udim.details["found_tile_count"] == 1
    assert udim.fixes == ()  # repointing one file cannot fix a tile set
    # One of the two tiles exists: the message counts, it does not say "not found".
    assert udim.message == f'UDIM tiles "//tex/u.<UDIM>.png": 1 of 2 missing (1002) in {project}/tex/u.<UDIM>.png'
    touch(project / "seq" / "f_0003.png")
    assert judge(project, ref(project, "//seq/f_0001.png", variant="sequence")) == []  # frame 3 exists
    (sequence,) = judge(project, ref(project, "//nothing/f_0001.png", variant="sequence"))
    assert "no frame of the sequence" in sequence.message
    touch(project / "strip" / "a.png")
    strip = ref(project, "//strip/", role=DIR, variant="elements", elements=("a.png", "b.png"), label="strip")
    (elements,) = judge(project, strip)
    assert elements.details["missing_elements"] == ["b.png"] and "1 of 2 strip images missing" in elements.message
    assert "not found" not in elements.message


def test_plain_all_agrees_with_plain(tmp_path: Path) -> None:
    main = str(tmp_path / "main.blend")
    resolver = Resolver(main, str(tmp_path))
    samples = [
        "//tex/a.png",
        f"{tmp_path}/tex/b.png",
        "//tex//c.png",
        "///d.png",
        "//../e.png",
        "//./f.png",
        "/elsewhere/g.png",
        "relative/h.png",
        "",
        "//tex\\i.png",
        f"{tmp_path}//j.png",
        "/",
        "//",
    ]
    for sample in samples:
        single = resolver.plain(sample)
        batch = resolver.plain_all([f"//ok/{index}.png" for index in range(3)] + [sample])
        assert batch == (None if single is None else [f"{tmp_path}/ok/{index}.png" for index in range(3)] + [single])
    unsaved = Resolver("", "")
    assert unsaved.plain_all(["//a.png"]) is None and unsaved.plain("//a.png") is None
    assert unsaved.plain_all(["///a.png"]) is None and unsaved.plain("///a.png") is None
    # The main file in a sub-folder of the project root: "//" paths there and absolute paths under the root.
    nested = Resolver(str(tmp_path / "shots" / "main.blend"), str(tmp_path))
    raws = ["//a.png", "//../b.png", f"{tmp_path}/c.png", "//.d.png", "//e.f/g.png", "/h.png", "//sub/./i.png"]
    for raw in raws:
        single = nested.plain(raw)
        assert nested.plain_all([raw]) == (None if single is None else [single])
    assert nested.plain_all([raws[0], raws[2], raws[4]]) == [
        f"{tmp_path}/shots/a.png",
        f"{tmp_path}/c.png",
        f"{tmp_path}/shots/e.f/g.png",
    ]
    # A project inside a hidden folder: "//" paths stay plain, an absolute path through "/." does not (as plain()).
    hidden = Resolver(str(tmp_path / ".work" / "main.blend"), str(tmp_path / ".work"))
    assert hidden.plain_all(["//tex/a.png", "//b.png"]) == [f"{tmp_path}/.work/tex/a.png", f"{tmp_path}/.work/b.png"]
    assert hidden.plain(f"{tmp_path}/.work/c.png") is None
    assert hidden.plain_all(["//tex/a.png", f"{tmp_path}/.work/c.png"]) is None
    assert hidden.plain_all(["//tex/a.png", "//.d.png"]) is None and hidden.plain("//.d.png") is None


def test_absent_lists_the_paths_not_on_disk(tmp_path: Path) -> None:
    for index in range(0, 20, 2):
        touch(tmp_path / "d" / f"{index}.png")
    cache = paths.DirCache()
    asked = [f"{tmp_path}/d/{index}.png" for index in range(20)]
    assert cache.absent(asked) == list(range(1, 20, 2))
    assert cache.absent(asked[::2]) == []
    cache.close()


def test_dircache_answers_as_os_path_exists_with_symbolic_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "tex"
    for index in range(6):
        touch(folder / f"{index}.png")
    (folder / "link.png").symlink_to(folder / "0.png")
    (folder / "dangling.png").symlink_to(folder / "gone.png")
    names = ["0.png", "5.png", "link.png", "dangling.png", "gone.png", "1.png", "6.png"]
    expected = [os.path.exists(folder / name) for name in names]
    assert expected == [True, True, True, False, False, True, False]
    cache = paths.DirCache(list_after=1)
    assert [cache.exists(f"{folder}/{name}") for name in names] == expected
    assert f"{folder}/0.png" in cache.present and f"{folder}/link.png" not in cache.present  # links: asked anew
    assert cache.absent([f"{folder}/{name}" for name in names]) == [3, 4, 6]
    cache.close()
    # Names relative to the working directory ("" is its directory): listed by name, not "./name".
    monkeypatch.chdir(folder)
    cache = paths.DirCache(list_after=1)
    assert [cache.exists(name) for name in names] == expected
    assert "0.png" in cache.present
    cache.close()


def test_dircache_present_set_and_settled_directories(tmp_path: Path) -> None:
    for name in ("a.png", "b.png"):
        touch(tmp_path / "d" / name)
    (tmp_path / "d" / "dangling.png").symlink_to(tmp_path / "nowhere.png")
    cache = paths.DirCache(list_after=1)
    assert cache.exists(f"{tmp_path}/d/a.png")
    assert cache.present == {f"{tmp_path}/d/a.png", f"{tmp_path}/d/b.png"}  # a link may dangle: never present
    assert not cache.exists(f"{tmp_path}/d/dangling.png") and not cache.exists(f"{tmp_path}/d/zz.png")
    assert cache.exists(f"{tmp_path}/d/b.png") and not cache.exists(f"{tmp_path}/d/Zz.png")
    assert sorted(cache.names(f"{tmp_path}/d")) == ["a.png", "b.png", "dangling.png"]
    cache.close()


def test_project_root_setting(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    assert paths.project_root("", "/p/shots/main.blend", home, exists=lambda _path: False) == ("/p/shots", "")
    assert paths.project_root("//..", "/p/shots/main.blend", home) == ("/p", "")
    assert paths.project_root("/q/./x/", "/p/main.blend", home) == ("/q/x", "")
    assert paths.project_root("", "", home) == ("", "")
    assert os.path.isabs(paths.project_root("rel", "", home).path)


def test_a_found_project_root_says_what_made_it_the_root(project: Path) -> None:
    """Findings judged against a root found by a marker name it in the message and the details."""
    touch(project.parent / "shared" / "s.png")
    resolver = Resolver(str(project / "main.blend"), str(project), root_marker=".git")
    (climbs,) = evaluate(ref(project, "//../shared/s.png"), resolver, {})
    (outside,) = evaluate(ref(project, f"{project.parent}/shared/s.png"), resolver, {})
    resolver.cache.close()
    assert climbs.message == (
        f'File "//../shared/s.png" climbs (..) out of the project root {project} (the folder with .git) to '
        f"{project.parent}/shared/s.png: the project cannot be moved or shared as one folder"
    )
    assert outside.message.endswith(
        f"outside the project root {project} (the folder with .git): it breaks when the project moves to another "
        "machine"
    )
    for finding in (climbs, outside):
        assert (finding.details["project_root"], finding.details["project_root_marker"]) == (str(project), ".git")
    (unmarked,) = judge(project, ref(project, "//../shared/s.png"))
    assert "project_root_marker" not in unmarked.details and "(the folder with" not in unmarked.message


def test_project_root_is_the_nearest_folder_holding_a_checkout_or_an_asset_library(tmp_path: Path) -> None:
    """With no setting, the root is the nearest folder above the file holding .git (a folder, or a file in a
    worktree), .hg, .svn or blender_assets.cats.txt; the setting always wins; home and the file-system root never
    count; with nothing found, the file's own folder."""
    home = tmp_path / "home"
    shot = home / "proj" / "shots" / "sh010" / "sh010.blend"
    touch(shot)
    assert paths.project_root("", str(shot), str(home)) == (str(shot.parent), "")
    (home / ".git").mkdir()  # a home kept under version control for its dot files is not a project
    assert paths.project_root("", str(shot), str(home)) == (str(shot.parent), "")
    (home / "proj" / ".git").mkdir()
    assert paths.project_root("", str(shot), str(home)) == (str(home / "proj"), ".git")
    touch(home / "proj" / "shots" / "blender_assets.cats.txt")  # nearer: an asset library inside the checkout
    assert paths.project_root("", str(shot), str(home)) == (str(home / "proj" / "shots"), "blender_assets.cats.txt")
    touch(home / "proj" / "shots" / "sh010" / ".git")  # a worktree's .git is a file
    assert paths.project_root("", str(shot), str(home)) == (str(shot.parent), ".git")
    assert paths.project_root("//../..", str(shot), str(home)) == (str(home / "proj"), "")
    # A file outside the home folder: every folder up to the file-system root is looked at, but the root itself.
    seen: list[str] = []
    found = paths.project_root("", "/a/b/c.blend", str(home), exists=lambda path: seen.append(path) or False)
    assert found == ("/a/b", "")
    assert seen == [f"/a/b/{marker}" for marker in paths.PROJECT_MARKERS] + [
        f"/a/{marker}" for marker in paths.PROJECT_MARKERS
    ]


def test_a_many_files_scan_takes_the_folder_it_was_given_as_the_root_when_nothing_marks_one(tmp_path: Path) -> None:
    """An asset library with no checkout or catalog file: its files' ``//../textures/`` stay inside the tree being
    scanned, so the innermost scanned folder holding the file is the root. A marker still wins; a scanned folder
    not holding the file, or none, leaves the file's own folder."""
    home = tmp_path / "home"
    shot = home / "library" / "props" / "chair.blend"
    touch(shot)
    library, props = str(home / "library"), str(home / "library" / "props")
    assert paths.project_root("", str(shot), str(home), scanned=[library]) == (library, "")
    assert paths.project_root("", str(shot), str(home), scanned=[library + "/", props]) == (props, "")
    assert paths.project_root("", str(shot), str(home), scanned=[str(home / "other")]) == (props, "")
    assert paths.project_root("", str(shot), str(home), scanned=[str(home / "lib")]) == (props, "")  # not a prefix
    assert paths.project_root("/q", str(shot), str(home), scanned=[library]) == ("/q", "")  # the setting wins
    (home / "library" / ".git").mkdir()
    assert paths.project_root("", str(shot), str(home), scanned=[props]) == (library, ".git")
