"""Blender-free logic of the session checks: who owns a module, the bounded walk for held data, name limits."""

from __future__ import annotations

from collections import OrderedDict

import pytest
from gotcha_doctor.core import heldrefs, names, owners
from hypothesis import given
from hypothesis import strategies as st


class Held:
    """Stands for Blender data in these tests: whatever ``classify`` names."""


def classify(value: object) -> str | None:
    return "held" if type(value) is Held else None


def paths(root: object, **options: object) -> list[str]:
    stats = heldrefs.WalkStats()
    return [hit.path for hit in heldrefs.walk(root, classify, stats, **options) if hit is not None]  # type: ignore[arg-type]


ADDONS = ["bl_ext.user_default.foo", "bl_ext.user_default.foo_bar", "legacy_addon", "bl_pkg"]


@pytest.mark.parametrize(
    ("module", "kind", "owner"),
    [
        ("bl_ext.user_default.foo", "extension", "bl_ext.user_default.foo"),
        ("bl_ext.user_default.foo.worker", "extension", "bl_ext.user_default.foo"),
        ("bl_ext.user_default.foo_bar.x", "extension", "bl_ext.user_default.foo_bar"),  # not "foo"
        ("legacy_addon.sub", "add-on", "legacy_addon"),
        ("legacy_addon_other", "module", "legacy_addon_other"),
        ("__main__", "script", "__main__"),
        ("bl_ui.space_view3d", "blender", "bl_ui.space_view3d"),
        ("bl_ext.user_default", "blender", "bl_ext.user_default"),
        ("threading", "module", "threading"),
        (None, "module", "?"),
    ],
)
def test_owner_of_module(module: str | None, kind: str, owner: str) -> None:
    found = owners.owner_of(module, ADDONS)
    assert (found.kind, found.module) == (kind, owner)


def test_owner_labels() -> None:
    assert owners.Owner("extension", "bl_ext.user_default.foo").label == 'extension "foo" (repository user_default)'
    assert owners.Owner("add-on", "legacy_addon").label == 'add-on "legacy_addon"'


def test_script_file_names() -> None:
    assert owners.is_script_file("/project/shot.blend/Text")
    assert owners.is_script_file("my_script.py")
    assert not owners.is_script_file("/home/me/addons/foo/__init__.py")


def test_walk_finds_held_data_in_containers_to_bounded_depth() -> None:
    class State:
        pass

    state = State()
    state.target = Held()  # type: ignore[attr-defined]
    root = {"a": [Held(), (Held(),)], "s": state, "deep": [[[[Held()]]]]}
    assert paths(root, descend_into=lambda value: type(value) is State) == ["['a'][0]", "['a'][1][0]", "['s'].target"]
    assert paths(root) == ["['a'][0]", "['a'][1][0]"]  # instances are not entered unless asked
    assert paths(root, max_depth=5) == ["['a'][0]", "['a'][1][0]", "['deep'][0][0][0][0]"]


def test_walk_reads_subclasses_through_builtin_methods_only() -> None:
    class Trap(list):
        def __iter__(self):  # an add-on's code: must never run
            raise AssertionError("ran __iter__")

    class TrapDict(OrderedDict):
        def items(self):
            raise AssertionError("ran items")

    class Sneaky:
        @property
        def __class__(self):  # isinstance() would read this
            raise AssertionError("ran __class__")

    assert paths(Trap([Held()])) == ["[0]"]
    assert paths(TrapDict(k=Held())) == ["['k']"]
    assert paths([Sneaky(), Held()]) == ["[1]"]


def test_walk_does_not_run_properties_for_instance_attributes() -> None:
    class Guarded:
        def __init__(self) -> None:
            self.kept = Held()

        @property
        def __dict__(self):  # type: ignore[override]
            raise AssertionError("ran __dict__")

    assert paths([Guarded()], descend_into=lambda _value: True) == []


def test_walk_ticks_and_stops_at_its_bounds() -> None:
    big = list(range(10_000)) + [Held()]
    stats = heldrefs.WalkStats()
    items = list(heldrefs.walk(big, classify, stats, ticker=heldrefs.Ticker(every=1_000)))
    assert items.count(None) == 10 and items[-1].path == "[10000]"  # type: ignore[union-attr]
    stats = heldrefs.WalkStats()
    assert [i for i in heldrefs.walk(big, classify, stats, max_visits=500) if i is not None] == []
    assert stats.truncated


def test_walks_sharing_a_ticker_tick_on_their_visits_together() -> None:
    # Three variables of 300 items each: counted per walk none of them would tick; together they tick once per 500.
    ticker = heldrefs.Ticker(every=500)
    ticks = [
        item
        for _ in range(3)
        for item in heldrefs.walk(list(range(299)), classify, heldrefs.WalkStats(), ticker=ticker)
        if item is None
    ]
    assert len(ticks) == 900 // 500 and ticker.count == 900 % 500


def test_walk_survives_cycles() -> None:
    loop: list[object] = [Held()]
    loop.append(loop)
    assert paths(loop, max_depth=10) == ["[0]"]


@pytest.mark.parametrize(("version", "limit"), [((4, 2, 23), 63), ((4, 5, 0), 63), ((5, 0, 1), 255), ((5, 3, 0), 255)])
def test_name_limit_by_version(version: tuple[int, ...], limit: int) -> None:
    assert names.name_limit_bytes(version) == limit


def test_name_limit_states() -> None:
    assert names.name_limit_state("x" * 63, 63) == names.NAME_LIMIT_FULL
    assert names.name_limit_state("x" * 62, 63) is None  # ASCII one short: nothing was cut
    assert names.name_limit_state("é" * 31, 63) == names.NAME_LIMIT_CUT  # 62 bytes: a 2-byte character did not fit
    assert names.name_limit_state("é" * 20, 63) is None


@given(st.text(max_size=300))
def test_name_limit_state_agrees_with_byte_length(name: str) -> None:
    size = len(name.encode("utf-8", "surrogatepass"))
    state = names.name_limit_state(name, 63)
    assert (state == names.NAME_LIMIT_FULL) == (size >= 63)
    if state == names.NAME_LIMIT_CUT:
        assert 60 <= size < 63 and size != len(name)
