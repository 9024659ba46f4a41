"""Where a report may be written (core/report_target.py), on real files in a temporary folder."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from gotcha_doctor.core.report_target import refuse_report_path
from hypothesis import given
from hypothesis import strategies as st


def test_a_new_json_file_is_fine(tmp_path: Path) -> None:
    assert refuse_report_path(str(tmp_path / "report.json"), str(tmp_path / "scene.blend")) is None
    (tmp_path / "old.json").write_text("{}")
    assert refuse_report_path(str(tmp_path / "old.json"), "") is None  # an old report may be replaced


@pytest.mark.parametrize("name", ["scene.blend", "Scene.BLEND", "scene.blend1", "scene.blend12", "scene.blend@"])
def test_blend_names_are_refused_even_when_missing(tmp_path: Path, name: str) -> None:
    assert "named like a .blend" in refuse_report_path(str(tmp_path / name), "")


def test_the_scanned_file_is_refused_by_name_and_by_identity(tmp_path: Path) -> None:
    scanned = tmp_path / "shot.blend"
    scanned.write_bytes(b"BLENDER-v405")
    assert "scanned .blend file itself" in refuse_report_path(str(scanned), str(scanned))
    link = tmp_path / "link.json"
    link.symlink_to(scanned)
    assert "scanned .blend file itself" in refuse_report_path(str(link), str(scanned))


def test_a_blend_under_another_name_is_refused_by_its_contents(tmp_path: Path) -> None:
    plain = tmp_path / "notes.json"
    plain.write_bytes(b"BLENDER_v402RENDH")
    assert "by its contents" in refuse_report_path(str(plain), "")
    packed = tmp_path / "backup.blend.gz"
    packed.write_bytes(gzip.compress(b"BLENDER"))
    assert refuse_report_path(str(packed), "") is not None
    report_gz = tmp_path / "report.json.gz"
    report_gz.write_bytes(gzip.compress(b"{}"))
    assert refuse_report_path(str(report_gz), "") is None


def test_directories_and_empty_paths_are_refused(tmp_path: Path) -> None:
    assert "directory" in refuse_report_path(str(tmp_path), "")
    assert refuse_report_path("", "") == "no file path given"


@given(st.binary(min_size=1, max_size=30).map(os.fsdecode).filter(lambda n: "/" not in n and "\x00" not in n))
def test_any_name_gets_an_answer_without_raising(name: str) -> None:
    answer = refuse_report_path(os.path.join("/nonexistent-gotcha-dir", name), "/nonexistent-gotcha-dir/x.blend")
    assert answer is None or isinstance(answer, str)
    if name.lower().rstrip("@").rstrip("0123456789").endswith(".blend"):
        assert answer is not None
