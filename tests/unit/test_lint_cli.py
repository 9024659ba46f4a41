"""The `gotcha-doctor lint` command without Blender: formats, exit codes, suppressions, configuration, bad input.

The whole module runs in the Blender-free tier, where importing bpy raises (see conftest): that the command works
here is the proof that it needs no Blender.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from gotcha_doctor.core import sarif
from gotcha_doctor.core.lint.command import main

BAD = """\
import bpy
point = bpy.context.object.data.splines[0].bezier_points[0]
bpy.context.object.data.splines[0].bezier_points.add(1)
point.co = 1.0, 2.0, 3.0
"""
GOOD = """\
import bpy
spline = bpy.context.object.data.splines[0]
spline.bezier_points.add(1)
spline.bezier_points[0].co = 1.0, 2.0, 3.0
"""


def run(*argv: str, cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        code = main(list(argv), out, err)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "addon").mkdir()
    (tmp_path / "addon" / "bad.py").write_text(BAD)
    (tmp_path / "addon" / "good.py").write_text(GOOD)
    return tmp_path


def test_bpy_is_not_importable_here() -> None:
    with pytest.raises(ModuleNotFoundError):
        __import__("bpy")


def test_text_output_and_exit_codes(project: Path) -> None:
    code, out, err = run("addon", cwd=project)
    assert code == 1 and err == ""
    assert out.splitlines()[0].startswith("addon/bad.py:4:1: GD101 [array-realloc] ERROR `point` (bound at line 2)")
    assert out.splitlines()[-1] == "1 finding in 2 files (1 error)"
    assert run("addon/good.py", cwd=project)[0] == 0
    assert run("addon", "--fail-on", "never", cwd=project)[0] == 0


def test_json_output(project: Path) -> None:
    code, out, _ = run("addon", "--format", "json", cwd=project)
    report = json.loads(out)
    assert code == 1 and report["schema"] == "gotcha-doctor/lint/1"
    assert report["findings"] == [
        {
            "rule": "GD101",
            "topic": "array-realloc",
            "severity": "ERROR",
            "file": "addon/bad.py",
            "line": 4,
            "column": 1,
            "message": report["findings"][0]["message"],
            "details": {"name": "point", "bound_line": 2, "invalidated_line": 3},
        }
    ]


def test_sarif_output_is_what_code_scanning_needs(project: Path) -> None:
    code, out, _ = run("addon", "--format", "sarif", cwd=project)
    log = json.loads(out)
    assert code == 1 and sarif.problems(log) == []
    result = log["runs"][0]["results"][0]
    assert result["ruleId"] == "GD101" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 1}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "addon/bad.py",
        "uriBaseId": "%SRCROOT%",
    }
    rule = log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert rule["id"] == "GD101" and "re-fetch" in rule["help"]["text"] and rule["helpUri"].startswith("https://")
    # the fingerprint follows the finding, not its line number
    first = result["partialFingerprints"]
    (project / "addon" / "bad.py").write_text("# a new first line\n" + BAD)
    moved = json.loads(run("addon", "--format", "sarif", cwd=project)[1])["runs"][0]["results"][0]
    assert moved["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert moved["partialFingerprints"] == first


def test_github_annotations(project: Path) -> None:
    _, out, _ = run("addon", "--format", "github", cwd=project)
    assert out.startswith("::error file=addon/bad.py,line=4,col=1,title=GD101 array-realloc::`point`")


def test_output_file(project: Path) -> None:
    code, out, _ = run("addon", "--format", "json", "--output", "report.json", cwd=project)
    assert code == 1 and json.loads((project / "report.json").read_text())["findings"][0]["rule"] == "GD101"
    assert "1 finding in 2 files" in out


@pytest.mark.parametrize(
    ("comment", "suppressed"),
    [
        ("# gotcha: ignore[GD101]", True),
        ("# gotcha: ignore[array-realloc]", True),
        ("# gotcha: ignore", True),
        ("# gotcha: ignore[GD104]", False),
    ],
)
def test_suppression_comment(project: Path, comment: str, suppressed: bool) -> None:
    (project / "addon" / "bad.py").write_text(BAD.replace("2.0, 3.0\n", f"2.0, 3.0  {comment}\n"))
    assert run("addon", cwd=project)[0] == (0 if suppressed else 1)


def test_select_and_ignore(project: Path) -> None:
    assert run("addon", "--ignore", "GD101", cwd=project)[0] == 0
    assert run("addon", "--ignore", "array-realloc", cwd=project)[0] == 0
    assert run("addon", "--select", "GD2", cwd=project)[0] == 0
    assert run("addon", "--select", "GD1", cwd=project)[0] == 1
    code, _, err = run("addon", "--select", "GD999,no-such-topic", cwd=project)
    assert code == 2 and err == "gotcha-doctor lint: unknown rule or topic: GD999, no-such-topic (see --list-rules)\n"


def test_pyproject_configuration(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.gotcha-doctor]\nignore = ["GD101"]\n')
    assert run("addon", cwd=project)[0] == 0
    (project / "pyproject.toml").write_text('[tool.gotcha-doctor]\nfail-on = "never"\n')
    assert run("addon", cwd=project)[0] == 0
    (project / "pyproject.toml").write_text('[tool.gotcha-doctor]\nexclude = ["bad.py"]\n')
    assert run("addon", cwd=project)[0] == 0
    (project / "pyproject.toml").write_text('[tool.gotcha-doctor]\nselekt = ["GD1"]\n')
    code, _, err = run("addon", cwd=project)
    assert code == 2 and "unknown [tool.gotcha-doctor] keys: selekt" in err


def test_target_blender_name_limit(tmp_path: Path) -> None:
    name = "n" * 100
    (tmp_path / "names.py").write_text(f"import bpy\nbpy.data.meshes.new({name!r})\n")
    code, out, _ = run("names.py", "--target-blender", "4.5", cwd=tmp_path)
    assert code == 1 and "GD181" in out and "Blender 4.5 keeps 63" in out
    assert run("names.py", "--target-blender", "5.0", cwd=tmp_path)[0] == 0
    (tmp_path / "pyproject.toml").write_text('[tool.gotcha-doctor]\ntarget-blender = "5.1"\n')
    assert run("names.py", cwd=tmp_path)[0] == 0
    (tmp_path / "pyproject.toml").unlink()
    (tmp_path / "blender_manifest.toml").write_text('blender_version_min = "5.0.0"\n')
    assert run("names.py", cwd=tmp_path)[0] == 0
    code, _, err = run("names.py", "--target-blender", "five", cwd=tmp_path)
    assert code == 2 and err.startswith("gotcha-doctor lint: --target-blender:")


def test_usage_errors() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main([], out, err) == 2 and "no PATH given" in err.getvalue()
    assert main(["x.py", "--format", "xml"], out, err) == 2
    assert main(["--help"], out, err) == 0


def test_bad_input_is_one_line_or_one_finding(tmp_path: Path) -> None:
    (tmp_path / "syntax.py").write_text("def f(:\n    pass\n")
    (tmp_path / "latin1_cookie.py").write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\n")
    (tmp_path / "latin1_plain.py").write_bytes(b"import bpy\n\nname = '\xe9t\xe9'\n")
    (tmp_path / "binary.py").write_bytes(b"\x7fELF\x00\x00\x01")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "again").symlink_to(tmp_path / "loop", target_is_directory=True)
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    code, out, err = run(".", "--format", "json", cwd=tmp_path)
    findings = {(f["file"], f["rule"], f["line"]) for f in json.loads(out)["findings"]}
    assert findings == {
        ("syntax.py", "GD001", 1),
        ("latin1_cookie.py", "GD002", 1),
        ("latin1_plain.py", "GD001", 3),
        ("binary.py", "GD001", 1),
    }
    assert code == 2
    assert sorted(json.loads(out)["problems"]) == [
        "./dangling.py: broken symbolic link or symlink loop",
        "./loop/again: symlink loop (folder already visited), skipped",
    ]
    log = json.loads(run(".", "--format", "sarif", cwd=tmp_path)[1])
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert len(log["runs"][0]["invocations"][0]["toolExecutionNotifications"]) == 2
    assert sorted(err.splitlines()) == [
        "gotcha-doctor lint: ./dangling.py: broken symbolic link or symlink loop",
        "gotcha-doctor lint: ./loop/again: symlink loop (folder already visited), skipped",
    ]


def test_file_names_are_shown_on_one_line(tmp_path: Path) -> None:
    # Scripts for Blender (they import bpy): their exit is reported.
    (tmp_path / "new\nline.py").write_text("import sys\nsys.exit(1)\nimport bpy\n")
    (tmp_path / os.fsdecode(b"caf\xe9.py")).write_text("import sys\nsys.exit(2)\nimport bpy\n")
    code, out, _ = run(".", cwd=tmp_path)
    assert code == 1
    assert sorted(out.splitlines()[:2]) == [
        "caf\\xe9.py:2:1: GD140 [sys-exit] ERROR sys.exit() closes Blender when run inside it; raise an exception or "
        'return (report the error); only exit under `if __name__ == "__main__":`',
        "new\\nline.py:2:1: GD140 [sys-exit] ERROR sys.exit() closes Blender when run inside it; raise an exception or "
        'return (report the error); only exit under `if __name__ == "__main__":`',
    ]


def test_unreadable_folder_is_one_line(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every folder; the unreadable case needs an ordinary user")
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "ok.py").write_text(GOOD)
    locked.chmod(0)
    try:
        code, _, err = run(".", cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    assert code == 2 and err.strip().endswith("cannot read folder: Permission denied")


def test_huge_file_is_one_finding(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.gotcha-doctor]\nmax-file-bytes = 1000\n")
    (tmp_path / "huge.py").write_text("x = 1\n" * 1000)
    code, out, _ = run("huge.py", "--format", "json", cwd=tmp_path)
    assert code == 0 and [f["rule"] for f in json.loads(out)["findings"]] == ["GD003"]


def test_module_text_reads_like_a_script() -> None:
    # a deliberately long module keeps working (no recursion trouble with deep nesting of ordinary code)
    code = "import bpy\n" + "".join("    " * i + "if True:\n" for i in range(50)) + "    " * 50 + "pass\n"
    from gotcha_doctor.core.lint import lint_source

    assert lint_source(code, "deep.py") == []
