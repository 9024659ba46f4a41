"""The same scan on a Dask cluster as in local worker processes: same files, statuses, reports and summary."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[2]
LAUNCHER = [sys.executable, str(REPO / "tools" / "gotcha_cli.py")]

BUILD = textwrap.dedent(
    """
    import os, sys, bpy
    root = sys.argv[1]
    for i in range(6):
        bpy.ops.wm.read_homefile(use_empty=True)
        image = bpy.data.images.new(f"tex{i}.png", 1, 1)
        image.source = "FILE"
        image.filepath = f"//textures/tex{i}.png"  # missing: one ERROR each
        image.use_fake_user = True
        os.makedirs(f"{root}/set{i % 2}", exist_ok=True)
        bpy.ops.wm.save_as_mainfile(filepath=f"{root}/set{i % 2}/shot{i}.blend")
    """
)


def env_for(tmp_path: Path) -> dict[str, str]:
    """Blender's user files and the scan cache inside the test's folder; nothing under ~/.config or /tmp."""
    return dict(
        os.environ,
        BLENDER_USER_RESOURCES=str(tmp_path / "user"),
        GOTCHA_DOCTOR_SCAN_CACHE=str(tmp_path / "cache"),
        TMPDIR=str(tmp_path),
    )


@pytest.fixture
def cluster(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        local_directory=str(tmp_path / "dask"),
    ) as local:
        yield local.scheduler_address


def test_a_dask_run_reports_exactly_what_a_local_run_does(tmp_path, cluster):
    tree = tmp_path / "tree"
    subprocess.run([sys.executable, "-c", BUILD, str(tree)], check=True, capture_output=True, env=env_for(tmp_path))
    (tree / "set0" / "broken.blend").write_bytes(b"BLENDER-v500 truncated")
    local_out, dask_out = tmp_path / "local.json", tmp_path / "dask.json"
    local = subprocess.run(
        [*LAUNCHER, "scan", str(tree), "--jobs", "2", "--no-cache", "--json", str(local_out)],
        capture_output=True,
        env=env_for(tmp_path),
        timeout=300,
    )
    assert local.returncode == 1, local.stderr.decode()
    assert cluster.startswith("tcp://127.0.0.1:")
    remote = subprocess.run(
        [*LAUNCHER, "scan", str(tree), "--dask", cluster, "--no-cache", "--json", str(dask_out)],
        capture_output=True,
        env=env_for(tmp_path),
        timeout=300,
    )
    assert remote.returncode == 1, remote.stdout.decode() + remote.stderr.decode()
    assert "Traceback" not in remote.stdout.decode() + remote.stderr.decode()
    a, b = json.loads(local_out.read_text()), json.loads(dask_out.read_text())

    def comparable(batch):
        files = [{k: v for k, v in e.items() if k != "seconds"} for e in batch["files"]]
        summary = {k: v for k, v in batch["summary"].items() if k != "seconds"}
        return batch["schema"], batch["blender_version"], files, summary

    assert comparable(a) == comparable(b)
    summary = b["summary"]
    assert (summary["files"], summary["ok"], summary["unreadable"], summary["findings"]["ERROR"]) == (7, 6, 1, 6)
    ok = [e for e in b["files"] if e["status"] == "ok"]
    assert sorted(f["id_name"] for e in ok for f in e["report"]["findings"] if f["severity"] == "ERROR") == [
        f"tex{i}.png" for i in range(6)
    ]
    # The second Dask run uses the client's cache: nothing is sent to the cluster.
    again = subprocess.run(
        [*LAUNCHER, "scan", str(tree), "--dask", cluster, "--json", str(dask_out)],
        capture_output=True,
        env=env_for(tmp_path),
        timeout=300,
    )
    assert again.returncode == 1
    assert json.loads(dask_out.read_text())["summary"]["cached"] == 0  # the first runs were --no-cache
    third = subprocess.run(
        [*LAUNCHER, "scan", str(tree), "--dask", cluster, "--json", str(dask_out)],
        capture_output=True,
        env=env_for(tmp_path),
        timeout=300,
    )
    assert third.returncode == 1 and json.loads(dask_out.read_text())["summary"]["cached"] == 7


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "a.blend").write_bytes(b"x")
    result = subprocess.run(
        [*LAUNCHER, "scan", str(tmp_path), "--dask", "tcp://127.0.0.1:9", "--no-cache"],
        capture_output=True,
        env=dict(env_for(tmp_path), GOTCHA_DOCTOR_DASK_CONNECT_TIMEOUT="3"),
        timeout=120,
    )
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "gotcha_doctor: cannot reach the Dask scheduler at tcp://127.0.0.1:9:" in err
    assert "Traceback" not in err + result.stdout.decode()
