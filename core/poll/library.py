"""The library of context recipes the sweep tries, and the order in which each operator group tries them.

A recipe = an editor (ui_type, region, the editor's own setup steps) x an object context (mode, object and data
steps). Every operator group (the part before the dot) tries its likely editors and object contexts first (the
first passing recipe is the one recorded, so it should be the natural one), then everything else.
"""

from __future__ import annotations

from typing import Any

from .steps import STEPS

# ui_type, region, editor setup steps
Editor = tuple[str | None, str, tuple[str, ...]]
# mode, object and data setup steps
ObjectContext = tuple[str, tuple[str, ...]]

EDITORS: dict[str, Editor] = {
    "none": (None, "WINDOW", ()),
    "v3d": ("VIEW_3D", "WINDOW", ()),
    "v3d_ui": ("VIEW_3D", "UI", ()),
    "v3d_tools": ("VIEW_3D", "TOOLS", ()),
    "v3d_header": ("VIEW_3D", "HEADER", ()),
    "v3d_camera": ("VIEW_3D", "WINDOW", ("view_camera",)),
    "v3d_lock": ("VIEW_3D", "WINDOW", ("lock_object",)),
    "v3d_local": ("VIEW_3D", "WINDOW", ("local_view",)),
    "image": ("IMAGE_EDITOR", "WINDOW", ("image", "show_image")),
    "image_file": ("IMAGE_EDITOR", "WINDOW", ("image_file", "show_image")),
    "image_ui": ("IMAGE_EDITOR", "UI", ("image", "show_image")),
    "image_empty": ("IMAGE_EDITOR", "WINDOW", ()),
    "image_tiled": ("IMAGE_EDITOR", "WINDOW", ("image_tiled", "show_image")),
    "image_render": ("IMAGE_EDITOR", "WINDOW", ("render_result", "show_image")),
    "image_modified": ("IMAGE_EDITOR", "WINDOW", ("image_file", "image_modified", "show_image")),
    "image_mask": ("IMAGE_EDITOR", "WINDOW", ("mask", "show_mask")),
    "uv": ("UV", "WINDOW", ("image", "show_image")),
    "uv_empty": ("UV", "WINDOW", ()),
    "shader": ("ShaderNodeTree", "WINDOW", ("material", "pin_material")),
    "shader_nodes": ("ShaderNodeTree", "WINDOW", ("material", "select_nodes", "pin_material")),
    "shader_world": ("ShaderNodeTree", "WINDOW", ("world",)),
    "geometry": ("GeometryNodeTree", "WINDOW", ("geometry_nodes", "show_geometry_nodes")),
    "geometry_ui": ("GeometryNodeTree", "UI", ("geometry_nodes", "show_geometry_nodes")),
    "geometry_bake": ("GeometryNodeTree", "WINDOW", ("geometry_nodes", "node_bake", "show_geometry_nodes")),
    "geometry_capture": ("GeometryNodeTree", "WINDOW", ("geometry_nodes", "node_capture", "show_geometry_nodes")),
    "geometry_menu_switch": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_menu_switch", "show_geometry_nodes"),
    ),
    "geometry_index_switch": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_index_switch", "show_geometry_nodes"),
    ),
    "geometry_repeat_zone": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_repeat_zone", "show_geometry_nodes"),
    ),
    "geometry_foreach_zone": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_foreach_zone", "show_geometry_nodes"),
    ),
    "geometry_closure_zone": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_closure_zone", "show_geometry_nodes"),
    ),
    "geometry_evaluate_closure": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_evaluate_closure", "show_geometry_nodes"),
    ),
    "geometry_combine_bundle": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_combine_bundle", "show_geometry_nodes"),
    ),
    "geometry_separate_bundle": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_separate_bundle", "show_geometry_nodes"),
    ),
    "geometry_format_string": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_format_string", "show_geometry_nodes"),
    ),
    "geometry_simulation_zone": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_simulation_zone", "show_geometry_nodes"),
    ),
    "geometry_panel": ("GeometryNodeTree", "WINDOW", ("geometry_nodes", "node_group_panel", "show_geometry_nodes")),
    "compositor": ("CompositorNodeTree", "WINDOW", ("compositor", "show_compositor")),
    "texture_nodes": ("TextureNodeTree", "WINDOW", ("texture_nodes", "show_texture_nodes")),
    "sequencer": ("SEQUENCE_EDITOR", "WINDOW", ("strips",)),
    "sequencer_channels": ("SEQUENCE_EDITOR", "CHANNELS", ("strips",)),
    "sequencer_preview": ("SEQUENCE_EDITOR", "PREVIEW", ("strips", "sequencer_both")),
    "sequencer_preview_only": ("SEQUENCE_EDITOR", "WINDOW", ("strips", "sequencer_preview")),
    "sequencer_empty": ("SEQUENCE_EDITOR", "WINDOW", ()),
    "sequencer_image": ("SEQUENCE_EDITOR", "WINDOW", ("image_strip",)),
    "sequencer_sound": ("SEQUENCE_EDITOR", "WINDOW", ("sound_strips",)),
    "sequencer_scene": ("SEQUENCE_EDITOR", "WINDOW", ("scene_strip",)),
    "sequencer_text": ("SEQUENCE_EDITOR", "WINDOW", ("text_strip",)),
    "sequencer_text_preview": ("SEQUENCE_EDITOR", "PREVIEW", ("text_strip", "sequencer_both")),
    "sequencer_effect": ("SEQUENCE_EDITOR", "WINDOW", ("effect_strip",)),
    "sequencer_text_preview_only": ("SEQUENCE_EDITOR", "PREVIEW", ("text_strip", "sequencer_preview")),
    "sequencer_text_editing": ("SEQUENCE_EDITOR", "PREVIEW", ("text_strip", "sequencer_preview", "text_editing")),
    "sequencer_image_preview": ("SEQUENCE_EDITOR", "PREVIEW", ("image_strip", "sequencer_both")),
    "clip": ("CLIP_EDITOR", "WINDOW", ("movie_clip", "show_clip")),
    "clip_ui": ("CLIP_EDITOR", "UI", ("movie_clip", "show_clip")),
    "clip_tools": ("CLIP_EDITOR", "TOOLS", ("movie_clip", "show_clip")),
    "clip_channels": ("CLIP_EDITOR", "CHANNELS", ("movie_clip", "show_clip", "clip_dopesheet")),
    "clip_graph": ("CLIP_EDITOR", "WINDOW", ("movie_clip", "show_clip", "clip_graph")),
    "clip_dopesheet": ("CLIP_EDITOR", "WINDOW", ("movie_clip", "show_clip", "clip_dopesheet")),
    "clip_mask": ("CLIP_EDITOR", "WINDOW", ("movie_clip", "show_clip", "mask", "show_mask")),
    "clip_empty": ("CLIP_EDITOR", "WINDOW", ()),
    "dopesheet": ("DOPESHEET", "WINDOW", ("keyframes",)),
    "dopesheet_channels": ("DOPESHEET", "CHANNELS", ("keyframes",)),
    "action": ("DOPESHEET", "WINDOW", ("keyframes", "dopesheet_action")),
    "action_channels": ("DOPESHEET", "CHANNELS", ("keyframes", "dopesheet_action")),
    "shapekey_editor": ("DOPESHEET", "WINDOW", ("shape_keys", "dopesheet_shapekey")),
    "dopesheet_gpencil": ("DOPESHEET", "WINDOW", ("dopesheet_gpencil",)),
    "dopesheet_gpencil_channels": ("DOPESHEET", "CHANNELS", ("dopesheet_gpencil",)),
    "dopesheet_mask": ("DOPESHEET", "WINDOW", ("mask", "dopesheet_mask")),
    "timeline": ("TIMELINE", "WINDOW", ("keyframes",)),
    "timeline_markers": ("TIMELINE", "WINDOW", ("markers",)),
    "dopesheet_markers": ("DOPESHEET", "WINDOW", ("markers",)),
    "graph": ("FCURVES", "WINDOW", ("keyframes",)),
    "graph_channels": ("FCURVES", "CHANNELS", ("keyframes",)),
    "graph_ui": ("FCURVES", "UI", ("keyframes",)),
    "drivers": ("DRIVERS", "WINDOW", ("driver",)),
    "drivers_channels": ("DRIVERS", "CHANNELS", ("driver",)),
    "drivers_ui": ("DRIVERS", "UI", ("driver",)),
    "nla": ("NLA_EDITOR", "WINDOW", ("nla_strip",)),
    "nla_channels": ("NLA_EDITOR", "CHANNELS", ("nla_strip",)),
    "nla_ui": ("NLA_EDITOR", "UI", ("nla_strip",)),
    "text": ("TEXT_EDITOR", "WINDOW", ("text", "show_text")),
    "text_empty": ("TEXT_EDITOR", "WINDOW", ()),
    "text_ui": ("TEXT_EDITOR", "UI", ("text", "show_text")),
    "console": ("CONSOLE", "WINDOW", ()),
    "info": ("INFO", "WINDOW", ()),
    "outliner": ("OUTLINER", "WINDOW", ()),
    "outliner_orphans": ("OUTLINER", "WINDOW", ("outliner_orphans",)),
    "outliner_libraries": ("OUTLINER", "WINDOW", ("outliner_libraries",)),
    "outliner_data_api": ("OUTLINER", "WINDOW", ("outliner_data_api",)),
    "outliner_overrides": ("OUTLINER", "WINDOW", ("outliner_overrides",)),
    "outliner_sequencer": ("OUTLINER", "WINDOW", ("strips", "outliner_sequencer")),
    "properties": ("PROPERTIES", "WINDOW", ()),
    "properties_object": ("PROPERTIES", "WINDOW", ("properties_object",)),
    "properties_modifier": ("PROPERTIES", "WINDOW", ("properties_modifier",)),
    "properties_physics": ("PROPERTIES", "WINDOW", ("properties_physics",)),
    "properties_texture": ("PROPERTIES", "WINDOW", ("texture_nodes", "properties_texture", "ctx_texture")),
    "files": ("FILES", "WINDOW", ()),
    "assets": ("ASSETS", "WINDOW", ()),
    "spreadsheet": ("SPREADSHEET", "WINDOW", ()),
    "preferences": ("PREFERENCES", "WINDOW", ()),
    "properties_color_ramp": ("PROPERTIES", "WINDOW", ("color_ramp", "ctx_color_ramp")),
    "preferences_theme": ("PREFERENCES", "WINDOW", ("custom_theme",)),
    "preferences_keyconfig": ("PREFERENCES", "WINDOW", ("keyconfig_preset",)),
    "sequencer_text_rendered": (
        "SEQUENCE_EDITOR",
        "PREVIEW",
        ("text_strip", "text_strip_rendered", "sequencer_preview"),
    ),
    "sequencer_text_editing_rendered": (
        "SEQUENCE_EDITOR",
        "PREVIEW",
        ("text_strip", "text_strip_rendered", "sequencer_preview", "text_editing"),
    ),
    "sequencer_multicam": ("SEQUENCE_EDITOR", "WINDOW", ("multicam_strip",)),
    "image_paint": ("IMAGE_EDITOR", "WINDOW", ("image", "show_image", "image_paint_mode")),
    "image_paint_tool": ("IMAGE_EDITOR", "WINDOW", ("image_paint_mode", "brush_tool")),
    "image_sidebar": ("IMAGE_EDITOR", "UI", ()),
    "image_sidebar_filter": ("IMAGE_EDITOR", "UI", ("region_filter_started",)),
    "v3d_brush_tool": ("VIEW_3D", "WINDOW", ("brush_tool",)),
    "v3d_annotation_frame": ("VIEW_3D", "WINDOW", ("annotation_active_frame",)),
    "v3d_gp_clipboard": ("VIEW_3D", "WINDOW", ("gp_clipboard",)),
    "action_markers": ("DOPESHEET", "WINDOW", ("keyframes", "markers", "dopesheet_action")),
    "action_nla": ("DOPESHEET", "WINDOW", ("nla_strip", "dopesheet_action")),
    "action_nla_tweak": ("DOPESHEET", "WINDOW", ("nla_strip", "nla_tweak", "dopesheet_action")),
    "nla_tweak_entered": ("NLA_EDITOR", "WINDOW", ("nla_strip", "nla_tweak_enter")),
    "v3d_orientation": ("VIEW_3D", "WINDOW", ("custom_orientation",)),
    "v3d_ruler": ("VIEW_3D", "WINDOW", ("ruler_tool",)),
    "geometry_panel_bool": ("GeometryNodeTree", "WINDOW", ("geometry_nodes", "node_panel_bool", "show_geometry_nodes")),
    "geometry_panel_toggle": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "node_panel_toggle", "show_geometry_nodes"),
    ),
    "geometry_group_entered": (
        "GeometryNodeTree",
        "WINDOW",
        ("geometry_nodes", "show_geometry_nodes", "enter_node_group"),
    ),
    "geometry_tool": ("GeometryNodeTree", "WINDOW", ("geometry_tool_context",)),
    "shader_gltf": ("ShaderNodeTree", "WINDOW", ("material", "gltf_settings_node_ui", "pin_material")),
    "shader_osl": ("ShaderNodeTree", "WINDOW", ("material", "osl_script_node", "pin_material")),
    "text_osl": ("TEXT_EDITOR", "WINDOW", ("material", "osl_script_node", "show_osl_text")),
    "text_file_changed": ("TEXT_EDITOR", "WINDOW", ("text_file_changed", "show_text")),
    "clip_dopesheet_preview": ("CLIP_EDITOR", "PREVIEW", ("movie_clip", "show_clip", "clip_dopesheet")),
    "clip_tracking_object": ("CLIP_EDITOR", "WINDOW", ("movie_clip", "tracking_object", "show_clip")),
    "clip_plane_track": ("CLIP_EDITOR", "WINDOW", ("movie_clip", "show_clip", "plane_track")),
    "clip_plane_track_image": (
        "CLIP_EDITOR",
        "WINDOW",
        ("movie_clip", "show_clip", "plane_track", "plane_track_image"),
    ),
    "clip_copied_tracks": ("CLIP_EDITOR", "WINDOW", ("movie_clip", "show_clip", "copied_tracks")),
    "clip_solved": ("CLIP_EDITOR", "WINDOW", ("movie_clip", "show_clip", "solved_camera")),
    "image_mask_copied": ("IMAGE_EDITOR", "WINDOW", ("mask", "show_mask", "copied_splines")),
    "console_selection": ("CONSOLE", "WINDOW", ("console_selection",)),
    "geometry_socket": ("GeometryNodeTree", "WINDOW", ("geometry_nodes", "show_geometry_nodes", "ctx_socket")),
    "properties_compositor": ("PROPERTIES", "WINDOW", ("compositor", "properties_compositor")),
    "properties_strip_modifier": ("PROPERTIES", "WINDOW", ("strips", "properties_strip_modifier")),
}

# Steps that act on ``obj``: a recipe with one of them and no object step gets an active mesh.
NEEDS_OBJECT = {
    "lock_object",
    "ctx_animated_id",
    "camera_background",
    "keyframes",
    "driver",
    "nla_strip",
    "shape_keys",
    "vertex_group",
    "modifier",
    "constraint",
    "material",
    "particle_system",
    "rigid_body",
    "cloth",
    "geometry_nodes",
    "pin_material",
    "select_nodes",
    "second_selected",
    "ctx_point_cache",
    "ctx_id",
    "ctx_modifier",
    "ctx_constraint",
    "ctx_material",
    "ctx_particle",
    "gp_modifier",
    "ctx_material_slot",
    "pose_asset_active",
    "id_preview",
    "curves_surface",
    "gp_breakdown_frame",
    "gp_layer_masks",
    "gp_layer_group",
    "gp_curve_edit",
    "particle_shape_object",
    "ctx_gp_modifier",
    "custom_camera",
    "ctx_light",
    "ctx_nla_strip",
    "action_constraint_slot",
    "legacy_action",
    "osl_script_node",
    "object_motion_path",
    "ctx_camera",
}

# Steps whose effect outlives the factory reset between recipes (Blender's clipboards; an open project, measured on
# 5.3.0): minimizing never drops them, or a reused sweep worker could record a paste operator as passing without its
# copy step (a project operator without the project step).
OUTLIVES_RESET = {"copied_tracks", "copied_splines", "gp_clipboard", "project"}
# Steps that make what the sweep's empty scene has but a user's file (and a fresh session's default scene) has not:
# minimizing never drops them, or the recorded context would pass in the sweep only (the fresh-process verification
# caught collection.importer_add recorded with no step: its poll wants an empty active collection).
MATCHES_EMPTY_SCENE = {"empty_collection"}


def object_contexts(version: tuple[int, ...]) -> dict[str, ObjectContext]:
    gp_modes = (
        ("EDIT", "PAINT_GREASE_PENCIL", "SCULPT_GREASE_PENCIL", "WEIGHT_GREASE_PENCIL", "VERTEX_GREASE_PENCIL")
        if version >= (4, 3, 0)
        else ("EDIT_GPENCIL", "PAINT_GPENCIL", "SCULPT_GPENCIL", "WEIGHT_GPENCIL", "VERTEX_GPENCIL")
    )
    gp_object = "active_grease_pencil" if version >= (4, 3, 0) else "active_grease_pencil_legacy"
    contexts: dict[str, ObjectContext] = {
        "mesh": ("OBJECT", ("active_mesh",)),
        "nothing": ("OBJECT", ()),
        "mesh_edit": ("EDIT", ("active_mesh",)),
        "mesh_two": ("OBJECT", ("active_mesh", "second_selected")),
        "mesh_edit_vgroup": ("EDIT", ("active_mesh", "vertex_group")),
        "mesh_edit_vgroup_assigned": ("EDIT", ("active_mesh", "vertex_group_assigned")),
        "mesh_edit_bool": ("EDIT", ("active_mesh", "bool_attribute")),
        "mesh_edit_skin": ("EDIT", ("active_mesh", "skin_data")),
        "mesh_sculpt_mask": ("OBJECT", ("active_mesh", "sculpt_mask")),
        "mesh_vpaint_vgroup_assigned": ("VERTEX_PAINT", ("active_mesh", "vertex_group_assigned")),
        "armature_solo": ("OBJECT", ("active_armature", "bone_collection_solo")),
        "mesh_edit_shapes": ("EDIT", ("active_mesh", "shape_keys")),
        "mesh_edit_two": ("EDIT", ("active_mesh", "second_selected")),
        "mesh_vgroup": ("OBJECT", ("active_mesh", "vertex_group")),
        "mesh_shapes": ("OBJECT", ("active_mesh", "shape_keys")),
        "mesh_modifier": ("OBJECT", ("active_mesh", "modifier", "ctx_modifier")),
        "mesh_gn": ("OBJECT", ("active_mesh", "geometry_nodes")),
        "mesh_constraint": ("OBJECT", ("active_mesh", "constraint", "ctx_constraint")),
        "mesh_material": ("OBJECT", ("active_mesh", "material")),
        "mesh_particles": ("OBJECT", ("active_mesh", "particle_system", "ctx_particle")),
        "mesh_rigid": ("OBJECT", ("active_mesh", "rigid_body")),
        "mesh_two_rigid": ("OBJECT", ("active_mesh", "rigid_body", "second_selected")),
        "mesh_cloth": ("OBJECT", ("active_mesh", "cloth", "ctx_point_cache")),
        "mesh_keys": ("OBJECT", ("active_mesh", "keyframes")),
        "mesh_undo": ("OBJECT", ("active_mesh", "undo_initialized")),
        "mesh_saved": ("OBJECT", ("active_mesh", "saved_file")),
        "mesh_sculpt": ("SCULPT", ("active_mesh",)),
        "mesh_vpaint": ("VERTEX_PAINT", ("active_mesh",)),
        "mesh_wpaint": ("WEIGHT_PAINT", ("active_mesh", "vertex_group")),
        "mesh_wpaint_face": ("WEIGHT_PAINT", ("active_mesh", "vertex_group", "paint_mask_face")),
        "mesh_wpaint_vert": ("WEIGHT_PAINT", ("active_mesh", "vertex_group", "paint_mask_vert")),
        "mesh_vpaint_face": ("VERTEX_PAINT", ("active_mesh", "paint_mask_face")),
        "mesh_vpaint_vert": ("VERTEX_PAINT", ("active_mesh", "paint_mask_vert")),
        "mesh_vpaint_vgroup": ("VERTEX_PAINT", ("active_mesh", "vertex_group")),
        "mesh_asset": ("OBJECT", ("active_mesh", "asset_marked", "ctx_selected_ids")),
        "mesh_ids": ("OBJECT", ("active_mesh", "ctx_selected_ids")),
        "mesh_keying_set": ("OBJECT", ("active_mesh", "keying_set")),
        "mesh_keys_animid": ("OBJECT", ("active_mesh", "keyframes", "ctx_animated_id")),
        "mesh_animid": ("OBJECT", ("active_mesh", "ctx_animated_id")),
        "undo_done": ("OBJECT", ("undo_done",)),
        "annotations": ("OBJECT", ("annotation",)),
        "render_views": ("OBJECT", ("render_views",)),
        "freestyle": ("OBJECT", ("freestyle_module", "ctx_freestyle_module")),
        "mesh_rigid_constraint": ("OBJECT", ("active_mesh", "rigid_body_constraint")),
        "mesh_nla_tweak": ("OBJECT", ("active_mesh", "nla_strip", "nla_tweak")),
        "mesh_pose_marker": ("OBJECT", ("active_mesh", "keyframes", "pose_marker")),
        "mesh_sculpt_dyntopo": ("SCULPT", ("active_mesh", "dyntopo")),
        "mesh_wpaint_armature": ("WEIGHT_PAINT", ("active_mesh", "vertex_group", "armature_deform")),
        "camera_background": ("OBJECT", ("active_camera", "camera_background")),
        "undo_steps": ("OBJECT", ("undo_steps",)),
        "scenes_two": ("OBJECT", ("second_scene",)),
        "view_layers_two": ("OBJECT", ("second_view_layer",)),
        "camera_view": ("OBJECT", ("active_camera", "scene_camera")),
        "armature_pose_sets": ("POSE", ("active_armature", "selection_set")),
        "mesh_tpaint": ("TEXTURE_PAINT", ("active_mesh",)),
        "mesh_tpaint_image": ("TEXTURE_PAINT", ("active_mesh", "image")),
        "hair_edit": ("PARTICLE_EDIT", ("mesh_with_hair",)),
        "mesh_hair": ("OBJECT", ("mesh_with_hair", "ctx_particle")),
        "curve": ("OBJECT", ("active_curve",)),
        "curve_edit": ("EDIT", ("active_curve",)),
        "surface_edit": ("EDIT", ("active_surface",)),
        "text_obj": ("OBJECT", ("active_text",)),
        "text_edit": ("EDIT", ("active_text",)),
        "armature": ("OBJECT", ("active_armature",)),
        "armature_edit": ("EDIT", ("active_armature",)),
        "armature_pose": ("POSE", ("active_armature",)),
        "armature_pose_keys": ("POSE", ("active_armature", "keyframes")),
        "lattice_edit": ("EDIT", ("active_lattice",)),
        "metaball_edit": ("EDIT", ("active_metaball",)),
        "camera": ("OBJECT", ("active_camera",)),
        "light": ("OBJECT", ("active_light",)),
        "empty": ("OBJECT", ("active_empty",)),
        "speaker": ("OBJECT", ("active_speaker",)),
        "light_probe": ("OBJECT", ("active_light_probe",)),
        "volume": ("OBJECT", ("active_volume",)),
        "curves": ("OBJECT", ("active_curves",)),
        "curves_edit": ("EDIT", ("active_curves",)),
        "curves_sculpt": ("SCULPT_CURVES", ("active_curves",)),
        "pointcloud": ("OBJECT", ("active_pointcloud",)),
        "pointcloud_edit": ("EDIT", ("active_pointcloud",)),
        "pointcloud_edit_attribute": ("EDIT", ("active_pointcloud", "bool_attribute_edit")),
        "gp": ("OBJECT", (gp_object,)),
        "gp_modifier": ("OBJECT", (gp_object, "gp_modifier", "ctx_modifier")),
        "gp_edit": (gp_modes[0], (gp_object,)),
        "gp_paint": (gp_modes[1], (gp_object,)),
        "gp_sculpt": (gp_modes[2], (gp_object,)),
        "gp_weight": (gp_modes[3], (gp_object,)),
        "gp_weight_vgroup": (gp_modes[3], (gp_object, "vertex_group")),
        "gp_edit_vgroup": (gp_modes[0], (gp_object, "vertex_group")),
        "gp_vertex": (gp_modes[4], (gp_object,)),
        "markers": ("OBJECT", ("markers",)),
        "undo": ("OBJECT", ("undo_initialized",)),
        "saved": ("OBJECT", ("saved_file",)),
        "world": ("OBJECT", ("world", "ctx_world")),
        "mesh_material_slot": ("OBJECT", ("active_mesh", "material", "ctx_material_slot")),
        "armature_action_id": ("OBJECT", ("active_armature", "ctx_action_id")),
        "armature_pose_asset": ("POSE", ("active_armature", "pose_asset_active")),
        "linked": ("OBJECT", ("active_linked_object",)),
        "override": ("OBJECT", ("active_override_object",)),
        "override_id": ("OBJECT", ("active_override_object", "ctx_id")),
        "mesh_preview": ("OBJECT", ("active_mesh", "id_preview", "ctx_id")),
        "mesh_redo": ("OBJECT", ("active_mesh", "redo_last_operator")),
        "collection_exporter": ("OBJECT", ("collection_exporter",)),
        "collection_importer": ("OBJECT", ("collection_importer",)),
        "collection_empty": ("OBJECT", ("empty_collection",)),
        "mesh_face_sets": ("OBJECT", ("active_mesh", "face_sets")),
        "custom_keyconfig": ("OBJECT", ("custom_keyconfig", "ctx_keymap")),
        "ext_repo_local": ("OBJECT", ("local_extensions_repo", "ctx_extension_repo")),
        "ext_repo_locked": ("OBJECT", ("local_extensions_repo", "extensions_repo_locked")),
        "online_access": ("OBJECT", ("online_access",)),
        "mesh_sculpt_brush_asset": ("SCULPT", ("active_mesh", "brush_asset_user_library")),
        "mesh_tpaint_stencil": ("TEXTURE_PAINT", ("active_mesh", "brush_stencil")),
        "mesh_sculpt_curve_stroke": ("SCULPT", ("active_mesh", "brush_curve_stroke")),
        "mesh_tpaint_clone": ("TEXTURE_PAINT", ("active_mesh", "clone_brush")),
        "mesh_sculpt_dyntopo_constant": ("SCULPT", ("active_mesh", "dyntopo", "dyntopo_constant_detail")),
        "mesh_edit_bool_active": ("EDIT", ("active_mesh", "bool_attribute_edit")),
        "curves_surface": ("OBJECT", ("active_curves", "curves_surface")),
        "curves_edit_attribute": ("EDIT", ("active_curves", "bool_attribute_edit")),
        "curves_sculpt_density": ("SCULPT_CURVES", ("active_curves", "curves_surface", "curves_density_brush")),
        "hair_edit_shape": ("PARTICLE_EDIT", ("mesh_with_hair", "particle_shape_object")),
        "image_empty_object": ("OBJECT", ("active_image_empty",)),
        "gp_breakdown": (gp_modes[0], (gp_object, "gp_breakdown_frame")),
        "gp_weight_rig": (gp_modes[3], (gp_object, "armature_in_scene")),
        "gp_vertex_mask": (gp_modes[4], (gp_object, "gp_vertex_select_mask")),
        "world_volume": ("OBJECT", ("world_volume",)),
        "light_ctx": ("OBJECT", ("active_light", "ctx_light")),
        "armature_pose_two_sets": ("POSE", ("active_armature", "selection_set", "second_selection_set")),
        "mesh_motion_path": ("OBJECT", ("active_mesh", "keyframes", "object_motion_path")),
        "armature_pose_motion_path": ("POSE", ("active_armature", "bone_motion_path")),
        "mesh_legacy_action": ("OBJECT", ("active_mesh", "legacy_action")),
        "mesh_action_constraint": ("OBJECT", ("active_mesh", "action_constraint_slot", "ctx_constraint")),
        "mesh_nla_strip_ctx": ("OBJECT", ("active_mesh", "nla_strip", "ctx_nla_strip")),
        "texture_slot": ("OBJECT", ("ctx_texture_slot",)),
        "camera_background_ctx": ("OBJECT", ("active_camera", "camera_background", "ctx_camera")),
        "camera_custom": ("OBJECT", ("active_camera", "custom_camera")),
    }
    if version >= (5, 2, 0):  # the VR add-on's location scouting (its operators are not in 5.0)
        contexts["vr_capture"] = ("OBJECT", ("vr_capture",))
    if version >= (5, 3, 0):  # Blender projects
        contexts["project"] = ("OBJECT", ("project",))
        contexts["project_variable"] = ("OBJECT", ("project", "project_variable"))
        contexts["project_splash"] = ("OBJECT", ("project", "project_splash_image"))
        contexts["project_library"] = ("OBJECT", ("project", "project_asset_library"))
    if version >= (4, 3, 0):
        contexts["gp_masks"] = ("OBJECT", ("active_grease_pencil", "gp_layer_masks"))
        contexts["gp_layer_group"] = ("OBJECT", ("active_grease_pencil", "gp_layer_group"))
    else:
        contexts["pointcloud_experimental"] = ("OBJECT", ("experimental_pointcloud",))
        contexts["gp_edit_curve"] = ("EDIT_GPENCIL", ("active_grease_pencil_legacy", "gp_curve_edit"))
        contexts["gp_modifier_two"] = (
            "OBJECT",
            ("active_grease_pencil_legacy", "gp_modifier", "second_selected", "ctx_gp_modifier"),
        )
    if version < (4, 3, 0):
        # 4.2's new Grease Pencil (v3) is experimental; its operators need the preference switched on.
        contexts["gp3"] = ("OBJECT", ("experimental_gpv3", "active_grease_pencil"))
        for suffix, mode in zip(
            ("edit", "paint", "sculpt", "weight", "vertex"),
            # 4.2's v3 objects use the v2 mode names for everything but Edit Mode
            ("EDIT", "PAINT_GPENCIL", "SCULPT_GPENCIL", "WEIGHT_GPENCIL", "VERTEX_GPENCIL"),
            strict=True,
        ):
            contexts[f"gp3_{suffix}"] = (mode, ("experimental_gpv3", "active_grease_pencil"))
    return contexts


# Group -> (editors to try first, object contexts to try first). "*" editors: every editor afterwards.
_MESHY = ["mesh", "mesh_edit"]
AFFINITY: dict[str, tuple[list[str], list[str]]] = {
    "action": (
        [
            "action",
            "dopesheet",
            "action_channels",
            "dopesheet_channels",
            "action_markers",
            "action_nla",
            "action_nla_tweak",
        ],
        ["mesh_keys", "mesh", "armature_pose_keys", "mesh_pose_marker"],
    ),
    "anim": (
        [
            "dopesheet_channels",
            "dopesheet",
            "action_channels",
            "graph_channels",
            "nla_channels",
            "v3d",
            "drivers_channels",
            "properties",
            "timeline",
            "none",
        ],
        [
            "mesh_keys",
            "mesh",
            "armature_pose_keys",
            "mesh_shapes",
            "mesh_keying_set",
            "mesh_keys_animid",
            "mesh_animid",
            "mesh_legacy_action",
            "mesh_action_constraint",
            "mesh_nla_strip_ctx",
        ],
    ),
    "graph": (
        ["graph", "graph_channels", "graph_ui", "drivers", "drivers_ui", "drivers_channels"],
        ["mesh_keys", "mesh"],
    ),
    "nla": (["nla", "nla_channels", "nla_ui", "nla_tweak_entered"], ["mesh_keys", "mesh", "mesh_nla_tweak"]),
    "marker": (["timeline_markers", "dopesheet_markers", "sequencer", "graph", "nla", "clip"], ["markers", "mesh"]),
    "node": (
        [
            "shader_nodes",
            "shader",
            "geometry",
            "compositor",
            "texture_nodes",
            "geometry_ui",
            "shader_world",
            "geometry_panel",
            "geometry_bake",
            "geometry_capture",
            "geometry_menu_switch",
            "geometry_index_switch",
            "geometry_repeat_zone",
            "geometry_simulation_zone",
            "geometry_foreach_zone",
            "geometry_closure_zone",
            "geometry_evaluate_closure",
            "geometry_combine_bundle",
            "geometry_separate_bundle",
            "geometry_format_string",
            "geometry_panel_bool",
            "geometry_panel_toggle",
            "geometry_group_entered",
            "geometry_tool",
            "shader_gltf",
            "shader_osl",
            "geometry_socket",
        ],
        ["mesh", "mesh_gn", "world", "nothing"],
    ),
    "sequencer": (
        [
            "sequencer",
            "sequencer_preview",
            "sequencer_preview_only",
            "sequencer_channels",
            "sequencer_empty",
            "sequencer_image",
            "sequencer_sound",
            "sequencer_scene",
            "sequencer_text",
            "sequencer_text_preview",
            "sequencer_effect",
            "sequencer_image_preview",
            "sequencer_text_preview_only",
            "sequencer_text_editing",
            "sequencer_text_rendered",
            "sequencer_text_editing_rendered",
            "sequencer_multicam",
            "properties_strip_modifier",
        ],
        ["nothing", "mesh"],
    ),
    "clip": (
        [
            "clip",
            "clip_graph",
            "clip_dopesheet",
            "clip_channels",
            "clip_ui",
            "clip_tools",
            "clip_empty",
            "clip_dopesheet_preview",
            "clip_tracking_object",
            "clip_plane_track",
            "clip_plane_track_image",
            "clip_copied_tracks",
            "clip_solved",
        ],
        ["nothing", "mesh", "camera"],
    ),
    "mask": (["clip_mask", "image_mask", "dopesheet_mask", "image_mask_copied"], ["nothing"]),
    "image": (
        [
            "image",
            "image_file",
            "image_empty",
            "uv",
            "image_ui",
            "image_tiled",
            "image_render",
            "image_modified",
            "v3d",
        ],
        ["nothing", "mesh_edit", "mesh_tpaint", "image_empty_object"],
    ),
    "uv": (["uv", "uv_empty", "image", "v3d"], ["mesh_edit", "mesh"]),
    "mesh": (
        ["v3d"],
        [
            "mesh_edit",
            "mesh_edit_vgroup",
            "mesh_edit_shapes",
            "mesh_edit_two",
            "mesh",
            "mesh_edit_vgroup_assigned",
            "mesh_edit_bool",
            "mesh_edit_skin",
            "mesh_sculpt_mask",
            "mesh_edit_bool_active",
            "mesh_face_sets",
        ],
    ),
    "object": (
        ["v3d", "properties_object", "properties_modifier", "properties_physics", "outliner", "none"],
        [
            "mesh",
            "mesh_two",
            "mesh_edit",
            "mesh_modifier",
            "mesh_constraint",
            "mesh_vgroup",
            "mesh_shapes",
            "mesh_particles",
            "mesh_gn",
            "mesh_material",
            "mesh_keys",
            "mesh_hair",
            "gp",
            "gp_modifier",
            "armature",
            "armature_pose",
            "armature_edit",
            "curve",
            "empty",
            "camera",
            "light",
            "nothing",
            "linked",
            "override",
            "gp_modifier_two",
            "pointcloud_experimental",
            "mesh_motion_path",
            "camera_custom",
        ],
    ),
    "view3d": (
        ["v3d", "v3d_ui", "v3d_tools", "v3d_header", "v3d_camera", "v3d_lock", "v3d_local", "none", "v3d_ruler"],
        [
            "mesh",
            "nothing",
            "mesh_edit",
            "camera",
            "camera_view",
            "camera_background",
            "mesh_two",
            "armature_pose",
            "curve_edit",
            "empty",
            "camera_background_ctx",
            "vr_capture",
        ],
    ),
    "pose": (
        ["v3d"],
        [
            "armature_pose",
            "armature_pose_keys",
            "armature_pose_sets",
            "armature_pose_two_sets",
            "armature_pose_motion_path",
        ],
    ),
    "poselib": (["v3d", "action"], ["armature_pose_keys", "armature_pose", "armature_pose_asset"]),
    "armature": (["v3d", "properties"], ["armature_edit", "armature_pose", "armature_solo"]),
    "curve": (["v3d"], ["curve_edit", "surface_edit", "curve"]),
    "font": (["v3d", "text"], ["text_edit", "text_obj"]),
    "lattice": (["v3d"], ["lattice_edit"]),
    "mball": (["v3d"], ["metaball_edit"]),
    "sculpt": (["v3d"], ["mesh_sculpt", "mesh", "mesh_edit", "mesh_sculpt_dyntopo", "mesh_sculpt_dyntopo_constant"]),
    "sculpt_curves": (["v3d"], ["curves_sculpt", "curves_edit", "curves_sculpt_density"]),
    "curves": (["v3d"], ["curves_edit", "curves_sculpt", "curves", "curves_surface", "curves_edit_attribute"]),
    "pointcloud": (["v3d"], ["pointcloud_edit", "pointcloud", "pointcloud_edit_attribute"]),
    "paint": (
        ["v3d", "image", "image_paint", "image_paint_tool"],
        [
            "mesh_tpaint",
            "mesh_vpaint",
            "mesh_wpaint",
            "mesh_sculpt",
            "mesh_tpaint_image",
            "mesh_wpaint_face",
            "mesh_wpaint_vert",
            "mesh_vpaint_face",
            "mesh_vpaint_vert",
            "mesh_vpaint_vgroup",
            "mesh_vpaint_vgroup_assigned",
            "gp_paint",
            "curves_sculpt",
            "mesh_wpaint_armature",
            "mesh_tpaint_clone",
        ],
    ),
    "paintcurve": (["v3d"], ["mesh_sculpt", "mesh_tpaint", "mesh_sculpt_curve_stroke"]),
    "brush": (
        ["v3d", "image"],
        [
            "mesh_sculpt",
            "mesh_tpaint",
            "mesh_vpaint",
            "mesh_wpaint",
            "gp_paint",
            "mesh_sculpt_brush_asset",
            "mesh_tpaint_stencil",
        ],
    ),
    "palette": (["v3d", "image"], ["mesh_tpaint", "mesh_vpaint", "gp_paint", "gp_vertex"]),
    "particle": (["v3d", "properties_physics"], ["hair_edit", "mesh_particles", "mesh_hair", "hair_edit_shape"]),
    "grease_pencil": (
        ["v3d", "dopesheet_gpencil", "dopesheet_gpencil_channels", "v3d_brush_tool", "v3d_gp_clipboard"],
        [
            "gp_edit",
            "gp_paint",
            "gp_sculpt",
            "gp_weight",
            "gp_vertex",
            "gp",
            "gp_modifier",
            "gp_weight_vgroup",
            "gp_edit_vgroup",
            "gp3_edit",
            "gp3_paint",
            "gp3_sculpt",
            "gp3_weight",
            "gp3_vertex",
            "gp3",
            "gp_breakdown",
            "gp_masks",
            "gp_layer_group",
            "image_empty_object",
        ],
    ),
    "gpencil": (
        ["v3d", "dopesheet_gpencil", "dopesheet_gpencil_channels", "v3d_annotation_frame", "v3d_gp_clipboard"],
        [
            "gp_edit",
            "gp_paint",
            "gp_sculpt",
            "gp_weight",
            "gp_vertex",
            "gp",
            "gp_modifier",
            "gp_edit_vgroup",
            "gp_weight_vgroup",
            "annotations",
            "nothing",
            "gp_breakdown",
            "gp_weight_rig",
            "gp_vertex_mask",
            "gp_edit_curve",
            "image_empty_object",
        ],
    ),
    "text": (["text", "text_empty", "text_ui", "text_osl", "text_file_changed"], ["nothing", "mesh"]),
    "console": (["console", "console_selection"], ["nothing"]),
    "info": (["info"], ["nothing"]),
    "outliner": (
        [
            "outliner",
            "outliner_orphans",
            "outliner_libraries",
            "outliner_data_api",
            "outliner_overrides",
            "outliner_sequencer",
        ],
        ["mesh", "nothing"],
    ),
    "file": (["files", "assets"], ["nothing"]),
    "asset": (
        ["assets", "files", "v3d", "properties", "outliner"],
        ["mesh", "nothing", "mesh_saved", "saved", "mesh_ids", "mesh_asset", "armature_action_id"],
    ),
    "spreadsheet": (["spreadsheet"], ["mesh", "mesh_edit", "nothing"]),
    "preferences": (["preferences"], ["nothing", "custom_keyconfig"]),
    "buttons": (["properties", "properties_texture", "properties_object"], ["mesh", "nothing"]),
    "screen": (
        ["v3d", "dopesheet", "graph", "properties", "v3d_header", "v3d_ui", "v3d_tools"],
        ["mesh", "nothing", "mesh_keys", "markers", "mesh_redo"],
    ),
    "view2d": (
        ["graph", "dopesheet", "sequencer", "nla", "timeline", "clip_graph", "image", "shader"],
        ["mesh_keys", "nothing"],
    ),
    "transform": (
        ["v3d", "graph", "dopesheet", "sequencer", "uv", "shader_nodes", "nla", "clip", "v3d_orientation"],
        ["mesh_edit", "mesh", "mesh_keys", "nothing"],
    ),
    "ed": (
        ["none", "v3d", "outliner"],
        [
            "undo",
            "undo_steps",
            "undo_done",
            "mesh_undo",
            "mesh_edit",
            "mesh_ids",
            "mesh_asset",
            "override_id",
            "mesh_preview",
            "mesh_redo",
        ],
    ),
    "rigidbody": (
        ["v3d", "properties_physics"],
        ["mesh_rigid", "mesh_two_rigid", "mesh", "mesh_two", "mesh_rigid_constraint"],
    ),
    "ptcache": (["properties_physics", "v3d"], ["mesh_cloth"]),
    "constraint": (["properties", "v3d"], ["mesh_constraint"]),
    "geometry": (["v3d", "properties"], ["mesh", "mesh_edit"]),
    "texture": (["properties_texture", "none"], ["mesh", "nothing", "texture_slot"]),
    "world": (["properties", "shader_world", "none"], ["world", "nothing", "world_volume"]),
    "scene": (
        ["properties", "v3d", "none", "sequencer", "properties_compositor"],
        ["mesh", "nothing", "saved", "undo", "scenes_two", "view_layers_two", "render_views", "freestyle"],
    ),
    "sound": (["sequencer", "none"], ["nothing", "speaker"]),
    "export_anim": (["v3d", "none"], ["mesh_keys"]),
    "wm": (
        ["none", "v3d", "files", "properties", "preferences_theme", "preferences_keyconfig"],
        ["nothing", "mesh", "saved", "undo"],
    ),
    "ui": (
        ["v3d", "none", "properties_color_ramp", "properties", "v3d_camera"],
        ["mesh", "nothing", "mesh_material_slot", "camera_view"],
    ),
    "collection": (
        ["v3d", "none", "properties"],
        ["collection_empty", "mesh", "nothing", "collection_exporter", "collection_importer"],
    ),
    "extensions": (
        ["v3d", "none", "preferences"],
        ["mesh", "nothing", "ext_repo_local", "ext_repo_locked", "online_access"],
    ),
    "cycles": (["v3d", "none", "properties"], ["mesh", "nothing", "light_ctx"]),
    "project": (["none"], ["project", "project_variable", "project_splash", "project_library"]),
    # not an operator group: the operators of OPERATOR_GROUPS below
    "sidebar_tabs": (["image_sidebar", "image_sidebar_filter"], ["nothing"]),
}

# Operators that try another group's likely recipes than their own (group_of).
OPERATOR_GROUPS = {
    # Their polls read the region's type (does this sidebar search its tabs?) and crash in the factory 3D Viewport
    # headless (measured on 5.3.0); "ui" tries the 3D Viewport first, and after an operator's third crash the sweep
    # polls it no more. In an Image Editor that the recipe opens, the sidebar's type is read without a crash.
    "ui.region_start_filter": "sidebar_tabs",
    "ui.region_clear_filter": "sidebar_tabs",
}


def group_of(op: str) -> str:
    """The AFFINITY group whose recipes an operator tries first: its own (the part before the dot) by default."""
    return OPERATOR_GROUPS.get(op, op.split(".")[0])


# After the likely ones, each operator tries these object contexts in every editor (then every remaining pair).
CORE_OBJECT_CONTEXTS = ["mesh", "nothing", "mesh_edit", "mesh_keys", "mesh_two"]


def _merge(editor: Editor, context: ObjectContext) -> dict[str, Any]:
    ui_type, region, editor_steps = editor
    mode, object_steps = context
    steps = list(dict.fromkeys(object_steps + editor_steps))
    has_object = any(step.startswith(("active_", "mesh_with", "no_active")) for step in steps)
    if not has_object and (mode != "OBJECT" or NEEDS_OBJECT.intersection(steps)):
        steps.insert(0, "active_mesh")
    return {"ui_type": ui_type, "region": region, "mode": mode, "setup": steps}


def global_order(version: tuple[int, ...]) -> list[dict[str, Any]]:
    """What the operators still unresolved after their group's recipes try, all together: every editor with the
    core object contexts, then the 3D Viewport and the Properties editor with every object context."""
    contexts = object_contexts(version)
    order = [(e, c) for e in EDITORS for c in CORE_OBJECT_CONTEXTS]
    order += [(e, c) for e in ("v3d", "properties", "v3d_ui", "outliner") for c in contexts]
    return _unique(order, contexts)


def _unique(order: list[tuple[str, str]], contexts: dict[str, ObjectContext]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    result = []
    for editor_name, context_name in order:
        recipe = _merge(EDITORS[editor_name], contexts[context_name])
        key = recipe_key(recipe)
        if key not in seen:
            seen.add(key)
            result.append(recipe)
    return result


def recipe_key(recipe: dict[str, Any]) -> str:
    return f"{recipe['ui_type']}|{recipe['region']}|{recipe['mode']}|{','.join(recipe['setup'])}"


def candidates(group: str, version: tuple[int, ...]) -> list[dict[str, Any]]:
    """The likely recipes of an operator group, most likely first, without duplicates."""
    contexts = object_contexts(version)
    editors_first, contexts_first = AFFINITY.get(group, (["v3d", "none"], ["mesh", "nothing"]))
    contexts_first = [name for name in contexts_first if name in contexts]
    order: list[tuple[str, str]] = [(e, c) for e in editors_first for c in contexts_first]
    order += [(e, c) for e in editors_first for c in CORE_OBJECT_CONTEXTS]
    return _unique(order, contexts)


def simpler(recipe: dict[str, Any]) -> list[dict[str, Any]]:
    """Variants with one thing less: a setup step dropped, Object Mode instead of another, the main region, no editor.

    Minimizing a passing recipe with these (while poll still passes) leaves only what the operator was observed to
    need, so the explanation never names a requirement nobody saw fail without it.
    """
    variants = []
    needs_object = recipe["mode"] != "OBJECT" or bool(NEEDS_OBJECT.intersection(recipe["setup"]))
    for name in recipe["setup"]:
        if needs_object and name.startswith(("active_", "mesh_with")):
            continue  # the other steps or the mode act on this object
        if name in OUTLIVES_RESET:
            continue  # a reused worker's clipboard could make it look unneeded
        if name in MATCHES_EMPTY_SCENE:
            continue  # the sweep's empty scene would make it look unneeded
        variants.append(dict(recipe, setup=[s for s in recipe["setup"] if s != name]))
    if recipe["mode"] != "OBJECT":
        variants.append(dict(recipe, mode="OBJECT"))
    if recipe["ui_type"] and recipe["region"] != "WINDOW":
        variants.append(dict(recipe, region="WINDOW"))
    if recipe["ui_type"] and not OUTLIVES_RESET.intersection(recipe["setup"]):
        # No editor at all: many polls only look at the mode or the data; then no editor is "needed".
        setup = [name for name in recipe["setup"] if STEPS[name].phase != "space"]
        variants.append(dict(recipe, ui_type=None, region="WINDOW", setup=setup))
    return variants
