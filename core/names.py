"""Datablock name limits by Blender version ("Data Names / Naming Limitations"), Blender-free.

Blender stores an ID name in a fixed buffer: 63 bytes of UTF-8 before 5.0, 255 bytes from 5.0. A longer name is cut
on a character boundary, so a cut name is exactly at the limit, or up to three bytes short of it when the next
character was multi-byte.
"""

from __future__ import annotations

NAME_LIMIT_FULL = "at-limit"  # exactly the limit: almost surely cut
NAME_LIMIT_CUT = "near-limit-multibyte"  # 1-3 bytes short with multi-byte characters: maybe cut before one


def name_limit_bytes(version: tuple[int, ...]) -> int:
    return 255 if tuple(version[:2]) >= (5, 0) else 63


def name_limit_state(name: str, limit: int) -> str | None:
    """NAME_LIMIT_FULL, NAME_LIMIT_CUT or None for a name well within the limit."""
    if len(name) * 4 < limit - 3:  # fast path: cannot be near the limit whatever its characters
        return None
    size = len(name.encode("utf-8", "surrogatepass"))
    if size >= limit:
        return NAME_LIMIT_FULL
    if size >= limit - 3 and size != len(name):
        return NAME_LIMIT_CUT
    return None
