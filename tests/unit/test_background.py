"""Child processes of a scan start below the parent's priority, so a window drawing next to them keeps its CPU."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from gotcha_doctor.core import background


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX niceness")
def test_a_child_runs_niceness_levels_below_its_parent():
    own = os.getpriority(os.PRIO_PROCESS, 0)
    # The child waits for a line on stdin, so its priority is read after start() has lowered it.
    process = background.start(
        [sys.executable, "-c", "import os, sys; sys.stdin.readline(); print(os.getpriority(os.PRIO_PROCESS, 0))"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    out, _ = process.communicate(b"go\n", timeout=60)
    assert process.returncode == 0
    assert int(out) == min(19, own + background.NICENESS)


def test_a_child_that_cannot_start_raises_as_popen_does(tmp_path):
    with pytest.raises(FileNotFoundError):
        background.start([str(tmp_path / "no-such-program")])
