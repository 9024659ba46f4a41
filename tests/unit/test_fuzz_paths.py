"""Property-based tests for the path rules Blender's resolution is modelled by (POSIX)."""

from __future__ import annotations

import os

from gotcha_doctor.core import paths
from gotcha_doctor.core.path_rules import Resolver
from hypothesis import given, settings
from hypothesis import strategies as st

part = st.one_of(
    st.sampled_from(["..", ".", "", "tex", "a b", "C:", "<UDIM>", "con", "x.", "\\"]),
    st.binary(min_size=1, max_size=12).map(os.fsdecode).filter(lambda p: "/" not in p and "\x00" not in p),
)
relative_parts = st.lists(part, max_size=8).map("/".join)
absolute = relative_parts.map(lambda p: "/" + p)
stored = st.one_of(absolute, relative_parts.map(lambda p: "//" + p), relative_parts, st.text(max_size=40))
blend_file = st.lists(part.filter(lambda p: p not in ("", ".", "..")), min_size=1, max_size=5).map(
    lambda parts: "/" + "/".join(parts) + ".blend"
)


@given(stored)
def test_normalize_is_idempotent_and_has_no_dot_parts(path: str) -> None:
    once = paths.normalize(path)
    assert paths.normalize(once) == once
    inner = [p for p in once.split("/") if p]
    if once.startswith("/"):
        assert "." not in inner and ".." not in inner


@given(stored, blend_file)
def test_blender_abspath_of_a_saved_file_is_absolute(path: str, base: str) -> None:
    if paths.is_blend_relative(path) or path.startswith("/") or paths.has_windows_drive(path):
        resolved = paths.blender_abspath(path, base)
        assert resolved.startswith("/")
        assert ".." not in resolved.split("/")


@given(absolute.filter(lambda p: "\\" not in p), blend_file)
def test_relative_to_resolves_back(path: str, base: str) -> None:
    # (A backslash is read as a separator by the model, as on Windows, so a POSIX name holding one is left out.)
    relative = paths.relative_to(path, base)
    assert relative.startswith("//")
    assert paths.blender_abspath(relative, base) == paths.normalize(path)


@given(
    st.one_of(stored, st.text(max_size=40)).filter(lambda p: "\x00" not in p)
)  # NUL ends a C string: never in a path
def test_windows_prefilter_never_misses_a_problem(path: str) -> None:
    if paths.windows_problems(path):
        assert paths.maybe_windows_problem(path)


@given(st.lists(st.text(max_size=20).filter(lambda p: "\x00" not in p), max_size=6))
def test_windows_prefilter_clears_a_joined_batch_only_when_each_path_is_clear(batch: list[str]) -> None:
    if not paths.maybe_windows_problem("\x00".join(batch)):
        assert not any(paths.windows_problems(p) for p in batch)


@given(stored, blend_file)
def test_climb_info_agrees_with_resolution(path: str, base: str) -> None:
    climbs, above_root = paths.climb_info(path, base)
    if above_root:
        assert climbs
    if not paths.is_blend_relative(path):
        assert (climbs, above_root) == (False, False)


@settings(max_examples=400)
@given(st.lists(stored.filter(lambda p: "\x00" not in p), min_size=1, max_size=5), blend_file, st.integers(0, 3))
def test_plain_all_is_plain_of_each_when_every_one_is_plain(batch: list[str], main: str, up: int) -> None:
    # The project root: the main file's folder or one of its parents.
    root = os.path.dirname(main)
    for _ in range(up):
        root = os.path.dirname(root)
    resolver = Resolver(main, root)
    each = [resolver.plain(raw) for raw in batch]
    expected = None if None in each else each
    assert resolver.plain_all(batch) == expected
