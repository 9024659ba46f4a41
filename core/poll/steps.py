"""The setup-step vocabulary of passing contexts: each step is a real function whose body is the snippet code.

A recipe (recipe.py) names steps; its snippet is the bodies of those functions, in phase order, run at the top level
of one script, so a step reads what earlier steps defined (its parameters name them: ``bpy``, ``context``,
``scene``, ``obj``, and in the "space" phase ``window``, ``screen``, ``area``, ``space``, ``region``) and leaves
its own names for later steps (``material``, ``clip``, ``node_group``, ...). The functions are never called: the
sweep, the child probe and the user all run the snippet text, so what was verified is what the user pastes.

Phases: "object" makes the active object (runs first); "data" adds data (before the mode switch); "after_mode"
runs after it; "space" configures the chosen editor; "override" adds context members to ``override``. ``needs`` is
the plain-words requirement the explanation shows; ``object_type`` lets the explainer compare it with the context.
"""

# ruff: noqa: F841 - a step's assignments are read by the steps after it in the snippet, not inside the function

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PHASE_ORDER = {"object": 0, "data": 1, "after_mode": 2, "space": 3, "override": 4}


@dataclass(frozen=True)
class Step:
    name: str
    phase: str
    needs: str
    function: Callable[..., None]
    object_type: str | None = None

    @property
    def code(self) -> str:
        """The function's body, dedented: the lines the snippet runs for this step."""
        return body_source(self.function)


STEPS: dict[str, Step] = {}


def step(
    phase: str, needs: str, *, object_type: str | None = None
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register the decorated function as the setup step of its name."""
    if phase not in PHASE_ORDER:
        raise ValueError(f"unknown phase {phase!r}")

    def register(function: Callable[..., None]) -> Callable[..., None]:
        STEPS[function.__name__] = Step(function.__name__, phase, needs, function, object_type)
        return function

    return register


_bodies: dict[Callable[..., None], str] = {}


def body_source(function: Callable[..., None]) -> str:
    """The source of a function's body (after its ``-> None:`` line), dedented; a lone ``pass`` is dropped."""
    if function not in _bodies:
        lines, _ = inspect.getsourcelines(function)
        header_end = next(index for index, line in enumerate(lines) if line.rstrip().endswith("-> None:"))
        body = textwrap.dedent("".join(lines[header_end + 1 :])).strip("\n")
        kept = [line for line in body.split("\n") if line != "pass"]
        _bodies[function] = "\n".join(kept)
    return _bodies[function]


@step("object", "the experimental Grease Pencil v3 option on (Blender 4.2)")
def experimental_gpv3(context: Any) -> None:
    context.preferences.experimental.use_grease_pencil_version3 = True


@step("object", "an active Mesh object", object_type="MESH")
def active_mesh(bpy: Any, context: Any) -> None:
    bpy.ops.mesh.primitive_cube_add()
    obj = context.view_layer.objects.active


@step("object", "an active Camera", object_type="CAMERA")
def active_camera(bpy: Any, context: Any) -> None:
    bpy.ops.object.camera_add()
    obj = context.view_layer.objects.active


@step("object", "an active Light", object_type="LIGHT")
def active_light(bpy: Any, context: Any) -> None:
    bpy.ops.object.light_add(type="POINT")
    obj = context.view_layer.objects.active


@step("object", "an active Empty", object_type="EMPTY")
def active_empty(bpy: Any, context: Any) -> None:
    bpy.ops.object.empty_add()
    obj = context.view_layer.objects.active


@step("object", "an active Curve", object_type="CURVE")
def active_curve(bpy: Any, context: Any) -> None:
    bpy.ops.curve.primitive_bezier_curve_add()
    obj = context.view_layer.objects.active


@step("object", "an active Surface", object_type="SURFACE")
def active_surface(bpy: Any, context: Any) -> None:
    bpy.ops.surface.primitive_nurbs_surface_sphere_add()
    obj = context.view_layer.objects.active


@step("object", "an active Text object", object_type="FONT")
def active_text(bpy: Any, context: Any) -> None:
    bpy.ops.object.text_add()
    obj = context.view_layer.objects.active


@step("object", "an active Armature", object_type="ARMATURE")
def active_armature(bpy: Any, context: Any) -> None:
    bpy.ops.object.armature_add()
    obj = context.view_layer.objects.active


@step("object", "an active Lattice", object_type="LATTICE")
def active_lattice(bpy: Any, context: Any) -> None:
    bpy.ops.object.add(type="LATTICE")
    obj = context.view_layer.objects.active


@step("object", "an active Metaball", object_type="META")
def active_metaball(bpy: Any, context: Any) -> None:
    bpy.ops.object.metaball_add()
    obj = context.view_layer.objects.active


@step("object", "an active Grease Pencil object", object_type="GREASEPENCIL")
def active_grease_pencil(bpy: Any, context: Any) -> None:
    if bpy.app.version >= (4, 3, 0) or context.preferences.experimental.use_grease_pencil_version3:
        bpy.ops.object.grease_pencil_add(type="STROKE")
    else:
        bpy.ops.object.gpencil_add(type="STROKE")
    obj = context.view_layer.objects.active


@step("object", "an active (legacy) Grease Pencil object", object_type="GPENCIL")
def active_grease_pencil_legacy(bpy: Any, context: Any) -> None:
    bpy.ops.object.gpencil_add(type="STROKE")
    obj = context.view_layer.objects.active


@step("object", "an active Curves (hair) object", object_type="CURVES")
def active_curves(bpy: Any, context: Any) -> None:
    bpy.ops.object.curves_random_add()
    obj = context.view_layer.objects.active


@step("object", "an active Point Cloud", object_type="POINTCLOUD")
def active_pointcloud(bpy: Any, context: Any) -> None:
    if hasattr(bpy.ops.object, "pointcloud_random_add"):
        bpy.ops.object.pointcloud_random_add()
    else:
        bpy.ops.object.pointcloud_add()
    obj = context.view_layer.objects.active


@step("object", "an active Volume", object_type="VOLUME")
def active_volume(bpy: Any, context: Any) -> None:
    bpy.ops.object.volume_add()
    obj = context.view_layer.objects.active


@step("object", "an active Speaker", object_type="SPEAKER")
def active_speaker(bpy: Any, context: Any) -> None:
    bpy.ops.object.speaker_add()
    obj = context.view_layer.objects.active


@step("object", "an active Light Probe", object_type="LIGHT_PROBE")
def active_light_probe(bpy: Any, context: Any) -> None:
    bpy.ops.object.lightprobe_add(type="SPHERE" if bpy.app.version >= (4, 1, 0) else "CUBEMAP")
    obj = context.view_layer.objects.active


@step("object", "an active Mesh with a hair particle system", object_type="MESH")
def mesh_with_hair(bpy: Any, context: Any) -> None:
    bpy.ops.mesh.primitive_cube_add()
    bpy.ops.object.particle_system_add()
    context.object.particle_systems[0].settings.type = "HAIR"
    obj = context.view_layer.objects.active


@step("object", "the factory startup scene in Object Mode (Cube active and selected)")
def factory_startup() -> None:
    # (nothing to do in a fresh session; elsewhere: bpy.ops.wm.read_factory_settings() resets everything)
    pass


@step("object", "no active object")
def no_active_object(context: Any) -> None:
    context.view_layer.objects.active = None
    obj = None


@step("data", "a second selected object (two or more selected)")
def second_selected(bpy: Any, context: Any, obj: Any) -> None:
    second = bpy.data.objects.new("Second", obj.data.copy() if obj.data else None)
    context.collection.objects.link(second)
    second.select_set(True)
    obj.select_set(True)


@step("data", "an action with keyframes on the active object")
def keyframes(obj: Any) -> None:
    obj.keyframe_insert("location", frame=1)
    obj.location.x += 1.0
    obj.keyframe_insert("location", frame=10)


@step("data", "a driver on the active object")
def driver(obj: Any) -> None:
    obj.driver_add("location", 0)


@step("data", "an NLA track with a strip")
def nla_strip(obj: Any) -> None:
    obj.keyframe_insert("location", frame=1)
    track = obj.animation_data.nla_tracks.new()
    nla_strip = track.strips.new("Action", 1, obj.animation_data.action)
    nla_strip.select = True
    track.select = True
    obj.animation_data.nla_tracks.active = track


@step("data", "shape keys on the active object")
def shape_keys(obj: Any) -> None:
    obj.shape_key_add(name="Basis")
    obj.shape_key_add(name="Key 1")
    obj.active_shape_key_index = 1


@step("data", "a vertex group on the active object")
def vertex_group(obj: Any) -> None:
    obj.vertex_groups.new(name="Group")
    obj.vertex_groups.active_index = 0


@step("data", "a modifier on the active object")
def modifier(obj: Any) -> None:
    obj.modifiers.new("Subdivision", "SUBSURF")
    if hasattr(obj.modifiers, "active"):
        obj.modifiers.active = obj.modifiers[0]


@step("data", "a modifier on the active Grease Pencil object")
def gp_modifier(obj: Any) -> None:
    if hasattr(obj, "grease_pencil_modifiers") and obj.type == "GPENCIL":
        obj.grease_pencil_modifiers.new("Thickness", "GP_THICK")
    else:
        obj.modifiers.new("Thickness", "GREASE_PENCIL_THICKNESS")


@step("data", "a constraint on the active object")
def constraint(obj: Any) -> None:
    obj.constraints.new("COPY_LOCATION")
    obj.constraints[0].active = True


@step("data", "a material on the active object")
def material(bpy: Any, obj: Any) -> None:
    material = bpy.data.materials.new("Material")
    material.use_nodes = True
    obj.data.materials.append(material)
    obj.active_material_index = len(obj.material_slots) - 1


@step("data", "a particle system on the active object")
def particle_system(bpy: Any) -> None:
    bpy.ops.object.particle_system_add()


@step("data", "a rigid body world and a rigid body on the active object")
def rigid_body(bpy: Any) -> None:
    bpy.ops.rigidbody.world_add()
    bpy.ops.rigidbody.object_add()


@step("data", "a Cloth simulation on the active object (its point cache)")
def cloth(obj: Any) -> None:
    obj.modifiers.new("Cloth", "CLOTH")


@step("data", "a selected timeline marker")
def markers(scene: Any) -> None:
    marker = scene.timeline_markers.new("F_01", frame=1)
    marker.select = True


@step("data", "a selected, active strip in the scene's sequencer")
def strips(bpy: Any, context: Any, scene: Any) -> None:
    if hasattr(context.workspace, "sequencer_scene"):
        context.workspace.sequencer_scene = scene
    seq_editor = scene.sequence_editor_create()
    seq_strips = seq_editor.strips if hasattr(seq_editor, "strips") else seq_editor.sequences
    seq_length = {"length": 50} if bpy.app.version >= (5, 0, 0) else {"frame_end": 51}
    strip = seq_strips.new_effect(name="Color", type="COLOR", channel=1, frame_start=1, **seq_length)
    strip2 = seq_strips.new_effect(name="Color.001", type="COLOR", channel=2, frame_start=10, **seq_length)
    strip.select = True
    strip2.select = True
    seq_editor.active_strip = strip
    scene.frame_current = 20


@step("data", "face selection masking on (the mesh's use_paint_mask)")
def paint_mask_face(obj: Any) -> None:
    obj.data.use_paint_mask = True


@step("data", "vertex selection masking on (the mesh's use_paint_mask_vertex)")
def paint_mask_vert(obj: Any) -> None:
    obj.data.use_paint_mask_vertex = True


@step("data", "a second scene in the file")
def second_scene(bpy: Any) -> None:
    bpy.data.scenes.new("Scene.001")


@step("data", "a second view layer in the scene")
def second_view_layer(scene: Any) -> None:
    scene.view_layers.new("ViewLayer.001")


@step("data", "an active keying set with a path")
def keying_set(scene: Any, obj: Any) -> None:
    keying_set = scene.keying_sets.new(idname="GotchaKeyingSet", name="Keying Set")
    keying_set.paths.add(obj, "location")
    scene.keying_sets.active_index = 0


@step("data", "the active object marked as an asset")
def asset_marked(obj: Any) -> None:
    obj.asset_mark()


@step("data", "undo steps to go back to (the undo system initialized, then a change)")
def undo_steps(bpy: Any, scene: Any) -> None:
    bpy.ops.ed.undo_push(message="Before")
    scene.frame_current += 1
    bpy.ops.ed.undo_push(message="After")


@step("data", "a UDIM (tiled) image (in the editor)")
def image_tiled(bpy: Any) -> None:
    image = bpy.data.images.new("Tiles", 64, 64, tiled=True)
    image.tiles.new(tile_number=1002)


@step("data", "the active camera as the scene camera")
def scene_camera(scene: Any, obj: Any) -> None:
    scene.camera = obj


@step("data", "an active image strip in the sequencer")
def image_strip(bpy: Any, context: Any, scene: Any) -> None:
    import os
    import tempfile

    if hasattr(context.workspace, "sequencer_scene"):
        context.workspace.sequencer_scene = scene
    strip_path = os.path.join(tempfile.mkdtemp(), "frame.png")
    strip_image = bpy.data.images.new("Frame", 64, 64)
    strip_image.filepath_raw = strip_path
    strip_image.file_format = "PNG"
    strip_image.save()
    seq_editor = scene.sequence_editor_create()
    seq_strips = seq_editor.strips if hasattr(seq_editor, "strips") else seq_editor.sequences
    strip = seq_strips.new_image(name="Frame", filepath=strip_path, channel=3, frame_start=1)
    strip.frame_final_duration = 50
    strip.select = True
    seq_editor.active_strip = strip
    scene.frame_current = 20


@step("data", "two overlapping, selected sound strips in the sequencer")
def sound_strips(context: Any, scene: Any) -> None:
    import os
    import tempfile
    import wave

    if hasattr(context.workspace, "sequencer_scene"):
        context.workspace.sequencer_scene = scene
    sound_path = os.path.join(tempfile.mkdtemp(), "tone.wav")
    with wave.open(sound_path, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(8000)
        wav.writeframes(bytes(16000 * 2))
    seq_editor = scene.sequence_editor_create()
    seq_strips = seq_editor.strips if hasattr(seq_editor, "strips") else seq_editor.sequences
    sound_a = seq_strips.new_sound(name="A", filepath=sound_path, channel=4, frame_start=1)
    sound_b = seq_strips.new_sound(name="B", filepath=sound_path, channel=5, frame_start=20)
    sound_a.select = sound_b.select = True
    seq_editor.active_strip = sound_b
    scene.frame_current = 30


@step("data", "an active scene strip in the sequencer")
def scene_strip(bpy: Any, context: Any, scene: Any) -> None:
    if hasattr(context.workspace, "sequencer_scene"):
        context.workspace.sequencer_scene = scene
    other_scene = bpy.data.scenes.new("Shot")
    seq_editor = scene.sequence_editor_create()
    seq_strips = seq_editor.strips if hasattr(seq_editor, "strips") else seq_editor.sequences
    strip = seq_strips.new_scene(name="Shot", scene=other_scene, channel=6, frame_start=1)
    strip.select = True
    seq_editor.active_strip = strip
    scene.frame_current = 20


@step("data", "an active text strip in the sequencer")
def text_strip(bpy: Any, context: Any, scene: Any) -> None:
    if hasattr(context.workspace, "sequencer_scene"):
        context.workspace.sequencer_scene = scene
    seq_editor = scene.sequence_editor_create()
    seq_strips = seq_editor.strips if hasattr(seq_editor, "strips") else seq_editor.sequences
    seq_length = {"length": 50} if bpy.app.version >= (5, 0, 0) else {"frame_end": 51}
    strip = seq_strips.new_effect(name="Text", type="TEXT", channel=7, frame_start=1, **seq_length)
    strip.text = "Gotcha"
    strip.select = True
    seq_editor.active_strip = strip
    scene.frame_current = 20


@step("data", "an active effect strip with two inputs in the sequencer")
def effect_strip(bpy: Any, context: Any, scene: Any) -> None:
    if hasattr(context.workspace, "sequencer_scene"):
        context.workspace.sequencer_scene = scene
    seq_editor = scene.sequence_editor_create()
    seq_strips = seq_editor.strips if hasattr(seq_editor, "strips") else seq_editor.sequences
    seq_length = {"length": 50} if bpy.app.version >= (5, 0, 0) else {"frame_end": 51}
    input_a = seq_strips.new_effect(name="A", type="COLOR", channel=8, frame_start=1, **seq_length)
    input_b = seq_strips.new_effect(name="B", type="COLOR", channel=9, frame_start=1, **seq_length)
    inputs = (
        {"input1": input_a, "input2": input_b} if bpy.app.version >= (5, 0, 0) else {"seq1": input_a, "seq2": input_b}
    )
    if bpy.app.version < (5, 0, 0):
        seq_length = {"frame_end": 51}
    strip = seq_strips.new_effect(name="Cross", type="CROSS", channel=10, frame_start=1, **seq_length, **inputs)
    strip.select = True
    seq_editor.active_strip = strip
    scene.frame_current = 20


@step("data", "a vertex group with vertices assigned")
def vertex_group_assigned(obj: Any) -> None:
    obj.vertex_groups.new(name="Group").add([0, 1, 2], 1.0, "REPLACE")
    obj.vertex_groups.active_index = 0


@step("data", "an active boolean point attribute on the mesh")
def bool_attribute(obj: Any) -> None:
    attribute = obj.data.attributes.new("flag", "BOOLEAN", "POINT")
    obj.data.attributes.active = attribute


@step("data", "skin data on the mesh (a Skin modifier)")
def skin_data(obj: Any) -> None:
    obj.modifiers.new("Skin", "SKIN")


@step("data", "a sculpt mask on the mesh")
def sculpt_mask(obj: Any) -> None:
    obj.data.attributes.new(".sculpt_mask", "FLOAT", "POINT")


@step("data", "a bone collection marked 'solo'")
def bone_collection_solo(obj: Any) -> None:
    bone_collection = obj.data.collections.new("Solo")
    bone_collection.is_solo = True


@step("data", "a rendered image (Render Result, rendered with Workbench)")
def render_result(bpy: Any, scene: Any) -> None:
    if scene.camera is None:
        scene.camera = bpy.data.objects.new("RenderCamera", bpy.data.cameras.new("RenderCamera"))
        scene.collection.objects.link(scene.camera)
    scene.render.engine = "BLENDER_WORKBENCH"
    scene.render.resolution_x = scene.render.resolution_y = 16
    bpy.ops.render.render()
    image = bpy.data.images["Render Result"]


@step("data", "an undone step to redo")
def undo_done(bpy: Any, context: Any, scene: Any) -> None:
    bpy.ops.ed.undo_push(message="Before")
    scene.frame_current += 1
    bpy.ops.ed.undo_push(message="After")
    bpy.ops.ed.undo()
    scene = context.scene


@step("data", "a background image on the active camera")
def camera_background(obj: Any) -> None:
    obj.data.background_images.new()
    obj.data.show_background_images = True


@step("data", "an active panel in the node group's interface")
def node_group_panel(node_group: Any) -> None:
    interface_panel = node_group.interface.new_panel("Panel")
    node_group.interface.active = interface_panel


@step("data", "an active Bake node in the node group")
def node_bake(node_group: Any) -> None:
    zone_node = node_group.nodes.new("GeometryNodeBake")
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Capture Attribute node in the node group")
def node_capture(node_group: Any) -> None:
    zone_node = node_group.nodes.new("GeometryNodeCaptureAttribute")
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Menu Switch node in the node group")
def node_menu_switch(node_group: Any) -> None:
    zone_node = node_group.nodes.new("GeometryNodeMenuSwitch")
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Index Switch node in the node group")
def node_index_switch(node_group: Any) -> None:
    zone_node = node_group.nodes.new("GeometryNodeIndexSwitch")
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Repeat zone in the node group")
def node_repeat_zone(node_group: Any) -> None:
    zone_input = node_group.nodes.new("GeometryNodeRepeatInput")
    zone_node = node_group.nodes.new("GeometryNodeRepeatOutput")
    zone_input.pair_with_output(zone_node)
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active For Each Element zone in the node group")
def node_foreach_zone(node_group: Any) -> None:
    zone_input = node_group.nodes.new("GeometryNodeForeachGeometryElementInput")
    zone_node = node_group.nodes.new("GeometryNodeForeachGeometryElementOutput")
    zone_input.pair_with_output(zone_node)
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Closure zone in the node group")
def node_closure_zone(bpy: Any, node_group: Any) -> None:
    closure_prefix = "Node" if hasattr(bpy.types, "NodeClosureInput") else "GeometryNode"  # renamed in Blender 5.0
    node_group.nodes.new(closure_prefix + "ClosureInput")  # not paired: pair_with_output crashes Blender 4.5 here
    zone_node = node_group.nodes.new(closure_prefix + "ClosureOutput")
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Evaluate Closure node in the node group")
def node_evaluate_closure(bpy: Any, node_group: Any) -> None:
    zone_node = node_group.nodes.new(
        "NodeEvaluateClosure" if hasattr(bpy.types, "NodeEvaluateClosure") else "GeometryNodeEvaluateClosure"
    )
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Combine Bundle node in the node group")
def node_combine_bundle(bpy: Any, node_group: Any) -> None:
    zone_node = node_group.nodes.new(
        "NodeCombineBundle" if hasattr(bpy.types, "NodeCombineBundle") else "GeometryNodeCombineBundle"
    )
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Separate Bundle node in the node group")
def node_separate_bundle(bpy: Any, node_group: Any) -> None:
    zone_node = node_group.nodes.new(
        "NodeSeparateBundle" if hasattr(bpy.types, "NodeSeparateBundle") else "GeometryNodeSeparateBundle"
    )
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Format String node in the node group")
def node_format_string(node_group: Any) -> None:
    zone_node = node_group.nodes.new("FunctionNodeFormatString")
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an active Simulation zone in the node group")
def node_simulation_zone(node_group: Any) -> None:
    zone_input = node_group.nodes.new("GeometryNodeSimulationInput")
    zone_node = node_group.nodes.new("GeometryNodeSimulationOutput")
    zone_input.pair_with_output(zone_node)
    zone_node.select = True
    node_group.nodes.active = zone_node


@step("data", "an image with a file and unsaved changes")
def image_modified(image: Any) -> None:
    image.pixels[0:4] = (1.0, 0.0, 0.0, 1.0)
    image.update()


@step("data", "scene annotations with a layer and a frame")
def annotation(bpy: Any, scene: Any) -> None:
    annotations = (bpy.data.annotations if hasattr(bpy.data, "annotations") else bpy.data.grease_pencils).new(
        "Annotations"
    )
    setattr(scene, "annotation" if hasattr(scene, "annotation") else "grease_pencil", annotations)
    annotation_layer = annotations.layers.new("Note")
    annotation_layer.frames.new(1)
    annotations.layers.active_index = len(annotations.layers) - 1


@step("data", "multiview with an extra, active render view")
def render_views(scene: Any) -> None:
    scene.render.use_multiview = True
    scene.render.views_format = "MULTIVIEW"
    scene.render.views.new("extra")
    scene.render.views.active_index = len(scene.render.views) - 1


@step("data", "the Freestyle option on, with a style module on the view layer")
def freestyle_module(context: Any, scene: Any) -> None:
    scene.render.use_freestyle = True
    freestyle_module = context.view_layer.freestyle_settings.modules.new()
    context.view_layer.freestyle_settings.mode = "SCRIPT"


@step("data", "a rigid body constraint on the active object")
def rigid_body_constraint(bpy: Any) -> None:
    bpy.ops.rigidbody.world_add()
    bpy.ops.rigidbody.constraint_add()


@step("data", "the NLA in tweak mode on the active strip")
def nla_tweak(obj: Any) -> None:
    obj.animation_data.use_tweak_mode = True


@step("data", "a selected pose marker in the active object's action")
def pose_marker(obj: Any) -> None:
    pose_marker = obj.animation_data.action.pose_markers.new("Pose")
    pose_marker.select = True
    obj.animation_data.action.pose_markers.active = pose_marker


@step("data", "the active mesh deformed by an armature (parent and modifier)")
def armature_deform(bpy: Any, context: Any, obj: Any) -> None:
    rig = bpy.data.objects.new("Rig", bpy.data.armatures.new("Rig"))
    context.collection.objects.link(rig)
    obj.parent = rig
    obj.modifiers.new("Armature", "ARMATURE").object = rig


@step("data", "an image (in the editor)")
def image(bpy: Any) -> None:
    image = bpy.data.images.new("Image", 64, 64)


@step("data", "an image saved as a file (in the editor)")
def image_file(bpy: Any) -> None:
    import os
    import tempfile

    image_path = os.path.join(tempfile.mkdtemp(), "image.png")
    image = bpy.data.images.new("Image", 64, 64)
    image.filepath_raw = image_path
    image.file_format = "PNG"
    image.save()
    image = bpy.data.images.load(image_path)


@step("data", "a movie clip with a selected tracking marker (in the editor)")
def movie_clip(bpy: Any) -> None:
    import os
    import tempfile

    clip_path = os.path.join(tempfile.mkdtemp(), "clip.png")
    clip_image = bpy.data.images.new("ClipFrame", 64, 64)
    clip_image.filepath_raw = clip_path
    clip_image.file_format = "PNG"
    clip_image.save()
    clip = bpy.data.movieclips.load(clip_path)
    track = clip.tracking.tracks.new(name="Track", frame=1)
    track.select = True
    clip.tracking.tracks.active = track


@step("data", "a mask with a spline (in the editor)")
def mask(bpy: Any) -> None:
    mask = bpy.data.masks.new("Mask")
    mask_layer = mask.layers.new()
    mask_spline = mask_layer.splines.new()
    mask_spline.points.add(3)
    for number, point in enumerate(mask_spline.points):
        point.co = (number % 2, number // 2)
        point.select = True


@step("data", "a text datablock (in the editor)")
def text(bpy: Any) -> None:
    text = bpy.data.texts.new("Text")
    text.write("import bpy\nprint(bpy.data)\n")


@step("data", "a Geometry Nodes modifier with a node group on the active object")
def geometry_nodes(bpy: Any, obj: Any) -> None:
    node_group = bpy.data.node_groups.new("Geometry Nodes", "GeometryNodeTree")
    node_group.interface.new_socket("Geometry", in_out="INPUT", socket_type="NodeSocketGeometry")
    node_group.interface.new_socket("Geometry", in_out="OUTPUT", socket_type="NodeSocketGeometry")
    group_in = node_group.nodes.new("NodeGroupInput")
    group_out = node_group.nodes.new("NodeGroupOutput")
    node_group.links.new(group_in.outputs[0], group_out.inputs[0])
    for node in node_group.nodes:
        node.select = True
    node_group.nodes.active = group_in
    if hasattr(node_group, "is_modifier"):
        node_group.is_modifier = True
    obj.modifiers.new("GeometryNodes", "NODES").node_group = node_group


@step("data", "compositing nodes for the scene")
def compositor(bpy: Any, scene: Any) -> None:
    if hasattr(scene, "compositing_node_group"):
        scene.compositing_node_group = bpy.data.node_groups.new("Compositor", "CompositorNodeTree")
        comp_tree = scene.compositing_node_group
    else:
        scene.use_nodes = True
        comp_tree = scene.node_tree
    comp_node = comp_tree.nodes.new("CompositorNodeBlur")
    comp_node.select = True
    comp_tree.nodes.active = comp_node


@step("data", "a brush or texture with texture nodes")
def texture_nodes(bpy: Any) -> None:
    texture = bpy.data.textures.new("Texture", "IMAGE")
    texture.use_nodes = True


@step("data", "selected nodes in the active object's material")
def select_nodes(bpy: Any, obj: Any) -> None:
    material = obj.active_material or bpy.data.materials.new("Material")
    if not obj.material_slots:
        obj.data.materials.append(material)
    material.use_nodes = True
    mat_nodes = material.node_tree.nodes
    frame = mat_nodes.new("NodeFrame")
    reroute = mat_nodes.new("NodeReroute")
    for node in mat_nodes:
        node.select = True
    mat_nodes.active = next(n for n in mat_nodes if n.type == "BSDF_PRINCIPLED")


@step("data", "the undo system initialized (bpy.ops.ed.undo_push())")
def undo_initialized(bpy: Any) -> None:
    bpy.ops.ed.undo_push(message="Gotcha Doctor")


@step("data", "the file saved to disk")
def saved_file(bpy: Any) -> None:
    import os
    import tempfile

    bpy.ops.wm.save_as_mainfile(filepath=os.path.join(tempfile.mkdtemp(), "scene.blend"))


@step("data", "a World with nodes on the scene")
def world(bpy: Any, scene: Any) -> None:
    scene.world = scene.world or bpy.data.worlds.new("World")
    scene.world.use_nodes = True


@step("after_mode", "dynamic topology on (Sculpt Mode)")
def dyntopo(bpy: Any) -> None:
    bpy.ops.sculpt.dynamic_topology_toggle()


@step("after_mode", "a bone selection set (Pose Mode)")
def selection_set(bpy: Any, obj: Any) -> None:
    for pose_bone in obj.pose.bones:  # Blender 5.0 moved select to the pose bone
        (pose_bone if hasattr(pose_bone, "select") else pose_bone.bone).select = True
    bpy.ops.pose.selection_set_add()


@step("space", "the active text strip being edited in the preview")
def text_editing(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.sequencer.text_edit_mode_toggle()


@step("space", "the 3D Viewport locked to the active object")
def lock_object(obj: Any, space: Any) -> None:
    space.lock_object = obj


@step("space", "the 3D Viewport in Local View")
def local_view(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.view3d.localview()


@step("space", "the 3D Viewport looking through the scene camera")
def view_camera(space: Any) -> None:
    space.region_3d.view_perspective = "CAMERA"


@step("space", "the image shown in the editor")
def show_image(space: Any, image: Any) -> None:
    space.image = image


@step("space", "the clip shown in the editor")
def show_clip(space: Any, clip: Any) -> None:
    space.clip = clip


@step("space", "the mask shown in the editor (mask mode)")
def show_mask(space: Any, mask: Any) -> None:
    space.mode = "MASK"
    space.mask = mask


@step("space", "the text shown in the editor")
def show_text(space: Any, text: Any) -> None:
    space.text = text


@step("space", "the Geometry Nodes group shown in the editor")
def show_geometry_nodes(space: Any, node_group: Any) -> None:
    space.node_tree = node_group


@step("space", "the compositing node tree shown in the editor")
def show_compositor(space: Any, comp_tree: Any) -> None:
    if space.node_tree is None:
        space.node_tree = comp_tree


@step("space", "the texture's node tree shown in the editor")
def show_texture_nodes(space: Any, texture: Any) -> None:
    space.pin = True
    space.node_tree = texture.node_tree


@step("space", "the active material's node tree shown in the editor")
def pin_material(obj: Any, space: Any) -> None:
    space.node_tree = obj.active_material.node_tree


@step("space", "the Dope Sheet in Action Editor mode")
def dopesheet_action(space: Any) -> None:
    space.mode = "ACTION"


@step("space", "the Dope Sheet in Shape Key Editor mode")
def dopesheet_shapekey(space: Any) -> None:
    space.mode = "SHAPEKEY"


@step("space", "the Dope Sheet in Grease Pencil mode")
def dopesheet_gpencil(space: Any) -> None:
    space.mode = "GPENCIL"


@step("space", "the Dope Sheet in Mask mode")
def dopesheet_mask(space: Any) -> None:
    space.mode = "MASK"


@step("space", "the Sequencer showing its preview")
def sequencer_preview(space: Any) -> None:
    space.view_type = "PREVIEW"


@step("space", "the Sequencer showing strips and preview")
def sequencer_both(space: Any) -> None:
    space.view_type = "SEQUENCER_PREVIEW"


@step("space", "the Clip Editor showing its graph")
def clip_graph(space: Any) -> None:
    space.view = "GRAPH"


@step("space", "the Clip Editor showing its dope sheet")
def clip_dopesheet(space: Any) -> None:
    space.view = "DOPESHEET"


@step("space", "the Outliner showing Orphan Data")
def outliner_orphans(space: Any) -> None:
    space.display_mode = "ORPHAN_DATA"


@step("space", "the Outliner showing the Blender File")
def outliner_libraries(space: Any) -> None:
    space.display_mode = "LIBRARIES"


@step("space", "the Outliner showing the Data API")
def outliner_data_api(space: Any) -> None:
    space.display_mode = "DATA_API"


@step("space", "the Outliner showing Library Overrides")
def outliner_overrides(space: Any) -> None:
    space.display_mode = "LIBRARY_OVERRIDES"


@step("space", "the Outliner showing Video Sequencer data")
def outliner_sequencer(space: Any) -> None:
    space.display_mode = "SEQUENCE"


@step("space", "the Properties editor on the Physics tab")
def properties_physics(space: Any) -> None:
    space.context = "PHYSICS"


@step("space", "the Properties editor on the Object tab")
def properties_object(space: Any) -> None:
    space.context = "OBJECT"


@step("space", "the Properties editor on the Texture tab")
def properties_texture(space: Any) -> None:
    space.context = "TEXTURE"


@step("space", "the Properties editor on the Modifiers tab")
def properties_modifier(space: Any) -> None:
    space.context = "MODIFIER"


@step("space", "the Graph Editor showing handles")
def graph_show_handles(space: Any) -> None:
    space.show_handles = True


@step("override", "a point cache in the context (a physics panel provides it)")
def ctx_point_cache(obj: Any, override: Any) -> None:
    override["point_cache"] = obj.modifiers["Cloth"].point_cache


@step("override", "an image in the context")
def ctx_edit_image(override: Any, image: Any) -> None:
    override["edit_image"] = image


@step("override", "a texture in the context")
def ctx_texture(override: Any, texture: Any) -> None:
    override["texture"] = texture


@step("override", "a text in the context")
def ctx_edit_text(override: Any, text: Any) -> None:
    override["edit_text"] = text


@step("override", "the active object as context id")
def ctx_id(obj: Any, override: Any) -> None:
    override["id"] = obj


@step("override", "a modifier in the context (a modifier panel provides it)")
def ctx_modifier(obj: Any, override: Any) -> None:
    override["modifier"] = obj.modifiers[0]


@step("override", "a constraint in the context (a constraint panel provides it)")
def ctx_constraint(obj: Any, override: Any) -> None:
    override["constraint"] = obj.constraints[0]


@step("override", "a material in the context")
def ctx_material(obj: Any, override: Any) -> None:
    override["material"] = obj.active_material


@step("override", "a movie clip in the context")
def ctx_edit_movieclip(override: Any, clip: Any) -> None:
    override["edit_movieclip"] = clip


@step("override", "a mask in the context")
def ctx_edit_mask(override: Any, mask: Any) -> None:
    override["edit_mask"] = mask


@step("override", "the active object as the context's selected_ids and id")
def ctx_selected_ids(obj: Any, override: Any) -> None:
    override["selected_ids"] = [obj]
    override["id"] = obj


@step("override", "the active object as the context's animated_id (an animation panel provides it)")
def ctx_animated_id(obj: Any, override: Any) -> None:
    override["animated_id"] = obj


@step("override", "a Freestyle style module in the context (its panel provides it)")
def ctx_freestyle_module(override: Any, freestyle_module: Any) -> None:
    override["freestyle_module"] = freestyle_module


@step("override", "a world in the context")
def ctx_world(scene: Any, override: Any) -> None:
    override["world"] = scene.world


@step("override", "a particle system in the context")
def ctx_particle(obj: Any, override: Any) -> None:
    override["particle_system"] = obj.particle_systems[0]
    override["particle_settings"] = obj.particle_systems[0].settings


@step("data", "a color ramp (a Blend texture's)")
def color_ramp(bpy: Any) -> None:
    texture = bpy.data.textures.new("Ramp", "BLEND")
    texture.use_color_ramp = True


@step("override", "the color ramp in the context (a color ramp widget provides it)")
def ctx_color_ramp(override: Any, texture: Any) -> None:
    override["color_ramp"] = texture.color_ramp


@step("override", "the active object and its material slot in the context (the material slot list provides them)")
def ctx_material_slot(obj: Any, override: Any) -> None:
    override["object"] = obj
    override["material_slot"] = obj.material_slots[obj.active_material_index]


@step("data", "a custom (user) theme file as the current theme")
def custom_theme(context: Any) -> None:
    import os
    import tempfile

    context.preferences.themes[0].filepath = os.path.join(tempfile.mkdtemp(), "my_theme.xml")


@step("data", "a custom keymap configuration (saved as a preset outside Blender's own) as the active one")
def keyconfig_preset(bpy: Any) -> None:
    import os
    import tempfile

    presets = tempfile.mkdtemp()
    keyconfig_dir = os.path.join(presets, "presets", "keyconfig")
    os.makedirs(keyconfig_dir)
    keyconfig_file = os.path.join(keyconfig_dir, "MyKeys.py")
    bpy.ops.preferences.keyconfig_export(filepath=keyconfig_file)  # a copy of the current keymaps
    bpy.utils.register_preset_path(presets)
    bpy.utils.keyconfig_set(keyconfig_file)  # loads it as the active keyconfig 'MyKeys'


@step("override", "an Action as the context's id (the Asset Browser or an ID field provides it)")
def ctx_action_id(bpy: Any, override: Any) -> None:
    context_action = bpy.data.actions.new("Pose")
    context_action.use_fake_user = True
    override["id"] = context_action


@step("data", "a pose asset just created: a marked Action active on the object, the previous Action remembered")
def pose_asset_active(bpy: Any, context: Any, obj: Any) -> None:
    previous_action = bpy.data.actions.new("Previous")
    previous_action.use_fake_user = True
    pose_asset = bpy.data.actions.new("Pose")
    pose_asset.asset_mark()
    obj.animation_data_create().action = pose_asset
    context.window_manager.poselib_previous_action = previous_action


@step("object", "an active object linked from another .blend file (File > Link)")
def active_linked_object(bpy: Any, context: Any, scene: Any) -> None:
    import os
    import tempfile

    library_path = os.path.join(tempfile.mkdtemp(), "library.blend")
    library_mesh = bpy.data.meshes.new("LibraryMesh")
    library_object = bpy.data.objects.new("LibraryObject", library_mesh)
    library_collection = bpy.data.collections.new("LibraryCollection")
    library_collection.objects.link(library_object)
    bpy.data.libraries.write(library_path, {library_collection}, fake_user=True)
    bpy.data.collections.remove(library_collection)
    bpy.data.objects.remove(library_object)
    bpy.data.meshes.remove(library_mesh)
    with bpy.data.libraries.load(library_path, link=True) as (data_from, data_to):
        data_to.collections = ["LibraryCollection"]
    linked_collection = data_to.collections[0]
    scene.collection.children.link(linked_collection)
    linked_object = linked_collection.objects[0]
    context.view_layer.objects.active = linked_object
    linked_object.select_set(True)
    obj = context.view_layer.objects.active


@step("object", "an active library override of an object linked from another .blend file")
def active_override_object(bpy: Any, context: Any, scene: Any) -> None:
    import os
    import tempfile

    library_path = os.path.join(tempfile.mkdtemp(), "library.blend")
    library_mesh = bpy.data.meshes.new("LibraryMesh")
    library_object = bpy.data.objects.new("LibraryObject", library_mesh)
    library_collection = bpy.data.collections.new("LibraryCollection")
    library_collection.objects.link(library_object)
    bpy.data.libraries.write(library_path, {library_collection}, fake_user=True)
    bpy.data.collections.remove(library_collection)
    bpy.data.objects.remove(library_object)
    bpy.data.meshes.remove(library_mesh)
    with bpy.data.libraries.load(library_path, link=True) as (data_from, data_to):
        data_to.collections = ["LibraryCollection"]
    linked_collection = data_to.collections[0]
    scene.collection.children.link(linked_collection)  # as File > Link does; 5.3 overrides only what is in the scene
    override_collection = linked_collection.override_hierarchy_create(scene, context.view_layer)
    override_object = override_collection.objects[0]
    context.view_layer.objects.active = override_object
    override_object.select_set(True)
    obj = context.view_layer.objects.active


@step("data", "a preview image on the active object (as an asset has)")
def id_preview(obj: Any) -> None:
    obj.asset_mark()
    obj.preview_ensure()


@step(
    "data",
    "an operator run after the undo system was initialized (it can be redone, like the Adjust Last Operation panel)",
)
def redo_last_operator(bpy: Any) -> None:
    bpy.ops.ed.undo_push(message="Gotcha Doctor")
    # the 2nd argument (undo=True) registers the call like a click in the UI does
    bpy.ops.object.select_all("EXEC_DEFAULT", True, action="DESELECT")


@step("data", "an active collection with an exporter (Collection properties > Exporters)")
def collection_exporter(bpy: Any, context: Any, scene: Any) -> None:
    export_collection = bpy.data.collections.new("Export")
    scene.collection.children.link(export_collection)
    context.view_layer.active_layer_collection = context.view_layer.layer_collection.children["Export"]
    bpy.ops.collection.exporter_add(name="IO_FH_obj")


@step("data", "an active collection with an importer (Collection properties > Importers)")
def collection_importer(bpy: Any, context: Any, scene: Any) -> None:
    import_collection = bpy.data.collections.new("Import")
    scene.collection.children.link(import_collection)
    context.view_layer.active_layer_collection = context.view_layer.layer_collection.children["Import"]
    bpy.ops.collection.importer_add(name="IO_FH_obj")
    if hasattr(import_collection, "importer"):  # Blender 5.3: the importer needs its file (5.2 accepted none)
        import os
        import tempfile

        import_path = os.path.join(tempfile.mkdtemp(), "triangle.obj")
        with open(import_path, "w", encoding="utf-8") as import_file:
            import_file.write("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n")
        import_collection.importer.filepath = import_path


@step("data", 'an empty collection as the active one (Blender: "Collection needs to be empty")')
def empty_collection(bpy: Any, context: Any, scene: Any) -> None:
    empty_target = bpy.data.collections.new("Import")
    scene.collection.children.link(empty_target)
    context.view_layer.active_layer_collection = context.view_layer.layer_collection.children[empty_target.name]


@step("data", "face sets on the active mesh (its .sculpt_face_set attribute)")
def face_sets(obj: Any) -> None:
    obj.data.attributes.new(".sculpt_face_set", "INT", "FACE")


@step("data", "a user-defined key configuration as the active one (Preferences > Keymap)")
def custom_keyconfig(context: Any) -> None:
    custom_keyconfig = context.window_manager.keyconfigs.new("Custom")
    context.window_manager.keyconfigs.active = custom_keyconfig


@step("override", "a keymap in the context (the Keymap preferences provide it)")
def ctx_keymap(context: Any, override: Any) -> None:
    override["keymap"] = context.window_manager.keyconfigs.user.keymaps["Window"]


@step("data", "an extensions repository served from a local folder (a file:// remote URL) as the active repository")
def local_extensions_repo(context: Any) -> None:
    import os
    import pathlib
    import tempfile

    repo_root = tempfile.mkdtemp()
    repo_served = os.path.join(repo_root, "served")
    os.makedirs(repo_served)
    extension_repo = context.preferences.extensions.repos.new(
        name="Local Repo",
        module="gd_local_repo",
        custom_directory=os.path.join(repo_root, "installed"),
        remote_url=pathlib.Path(repo_served).as_uri(),
    )
    context.preferences.extensions.active_repo = len(context.preferences.extensions.repos) - 1


@step("override", "that repository in the context (the repository popover provides it)")
def ctx_extension_repo(override: Any, extension_repo: Any) -> None:
    override["extension_repo"] = extension_repo


@step("data", "the active extensions repository locked by another Blender session (a stale lock file)")
def extensions_repo_locked(extension_repo: Any) -> None:
    import os

    lock_dir = os.path.join(extension_repo.directory, ".blender_ext")
    os.makedirs(lock_dir, exist_ok=True)
    with open(os.path.join(lock_dir, "index.lock"), "w", encoding="utf8") as lock_file:
        lock_file.write("another-session")


@step("data", "online access allowed (Preferences > System > Network)")
def online_access(context: Any) -> None:
    context.preferences.system.use_online_access = True


@step(
    "after_mode",
    "the active brush saved as an asset in a user asset library (Brush > Save as Brush Asset), then activated",
)
def brush_asset_user_library(bpy: Any, context: Any) -> None:
    import tempfile

    context.preferences.filepaths.asset_libraries.new(name="My Brushes", directory=tempfile.mkdtemp())
    bpy.ops.brush.asset_save_as(name="My Brush", asset_library_reference="My Brushes")
    # activating it loads the asset library (blocking in background mode)
    bpy.ops.brush.asset_activate(
        asset_library_type="CUSTOM",
        asset_library_identifier="My Brushes",
        relative_asset_identifier="Saved/Brushes/My Brush.asset.blend/Brush/My Brush",
    )


@step("data", "the sequencer frame rendered once (it lays out the text strip for editing)")
def text_strip_rendered(bpy: Any, scene: Any) -> None:
    scene.render.resolution_x = scene.render.resolution_y = 64
    scene.render.use_sequencer = True
    bpy.ops.render.render()


@step("data", "an active Multicam strip in the sequencer")
def multicam_strip(bpy: Any, context: Any, scene: Any) -> None:
    if hasattr(context.workspace, "sequencer_scene"):
        context.workspace.sequencer_scene = scene
    seq_editor = scene.sequence_editor_create()
    seq_strips = seq_editor.strips if hasattr(seq_editor, "strips") else seq_editor.sequences
    seq_length = {"length": 50} if bpy.app.version >= (5, 0, 0) else {"frame_end": 51}
    strip = seq_strips.new_effect(name="Multicam", type="MULTICAM", channel=11, frame_start=1, **seq_length)
    strip.select = True
    seq_editor.active_strip = strip
    scene.frame_current = 20


@step("after_mode", "the paint mode's active brush with Stroke Method: Curve")
def brush_curve_stroke(context: Any, obj: Any) -> None:
    tool_settings = context.tool_settings
    paint_settings = {
        "SCULPT": tool_settings.sculpt,
        "TEXTURE_PAINT": tool_settings.image_paint,
        "VERTEX_PAINT": tool_settings.vertex_paint,
        "WEIGHT_PAINT": tool_settings.weight_paint,
    }[obj.mode]
    brush = paint_settings.brush
    brush.stroke_method = "CURVE"


@step("after_mode", "the paint mode's active brush with its texture mapped as a Stencil")
def brush_stencil(context: Any, obj: Any) -> None:
    tool_settings = context.tool_settings
    paint_settings = {
        "SCULPT": tool_settings.sculpt,
        "TEXTURE_PAINT": tool_settings.image_paint,
        "VERTEX_PAINT": tool_settings.vertex_paint,
    }[obj.mode]
    brush = paint_settings.brush
    brush.texture_slot.map_mode = "STENCIL"


@step("after_mode", "the Texture Paint brush set to Clone, with a clone source image")
def clone_brush(bpy: Any, context: Any) -> None:
    image_paint = context.tool_settings.image_paint
    clone_source = bpy.data.images.new("Clone Source", 64, 64)
    brush = image_paint.brush
    if hasattr(brush, "image_brush_type"):  # Blender 4.3+
        brush.image_brush_type = "CLONE"
    else:
        brush.image_tool = "CLONE"
    # the clone source moved from the brush to the image paint settings in Blender 4.3
    (brush if hasattr(brush, "clone_image") else image_paint).clone_image = clone_source


@step("space", "the Image Editor in Paint mode")
def image_paint_mode(space: Any) -> None:
    space.ui_mode = "PAINT"


@step("after_mode", "dynamic topology detailing set to Constant Detail")
def dyntopo_constant_detail(context: Any) -> None:
    context.tool_settings.sculpt.detail_type_method = "CONSTANT"


@step("after_mode", "an active boolean point attribute, added and made active in Edit Mode")
def bool_attribute_edit(obj: Any) -> None:
    attribute = obj.data.attributes.new("flag", "BOOLEAN", "POINT")
    obj.data.attributes.active = attribute


@step("data", "the Curves object's surface set to a mesh with a UV map")
def curves_surface(bpy: Any, context: Any, obj: Any) -> None:
    surface_mesh = bpy.data.meshes.new("Surface")
    surface_mesh.from_pydata([(-1, -1, 0), (1, -1, 0), (1, 1, 0), (-1, 1, 0)], [], [(0, 1, 2, 3)])
    surface_mesh.uv_layers.new(name="UVMap")
    surface = bpy.data.objects.new("Surface", surface_mesh)
    context.collection.objects.link(surface)
    obj.data.surface = surface
    obj.data.surface_uv_map = "UVMap"


@step("after_mode", "the Density brush active in Curves Sculpt Mode")
def curves_density_brush(context: Any) -> None:
    brush = context.tool_settings.curves_sculpt.brush
    if hasattr(brush, "curves_sculpt_brush_type"):  # Blender 4.3+
        brush.curves_sculpt_brush_type = "DENSITY"
    else:
        brush.curves_sculpt_tool = "DENSITY"


@step("data", "a mesh set as the Particle Edit shape object")
def particle_shape_object(bpy: Any, context: Any, obj: Any) -> None:
    shape_object = bpy.data.objects.new("Shape", obj.data.copy())
    context.collection.objects.link(shape_object)
    context.tool_settings.particle_edit.shape_object = shape_object


@step("data", "the current Grease Pencil frame marked as a Breakdown (as interpolation makes it)")
def gp_breakdown_frame(obj: Any) -> None:
    gp_layer = obj.data.layers.active
    gp_frame = gp_layer.active_frame if hasattr(gp_layer, "active_frame") else gp_layer.frames[0]
    gp_frame.keyframe_type = "BREAKDOWN"


@step("space", "annotations (added by Annotation Add) whose layer has an active frame")
def annotation_active_frame(
    bpy: Any, context: Any, scene: Any, window: Any, screen: Any, area: Any, region: Any
) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.gpencil.annotation_add()
    annotations = scene.annotation if hasattr(scene, "annotation") else scene.grease_pencil
    annotations.layers[-1].frames.new(scene.frame_current, active=True)


@step("space", "a brush tool active in the toolbar")
def brush_tool(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    if bpy.app.version >= (4, 3, 0):
        brush_tool = "builtin.brush"
    else:  # Blender 4.2 names each brush tool after its brush type
        brush_tool = {
            "SCULPT_GREASE_PENCIL": "builtin_brush.Smooth",
            "WEIGHT_GREASE_PENCIL": "builtin_brush.Weight",
            "SCULPT_GPENCIL": "builtin_brush.Smooth",
            "WEIGHT_GPENCIL": "builtin_brush.Weight",
        }.get(context.mode, "builtin_brush.Draw")
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.wm.tool_set_by_id(name=brush_tool)


@step("space", "the sidebar's tab search started (Start Filter in the sidebar)")
def region_filter_started(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.ui.region_start_filter()


@step("data", "the VR Scene Inspection add-on enabled, with a location scouting capture in the scene")
def vr_capture(bpy: Any, scene: Any) -> None:
    bpy.ops.preferences.addon_enable(module="viewport_vr_preview")
    scene.vr_captures.add()


@step("data", "two mask layers on the active Grease Pencil layer")
def gp_layer_masks(bpy: Any, obj: Any) -> None:
    gp_data = obj.data
    masked_layer = gp_data.layers.active
    for mask_name in ("Mask A", "Mask B"):
        gp_data.layers.new(mask_name)
        gp_data.layers.active = masked_layer
        bpy.ops.grease_pencil.layer_mask_add(name=mask_name)


@step("data", "an active layer group in the Grease Pencil object")
def gp_layer_group(obj: Any) -> None:
    layer_group = obj.data.layer_groups.new("Group")
    obj.data.layer_groups.active = layer_group


@step("space", "copied Grease Pencil strokes on the clipboard (Edit Mode, all selected, Copy)")
def gp_clipboard(bpy: Any, context: Any, obj: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    gp_ops = bpy.ops.grease_pencil if obj.type == "GREASEPENCIL" else bpy.ops.gpencil
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        gp_ops.select_all(action="SELECT")
        gp_ops.copy()


@step("object", "an active image Empty showing an image file", object_type="EMPTY")
def active_image_empty(bpy: Any, context: Any) -> None:
    import os
    import tempfile

    trace_path = os.path.join(tempfile.mkdtemp(), "trace.png")
    trace_image = bpy.data.images.new("Trace", 64, 64)
    trace_image.filepath_raw = trace_path
    trace_image.file_format = "PNG"
    trace_image.save()
    bpy.ops.object.empty_add(type="IMAGE")
    context.view_layer.objects.active.data = bpy.data.images.load(trace_path)
    obj = context.view_layer.objects.active


@step("object", "the experimental Point Cloud object option on (Blender 4.2)")
def experimental_pointcloud(context: Any) -> None:
    if hasattr(context.preferences.experimental, "use_new_point_cloud_type"):
        context.preferences.experimental.use_new_point_cloud_type = True


@step("data", "an armature object in the view layer")
def armature_in_scene(bpy: Any, context: Any) -> None:
    rig = bpy.data.objects.new("Rig", bpy.data.armatures.new("Rig"))
    context.collection.objects.link(rig)


@step("data", "the Grease Pencil Vertex Paint point selection mask on")
def gp_vertex_select_mask(context: Any) -> None:
    context.tool_settings.use_gpencil_vertex_select_mask_point = True


@step("data", "curve editing on for the (legacy) Grease Pencil data")
def gp_curve_edit(obj: Any) -> None:
    obj.data.use_curve_edit = True


@step("override", "a Grease Pencil modifier in the context (a modifier panel provides it)")
def ctx_gp_modifier(obj: Any, override: Any) -> None:
    override["modifier"] = obj.grease_pencil_modifiers[0] if obj.type == "GPENCIL" else obj.modifiers[0]


@step("space", "the NLA editor in tweak mode on the active strip (entered with Start Tweaking Strip Actions)")
def nla_tweak_enter(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.nla.tweakmode_enter()


@step("data", "a World whose output has a Volume shader linked")
def world_volume(bpy: Any, scene: Any) -> None:
    scene.world = scene.world or bpy.data.worlds.new("World")
    scene.world.use_nodes = True
    world_tree = scene.world.node_tree
    world_volume = world_tree.nodes.new("ShaderNodeVolumePrincipled")
    world_output = world_tree.get_output_node("EEVEE")
    world_tree.links.new(world_volume.outputs[0], world_output.inputs["Volume"])


@step("override", "a light in the context (a light panel provides it)")
def ctx_light(obj: Any, override: Any) -> None:
    override["light"] = obj.data


@step("after_mode", "two bone selection sets (Pose Mode)")
def second_selection_set(bpy: Any) -> None:
    bpy.ops.pose.selection_set_add()


@step("data", "a motion path calculated for the active object")
def object_motion_path(bpy: Any) -> None:
    bpy.ops.object.paths_calculate(display_type="RANGE", range="SCENE")


@step("after_mode", "a motion path calculated for the selected bones (Pose Mode)")
def bone_motion_path(bpy: Any, obj: Any) -> None:
    for pose_bone in obj.pose.bones:  # Blender 5.0 moved select to the pose bone
        (pose_bone if hasattr(pose_bone, "select") else pose_bone.bone).select = True
    bpy.ops.pose.paths_calculate(display_type="RANGE", range="SCENE")


@step("space", "a custom transform orientation, in use")
def custom_orientation(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.transform.create_orientation(name="Custom", use=True)


@step("data", "an active boolean input inside a panel of the node group's interface")
def node_panel_bool(node_group: Any) -> None:
    interface_panel = node_group.interface.new_panel("Panel")
    panel_bool = node_group.interface.new_socket("Toggle", in_out="INPUT", socket_type="NodeSocketBool")
    node_group.interface.move_to_parent(panel_bool, interface_panel, 0)
    node_group.interface.active = panel_bool


@step("data", "an active panel with a toggle (a boolean panel-toggle input) in the node group's interface")
def node_panel_toggle(node_group: Any) -> None:
    interface_panel = node_group.interface.new_panel("Panel")
    panel_toggle = node_group.interface.new_socket("Panel", in_out="INPUT", socket_type="NodeSocketBool")
    node_group.interface.move_to_parent(panel_toggle, interface_panel, 0)
    panel_toggle.is_panel_toggle = True
    node_group.interface.active = interface_panel


@step("space", "a node group entered (edited) from a group node in the editor")
def enter_node_group(bpy: Any, space: Any) -> None:
    inner_group = bpy.data.node_groups.new("Inner Group", space.edit_tree.bl_idname)
    group_node = space.edit_tree.nodes.new(space.edit_tree.bl_idname.replace("Tree", "Group"))
    group_node.node_tree = inner_group
    space.path.append(inner_group, node=group_node)


@step("space", "the Geometry Node Editor in Tool context")
def geometry_tool_context(space: Any) -> None:
    if hasattr(space, "node_tree_sub_type"):  # Blender 5.0 renamed it
        space.node_tree_sub_type = "TOOL"
    else:
        space.geometry_nodes_type = "TOOL"


@step("data", "the glTF add-on enabled with its 'Shader Editor Add-ons' option on (in memory)")
def gltf_settings_node_ui(bpy: Any, context: Any) -> None:
    if "io_scene_gltf2" not in context.preferences.addons:
        bpy.ops.preferences.addon_enable(module="io_scene_gltf2")
    context.preferences.addons["io_scene_gltf2"].preferences.settings_node_ui = True


@step("data", "an active OSL Script node (internal text) in the material, with Cycles as render engine")
def osl_script_node(bpy: Any, scene: Any, material: Any) -> None:
    osl_text = bpy.data.texts.new("shader.osl")
    osl_text.write("shader gotcha(output float Fac = 1.0) {}\n")
    script_node = material.node_tree.nodes.new("ShaderNodeScript")
    script_node.mode = "INTERNAL"
    script_node.script = osl_text
    script_node.select = True
    material.node_tree.nodes.active = script_node
    scene.render.engine = "CYCLES"  # set last: Cycles compiles script nodes as they are assigned


@step("space", "the OSL script shown in the editor")
def show_osl_text(space: Any, osl_text: Any) -> None:
    space.text = osl_text


@step("data", "a text loaded from a file that then changed on disk (in the editor)")
def text_file_changed(bpy: Any) -> None:
    import os
    import tempfile
    import time

    text_path = os.path.join(tempfile.mkdtemp(), "script.py")
    with open(text_path, "w") as file:
        file.write("print(1)\n")
    text = bpy.data.texts.load(text_path)
    with open(text_path, "w") as file:
        file.write("print(2)\n")
    os.utime(text_path, (time.time() + 10, time.time() + 10))


@step("data", "an active (non-camera) object tracking object in the clip")
def tracking_object(clip: Any) -> None:
    tracking_object = clip.tracking.objects.new("Object")
    clip.tracking.objects.active = tracking_object


@step("space", "an active plane track in the clip (made from four selected tracks)")
def plane_track(
    bpy: Any, context: Any, scene: Any, window: Any, screen: Any, area: Any, region: Any, clip: Any
) -> None:
    for number, corner in enumerate([(0.2, 0.2), (0.8, 0.2), (0.8, 0.8), (0.2, 0.8)]):
        corner_track = clip.tracking.tracks.new(name=f"Corner{number}", frame=scene.frame_current)
        corner_track.markers.find_frame(scene.frame_current).co = corner
        corner_track.select = True
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.clip.create_plane_track()
    plane_track = clip.tracking.plane_tracks.active


@step("space", "an image file assigned to the active plane track")
def plane_track_image(bpy: Any, clip_path: Any, plane_track: Any) -> None:
    plane_track.image = bpy.data.images.load(clip_path)  # a file image (generated ones do not count)


@step("space", "the selected track copied to the tracking clipboard (Copy Tracks)")
def copied_tracks(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.clip.copy_tracks()


@step("space", "a solved camera motion (tracks of 20 points over 30 frames, then Solve Camera Motion)")
def solved_camera(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any, clip: Any) -> None:
    import random

    solve_rng = random.Random(1)
    focal_px = clip.tracking.camera.focal_length / clip.tracking.camera.sensor_width * clip.size[0]
    for number in range(20):  # static points seen by a camera sliding sideways, projected by hand
        px, py, pz = solve_rng.uniform(-3, 3), solve_rng.uniform(-2, 2), solve_rng.uniform(-12, -6)
        solve_track = clip.tracking.tracks.new(name=f"Point{number}", frame=1)
        for frame in range(1, 31):
            x = focal_px * (px - (frame - 1) * 0.05) / -pz / clip.size[0] + 0.5
            y = focal_px * py / -pz / clip.size[1] + 0.5
            solve_track.markers.insert_frame(frame, co=(x, y))
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.clip.solve_camera()


@step("space", "the selected mask splines copied to the mask clipboard (Copy Splines)")
def copied_splines(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.mask.select_all(action="SELECT")  # selects the splines, not only their points
        bpy.ops.mask.copy_splines()


@step("data", "an empty (legacy, not yet layered) action assigned to the active object")
def legacy_action(bpy: Any, obj: Any) -> None:
    obj.animation_data_create()
    obj.animation_data.action = bpy.data.actions.new("Legacy Action")


@step("data", "an Action constraint with an action and an assigned action slot")
def action_constraint_slot(bpy: Any, obj: Any) -> None:
    constraint_action = bpy.data.actions.new("Constraint Action")
    action_constraint = obj.constraints.new("ACTION")
    action_constraint.action = constraint_action
    action_constraint.action_slot = constraint_action.slots.new(id_type="OBJECT", name="Slot")


@step("override", "an NLA strip in the context (its panel provides it)")
def ctx_nla_strip(override: Any, nla_strip: Any) -> None:
    override["nla_strip"] = nla_strip


@step("space", "a line of text in the Python Console, selected")
def console_selection(bpy: Any, context: Any, window: Any, screen: Any, area: Any, space: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.console.scrollback_append(text="Gotcha Doctor", type="OUTPUT")
    space.select_start = 0
    space.select_end = len("Gotcha Doctor")


@step("override", "a texture slot in the context (a texture panel provides it): a new brush's")
def ctx_texture_slot(bpy: Any, override: Any) -> None:
    texture_brush = bpy.data.brushes.new("Texture Brush", mode="TEXTURE_PAINT")
    texture_brush.texture = bpy.data.textures.new("Brush Texture", "CLOUDS")
    override["texture_slot"] = texture_brush.texture_slot


@step("space", "the Properties editor on the object-data tab")
def properties_data(space: Any) -> None:
    space.context = "DATA"


@step("override", "a camera in the context (the camera properties provide it)")
def ctx_camera(obj: Any, override: Any) -> None:
    override["camera"] = obj.data


@step("space", "the Measure (ruler) tool active in the 3D Viewport")
def ruler_tool(bpy: Any, context: Any, window: Any, screen: Any, area: Any, region: Any) -> None:
    with context.temp_override(window=window, screen=screen, area=area, region=region):
        bpy.ops.wm.tool_set_by_id(name="builtin.measure")


@step("data", "the active camera of Custom type with an internal OSL camera script, with Cycles as render engine")
def custom_camera(bpy: Any, scene: Any, obj: Any) -> None:
    camera_script = bpy.data.texts.new("camera.osl")
    camera_script.write(
        "shader gotcha_camera(output point position = 0, output vector direction = 0, output float throughput = 1) {}\n"
    )
    obj.data.type = "CUSTOM"
    obj.data.custom_mode = "INTERNAL"
    obj.data.custom_shader = camera_script
    scene.render.engine = "CYCLES"  # set last: Cycles compiles the script as it is assigned


@step("override", "a node socket in the context (the socket a link is dragged from provides it)")
def ctx_socket(override: Any, node_group: Any) -> None:
    override["socket"] = node_group.nodes.active.outputs[0]


@step("space", "the Properties editor on the Compositor tab")
def properties_compositor(area: Any) -> None:
    # A Properties editor lists the tabs of the data it saw when it was opened or last drawn: open it afresh.
    area.ui_type = "VIEW_3D"
    area.ui_type = "PROPERTIES"
    space = area.spaces.active
    region = next(r for r in area.regions if r.type == "WINDOW")
    space.context = "COMPOSITOR"


@step("space", "the Properties editor on the Strip Modifiers tab (with an active strip)")
def properties_strip_modifier(area: Any) -> None:
    # A Properties editor lists the tabs of the data it saw when it was opened or last drawn: open it afresh.
    area.ui_type = "VIEW_3D"
    area.ui_type = "PROPERTIES"
    space = area.spaces.active
    region = next(r for r in area.regions if r.type == "WINDOW")
    space.context = "STRIP_MODIFIER"


@step("data", "an open project (File > New Project; Blender 5.3)")
def project(bpy: Any) -> None:
    import os
    import tempfile

    bpy.ops.project.new(name="My Project", directory=os.path.join(tempfile.mkdtemp(), "My Project"))


@step("data", "a variable in the open project (Project Settings > Variables)")
def project_variable(bpy: Any) -> None:
    bpy.ops.project.variable_add(variable_type="STRING")


@step("data", "a splash image in the open project (Project Settings)")
def project_splash_image(bpy: Any) -> None:
    import os
    import tempfile

    splash_image = bpy.data.images.new("Splash", 64, 32)
    splash_image.filepath_raw = os.path.join(tempfile.mkdtemp(), "splash.png")
    splash_image.file_format = "PNG"
    splash_image.save()
    bpy.ops.project.splash_image_create(filepath=splash_image.filepath_raw)


@step("data", "an asset library in the open project (Project Settings > Asset Libraries)")
def project_asset_library(bpy: Any) -> None:
    import tempfile

    bpy.ops.project.asset_library_add(directory=tempfile.mkdtemp(), name="Project Assets")
