"""The project's two commands (stdlib only; needs Python 3.11 and pip, nothing else):

    python3 tools/dev.py demo    set up the venv (bpy 5.0.1), build the bundled gotcha zoo and scan it
    python3 tools/dev.py test    set up the venvs, then lint, type check, the Blender-free tier, pytest inside
                                 Blender on every version of the test matrix, and the real-window tests

Venvs live in a cache directory outside the repo (GOTCHA_DOCTOR_CACHE, default ~/.cache/gotcha-doctor), one per
requirements file, keyed by the file's hash so a changed pin makes a new venv. The bpy wheels for Blender 5.1 and
newer need Python 3.13: their venvs (same cache) run inside a Debian trixie root (tools/py313_root.sh) that sees
the repo, the cache and /tmp at the same paths. Other sub-commands:
``pytest VERSION [ARGS]`` runs pytest inside one matrix version (4.2, 4.5, 5.0, 5.2, 5.3; default tests/blender),
``bench [--on VERSION] [NAME...]`` runs the benchmarks (on bpy 5.0 unless told), ``cli ARGS`` runs the command
line through the bpy module, ``build`` builds the zip,
``poll-kb [VERSION...]`` regenerates the poll explainer's knowledge bases (default: every matrix version).
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("GOTCHA_DOCTOR_CACHE", Path.home() / ".cache" / "gotcha-doctor"))
REQUIREMENTS = {
    "bpy-4.2": REPO / "requirements" / "bpy-4.2.txt",
    "bpy-4.5": REPO / "requirements" / "bpy-4.5.txt",
    "bpy-5.0": REPO / "requirements" / "bpy-5.0.txt",
    "bpy-5.2": REPO / "requirements" / "bpy-5.2.txt",
    "bpy-5.3": REPO / "requirements" / "bpy-5.3.txt",
    "dev": REPO / "requirements" / "dev.txt",
    "unit": REPO / "requirements" / "unit.txt",
    "dask": REPO / "requirements" / "dask.txt",
    "bat": REPO / "requirements" / "bat.txt",
    "bench-lint": REPO / "requirements" / "bench-lint.txt",
}
# The test matrix, oldest first: the declared minimum, the LTS releases, 5.0 and the current release.
MATRIX = ("bpy-4.2", "bpy-4.5", "bpy-5.0", "bpy-5.2", "bpy-5.3")
# bpy 5.1 and newer ship wheels for Python 3.13 only; these venvs are made and run inside the trixie root.
IN_PY313_ROOT = {"bpy-5.2", "bpy-5.3"}
PY313_ROOT_SCRIPT = REPO / "tools" / "py313_root.sh"
GUI_LOCK = "/var/lock/gotcha-gui.lock"
# The window tests run Debian's own Blender packages, as Debian ships them (tools/gui_root.sh builds each root once).
WINDOW_SUITES = {"trixie": "4.3.2", "sid": "5.2.2"}
PYTEST_NO_TESTS = 5


def say(text: str) -> None:
    print(f"[dev] {text}", flush=True)


def in_root(command: list[str]) -> list[str]:
    """``command`` run inside the Python 3.13 root, with the repo, the venv cache and /tmp visible."""
    return ["bash", str(PY313_ROOT_SCRIPT), "run", "--bind", str(CACHE), "--bind", str(REPO), "--", *command]


def python_command(name: str) -> list[str]:
    """The command that starts the venv's python, wherever that venv runs (creating it when missing)."""
    python = venv_python(name)
    return in_root([str(python)]) if name in IN_PY313_ROOT else [str(python)]


def venv_python(name: str) -> Path:
    """The venv's python, creating the venv and installing its pinned requirements when missing.

    For a venv inside the Python 3.13 root the path is valid inside the root only: use python_command().
    """
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
            size = " (first run only; a bpy wheel is about 1 GB)" if name.startswith("bpy-") else " (first run only)"
            say(f"setting up {name} venv in {root}{size}")
            if root.exists():
                shutil.rmtree(root)
            pip = [
                str(python),
                "-m",
                "pip",
                "install",
                "--progress-bar",
                "off",
                "--disable-pip-version-check",
                "-r",
                str(requirements),
            ]
            if name in IN_PY313_ROOT:
                say("(inside the Python 3.13 trixie root, built on first use: tools/py313_root.sh)")
                run(in_root(["/usr/bin/python3", "-m", "venv", str(root)]))
                run(in_root(pip))
            else:
                venv.EnvBuilder(with_pip=True).create(root)
                run(pip)
            marker.write_text(digest)
    return python


def run(command: list[str], *, env: dict[str, str] | None = None, ok_codes: tuple[int, ...] = (0,)) -> int:
    code = subprocess.call(command, cwd=REPO, env=env)
    if code not in ok_codes:
        say(f"failed (exit {code}): {' '.join(command)}")
        sys.exit(code or 1)
    return code


_SCRATCH: list[Path] = []


def scratch() -> Path:
    """One folder in /tmp for everything this command's children write there, removed when the command ends.

    Children get it as TMPDIR: pytest's tmp_path folders, Blender's session temp folders (which a Blender that is
    killed or leaves through os._exit never removes), the workers' and probes' scratch files. The Python 3.13 and
    window roots bind-mount /tmp at the same path, so the same folder serves inside them.
    """
    if not _SCRATCH:
        folder = Path(tempfile.mkdtemp(prefix="gotcha-doctor-run-"))
        atexit.register(shutil.rmtree, folder, True)
        _SCRATCH.append(folder)
    return _SCRATCH[0]


def blender_env() -> dict[str, str]:
    """Blender writes its user files under BLENDER_USER_RESOURCES; never let it touch ~/.config/blender. Temporary
    files and caches go to this command's scratch folder (see scratch())."""
    env = dict(os.environ)
    if "BLENDER_USER_RESOURCES" not in env:
        user = scratch() / "user-resources"
        user.mkdir(exist_ok=True)
        env["BLENDER_USER_RESOURCES"] = str(user)
    tmp = scratch() / "tmp"
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp)
    # Blender's caches (shader cache, asset library indices, thumbnails of saved files) stay out of the home folder.
    env["XDG_CACHE_HOME"] = str(scratch() / "cache")
    return env


def cmd_demo(_args: list[str]) -> int:
    python = venv_python("bpy-5.0")
    out = REPO / "build" / "zoo"
    env = blender_env()
    say(f"building the gotcha zoo in {out}")
    run([str(python), str(REPO / "examples" / "make_gotcha_zoo.py"), str(out), "--clean"], env=env)
    say("scanning it, with the live Edit Mode exhibit that a saved file cannot keep")
    return run([str(python), str(REPO / "tools" / "demo_scan.py"), str(out)], env=env)


def matrix_name(version: str) -> str:
    """'5.3', 'bpy-5.3' or '5.3.0' -> 'bpy-5.3' (a matrix entry), or exit with the list of versions."""
    name = version if version.startswith("bpy-") else "bpy-" + ".".join(version.split(".")[:2])
    if name not in MATRIX:
        say(f"unknown version {version!r}; the matrix has {', '.join(n.removeprefix('bpy-') for n in MATRIX)}")
        sys.exit(2)
    return name


def pytest_blender(name: str, args: list[str]) -> int:
    """pytest inside one matrix version; no tests collected counts as a failure."""
    command = [*python_command(name), "-m", "pytest", "-q", "-rfEs", *(args or ["tests/blender"])]
    code = subprocess.call(command, cwd=REPO, env=blender_env())
    if code == PYTEST_NO_TESTS:
        say(f"pytest on {name} collected no tests: that is a failure")
        return 1
    return code


def cmd_pytest(args: list[str]) -> int:
    """``pytest VERSION [pytest args]``: a targeted run inside one Blender of the matrix (default tests/blender)."""
    if not args:
        say(f"usage: python3 tools/dev.py pytest VERSION [pytest args]  (VERSION: {', '.join(MATRIX)})")
        return 2
    name = matrix_name(args[0])
    say(f"pytest on {name} ({REQUIREMENTS[name].read_text().split('bpy==')[1].split()[0]})")
    return pytest_blender(name, args[1:])


class Parts:
    """Runs the test command's parts in order, announcing each and timing it; a failure does not stop the rest."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, float]] = []

    def run(self, title: str, part) -> None:
        say(f"=== {title}")
        start = time.monotonic()
        try:
            code = part()
        except SystemExit as exit_:  # run() exits on a failed setup step (venv, pip): that part failed
            code = exit_.code if isinstance(exit_.code, int) and exit_.code else 1
        seconds = time.monotonic() - start
        result = {0: "passed", 77: "SKIPPED"}.get(code, f"FAILED (exit {code})")
        self.rows.append((title, result, seconds))
        say(f"--- {title}: {result} in {seconds:.0f} s")

    def summary(self) -> int:
        say("summary (wall time per part):")
        for title, result, seconds in self.rows:
            print(f"  {seconds:7.0f} s  {result:18}  {title}", flush=True)
        total = sum(seconds for _, _, seconds in self.rows)
        print(f"  {total:7.0f} s  total", flush=True)
        failed = [title for title, result, _ in self.rows if result.startswith("FAILED")]
        if failed:
            say(f"FAILED: {'; '.join(failed)}")
            return 1
        say("all test suites passed")
        return 0


def cmd_test(args: list[str]) -> int:
    parts = Parts()
    dev: list[Path] = []

    def dev_venv() -> int:
        dev.append(venv_python("dev"))
        return 0

    def ruff() -> int:
        return subprocess.call([str(dev[0]), "-m", "ruff", "check", "."], cwd=REPO) or subprocess.call(
            [str(dev[0]), "-m", "ruff", "format", "--check", "."], cwd=REPO
        )

    def mypy() -> int:
        # The repo root is the package; mypy sees it under its real name through a link.
        with tempfile.TemporaryDirectory() as parent:
            (Path(parent) / "gotcha_doctor").symlink_to(REPO, target_is_directory=True)
            return subprocess.call(
                [str(dev[0]), "-m", "mypy", "--config-file", str(REPO / "pyproject.toml"), "-p", "gotcha_doctor"],
                cwd=parent,
            )

    def unit() -> int:
        unit_python = str(venv_python("unit"))
        code = subprocess.call(
            [unit_python, "-m", "pytest", "-q", "-rfEs", "tests/unit", *args], cwd=REPO, env=blender_env()
        )
        return 1 if code == PYTEST_NO_TESTS else code

    def dask_tests() -> int:
        python = venv_python("dask")
        code = subprocess.call([str(python), "-m", "pytest", "-q", "-rs", "tests/dask"], cwd=REPO, env=blender_env())
        return 1 if code == PYTEST_NO_TESTS else code

    def window(suite: str) -> int:
        gui_runner = REPO / "tests" / "gui" / "run_window_tests.sh"
        # The host side needs only pytest: take a venv's, so the assertions run on a fresh machine too.
        env = dict(blender_env(), PYTHON=str(venv_python("bpy-5.0")), GOTCHA_GUI_SUITE=suite)
        # Tests never rewrite tracked files: tests/gui/run_window_tests.sh alone refreshes the screenshots.
        env.setdefault("GOTCHA_GUI_NO_SCREENSHOT_UPDATE", "1")
        say(f"waiting for {GUI_LOCK} (one window test run at a time on this machine)")
        # -s: the runner's progress shows live (a window run takes minutes)
        return subprocess.call(["flock", GUI_LOCK, "bash", str(gui_runner), "-s"], cwd=REPO, env=env)

    parts.run("dev tools venv (ruff, mypy, stubs)", dev_venv)
    if dev:
        parts.run("ruff (lint and format check)", ruff)
        parts.run("mypy with fake-bpy-module (Blender 4.2 stubs)", mypy)
    parts.run("pytest tests/unit (Blender-free tier, no bpy)", unit)
    for name in MATRIX:
        version = REQUIREMENTS[name].read_text().split("bpy==")[1].split()[0]
        where = ", Python 3.13 root" if name in IN_PY313_ROOT else ""
        parts.run(
            f"pytest tests/blender on bpy {version}{where}", lambda n=name: pytest_blender(n, ["tests/blender", *args])
        )
    parts.run("pytest tests/dask (--dask on a local scheduler and workers, loopback)", dask_tests)
    for suite, blender in WINDOW_SUITES.items():
        parts.run(f"real-window tests, Debian {suite}'s Blender {blender} under Xvfb", lambda s=suite: window(s))
    return parts.summary()


def cmd_bench(args: list[str]) -> int:
    """``bench [--on VERSION] [NAME...]``: the benchmarks (default on bpy 5.0; VERSION as for ``pytest``)."""
    name = "bpy-5.0"
    if args[:1] == ["--on"] and len(args) > 1:
        name, args = matrix_name(args[1]), args[2:]
    python = python_command(name)
    scripts = sorted((REPO / "benchmarks").glob("bench_*.py"))
    if args:  # names, exactly: "paths" or "bench_paths" or "bench_paths.py" is bench_paths.py, not bench_paths_ab.py
        by_name = {name: script for script in scripts for name in (script.name, script.stem, script.stem[6:])}
        unknown = [name for name in args if name not in by_name]
        if unknown:
            known = ", ".join(script.stem[6:] for script in scripts)
            say(f"no benchmark named {', '.join(unknown)}; there are: {known}")
            return 2
        scripts = list(dict.fromkeys(by_name[name] for name in args))
    for script in scripts:
        say(f"benchmark {script.name} on {name}")
        run([*python, str(script)], env=blender_env())
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
    """``poll-kb [VERSION...]``: regenerate the poll explainer's knowledge bases (poll_kb/) and coverage tables
    (docs/), one per matrix version (default: all). A sweep keeps two cores busy for a few minutes: it runs niced."""
    names = [matrix_name(version) for version in args] or list(MATRIX)
    for name in names:
        say(f"poll knowledge base sweep on {name} (2 workers, a few minutes)")
        sweep = [*python_command(name), str(REPO / "tools" / "poll_kb" / "sweep.py"), "--workers", "2"]
        run(["nice", "-n", "10", *sweep], env=blender_env())
    return 0


COMMANDS = {
    "poll-kb": cmd_poll_kb,
    "demo": cmd_demo,
    "test": cmd_test,
    "pytest": cmd_pytest,
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
