"""Window tests: Gotcha Doctor in a real Blender window (Xvfb), driven with xdotool from outside.

How the scan is triggered: by a **real X11 mouse click** (xdotool) on the sidebar's Scan button, i.e. Blender's own
button handling invokes ``gotcha.scan`` with INVOKE_DEFAULT, exactly as for a user; the second scan is the same click
and then a real Esc key press; the third comes from F3 (menu search), typing "Gotcha scan" and Enter. Nothing in
these tests calls an operator from Python: tests/gui/driver.py only observes (state, timer ticks, redraws).

Run:  tests/gui/run_window_tests.sh      (root needed; builds/reuses the Debian trixie root, ~1 min when reused)
      GOTCHA_GUI_RESULT=/tmp/x/result.json pytest -c tests/gui/pytest.ini tests/gui   (re-check a finished run)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "run_window_tests.py"
SKIP = 77

# The UI must answer within this while a scan runs. Measured on Xvfb with Mesa's software OpenGL (llvmpipe) on two
# cores, where one redraw of the sidebar costs tens of ms; a frozen UI (a blocking scan) shows gaps of seconds.
MAX_GAP_MS = float(os.environ.get("GOTCHA_GUI_MAX_GAP_MS", "1000"))
MAX_ESC_LATENCY_MS = 1000.0
# Debian's Blender in each root tools/gui_root.sh builds (GOTCHA_GUI_SUITE picks the root).
SUITE = os.environ.get("GOTCHA_GUI_SUITE", "trixie")
DEBIAN_BLENDER = {"trixie": "4.3.2", "sid": "5.2.2"}[SUITE]


@pytest.fixture(scope="session")
def run() -> dict:
    given = os.environ.get("GOTCHA_GUI_RESULT")
    if given:
        result = json.loads(Path(given).read_text())
    else:
        out = Path(os.environ.get("GOTCHA_GUI_OUT") or tempfile.mkdtemp(prefix="gotcha-gui-"))
        # The runner's progress streams through (visible live with `pytest -s`): a window run takes minutes.
        lines: list[str] = []
        with subprocess.Popen(
            [sys.executable, str(RUNNER), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        ) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                sys.stderr.write(line)
                sys.stderr.flush()
                lines.append(line)
        output = "".join(lines)
        result_path = out / "result.json"
        if proc.returncode == SKIP:
            reason = json.loads(result_path.read_text()).get("skipped") if result_path.exists() else None
            pytest.skip(f"window tests skipped: {reason or 'tools/gui_root.sh exit 77'}")
        if not result_path.exists():
            pytest.fail(f"the runner wrote no result.json (exit {proc.returncode}):\n{output[-3000:]}")
        result = json.loads(result_path.read_text())
    if result.get("skipped"):
        pytest.skip(f"window tests skipped: {result['skipped']}")
    return result


def _scans(run: dict) -> list[dict]:
    return run.get("metrics", {}).get("scans", [])


def _step(run: dict, name: str) -> dict | None:
    return next((s for s in run.get("steps", []) if s["name"] == name), None)


def _need_scan(run: dict, index: int) -> dict:
    scans = _scans(run)
    if len(scans) <= index:
        pytest.fail(f"scan {index + 1} never ran; the scenario stopped with: {run.get('error')}")
    return scans[index]


def test_scenario_completed(run: dict) -> None:
    """The whole story ran: build, install, window, clicks, keys; the screenshots show each step."""
    print("\n" + run.get("summary", ""))
    print(f"screenshots: {run.get('screenshots_dir')}")
    assert run.get("ok"), f"window scenario failed: {run.get('error')}"


def test_no_python_errors_in_blender(run: dict) -> None:
    """Draw code, modal code and timers raised nothing (Blender only prints those; the UI carries on half-drawn)."""
    errors = run.get("python_errors", [])
    assert not errors, f"{len(errors)} Python error(s) in Blender's output; first:\n{errors[0] if errors else ''}"
    assert not run.get("driver_errors"), run.get("driver_errors")


def test_scan_button_click_starts_a_modal_scan(run: dict) -> None:
    """A real click on the Scan button (xdotool at the button's pixels) started the scan."""
    clicked = _step(run, "scan button found")
    assert clicked is not None, f"no click on the Scan button started a scan: {run.get('error')}"
    scan = _need_scan(run, 0)
    assert scan["start"] >= clicked["t"] - 2.5  # the scan began after the click (the click step is logged after it)


def test_progress_advances_over_many_timer_ticks(run: dict) -> None:
    scan = _need_scan(run, 0)
    values = scan["progress_values"]
    print(
        f"\nscan 1: {scan['duration_s']} s, {scan['n_progress_changes']} progress changes, "
        f"{scan['timer_ticks']['n']} timer ticks, longest progress stall {scan['longest_progress_stall_s']} s"
    )
    assert scan["timer_ticks"]["n"] >= 10, f"only {scan['timer_ticks']['n']} timer ticks during the scan"
    assert scan["n_progress_changes"] >= 5, f"progress changed only {scan['n_progress_changes']} times: {values}"
    assert all(b >= a for a, b in zip(values, values[1:], strict=False)), f"progress went backwards: {values}"
    assert scan["end_state"]["progress"] == pytest.approx(1.0), scan["end_state"]


def test_loading_a_file_with_load_ui_off_ends_a_running_scan(run: dict) -> None:
    """A load with Load UI off keeps the window manager: a scan running then must not stay "running" for good
    (Scan, Explain and Clear would stay disabled)."""
    running, ended = _step(run, "load ui off scan running"), _step(run, "load ui off end")
    assert running is not None and running["state"]["is_running"], f"no scan ran before the load: {run.get('error')}"
    assert ended is not None, f"the scan never ended after the load: {run.get('error')}"
    state = ended["state"]
    assert not state["is_running"] and state["cancelled"], state
    # Ended by the load handler ("Stopped: ...") or, when the modal operator outlived the load, by its next tick.
    assert state["status"].startswith(("Stopped: ", "Cancelled: ")), state


def test_ui_stays_responsive_while_scanning(run: dict) -> None:
    """Longest gap between event-loop timer ticks and between sidebar redraws while the scan runs (the three scans of
    the story; a fourth is ended by loading a file, which blocks the window while it loads)."""
    for number, scan in enumerate(_scans(run)[:3], 1):
        ticks, redraws = scan["timer_ticks"], scan["sidebar_redraws"]
        print(
            f"\nscan {number}: timer ticks longest gap {ticks['max_gap_ms']} ms (p95 {ticks['p95_gap_ms']} ms), "
            f"sidebar redraws {redraws['n']}, longest gap {redraws['max_gap_ms']} ms"
        )
        assert ticks["max_gap_ms"] is not None and ticks["max_gap_ms"] < MAX_GAP_MS, (number, ticks)
        # The progress is redrawn every 0.3 s: at least one redraw per half second of scanning (scan 2 is short).
        least = max(1, int(scan["duration_s"] / 0.5))
        assert redraws["n"] >= least, (
            f"scan {number}: the sidebar was redrawn only {redraws['n']} times in {scan['duration_s']} s"
        )
        assert redraws["max_gap_ms"] < MAX_GAP_MS, (number, redraws)
    assert _scans(run), "no scan ran"


# A modal scan keeps pace with the window: not much slower than the same scan run at once, never freezing the UI
# for long, progress moving all the time.
MAX_MODAL_RATIO = 1.5
MAX_STALL_MS = 200.0
MAX_PROGRESS_STALL_S = 0.5


def test_modal_scan_keeps_pace(run: dict) -> None:
    scan = _need_scan(run, 0)
    pace = run.get("metrics", {}).get("pace")
    assert pace, "no complete modal scan, or the synchronous scan in the same session did not run"
    # The best of the two complete modal scans (button, F3) against the best of two synchronous runs of the same
    # scan in this session: one run of either moves by a third with the machine's load.
    modal_s, sync_s = min(pace["modal_s"]), min(pace["sync_s"])
    ratio = modal_s / sync_s
    stall_ms = scan["timer_ticks"]["max_gap_ms"]
    progress_s = scan["longest_progress_stall_s"]
    # What the user sees move: the sidebar redrawn with the new progress (the state moves on every tick).
    shown_s = scan["sidebar_redraws"]["max_gap_ms"] / 1000
    print(
        f"\nmodal scan {modal_s:.2f} s (best of {pace['modal_s']}) / synchronous {sync_s:.2f} s (best of "
        f"{pace['sync_s']}) = {ratio:.2f}x (at most "
        f"{MAX_MODAL_RATIO}x); longest UI stall {stall_ms} ms (at most {MAX_STALL_MS:.0f}); progress moved at least "
        f"every {progress_s:.2f} s and was redrawn at least every {shown_s:.2f} s (at most {MAX_PROGRESS_STALL_S})"
    )
    assert ratio <= MAX_MODAL_RATIO, f"modal scan {ratio:.2f}x the synchronous one"
    assert stall_ms is not None and stall_ms <= MAX_STALL_MS, f"the UI stalled {stall_ms} ms"
    assert progress_s <= MAX_PROGRESS_STALL_S, f"progress stood still for {progress_s:.2f} s"
    assert shown_s <= MAX_PROGRESS_STALL_S, f"the sidebar showed the same progress for {shown_s:.2f} s"


def test_a_scan_redraws_no_other_editor(run: dict) -> None:
    """The scan started from the panel redraws the sidebar and the status bar, never the viewport, the outliner,
    the properties or the timeline (each a costly draw with the zoo's 10,000 objects, under software OpenGL)."""
    scan = _need_scan(run, 0)
    assert scan["other_redraws"] == {
        "viewport": 0,
        "outliner": 0,
        "properties": 0,
        "timeline": 0,
        "view3d_header": 0,
    }, scan["other_redraws"]


def test_findings_appear(run: dict) -> None:
    end = _need_scan(run, 0)["end_state"]
    assert end["n_findings"] > 0 and not end["cancelled"] and not end["is_running"], end


def test_esc_cancels_and_keeps_partial_findings(run: dict) -> None:
    full = _need_scan(run, 0)["end_state"]["n_findings"]
    esc = run.get("metrics", {}).get("esc")
    assert esc is not None, f"Esc was not pressed during a running scan: {run.get('error')}"
    end = esc["end_state"]
    print(f"\nEsc: stopped after {esc['latency_ms']} ms, kept {end['n_findings']} of {full} findings")
    assert end["cancelled"] is True and not end["is_running"], end
    assert esc["latency_ms"] < MAX_ESC_LATENCY_MS, esc
    assert 0 < end["n_findings"] <= full, f"partial findings not kept: {end['n_findings']} of {full}"
    assert end["progress"] < 1.0, end


def test_f3_search_lists_and_runs_the_scan(run: dict) -> None:
    """F3, "Gotcha": the search lists the operators (screenshot); "Gotcha scan" + Enter starts a scan."""
    assert any("f3_search_gotcha" in name for name in run.get("screenshots", [])), run.get("screenshots")
    started = _step(run, "f3 scan started")
    assert started is not None, f"Enter in the F3 search did not start a scan: {run.get('error')}"
    scan = _need_scan(run, 2)
    assert scan["end_state"]["n_findings"] > 0 and not scan["end_state"]["cancelled"], scan["end_state"]


def test_clicking_a_finding_row_selects_its_object(run: dict) -> None:
    clicked = _step(run, "finding row clicked")
    assert clicked is not None, f"no finding row click ran gotcha.select_finding: {run.get('error')}"
    finding, state = clicked["finding"], clicked["state"]
    assert finding is not None, clicked
    if finding["id_type"] != "OBJECT":
        pytest.skip(f"the clicked row is about a {finding['id_type']}, not an object: {finding}")
    assert state["active_object"] == finding["id_name"], (finding, state)
    assert finding["id_name"] in state["selected"], (finding, state)


def test_real_blender_binary_command_line(run: dict) -> None:
    """`blender -b -c gotcha_doctor scan ...` with the installed zip: exit codes, report, JSON (contract.md)."""
    cli = run["prepare"]["cli"]
    warn = cli["fail_on_warning"]
    assert warn["exit"] == 1, warn
    assert "Gotcha Doctor report for " in warn["stdout"] and "WARNING (" in warn["stdout"], warn["stdout"]
    report = cli["report"]
    assert report["schema"] == "gotcha-doctor/report/1" and report["blend_file"].endswith("gotcha_zoo.blend")
    assert report["blender_version"].startswith(DEBIAN_BLENDER)
    checks = {f["check"] for f in report["findings"]}
    assert {"library_name_collisions", "relative_paths", "non_utf8_paths", "editmode_sync"} <= checks, checks
    assert cli["fail_on_never"]["exit"] == 0, cli["fail_on_never"]
    missing = cli["missing_file"]
    assert missing["exit"] == 2 and "gotcha_doctor: cannot open /no/such/file.blend: no such file" in missing["stderr"]
    assert "Traceback" not in missing["stderr"] + missing["stdout"]
    usage = cli["usage_error"]
    assert usage["exit"] == 2 and "invalid choice: 'sometimes'" in usage["stderr"], usage
    many = cli["many_files"]
    batch = cli["batch"]
    assert many["exit"] == 1 and batch is not None, many  # the zoo holds ERROR findings
    assert batch["schema"] == "gotcha-doctor/batch/1" and batch["blender_version"].startswith(DEBIAN_BLENDER)
    statuses = {e["blend_file"].rsplit("/", 1)[-1]: e["status"] for e in batch["files"]}
    assert statuses.get("gotcha_zoo.blend") == "ok" and set(statuses.values()) == {"ok"}, statuses
    assert batch["summary"]["files"] == len(statuses) >= 2 and batch["summary"]["findings"]["ERROR"] > 0
    broken = cli.get("unreadable_non_utf8")
    assert broken is not None and broken["exit"] == 2, broken
    ours = [line for line in broken["stderr"].splitlines() if line.startswith("gotcha_doctor")]
    assert len(ours) == 1 and "caf\\xe9 broken.blend: " in ours[0], broken
    assert "Traceback" not in broken["stderr"] + broken["stdout"], broken


def test_a_scan_leaves_the_file_unmodified(run: dict) -> None:
    """bpy.data.is_dirty is False before the first (button) scan and still False when it ends; only a real
    window shows this (in the bpy module is_dirty is always True)."""
    begin, end = _step(run, "scan1 begin"), _step(run, "scan1 end")
    assert begin is not None and end is not None, run.get("error")
    assert begin["state"]["is_dirty"] is False, begin["state"]
    assert end["state"]["is_dirty"] is False and end["state"]["n_findings"] > 0, end["state"]


def test_f3_explain_operator_poll_opens_a_search_and_answers(run: dict) -> None:
    """F3 "explain operator poll" + Enter opens a search over every operator; typing action.clean and Enter
    explains it; the explainer finds and verifies the Dope Sheet context.

    Where the answer comes from depends on the Blender, as facts per version: Debian trixie's 4.3.2 has no shipped
    knowledge base (no 4.3 series), so a child-process probe (the Blender binary running poll_worker.py) polls it first
    in this screen's editors, and only then does the session poll it there. Debian sid's 5.2.2 is answered from the
    knowledge base of the same series (5.2.3), whose sweep polled it in these editors without a crash."""
    answered = _step(run, "explain answered")
    assert answered is not None, f"the explainer did not answer: {run.get('error')}"
    answer = answered["state"]["poll_answer"]
    print(f"\n{answer}")
    assert answer["operator"] == "action.clean" and answer["active"] is True
    if SUITE == "trixie":
        assert answer["polled"].startswith("in this Blender session, where a child Blender process was asked")
        assert "Source: a child Blender 4.3.2 process" in answer["message"]
    else:
        assert answer["polled"] == (
            "in this Blender session (the knowledge base polled it in these editors without a crash)"
        )
        assert "the knowledge base of Blender 5.2.3 (same series (5.2.3))" in answer["message"]
    assert answer["passing_ui_type"] == "DOPESHEET" and answer["verified"] is True
    assert "bpy.ops.action.clean" in answer["message"]


def test_clicking_a_script_finding_opens_the_text_at_its_line(run: dict) -> None:
    """The zoo's registered Text is linted by the scan; a real click on one of its rows opens it in a Text Editor (a
    new window: the screen has none) with the cursor on the finding's line."""
    clicked = _step(run, "text finding row clicked")
    assert clicked is not None, f"no click on a script finding's row: {run.get('error')}"
    finding = clicked["finding"]
    assert (finding["check"], finding["id_type"], finding["id_name"]) == ("embedded_scripts", "TEXT", "zoo_tools.py")
    assert finding["line"] in (10, 15), finding  # the zoo's two Gotchas: array-realloc at 10, sys-exit at 15
    shown = _step(run, "text shown")
    assert shown is not None, f"no Text Editor showed the text: {run.get('error')}"
    assert {"text": "zoo_tools.py", "line": finding["line"]} in shown["state"]["text_editors"], shown["state"]
