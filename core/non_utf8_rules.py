"""The rules of the ``non_utf8_paths`` check, without Blender: stored paths whose bytes are not UTF-8, and names
Windows cannot hold ("Unicode Problems" gotcha).

Blender keeps such paths byte for byte; Python sees them with surrogate escapes, so ``print(path)``,
``path.encode()`` and ``datablock.name = path`` raise. The finding shows the path readably (bad bytes as
``\\xNN``) and keeps its exact bytes in the JSON report (``raw_path_base64``). Valid UTF-8 paths that Windows
cannot create (reserved device names, ``<>:"|?*``, trailing dots or spaces) are reported as INFO.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from . import paths
from .findings import Finding
from .path_rules import BLEND, LIBRARY, PathRef
from .text import display, has_surrogates, readable

CHECK = "non_utf8_paths"
TOPIC = "non-utf8-path"
FIX_REENCODE = "path_reencode"  # a fix key; the UI maps it to its operator


def utf8_candidates(path: str) -> list[str]:
    """Valid UTF-8 spellings of a non-UTF-8 path, most likely first.

    Stray bytes usually come from a legacy 8-bit code page (café saved as Latin-1/cp1252 ``caf\\xe9``), so those
    decodings come first; the last resort replaces each bad byte with U+FFFD.
    """
    raw = os.fsencode(path)
    found: list[str] = []
    for codec in ("cp1252", "latin-1"):
        # Decode only the bytes that are not UTF-8: valid multi-byte UTF-8 characters around them must stay.
        text = _decode_mixed(raw, codec)
        if text not in found:
            found.append(text)
    replaced = raw.decode("utf-8", "replace")
    if replaced not in found:
        found.append(replaced)
    return found


def _decode_mixed(raw: bytes, codec: str) -> str:
    parts: list[str] = []
    position = 0
    while position < len(raw):
        try:
            parts.append(raw[position:].decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            parts.append(raw[position : position + error.start].decode("utf-8"))
            bad = raw[position + error.start : position + error.end]
            parts.append(bad.decode(codec, "replace"))
            position += error.end
    return "".join(parts)


def evaluate(ref: PathRef) -> Iterator[Finding]:
    names = [ref.raw, *(f"{ref.raw.rstrip('/')}/{element}" for element in ref.elements)]
    for raw in names:
        if not raw:
            continue
        if has_surrogates(raw):
            yield _non_utf8(ref, raw)
        if paths.maybe_windows_problem(raw):
            problems = paths.windows_problems(raw)
            if problems:
                yield _finding(
                    ref,
                    raw,
                    "windows_invalid_name",
                    "INFO",
                    f"{_owner_text(ref)} {display(raw, 300)} cannot be created on Windows: {'; '.join(problems)}",
                    {"problems": problems},
                )


def _non_utf8(ref: PathRef, raw: str) -> Finding:
    candidates = utf8_candidates(raw)
    bad = sorted({f"\\x{byte:02x}" for byte in _bad_bytes(os.fsencode(raw))})
    fixable = ref.library is None and ref.role not in (BLEND, LIBRARY) and raw == ref.raw
    if ref.role == BLEND:
        message = (
            f"This .blend's own path {readable(raw)} is not valid UTF-8 (bytes {', '.join(bad)}): "
            "print(bpy.data.filepath) and str.encode() raise UnicodeEncodeError; use os.fsencode() or repr()"
        )
    else:
        message = (
            f"{_owner_text(ref)} {display(raw, 300)} is not valid UTF-8 (bytes {', '.join(bad)}): printing "
            "it or assigning it to a name raises; a valid spelling would be "
            f"{display(candidates[0], 300)}"
        )
    return _finding(
        ref,
        raw,
        "non_utf8",
        "WARNING",
        message,
        {"bad_bytes": bad, "readable": readable(raw), "utf8_candidates": candidates},
        fixes=(FIX_REENCODE,) if fixable else (),
    )


def _bad_bytes(raw: bytes) -> list[int]:
    bad: list[int] = []
    position = 0
    while position < len(raw):
        try:
            raw[position:].decode("utf-8")
            break
        except UnicodeDecodeError as error:
            bad.extend(raw[position + error.start : position + error.end])
            position += error.end
    return bad


def _owner_text(ref: PathRef) -> str:
    return ref.label[:1].upper() + ref.label[1:]


def _finding(
    ref: PathRef, raw: str, kind: str, severity: str, message: str, extra: dict[str, Any], fixes: tuple[str, ...] = ()
) -> Finding:
    details: dict[str, Any] = {
        "kind": kind,
        "raw_path": raw,
        "owner": {"id_type": ref.id_type, "name": ref.id_name, "library": ref.library},
        "property": ref.label,
        "data_path": ref.data_path,
    }
    details.update(extra)
    return Finding(CHECK, TOPIC, severity, message, ref.id_type, ref.id_name, ref.library, details, fixes)
