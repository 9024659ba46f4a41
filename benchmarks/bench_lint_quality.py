"""How good the linter is on code it was not written against (benchmarks/lint_corpus/, see its README):
recall = expected topics reported / expected topics, false positives = correct snippets with any finding.
Baseline: the same corpus through a plain text search for the Gotchas' tell-tale calls (what a grep-based
check would do), so the ratio says what the flow analysis adds."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "benchmarks" / "lint_corpus"
# A grep-style baseline: one pattern per topic.
NAIVE = {
    "array-realloc": r"\.add\(",
    "stale-reference": r"\.add\(",
    "mode-switch-realloc": r"mode_set",
    "armature-mode-switch": r"edit_bones",
    "removed-data": r"\.remove\(",
    "undo-invalidation": r"global |self\.\w+ = context\.",
    "undo-missing-step": r"bl_options = \{\"REGISTER\"\}",
    "threading": r"Thread\(|Timer\(",
    "redraw-hack": r"redraw_timer",
    "sys-exit": r"sys\.exit|parse_args",
    "relative-path": r"open\(|os\.path",
    "non-utf8-path": r"print\(.*filepath|name = .*filepath",
    "stale-depsgraph": r"matrix_world",
    "stale-ui-context": r"\.workspace = ",
    "editmode-sync": r"\.data\.vertices",
    "ngon-tessellation": r"polygons",
    "bone-data-kinds": r"edit_bones|\.head = ",
    "data-name-limits": r"bpy\.data\.\w+\[",
    "library-name-collision": r"libraries\.load",
    "collection-iteration": r"all_objects",
    "rename-during-iteration": r"\.name = ",
    "rna-callback-abuse": r"update=",
    "operator-poll": r"bpy\.ops\.",
}


def expected(text: str) -> set[str]:
    first = text.splitlines()[0]
    topics = first.split("expect:", 1)[1].strip()
    return set() if topics == "none" else {t.strip() for t in topics.split(",")}


def main() -> int:
    with tempfile.TemporaryDirectory() as parent:
        (Path(parent) / "gotcha_doctor").symlink_to(REPO, target_is_directory=True)
        sys.path.insert(0, parent)
        from gotcha_doctor.core.lint import lint_source

        wanted = found = 0
        quiet = noisy = 0
        naive_found = naive_noisy = 0
        misses, alarms = [], []
        for path in sorted(CORPUS.glob("*.snippet")):
            text = path.read_text("utf-8")
            expect = expected(text)
            topics = {f.topic for f in lint_source(text, path.name)}
            naive = {topic for topic, pattern in NAIVE.items() if re.search(pattern, text)}
            if expect:
                wanted += len(expect)
                found += len(expect & topics)
                naive_found += len(expect & naive)
                misses += [f"{path.name}: {t}" for t in sorted(expect - topics)]
                extra = topics - expect
                if extra:
                    alarms.append(f"{path.name}: also {', '.join(sorted(t or '-' for t in extra))}")
            else:
                quiet += 1
                if topics:
                    noisy += 1
                    alarms.append(f"{path.name}: {', '.join(sorted(t or '-' for t in topics))}")
                if naive:
                    naive_noisy += 1
    print(f"lint quality on {CORPUS.relative_to(REPO)} ({wanted} expected topics, {quiet} correct snippets)")
    print(
        f"  recall: {found}/{wanted} = {found / wanted:.0%}   (grep baseline {naive_found}/{wanted} = {naive_found / wanted:.0%})"
    )
    print(
        f"  false positives: {noisy}/{quiet} = {noisy / quiet:.0%}   (grep baseline {naive_noisy}/{quiet} = {naive_noisy / quiet:.0%})"
    )
    for line in misses:
        print(f"  missed   {line}")
    for line in alarms:
        print(f"  reported {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
