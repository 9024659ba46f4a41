"""A worker that speaks the pool's protocol (core/pool.py) without Blender, to test the pool's decisions.

Blender cannot be made to crash, hang or abort on free at a chosen moment, so this stand-in does so on request,
read from the file it is given: a file whose first line is ``crash`` makes it kill itself with SIGSEGV, ``hang``
sleeps, ``abort-on-close`` reports then aborts (SIGABRT) while "freeing" it, ``crash-once`` crashes only the first
time (a marker file beside it records the first try), ``unreadable`` is a file it cannot open, ``garbage`` writes
a line that is not a message. Anything else is ok, with one WARNING finding per line.
"""

import base64
import json
import os
import signal
import sys
import time

out = os.fdopen(int(os.environ["GOTCHA_DOCTOR_RESULT_FD"]), "w")


def send(message):
    out.write(json.dumps(message) + "\n")
    out.flush()


if os.environ.get("FAKE_WORKER_START") == "die":
    sys.exit(3)  # gotcha: ignore[sys-exit] - a stand-in worker process that dies on start, on purpose
send({"event": "ready", "blender_version": "9.9.9"})
for line in sys.stdin.buffer:
    if not line.strip():
        break
    path = os.fsdecode(base64.b64decode(line.strip()))
    with open(path, "rb") as stream:
        lines = stream.read().decode("utf-8", "replace").splitlines()
    kind = lines[0] if lines else ""
    if kind == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if kind == "hang":
        time.sleep(60)
    if kind == "crash-once":
        marker = path + ".tried"
        if not os.path.exists(marker):
            open(marker, "w").close()
            os.kill(os.getpid(), signal.SIGSEGV)
    if kind == "garbage":
        out.write("this is not a message\n")
        out.flush()
        time.sleep(60)
    if kind == "unreadable":
        send(
            {
                "event": "result",
                "status": "unreadable",
                "error": "Failed to read blend file\nsecond line",
                "report": None,
            }
        )
    else:
        findings = [
            {
                "check": "fake",
                "topic": "relative-path",
                "severity": "WARNING",
                "id_type": "IMAGE",
                "id_name": text,
                "library": None,
                "message": f"finding {text}",
                "details": {},
            }
            for text in lines
            if text and kind != "crash-once"
        ]
        report = {
            "schema": "gotcha-doctor/report/1",
            "blender_version": "9.9.9",
            "blend_file": path,
            "cancelled": False,
            "findings": findings,
            "pid": os.getpid(),
        }
        send({"event": "result", "status": "ok", "error": None, "report": report})
    if kind == "abort-on-close":
        sys.stderr.write("terminate called: can't clean grid cache\n")
        sys.stderr.flush()
        os.kill(os.getpid(), signal.SIGABRT)
    send({"event": "ready", "blender_version": "9.9.9"})
