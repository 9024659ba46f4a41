"""Child of bench_lint.py, run by a plain Python with pyflakes (requirements/bench-lint.txt): the linter and
pyflakes over the same sources, side by side in one process, CPU time, best of three each. Prints JSON."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

import pyflakes.api

REPO = Path(__file__).resolve().parents[1]


class _Quiet:
    def unexpectedError(self, *args: object) -> None:  # noqa: N802 - pyflakes' reporter interface
        pass

    def syntaxError(self, *args: object) -> None:  # noqa: N802
        pass

    def flake(self, *args: object) -> None:
        pass


def main(folder: str) -> None:
    with tempfile.TemporaryDirectory() as parent:
        (Path(parent) / "gotcha_doctor").symlink_to(REPO, target_is_directory=True)
        sys.path.insert(0, parent)
        from gotcha_doctor.core.lint import lint_source

        sources = []
        for base, _dirs, files in os.walk(folder):
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(base, name)
                    with open(path, "rb") as stream:
                        data = stream.read()
                    try:
                        sources.append((path, data.decode("utf-8")))
                    except UnicodeDecodeError:
                        continue
        findings = 0

        def lint() -> None:
            nonlocal findings
            findings = sum(len(lint_source(text, path)) for path, text in sources)

        def flakes() -> None:
            quiet = _Quiet()
            for path, text in sources:
                pyflakes.api.check(text, path, quiet)

        best = {"pyflakes": float("inf"), "gotcha_lint": float("inf")}
        for _ in range(3):
            for name, function in (("pyflakes", flakes), ("gotcha_lint", lint)):
                started = time.process_time()
                function()
                best[name] = min(best[name], time.process_time() - started)
        lines = sum(text.count("\n") for _, text in sources)
        print(json.dumps({"files": len(sources), "lines": lines, "findings": findings, **best}))


if __name__ == "__main__":
    main(sys.argv[1])
