"""Registers every class, menu entry and command of the extension, in order, and unregisters in reverse.

Errors are never swallowed: a class that fails to register raises, after what was registered is undone.
"""

from __future__ import annotations

import bpy

from . import cli, kb_builder, operators, panels, preferences, probe_child, properties, runner

classes: tuple[type, ...] = (
    *properties.classes,
    preferences.GotchaDoctorPreferences,
    *operators.classes,
    *panels.classes,
)

_cli_handle = None


def register() -> None:
    global _cli_handle
    registered: list[type] = []
    try:
        for cls in classes:
            bpy.utils.register_class(cls)
            registered.append(cls)
    except Exception:
        for cls in reversed(registered):
            bpy.utils.unregister_class(cls)
        raise
    properties.register()
    panels.register_menus()
    runner.register_handlers()
    _cli_handle = bpy.utils.register_cli_command("gotcha_doctor", cli.command)


def unregister() -> None:
    global _cli_handle
    if _cli_handle is not None:
        bpy.utils.unregister_cli_command(_cli_handle)
        _cli_handle = None
    runner.unregister_handlers()
    probe_child.shutdown()  # the poll explainer's warm child process, if one was started
    kb_builder.shutdown()  # a poll knowledge base build still running
    panels.unregister_menus()
    properties.unregister()
    for cls in reversed(classes):
        bpy.utils.unregister_class(cls)
