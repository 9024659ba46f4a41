"""Edit Mode versus object data: the diff math and its wording (Blender-free, numpy only).

While an object is in Edit Mode its data (``mesh.vertices``, ``armature.bones``, ...) keeps the state it had
when Edit Mode was entered; this module compares the two sides once a check has read them into plain values
(see checks/editmode_sync.py for how both sides are read without leaving Edit Mode).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

# How many moved element indices a finding keeps as examples.
SAMPLE_LIMIT = 10
# Bone heads/tails/matrices go through a roll conversion when Edit Mode is left; smaller differences are noise.
BONE_TOLERANCE = 1e-5

COUNT_WORDS = (
    ("verts", "vertex", "vertices"),
    ("edges", "edge", "edges"),
    ("faces", "face", "faces"),
    ("loops", "face corner", "face corners"),
)


@dataclass
class MoveTally:
    """Running result of comparing positions slice by slice (index i on one side is index i on the other)."""

    compared: int = 0
    moved: int = 0
    max_displacement: float = 0.0
    samples: list[int] = field(default_factory=list)

    def add(self, old: np.ndarray, new: np.ndarray, offset: int = 0) -> None:
        """Compare two ``(k, 3)`` coordinate slices that start at element ``offset``.

        A position counts as moved when any component differs at all: Edit Mode copies the float32 positions
        exactly, so an untouched vertex compares equal bit for bit.
        """
        if old.shape != new.shape:
            raise ValueError(f"slices differ in shape: {old.shape} vs {new.shape}")
        changed = np.flatnonzero(np.any(old != new, axis=1))
        self.compared += len(old)
        if changed.size == 0:
            return
        self.moved += int(changed.size)
        delta = (new[changed] - old[changed]).astype(np.float64)
        self.max_displacement = max(self.max_displacement, float(np.sqrt((delta * delta).sum(axis=1)).max()))
        room = SAMPLE_LIMIT - len(self.samples)
        if room > 0:
            self.samples.extend(int(i) + offset for i in changed[:room])


@dataclass
class SelectTally:
    """Running count of elements whose selection differs between the two sides."""

    changed: int = 0

    def add(self, old: np.ndarray, new: np.ndarray) -> None:
        self.changed += int(np.count_nonzero(old.astype(bool) != new.astype(bool)))


def count_deltas(old: Mapping[str, int], new: Mapping[str, int]) -> dict[str, int]:
    """Edit side minus object-data side for each count both have (``verts``, ``edges``, ...)."""
    return {key: int(new[key]) - int(old[key]) for key in old if key in new}


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def format_length(value: float) -> str:
    """A displacement in scene units, short: 0.8 m, 0.00012 m."""
    return f"{value:.3g} m"


def describe_counts(deltas: Mapping[str, int]) -> list[str]:
    parts = []
    for key, one, many in COUNT_WORDS:
        delta = deltas.get(key, 0)
        if delta:
            parts.append(f"{plural(abs(delta), one, many)} {'added' if delta > 0 else 'removed'}")
    return parts


def faces_rewired(
    old_sizes: np.ndarray, old_corners: np.ndarray, new_sizes: np.ndarray, new_corners: np.ndarray
) -> int:
    """How many faces of the edit side have no identical face on the data side (same vertices in the same winding,
    in any face order and from any starting corner): rotated edges, re-made or flipped faces.

    ``*_sizes`` holds each face's corner count, ``*_corners`` the vertex index of every corner, face after face.
    """
    remaining = Counter(_canonical_faces(old_sizes, old_corners))
    unmatched = 0
    for face in _canonical_faces(new_sizes, new_corners):
        if remaining[face] > 0:
            remaining[face] -= 1
        else:
            unmatched += 1
    return unmatched


def _canonical_faces(sizes: np.ndarray, corners: np.ndarray) -> Iterator[tuple[int, ...]]:
    """Each face as its corner vertices rotated to start at the smallest index (the winding is kept)."""
    flat = corners.tolist()
    position = 0
    for size in sizes.tolist():
        face = flat[position : position + size]
        position += size
        first = face.index(min(face)) if face else 0
        yield tuple(face[first:] + face[:first])


def mesh_change_parts(
    deltas: Mapping[str, int], moves: MoveTally | None, selection_changed: int, rewired: int = 0
) -> list[str]:
    """The pieces of a mesh diff in reading order: moved, added/removed, connectivity, selection."""
    parts = []
    if moves is not None and moves.moved:
        parts.append(f"{plural(moves.moved, 'vertex', 'vertices')} moved (max {format_length(moves.max_displacement)})")
    parts.extend(describe_counts(deltas))
    if rewired > 0:
        parts.append(f"{plural(rewired, 'face', 'faces')} with other vertices")
    if selection_changed:
        parts.append(f"selection of {plural(selection_changed, 'vertex', 'vertices')} changed")
    return parts


def pending_message(name: str, parts: Sequence[str], data_kind: str) -> str:
    """The message, e.g. "Cube: 12 vertices moved (max 0.8 m), 1 face added — data not written to the Mesh yet"."""
    return f"{name}: {', '.join(parts)} — data not written to the {data_kind} yet"


def in_sync_message(name: str, data_kind: str, what: str) -> str:
    return (
        f"{name} is in Edit Mode with no pending change ({what} match); scripts and exporters reading the "
        f"{data_kind} see the same data until the next edit, which stays unwritten until Edit Mode is left"
    )


def shared_note(data_kind: str, data_name: str, others: Sequence[str]) -> str:
    if not others:
        return ""
    verb = "sees" if len(others) == 1 else "see"
    return f'; {data_kind} "{data_name}" is also used by {", ".join(others)}, which {verb} the old data too'


# --- armatures ------------------------------------------------------------------------------------------------

BoneState = tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], str | None, bool]
"""(head, tail, flattened 3x3 orientation, parent name, use_connect) in armature space."""


@dataclass
class BoneDiff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)  # head, tail or roll differ
    reparented: list[str] = field(default_factory=list)  # parent or connection differ
    max_displacement: float = 0.0

    @property
    def pending(self) -> bool:
        return bool(self.added or self.removed or self.moved or self.reparented)

    def parts(self) -> list[str]:
        parts = []
        if self.moved:
            parts.append(
                f"{plural(len(self.moved), 'bone', 'bones')} moved (max {format_length(self.max_displacement)})"
            )
        if self.added:
            parts.append(f"{plural(len(self.added), 'bone', 'bones')} added")
        if self.removed:
            parts.append(f"{plural(len(self.removed), 'bone', 'bones')} removed")
        if self.reparented:
            parts.append(f"{plural(len(self.reparented), 'bone', 'bones')} re-parented")
        return parts

    def as_details(self) -> dict[str, Any]:
        return {
            "bones_added": sorted(self.added)[:50],
            "bones_removed": sorted(self.removed)[:50],
            "bones_moved": sorted(self.moved)[:50],
            "bones_reparented": sorted(self.reparented)[:50],
            "bones_max_displacement": self.max_displacement,
        }


def diff_bones(old: Mapping[str, BoneState], new: Mapping[str, BoneState], tol: float = BONE_TOLERANCE) -> BoneDiff:
    """``bones`` (object data) versus ``edit_bones`` (Edit Mode), matched by bone name."""
    diff = BoneDiff(added=[n for n in new if n not in old], removed=[n for n in old if n not in new])
    for name in (n for n in new if n in old):
        o_head, o_tail, o_axes, o_parent, o_connect = old[name]
        n_head, n_tail, n_axes, n_parent, n_connect = new[name]
        heads = np.subtract(n_head, o_head)
        tails = np.subtract(n_tail, o_tail)
        shift = float(max(np.linalg.norm(heads), np.linalg.norm(tails)))
        if shift > tol or float(np.abs(np.subtract(n_axes, o_axes)).max()) > tol:
            diff.moved.append(name)
            diff.max_displacement = max(diff.max_displacement, shift)
        if o_parent != n_parent or o_connect != n_connect:
            diff.reparented.append(name)
    return diff
