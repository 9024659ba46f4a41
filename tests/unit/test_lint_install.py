"""`pip install <checkout>` gives a working `gotcha-doctor` command in an environment where bpy does not exist.

A real install into a fresh venv (pip builds the package from pyproject.toml; its build backend comes from the
package index, as for any user). About 20 s: the one test of the install itself.
"""

from __future__ import annotations

import shutil
import subprocess
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _checkout_copy(target: Path) -> Path:
    """The tracked files only (what a fresh clone has), so the install never writes into the working tree."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, listed.decode("utf-8", "surrogateescape").split("\0")):
        source = REPO / name
        if source.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    return target


def test_pip_install_gives_the_lint_command_without_bpy(tmp_path: Path) -> None:
    checkout = _checkout_copy(tmp_path / "checkout")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(checkout)],
        check=True,
        capture_output=True,
    )
    no_bpy = subprocess.run([str(python), "-c", "import bpy"], capture_output=True, text=True)
    assert no_bpy.returncode != 0 and "No module named 'bpy'" in no_bpy.stderr

    (tmp_path / "addon").mkdir()
    (tmp_path / "addon" / "bad.py").write_text(
        "import bpy\n\nfor ob in bpy.data.objects:\n    ob.name = 'X_' + ob.name\n", encoding="utf-8"
    )
    command = env_dir / "bin" / "gotcha-doctor"
    result = subprocess.run(
        [str(command), "lint", "addon", "--format", "json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1, result.stderr
    assert '"rule": "GD191"' in result.stdout and '"line": 4' in result.stdout
    usage = subprocess.run([str(command), "scan", "x.blend"], cwd=tmp_path, capture_output=True, text=True)
    assert usage.returncode == 2 and "without Blender only `lint` runs" in usage.stderr
    # only the Blender-free parts are installed
    site = next((env_dir / "lib").glob("python3*/site-packages/gotcha_doctor"))
    assert (site / "core" / "lint" / "engine.py").is_file()
    assert not (site / "operators").exists() and not (site / "checks").exists()
