"""core.paths without Blender: Blender-style resolution (a table; tests/blender checks it against Blender itself),
tokens, tiles and sequences, portability, and DirCache against os.path.exists on real files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from gotcha_doctor.core import paths

BASE = "/proj/shots/main.blend"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("//tex/a.png", "/proj/shots/tex/a.png"),
        ("//tex\\b.png", "/proj/shots/tex/b.png"),
        ("//./a/../b.png", "/proj/shots/b.png"),
        ("//a//b.png", "/proj/shots/a/b.png"),
        ("//../../../../../x.png", "/x.png"),
        ("//", "/proj/shots/"),
        ("C:\\tex\\a.png", "/c/tex/a.png"),
        ("/abs/x.png", "/abs/x.png"),
        ("rel/x.png", "rel/x.png"),
        ("//../lib/", "/proj/lib/"),
    ],
)
def test_blender_abspath_matches_table(raw: str, expected: str) -> None:
    assert paths.blender_abspath(raw, BASE) == expected


def test_climb_info_and_is_within():
    assert paths.climb_info("//tex/a.png", BASE) == (False, False)
    assert paths.climb_info("//../a.png", BASE) == (True, False)
    assert paths.climb_info("//../../a.png", BASE) == (True, False)
    assert paths.climb_info("//../../../a.png", BASE) == (True, True)
    assert paths.climb_info("//a/../../b.png", BASE) == (True, False)
    assert paths.climb_info("/abs.png", BASE) == (False, False)
    assert paths.is_within("/proj/shots/tex/a.png", "/proj/shots")
    assert paths.is_within("/proj/shots", "/proj/shots/")
    assert not paths.is_within("/proj/shots2/a.png", "/proj/shots")
    assert paths.relative_to("/proj/tex/a.png", BASE) == "//../tex/a.png"
    assert paths.relative_to("/proj/shots/tex/", BASE) == "//tex/"


def test_tiles_and_sequences():
    assert paths.expand_tile("/t/wood.<UDIM>.png", 1002) == "/t/wood.1002.png"
    assert paths.expand_tile("/t/wood_<UVTILE>.png", 1001) == "/t/wood_u1_v1.png"
    assert paths.expand_tile("/t/wood_<UVTILE>.png", 1012) == "/t/wood_u2_v2.png"
    assert paths.expand_tile("/t/2024/wood.1001.png", 1003) == "/t/2024/wood.1003.png"
    assert paths.sequence_parts("/seq/f_0001.png") == ("/seq", "f_", 4, ".png")
    assert paths.sequence_parts("/seq/noframe.png") is None
    assert paths.sequence_frames(["f_0001.png", "f_0003.png", "f_x.png", "g_0002.png"], "f_", ".png") == [1, 3]


def test_windows_problems():
    assert paths.windows_problems("//tex/wood.<UDIM>.png") == []
    assert paths.windows_problems("C:\\tex\\a.png") == []
    assert paths.windows_problems("//../tex/a.png") == []
    assert paths.windows_problems("//tex/CON.png") == ['"CON.png" is a reserved device name on Windows']
    assert paths.windows_problems("//tex/a?.png") == ['"a?.png" holds characters Windows does not allow in names: ?']
    assert paths.windows_problems("//dir./a.png") == ['"dir." ends with a dot, which Windows drops']
    assert paths.windows_problems("//a.png ") == ['"a.png " ends with a space, which Windows drops']
    for raw in ("//tex/CON.png", "//tex/a?.png", "//dir./a.png", "//a.png ", "//lpt1"):
        assert paths.maybe_windows_problem(raw)


def test_dircache_agrees_with_os_path_exists(tmp_path: Path):
    (tmp_path / "d").mkdir()
    for name in ("a.png", "b.png", "c.png", "Mixed.png"):
        (tmp_path / "d" / name).write_bytes(b"")
    (tmp_path / "d" / "dangling.png").symlink_to(tmp_path / "nowhere.png")
    (tmp_path / "d" / "link.png").symlink_to(tmp_path / "d" / "a.png")
    bad = os.fsdecode(b"caf\xe9.png")
    (tmp_path / "d" / os.fsencode(bad).decode("utf-8", "surrogateescape")).write_bytes(b"")
    cache = paths.DirCache(list_after=1)
    names = ["a.png", "b.png", "zzz.png", "mixed.png", "Mixed.png", "dangling.png", "link.png", bad, "x/y.png"]
    for name in names:
        path = f"{tmp_path}/d/{name}"
        assert cache.exists(path) == os.path.exists(path), name
    assert cache.listings >= 1
    assert not cache.exists(f"{tmp_path}/missing_dir/a.png")


def test_dircache_absent_agrees_with_os_path_exists(tmp_path: Path):
    """absent() answers many paths at once: in every state of the listing (not started, partly read, complete) it
    must say what os.path.exists says, dangling and good links, other directories and the root included."""
    (tmp_path / "d").mkdir()
    for index in range(0, 300, 3):
        (tmp_path / "d" / f"{index:03d}.png").write_bytes(b"")
    (tmp_path / "d" / "dangling.png").symlink_to(tmp_path / "nowhere.png")
    (tmp_path / "d" / "link.png").symlink_to(tmp_path / "d" / "000.png")
    asked = [f"{tmp_path}/d/{index:03d}.png" for index in range(300)]
    asked += [f"{tmp_path}/d/dangling.png", f"{tmp_path}/d/link.png", f"{tmp_path}/d/", f"{tmp_path}/none/a.png"]
    asked += ["/", "/no-such-file-at-the-root", f"{tmp_path}/d"]
    expected = [index for index, path in enumerate(asked) if not os.path.exists(path)]
    for list_after, chunk in ((1, 7), (1, 10_000), (3, 50), (10**9, 10)):
        cache = paths.DirCache(list_after=list_after, chunk=chunk)
        for _round in range(3):  # the listing goes on between rounds, as between a scan's steps
            cache.new_step()
            assert cache.absent(asked) == expected, (list_after, chunk)
        cache.close()


def test_dircache_absent_answers_a_settled_directory_in_bulk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Once a directory is settled (listed completely, case-sensitive, no links), absent() answers the paths in it
    without asking exists() per path, and still as os.path.exists does; a batch reaching outside settled
    directories (a directory itself, a path at the root, another directory) is answered path by path."""
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for index in range(0, 30, 2):
        (tmp_path / "d" / f"{index:02d}.png").write_bytes(b"")
    inside = [f"{tmp_path}/d/{index:02d}.png" for index in range(30)] + [f"{tmp_path}/d/sub"]
    cache = paths.DirCache(list_after=1, chunk=10_000)
    cache.new_step()
    assert cache.absent(inside) == list(range(1, 30, 2))  # lists d, and settles it
    asked_one_by_one: list[str] = []
    exists = cache.exists
    monkeypatch.setattr(cache, "exists", lambda path: asked_one_by_one.append(path) or exists(path))
    assert cache.absent(inside) == list(range(1, 30, 2))
    assert asked_one_by_one == []
    for outside in (f"{tmp_path}/d/", "/no-such-file-at-the-root", f"{tmp_path}/e/00.png", f"{tmp_path}/d/sub/"):
        asked = [*inside, outside]
        expected = [index for index, path in enumerate(asked) if not os.path.exists(path)]
        assert cache.absent(asked) == expected, outside
        assert asked_one_by_one, outside
        asked_one_by_one.clear()
    cache.close()


def test_windows_prefilter_never_misses_a_problem():
    """maybe_windows_problem() may raise false alarms but must flag every path windows_problems() rejects,
    alone and inside a NUL-joined batch."""
    samples = [
        "//tex/CON.png",
        "//tex/con",
        "//Aux.tar.gz/x.png",
        "C:\\NUL\\a.png",
        "//LPT1.txt",
        "//com9",
        "//COM¹.png",
        "//tex/a?.png",
        "//a<b>.png",
        '//q"uote.png',
        "//pipe|.png",
        "//star*.png",
        "//tab\t.png",
        "//c:olon.png",
        "//dir./a.png",
        "//a.png.",
        "//trail /a.png",
        "//a.png ",
        "\\\\server\\share\\nul.png",
        "relative/prn.x",
        "//ok/file.png",
        "//../up/ok.png",
        "//tex/wood.<UDIM>.png",
        "/abs/console.png",
        "//icon.png",
        "//café.png",
    ]
    for sample in samples:
        if paths.windows_problems(sample):
            assert paths.maybe_windows_problem(sample), sample
            assert paths.maybe_windows_problem("\x00".join(["//plain/a.png", sample, "//plain/b.png"])), sample
    assert not paths.maybe_windows_problem("\x00".join(["//ok/file.png", "/abs/x/y.png", "rel/z.exr"]))
    # Folders whose names only start like a device name are no alarm (every path below them would need a look).
    common = ["/srv/Content/common/config/a.png", "//null/console/auxiliary/prnt.png", "//Com/lpt/x.png"]
    assert not [path for path in common if paths.windows_problems(path)]
    assert not paths.maybe_windows_problem("\x00".join(common))


def test_dircache_lists_big_directories_incrementally(tmp_path: Path):
    directory = tmp_path / "many"
    directory.mkdir()
    for index in range(0, 2000, 2):
        (directory / f"f{index:05d}.png").write_bytes(b"")
    cache = paths.DirCache(list_after=1, chunk=100)
    answers = []
    for index in range(2000):
        if index % 50 == 0:
            cache.new_step()  # at most 100 entries are read per step
        answers.append(cache.exists(f"{directory}/f{index:05d}.png"))
    assert answers == [index % 2 == 0 for index in range(2000)]
    assert 0 < cache.stat_calls < 2000 and cache.listings == 1  # stat only while the listing was incomplete
    assert len(cache.names(str(directory))) == 1000
    cache.close()
