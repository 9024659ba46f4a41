"""The project's two commands (stdlib only; needs Python 3.11 and pip, nothing else):

    python3 tools/dev.py demo    set up the venv (bpy 5.0.1), build the bundled gotcha zoo and scan it
    python3 tools/dev.py test    set up the venvs, then lint, type check, and run every test suite:
                                 pytest on bpy 5.0.1 and on bpy 4.2 LTS, and the real-window tests

Venvs live in a cache directory outside the repo (GOTCHA_DOCTOR_CACHE, default ~/.cache/gotcha-doctor), one per
requirements file, keyed by the file's hash so a changed pin makes a new venv. Other sub-commands:
``bench`` runs the benchmarks, ``cli ARGS`` runs the command line through the bpy module, ``build`` builds the zip,
``poll-kb [bpy-5.0|bpy-4.2]`` regenerates the poll explainer's knowledge bases.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("GOTCHA_DOCTOR_CACHE", Path.home() / ".cache" / "gotcha-doctor"))
REQUIREMENTS = {
    "bpy-5.0": REPO / "requirements" / "bpy-5.0.txt",
    "bpy-4.2": REPO / "requirements" / "bpy-4.2.txt",
    "dev": REPO / "requirements" / "dev.txt",
    "unit": REPO / "requirements" / "unit.txt",
}
PYTEST_NO_TESTS = 5


def say(text: str) -> None:
    print(f"[dev] {text}", flush=True)


def venv_python(name: str) -> Path:
    """The venv's python, creating the venv and installing its pinned requirements when missing."""
    requirements = REQUIREMENTS[name]
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    root = CACHE / f"venv-{name}-{digest}"
    python = root / "bin" / "python"
    marker = root / ".installed"
    if marker.exists():
        return python
    CACHE.mkdir(parents=True, exist_ok=True)
    # Two commands may want the same venv at once (e.g. a test run and a benchmark): one builds, the other waits.
    with open(CACHE / f".venv-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            say(f"setting up {name} venv in {root} (first run only; a bpy wheel is about 1 GB)")
            if root.exists():
                shutil.rmtree(root)
            venv.EnvBuilder(with_pip=True).create(root)
            run(
                [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)]
            )
            marker.write_text(digest)
    return python


def run(command: list[str], *, env: dict[str, str] | None = None, ok_codes: tuple[int, ...] = (0,)) -> int:
    code = subprocess.call(command, cwd=REPO, env=env)
    if code not in ok_codes:
        say(f"failed (exit {code}): {' '.join(command)}")
        sys.exit(code or 1)
    return code


def blender_env() -> dict[str, str]:
    """Blender writes its user files under BLENDER_USER_RESOURCES; never let it touch ~/.config/blender."""
    env = dict(os.environ)
    env.setdefault("BLENDER_USER_RESOURCES", tempfile.mkdtemp(prefix="gotcha-doctor-user-"))
    return env


def cmd_demo(_args: list[str]) -> int:
    python = venv_python("bpy-5.0")
    out = REPO / "build" / "zoo"
    env = blender_env()
    say(f"building the gotcha zoo in {out}")
    run([str(python), str(REPO / "examples" / "make_gotcha_zoo.py"), str(out), "--clean"], env=env)
    say("scanning it, with the live Edit Mode exhibit that a saved file cannot keep")
    return run([str(python), str(REPO / "tools" / "demo_scan.py"), str(out)], env=env)


def cmd_test(args: list[str]) -> int:
    dev = venv_python("dev")
    say("ruff (lint and format check)")
    run([str(dev), "-m", "ruff", "check", "."])
    run([str(dev), "-m", "ruff", "format", "--check", "."])
    say("mypy with fake-bpy-module (Blender 4.2 stubs)")
    # The repo root is the package; mypy sees it under its real name through a link.
    with tempfile.TemporaryDirectory() as parent:
        (Path(parent) / "gotcha_doctor").symlink_to(REPO, target_is_directory=True)
        code = subprocess.call(
            [str(dev), "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), "-p", "gotcha_doctor"], cwd=parent
        )
    if code != 0:
        say("mypy failed")
        return code
    say("pytest, Blender-free tier (tests/unit, no bpy)")
    code = run(
        [str(venv_python("unit")), "-m", "pytest", "-q", "-rs", "tests/unit", *args], ok_codes=(0, PYTEST_NO_TESTS)
    )
    if code == PYTEST_NO_TESTS:
        say("pytest collected no tests: that is a failure")
        return 1
    for name in ("bpy-5.0", "bpy-4.2"):
        python = venv_python(name)
        say(f"pytest on {name}")
        code = run(
            [str(python), "-m", "pytest", "-q", "-rs", "tests/blender", *args],
            env=blender_env(),
            ok_codes=(0, PYTEST_NO_TESTS),
        )
        if code == PYTEST_NO_TESTS:
            say("pytest collected no tests: that is a failure")
            return 1
    gui_runner = REPO / "tests" / "gui" / "run_window_tests.sh"
    if gui_runner.exists():
        say("real-window tests (Blender GUI under Xvfb)")
        # The host side needs only pytest: take the venv's, so the assertions run on a fresh machine too.
        env = dict(blender_env(), PYTHON=str(venv_python("bpy-5.0")))
        code = subprocess.call(["bash", str(gui_runner)], cwd=REPO, env=env)
        if code == 77:
            say("real-window tests SKIPPED (see the reason above)")
        elif code != 0:
            say(f"real-window tests failed (exit {code})")
            return code
    say("all test suites passed")
    return 0


def cmd_bench(args: list[str]) -> int:
    python = venv_python("bpy-5.0")
    scripts = sorted((REPO / "benchmarks").glob("bench_*.py"))
    for script in scripts:
        if args and not any(a in script.name for a in args):
            continue
        say(f"benchmark {script.name}")
        run([str(python), str(script)], env=blender_env())
    return 0


def cmd_cli(args: list[str]) -> int:
    python = venv_python("bpy-5.0")
    return subprocess.call([str(python), str(REPO / "tools" / "gotcha_cli.py"), *args], cwd=REPO, env=blender_env())


def cmd_build(_args: list[str]) -> int:
    python = venv_python("bpy-5.0")
    out = REPO / "build" / "dist"
    out.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys, bl_pkg\n"
        "sys.exit(bl_pkg.cli_extension(['validate', sys.argv[1]]) or "
        "bl_pkg.cli_extension(['build', '--source-dir', sys.argv[1], '--output-dir', sys.argv[2]]))\n"
    )
    return run([str(python), "-c", "import bpy\n" + code, str(REPO), str(out)], env=blender_env())


def cmd_poll_kb(args: list[str]) -> int:
    """Regenerate the poll explainer's knowledge bases (poll_kb/) and coverage tables (docs/), one per Blender."""
    versions = args or ["bpy-5.0", "bpy-4.2"]
    for name in versions:
        python = venv_python(name)
        say(f"poll knowledge base sweep on {name} (2 workers, a few minutes)")
        run([str(python), str(REPO / "tools" / "poll_kb" / "sweep.py"), "--workers", "2"], env=blender_env())
    return 0


COMMANDS = {
    "poll-kb": cmd_poll_kb,
    "demo": cmd_demo,
    "test": cmd_test,
    "bench": cmd_bench,
    "cli": cmd_cli,
    "build": cmd_build,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
