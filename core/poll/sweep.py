"""The knowledge-base sweep: poll every registered operator in child Blender processes and record what passes where.

Blender-free: this process never imports bpy. It starts worker processes (poll_worker.py, each imports bpy) and hands
them batches "build this recipe, poll these operators". When a worker dies (a poll that segfaults) the operator in
flight is recorded as a crasher for that recipe, a new worker starts, and the batch goes on after it. Used by
tools/poll_kb/sweep.py for the shipped KBs and by the extension to build a KB for the user's own Blender.

Stages: (0) the default context (factory startup, no override): poll, and Blender's message for the ones that fail;
(1) each operator group tries its likely recipes (library.py), stopping per operator at the first that passes;
(2) what is left tries every editor x object context; (3) minimize: drop setup steps one at a time while poll still
passes, so the recorded recipe names only what the operator needs; (4) the safety map: every operator in every editor.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import library
from .kb import SCHEMA
from .parse import poll_message_from_error
from .words import EDITORS

CHUNK = 300  # operators per batch: small enough for both workers to share a big recipe
# An operator whose poll has crashed a worker in this many contexts is polled no more in this sweep: each crash costs a
# worker restart, and a poll that crashes in most contexts (5.3.0's ui.region_clear_filter) would cost hundreds. It
# stays a recorded crasher (never polled by the explainer), with the contexts where it crashed.
CRASH_LIMIT = 3
# Our own operators are explained from their Python source; sweeping them would need this extension in the worker.
SKIP_GROUPS = {"gotcha"}


class Worker:
    """One child process running poll_worker.py; restarted after a crash.

    Answers are read by a thread into a queue, so ``read`` can give up after ``timeout_s`` (a hung child is killed
    and counts as dead: "timeout"). ``env`` adds to this process's environment (e.g. the child's own
    BLENDER_USER_RESOURCES).
    """

    def __init__(
        self,
        command: list[str],
        log_dir: Path,
        number: int,
        env: dict[str, str] | None = None,
        timeout_s: float | None = None,
    ) -> None:
        self.command = command  # runs poll_worker.py: [python, script] or [blender, -b, ..., --python, script]
        self.log_dir = log_dir
        self.number = number
        self.env = env or {}
        self.timeout_s = timeout_s
        self.proc: subprocess.Popen[bytes] | None = None
        self.lines: queue.Queue[str] = queue.Queue()
        self.timed_out = False
        self.starts = 0
        self.retired = 0  # stopped on purpose (state that outlives a factory reset), not crashed

    def start(self) -> None:
        read_fd, write_fd = os.pipe()
        env = dict(os.environ, **self.env, GD_ANSWER_FD=str(write_fd))
        with open(self.log_dir / f"worker-{self.number}.log", "ab") as log:  # the child keeps its own handle
            self.proc = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=log,
                stderr=log,
                env=env,
                pass_fds=(write_fd,),
            )
        os.close(write_fd)
        self.lines = queue.Queue()
        self.timed_out = False
        threading.Thread(
            target=_pump, args=(os.fdopen(read_fd, "r", encoding="utf-8"), self.lines), daemon=True
        ).start()
        self.starts += 1

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def send(self, obj: dict[str, Any]) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(obj) + "\n").encode())
        self.proc.stdin.flush()

    def read(self) -> dict[str, Any] | None:
        """The next answer, or None when the child ended (or hung past ``timeout_s`` and was killed)."""
        try:
            line = self.lines.get(timeout=self.timeout_s)
        except queue.Empty:
            self.timed_out = True
            if self.proc is not None:
                self.proc.kill()
            return None
        return json.loads(line) if line else None

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                self.send({"cmd": "quit"})
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
        elif self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc = None

    def dead(self) -> str:
        """Why the process ended (after read() returned None)."""
        assert self.proc is not None
        code = self.proc.wait()
        if self.timed_out:
            return f"timeout ({self.timeout_s:.0f} s)"
        return f"signal {-code}" if code < 0 else f"exit {code}"


def _pump(stream: Any, lines: queue.Queue[str]) -> None:
    """Forward the child's answer lines; "" marks the end (the child exited or died)."""
    with stream:
        for line in stream:
            lines.put(line)
    lines.put("")


@dataclass
class BatchResult:
    setup_error: str | None = None
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    crashes: dict[str, str] = field(default_factory=dict)  # op -> how the worker died
    decoys: dict[str, str] = field(default_factory=dict)  # op -> worker.decoy_probe's result


# A batch: (recipe or None for the default context, operators, read Blender's message, run the decoy probe)
Batch = tuple[dict[str, Any] | None, list[str], bool, bool]


def run_batch(worker: Worker, recipe: dict[str, Any] | None, ops: list[str], message: bool, decoy: bool) -> BatchResult:
    result = BatchResult()
    pending = list(ops)
    while pending:
        if worker.proc is None or worker.proc.poll() is not None:
            worker.stop()
            worker.start()
        worker.send({"cmd": "batch", "recipe": recipe, "ops": pending, "message": message, "decoy": decoy})
        in_flight: str | None = None
        in_decoy = False
        finished = False
        while True:
            answer = worker.read()
            if answer is None:  # the worker died: the operator in flight crashed it
                how = worker.dead()
                worker.stop()
                if in_decoy:  # died in the decoy probe, after every plain poll: record it, skip the rest
                    result.decoys[in_flight or "?"] = f"crash: {how}"
                    return result
                if in_flight is None:  # died while building the recipe
                    result.setup_error = result.setup_error or f"worker died during setup ({how})"
                    return result
                result.crashes[in_flight] = how
                pending = pending[pending.index(in_flight) + 1 :]
                break
            if "setup" in answer:
                if answer["setup"] != "ok":
                    result.setup_error = answer["error"]
                    return result
            elif "start" in answer:
                in_flight = answer["start"]
            elif "decoy_start" in answer:
                in_flight, in_decoy = answer["decoy_start"], True
            elif "decoy" in answer:
                result.decoys[answer["decoy"]] = answer["result"]
            elif "op" in answer:
                result.answers[answer["op"]] = answer
            elif "done" in answer:
                finished = True
                break
        if finished:
            break
    if recipe and library.OUTLIVES_RESET.intersection(recipe["setup"]):
        # Its clipboard outlives the next factory reset: a later batch in this process could see a paste operator
        # pass without its copy step. The next batch gets a fresh worker.
        worker.stop()
        worker.retired += 1
    return result


class Pool:
    """Two (or --workers) threads, each driving one worker process through a queue of batches.

    An operator that has crashed workers ``crash_limit`` times is left out of every later batch (``stopped``).
    """

    def __init__(
        self,
        command: list[str],
        count: int,
        log_dir: Path,
        env: dict[str, str] | None = None,
        crash_limit: int = CRASH_LIMIT,
    ) -> None:
        self.workers = [Worker(command, log_dir, n, env) for n in range(count)]
        self.crash_limit = crash_limit
        self.crash_counts: dict[str, int] = defaultdict(int)
        self.stopped: set[str] = set()
        for worker in self.workers:
            worker.start()

    def map(self, batches: list[Batch]) -> list[BatchResult]:
        tasks: queue.Queue[tuple[int, Batch]] = queue.Queue()
        expanded: list[tuple[int, Batch]] = []
        for index, (recipe, ops, message, decoy) in enumerate(batches):
            for start in range(0, len(ops), CHUNK):
                expanded.append((index, (recipe, ops[start : start + CHUNK], message, decoy)))
        for item in expanded:
            tasks.put(item)
        merged = [BatchResult() for _ in batches]
        lock = threading.Lock()
        errors: list[BaseException] = []

        def drive(worker: Worker) -> None:
            while True:
                try:
                    index, (recipe, ops, message, decoy) = tasks.get_nowait()
                except queue.Empty:
                    return
                with lock:
                    ops = [op for op in ops if op not in self.stopped]
                if not ops:
                    continue
                try:
                    part = run_batch(worker, recipe, ops, message, decoy)
                except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
                    errors.append(error)
                    return
                with lock:
                    target = merged[index]
                    target.setup_error = target.setup_error or part.setup_error
                    target.answers.update(part.answers)
                    target.crashes.update(part.crashes)
                    target.decoys.update(part.decoys)
                    for op in part.crashes:
                        self.crash_counts[op] += 1
                        if self.crash_counts[op] >= self.crash_limit:
                            self.stopped.add(op)

        threads = [threading.Thread(target=drive, args=(worker,)) for worker in self.workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return merged

    def hello(self) -> dict[str, Any]:
        worker = self.workers[0]
        worker.send({"cmd": "hello"})
        answer = worker.read()
        assert answer is not None, "worker died on start"
        return answer

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()


def sweep(
    command: list[str],
    workers: int,
    log_dir: Path,
    only: list[str] | None = None,
    say: Callable[[str], None] = print,
    env: dict[str, str] | None = None,
    crash_limit: int = CRASH_LIMIT,
) -> dict[str, Any]:
    """The raw sweep result (every observation, long keys); ``compact`` makes the shipped form of it."""
    started = time.monotonic()
    pool = Pool(command, workers, log_dir, env, crash_limit)
    try:
        hello = pool.hello()
        version = tuple(hello["version_tuple"])
        ops = [op for op in hello["ops"] if op.split(".")[0] not in SKIP_GROUPS]
        if only:
            ops = [op for op in ops if op in only or op.split(".")[0] in only]
        entries: dict[str, dict[str, Any]] = {op: {} for op in ops}
        recipe_ids: dict[str, int] = {}
        recipe_list: list[dict[str, Any]] = []
        bad_recipes: dict[str, str] = {}
        batches_run = 0

        def rid(recipe: dict[str, Any]) -> int:
            key = library.recipe_key(recipe)
            if key not in recipe_ids:
                recipe_ids[key] = len(recipe_list)
                recipe_list.append(recipe)
            return recipe_ids[key]

        def note_crashes(result: BatchResult, recipe_id: int | None) -> None:
            for op, how in result.crashes.items():
                entries[op].setdefault("crash", []).append({"recipe": recipe_id, "how": how})

        # Stage 0: the default context, with Blender's message for those that fail.
        (default,) = pool.map([(None, ops, True, True)])
        batches_run += 1
        note_crashes(default, None)
        for op in ops:
            answer = default.answers.get(op)
            entry = entries[op]
            if answer is None:
                entry["default"] = False
                continue
            entry["default"] = bool(answer.get("ok"))
            if op in default.decoys:
                entry["decoy"] = default.decoys[op]
            if not answer.get("det", True):
                entry["nondeterministic"] = True
            text = answer.get("msg")
            if text is not None:
                entry["message_text"] = text
                entry["message_safe"] = (
                    bool(answer.get("det"))
                    and not answer.get("executed")
                    and text.startswith(f"Operator bpy.ops.{op}.poll()")
                )
            if answer.get("executed"):
                entry["executed_on_message_call"] = True
        failing = [op for op in ops if not entries[op]["default"]]
        unresolved = set(failing)
        say(f"{hello['version']}: {len(ops)} operators, {len(failing)} fail poll in the default context")

        def try_recipes(pairs: dict[str, list[str]], recipes_by_key: dict[str, dict[str, Any]]) -> None:
            nonlocal batches_run
            keys = [key for key in pairs if key not in bad_recipes]
            # The decoy probe rides along here (no extra builds): an operator is probed in the batch where it
            # first passes, which is the only batch where it passes while still unresolved.
            results = pool.map([(recipes_by_key[key], sorted(pairs[key]), False, True) for key in keys])
            batches_run += len(keys)
            for key, result in zip(keys, results, strict=True):
                recipe_id = rid(recipes_by_key[key])
                if result.setup_error:
                    bad_recipes[key] = result.setup_error
                    continue
                note_crashes(result, recipe_id)
                for op, answer in result.answers.items():
                    if answer.get("ok") and op in unresolved:
                        entries[op]["recipe"] = recipe_id
                        unresolved.discard(op)
                        if op in result.decoys:
                            entries[op]["decoy"] = result.decoys[op]

        # Stage 1: per group, likely recipes in order, one round per position.
        by_group: dict[str, list[str]] = defaultdict(list)
        for op in failing:
            by_group[library.group_of(op)].append(op)
        group_candidates = {group: library.candidates(group, version) for group in by_group}
        position = 0
        while True:
            pairs: dict[str, list[str]] = defaultdict(list)
            recipes_by_key: dict[str, dict[str, Any]] = {}
            for group, group_ops in by_group.items():
                if position >= len(group_candidates[group]):
                    continue
                recipe = group_candidates[group][position]
                key = library.recipe_key(recipe)
                waiting = [op for op in group_ops if op in unresolved]
                if waiting:
                    pairs[key] += waiting
                    recipes_by_key[key] = recipe
            if not pairs:
                break
            try_recipes(pairs, recipes_by_key)
            position += 1
        say(
            f"  stage 1: {len(failing) - len(unresolved)} resolved, {len(unresolved)} left, "
            f"{time.monotonic() - started:.0f} s",
        )

        # Stage 2: everything still unresolved tries every remaining recipe, all together.
        group_keys = {group: {library.recipe_key(r) for r in rs} for group, rs in group_candidates.items()}
        for recipe in library.global_order(version):
            if not unresolved:
                break
            key = library.recipe_key(recipe)
            if key in bad_recipes:
                continue
            waiting = sorted(op for op in unresolved if key not in group_keys[library.group_of(op)])
            if waiting:
                try_recipes({key: waiting}, {key: recipe})
        say(
            f"  stage 2: {len(failing) - len(unresolved)} resolved, {len(unresolved)} left, "
            f"{time.monotonic() - started:.0f} s",
        )

        # Stage 3: minimize each passing recipe, one removable step per round.
        changed = True
        rounds = 0
        while changed and rounds < 12:
            changed = False
            rounds += 1
            proposals: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
            for op in failing:
                entry = entries[op]
                if "recipe" not in entry or entry.get("minimal"):
                    continue
                recipe = recipe_list[entry["recipe"]]
                tried = entry.setdefault("_tried", [])
                variant = next(
                    (
                        v
                        for v in library.simpler(recipe)
                        if library.recipe_key(v) not in tried and library.recipe_key(v) not in bad_recipes
                    ),
                    None,
                )
                if variant is None:
                    entry["minimal"] = True
                    continue
                key = library.recipe_key(variant)
                tried.append(key)
                proposals[key].append((op, variant))
            if not proposals:
                break
            keys = list(proposals)
            results = pool.map([(proposals[k][0][1], [op for op, _ in proposals[k]], False, False) for k in keys])
            batches_run += len(keys)
            for key, result in zip(keys, results, strict=True):
                variant = proposals[key][0][1]
                if result.setup_error:
                    bad_recipes[key] = result.setup_error
                    changed = True
                    continue
                variant_id = rid(variant)
                note_crashes(result, variant_id)
                for op, answer in result.answers.items():
                    if answer.get("ok"):
                        entries[op]["recipe"] = variant_id
                        entries[op]["_tried"] = []
                changed = True
        say(f"  stage 3: minimized in {rounds} rounds; {batches_run} batches")

        # Stage 4: the safety map. Every operator is polled in every editor (empty scene, main region; the 3D
        # Viewport's sidebar too, where the panel runs), so the explainer may poll it in a user's areas of those
        # types: a crash here is recorded like any other and makes the explainer never poll that operator.
        plain = [{"ui_type": ui_type, "region": "WINDOW", "mode": "OBJECT", "setup": []} for ui_type in EDITORS]
        plain.append({"ui_type": "VIEW_3D", "region": "UI", "mode": "OBJECT", "setup": []})
        results = pool.map([(recipe, ops, False, False) for recipe in plain])
        batches_run += len(plain)
        swept = []
        for recipe, result in zip(plain, results, strict=True):
            key = editor_key(recipe)
            if result.setup_error:
                bad_recipes[library.recipe_key(recipe)] = result.setup_error
                continue
            swept.append(key)
            note_crashes(result, rid(recipe))
            for op, answer in result.answers.items():
                if answer.get("ok"):
                    entries[op].setdefault("passes_in", []).append(key)
        elapsed = time.monotonic() - started
        say(f"  stage 4: safety map over {len(swept)} editors; {batches_run} batches, {elapsed:.0f} s")
    finally:
        pool.close()
    for entry in entries.values():
        entry.pop("_tried", None)
        entry.pop("minimal", None)
    for op in pool.stopped:
        entries[op]["stopped_after_crashes"] = True  # not polled in the contexts that came after
    return {
        "schema": SCHEMA,
        "blender_version": ".".join(str(part) for part in hello["version_tuple"]),  # "4.2.23", not "4.2.23 LTS"
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "sweep": {
            "workers": workers,
            "seconds": round(elapsed, 1),
            "batches": batches_run,
            "worker_restarts": sum(w.starts - 1 - w.retired for w in pool.workers),
            "crash_limit": crash_limit,
        },
        "recipes": recipe_list,
        "bad_recipes": bad_recipes,
        "swept_editors": swept,
        "ops": entries,
    }


def editor_key(recipe: dict[str, Any]) -> str:
    """ "DOPESHEET" for an editor's main region, "VIEW_3D:UI" for another region."""
    return recipe["ui_type"] + ("" if recipe["region"] == "WINDOW" else f":{recipe['region']}")


def compact(raw: dict[str, Any], reason: Callable[[str], str], built_by: str = "shipped") -> dict[str, Any]:
    """The KB file's content (kb.py reads it): per operator only what the explainer reads, absent = false/none."""
    ops: dict[str, dict[str, Any]] = {}
    for op, entry in raw["ops"].items():
        item: dict[str, Any] = {}
        if entry["default"]:
            item["passes_by_default"] = True
        if "recipe" in entry:
            item["recipe"] = entry["recipe"]
        if entry.get("crash"):
            item["crashed_in"] = [crash["recipe"] for crash in entry["crash"]]  # None = the default context
        if entry.get("stopped_after_crashes"):
            item["polling_stopped"] = True  # crashed in crash_limit contexts: not polled in the later ones
        message = entry.get("message_text")
        if message is not None and entry.get("message_safe"):
            item["message_call_safe"] = True
            said = poll_message_from_error(op, message)
            if said:
                item["message"] = said
        if entry.get("nondeterministic"):
            item["nondeterministic"] = True
        if entry.get("passes_in"):
            item["passes_in_editors"] = entry["passes_in"]
        if entry.get("decoy") == "ignored":
            item["ignores_active_override"] = True  # poll_worker.decoy_probe
        if not entry["default"] and "recipe" not in entry:
            item["why_unknown"] = reason(op)
        ops[op] = item
    return {
        "schema": SCHEMA,
        "blender_version": raw["blender_version"],
        "built_by": built_by,
        "generated": raw["generated"],
        "sweep": raw["sweep"],
        "recipes": raw["recipes"],
        "swept_editors": raw.get("swept_editors", []),
        "ops": ops,
    }
