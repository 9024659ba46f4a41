"""The scan engine on real Blender data (a real check, sliced); the engine's own logic is tested in tests/unit."""

from blender_scenes import linked_twins


def many_collisions(tmp_path, count):
    return linked_twins(tmp_path, [f"Rock_{i:04d}" for i in range(count)])


def test_sliced_scan_equals_synchronous_scan_and_progress_only_grows(tmp_path, gd):
    names = many_collisions(tmp_path, 3000)
    sync = gd.runner.make_engine(["library_name_collisions"]).run_to_end()
    engine = gd.runner.make_engine(["library_name_collisions"])
    progress, slices = [], 0
    while not engine.step(0.001):  # a 1 ms budget forces many slices
        progress.append(engine.progress)
        slices += 1
    assert slices >= 3
    assert progress == sorted(progress)
    assert engine.findings == sync
    assert sorted(f.id_name for f in sync) == names


def test_cancel_keeps_partial_findings_and_restart_drops_the_running_check(tmp_path, gd):
    many_collisions(tmp_path, 50)
    engine = gd.runner.make_engine(["library_name_collisions"])
    while not engine.pending:
        engine.step(0.0)
    engine.restart_current()
    assert engine.findings == [] and engine.pending == [] and engine.check_fraction == 0.0
    while not engine.pending:
        engine.step(0.0)
    partial = list(engine.pending)
    engine.cancel()
    assert engine.findings == partial and 0 < len(partial) < 50
