"""How a --dask run splits its work and which Blender a Dask worker starts (the cluster run itself: tests/dask)."""

from gotcha_doctor.dask_run import MAX_CHUNK, chunk_size, chunks, worker_command


def test_about_four_chunks_per_worker_and_never_huge():
    assert chunk_size(100, 5) == 5 and chunk_size(3, 8) == 1 and chunk_size(100_000, 20) == MAX_CHUNK == 50
    assert chunks(["a", "b", "c", "d", "e"], 2) == [["a", "b"], ["c", "d"], ["e"]]


def test_a_worker_may_name_its_own_blender(monkeypatch):
    client = ["/venv/bin/python", "/repo/tools/gotcha_cli.py", "worker", "--checks", "relative_paths"]
    monkeypatch.delenv("GOTCHA_DOCTOR_BLENDER", raising=False)
    assert worker_command(client) == client
    monkeypatch.setenv("GOTCHA_DOCTOR_BLENDER", "/opt/blender/blender")
    assert worker_command(client) == [
        "/opt/blender/blender",
        "--background",
        "--command",
        "gotcha_doctor",
        "worker",
        "--checks",
        "relative_paths",
    ]
