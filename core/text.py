"""Text that is always safe to print, draw, store in a Blender string property and write as UTF-8 JSON.

Blender paths may hold bytes that are not UTF-8; Python represents them with surrogate escapes, and such a
string raises UnicodeEncodeError when printed or encoded and TypeError when assigned to a string property
(the "Unicode Problems" gotcha). Everything a finding shows goes through these helpers first.
"""

from __future__ import annotations

import base64
import os
import unicodedata
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
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte (never from a file system): show its code
        return "".join(_readable_char(char) for char in text)
    return raw.decode("utf-8", "backslashreplace")


def _readable_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}" if 0xD800 <= code <= 0xDFFF else char


# Shown as escapes wherever text reaches a terminal or a one-line label: control characters (C0, DEL, C1: a name
# holding ESC [ ... or CR could recolour the terminal or overwrite the line), line and paragraph separators, and
# the bidirectional controls that reorder what follows them ("Trojan Source"). Right-to-left letters stay.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _is_unsafe_char(char: str) -> bool:
    return char in _BIDI_CONTROLS or unicodedata.category(char) in {"Cc", "Zl", "Zp"}


def escape_controls(text: str) -> str:
    """``text`` with each control character (see above) shown as ``\\n``, ``\\x1b``, ``\\u202e``...: one line,
    nothing a terminal acts on. Backslashes are kept as they are (Windows paths stay readable)."""
    if text.isprintable():  # the common case, in C: no Cc/Zl/Zp/bidi controls can be present
        return text
    out = []
    for char in text:
        if not _is_unsafe_char(char):
            out.append(char)
        elif char in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[char])
        elif ord(char) <= 0xFF:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


def has_unsafe_chars(text: str) -> bool:
    """True when ``text`` holds a character :func:`escape_controls` would escape."""
    return not text.isprintable() and any(_is_unsafe_char(char) for char in text)


def shorten(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """Cut very long text for display, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit} more characters)"


def display(text: str, limit: int = MAX_SHOWN_CHARS) -> str:
    """Readable, escaped and bounded: what the panel, the console and messages show (untrusted text included)."""
    return shorten(escape_controls(readable(text)), limit)


def py_string(text: str) -> str:
    """A Python string literal for ``text``, valid and printable for any name: paste-ready lookups use it.

    ``repr`` escapes quotes, backslashes, control characters, bidi controls and surrogates; double quotes are
    preferred, as in Blender's own tooltips (``bpy.data.objects["Cube"]``).
    """
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:  # then ``text`` holds no quote at all: swap the delimiters
        return f'"{literal[1:-1]}"'
    return literal


def path_bytes_b64(path: str) -> str:
    """Lossless form of a path: base64 of its file-system bytes (``os.fsencode`` restores surrogates)."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate that is no escaped byte: never from a file system; keep its code
        raw = path.encode("utf-8", "surrogatepass")
    return base64.b64encode(raw).decode("ascii")


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
