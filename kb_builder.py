"""Build a poll knowledge base (KB) for the running Blender, in the background, when none ships for its version.

The same sweep as the shipped KBs (core/poll/sweep.py): this Blender's own binary (or, for the bpy module, this
Python) runs poll_worker.py in child processes with factory settings; they only call ``poll()``. A child that
crashes is recorded and replaced, so a crashing poll cannot take the build (or this session) down. The driver runs
in a thread of this session and never touches ``bpy``; the KB is written atomically to the extension's user folder
(``extension_path_user``: outside the add-on folder, kept across updates), where the explainer finds it. A build
cut short (the extension disabled, Blender quit) leaves no KB, only its logs; the next build starts over.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import probe_child
from .checks import operator_poll
from .core.poll import kb, sweep

WORKERS = 2
NO_RECIPE = "no recipe in the library made its poll pass in this Blender (a knowledge base built on this machine)"
BUILT_BY = "built on this machine"
STAGES = 5  # the sweep's stages 0-4, one progress line each
STOP_WAIT_S = 2.0  # how long unregister waits for a cancelled build's thread


class Cancelled(Exception):
    """Raised in the build's thread at the sweep's next progress line once the build is cancelled."""


@dataclass
class Build:
    version: str
    folder: str
    started: float = field(default_factory=time.monotonic)
    lines: list[str] = field(default_factory=list)
    path: str | None = None  # the KB, when written
    error: str | None = None
    seconds: float = 0.0
    thread: threading.Thread | None = None
    cancelled: threading.Event = field(default_factory=threading.Event)

    def begin(self, command: list[str], workers: int, only: list[str] | None) -> None:
        self.thread = threading.Thread(target=_run, args=(self, command, workers, only), daemon=True)
        self.thread.start()

    def cancel(self, timeout: float) -> bool:
        """Stop the build and wait up to ``timeout`` s for its thread; True when it has ended.

        The sweep reports each stage through :meth:`say`, which raises :class:`Cancelled` once this is called: the
        sweep's own ``finally`` stops its child processes, nothing is written and the children's folder is removed.
        """
        self.cancelled.set()
        if self.thread is not None:
            self.thread.join(timeout)
        return not self.running

    def say(self, line: str) -> None:
        if self.cancelled.is_set():
            raise Cancelled
        self.lines.append(line)

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    @property
    def progress(self) -> float:
        return 1.0 if self.path else min(len(self.lines), STAGES) / (STAGES + 1)

    @property
    def status(self) -> str:
        if self.error:
            return f"Building the poll knowledge base failed: {self.error}"
        if self.path:
            return f"Poll knowledge base for Blender {self.version} built in {self.seconds:.0f} s"
        last = self.lines[-1].strip() if self.lines else "starting the child processes"
        return f"Building the poll knowledge base for Blender {self.version}: {last}"


_build: Build | None = None


def current() -> Build | None:
    return _build


def start(workers: int = WORKERS, only: list[str] | None = None) -> Build:
    """Start a build in a background thread (one at a time). ``only`` limits it to a few operators (tests)."""
    global _build
    if _build is not None and _build.running:
        raise RuntimeError(f"a poll knowledge base for Blender {_build.version} is already being built")
    folder = operator_poll.user_kb_dir(create=True)
    if folder is None:
        raise RuntimeError("this extension has no user folder to keep a knowledge base in")
    build = Build(version=operator_poll.blender_version(), folder=folder)
    _build = build
    build.begin(probe_child.worker_command(), workers, only)
    return build


def shutdown() -> None:
    """At unregister: a running build is cancelled (it would otherwise go on sweeping, and write a KB, after the
    extension is gone); its thread is waited for briefly and ends at the sweep's next stage if it is still busy."""
    if _build is not None and _build.running:
        _build.cancel(STOP_WAIT_S)


def _run(build: Build, command: list[str], workers: int, only: list[str] | None) -> None:
    log_dir = Path(build.folder) / f"logs-{build.version}"
    log_dir.mkdir(parents=True, exist_ok=True)
    user = tempfile.mkdtemp(prefix="gotcha-doctor-kb-build-")  # the children's own Blender user folder
    try:
        # TMPDIR too: files a recipe writes (a library .blend, an image, a sound) go where this build removes them.
        env = {"BLENDER_USER_RESOURCES": user, "TMPDIR": user}
        raw = sweep.sweep(command, workers, log_dir, only, say=build.say, env=env)
        if build.cancelled.is_set():
            raise Cancelled
        data = sweep.compact(raw, lambda _op: NO_RECIPE, built_by=BUILT_BY)
        if only:
            data["partial"] = sorted(only)
        path = os.path.join(build.folder, f"kb-{data['blender_version']}.json.gz")
        partial = path + ".part"
        with open(partial, "wb") as handle:
            handle.write(kb.encode(data))
        os.replace(partial, path)  # atomic: the explainer never reads half a file
        build.path = path
        operator_poll.forget_kbs()
    except Cancelled:
        build.error = "cancelled"
    except (OSError, RuntimeError, ValueError, KeyError, AssertionError) as error:
        build.error = f"{type(error).__name__}: {error}"
    finally:
        build.seconds = time.monotonic() - build.started
        shutil.rmtree(user, ignore_errors=True)
