"""The session checks against a real extension, built and installed like a user's: threads, held references,
handlers and timers. Every finding is asserted exactly: check, topic, severity, owner, what is held."""

from __future__ import annotations

import threading

import bpy
import live_addons
import pytest
from blender_scenes import add_object, save_as, triangle_mesh

OWNER = live_addons.MODULE


def scan(checks: str) -> list[dict]:
    assert bpy.ops.gotcha.scan(checks=checks) == {"FINISHED"}
    state = bpy.context.window_manager.gotcha_doctor
    gd = __import__("blender_scenes").extension()
    return gd.runner.report_from_state(state)["findings"]


def remember(name: str = "Keeper"):
    obj = add_object(name, triangle_mesh(name + "Mesh"))
    bpy.context.view_layer.objects.active = obj
    assert bpy.ops.live.remember() == {"FINISHED"}
    return obj


def of_owner(findings: list[dict], owner: str = OWNER) -> list[dict]:
    return [f for f in findings if f["details"].get("owner") == owner]


def test_threads_and_pending_timer_are_attributed_to_the_extension(live_addon):
    findings = scan("threads")
    assert len(findings) == 2, findings
    by_name = {f["details"]["thread_name"]: f for f in findings}
    poller, later = by_name["live-poller"], by_name["live-later"]
    for finding in (poller, later):
        assert (finding["check"], finding["topic"], finding["severity"]) == ("threads", "threading", "WARNING")
        assert finding["details"]["owner"] == OWNER and finding["details"]["owner_kind"] == "extension"
    assert poller["details"]["function"] == "poll_loop"
    assert poller["details"]["module"] == OWNER + ".worker"
    assert poller["details"]["attributed_by"] == "target"
    assert poller["details"]["timer"] is False and poller["details"]["daemon"] is True
    assert poller["details"]["defined_at"].endswith("live_gotchas/worker.py:4")
    assert poller["details"]["running_at"].split(":")[0].endswith(("worker.py", "threading.py"))
    assert 'extension "live_gotchas" (repository user_default) left a thread "live-poller"' in poller["message"]
    assert later["details"]["timer"] is True and later["details"]["timer_pending"] is True
    assert later["details"]["timer_interval"] == 3600.0 and later["details"]["function"] == "later"
    assert 'a threading.Timer "live-later" that will call later after 3600 s' in later["message"]


def test_held_object_in_global_and_class_attribute(live_addon):
    remember("Keeper")
    findings = of_owner(scan("held_references"))
    by_variable = {f["details"]["variable"]: f for f in findings}
    assert sorted(by_variable) == ["LIVE_OT_remember.last", "REMEMBERED"]
    glob, klass = by_variable["REMEMBERED"], by_variable["LIVE_OT_remember.last"]
    for finding, where in ((glob, "module global"), (klass, "class attribute")):
        assert (finding["check"], finding["topic"], finding["severity"]) == (
            "held_references",
            "undo-invalidation",
            "WARNING",
        )
        assert (finding["id_type"], finding["id_name"], finding["library"]) == ("OBJECT", "Keeper", None)
        assert finding["details"]["owner_kind"] == "extension" and finding["details"]["module"] == OWNER
        assert finding["details"]["where"] == where
        assert finding["details"]["held"] == [
            {"kind": "ID", "type": "Object", "id_type": "OBJECT", "name": "Keeper", "library": None, "removed": False}
        ]
    assert glob["details"]["paths"] == ["REMEMBERED['active'][0]"]
    assert klass["details"]["paths"] == ["LIVE_OT_remember.last"]
    assert glob["message"].startswith(
        'extension "live_gotchas" (repository user_default) keeps Object "Keeper" in the module global '
        "REMEMBERED['active'][0]"
    )


def test_held_references_progress_moves_while_walking_one_big_variable(live_addon):
    """One big list takes several slices to walk: the progress moves within it (by the visits counted, as far as the
    list's own share of the work), so the panel's bar never stands still while it is walked."""
    import sys

    gd = __import__("blender_scenes").extension()
    module = sys.modules[OWNER]
    module.BIG_TABLE = [[index] for index in range(20_000)]  # 40,000 visits: 80 ticks of the walk
    try:
        fractions = [
            item.fraction
            for item in gd.checks.held_references.run(bpy.data, bpy.context)
            if isinstance(item, gd.core.findings.Progress)
        ]
    finally:
        del module.BIG_TABLE
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    # The list is most of the work: shown as one step, the bar would jump by most of the check's share at its end.
    assert max(after - before for before, after in zip(fractions, fractions[1:], strict=False)) < 0.05


def test_removed_object_still_held_is_reported_as_removed(live_addon):
    obj = remember("Doomed")
    bpy.data.objects.remove(obj)
    findings = of_owner(scan("held_references"))
    assert len(findings) == 2
    for finding in findings:
        assert finding["details"]["held"] == [
            {"kind": "ID", "type": "Object", "id_type": None, "name": None, "library": None, "removed": True}
        ]
        assert finding["id_name"] is None
        assert "a removed Object (reading it raises ReferenceError)" in finding["message"]


def test_handler_closure_timer_closure_and_non_persistent_handler(live_addon):
    remember("Watched")
    findings = of_owner(scan("handlers_timers"))
    assert len(findings) == 3, findings
    kinds = {(f["severity"], f["details"].get("registered_as", "not-persistent")): f for f in findings}
    handler = kinds[("WARNING", "handler")]
    timer = kinds[("WARNING", "timer")]
    info = kinds[("INFO", "not-persistent")]
    for finding in (handler, timer):
        assert (finding["check"], finding["topic"]) == ("handlers_timers", "undo-invalidation")
        assert finding["id_name"] == "Watched" and finding["details"]["paths"] == ["closure variable obj"]
        assert finding["details"]["held"][0]["name"] == "Watched"
    assert handler["details"]["function"] == "make_watcher.<locals>.on_depsgraph"
    assert handler["details"]["handler_list"] == "depsgraph_update_post"
    assert timer["details"]["function"] == "make_timer.<locals>.tick"
    assert (info["topic"], info["details"]["handler_list"], info["details"]["persistent"]) == (
        "undo-invalidation",
        "depsgraph_update_post",
        False,
    )
    assert "is not persistent: Blender removes it when a file loads" in info["message"]


def test_script_namespace_keeps_sub_data(live_addon):
    """A Text run once (``__main__``, code file ``file.blend/Text``) whose handler keeps its namespace alive."""
    obj = add_object("Scripted", triangle_mesh("ScriptedMesh"))
    source = (
        "import bpy\n"
        "obj = bpy.data.objects['Scripted']\n"
        "verts = obj.data.vertices\n"
        "first = verts[0]\n"
        "where = obj.location\n"
        "@bpy.app.handlers.persistent\n"
        "def on_frame(scene, depsgraph=None):\n"
        "    pass\n"
        "bpy.app.handlers.frame_change_post.append(on_frame)\n"
    )
    namespace = {"__name__": "__main__"}
    exec(compile(source, "/project/shot.blend/Text", "exec"), namespace)  # what Text > Run Script does
    try:
        findings = [f for f in scan("held_references") if f["details"]["owner_kind"] == "script"]
        by_variable = {f["details"]["variable"]: f for f in findings if "shot.blend/Text" in f["details"]["module"]}
        assert sorted(by_variable) == ["first", "obj", "verts", "where"]
        assert by_variable["obj"]["topic"] == "undo-invalidation" and by_variable["obj"]["id_name"] == "Scripted"
        assert by_variable["verts"]["details"]["held"] == [{"kind": "collection", "type": "bpy_prop_collection"}]
        assert by_variable["first"]["details"]["held"] == [{"kind": "sub-data", "type": "MeshVertex"}]
        assert by_variable["where"]["details"]["held"] == [{"kind": "wrapped value", "type": "Vector"}]
        for variable in ("verts", "first", "where"):
            assert by_variable[variable]["topic"] == "stale-reference"
            assert by_variable[variable]["severity"] == "WARNING"
    finally:
        bpy.app.handlers.frame_change_post.remove(namespace["on_frame"])
    assert obj.name == "Scripted"


def test_scan_leaves_threads_handlers_and_timers_alone(live_addon):
    remember("Untouched")
    handlers_before = {
        name: list(getattr(bpy.app.handlers, name))
        for name in dir(bpy.app.handlers)
        if type(getattr(bpy.app.handlers, name)) is list
    }
    threads_before = set(threading.enumerate())
    module = __import__("sys").modules[OWNER]
    assert bpy.ops.gotcha.scan() == {"FINISHED"}
    handlers_after = {name: list(getattr(bpy.app.handlers, name)) for name in handlers_before}
    assert all(
        len(handlers_after[name]) == len(before)
        and all(a is b for a, b in zip(handlers_after[name], before, strict=True))
        for name, before in handlers_before.items()
    )
    assert set(threading.enumerate()) == threads_before
    assert bpy.app.timers.is_registered(module.TIMER)
    assert module._THREADS["thread"].is_alive() and not module._THREADS["timer"].finished.is_set()


@pytest.mark.parametrize("length", [300])
def test_names_at_the_limit(length):
    limit = 63 if bpy.app.version < (5, 0, 0) else 255  # 63 bytes before 5.0, 255 from 5.0
    cut = bpy.data.objects.new("x" * length, None)
    assert len(cut.name) == limit  # Blender cut it
    # Two-byte characters: 4.x keeps 31 of them (62 bytes), 5.x keeps 127 (254 bytes); both are one byte short.
    accented = bpy.data.materials.new("é" * length)
    assert len(accented.name.encode()) == limit - 1
    fine = bpy.data.meshes.new("m" * (limit - 10))
    findings = scan("name_limits")
    by_type = {f["id_type"]: f for f in findings}
    assert sorted(by_type) == ["MATERIAL", "OBJECT"], findings
    at_limit, near = by_type["OBJECT"], by_type["MATERIAL"]
    assert (at_limit["check"], at_limit["topic"], at_limit["severity"]) == (
        "name_limits",
        "data-name-limits",
        "WARNING",
    )
    assert at_limit["id_name"] == "x" * limit
    assert at_limit["details"] == {"name_bytes": limit, "limit_bytes": limit, "state": "at-limit"}
    assert f"fills the {limit}-byte name limit of Blender {bpy.app.version_string} exactly" in at_limit["message"]
    assert (near["severity"], near["details"]["state"], near["details"]["name_bytes"]) == (
        "INFO",
        "near-limit-multibyte",
        limit - 1,
    )
    assert fine.name == "m" * (limit - 10)


def test_addon_code_through_the_linter(live_addon):
    """The extension's installed source, linted in a child process: an update callback calling an operator, an
    operator changing data without UNDO, sys.exit()."""
    findings = of_owner(scan("addon_code"))
    by_rule = {f["details"]["rule"]: f for f in findings}
    assert sorted(by_rule) == ["GD115", "GD140", "GD200"], findings
    expected = {
        "GD200": ("rna-callback-abuse", "WARNING", 61),
        "GD115": ("undo-missing-step", "WARNING", 48),
        "GD140": ("sys-exit", "ERROR", 65),
    }
    for rule, (topic, severity, line) in expected.items():
        finding = by_rule[rule]
        assert (finding["check"], finding["topic"], finding["severity"]) == ("addon_code", topic, severity)
        assert finding["details"]["file"].endswith("user_default/live_gotchas/__init__.py")
        assert (finding["details"]["line"], finding["details"]["module"]) == (line, OWNER)
        assert finding["message"].startswith('extension "live_gotchas" (repository user_default), ')
    assert "the property update callback `on_level` calls bpy.ops.object.select_all()" in by_rule["GD200"]["message"]
    assert "operator `LIVE_OT_nudge` changes Blender data" in by_rule["GD115"]["message"]
    # A second scan answers from the per-file cache: the same findings.
    assert of_owner(scan("addon_code")) == findings
    # Gotcha Doctor's own files are not the user's code: never linted in the session.
    gd = __import__("blender_scenes").extension()
    files = gd.checks.addon_code.addon_module_files(bpy.context)
    assert any(owner.module == OWNER for _file, owner, _module in files)
    assert not any(module == gd.__name__ or module.startswith(gd.__name__ + ".") for _file, _owner, module in files)


def test_session_checks_on_the_command_line(tmp_path):
    """The real launcher in a fresh process: every session check runs; the file's cut name is found, nothing fails
    (the command line's own session has no add-on of the user's, and the file's library is unchanged)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    from blender_scenes import link_objects, write_library

    library = write_library(tmp_path / "lib.blend", ["Oak"])
    save_as(tmp_path / "main.blend")
    link_objects(library, ["Oak"])
    bpy.data.objects.new("L" * 300, None).use_fake_user = True
    blend = save_as(tmp_path / "main.blend")
    out = tmp_path / "report.json"
    checks = "name_limits,threads,held_references,handlers_timers,addon_code,library_data_modified"
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve().parents[2] / "tools" / "gotcha_cli.py"), "scan", str(blend)]
        + ["--checks", checks, "--json", str(out), "--fail-on", "warning"],
        capture_output=True,
        timeout=300,
        env={k: v for k, v in os.environ.items() if k != "BLENDER_USER_RESOURCES"},
    )
    assert done.returncode == 1, done.stderr.decode(errors="replace")
    findings = json.loads(out.read_text("utf-8"))["findings"]
    limit = 63 if bpy.app.version < (5, 0, 0) else 255
    assert [(f["check"], f["topic"], f["severity"], f["id_name"]) for f in findings] == [
        ("name_limits", "data-name-limits", "WARNING", "L" * limit)
    ]
    assert "[name_limits / data-name-limits] Object" in done.stdout.decode()
