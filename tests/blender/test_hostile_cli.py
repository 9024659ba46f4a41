"""The command line with hostile or mistaken input: one clear line on stderr, exit 2, no traceback, nothing
overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import bpy
import pytest
from blender_scenes import save_as

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "tools" / "gotcha_cli.py"), *args],
        capture_output=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "BLENDER_USER_RESOURCES"},
    )


def our_lines(stderr: bytes) -> list[str]:
    return [line for line in stderr.decode("utf-8", "replace").splitlines() if line.startswith("gotcha_doctor")]


def test_an_unreadable_file_under_a_non_utf8_name_is_one_line_exit_2(tmp_path: Path):
    broken = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9 broken.blend"))
    broken.write_bytes(b"BLENDER-v279 but nothing after the header")
    for args in (["scan", str(broken)], ["explain", "object.delete", "--file", str(broken)]):
        result = run_cli(*args)
        text = result.stdout.decode("utf-8", "replace") + result.stderr.decode("utf-8", "replace")
        assert result.returncode == 2, text
        assert "Traceback" not in text and "UnicodeDecodeError" not in text
        assert our_lines(result.stderr) == [
            f"gotcha_doctor: cannot open {tmp_path}/caf\\xe9 broken.blend: not a readable .blend file (the file is "
            "cut short at 41 bytes: it lacks the end block every .blend has; an interrupted save, copy or download?)"
        ], text


def test_a_file_from_a_newer_blender_says_which_blender_reads_it(tmp_path: Path, gd, capsys):
    # Blender's own word for the 5.0 file format in 4.x is "Not a blend file"; the header says who wrote it.
    future = tmp_path / "future.blend"
    future.write_bytes(b"BLENDER17-01v9900" + bytes(64))
    assert gd.cli.main(["scan", str(future)]) == 2
    err = capsys.readouterr().err
    major, minor = bpy.app.version[:2]
    assert err.startswith(f"gotcha_doctor: cannot open {future}: "), err
    assert err.endswith(f" (saved by Blender 99.0, newer than this Blender {major}.{minor}: try 99.0 or newer)\n"), err
    assert err.count("\n") == 1, err


def test_a_git_lfs_pointer_is_named_with_what_to_do(tmp_path: Path, gd, capsys):
    # An asset library cloned without its LFS objects: every .blend is a 130-byte text file.
    pointer = tmp_path / "gems.blend"
    pointer.write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"ab" * 32 + b"\nsize 9\n")
    assert gd.cli.main(["scan", str(pointer)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"gotcha_doctor: cannot open {pointer}: "), err
    assert err.endswith(" (a Git LFS pointer, not the file: fetch it with git lfs pull)\n"), err
    assert err.count("\n") == 1, err


def test_a_fifo_is_named_as_such_and_never_opened(tmp_path: Path, gd, capsys):
    # (A directory is scanned as many files: see the many-files tests.)
    fifo = tmp_path / "pipe.blend"
    os.mkfifo(fifo)
    assert gd.cli.main(["scan", str(fifo)]) == 2  # returns at once: a FIFO is never opened
    assert "not a regular file (a pipe, socket or device)" in capsys.readouterr().err


def test_open_failure_reasons_are_short(gd):
    reason = gd.core.blend_open.open_failure_reason
    assert reason('Error: Cannot read file "/x/a.blend": Permission denied', "/x/a.blend") == "Permission denied"
    assert reason('Cannot read file "/x/a.blend": File format is not supported', "/x/a.blend") == (
        "File format is not supported"
    )
    assert reason("Error: Cannot read file '/x/a.blend'", "/x/a.blend") == "not a readable .blend file"
    assert reason("", "/x/a.blend") == "not a readable .blend file"
    assert reason('Error: File format is not supported in file "/x/a.blend"\n', "/x/a.blend") == (
        "File format is not supported"
    )
    message = "Error: Loading \"/x/a.blend\" failed: Failed to read blend file '/x/a.blend': Missing DNA block"
    assert reason(message, "/x/a.blend") == "Missing DNA block"
    assert reason("Error: \x1b[31mred\nsecond line", "/x") == "Second line"


def test_no_arguments_is_a_usage_error_on_stderr(gd, capsys):
    assert gd.cli.main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("usage: gotcha_doctor scan FILE.blend")
    assert gd.cli.main(["--help"]) == 0
    assert capsys.readouterr().out.startswith("usage: ")


def test_a_bad_fail_on_is_one_line(gd, capsys):
    assert gd.cli.main(["scan", "x.blend", "--fail-on", "sometimes"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'sometimes'" in err and "--help" in err


@pytest.mark.parametrize("target", ["same", "other_blend", "backup"])
def test_json_never_overwrites_a_blend(tmp_path: Path, gd, capsys, target):
    scene = save_as(tmp_path / "scene.blend")
    other = save_as(tmp_path / "other.blend")
    before = {p: p.read_bytes() for p in (scene, other)}
    out = {"same": scene, "other_blend": other, "backup": tmp_path / "scene.blend1"}[target]
    assert gd.cli.main(["scan", str(scene), "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"gotcha_doctor: not writing the report to {out}: ") and err.count("\n") == 1
    assert {p: p.read_bytes() for p in (scene, other)} == before
    assert not (tmp_path / "scene.blend1").exists()


@pytest.mark.parametrize("with_json", [False, True])
def test_the_command_line_leaves_nothing_in_the_temp_folder(tmp_path: Path, with_json: bool):
    blend = save_as(tmp_path / "scene.blend")
    temp = tmp_path / "temp"
    temp.mkdir()
    args = ["scan", str(blend)] + (["--json", str(tmp_path / "r.json")] if with_json else [])
    env = {k: v for k, v in os.environ.items() if k != "BLENDER_USER_RESOURCES"}
    result = subprocess.run(
        [sys.executable, str(REPO / "tools" / "gotcha_cli.py"), *args],
        capture_output=True,
        timeout=120,
        env={**env, "TMPDIR": str(temp)},
    )
    assert result.returncode == 0, result.stderr
    assert os.listdir(temp) == []
