"""Many files with real Blender workers: the command line over a tree of real .blend files (good, compressed,
truncated, not a .blend, non-UTF-8 names, a backup, a symlink loop), the batch JSON / SARIF / JUnit, the cache, and
real worker processes killed by a signal or a timeout."""

import base64
import gzip
import importlib
import json
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import bpy
from blender_scenes import add_object, file_image, link_objects, linked_twins, save_as, touch, write_library

REPO = Path(__file__).resolve().parents[2]
LAUNCHER = [sys.executable, str(REPO / "tools" / "gotcha_cli.py")]


def run_cli(*args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "BLENDER_USER_RESOURCES"}
    env["GOTCHA_DOCTOR_SCAN_CACHE"] = str(cache)
    return subprocess.run([*LAUNCHER, *args], capture_output=True, timeout=300, env=env)


def build_tree(root: Path) -> dict[str, Path]:
    """A small asset tree; returns the files by role."""
    files = {}
    linked_twins(root / "sets", ["Oak"])  # sets/main.blend: one name collision (WARNING); sets/lib.blend: clean
    files["collision"] = save_as(root / "sets" / "main.blend")
    files["lib"] = root / "sets" / "lib.blend"
    bpy.ops.wm.read_homefile(use_empty=True)
    file_image("wood.png", "//textures/wood.png")
    add_object("Cube")
    files["missing_image"] = save_as(root / "shots" / "missing.blend")
    bpy.ops.wm.save_as_mainfile(filepath=str(root / "shots" / "packed.blend"), compress=True)
    files["compressed"] = root / "shots" / "packed.blend"
    data = files["missing_image"].read_bytes()
    files["truncated"] = root / "shots" / "truncated.blend"
    files["truncated"].write_bytes(data[: len(data) // 3])
    files["junk"] = root / "junk.blend"
    files["junk"].write_bytes(b"not a blend file\n")
    files["odd_name"] = Path(os.fsdecode(bytes(root) + b"/caf\xe9.blend"))
    files["odd_name"].write_bytes(data)
    (root / "shots" / "missing.blend1").write_bytes(data)  # a backup: never scanned
    (root / "sets" / "loop").symlink_to(root, target_is_directory=True)
    bpy.ops.wm.read_homefile(use_empty=True)
    return files


def test_a_tree_scans_with_a_worker_pool_into_every_format_then_from_the_cache(tmp_path):
    tree = tmp_path / "tree"
    files = build_tree(tree)
    before = sorted(os.fsencode(p) for p in tree.rglob("*") if "loop" not in p.parts)
    cache = tmp_path / "cache"
    outputs = [str(tmp_path / name) for name in ("batch.json", "scan.sarif", "junit.xml")]
    result = run_cli(
        "scan",
        str(tree),
        "--jobs",
        "2",
        "--json",
        outputs[0],
        "--sarif",
        outputs[1],
        "--junit",
        outputs[2],
        cache=cache,
    )
    stdout = result.stdout.decode("utf-8", "replace")
    assert result.returncode == 1, stdout + result.stderr.decode()  # missing image (ERROR), unreadable files
    assert "Traceback" not in stdout + result.stderr.decode()
    batch = json.loads(Path(outputs[0]).read_text("utf-8"))
    assert batch["schema"] == "gotcha-doctor/batch/1" and batch["blender_version"] == bpy.app.version_string
    entries = {e["blend_file"]: e for e in batch["files"]}
    readable_odd = str(tree) + "/caf\\xe9.blend"
    assert sorted(entries) == sorted(
        [str(files[k]) for k in ("collision", "lib", "missing_image", "compressed", "truncated", "junk")]
        + [readable_odd]
    )
    status = {k: entries[str(files[k])]["status"] for k in files if k != "odd_name"}
    assert status == {
        "collision": "ok",
        "lib": "ok",
        "missing_image": "ok",
        "compressed": "ok",
        "truncated": "unreadable",
        "junk": "unreadable",
    }
    odd = entries[readable_odd]
    assert odd["status"] == "ok" and base64.b64decode(odd["blend_file_base64"]) == os.fsencode(files["odd_name"])
    collision = entries[str(files["collision"])]["report"]["findings"]
    assert [(f["check"], f["severity"], f["id_type"], f["id_name"]) for f in collision] == [
        ("library_name_collisions", "WARNING", "OBJECT", "Oak")
    ]
    for key in ("missing_image", "compressed"):
        found = entries[str(files[key])]["report"]["findings"]
        assert [(f["check"], f["severity"], f["id_name"]) for f in found if f["severity"] == "ERROR"] == [
            ("relative_paths", "ERROR", "wood.png")
        ]
    assert entries[str(files["junk"])]["error"] == "File format is not supported"  # Blender's reason, without the path
    assert "\n" not in entries[str(files["truncated"])]["error"]
    summary = batch["summary"]
    assert (summary["files"], summary["ok"], summary["unreadable"], summary["crashed"], summary["timeout"]) == (
        7,
        5,
        2,
        0,
        0,
    )
    assert summary["cached"] == 0 and summary["findings"]["WARNING"] >= 1
    sarif = json.loads(Path(outputs[1]).read_text("utf-8"))
    rule_ids = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"library_name_collisions", "relative_paths", "file-not-scanned"} <= rule_ids
    junit = ET.parse(outputs[2]).getroot()
    assert (junit.get("tests"), junit.get("errors")) == ("7", "2")
    # Nothing was written beside the scanned files.
    assert sorted(os.fsencode(p) for p in tree.rglob("*") if "loop" not in p.parts) == before
    # Second run: nothing changed, nothing is opened; the same findings.
    again = run_cli("scan", str(tree), "--jobs", "2", "--json", outputs[0], cache=cache)
    assert again.returncode == 1
    second = json.loads(Path(outputs[0]).read_text("utf-8"))
    assert second["summary"]["cached"] == 7
    assert [e["report"] for e in second["files"]] == [e["report"] for e in batch["files"]]
    # A changed file is scanned again; --no-cache scans all.
    bpy.ops.wm.open_mainfile(filepath=str(files["lib"]))
    add_object("Oak")  # now "Oak" and "Oak.001"... no collision, but the file changed
    save_as(files["lib"])
    third = run_cli("scan", str(tree), "--json", outputs[0], "--jobs", "1", cache=cache)
    assert json.loads(Path(outputs[0]).read_text("utf-8"))["summary"]["cached"] == 6, third.stdout
    run_cli("scan", str(tree), "--json", outputs[0], "--no-cache", "--jobs", "2", cache=cache)
    assert json.loads(Path(outputs[0]).read_text("utf-8"))["summary"]["cached"] == 0


def test_plain_progress_lines_when_not_a_terminal(tmp_path):
    tree = tmp_path / "tree"
    linked_twins(tree, ["Oak"])
    save_as(tree / "main.blend")
    result = run_cli("scan", str(tree), str(tree / "nope.blend"), "--jobs", "1", "--no-cache", cache=tmp_path / "c")
    lines = result.stdout.decode().splitlines()
    assert f"[1/3] unreadable {tree}/nope.blend: cannot open: no such file or folder" in lines
    assert any(line.endswith(f"ok {tree}/main.blend: 0 error, 1 warning, 0 info") for line in lines)
    assert lines[-1].startswith("3 files in ") and lines[-1].endswith(
        "2 ok, 1 unreadable, 0 crashed, 0 timeout; findings: 0 error, 1 warning, 0 info; 0 from the cache"
    )
    assert result.returncode == 1  # the missing file counts as an ERROR


def test_a_real_worker_killed_by_a_signal_or_out_of_time_is_reported(gd, tmp_path):
    pool = importlib.import_module(gd.__name__ + ".core.pool")
    linked_twins(tmp_path / "first", ["Oak"])  # a file with a finding, then a clean one in the same worker
    first = save_as(tmp_path / "first" / "main.blend")
    bpy.ops.wm.read_homefile(use_empty=True)
    add_object("Cube")
    blend = save_as(tmp_path / "a.blend")
    env = {k: v for k, v in os.environ.items() if k != "BLENDER_USER_RESOURCES"}
    env["TMPDIR"] = str(tmp_path)  # a worker killed here cannot remove its scratch folder: keep it in the test's
    config = pool.PoolConfig([*LAUNCHER, "worker"], jobs=1, timeout=120, env=env)
    worker = pool.Worker(config)
    try:
        worker.wait_ready(120)
        assert worker.blender_version == bpy.app.version_string
        worker.send(str(first))
        message = worker.read_message(120)
        assert [f["id_name"] for f in message["report"]["findings"]] == ["Oak"]
        worker.wait_ready(120)
        worker.send(str(blend))
        message = worker.read_message(120)
        # Nothing of the first file reached the second: its own path, no findings.
        assert message["status"] == "ok" and message["report"]["blend_file"] == str(blend)
        assert message["report"]["findings"] == []
        worker.wait_ready(120)
        os.kill(worker.process.pid, signal.SIGSEGV)
        worker.send(str(blend))
        try:
            worker.read_message(120)
        except pool.WorkerDied as died:
            assert died.returncode == -signal.SIGSEGV and str(died) == "killed by SIGSEGV"
        else:
            raise AssertionError("the killed worker answered")
    finally:
        worker.kill()
    # A timeout (1 us) far shorter than any answer: both tries are killed, the file is reported, the run ends.
    results, stats = pool.run_pool([str(blend)], pool.PoolConfig([*LAUNCHER, "worker"], timeout=1e-6, env=env))
    assert [(r.status, r.attempts, r.error) for r in results] == [
        ("timeout", 2, "no result after 1e-06 s (tried 2 times)")
    ]
    assert stats.workers_started == 2


def newer_version(data: bytes) -> tuple[bytes, str]:
    """The same file, its header saying a future Blender wrote it; and that version as Blender reads it."""
    if data.startswith(b"BLENDER17-01v"):  # the header from 5.0 on: BLENDER17-01v0500
        return data[:13] + b"9999" + data[17:], "99.99"
    return data[:9] + b"999" + data[12:], "9.99"  # the older header: BLENDER-v402 (or _v402)


def test_bad_input_each_gets_a_status_and_one_line_and_the_run_goes_on(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    bpy.ops.wm.read_homefile(use_empty=True)
    file_image("wood.png", "//textures/wood.png")  # missing: proves the file was really read
    data = save_as(tmp_path / "plain.blend").read_bytes()  # outside the tree: the source of the variants
    (tree / "gzipped.blend").write_bytes(gzip.compress(data))  # the compression older Blenders wrote, still read
    newer, newer_text = newer_version(data)
    (tree / "newer.blend").write_bytes(newer)
    (tree / "empty.blend").write_bytes(b"")
    os.mkfifo(tree / "pipe.blend")  # never opened (reading one blocks): skipped by the walk, refused by name
    odd = Path(os.fsdecode(bytes(tree) + b"/r\xe9sum\xe9"))
    odd.mkdir()
    (odd / "shot.blend").write_bytes(data)
    result = run_cli("scan", str(tree), str(tree / "pipe.blend"), "--jobs", "2", "--no-cache",
                     "--json", str(tmp_path / "b.json"), cache=tmp_path / "c")  # fmt: skip
    out = result.stdout.decode("utf-8", "replace")
    assert result.returncode == 1 and "Traceback" not in out + result.stderr.decode()
    entries = {Path(e["blend_file"]).name: e for e in json.loads((tmp_path / "b.json").read_text("utf-8"))["files"]}
    assert {name: (e["status"], e["error"]) for name, e in entries.items()} == {
        "empty.blend": ("unreadable", "the file is empty (0 bytes)"),
        "gzipped.blend": ("ok", None),
        "newer.blend": ("ok", None),
        "pipe.blend": ("unreadable", "cannot open: not a regular file (a pipe, socket or device)"),
        "shot.blend": ("ok", None),
    }
    for name in ("gzipped.blend", "newer.blend", "shot.blend"):
        found = entries[name]["report"]["findings"]
        assert [f["id_name"] for f in found if f["severity"] == "ERROR"] == ["wood.png"], name
    warning = (
        f"written by a newer Blender ({newer_text}.{bpy.app.version_file[2]}) than this one ({bpy.app.version_string}): data "
        "this version does not know is not read, so not scanned"
    )
    assert entries["newer.blend"]["warning"] == warning and "warning" not in entries["gzipped.blend"]
    assert f"ok {tree}/newer.blend: 1 error, 0 warning, 0 info; {warning}" in out
    assert [line for line in out.splitlines() if line.startswith("5 files in ")] != []


def test_a_file_whose_library_blender_cannot_read_is_scanned_and_the_library_named(tmp_path, gd, capsys):
    # Blender opens such a file with placeholders and raises an error about the library: the file is still scanned.
    for name in ("damaged", "future"):
        write_library(tmp_path / name / "props.blend", ["Chair"])
        save_as(tmp_path / name / "main.blend")
        link_objects(tmp_path / name / "props.blend", ["Chair"])
        bpy.ops.wm.save_mainfile()
    (tmp_path / "damaged" / "props.blend").write_bytes(b"BLENDER-v279" + bytes(100))
    (tmp_path / "future" / "props.blend").write_bytes(b"BLENDER17-01v9900" + bytes(100))  # the 5.0 header's form
    bpy.ops.wm.read_homefile(use_empty=True)
    major, minor = bpy.app.version[:2]
    why = {
        "damaged": "it is damaged or not a .blend file",
        "future": f"it was saved by Blender 99.0, newer than this Blender {major}.{minor}",
    }

    def library_findings(report: dict) -> list[tuple]:
        return [(f["check"], f["id_type"], f["id_name"], f["severity"], f["details"]["kind"], f["message"],
                 f["details"]["linked"]) for f in report["findings"] if f["id_type"] == "LIBRARY"]  # fmt: skip

    def expected(name: str) -> list[tuple]:
        lib = tmp_path / name / "props.blend"
        message = (
            f"Library file {lib} is there but Blender could not read it ({why[name]}): its linked datablock is an "
            'empty placeholder (Object "Chair")'
        )
        return [("relative_paths", "LIBRARY", "props.blend", "ERROR", "library_unreadable", message, ["OBJECT:Chair"])]

    # One file, in this process:
    out = tmp_path / "one.json"
    assert gd.cli.main(["scan", str(tmp_path / "damaged" / "main.blend"), "--json", str(out)]) == 1
    assert "cannot open" not in capsys.readouterr().err
    assert library_findings(json.loads(out.read_text("utf-8"))) == expected("damaged")
    # Many files, in worker processes:
    result = run_cli("scan", str(tmp_path / "damaged" / "main.blend"), str(tmp_path / "future" / "main.blend"),
                     "--no-cache", "--json", str(tmp_path / "b.json"), cache=tmp_path / "c")  # fmt: skip
    assert result.returncode == 1, result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    for entry in json.loads((tmp_path / "b.json").read_text("utf-8"))["files"]:
        name = Path(entry["blend_file"]).parent.name
        assert (entry["status"], entry["error"]) == ("ok", None), entry
        assert library_findings(entry["report"]) == expected(name)


def test_a_scanned_folder_is_the_project_root_when_nothing_marks_one(tmp_path, gd):
    """An asset library with no .git or catalog file: a prop's ``//../textures/wood.png`` stays inside the folder
    being scanned, so scanning the folder reports nothing; the same file scanned on its own has only its own folder
    as the root, and the climb is reported. A texture that leaves the scanned folder is reported either way."""
    library = tmp_path / "library"
    touch(library / "textures" / "wood.png")
    touch(tmp_path / "shared" / "metal.png")
    bpy.ops.wm.read_homefile(use_empty=True)
    file_image("wood.png", "//../textures/wood.png")
    file_image("metal.png", "//../../shared/metal.png")
    prop = save_as(library / "props" / "chair.blend")
    bpy.ops.wm.read_homefile(use_empty=True)

    def climbs(report: dict) -> list[tuple]:
        return sorted((f["id_name"], f["severity"], f["details"]["project_root"]) for f in report["findings"]
                      if f["details"].get("kind") == "climbs_above_root")  # fmt: skip

    result = run_cli("scan", str(library), "--no-cache", "--json", str(tmp_path / "tree.json"), cache=tmp_path / "c")
    assert result.returncode == 0, result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    (entry,) = json.loads((tmp_path / "tree.json").read_text("utf-8"))["files"]
    assert climbs(entry["report"]) == [("metal.png", "WARNING", str(library))]
    out = tmp_path / "one.json"
    assert gd.cli.main(["scan", str(prop), "--json", str(out)]) == 0
    assert climbs(json.loads(out.read_text("utf-8"))) == [
        ("metal.png", "WARNING", str(prop.parent)),
        ("wood.png", "WARNING", str(prop.parent)),
    ]
    # A folder whose name is not UTF-8 reaches the workers intact (as base64, like the files) and is the root too.
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/libr\xe9ry"))
    library.rename(odd)
    result = run_cli("scan", str(odd), "--json", str(tmp_path / "odd.json"), cache=tmp_path / "c")
    assert result.returncode == 0, result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    (entry,) = json.loads((tmp_path / "odd.json").read_text("utf-8"))["files"]
    (finding,) = [f for f in entry["report"]["findings"] if f["details"].get("kind") == "climbs_above_root"]
    assert finding["id_name"] == "metal.png"
    assert base64.b64decode(finding["details"]["project_root_base64"]) == bytes(tmp_path) + b"/libr\xe9ry"


def test_a_files_own_scripts_are_linted_by_default(tmp_path):
    """A Text datablock registered to run when the file is opened (with scripts allowed) calls sys.exit(): a file
    of the library would close the Blender that opens it. The worker never runs it (scripts disabled) and lints it
    with the other checks about what a file stores."""
    bpy.ops.wm.read_homefile(use_empty=True)
    text = bpy.data.texts.new("startup.py")
    text.write("import sys\n\nif len(sys.argv) > 9:\n    sys.exit(1)\n")
    text.use_module = True
    save_as(tmp_path / "library" / "rig.blend")
    bpy.ops.wm.read_homefile(use_empty=True)
    result = run_cli(
        "scan", str(tmp_path / "library"), "--no-cache", "--json", str(tmp_path / "b.json"), cache=tmp_path / "c"
    )
    assert result.returncode == 1, result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
    (entry,) = json.loads((tmp_path / "b.json").read_text("utf-8"))["files"]
    assert [(f["check"], f["severity"], f["id_type"], f["id_name"], f["details"]["rule"], f["details"]["line"])
            for f in entry["report"]["findings"]] == [("embedded_scripts", "ERROR", "TEXT", "startup.py", "GD140", 4)]  # fmt: skip
