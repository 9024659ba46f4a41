"""The README's main job: the bundled gotcha zoo, scanned as `python3 tools/dev.py demo` does, shows every check."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_demo_scan_of_the_zoo_shows_every_check(gd, tmp_path):
    zoo = tmp_path / "zoo"
    env = dict(os.environ, BLENDER_USER_RESOURCES=str(tmp_path / "user"))  # the demo enables the zoo's add-on there
    built = subprocess.run(
        [sys.executable, str(REPO / "examples" / "make_gotcha_zoo.py"), str(zoo)],
        capture_output=True,
        timeout=300,
        env=env,
    )
    assert built.returncode == 0, built.stderr.decode(errors="replace")[-2000:]
    scanned = subprocess.run(
        [sys.executable, str(REPO / "tools" / "demo_scan.py"), str(zoo)], capture_output=True, timeout=300, env=env
    )
    assert scanned.returncode == 0, scanned.stderr.decode(errors="replace")[-2000:]
    findings = json.loads((zoo / "report.json").read_text("utf-8"))["findings"]
    shown = {finding["check"] for finding in findings}
    # Every check of a scan, and the poll explainer's answer the demo asks for.
    assert shown == {*gd.checks.check_ids(), "operator_poll"}
    # The file's own script: both of its Gotchas, by rule and line.
    embedded = sorted(
        (f["id_name"], f["topic"], f["details"]["rule"], f["details"]["line"], f["details"]["registered"])
        for f in findings
        if f["check"] == "embedded_scripts"
    )
    assert embedded == [
        ("zoo_tools.py", "array-realloc", "GD101", 10, False),
        ("zoo_tools.py", "sys-exit", "GD140", 15, False),
    ]
