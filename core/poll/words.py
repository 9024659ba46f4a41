"""Editors, regions and modes in words, as the explanation says them (Blender-free)."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------------------------
# Editors: ui_type -> (area type, words). ui_type is what Area.ui_type accepts (node editors use the tree type).

EDITORS: dict[str, tuple[str, str]] = {
    "VIEW_3D": ("VIEW_3D", "a 3D Viewport"),
    "IMAGE_EDITOR": ("IMAGE_EDITOR", "an Image Editor"),
    "UV": ("IMAGE_EDITOR", "a UV Editor"),
    "ShaderNodeTree": ("NODE_EDITOR", "a Shader Editor"),
    "GeometryNodeTree": ("NODE_EDITOR", "a Geometry Node Editor"),
    "CompositorNodeTree": ("NODE_EDITOR", "a Compositor"),
    "TextureNodeTree": ("NODE_EDITOR", "a Texture Node Editor"),
    "SEQUENCE_EDITOR": ("SEQUENCE_EDITOR", "a Video Sequencer"),
    "CLIP_EDITOR": ("CLIP_EDITOR", "a Movie Clip Editor"),
    "DOPESHEET": ("DOPESHEET_EDITOR", "a Dope Sheet"),
    "TIMELINE": ("DOPESHEET_EDITOR", "a Timeline"),
    "FCURVES": ("GRAPH_EDITOR", "a Graph Editor"),
    "DRIVERS": ("GRAPH_EDITOR", "a Drivers editor"),
    "NLA_EDITOR": ("NLA_EDITOR", "a Nonlinear Animation editor"),
    "TEXT_EDITOR": ("TEXT_EDITOR", "a Text Editor"),
    "CONSOLE": ("CONSOLE", "a Python Console"),
    "INFO": ("INFO", "an Info editor"),
    "OUTLINER": ("OUTLINER", "an Outliner"),
    "PROPERTIES": ("PROPERTIES", "a Properties editor"),
    "FILES": ("FILE_BROWSER", "a File Browser"),
    "ASSETS": ("FILE_BROWSER", "an Asset Browser"),
    "SPREADSHEET": ("SPREADSHEET", "a Spreadsheet"),
    "PREFERENCES": ("PREFERENCES", "a Preferences editor"),
}

REGION_WORDS = {
    "WINDOW": "its main region",
    "CHANNELS": "its channel list",
    "UI": "its sidebar",
    "TOOLS": "its toolbar",
    "HEADER": "its header",
    "PREVIEW": "its preview region",
}

MODE_WORDS = {
    "OBJECT": "Object Mode",
    "EDIT": "Edit Mode",
    "POSE": "Pose Mode",
    "SCULPT": "Sculpt Mode",
    "VERTEX_PAINT": "Vertex Paint",
    "WEIGHT_PAINT": "Weight Paint",
    "TEXTURE_PAINT": "Texture Paint",
    "PARTICLE_EDIT": "Particle Edit",
    "SCULPT_CURVES": "Sculpt Mode (curves)",
    "EDIT_GPENCIL": "Grease Pencil Edit Mode",
    "PAINT_GPENCIL": "Grease Pencil Draw Mode",
    "SCULPT_GPENCIL": "Grease Pencil Sculpt Mode",
    "WEIGHT_GPENCIL": "Grease Pencil Weight Paint",
    "VERTEX_GPENCIL": "Grease Pencil Vertex Paint",
    "PAINT_GREASE_PENCIL": "Grease Pencil Draw Mode",
    "SCULPT_GREASE_PENCIL": "Grease Pencil Sculpt Mode",
    "WEIGHT_GREASE_PENCIL": "Grease Pencil Weight Paint",
    "VERTEX_GREASE_PENCIL": "Grease Pencil Vertex Paint",
}


def mode_words(mode: str) -> str:
    return MODE_WORDS.get(mode, mode.replace("_", " ").title())


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
