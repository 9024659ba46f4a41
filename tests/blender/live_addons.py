"""Real extensions for the session checks' tests: written to a temp folder, built into a zip with Blender's own
extension tool and installed with ``extensions.package_install_files`` into the ``user_default`` repository (which
lives under the tests' temporary BLENDER_USER_RESOURCES).

``live_gotchas`` does what the Gotchas pages warn about: on register it starts a polling thread (code in its
``worker`` sub-module) and a pending ``threading.Timer``, and keeps its custom icons (``bpy.utils.previews``) in
a module global, as Blender's template does (no gotcha); its operator ``live.remember`` keeps the active Object in a
module global, a class attribute, a non-persistent handler's closure and a timer function's closure; a property's
``update=`` callback calls an operator; an operator changes data without ``UNDO``; a helper calls ``sys.exit``.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import bpy

EXTENSION_ID = "live_gotchas"
MODULE = f"bl_ext.user_default.{EXTENSION_ID}"

MANIFEST = """\
schema_version = "1.0.0"
id = "{id}"
version = "1.0.0"
name = "{id}"
tagline = "Test add-on for Gotcha Doctor's session checks"
maintainer = "Gotcha Doctor tests"
type = "add-on"
blender_version_min = "4.2.0"
license = ["SPDX:GPL-3.0-or-later"]
"""

WORKER = """\
import time


def poll_loop(stop):
    while not stop.wait(0.05):
        time.sleep(0)


def later():
    pass
"""

INIT = '''\
import sys
import threading

import bpy
import bpy.utils.previews

from . import worker

REMEMBERED = {}
_THREADS = {}
PREVIEWS = {}  # custom icons, kept the documented way: not a held reference


def make_watcher(obj):
    def on_depsgraph(scene, depsgraph):
        obj.location  # the closure keeps the Object
    return on_depsgraph


def make_timer(obj):
    def tick():
        obj.name
        return 3600.0
    return tick


TIMER = None


class LIVE_OT_remember(bpy.types.Operator):
    """Keep the active object around (the gotcha)"""

    bl_idname = "live.remember"
    bl_label = "Remember Active Object"
    last = None

    def execute(self, context):
        global TIMER
        obj = context.active_object
        REMEMBERED["active"] = [obj]
        LIVE_OT_remember.last = obj
        bpy.app.handlers.depsgraph_update_post.append(make_watcher(obj))
        TIMER = make_timer(obj)
        bpy.app.timers.register(TIMER, first_interval=3600.0)
        return {"FINISHED"}


class LIVE_OT_nudge(bpy.types.Operator):
    """Moves the active object, without an undo step"""

    bl_idname = "live.nudge"
    bl_label = "Nudge"
    bl_options = {"REGISTER"}

    def execute(self, context):
        context.active_object.location.x += 1.0
        return {"FINISHED"}


def on_level(self, context):
    bpy.ops.object.select_all(action="DESELECT")


def quit_now():
    sys.exit(1)


def register():
    icons = bpy.utils.previews.new()
    icons.new("live")
    PREVIEWS["icons"] = icons
    bpy.utils.register_class(LIVE_OT_remember)
    bpy.utils.register_class(LIVE_OT_nudge)
    bpy.types.Scene.live_level = bpy.props.IntProperty(update=on_level)
    stop = threading.Event()
    thread = threading.Thread(target=worker.poll_loop, args=(stop,), name="live-poller", daemon=True)
    timer = threading.Timer(3600.0, worker.later)
    timer.name = "live-later"
    timer.daemon = True
    _THREADS.update(stop=stop, thread=thread, timer=timer)
    thread.start()
    timer.start()


def unregister():
    for icons in PREVIEWS.values():
        bpy.utils.previews.remove(icons)
    PREVIEWS.clear()
    _THREADS["stop"].set()
    _THREADS["timer"].cancel()
    _THREADS["thread"].join(5)
    _THREADS["timer"].join(5)
    if TIMER is not None and bpy.app.timers.is_registered(TIMER):
        bpy.app.timers.unregister(TIMER)
    for handlers in (bpy.app.handlers.depsgraph_update_post,):
        for function in list(handlers):
            if getattr(function, "__module__", "") == __name__:
                handlers.remove(function)
    del bpy.types.Scene.live_level
    bpy.utils.unregister_class(LIVE_OT_nudge)
    bpy.utils.unregister_class(LIVE_OT_remember)
'''


def write_source(folder: Path, extension_id: str = EXTENSION_ID, files: dict[str, str] | None = None) -> Path:
    source = folder / extension_id
    source.mkdir(parents=True)
    (source / "blender_manifest.toml").write_text(MANIFEST.format(id=extension_id), encoding="utf-8")
    for name, text in (files or {"__init__.py": INIT, "worker.py": WORKER}).items():
        (source / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return source


def build_and_install(folder: Path, extension_id: str = EXTENSION_ID, files: dict[str, str] | None = None) -> str:
    """Builds the extension's zip with Blender's tool, installs and enables it; returns its module name."""
    import bl_pkg

    source = write_source(folder, extension_id, files)
    out = folder / "dist"
    out.mkdir(exist_ok=True)
    assert bl_pkg.cli_extension(["build", "--source-dir", str(source), "--output-dir", str(out)]) in (0, None)
    (zip_path,) = [out / name for name in os.listdir(out) if name.startswith(extension_id + "-")]
    result = bpy.ops.extensions.package_install_files(
        filepath=str(zip_path), repo="user_default", enable_on_install=True
    )
    assert result == {"FINISHED"}, result
    module = f"bl_ext.user_default.{extension_id}"
    assert module in bpy.context.preferences.addons, f"{module} was not enabled"
    return module


def uninstall(extension_id: str = EXTENSION_ID) -> None:
    import addon_utils

    module = f"bl_ext.user_default.{extension_id}"
    addon_utils.disable(module, default_set=True)
    repos = bpy.context.preferences.extensions.repos
    index = next(i for i, repo in enumerate(repos) if repo.module == "user_default")
    bpy.ops.extensions.package_uninstall(repo_index=index, pkg_id=extension_id)
    assert module not in sys.modules or module not in bpy.context.preferences.addons
