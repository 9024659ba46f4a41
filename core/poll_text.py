"""Blender-free half of the poll explainer: parsing what the user typed, the setup-step vocabulary, snippets, words.

A *recipe* is a context in which an operator's ``poll()`` can be tried: an editor (``ui_type`` plus the region),
an object mode, and a list of named *setup steps* from ``STEPS`` below (the documented vocabulary of
docs/poll.md). Each step is a few lines of Python; the knowledge-base sweep (tools/poll_kb/sweep.py) builds every
recipe by running exactly the snippet that ``build_snippet`` makes, so a recipe recorded as passing there is the
snippet the user gets. This module must stay importable without ``bpy`` and without its package (the sweep's
workers load it by file path), so it has no relative imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------------------------------------------------------
# Parsing the operator the user asks about (never eval'd: one strict regex, then a lookup in the registry).

MAX_INPUT = 400  # longer text is refused before any regex runs
_IDNAME = r"[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9_]*"
_PATTERNS = (
    # bpy.ops.action.clean / action.clean / bpy.ops.action.clean() / ...clean.poll()
    re.compile(rf"^(?:bpy\.ops\.)?(?P<op>{_IDNAME})(?:\s*\(\s*\)|\.poll\s*\(\s*\))?$"),
    # Blender's error text: "Operator bpy.ops.action.clean.poll() failed, context is incorrect"
    re.compile(rf"^(?:RuntimeError:\s*)?(?:Error:\s*)?Operator bpy\.ops\.(?P<op>{_IDNAME})\.poll\(\)"),
    # the class name: ACTION_OT_clean
    re.compile(r"^(?P<cls>[A-Z][A-Z0-9_]*_OT_[a-z0-9_]+)$"),
)


class BadOperatorText(ValueError):
    """What the user typed is not an operator name; str() is the one-line answer."""


def parse_operator(text: str) -> str:
    """``"bpy.ops.action.clean"``, ``"action.clean"``, ``"ACTION_OT_clean"`` or Blender's poll error -> ``"action.clean"``.

    Raises BadOperatorText with a one-line reason. Nothing is evaluated.
    """
    if not isinstance(text, str):
        raise BadOperatorText("Expected the operator as text, e.g. action.clean")
    if len(text) > MAX_INPUT:
        raise BadOperatorText(
            f"Not an operator name: the text is {len(text):,} characters long; paste e.g. action.clean"
        )
    stripped = text.strip().strip("`'\"").strip()
    if not stripped:
        raise BadOperatorText("No operator given; type one such as action.clean or bpy.ops.action.clean")
    if not stripped.isascii():
        raise BadOperatorText(
            f"Not an operator name: {short(stripped)!r} has non-ASCII characters; operators look like action.clean"
        )
    for pattern in _PATTERNS:
        match = pattern.match(stripped)
        if match is None:
            continue
        if match.groupdict().get("cls"):
            prefix, _, name = match.group("cls").partition("_OT_")
            return f"{prefix.lower()}.{name}"
        return match.group("op")
    raise BadOperatorText(
        f"Not an operator name: {short(stripped)!r}; expected group.name such as action.clean or bpy.ops.action.clean"
    )


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def class_name(idname: str) -> str:
    """``"action.clean"`` -> ``"ACTION_OT_clean"`` (how Blender names the operator's RNA type)."""
    group, _, name = idname.partition(".")
    return f"{group.upper()}_OT_{name}"


GENERIC_POLL_MESSAGE = "context is incorrect"


def poll_message_from_error(idname: str, error_text: str) -> str | None:
    """Blender's own reason from the RuntimeError of a call whose poll failed; None when it only says the generic
    "context is incorrect" (or the text is not a poll failure)."""
    head = f"Operator bpy.ops.{idname}.poll()"
    text = error_text.strip()
    if not text.startswith(head):
        return None
    rest = text[len(head) :].strip()
    if rest.startswith("failed, "):
        rest = rest[len("failed, ") :]
    if not rest or rest == GENERIC_POLL_MESSAGE:
        return None
    return rest


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


# ---------------------------------------------------------------------------------------------------------------
# The setup-step vocabulary. phase "object": makes the active object (runs first); "data": adds data (before the
# mode switch); "space": configures the chosen editor (``area`` and ``space`` exist); "override": adds context
# members to ``override``. ``needs`` is the plain-words requirement; ``object_type`` lets the explainer compare it.


@dataclass(frozen=True)
class Step:
    name: str
    phase: str
    needs: str
    code: str
    object_type: str | None = None


def _obj(name: str, object_type: str, needs: str, code: str) -> Step:
    return Step(name, "object", needs, code + "\nobj = context.view_layer.objects.active", object_type)


_ADD_GP = (
    "if bpy.app.version >= (4, 3, 0) or context.preferences.experimental.use_grease_pencil_version3:\n"
    "    bpy.ops.object.grease_pencil_add(type='STROKE')\n"
    "else:\n"
    "    bpy.ops.object.gpencil_add(type='STROKE')"
)

# Writes a library .blend with one mesh object in a collection, then links that collection (File > Link).
_LINK_LIBRARY_COLLECTION = (
    "import os, tempfile\n"
    "library_path = os.path.join(tempfile.mkdtemp(), 'library.blend')\n"
    "library_mesh = bpy.data.meshes.new('LibraryMesh')\n"
    "library_object = bpy.data.objects.new('LibraryObject', library_mesh)\n"
    "library_collection = bpy.data.collections.new('LibraryCollection')\n"
    "library_collection.objects.link(library_object)\n"
    "bpy.data.libraries.write(library_path, {library_collection}, fake_user=True)\n"
    "bpy.data.collections.remove(library_collection)\n"
    "bpy.data.objects.remove(library_object)\n"
    "bpy.data.meshes.remove(library_mesh)\n"
    "with bpy.data.libraries.load(library_path, link=True) as (data_from, data_to):\n"
    "    data_to.collections = ['LibraryCollection']\n"
    "linked_collection = data_to.collections[0]\n"
)

_STEP_LIST = [
    # Objects (each becomes the active, selected object).
    Step(
        "experimental_gpv3",
        "object",
        "the experimental Grease Pencil v3 option on (Blender 4.2)",
        "context.preferences.experimental.use_grease_pencil_version3 = True",
    ),
    _obj("active_mesh", "MESH", "an active Mesh object", "bpy.ops.mesh.primitive_cube_add()"),
    _obj("active_camera", "CAMERA", "an active Camera", "bpy.ops.object.camera_add()"),
    _obj("active_light", "LIGHT", "an active Light", "bpy.ops.object.light_add(type='POINT')"),
    _obj("active_empty", "EMPTY", "an active Empty", "bpy.ops.object.empty_add()"),
    _obj("active_curve", "CURVE", "an active Curve", "bpy.ops.curve.primitive_bezier_curve_add()"),
    _obj("active_surface", "SURFACE", "an active Surface", "bpy.ops.surface.primitive_nurbs_surface_sphere_add()"),
    _obj("active_text", "FONT", "an active Text object", "bpy.ops.object.text_add()"),
    _obj("active_armature", "ARMATURE", "an active Armature", "bpy.ops.object.armature_add()"),
    _obj("active_lattice", "LATTICE", "an active Lattice", "bpy.ops.object.add(type='LATTICE')"),
    _obj("active_metaball", "META", "an active Metaball", "bpy.ops.object.metaball_add()"),
    _obj("active_grease_pencil", "GREASEPENCIL", "an active Grease Pencil object", _ADD_GP),
    _obj(
        "active_grease_pencil_legacy",
        "GPENCIL",
        "an active (legacy) Grease Pencil object",
        "bpy.ops.object.gpencil_add(type='STROKE')",
    ),
    _obj("active_curves", "CURVES", "an active Curves (hair) object", "bpy.ops.object.curves_random_add()"),
    _obj(
        "active_pointcloud",
        "POINTCLOUD",
        "an active Point Cloud",
        "if hasattr(bpy.ops.object, 'pointcloud_random_add'):\n"
        "    bpy.ops.object.pointcloud_random_add()\nelse:\n    bpy.ops.object.pointcloud_add()",
    ),
    _obj("active_volume", "VOLUME", "an active Volume", "bpy.ops.object.volume_add()"),
    _obj("active_speaker", "SPEAKER", "an active Speaker", "bpy.ops.object.speaker_add()"),
    _obj(
        "active_light_probe",
        "LIGHT_PROBE",
        "an active Light Probe",
        "bpy.ops.object.lightprobe_add(type='SPHERE' if bpy.app.version >= (4, 1, 0) else 'CUBEMAP')",
    ),
    _obj(
        "mesh_with_hair",
        "MESH",
        "an active Mesh with a hair particle system",
        "bpy.ops.mesh.primitive_cube_add()\n"
        "bpy.ops.object.particle_system_add()\n"
        "context.object.particle_systems[0].settings.type = 'HAIR'",
    ),
    Step(
        "factory_startup",
        "object",
        "the factory startup scene in Object Mode (Cube active and selected)",
        "# (nothing to do in a fresh session; elsewhere: bpy.ops.wm.read_factory_settings() resets everything)",
    ),
    Step("no_active_object", "object", "no active object", "context.view_layer.objects.active = None\nobj = None"),
    # Data on the active object / scene.
    Step(
        "second_selected",
        "data",
        "a second selected object (two or more selected)",
        "second = bpy.data.objects.new('Second', obj.data.copy() if obj.data else None)\n"
        "context.collection.objects.link(second)\nsecond.select_set(True)\nobj.select_set(True)",
    ),
    Step(
        "keyframes",
        "data",
        "an action with keyframes on the active object",
        "obj.keyframe_insert('location', frame=1)\nobj.location.x += 1.0\nobj.keyframe_insert('location', frame=10)",
    ),
    Step("driver", "data", "a driver on the active object", "obj.driver_add('location', 0)"),
    Step(
        "nla_strip",
        "data",
        "an NLA track with a strip",
        "obj.keyframe_insert('location', frame=1)\n"
        "track = obj.animation_data.nla_tracks.new()\n"
        "nla_strip = track.strips.new('Action', 1, obj.animation_data.action)\n"
        "nla_strip.select = True\ntrack.select = True\nobj.animation_data.nla_tracks.active = track",
    ),
    Step(
        "shape_keys",
        "data",
        "shape keys on the active object",
        "obj.shape_key_add(name='Basis')\nobj.shape_key_add(name='Key 1')\nobj.active_shape_key_index = 1",
    ),
    Step(
        "vertex_group",
        "data",
        "a vertex group on the active object",
        "obj.vertex_groups.new(name='Group')\nobj.vertex_groups.active_index = 0",
    ),
    Step(
        "modifier",
        "data",
        "a modifier on the active object",
        "obj.modifiers.new('Subdivision', 'SUBSURF')\n"
        "if hasattr(obj.modifiers, 'active'):\n    obj.modifiers.active = obj.modifiers[0]",
    ),
    Step(
        "gp_modifier",
        "data",
        "a modifier on the active Grease Pencil object",
        "if hasattr(obj, 'grease_pencil_modifiers') and obj.type == 'GPENCIL':\n"
        "    obj.grease_pencil_modifiers.new('Thickness', 'GP_THICK')\n"
        "else:\n    obj.modifiers.new('Thickness', 'GREASE_PENCIL_THICKNESS')",
    ),
    Step(
        "constraint",
        "data",
        "a constraint on the active object",
        "obj.constraints.new('COPY_LOCATION')\nobj.constraints[0].active = True",
    ),
    Step(
        "material",
        "data",
        "a material on the active object",
        "material = bpy.data.materials.new('Material')\nmaterial.use_nodes = True\n"
        "obj.data.materials.append(material)\nobj.active_material_index = len(obj.material_slots) - 1",
    ),
    Step("particle_system", "data", "a particle system on the active object", "bpy.ops.object.particle_system_add()"),
    Step(
        "rigid_body",
        "data",
        "a rigid body world and a rigid body on the active object",
        "bpy.ops.rigidbody.world_add()\nbpy.ops.rigidbody.object_add()",
    ),
    Step(
        "cloth",
        "data",
        "a Cloth simulation on the active object (its point cache)",
        "obj.modifiers.new('Cloth', 'CLOTH')",
    ),
    Step(
        "markers",
        "data",
        "a selected timeline marker",
        "marker = scene.timeline_markers.new('F_01', frame=1)\nmarker.select = True",
    ),
    Step(
        "strips",
        "data",
        "a selected, active strip in the scene's sequencer",
        "if hasattr(context.workspace, 'sequencer_scene'):\n    context.workspace.sequencer_scene = scene\n"
        "seq_editor = scene.sequence_editor_create()\n"
        "seq_strips = seq_editor.strips if hasattr(seq_editor, 'strips') else seq_editor.sequences\n"
        "seq_length = {'length': 50} if bpy.app.version >= (5, 0, 0) else {'frame_end': 51}\n"
        "strip = seq_strips.new_effect(name='Color', type='COLOR', channel=1, frame_start=1, **seq_length)\n"
        "strip2 = seq_strips.new_effect(name='Color.001', type='COLOR', channel=2, frame_start=10, **seq_length)\n"
        "strip.select = True\nstrip2.select = True\nseq_editor.active_strip = strip\nscene.frame_current = 20",
    ),
    Step(
        "paint_mask_face",
        "data",
        "face selection masking on (the mesh's use_paint_mask)",
        "obj.data.use_paint_mask = True",
    ),
    Step(
        "paint_mask_vert",
        "data",
        "vertex selection masking on (the mesh's use_paint_mask_vertex)",
        "obj.data.use_paint_mask_vertex = True",
    ),
    Step("second_scene", "data", "a second scene in the file", "bpy.data.scenes.new('Scene.001')"),
    Step("second_view_layer", "data", "a second view layer in the scene", "scene.view_layers.new('ViewLayer.001')"),
    Step(
        "keying_set",
        "data",
        "an active keying set with a path",
        "keying_set = scene.keying_sets.new(idname='GotchaKeyingSet', name='Keying Set')\n"
        "keying_set.paths.add(obj, 'location')\nscene.keying_sets.active_index = 0",
    ),
    Step("asset_marked", "data", "the active object marked as an asset", "obj.asset_mark()"),
    Step(
        "undo_steps",
        "data",
        "undo steps to go back to (the undo system initialized, then a change)",
        "bpy.ops.ed.undo_push(message='Before')\nscene.frame_current += 1\nbpy.ops.ed.undo_push(message='After')",
    ),
    Step(
        "image_tiled",
        "data",
        "a UDIM (tiled) image (in the editor)",
        "image = bpy.data.images.new('Tiles', 64, 64, tiled=True)\nimage.tiles.new(tile_number=1002)",
    ),
    Step("scene_camera", "data", "the active camera as the scene camera", "scene.camera = obj"),
    Step(
        "image_strip",
        "data",
        "an active image strip in the sequencer",
        "import os, tempfile\n"
        "if hasattr(context.workspace, 'sequencer_scene'):\n    context.workspace.sequencer_scene = scene\n"
        "strip_path = os.path.join(tempfile.mkdtemp(), 'frame.png')\n"
        "strip_image = bpy.data.images.new('Frame', 64, 64)\nstrip_image.filepath_raw = strip_path\n"
        "strip_image.file_format = 'PNG'\nstrip_image.save()\n"
        "seq_editor = scene.sequence_editor_create()\n"
        "seq_strips = seq_editor.strips if hasattr(seq_editor, 'strips') else seq_editor.sequences\n"
        "strip = seq_strips.new_image(name='Frame', filepath=strip_path, channel=3, frame_start=1)\n"
        "strip.frame_final_duration = 50\nstrip.select = True\nseq_editor.active_strip = strip\nscene.frame_current = 20",
    ),
    Step(
        "sound_strips",
        "data",
        "two overlapping, selected sound strips in the sequencer",
        "import os, tempfile, wave\n"
        "if hasattr(context.workspace, 'sequencer_scene'):\n    context.workspace.sequencer_scene = scene\n"
        "sound_path = os.path.join(tempfile.mkdtemp(), 'tone.wav')\n"
        "with wave.open(sound_path, 'wb') as wav:\n"
        "    wav.setnchannels(1)\n    wav.setsampwidth(2)\n    wav.setframerate(8000)\n"
        "    wav.writeframes(bytes(16000 * 2))\n"
        "seq_editor = scene.sequence_editor_create()\n"
        "seq_strips = seq_editor.strips if hasattr(seq_editor, 'strips') else seq_editor.sequences\n"
        "sound_a = seq_strips.new_sound(name='A', filepath=sound_path, channel=4, frame_start=1)\n"
        "sound_b = seq_strips.new_sound(name='B', filepath=sound_path, channel=5, frame_start=20)\n"
        "sound_a.select = sound_b.select = True\nseq_editor.active_strip = sound_b\nscene.frame_current = 30",
    ),
    Step(
        "scene_strip",
        "data",
        "an active scene strip in the sequencer",
        "if hasattr(context.workspace, 'sequencer_scene'):\n    context.workspace.sequencer_scene = scene\n"
        "other_scene = bpy.data.scenes.new('Shot')\nseq_editor = scene.sequence_editor_create()\n"
        "seq_strips = seq_editor.strips if hasattr(seq_editor, 'strips') else seq_editor.sequences\n"
        "strip = seq_strips.new_scene(name='Shot', scene=other_scene, channel=6, frame_start=1)\n"
        "strip.select = True\nseq_editor.active_strip = strip\nscene.frame_current = 20",
    ),
    Step(
        "text_strip",
        "data",
        "an active text strip in the sequencer",
        "if hasattr(context.workspace, 'sequencer_scene'):\n    context.workspace.sequencer_scene = scene\n"
        "seq_editor = scene.sequence_editor_create()\n"
        "seq_strips = seq_editor.strips if hasattr(seq_editor, 'strips') else seq_editor.sequences\n"
        "seq_length = {'length': 50} if bpy.app.version >= (5, 0, 0) else {'frame_end': 51}\n"
        "strip = seq_strips.new_effect(name='Text', type='TEXT', channel=7, frame_start=1, **seq_length)\n"
        "strip.text = 'Gotcha'\nstrip.select = True\nseq_editor.active_strip = strip\nscene.frame_current = 20",
    ),
    Step(
        "effect_strip",
        "data",
        "an active effect strip with two inputs in the sequencer",
        "if hasattr(context.workspace, 'sequencer_scene'):\n    context.workspace.sequencer_scene = scene\n"
        "seq_editor = scene.sequence_editor_create()\n"
        "seq_strips = seq_editor.strips if hasattr(seq_editor, 'strips') else seq_editor.sequences\n"
        "seq_length = {'length': 50} if bpy.app.version >= (5, 0, 0) else {'frame_end': 51}\n"
        "input_a = seq_strips.new_effect(name='A', type='COLOR', channel=8, frame_start=1, **seq_length)\n"
        "input_b = seq_strips.new_effect(name='B', type='COLOR', channel=9, frame_start=1, **seq_length)\n"
        "inputs = {'input1': input_a, 'input2': input_b} if bpy.app.version >= (5, 0, 0) "
        "else {'seq1': input_a, 'seq2': input_b}\n"
        "if bpy.app.version < (5, 0, 0):\n    seq_length = {'frame_end': 51}\n"
        "strip = seq_strips.new_effect(name='Cross', type='CROSS', channel=10, frame_start=1, **seq_length, **inputs)\n"
        "strip.select = True\nseq_editor.active_strip = strip\nscene.frame_current = 20",
    ),
    Step(
        "vertex_group_assigned",
        "data",
        "a vertex group with vertices assigned",
        "obj.vertex_groups.new(name='Group').add([0, 1, 2], 1.0, 'REPLACE')\nobj.vertex_groups.active_index = 0",
    ),
    Step(
        "bool_attribute",
        "data",
        "an active boolean point attribute on the mesh",
        "attribute = obj.data.attributes.new('flag', 'BOOLEAN', 'POINT')\nobj.data.attributes.active = attribute",
    ),
    Step("skin_data", "data", "skin data on the mesh (a Skin modifier)", "obj.modifiers.new('Skin', 'SKIN')"),
    Step(
        "sculpt_mask", "data", "a sculpt mask on the mesh", "obj.data.attributes.new('.sculpt_mask', 'FLOAT', 'POINT')"
    ),
    Step(
        "bone_collection_solo",
        "data",
        "a bone collection marked 'solo'",
        "bone_collection = obj.data.collections.new('Solo')\nbone_collection.is_solo = True",
    ),
    Step(
        "render_result",
        "data",
        "a rendered image (Render Result, rendered with Workbench)",
        "if scene.camera is None:\n"
        "    scene.camera = bpy.data.objects.new('RenderCamera', bpy.data.cameras.new('RenderCamera'))\n"
        "    scene.collection.objects.link(scene.camera)\n"
        "scene.render.engine = 'BLENDER_WORKBENCH'\n"
        "scene.render.resolution_x = scene.render.resolution_y = 16\n"
        "bpy.ops.render.render()\nimage = bpy.data.images['Render Result']",
    ),
    Step(
        "undo_done",
        "data",
        "an undone step to redo",
        "bpy.ops.ed.undo_push(message='Before')\nscene.frame_current += 1\nbpy.ops.ed.undo_push(message='After')\n"
        "bpy.ops.ed.undo()\nscene = context.scene",
    ),
    Step(
        "camera_background",
        "data",
        "a background image on the active camera",
        "obj.data.background_images.new()\nobj.data.show_background_images = True",
    ),
    Step(
        "node_group_panel",
        "data",
        "an active panel in the node group's interface",
        "interface_panel = node_group.interface.new_panel('Panel')\nnode_group.interface.active = interface_panel",
    ),
    Step(
        "node_bake",
        "data",
        "an active Bake node in the node group",
        "zone_node = node_group.nodes.new('GeometryNodeBake')\nzone_node.select = True\nnode_group.nodes.active = zone_node",
    ),
    Step(
        "node_capture",
        "data",
        "an active Capture Attribute node in the node group",
        "zone_node = node_group.nodes.new('GeometryNodeCaptureAttribute')\nzone_node.select = True\nnode_group.nodes.active = zone_node",
    ),
    Step(
        "node_menu_switch",
        "data",
        "an active Menu Switch node in the node group",
        "zone_node = node_group.nodes.new('GeometryNodeMenuSwitch')\nzone_node.select = True\nnode_group.nodes.active = zone_node",
    ),
    Step(
        "node_index_switch",
        "data",
        "an active Index Switch node in the node group",
        "zone_node = node_group.nodes.new('GeometryNodeIndexSwitch')\nzone_node.select = True\nnode_group.nodes.active = zone_node",
    ),
    Step(
        "node_repeat_zone",
        "data",
        "an active Repeat zone in the node group",
        "zone_input = node_group.nodes.new('GeometryNodeRepeatInput')\nzone_node = node_group.nodes.new('GeometryNodeRepeatOutput')\nzone_input.pair_with_output(zone_node)\nzone_node.select = True\nnode_group.nodes.active = zone_node",
    ),
    Step(
        "node_simulation_zone",
        "data",
        "an active Simulation zone in the node group",
        "zone_input = node_group.nodes.new('GeometryNodeSimulationInput')\nzone_node = node_group.nodes.new('GeometryNodeSimulationOutput')\nzone_input.pair_with_output(zone_node)\nzone_node.select = True\nnode_group.nodes.active = zone_node",
    ),
    Step(
        "image_modified",
        "data",
        "an image with a file and unsaved changes",
        "image.pixels[0:4] = (1.0, 0.0, 0.0, 1.0)\nimage.update()",
    ),
    Step(
        "annotation",
        "data",
        "scene annotations with a layer and a frame",
        "annotations = (bpy.data.annotations if hasattr(bpy.data, 'annotations') else bpy.data.grease_pencils)"
        ".new('Annotations')\n"
        "setattr(scene, 'annotation' if hasattr(scene, 'annotation') else 'grease_pencil', annotations)\n"
        "annotation_layer = annotations.layers.new('Note')\n"
        "annotation_layer.frames.new(1)\nannotations.layers.active_index = len(annotations.layers) - 1",
    ),
    Step(
        "render_views",
        "data",
        "multiview with an extra, active render view",
        "scene.render.use_multiview = True\nscene.render.views_format = 'MULTIVIEW'\n"
        "scene.render.views.new('extra')\nscene.render.views.active_index = len(scene.render.views) - 1",
    ),
    Step(
        "freestyle_module",
        "data",
        "the Freestyle option on, with a style module on the view layer",
        "scene.render.use_freestyle = True\n"
        "freestyle_module = context.view_layer.freestyle_settings.modules.new()\n"
        "context.view_layer.freestyle_settings.mode = 'SCRIPT'",
    ),
    Step(
        "rigid_body_constraint",
        "data",
        "a rigid body constraint on the active object",
        "bpy.ops.rigidbody.world_add()\nbpy.ops.rigidbody.constraint_add()",
    ),
    Step("nla_tweak", "data", "the NLA in tweak mode on the active strip", "obj.animation_data.use_tweak_mode = True"),
    Step(
        "pose_marker",
        "data",
        "a selected pose marker in the active object's action",
        "pose_marker = obj.animation_data.action.pose_markers.new('Pose')\npose_marker.select = True\n"
        "obj.animation_data.action.pose_markers.active = pose_marker",
    ),
    Step(
        "armature_deform",
        "data",
        "the active mesh deformed by an armature (parent and modifier)",
        "rig = bpy.data.objects.new('Rig', bpy.data.armatures.new('Rig'))\ncontext.collection.objects.link(rig)\n"
        "obj.parent = rig\nobj.modifiers.new('Armature', 'ARMATURE').object = rig",
    ),
    Step("image", "data", "an image (in the editor)", "image = bpy.data.images.new('Image', 64, 64)"),
    Step(
        "image_file",
        "data",
        "an image saved as a file (in the editor)",
        "import os, tempfile\n"
        "image_path = os.path.join(tempfile.mkdtemp(), 'image.png')\n"
        "image = bpy.data.images.new('Image', 64, 64)\nimage.filepath_raw = image_path\n"
        "image.file_format = 'PNG'\nimage.save()\nimage = bpy.data.images.load(image_path)",
    ),
    Step(
        "movie_clip",
        "data",
        "a movie clip with a selected tracking marker (in the editor)",
        "import os, tempfile\n"
        "clip_path = os.path.join(tempfile.mkdtemp(), 'clip.png')\n"
        "clip_image = bpy.data.images.new('ClipFrame', 64, 64)\nclip_image.filepath_raw = clip_path\n"
        "clip_image.file_format = 'PNG'\nclip_image.save()\n"
        "clip = bpy.data.movieclips.load(clip_path)\n"
        "track = clip.tracking.tracks.new(name='Track', frame=1)\ntrack.select = True\n"
        "clip.tracking.tracks.active = track",
    ),
    Step(
        "mask",
        "data",
        "a mask with a spline (in the editor)",
        "mask = bpy.data.masks.new('Mask')\nmask_layer = mask.layers.new()\nmask_spline = mask_layer.splines.new()\n"
        "mask_spline.points.add(3)\n"
        "for number, point in enumerate(mask_spline.points):\n"
        "    point.co = (number % 2, number // 2)\n    point.select = True",
    ),
    Step(
        "text",
        "data",
        "a text datablock (in the editor)",
        "text = bpy.data.texts.new('Text')\ntext.write('import bpy\\nprint(bpy.data)\\n')",
    ),
    Step(
        "geometry_nodes",
        "data",
        "a Geometry Nodes modifier with a node group on the active object",
        "node_group = bpy.data.node_groups.new('Geometry Nodes', 'GeometryNodeTree')\n"
        "node_group.interface.new_socket('Geometry', in_out='INPUT', socket_type='NodeSocketGeometry')\n"
        "node_group.interface.new_socket('Geometry', in_out='OUTPUT', socket_type='NodeSocketGeometry')\n"
        "group_in = node_group.nodes.new('NodeGroupInput')\ngroup_out = node_group.nodes.new('NodeGroupOutput')\n"
        "node_group.links.new(group_in.outputs[0], group_out.inputs[0])\n"
        "for node in node_group.nodes:\n    node.select = True\nnode_group.nodes.active = group_in\n"
        "if hasattr(node_group, 'is_modifier'):\n    node_group.is_modifier = True\n"
        "obj.modifiers.new('GeometryNodes', 'NODES').node_group = node_group",
    ),
    Step(
        "compositor",
        "data",
        "compositing nodes for the scene",
        "if hasattr(scene, 'compositing_node_group'):\n"
        "    scene.compositing_node_group = bpy.data.node_groups.new('Compositor', 'CompositorNodeTree')\n"
        "    comp_tree = scene.compositing_node_group\n"
        "else:\n    scene.use_nodes = True\n    comp_tree = scene.node_tree\n"
        "comp_node = comp_tree.nodes.new('CompositorNodeBlur')\ncomp_node.select = True\n"
        "comp_tree.nodes.active = comp_node",
    ),
    Step(
        "texture_nodes",
        "data",
        "a brush or texture with texture nodes",
        "texture = bpy.data.textures.new('Texture', 'IMAGE')\ntexture.use_nodes = True",
    ),
    Step(
        "select_nodes",
        "data",
        "selected nodes in the active object's material",
        "material = obj.active_material or bpy.data.materials.new('Material')\n"
        "if not obj.material_slots:\n    obj.data.materials.append(material)\n"
        "material.use_nodes = True\nmat_nodes = material.node_tree.nodes\n"
        "frame = mat_nodes.new('NodeFrame')\nreroute = mat_nodes.new('NodeReroute')\n"
        "for node in mat_nodes:\n    node.select = True\nmat_nodes.active = next(n for n in mat_nodes if n.type == 'BSDF_PRINCIPLED')",
    ),
    Step(
        "undo_initialized",
        "data",
        "the undo system initialized (bpy.ops.ed.undo_push())",
        "bpy.ops.ed.undo_push(message='Gotcha Doctor')",
    ),
    Step(
        "saved_file",
        "data",
        "the file saved to disk",
        "import os, tempfile\nbpy.ops.wm.save_as_mainfile(filepath=os.path.join(tempfile.mkdtemp(), 'scene.blend'))",
    ),
    Step(
        "world",
        "data",
        "a World with nodes on the scene",
        "scene.world = scene.world or bpy.data.worlds.new('World')\nscene.world.use_nodes = True",
    ),
    Step("dyntopo", "after_mode", "dynamic topology on (Sculpt Mode)", "bpy.ops.sculpt.dynamic_topology_toggle()"),
    Step(
        "selection_set",
        "after_mode",
        "a bone selection set (Pose Mode)",
        "for pose_bone in obj.pose.bones:  # Blender 5.0 moved select to the pose bone\n"
        "    (pose_bone if hasattr(pose_bone, 'select') else pose_bone.bone).select = True\n"
        "bpy.ops.pose.selection_set_add()",
    ),
    Step(
        "text_editing",
        "space",
        "the active text strip being edited in the preview",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.sequencer.text_edit_mode_toggle()",
    ),
    Step("lock_object", "space", "the 3D Viewport locked to the active object", "space.lock_object = obj"),
    Step(
        "local_view",
        "space",
        "the 3D Viewport in Local View",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.view3d.localview()",
    ),
    Step(
        "view_camera",
        "space",
        "the 3D Viewport looking through the scene camera",
        "space.region_3d.view_perspective = 'CAMERA'",
    ),
    # The editor.
    Step("show_image", "space", "the image shown in the editor", "space.image = image"),
    Step("show_clip", "space", "the clip shown in the editor", "space.clip = clip"),
    Step("show_mask", "space", "the mask shown in the editor (mask mode)", "space.mode = 'MASK'\nspace.mask = mask"),
    Step("show_text", "space", "the text shown in the editor", "space.text = text"),
    Step(
        "show_geometry_nodes", "space", "the Geometry Nodes group shown in the editor", "space.node_tree = node_group"
    ),
    Step(
        "show_compositor",
        "space",
        "the compositing node tree shown in the editor",
        "if space.node_tree is None:\n    space.node_tree = comp_tree",
    ),
    Step(
        "show_texture_nodes",
        "space",
        "the texture's node tree shown in the editor",
        "space.pin = True\nspace.node_tree = texture.node_tree",
    ),
    Step(
        "pin_material",
        "space",
        "the active material's node tree shown in the editor",
        "space.node_tree = obj.active_material.node_tree",
    ),
    Step("dopesheet_action", "space", "the Dope Sheet in Action Editor mode", "space.mode = 'ACTION'"),
    Step("dopesheet_shapekey", "space", "the Dope Sheet in Shape Key Editor mode", "space.mode = 'SHAPEKEY'"),
    Step("dopesheet_gpencil", "space", "the Dope Sheet in Grease Pencil mode", "space.mode = 'GPENCIL'"),
    Step("dopesheet_mask", "space", "the Dope Sheet in Mask mode", "space.mode = 'MASK'"),
    Step("sequencer_preview", "space", "the Sequencer showing its preview", "space.view_type = 'PREVIEW'"),
    Step(
        "sequencer_both", "space", "the Sequencer showing strips and preview", "space.view_type = 'SEQUENCER_PREVIEW'"
    ),
    Step("clip_graph", "space", "the Clip Editor showing its graph", "space.view = 'GRAPH'"),
    Step("clip_dopesheet", "space", "the Clip Editor showing its dope sheet", "space.view = 'DOPESHEET'"),
    Step("outliner_orphans", "space", "the Outliner showing Orphan Data", "space.display_mode = 'ORPHAN_DATA'"),
    Step("outliner_libraries", "space", "the Outliner showing the Blender File", "space.display_mode = 'LIBRARIES'"),
    Step("outliner_data_api", "space", "the Outliner showing the Data API", "space.display_mode = 'DATA_API'"),
    Step(
        "outliner_overrides",
        "space",
        "the Outliner showing Library Overrides",
        "space.display_mode = 'LIBRARY_OVERRIDES'",
    ),
    Step("outliner_sequencer", "space", "the Outliner showing Video Sequencer data", "space.display_mode = 'SEQUENCE'"),
    Step("properties_physics", "space", "the Properties editor on the Physics tab", "space.context = 'PHYSICS'"),
    Step("properties_object", "space", "the Properties editor on the Object tab", "space.context = 'OBJECT'"),
    Step("properties_texture", "space", "the Properties editor on the Texture tab", "space.context = 'TEXTURE'"),
    Step("properties_modifier", "space", "the Properties editor on the Modifiers tab", "space.context = 'MODIFIER'"),
    Step("graph_show_handles", "space", "the Graph Editor showing handles", "space.show_handles = True"),
    # Context members a panel or button would provide (given to temp_override).
    Step(
        "ctx_point_cache",
        "override",
        "a point cache in the context (a physics panel provides it)",
        "override['point_cache'] = obj.modifiers['Cloth'].point_cache",
    ),
    Step("ctx_edit_image", "override", "an image in the context", "override['edit_image'] = image"),
    Step("ctx_texture", "override", "a texture in the context", "override['texture'] = texture"),
    Step("ctx_edit_text", "override", "a text in the context", "override['edit_text'] = text"),
    Step("ctx_id", "override", "the active object as context id", "override['id'] = obj"),
    Step(
        "ctx_modifier",
        "override",
        "a modifier in the context (a modifier panel provides it)",
        "override['modifier'] = obj.modifiers[0]",
    ),
    Step(
        "ctx_constraint",
        "override",
        "a constraint in the context (a constraint panel provides it)",
        "override['constraint'] = obj.constraints[0]",
    ),
    Step("ctx_material", "override", "a material in the context", "override['material'] = obj.active_material"),
    Step("ctx_edit_movieclip", "override", "a movie clip in the context", "override['edit_movieclip'] = clip"),
    Step("ctx_edit_mask", "override", "a mask in the context", "override['edit_mask'] = mask"),
    Step(
        "ctx_selected_ids",
        "override",
        "the active object as the context's selected_ids and id",
        "override['selected_ids'] = [obj]\noverride['id'] = obj",
    ),
    Step(
        "ctx_animated_id",
        "override",
        "the active object as the context's animated_id (an animation panel provides it)",
        "override['animated_id'] = obj",
    ),
    Step(
        "ctx_freestyle_module",
        "override",
        "a Freestyle style module in the context (its panel provides it)",
        "override['freestyle_module'] = freestyle_module",
    ),
    Step("ctx_world", "override", "a world in the context", "override['world'] = scene.world"),
    Step(
        "ctx_particle",
        "override",
        "a particle system in the context",
        "override['particle_system'] = obj.particle_systems[0]\n"
        "override['particle_settings'] = obj.particle_systems[0].settings",
    ),
    # Context members that widgets provide, custom themes and keymap presets.
    Step(
        "color_ramp",
        "data",
        "a color ramp (a Blend texture's)",
        "texture = bpy.data.textures.new('Ramp', 'BLEND')\ntexture.use_color_ramp = True",
    ),
    Step(
        "ctx_color_ramp",
        "override",
        "the color ramp in the context (a color ramp widget provides it)",
        "override['color_ramp'] = texture.color_ramp",
    ),
    Step(
        "ctx_material_slot",
        "override",
        "the active object and its material slot in the context (the material slot list provides them)",
        "override['object'] = obj\noverride['material_slot'] = obj.material_slots[obj.active_material_index]",
    ),
    Step(
        "custom_theme",
        "data",
        "a custom (user) theme file as the current theme",
        "import os, tempfile\n"
        "context.preferences.themes[0].filepath = os.path.join(tempfile.mkdtemp(), 'my_theme.xml')",
    ),
    Step(
        "keyconfig_preset",
        "data",
        "a custom keymap configuration (saved as a preset outside Blender's own) as the active one",
        "import os, tempfile\n"
        "presets = tempfile.mkdtemp()\n"
        "keyconfig_dir = os.path.join(presets, 'presets', 'keyconfig')\n"
        "os.makedirs(keyconfig_dir)\n"
        "keyconfig_file = os.path.join(keyconfig_dir, 'MyKeys.py')\n"
        "bpy.ops.preferences.keyconfig_export(filepath=keyconfig_file)  # a copy of the current keymaps\n"
        "bpy.utils.register_preset_path(presets)\n"
        "bpy.utils.keyconfig_set(keyconfig_file)  # loads it as the active keyconfig 'MyKeys'",
    ),
    # Assets, linked data and library overrides, the redo history, exporters, keymaps, extension repositories.
    Step(
        "ctx_action_id",
        "override",
        "an Action as the context's id (the Asset Browser or an ID field provides it)",
        "context_action = bpy.data.actions.new('Pose')\n"
        "context_action.use_fake_user = True\n"
        "override['id'] = context_action",
    ),
    Step(
        "pose_asset_active",
        "data",
        "a pose asset just created: a marked Action active on the object, the previous Action remembered",
        "previous_action = bpy.data.actions.new('Previous')\n"
        "previous_action.use_fake_user = True\n"
        "pose_asset = bpy.data.actions.new('Pose')\n"
        "pose_asset.asset_mark()\n"
        "obj.animation_data_create().action = pose_asset\n"
        "context.window_manager.poselib_previous_action = previous_action",
    ),
    Step(
        "active_linked_object",
        "object",
        "an active object linked from another .blend file (File > Link)",
        _LINK_LIBRARY_COLLECTION + "scene.collection.children.link(linked_collection)\n"
        "linked_object = linked_collection.objects[0]\n"
        "context.view_layer.objects.active = linked_object\n"
        "linked_object.select_set(True)\n"
        "obj = context.view_layer.objects.active",
    ),
    Step(
        "active_override_object",
        "object",
        "an active library override of an object linked from another .blend file",
        _LINK_LIBRARY_COLLECTION
        + "override_collection = linked_collection.override_hierarchy_create(scene, context.view_layer)\n"
        "override_object = override_collection.objects[0]\n"
        "context.view_layer.objects.active = override_object\n"
        "override_object.select_set(True)\n"
        "obj = context.view_layer.objects.active",
    ),
    Step(
        "id_preview",
        "data",
        "a preview image on the active object (as an asset has)",
        "obj.asset_mark()\nobj.preview_ensure()",
    ),
    Step(
        "redo_last_operator",
        "data",
        "an operator run after the undo system was initialized (it can be redone, like the Adjust Last Operation panel)",
        "bpy.ops.ed.undo_push(message='Gotcha Doctor')\n"
        "# the 2nd argument (undo=True) registers the call like a click in the UI does\n"
        "bpy.ops.object.select_all('EXEC_DEFAULT', True, action='DESELECT')",
    ),
    Step(
        "collection_exporter",
        "data",
        "an active collection with an exporter (Collection properties > Exporters)",
        "export_collection = bpy.data.collections.new('Export')\n"
        "scene.collection.children.link(export_collection)\n"
        "context.view_layer.active_layer_collection = context.view_layer.layer_collection.children['Export']\n"
        "bpy.ops.collection.exporter_add(name='IO_FH_obj')",
    ),
    Step(
        "custom_keyconfig",
        "data",
        "a user-defined key configuration as the active one (Preferences > Keymap)",
        "custom_keyconfig = context.window_manager.keyconfigs.new('Custom')\n"
        "context.window_manager.keyconfigs.active = custom_keyconfig",
    ),
    Step(
        "ctx_keymap",
        "override",
        "a keymap in the context (the Keymap preferences provide it)",
        "override['keymap'] = context.window_manager.keyconfigs.user.keymaps['Window']",
    ),
    Step(
        "local_extensions_repo",
        "data",
        "an extensions repository served from a local folder (a file:// remote URL) as the active repository",
        "import os, pathlib, tempfile\n"
        "repo_root = tempfile.mkdtemp()\n"
        "repo_served = os.path.join(repo_root, 'served')\n"
        "os.makedirs(repo_served)\n"
        "extension_repo = context.preferences.extensions.repos.new(\n"
        "    name='Local Repo', module='gd_local_repo', custom_directory=os.path.join(repo_root, 'installed'),\n"
        "    remote_url=pathlib.Path(repo_served).as_uri())\n"
        "context.preferences.extensions.active_repo = len(context.preferences.extensions.repos) - 1",
    ),
    Step(
        "ctx_extension_repo",
        "override",
        "that repository in the context (the repository popover provides it)",
        "override['extension_repo'] = extension_repo",
    ),
    Step(
        "extensions_repo_locked",
        "data",
        "the active extensions repository locked by another Blender session (a stale lock file)",
        "import os\n"
        "lock_dir = os.path.join(extension_repo.directory, '.blender_ext')\n"
        "os.makedirs(lock_dir, exist_ok=True)\n"
        "with open(os.path.join(lock_dir, 'index.lock'), 'w', encoding='utf8') as lock_file:\n"
        "    lock_file.write('another-session')",
    ),
    Step(
        "online_access",
        "data",
        "online access allowed (Preferences > System > Network)",
        "context.preferences.system.use_online_access = True",
    ),
    Step(
        "brush_asset_user_library",
        "after_mode",
        "the active brush saved as an asset in a user asset library (Brush > Save as Brush Asset), then activated",
        "import tempfile\n"
        "context.preferences.filepaths.asset_libraries.new(name='My Brushes', directory=tempfile.mkdtemp())\n"
        "bpy.ops.brush.asset_save_as(name='My Brush', asset_library_reference='My Brushes')\n"
        "# activating it loads the asset library (blocking in background mode)\n"
        "bpy.ops.brush.asset_activate(asset_library_type='CUSTOM', asset_library_identifier='My Brushes',\n"
        "                             relative_asset_identifier='Saved/Brushes/My Brush.asset.blend/Brush/My Brush')",
    ),
    # Paint, sculpt and Grease Pencil tools, brushes and their data; sequencer text editing and multicam.
    Step(
        "text_strip_rendered",
        "data",
        "the sequencer frame rendered once (it lays out the text strip for editing)",
        "scene.render.resolution_x = scene.render.resolution_y = 64\n"
        "scene.render.use_sequencer = True\n"
        "bpy.ops.render.render()",
    ),
    Step(
        "multicam_strip",
        "data",
        "an active Multicam strip in the sequencer",
        "if hasattr(context.workspace, 'sequencer_scene'):\n"
        "    context.workspace.sequencer_scene = scene\n"
        "seq_editor = scene.sequence_editor_create()\n"
        "seq_strips = seq_editor.strips if hasattr(seq_editor, 'strips') else seq_editor.sequences\n"
        "seq_length = {'length': 50} if bpy.app.version >= (5, 0, 0) else {'frame_end': 51}\n"
        "strip = seq_strips.new_effect(name='Multicam', type='MULTICAM', channel=11, frame_start=1, **seq_length)\n"
        "strip.select = True\n"
        "seq_editor.active_strip = strip\n"
        "scene.frame_current = 20",
    ),
    Step(
        "brush_curve_stroke",
        "after_mode",
        "the paint mode's active brush with Stroke Method: Curve",
        "tool_settings = context.tool_settings\n"
        "paint_settings = {'SCULPT': tool_settings.sculpt, 'TEXTURE_PAINT': tool_settings.image_paint,\n"
        "                  'VERTEX_PAINT': tool_settings.vertex_paint, 'WEIGHT_PAINT': tool_settings.weight_paint}[obj.mode]\n"
        "brush = paint_settings.brush\n"
        "brush.stroke_method = 'CURVE'",
    ),
    Step(
        "brush_stencil",
        "after_mode",
        "the paint mode's active brush with its texture mapped as a Stencil",
        "tool_settings = context.tool_settings\n"
        "paint_settings = {'SCULPT': tool_settings.sculpt, 'TEXTURE_PAINT': tool_settings.image_paint,\n"
        "                  'VERTEX_PAINT': tool_settings.vertex_paint}[obj.mode]\n"
        "brush = paint_settings.brush\n"
        "brush.texture_slot.map_mode = 'STENCIL'",
    ),
    Step(
        "clone_brush",
        "after_mode",
        "the Texture Paint brush set to Clone, with a clone source image",
        "image_paint = context.tool_settings.image_paint\n"
        "clone_source = bpy.data.images.new('Clone Source', 64, 64)\n"
        "brush = image_paint.brush\n"
        "if hasattr(brush, 'image_brush_type'):  # Blender 4.3+\n"
        "    brush.image_brush_type = 'CLONE'\n"
        "else:\n"
        "    brush.image_tool = 'CLONE'\n"
        "# the clone source moved from the brush to the image paint settings in Blender 4.3\n"
        "(brush if hasattr(brush, 'clone_image') else image_paint).clone_image = clone_source",
    ),
    Step(
        "image_paint_mode",
        "space",
        "the Image Editor in Paint mode",
        "space.ui_mode = 'PAINT'",
    ),
    Step(
        "dyntopo_constant_detail",
        "after_mode",
        "dynamic topology detailing set to Constant Detail",
        "context.tool_settings.sculpt.detail_type_method = 'CONSTANT'",
    ),
    Step(
        "bool_attribute_edit",
        "after_mode",
        "an active boolean point attribute, added and made active in Edit Mode",
        "attribute = obj.data.attributes.new('flag', 'BOOLEAN', 'POINT')\nobj.data.attributes.active = attribute",
    ),
    Step(
        "curves_surface",
        "data",
        "the Curves object's surface set to a mesh with a UV map",
        "surface_mesh = bpy.data.meshes.new('Surface')\n"
        "surface_mesh.from_pydata([(-1, -1, 0), (1, -1, 0), (1, 1, 0), (-1, 1, 0)], [], [(0, 1, 2, 3)])\n"
        "surface_mesh.uv_layers.new(name='UVMap')\n"
        "surface = bpy.data.objects.new('Surface', surface_mesh)\n"
        "context.collection.objects.link(surface)\n"
        "obj.data.surface = surface\n"
        "obj.data.surface_uv_map = 'UVMap'",
    ),
    Step(
        "curves_density_brush",
        "after_mode",
        "the Density brush active in Curves Sculpt Mode",
        "brush = context.tool_settings.curves_sculpt.brush\n"
        "if hasattr(brush, 'curves_sculpt_brush_type'):  # Blender 4.3+\n"
        "    brush.curves_sculpt_brush_type = 'DENSITY'\n"
        "else:\n"
        "    brush.curves_sculpt_tool = 'DENSITY'",
    ),
    Step(
        "particle_shape_object",
        "data",
        "a mesh set as the Particle Edit shape object",
        "shape_object = bpy.data.objects.new('Shape', obj.data.copy())\n"
        "context.collection.objects.link(shape_object)\n"
        "context.tool_settings.particle_edit.shape_object = shape_object",
    ),
    Step(
        "gp_breakdown_frame",
        "data",
        "the current Grease Pencil frame marked as a Breakdown (as interpolation makes it)",
        "gp_layer = obj.data.layers.active\n"
        "gp_frame = gp_layer.active_frame if hasattr(gp_layer, 'active_frame') else gp_layer.frames[0]\n"
        "gp_frame.keyframe_type = 'BREAKDOWN'",
    ),
    Step(
        "annotation_active_frame",
        "space",
        "annotations (added by Annotation Add) whose layer has an active frame",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.gpencil.annotation_add()\n"
        "annotations = scene.annotation if hasattr(scene, 'annotation') else scene.grease_pencil\n"
        "annotations.layers[-1].frames.new(scene.frame_current, active=True)",
    ),
    Step(
        "brush_tool",
        "space",
        "a brush tool active in the toolbar",
        "if bpy.app.version >= (4, 3, 0):\n"
        "    brush_tool = 'builtin.brush'\n"
        "else:  # Blender 4.2 names each brush tool after its brush type\n"
        "    brush_tool = {'SCULPT_GREASE_PENCIL': 'builtin_brush.Smooth', 'WEIGHT_GREASE_PENCIL': 'builtin_brush.Weight',\n"
        "                  'SCULPT_GPENCIL': 'builtin_brush.Smooth', 'WEIGHT_GPENCIL': 'builtin_brush.Weight'}.get(\n"
        "        context.mode, 'builtin_brush.Draw')\n"
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.wm.tool_set_by_id(name=brush_tool)",
    ),
    Step(
        "gp_layer_masks",
        "data",
        "two mask layers on the active Grease Pencil layer",
        "gp_data = obj.data\n"
        "masked_layer = gp_data.layers.active\n"
        "for mask_name in ('Mask A', 'Mask B'):\n"
        "    gp_data.layers.new(mask_name)\n"
        "    gp_data.layers.active = masked_layer\n"
        "    bpy.ops.grease_pencil.layer_mask_add(name=mask_name)",
    ),
    Step(
        "gp_layer_group",
        "data",
        "an active layer group in the Grease Pencil object",
        "layer_group = obj.data.layer_groups.new('Group')\nobj.data.layer_groups.active = layer_group",
    ),
    Step(
        "gp_clipboard",
        "space",
        "copied Grease Pencil strokes on the clipboard (Edit Mode, all selected, Copy)",
        "gp_ops = bpy.ops.grease_pencil if obj.type == 'GREASEPENCIL' else bpy.ops.gpencil\n"
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    gp_ops.select_all(action='SELECT')\n"
        "    gp_ops.copy()",
    ),
    Step(
        "active_image_empty",
        "object",
        "an active image Empty showing an image file",
        "import os, tempfile\n"
        "trace_path = os.path.join(tempfile.mkdtemp(), 'trace.png')\n"
        "trace_image = bpy.data.images.new('Trace', 64, 64)\n"
        "trace_image.filepath_raw = trace_path\n"
        "trace_image.file_format = 'PNG'\n"
        "trace_image.save()\n"
        "bpy.ops.object.empty_add(type='IMAGE')\n"
        "context.view_layer.objects.active.data = bpy.data.images.load(trace_path)\n"
        "obj = context.view_layer.objects.active",
        "EMPTY",
    ),
    Step(
        "experimental_pointcloud",
        "object",
        "the experimental Point Cloud object option on (Blender 4.2)",
        "if hasattr(context.preferences.experimental, 'use_new_point_cloud_type'):\n"
        "    context.preferences.experimental.use_new_point_cloud_type = True",
    ),
    Step(
        "armature_in_scene",
        "data",
        "an armature object in the view layer",
        "rig = bpy.data.objects.new('Rig', bpy.data.armatures.new('Rig'))\ncontext.collection.objects.link(rig)",
    ),
    Step(
        "gp_vertex_select_mask",
        "data",
        "the Grease Pencil Vertex Paint point selection mask on",
        "context.tool_settings.use_gpencil_vertex_select_mask_point = True",
    ),
    Step(
        "gp_curve_edit",
        "data",
        "curve editing on for the (legacy) Grease Pencil data",
        "obj.data.use_curve_edit = True",
    ),
    Step(
        "ctx_gp_modifier",
        "override",
        "a Grease Pencil modifier in the context (a modifier panel provides it)",
        "override['modifier'] = obj.grease_pencil_modifiers[0] if obj.type == 'GPENCIL' else obj.modifiers[0]",
    ),
    # Animation, NLA, clip tracking, nodes, text files, consoles, tools and context members of panels.
    Step(
        "nla_tweak_enter",
        "space",
        "the NLA editor in tweak mode on the active strip (entered with Start Tweaking Strip Actions)",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.nla.tweakmode_enter()",
    ),
    Step(
        "world_volume",
        "data",
        "a World whose output has a Volume shader linked",
        "scene.world = scene.world or bpy.data.worlds.new('World')\n"
        "scene.world.use_nodes = True\n"
        "world_tree = scene.world.node_tree\n"
        "world_volume = world_tree.nodes.new('ShaderNodeVolumePrincipled')\n"
        "world_output = world_tree.get_output_node('EEVEE')\n"
        "world_tree.links.new(world_volume.outputs[0], world_output.inputs['Volume'])",
    ),
    Step(
        "ctx_light",
        "override",
        "a light in the context (a light panel provides it)",
        "override['light'] = obj.data",
    ),
    Step(
        "second_selection_set",
        "after_mode",
        "two bone selection sets (Pose Mode)",
        "bpy.ops.pose.selection_set_add()",
    ),
    Step(
        "object_motion_path",
        "data",
        "a motion path calculated for the active object",
        "bpy.ops.object.paths_calculate(display_type='RANGE', range='SCENE')",
    ),
    Step(
        "bone_motion_path",
        "after_mode",
        "a motion path calculated for the selected bones (Pose Mode)",
        "for pose_bone in obj.pose.bones:  # Blender 5.0 moved select to the pose bone\n"
        "    (pose_bone if hasattr(pose_bone, 'select') else pose_bone.bone).select = True\n"
        "bpy.ops.pose.paths_calculate(display_type='RANGE', range='SCENE')",
    ),
    Step(
        "custom_orientation",
        "space",
        "a custom transform orientation, in use",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.transform.create_orientation(name='Custom', use=True)",
    ),
    Step(
        "node_panel_bool",
        "data",
        "an active boolean input inside a panel of the node group's interface",
        "interface_panel = node_group.interface.new_panel('Panel')\n"
        "panel_bool = node_group.interface.new_socket('Toggle', in_out='INPUT', socket_type='NodeSocketBool')\n"
        "node_group.interface.move_to_parent(panel_bool, interface_panel, 0)\n"
        "node_group.interface.active = panel_bool",
    ),
    Step(
        "node_panel_toggle",
        "data",
        "an active panel with a toggle (a boolean panel-toggle input) in the node group's interface",
        "interface_panel = node_group.interface.new_panel('Panel')\n"
        "panel_toggle = node_group.interface.new_socket('Panel', in_out='INPUT', socket_type='NodeSocketBool')\n"
        "node_group.interface.move_to_parent(panel_toggle, interface_panel, 0)\n"
        "panel_toggle.is_panel_toggle = True\n"
        "node_group.interface.active = interface_panel",
    ),
    Step(
        "enter_node_group",
        "space",
        "a node group entered (edited) from a group node in the editor",
        "inner_group = bpy.data.node_groups.new('Inner Group', space.edit_tree.bl_idname)\n"
        "group_node = space.edit_tree.nodes.new(space.edit_tree.bl_idname.replace('Tree', 'Group'))\n"
        "group_node.node_tree = inner_group\n"
        "space.path.append(inner_group, node=group_node)",
    ),
    Step(
        "geometry_tool_context",
        "space",
        "the Geometry Node Editor in Tool context",
        "if hasattr(space, 'node_tree_sub_type'):  # Blender 5.0 renamed it\n"
        "    space.node_tree_sub_type = 'TOOL'\n"
        "else:\n"
        "    space.geometry_nodes_type = 'TOOL'",
    ),
    Step(
        "gltf_settings_node_ui",
        "data",
        "the glTF add-on enabled with its 'Shader Editor Add-ons' option on (in memory)",
        "import addon_utils\n"
        "addon_utils.enable('io_scene_gltf2', default_set=True)\n"
        "context.preferences.addons['io_scene_gltf2'].preferences.settings_node_ui = True",
    ),
    Step(
        "osl_script_node",
        "data",
        "an active OSL Script node (internal text) in the material, with Cycles as render engine",
        "osl_text = bpy.data.texts.new('shader.osl')\n"
        "osl_text.write('shader gotcha(output float Fac = 1.0) {}\\n')\n"
        "script_node = material.node_tree.nodes.new('ShaderNodeScript')\n"
        "script_node.mode = 'INTERNAL'\n"
        "script_node.script = osl_text\n"
        "script_node.select = True\n"
        "material.node_tree.nodes.active = script_node\n"
        "scene.render.engine = 'CYCLES'  # set last: Cycles compiles script nodes as they are assigned",
    ),
    Step(
        "show_osl_text",
        "space",
        "the OSL script shown in the editor",
        "space.text = osl_text",
    ),
    Step(
        "text_file_changed",
        "data",
        "a text loaded from a file that then changed on disk (in the editor)",
        "import os, tempfile, time\n"
        "text_path = os.path.join(tempfile.mkdtemp(), 'script.py')\n"
        "with open(text_path, 'w') as file:\n"
        "    file.write('print(1)\\n')\n"
        "text = bpy.data.texts.load(text_path)\n"
        "with open(text_path, 'w') as file:\n"
        "    file.write('print(2)\\n')\n"
        "os.utime(text_path, (time.time() + 10, time.time() + 10))",
    ),
    Step(
        "tracking_object",
        "data",
        "an active (non-camera) object tracking object in the clip",
        "tracking_object = clip.tracking.objects.new('Object')\nclip.tracking.objects.active = tracking_object",
    ),
    Step(
        "plane_track",
        "space",
        "an active plane track in the clip (made from four selected tracks)",
        "for number, corner in enumerate([(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8)]):\n"
        "    corner_track = clip.tracking.tracks.new(name=f'Corner{number}', frame=scene.frame_current)\n"
        "    corner_track.markers.find_frame(scene.frame_current).co = corner\n"
        "    corner_track.select = True\n"
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.clip.create_plane_track()\n"
        "plane_track = clip.tracking.plane_tracks.active",
    ),
    Step(
        "plane_track_image",
        "space",
        "an image file assigned to the active plane track",
        "plane_track.image = bpy.data.images.load(clip_path)  # a file image (generated ones do not count)",
    ),
    Step(
        "copied_tracks",
        "space",
        "the selected track copied to the tracking clipboard (Copy Tracks)",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.clip.copy_tracks()",
    ),
    Step(
        "solved_camera",
        "space",
        "a solved camera motion (tracks of 20 points over 30 frames, then Solve Camera Motion)",
        "import random\n"
        "solve_rng = random.Random(1)\n"
        "focal_px = clip.tracking.camera.focal_length / clip.tracking.camera.sensor_width * clip.size[0]\n"
        "for number in range(20):  # static points seen by a camera sliding sideways, projected by hand\n"
        "    px, py, pz = solve_rng.uniform(-3, 3), solve_rng.uniform(-2, 2), solve_rng.uniform(-12, -6)\n"
        "    solve_track = clip.tracking.tracks.new(name=f'Point{number}', frame=1)\n"
        "    for frame in range(1, 31):\n"
        "        x = focal_px * (px - (frame - 1) * 0.05) / -pz / clip.size[0] + 0.5\n"
        "        y = focal_px * py / -pz / clip.size[1] + 0.5\n"
        "        solve_track.markers.insert_frame(frame, co=(x, y))\n"
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.clip.solve_camera()",
    ),
    Step(
        "copied_splines",
        "space",
        "the selected mask splines copied to the mask clipboard (Copy Splines)",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.mask.select_all(action='SELECT')  # selects the splines, not only their points\n"
        "    bpy.ops.mask.copy_splines()",
    ),
    Step(
        "legacy_action",
        "data",
        "an empty (legacy, not yet layered) action assigned to the active object",
        "obj.animation_data_create()\nobj.animation_data.action = bpy.data.actions.new('Legacy Action')",
    ),
    Step(
        "action_constraint_slot",
        "data",
        "an Action constraint with an action and an assigned action slot",
        "constraint_action = bpy.data.actions.new('Constraint Action')\n"
        "action_constraint = obj.constraints.new('ACTION')\n"
        "action_constraint.action = constraint_action\n"
        "action_constraint.action_slot = constraint_action.slots.new(id_type='OBJECT', name='Slot')",
    ),
    Step(
        "ctx_nla_strip",
        "override",
        "an NLA strip in the context (its panel provides it)",
        "override['nla_strip'] = nla_strip",
    ),
    Step(
        "console_selection",
        "space",
        "a line of text in the Python Console, selected",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.console.scrollback_append(text='Gotcha Doctor', type='OUTPUT')\n"
        "space.select_start = 0\n"
        "space.select_end = len('Gotcha Doctor')",
    ),
    Step(
        "ctx_texture_slot",
        "override",
        "a texture slot in the context (a texture panel provides it): a new brush's",
        "texture_brush = bpy.data.brushes.new('Texture Brush', mode='TEXTURE_PAINT')\n"
        "texture_brush.texture = bpy.data.textures.new('Brush Texture', 'CLOUDS')\n"
        "override['texture_slot'] = texture_brush.texture_slot",
    ),
    Step(
        "properties_data",
        "space",
        "the Properties editor on the object-data tab",
        "space.context = 'DATA'",
    ),
    Step(
        "ctx_camera",
        "override",
        "a camera in the context (the camera properties provide it)",
        "override['camera'] = obj.data",
    ),
    Step(
        "ruler_tool",
        "space",
        "the Measure (ruler) tool active in the 3D Viewport",
        "with context.temp_override(window=window, screen=screen, area=area, region=region):\n"
        "    bpy.ops.wm.tool_set_by_id(name='builtin.measure')",
    ),
    Step(
        "custom_camera",
        "data",
        "the active camera of Custom type with an internal OSL camera script, with Cycles as render engine",
        "camera_script = bpy.data.texts.new('camera.osl')\n"
        "camera_script.write('shader gotcha_camera(output point position = 0, output vector direction = 0, output float throughput = 1) {}\\n')\n"
        "obj.data.type = 'CUSTOM'\n"
        "obj.data.custom_mode = 'INTERNAL'\n"
        "obj.data.custom_shader = camera_script\n"
        "scene.render.engine = 'CYCLES'  # set last: Cycles compiles the script as it is assigned",
    ),
]

STEPS: dict[str, Step] = {step.name: step for step in _STEP_LIST}
_PHASE_ORDER = {"object": 0, "data": 1, "after_mode": 2, "space": 3, "override": 4}


@dataclass(frozen=True)
class Recipe:
    """A context to try ``poll()`` in. ui_type None means no editor (the window only, like a background script)."""

    ui_type: str | None = None
    region: str = "WINDOW"
    mode: str = "OBJECT"
    setup: tuple[str, ...] = field(default_factory=tuple)

    @property
    def area(self) -> str | None:
        return EDITORS[self.ui_type][0] if self.ui_type else None

    def key(self) -> str:
        return f"{self.ui_type or '-'}|{self.region}|{self.mode}|{','.join(self.setup)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "area": self.area,
            "ui_type": self.ui_type,
            "region": self.region if self.ui_type else None,
            "mode": self.mode,
            "setup": list(self.setup),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recipe:
        return cls(
            data.get("ui_type"),
            data.get("region") or "WINDOW",
            data.get("mode") or "OBJECT",
            tuple(data.get("setup") or ()),
        )

    def without(self, step: str) -> Recipe:
        return Recipe(self.ui_type, self.region, self.mode, tuple(s for s in self.setup if s != step))


def ordered_steps(setup: tuple[str, ...] | list[str]) -> list[Step]:
    unknown = [name for name in setup if name not in STEPS]
    if unknown:
        raise KeyError(f"unknown setup step(s): {', '.join(unknown)}")
    return sorted((STEPS[name] for name in setup), key=lambda step: _PHASE_ORDER[step.phase])


def build_setup_code(recipe: Recipe) -> str:
    """The lines that build the recipe's context and leave ``override`` (a dict for temp_override)."""
    steps = ordered_steps(recipe.setup)
    lines = [
        "import bpy",
        "",
        "context = bpy.context",
        "scene = context.scene",
        "obj = context.view_layer.objects.active",
    ]
    for step in steps:
        if step.phase == "object":
            lines += [f"# setup: {step.needs}", step.code]
    if any(step.phase == "object" for step in steps) or recipe.mode != "OBJECT":
        lines += ["if obj is not None and obj.mode != 'OBJECT':", "    bpy.ops.object.mode_set(mode='OBJECT')"]
    for step in steps:
        if step.phase == "data":
            lines += [f"# setup: {step.needs}", step.code]
    if recipe.mode != "OBJECT":
        lines += [f"# setup: {mode_words(recipe.mode)}", f"bpy.ops.object.mode_set(mode={recipe.mode!r})"]
    for step in steps:
        if step.phase == "after_mode":
            lines += [f"# setup: {step.needs}", step.code]
    lines += ["window = context.window or context.window_manager.windows[0]", "screen = window.screen"]
    if recipe.ui_type:
        words = EDITORS[recipe.ui_type][1]
        lines += [
            f"# the editor: {words}",
            f"area = next((a for a in screen.areas if a.ui_type == {recipe.ui_type!r}), None)",
            "if area is None:  # none open: turn the largest area into one (set area.ui_type back later)",
            "    area = max(screen.areas, key=lambda a: a.width * a.height)",
            f"    area.ui_type = {recipe.ui_type!r}",
            "space = area.spaces.active",
            f"region = next(r for r in area.regions if r.type == {recipe.region!r})",
        ]
        for step in steps:
            if step.phase == "space":
                lines += [f"# setup: {step.needs}", step.code]
        lines.append("override = {'window': window, 'screen': screen, 'area': area, 'region': region}")
    else:
        lines.append("override = {'window': window, 'screen': screen}")
    for step in steps:
        if step.phase == "override":
            lines += [f"# context: {step.needs}", step.code]
    return "\n".join(lines) + "\n"


def build_snippet(idname: str, recipe: Recipe, *, poll_only: bool = False) -> str:
    """Paste-ready code: the setup lines, then the call inside ``context.temp_override(**override)``."""
    call = f"bpy.ops.{idname}.poll()" if poll_only else f"bpy.ops.{idname}()"
    body = f"    print({call})" if poll_only else f"    {call}"
    return build_setup_code(recipe) + "with context.temp_override(**override):\n" + body + "\n"


def recipe_needs(recipe: Recipe) -> list[str]:
    """The recipe's requirements in plain words, editor first."""
    needs: list[str] = []
    if recipe.ui_type:
        editor = EDITORS[recipe.ui_type][1]
        region = "" if recipe.region == "WINDOW" else f" ({REGION_WORDS.get(recipe.region, recipe.region)})"
        needs.append(editor + region)
    steps = ordered_steps(recipe.setup)
    object_steps = [step for step in steps if step.phase == "object"]
    if object_steps and recipe.mode != "OBJECT":
        needs.append(f"{object_steps[0].needs} in {mode_words(recipe.mode)}")
    else:
        needs += [step.needs for step in object_steps]
        if recipe.mode != "OBJECT":
            needs.append(f"the active object in {mode_words(recipe.mode)}")
    needs += [step.needs for step in steps if step.phase != "object"]
    return needs


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def operator_idnames(ops: Any) -> list[str]:
    """Every ``group.name`` registered under ``ops`` (pass ``bpy.ops``), sorted. Takes the object instead of
    importing bpy, so this module stays importable without Blender (the sweep worker loads it by file)."""
    idnames = []
    for group in dir(ops):
        if group.startswith("_"):
            continue
        module = getattr(ops, group)
        idnames += [f"{group}.{name}" for name in dir(module) if not name.startswith("_")]
    return sorted(idnames)
