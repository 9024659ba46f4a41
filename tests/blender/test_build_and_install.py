"""The manifest validates, Blender's own tool builds a clean zip, and the zip installs and works as a user's would."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

BUILD_AND_INSTALL = r"""
import json, os, sys
import bpy, bl_pkg
source, out = sys.argv[1], sys.argv[2]
result = {"validate": bl_pkg.cli_extension(["validate", source])}
result["build"] = bl_pkg.cli_extension(["build", "--source-dir", source, "--output-dir", out])
zips = [f for f in os.listdir(out) if f.endswith(".zip")]
result["zips"] = zips
bpy.ops.extensions.package_install_files(
    filepath=os.path.join(out, zips[0]), repo="user_default", enable_on_install=True
)
result["enabled"] = "bl_ext.user_default.gotcha_doctor" in bpy.context.preferences.addons
result["scan"] = sorted(bpy.ops.gotcha.scan())
result["has_state"] = hasattr(bpy.context.window_manager, "gotcha_doctor")
print("RESULT " + json.dumps(result))
"""


def test_zip_is_validated_built_clean_and_installs(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(tmp_path / "user"))
    done = subprocess.run(
        [sys.executable, "-c", BUILD_AND_INSTALL, str(REPO), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    line = [row for row in done.stdout.splitlines() if row.startswith("RESULT ")]
    assert line, done.stdout + done.stderr
    result = json.loads(line[0][len("RESULT ") :])
    assert result["validate"] in (0, None) and result["build"] in (0, None)
    assert result["zips"] == ["gotcha_doctor-0.1.0.zip"]
    assert result["enabled"] and result["scan"] == ["FINISHED"] and result["has_state"]

    names = zipfile.ZipFile(out / result["zips"][0]).namelist()
    assert "blender_manifest.toml" in names and "__init__.py" in names
    assert "core/engine.py" in names and "checks/library_name_collisions.py" in names
    assert "LICENSE" in names  # the GPL travels with the code it covers
    shipped_dev_files = [
        n
        for n in names
        if n.startswith(("tests/", "benchmarks/", "tools/", "examples/", "docs/", "requirements/", ".", "build/"))
        or "__pycache__" in n
        or n == "pyproject.toml"
        or "/." in n
    ]
    assert shipped_dev_files == []


def test_core_imports_without_blender(tmp_path):
    """core/ is plain Python: importable where ``import bpy`` fails."""
    (tmp_path / "gotcha_doctor").symlink_to(REPO, target_is_directory=True)
    code = (
        "import sys; sys.modules['bpy'] = None\n"  # any 'import bpy' now raises ImportError
        "import gotcha_doctor.core.engine, gotcha_doctor.core.report, gotcha_doctor.core.text, gotcha_doctor.core.topics\n"
        "import gotcha_doctor.core.datablocks, gotcha_doctor.core.findings\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ok", done.stderr
