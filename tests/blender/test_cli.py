"""The command line: exit codes, readable report, JSON, bad input in one line, embedded scripts never run."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import bpy
import pytest
from blender_scenes import add_object, link_objects, save_as, write_library

REPO = Path(__file__).resolve().parents[2]


def collision_file(folder: Path) -> Path:
    library = write_library(folder / "lib.blend", ["Oak"])
    save_as(folder / "main.blend")
    link_objects(library, ["Oak"])
    add_object("Oak")
    return save_as(folder / "main.blend")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The real launcher in a fresh Blender process, as a user or CI runs it."""
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "gotcha_cli.py"), *args],
        capture_output=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "BLENDER_USER_RESOURCES"},
    )


def test_exit_status_follows_fail_on_and_json_is_written(tmp_path):
    blend = collision_file(tmp_path)
    out = tmp_path / "report.json"
    warn = run_cli("scan", str(blend), "--json", str(out), "--fail-on", "warning")
    assert warn.returncode == 1, warn.stderr
    stdout = warn.stdout.decode()
    assert "Findings: 0 error, 1 warning, 0 info" in stdout
    assert "WARNING (1)" in stdout and '[library_name_collisions / library-name-collision] Object "Oak":' in stdout
    report = json.loads(out.read_text("utf-8"))
    assert report["blend_file"] == str(blend) and len(report["findings"]) == 1
    assert run_cli("scan", str(blend)).returncode == 0  # default --fail-on error: a warning passes
    assert run_cli("scan", str(blend), "--fail-on", "never").returncode == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "usage: gotcha_doctor scan FILE.blend"),
        (["scan"], "the following arguments are required: file"),
        (["scan", "x.blend", "--fail-on", "sometimes"], "invalid choice: 'sometimes'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["scan", "/no/such/file.blend"], "gotcha_doctor: cannot open /no/such/file.blend: no such file"),
    ],
)
def test_usage_errors_and_missing_files_exit_2_with_one_clear_line(gd, capsys, argv, message):
    assert gd.cli.main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err + captured.out
    assert "Traceback" not in captured.err + captured.out


def test_a_file_that_is_not_a_blend_exits_2_without_traceback(tmp_path):
    junk = tmp_path / "junk.blend"
    junk.write_bytes(b"this is not a blend file\n" * 10)
    result = run_cli("scan", str(junk))
    assert result.returncode == 2
    err = result.stderr.decode()
    assert f"gotcha_doctor: cannot open {junk}:" in err
    assert "Traceback" not in err + result.stdout.decode()


def test_a_file_under_a_non_utf8_directory_scans_and_prints(tmp_path):
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    blend = collision_file(folder)
    result = run_cli("scan", str(blend), "--json", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    # Blender's own log line ("Read blend: ...") prints the raw bytes; our report prints them readable.
    assert "Gotcha Doctor report for " + str(tmp_path) + "/caf\\xe9/main.blend" in result.stdout.decode(
        "utf-8", "replace"
    )
    report = json.loads((tmp_path / "r.json").read_bytes().decode("utf-8"))
    assert report["blend_file"] == str(tmp_path) + "/caf\\xe9/main.blend"
    assert base64.b64decode(report["blend_file_base64"]) == bytes(tmp_path) + b"/caf\xe9/main.blend"


def test_embedded_scripts_never_run(tmp_path, gd):
    marker = tmp_path / "script_ran"
    text = bpy.data.texts.new("startup.py")
    text.write(f"open({str(marker)!r}, 'w').write('ran')\n")
    text.use_module = True  # a registered text block runs when the file is loaded with scripts allowed
    blend = save_as(tmp_path / "scripted.blend")
    # Control: with scripts allowed, loading this file does run it (so the test below can fail).
    bpy.ops.wm.open_mainfile(filepath=str(blend), use_scripts=True)
    assert marker.exists()
    marker.unlink()
    assert gd.cli.main(["scan", str(blend)]) == 0
    assert not marker.exists()
