"""tools/dev.py (stdlib only): which benchmarks ``bench`` runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def dev(monkeypatch):
    spec = importlib.util.spec_from_file_location("gotcha_dev_tool", REPO / "tools" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    ran: list[list[str]] = []
    monkeypatch.setattr(module, "venv_python", lambda name: Path("/venv") / name / "python")
    monkeypatch.setattr(module, "run", lambda command, **_kw: ran.append(command) or 0)
    module.ran = ran
    return module


def test_bench_without_names_runs_every_benchmark_with_no_extra_argument(dev):
    assert dev.cmd_bench([]) == 0
    scripts = sorted(path.name for path in (REPO / "benchmarks").glob("bench_*.py"))
    assert [Path(command[1]).name for command in dev.ran] == scripts
    assert all(len(command) == 2 for command in dev.ran)  # bench_paths_ab.py too: its revision defaults to HEAD
    assert "bench_paths_ab.py" in scripts


@pytest.mark.parametrize("name", ["paths", "bench_paths", "bench_paths.py"])
def test_bench_name_is_exact_not_a_prefix(dev, name):
    assert dev.cmd_bench([name]) == 0
    assert [Path(command[1]).name for command in dev.ran] == ["bench_paths.py"]


def test_bench_unknown_name_is_refused(dev, capsys):
    assert dev.cmd_bench(["nope"]) == 2
    assert dev.ran == []
    assert "no benchmark named nope; there are: " in capsys.readouterr().out
