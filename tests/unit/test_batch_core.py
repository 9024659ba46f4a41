"""Many-files scanning without Blender: which files, summary and batch JSON, exit status, SARIF, JUnit, progress,
the cache."""

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gotcha_doctor.core import batch_formats, sarif
from gotcha_doctor.core.batch import (
    CRASHED,
    OK,
    SCHEMA,
    TIMEOUT,
    UNREADABLE,
    FileResult,
    batch_fails,
    build_batch,
    collect,
    result_line,
)
from gotcha_doctor.core.batch_run import BatchOptions, exit_status, run_batch
from gotcha_doctor.core.progress import ProgressReporter, bar_text
from gotcha_doctor.core.scan_cache import ScanCache, content_hash

REPO = Path(__file__).resolve().parents[2]


def finding(severity="WARNING", check="relative_paths", name="wood.png", **details):
    return {
        "check": check,
        "topic": "relative-path",
        "severity": severity,
        "id_type": "IMAGE",
        "id_name": name,
        "library": None,
        "message": f"{name} is missing",
        "details": details,
    }


def report(path, *findings):
    return {
        "schema": "gotcha-doctor/report/1",
        "blender_version": "5.0.1",
        "blend_file": path,
        "cancelled": False,
        "findings": list(findings),
    }


def test_collect_walks_folders_skips_backups_follows_links_once_and_reports_missing(tmp_path):
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for name in ("a/one.blend", "a/deep/two.BLEND", "a/one.blend1", "a/deep/two.blend2", "a/notes.txt", "top.blend"):
        (tmp_path / name).write_bytes(b"BLENDER")
    (tmp_path / "a" / "deep" / "loop").symlink_to(tmp_path / "a", target_is_directory=True)  # a symlink loop
    (tmp_path / "a" / "alias.blend").symlink_to(tmp_path / "top.blend")  # a second way to the same file
    (tmp_path / "a" / "dangling.blend").symlink_to(tmp_path / "nowhere.blend")
    got = collect([str(tmp_path / "a"), str(tmp_path / "top.blend"), str(tmp_path / "missing")])
    assert got.files == [
        str(tmp_path / "a" / "alias.blend"),
        str(tmp_path / "a" / "one.blend"),
        str(tmp_path / "a" / "deep" / "two.BLEND"),
    ]  # a folder's files, then its folders; top.blend is alias.blend (same inode): scanned once
    assert [(p.blend_file, p.status, p.error) for p in got.problems] == [
        (str(tmp_path / "missing"), UNREADABLE, "cannot open: no such file or folder")
    ]


def test_collect_takes_a_named_file_whatever_its_name_and_non_utf8_names(tmp_path):
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.blend"))
    odd.write_bytes(b"BLENDER")
    (tmp_path / "given.bin").write_bytes(b"x")
    got = collect([str(tmp_path), str(tmp_path / "given.bin")])
    assert got.files == [str(odd), str(tmp_path / "given.bin")]
    assert got.problems == []


def test_a_folder_that_cannot_be_listed_is_one_unreadable_entry(tmp_path):
    # Root reads every folder whatever its mode: the listing then runs as nobody, in a tree nobody may enter.
    # As root, the folders go straight under /tmp: the test command's own temporary folder is private (0700), and
    # nobody could not reach anything inside it.
    shared = "/tmp" if os.geteuid() == 0 and os.path.isdir("/tmp") else None
    top = Path(tempfile.mkdtemp(prefix="gotcha-doctor-perm-", dir=shared))
    try:
        os.chmod(top, 0o755)
        (top / "open").mkdir()
        (top / "open" / "a.blend").write_bytes(b"BLENDER")
        (top / "closed").mkdir()
        (top / "closed" / "b.blend").write_bytes(b"BLENDER")
        os.chmod(top / "closed", 0o000)
        code = (
            "import sys, json; sys.path.insert(0, sys.argv[1]); from gotcha_doctor.core.batch import collect; "
            "got = collect([sys.argv[2]]); print(json.dumps([got.files, [(p.blend_file, p.error) for p in got.problems]]))"
        )
        parent = tempfile.mkdtemp(prefix="gotcha-doctor-pkg-", dir=shared)
        os.chmod(parent, 0o755)
        os.symlink(REPO, os.path.join(parent, "gotcha_doctor"))
        preexec = (lambda: (os.setgid(65534), os.setuid(65534))) if os.geteuid() == 0 else None
        # The venv's python may sit where nobody cannot enter (/root); the system one runs the stdlib-only code.
        python = "/usr/bin/python3" if os.geteuid() == 0 and os.path.exists("/usr/bin/python3") else sys.executable
        out = subprocess.run(
            [python, "-c", code, parent, str(top)], capture_output=True, text=True, preexec_fn=preexec, check=True
        ).stdout
        assert json.loads(out) == [
            [str(top / "open" / "a.blend")],
            [[str(top / "closed"), "cannot list folder: permission denied"]],
        ]
    finally:
        os.chmod(top / "closed", 0o755)
        shutil.rmtree(top)
        shutil.rmtree(parent, ignore_errors=True)


def sample_results():
    return [
        FileResult("/p/a.blend", OK, report=report("/p/a.blend", finding("ERROR"), finding("INFO", name="b"))),
        FileResult("/p/b.blend", OK, report=report("/p/b.blend")),
        FileResult("/p/c.blend", UNREADABLE, "Failed to read blend file"),
        FileResult("/p/d.blend", CRASHED, "Blender killed by SIGSEGV", signal="SIGSEGV"),
        FileResult("/p/e.blend", TIMEOUT, "no result after 5 s", extra={"teardown": "x"}),
    ]


def test_batch_json_has_the_contract_shape_and_summary():
    batch = build_batch(sample_results(), 2.5, "5.0.1")
    assert batch["schema"] == SCHEMA == "gotcha-doctor/batch/1"
    assert batch["summary"] == {
        "files": 5,
        "ok": 2,
        "unreadable": 1,
        "crashed": 1,
        "timeout": 1,
        "findings": {"ERROR": 1, "WARNING": 0, "INFO": 1},
        "cached": 0,
        "seconds": 2.5,
    }
    a, b, c, d, e = batch["files"]
    assert a["blend_file"] == "/p/a.blend" and a["status"] == "ok" and a["error"] is None
    assert a["report"]["findings"][0]["severity"] == "ERROR"
    assert c == {
        "blend_file": "/p/c.blend",
        "status": "unreadable",
        "error": "Failed to read blend file",
        "report": None,
        "seconds": 0.0,
        "cached": False,
    }
    assert d["signal"] == "SIGSEGV" and d["report"] is None and e["teardown"] == "x"
    json.dumps(batch, ensure_ascii=False).encode("utf-8")


def test_a_non_utf8_path_is_readable_and_kept_as_base64():
    path = os.fsdecode(b"/p/caf\xe9.blend")
    entry = build_batch([FileResult(path, UNREADABLE, "x")], 1.0, "5.0.1")["files"][0]
    assert entry["blend_file"] == "/p/caf\\xe9.blend" and entry["blend_file_base64"] == "L3AvY2Fm6S5ibGVuZA=="


@pytest.mark.parametrize(
    ("statuses", "fail_on", "fails"),
    [
        ([OK], "error", False),  # b.blend: no findings
        ([OK, CRASHED], "error", True),  # a file that is not ok counts as an ERROR
        ([TIMEOUT], "never", False),
        ([UNREADABLE], "info", True),
    ],
)
def test_a_file_that_is_not_ok_counts_as_an_error(statuses, fail_on, fails):
    results = [FileResult(f"/p/{i}.blend", s, report=report("x") if s == OK else None) for i, s in enumerate(statuses)]
    assert batch_fails(results, fail_on) is fails


def test_findings_decide_for_ok_files():
    results = sample_results()[:2]
    assert batch_fails(results, "error") and batch_fails(results, "info")
    only_info = [FileResult("/p/a.blend", OK, report=report("/p/a.blend", finding("INFO")))]
    assert not batch_fails(only_info, "warning") and batch_fails(only_info, "info")


def test_sarif_log_puts_findings_at_line_1_with_stable_fingerprints(tmp_path):
    blend = str(tmp_path / "sets" / "a.blend")
    first = [FileResult(blend, OK, report=report(blend, finding("ERROR", data_path="filepath")))]
    log = batch_formats.sarif_log(first, "0.1.0", str(tmp_path))
    assert log["version"] == "2.1.0" and log["$schema"] == sarif.SCHEMA_URI
    run = log["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["relative_paths", "file-not-scanned"]
    (result,) = run["results"]
    assert result["ruleId"] == "relative_paths" and result["level"] == "error" and result["ruleIndex"] == 0
    location = result["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "sets/a.blend", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1},
    }
    assert result["message"]["text"] == 'Image "wood.png": wood.png is missing'
    expected = sarif.fingerprint(["relative_paths", "IMAGE", "wood.png", "", "sets/a.blend", "filepath"])
    assert result["partialFingerprints"] == {"gotchaDoctor/v1": expected}
    # Another run, another message text and severity, the checkout elsewhere: the same fingerprint.
    moved = tmp_path / "elsewhere"
    other = dict(finding("WARNING", data_path="filepath"), message="now 3 images are missing")
    second = [FileResult(str(moved / "sets" / "a.blend"), OK, report=report("", other))]
    again = batch_formats.sarif_log(second, "0.1.1", str(moved))["runs"][0]["results"][0]
    assert again["partialFingerprints"] == result["partialFingerprints"]
    # Another datablock or another property: another fingerprint.
    third = [FileResult(blend, OK, report=report(blend, finding("ERROR", name="oak.png", data_path="filepath")))]
    assert (
        batch_formats.sarif_log(third, "0.1.0", str(tmp_path))["runs"][0]["results"][0]["partialFingerprints"]
        != (result["partialFingerprints"])
    )


def test_sarif_reports_files_that_were_not_scanned_and_outside_paths_as_file_uris():
    log = batch_formats.sarif_log(
        [FileResult(os.fsdecode(b"/x/caf\xe9 1.blend"), CRASHED, "SIGSEGV")], "0.1.0", "/repo"
    )
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "file-not-scanned" and result["level"] == "error"
    assert result["message"]["text"] == "crashed: SIGSEGV"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "file:///x/caf%E9%201.blend"}


def test_junit_has_one_case_per_file_with_failures_and_errors():
    data = batch_formats.junit_xml(sample_results(), "error", 2.5)
    suite = ET.fromstring(data)
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "1", "3")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert sorted(cases) == ["a.blend", "b.blend", "c.blend", "d.blend", "e.blend"]
    assert cases["a.blend"].get("classname") == "/p"
    failure = cases["a.blend"].find("failure")
    assert failure.get("message") == "1 error, 0 warning, 1 info"
    assert 'ERROR [relative_paths / relative-path] Image "wood.png": wood.png is missing' in failure.text
    assert cases["b.blend"].find("failure") is None and cases["b.blend"].find("error") is None
    assert cases["d.blend"].find("error").get("type") == "crashed"
    assert cases["d.blend"].find("error").get("message") == "Blender killed by SIGSEGV"


def test_junit_survives_control_characters_and_bad_bytes():
    name = os.fsdecode(b"/p/bad\x01name\xff.blend")
    data = batch_formats.junit_xml([FileResult(name, UNREADABLE, "bell \x07 here")], "error", 1.0)
    case = ET.fromstring(data).find("testcase")
    assert case.get("name") == "bad\\x01name\\xff.blend"
    assert case.find("error").get("message") == "bell \\x07 here"


def test_progress_bar_on_a_terminal_and_plain_lines_otherwise():
    assert bar_text(30, 120, 10.0, 2, width=12) == "[###.........] 30/120 files  3.0 files/s  ETA 0:30  2 failed"
    assert bar_text(0, 10, 0.0, 0, width=4) == "[....] 0/10 files  0.0 files/s  ETA ?"
    clock = iter([0.0, 1.0, 2.0, 3.0, 4.0]).__next__
    tty = io.StringIO()
    progress = ProgressReporter(2, tty, is_terminal=True, clock=clock, min_interval=0)
    progress.file_done(FileResult("/p/a.blend", OK, report=report("a")))
    progress.file_done(FileResult("/p/b.blend", CRASHED, "SIGSEGV"))
    progress.finish("done")
    text = tty.getvalue()
    assert "\r[############............] 1/2 files  1.0 files/s  ETA 0:01" in text
    assert "crashed /p/b.blend: SIGSEGV\n" in text
    assert "\r[########################] 2/2 files  0.7 files/s  ETA 0:00  1 failed" in text
    assert text.endswith("\ndone\n")
    plain = io.StringIO()
    progress = ProgressReporter(2, plain, is_terminal=False)
    progress.file_done(FileResult("/p/a.blend", OK, report=report("a", finding("ERROR"))))
    progress.file_done(FileResult("/p/b.blend", TIMEOUT, "no result after 5 s"))
    progress.finish("done")
    assert plain.getvalue() == (
        "[1/2] ok /p/a.blend: 1 error, 0 warning, 0 info\n[2/2] timeout /p/b.blend: no result after 5 s\ndone\n"
    )


def test_cache_hits_unchanged_files_and_misses_changed_ones(tmp_path):
    blend = tmp_path / "a.blend"
    blend.write_bytes(b"BLENDER-v1")
    cache_dir = tmp_path / "cache"
    cache = ScanCache(str(cache_dir), "0.1.0+abc", "5.0.1", "")
    info = os.stat(blend)
    assert cache.lookup(str(blend), info) is None
    result = FileResult(str(blend), OK, report=report(str(blend), finding()), attempts=1)
    cache.store(str(blend), info, result)
    hit = cache.lookup(str(blend), os.stat(blend))
    assert hit is not None and hit.cached and hit.status == OK and hit.report == result.report
    # Touched, same bytes: still a hit (by content hash); then the new time is recorded.
    os.utime(blend, ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    assert cache.lookup(str(blend), os.stat(blend)) is not None
    # Same size, other bytes, other time: a miss.
    blend.write_bytes(b"BLENDER-v2")
    os.utime(blend, ns=(info.st_atime_ns, info.st_mtime_ns + 9_000_000_000))
    assert cache.lookup(str(blend), os.stat(blend)) is None
    # Another Blender, tool or check list: a miss.
    cache.store(str(blend), os.stat(blend), result)
    assert cache.lookup(str(blend), os.stat(blend)) is not None
    for identity in (("0.1.0+abc", "4.2.23", ""), ("0.1.1+abc", "5.0.1", ""), ("0.1.0+abc", "5.0.1", "relative_paths")):
        assert ScanCache(str(cache_dir), *identity).lookup(str(blend), os.stat(blend)) is None
    # Other folders given to the scan (a file's project root may be one): a miss; a folder name that is not UTF-8
    # is kept too.
    odd = os.fsdecode(bytes(tmp_path) + b"/caf\xe9")
    assert (
        ScanCache(str(cache_dir), "0.1.0+abc", "5.0.1", "", [str(tmp_path)]).lookup(str(blend), os.stat(blend)) is None
    )
    with_folders = ScanCache(str(cache_dir), "0.1.0+abc", "5.0.1", "", [str(tmp_path), odd])
    with_folders.store(str(blend), os.stat(blend), result)
    assert with_folders.lookup(str(blend), os.stat(blend)) is not None
    assert ScanCache(str(cache_dir), "0.1.0+abc", "5.0.1", "", [odd]).lookup(str(blend), os.stat(blend)) is None
    # Crashes and timeouts are never kept.
    other = tmp_path / "b.blend"
    other.write_bytes(b"x")
    cache.store(str(other), os.stat(other), FileResult(str(other), CRASHED, "boom", attempts=2))
    assert cache.lookup(str(other), os.stat(other)) is None
    assert content_hash(str(blend)) == content_hash(str(blend)) and len(content_hash(str(blend))) == 40
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.blend", "b.blend", "cache"]  # nothing beside files


def test_run_batch_uses_the_cache_marks_deleted_files_and_writes_every_format(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("a", "b", "gone"):
        (tree / f"{name}.blend").write_bytes(name.encode())
    calls = []

    def execute(files, on_result, prepare):
        calls.append(list(files))
        out = []
        for path in files:
            if path.endswith("gone.blend"):
                os.unlink(path)  # deleted while the run goes on
            result = prepare(path) or FileResult(path, OK, report=report(path, finding()), attempts=1)
            on_result(result)
            out.append(result)
        return out

    outputs = {k: str(tmp_path / f"out.{k}") for k in ("json", "sarif", "xml")}
    options = BatchOptions(
        "5.0.1",
        "0.1.0",
        json_path=outputs["json"],
        sarif_path=outputs["sarif"],
        junit_path=outputs["xml"],
        fail_on="never",
    )
    cache = ScanCache(str(tmp_path / "cache"), "0.1.0", "5.0.1", "")
    log = io.StringIO()
    outcome = run_batch([str(tree)], options, execute, log, is_terminal=False, cache=cache)
    statuses = {Path(r.blend_file).name: r.status for r in outcome.results}
    assert statuses == {"a.blend": OK, "b.blend": OK, "gone.blend": UNREADABLE}
    gone = [r for r in outcome.results if r.blend_file.endswith("gone.blend")][0]
    assert gone.error == "cannot open: no such file (deleted during the run)"
    assert exit_status(outcome, "never") == 0 and exit_status(outcome, "error") == 1
    batch = json.loads(Path(outputs["json"]).read_text())
    assert batch["summary"]["files"] == 3 and batch["summary"]["cached"] == 0
    assert json.loads(Path(outputs["sarif"]).read_text())["version"] == "2.1.0"
    assert ET.parse(outputs["xml"]).getroot().get("tests") == "3"
    # Second run: a and b come from the cache, nothing is sent to a worker.
    again = run_batch([str(tree)], options, execute, io.StringIO(), is_terminal=False, cache=cache)
    assert len(calls) == 1 and all(r.cached for r in again.results) and again.cache_hits == 2
    assert "[3/3]" in log.getvalue() and result_line(again.results[0]).endswith("(cached)")
    assert sorted(p.name for p in tree.iterdir()) == ["a.blend", "b.blend"]  # nothing written beside them


def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(tmp_path):
    options = BatchOptions("5.0.1", "0.1.0", json_path=str(tmp_path / "no" / "such" / "dir" / "out.json"))
    outcome = run_batch([str(tmp_path / "none.blend")], options, lambda f, o, p: [], io.StringIO(), False)
    assert outcome.write_errors == [f"cannot write {tmp_path}/no/such/dir/out.json: No such file or directory"]
    assert exit_status(outcome, "never") == 2


def test_a_pipe_given_by_name_is_unreadable_and_never_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.blend")  # opening it for reading would block until a writer comes
    (tmp_path / "a.blend").write_bytes(b"x")
    got = collect([str(tmp_path), str(tmp_path / "pipe.blend")])
    assert got.files == [str(tmp_path / "a.blend")]  # the walk skips it too
    assert [(p.blend_file, p.error) for p in got.problems] == [
        (str(tmp_path / "pipe.blend"), "cannot open: not a regular file (a pipe, socket or device)")
    ]
    cache = ScanCache(str(tmp_path / "cache"), "1", "5.0.1", "")
    info = os.stat(tmp_path / "pipe.blend")
    cache.store(
        str(tmp_path / "pipe.blend"), info, FileResult(str(tmp_path / "pipe.blend"), UNREADABLE, "x", attempts=1)
    )
    assert cache.lookup(str(tmp_path / "pipe.blend"), info) is None
