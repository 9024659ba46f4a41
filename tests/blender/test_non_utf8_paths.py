"""non_utf8_paths on real files with non-UTF-8 names: findings, and print / panel draw / JSON never raise."""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from pathlib import Path

import bpy
from blender_scenes import file_image, listed_details, save_as
from recording_layout import draw_panel

CHECK = "non_utf8_paths"
BAD_DIR = os.fsdecode(b"d\xe9cor")  # "décor" saved by a Latin-1 tool
BAD_FILE = os.fsdecode(b"caf\xe9.png")


def findings(check: str = CHECK) -> list:
    assert bpy.ops.gotcha.scan(checks=check) == {"FINISHED"}
    return list(bpy.context.window_manager.gotcha_doctor.findings)


def build(tmp_path: Path) -> Path:
    """A main file saved under a non-UTF-8 directory, holding an image whose directory and file are non-UTF-8."""
    root = tmp_path / BAD_DIR
    (root / "tex" / BAD_DIR).mkdir(parents=True)
    (root / "tex" / BAD_DIR / BAD_FILE).write_bytes(b"")
    main = save_as(root / "main.blend")
    file_image("cafe", f"//tex/{BAD_DIR}/{BAD_FILE}")
    file_image("device", "//tex/CON.png")
    file_image("dots", "//tex/final./a.png ")
    file_image("fine", "//tex/plain.png")
    bpy.ops.wm.save_mainfile()
    bpy.ops.wm.open_mainfile(filepath=str(main))
    return main


def test_non_utf8_paths_and_windows_names_are_reported(gd, tmp_path: Path):
    main = build(tmp_path)
    assert bpy.data.filepath == str(main)  # surrogates: the .blend's own path is not UTF-8 either
    items = findings()
    keyed = sorted((i.severity, i.id_type, i.id_name, listed_details(i)["kind"]) for i in items)
    assert keyed == [
        ("INFO", "IMAGE", "device", "windows_invalid_name"),
        ("INFO", "IMAGE", "dots", "windows_invalid_name"),
        ("WARNING", "", "", "non_utf8"),
        ("WARNING", "IMAGE", "cafe", "non_utf8"),
    ]
    cafe = next(i for i in items if i.id_name == "cafe")
    assert cafe.check == CHECK and cafe.topic == "non-utf8-path" and not cafe.has_library
    details = listed_details(cafe)
    assert details["raw_path"] == "//tex/d\\xe9cor/caf\\xe9.png"
    raw = os.fsdecode(base64.b64decode(details["raw_path_base64"]))
    assert raw == f"//tex/{BAD_DIR}/{BAD_FILE}" == bpy.data.images["cafe"].filepath  # lossless
    assert details["bad_bytes"] == ["\\xe9"]
    assert details["utf8_candidates"][0] == "//tex/décor/café.png"
    assert cafe.fixes == "path_reencode"
    assert "//tex/d\\xe9cor/caf\\xe9.png is not valid UTF-8" in cafe.message
    blend = next(i for i in items if not i.has_datablock)
    blend_details = listed_details(blend)
    assert os.fsdecode(base64.b64decode(blend_details["raw_path_base64"])) == str(main)
    assert blend.fixes == ""
    dots = listed_details(next(i for i in items if i.id_name == "dots"))
    assert dots["problems"] == [
        '"final." ends with a dot, which Windows drops',
        '"a.png " ends with a space, which Windows drops',
    ]


def test_non_utf8_findings_survive_print_panel_draw_and_json(gd, tmp_path: Path):
    build(tmp_path)
    findings("relative_paths,non_utf8_paths")
    state = bpy.context.window_manager.gotcha_doctor
    assert len(state.findings) >= 4
    # The panel: the list rows and the details of every finding draw without raising.
    draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor, bpy.context)
    for index in range(len(state.findings)):
        state.active_index = index
        layout = draw_panel(gd.panels.main.VIEW3D_PT_gotcha_doctor_details, bpy.context)
        assert layout.texts()
    # The text report printed to an ASCII console (the seed's UnicodeEncodeError) and the JSON file.
    report = gd.runner.report_from_state(state)
    text = gd.core.report.format_text(report)
    ascii_console = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="strict")
    gd.cli._say(text, ascii_console)
    print(text, file=io.StringIO())
    out = tmp_path / "report.json"
    assert bpy.ops.gotcha.export_report(filepath=str(out)) == {"FINISHED"}
    loaded = json.loads(out.read_bytes().decode("utf-8"))
    cafe = next(f for f in loaded["findings"] if f["check"] == CHECK and f["id_name"] == "cafe")
    assert cafe["details"]["raw_path_base64"] == base64.b64encode(os.fsencode(f"//tex/{BAD_DIR}/{BAD_FILE}")).decode()


def test_cli_prints_and_writes_json_for_a_non_utf8_file(gd, tmp_path: Path, capsys):
    main = build(tmp_path)
    out = tmp_path / "cli.json"
    status = gd.cli.main(
        ["scan", str(main), "--checks", "relative_paths,non_utf8_paths", "--json", str(out), "--fail-on", "never"]
    )
    assert status == 0
    printed = capsys.readouterr().out
    assert "caf\\xe9.png" in printed and "[non_utf8_paths / non-utf8-path]" in printed
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "gotcha-doctor/report/1"
    sys.stdout.flush()


def test_utf8_candidates_keep_valid_characters(gd):
    candidates = gd.checks.non_utf8_paths.utf8_candidates(os.fsdecode("//ü/".encode() + b"caf\xe9.png"))
    assert candidates[0] == "//ü/café.png"
    assert candidates[-1] == "//ü/caf\ufffd.png"
