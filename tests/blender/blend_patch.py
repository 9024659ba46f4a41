"""Set one field of one struct in a saved, uncompressed .blend file, using the file's own SDNA.

For states Blender reaches only through its job system, which the bpy module never finishes (it has no event
loop): e.g. an ocean modifier's ``cached`` flag, set when a bake job ends. The file is otherwise exactly what
Blender wrote. Both block-header layouts are read: 4.x (24 bytes) and 5.x (``BLENDER17``, 32 bytes).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path


def _blocks(data: bytes):
    """(code, sdna_index, count, payload_offset, payload_length) of every block."""
    large = data.startswith(b"BLENDER17")
    at = 17 if large else 12
    while at < len(data):
        if large:
            code, sdna, _old, length, count = struct.unpack_from("<4si Q q q", data, at)
            at += 32
        else:
            code, length, _old, sdna, count = struct.unpack_from("<4si Q i i", data, at)
            at += 24
        yield code, sdna, count, at, length
        if code == b"ENDB":
            return
        at += length


def _sdna(payload: bytes) -> tuple[list[str], list[str], list[int], list[tuple[int, list[tuple[int, int]]]]]:
    at = 8  # "SDNA" "NAME"
    (count,) = struct.unpack_from("<i", payload, at)
    at += 4
    names = []
    for _ in range(count):
        end = payload.index(b"\0", at)
        names.append(payload[at:end].decode())
        at = end + 1
    at = (at + 3) & ~3
    assert payload[at : at + 4] == b"TYPE"
    (count,) = struct.unpack_from("<i", payload, at + 4)
    at += 8
    types = []
    for _ in range(count):
        end = payload.index(b"\0", at)
        types.append(payload[at:end].decode())
        at = end + 1
    at = (at + 3) & ~3
    assert payload[at : at + 4] == b"TLEN"
    sizes = list(struct.unpack_from(f"<{len(types)}h", payload, at + 4))
    at = (at + 4 + 2 * len(types) + 3) & ~3
    assert payload[at : at + 4] == b"STRC"
    (count,) = struct.unpack_from("<i", payload, at + 4)
    at += 8
    structs = []
    for _ in range(count):
        type_index, fields = struct.unpack_from("<hh", payload, at)
        at += 4
        members = [struct.unpack_from("<hh", payload, at + 4 * i) for i in range(fields)]
        at += 4 * fields
        structs.append((type_index, members))
    return names, types, sizes, structs


def _size(name: str, type_size: int) -> int:
    count = 1
    for dim in re.findall(r"\[(\d+)\]", name):
        count *= int(dim)
    return (8 if name.startswith("*") or name.startswith("(*") else type_size) * count


def set_char_field(path: Path, struct_name: str, field: str, value: int) -> int:
    """Sets ``struct_name.field`` (a char) to ``value`` in every block of that struct; returns how many."""
    data = bytearray(path.read_bytes())
    blocks = list(_blocks(bytes(data)))
    dna = next(b for b in blocks if b[0] == b"DNA1")
    names, types, sizes, structs = _sdna(bytes(data[dna[3] : dna[3] + dna[4]]))
    index = next(i for i, (t, _m) in enumerate(structs) if types[t] == struct_name)
    offset = 0
    for member_type, member_name in structs[index][1]:
        name = names[member_name]
        if re.sub(r"[\[*(].*", "", name.lstrip("*(")) == field and not name.startswith("*"):
            break
        offset += _size(name, sizes[member_type])
    else:
        raise KeyError(f"{struct_name}.{field}")
    patched = 0
    for code, sdna, count, at, _length in blocks:
        if sdna == index and code == b"DATA":
            for item in range(count):
                data[at + item * sizes[structs[index][0]] + offset] = value
                patched += 1
    path.write_bytes(bytes(data))
    return patched
