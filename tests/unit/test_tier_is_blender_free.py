"""The Blender-free tier really is Blender-free."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("name", ["bpy", "bmesh", "mathutils"])
def test_blender_modules_cannot_be_imported(name: str) -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(name)


def test_core_imports_without_blender() -> None:
    core = importlib.import_module("gotcha_doctor.core.findings")
    assert core.SEVERITIES == ("ERROR", "WARNING", "INFO")
