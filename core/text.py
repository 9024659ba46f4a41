"""Text that is always safe to print, draw, store in a Blender string property and write as UTF-8 JSON.

Blender paths may hold bytes that are not UTF-8; Python represents them with surrogate escapes, and such a
string raises UnicodeEncodeError when printed or encoded and TypeError when assigned to a string property
(the "Unicode Problems" gotcha). Everything a finding shows goes through these helpers first.
"""

from __future__ import annotations

import base64
import os
from typing import Any

# Strings longer than this are cut when shown; the lossless form (details) keeps everything.
MAX_SHOWN_CHARS = 1000


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds surrogate escapes (bytes that were not valid UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def readable(text: str) -> str:
    """The same text with each byte that is not valid UTF-8 shown as ``\\xNN``; valid text is unchanged."""
    if not has_surrogates(text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace")


def shorten(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """Cut very long text for display, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def display(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """Readable and bounded: what the panel, the console and messages show."""
    return shorten(readable(text), limit)


def path_bytes_b64(path: str) -> str:
    """Lossless form of a path: base64 of its file-system bytes (``os.fsencode`` restores surrogates)."""
    return base64.b64encode(os.fsencode(path)).decode("ascii")


def sanitize_details(details: dict[str, Any]) -> dict[str, Any]:
    """Make a details mapping JSON/UTF-8 safe without losing anything.

    A string value with bytes that are not UTF-8 becomes its readable form, and a sibling key
    ``<key>_base64`` keeps its exact bytes. Nested dicts and lists are handled the same way
    (list items that need it become ``{"text": ..., "base64": ...}``).
    """
    clean: dict[str, Any] = {}
    for key, value in details.items():
        safe_key = readable(str(key))
        if isinstance(value, str) and has_surrogates(value):
            clean[safe_key] = readable(value)
            clean[f"{safe_key}_base64"] = path_bytes_b64(value)
        else:
            clean[safe_key] = _sanitize_value(value)
    return clean


def _sanitize_value(value: Any) -> Any:
    if isinstance(value, str):
        if has_surrogates(value):
            return {"text": readable(value), "base64": path_bytes_b64(value)}
        return value
    if isinstance(value, dict):
        return sanitize_details(value)
    if isinstance(value, (list, tuple)):
        return [_sanitize_value(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return readable(str(value))
