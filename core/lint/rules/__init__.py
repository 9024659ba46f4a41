"""The rule families, one module each. ``FAMILIES`` is the explicit, ordered registry."""

from __future__ import annotations

from ..base import Family
from . import (
    bones,
    callbacks,
    iteration,
    meshes,
    names,
    paths,
    realloc,
    source,
    sysexit,
    threads,
    ui,
    undo,
)

FAMILIES: tuple[Family, ...] = (
    realloc.FAMILY,
    undo.FAMILY,
    threads.FAMILY,
    ui.FAMILY,
    sysexit.FAMILY,
    paths.FAMILY,
    meshes.FAMILY,
    bones.FAMILY,
    names.FAMILY,
    iteration.FAMILY,
    callbacks.FAMILY,
)
SOURCE_RULES = source.RULES
