"""Writes docs/lint/: one page per lint rule (wrong and right example, fix, Gotchas section) and an index.

    python3 tools/lint_docs.py          # rewrite the pages
    python3 tools/lint_docs.py --check  # exit 1 when a page is out of date (the unit tests run this check)

The examples come from core/lint/examples.py, which the unit tests run through the linter, so every page's
wrong example is known to be reported and its right example to stay quiet.
"""

from __future__ import annotations

import atexit
import importlib
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs" / "lint"

SOURCE_PAGES = {
    "GD001": (
        "def export(path:\n    pass  # <- the file stops parsing at this line\n",
        "def export(path):\n    pass\n",
        "Nothing else is checked in a file that does not parse; Blender would refuse to load it too. Binary files "
        "that end in .py (NUL bytes) and source that is neither UTF-8 nor declares its encoding get this rule too.",
    ),
    "GD002": (
        "# -*- coding: latin-1 -*-\nLABEL = 'Réglages'  # saved as latin-1 bytes\n",
        "LABEL = 'Réglages'  # saved as UTF-8, no coding line\n",
        "Python reads the file, but Blender's Text Editor, data names and UI strings are UTF-8 only.",
    ),
    "GD003": (
        "# a generated 40 MB table in a .py file\n",
        "# keep data in a data file (JSON, .npy) and load it at run time\n",
        "The limit is 5 MB unless [tool.gotcha-doctor] max-file-bytes says otherwise.",
    ),
}

# What a rule deliberately leaves alone, said on its page.
RULE_NOTES = {
    "GD140": 'Not reported: code under `if __name__ == "__main__":`, functions and classes only that block uses, '
    "`try:` blocks that catch SystemExit, and files Blender's session does not import: a package's `__main__.py` "
    "and test code (a `tests`/`test` folder, `test_*.py`, `*_test.py`, `conftest.py`), whose exit status is their "
    "result; and programs of their own that import nothing of Blender nor of their package: a file in no package "
    "(a `setup.py` or build script beside the add-on's folder), or a module that parses the whole command line "
    "with `parse_args()` as it is imported (a script for `blender --python` parses what follows `--`, and is still "
    "reported).",
    "GD141": "Not reported in the same places as GD140.",
    "GD160": "Where a function toggles Edit Mode without knowing the mode it started in (its first "
    "`editmode_toggle()`: an operator run from Edit Mode toggles out of it), nothing is assumed until a mesh "
    "operator that needs Edit Mode is called. Object operators change the edit mesh only when they work on its "
    "elements (vertex groups, shape keys, hooks, material slots); `object.select_all()` does not.",
    "GD180": 'Only a lookup in the same kind of data as the name was given to (`objects.new("Snow")` says '
    'nothing of `collections["Snow"]`); a rename of data of unknown kind (`owner.name = name`) matches any lookup.',
    "GD201": "Not reported in a branch that only a Blender older than 4.0 runs: under a test of `bpy.app.version` "
    "(or `bpy.app.version[0]`, or a slice of it) against a literal before 4.0, under `not hasattr(..., "
    '"temp_override")`, or beside a branch that opens `with context.temp_override(...)` where this one does not '
    "(`if is_newer_than(4): with ...temp_override(...) else: bpy.ops.x.y(override)`). A test of the add-on's own "
    "helper alone (`if check_version(2, 80, 0) >= 0:`) says nothing about 4.0, so the override there is reported.",
    "GD102": "Not reported for a collection kept across the switch (`verts = mesh.vertices`): Blender reads it "
    "anew from its mesh each time (measured on every supported version, the Gotchas page's own example included: "
    "after Edit Mode it lists the new polygons); the items taken from it before the switch are what go stale. Nor "
    "for numbers copied out of a vertex (`vert.co[2]`).",
    "GD105": "Not reported for the elements of a BMesh when more are added to it (`bm.verts.new()`, "
    "`bm.faces.new()`): a BMesh keeps its elements in place, unlike a Mesh's arrays. Nor when Blender's linked "
    "lists and lists of separately allocated items get one more with `new()` (modifiers, constraints, nodes, NLA "
    "tracks, bone groups, driver variables, palette colors, Grease Pencil and mask layers, action slots…); a "
    "CollectionProperty an add-on defines is an array whatever it is called, and its `add()` is reported. Nor "
    "for what a module's function or a class makes (`bmesh.new()`, `Canvas.new(...)` of an add-on's own class `Canvas`).",
    "GD104": "What a removed item points at outlives it: a constraint's `target`, an object's `data` or `parent`, "
    "a driver target's `id`, the objects of a collection. Only the removed data and its own sub-data are reported.",
    "GD110": "A name assigned from context is followed into a module-level list only when it is given a datablock "
    "(`context.object`, `bpy.data.meshes[name]`, `scene.objects[name]`, `view_layer.objects.active`), not a "
    "value such as a scene's enum or string property; what a loop over a collection yields always counts.",
    "GD120": "Not reported in a program of its own (see GD140): its threads run in its own Python, not Blender's.",
    "GD121": "Not reported in a program of its own (see GD140).",
    "GD122": "Not reported in a program of its own (see GD140).",
    "GD132": "Reported for a read of the same object, as the source names it, whose transform was set; not for "
    "another object's `matrix_world` (a child's does go stale too, but which objects are children is not known "
    "from the code), and not after `matrix_world` itself was set, which is what reading it gives back. Only a "
    "transform itself or one of its components counts as set (`ob.location.x = 1`), not data reached through one "
    "(`ob.parent.my_settings.value = 1`).",
    "GD150": "Not reported for the `filepath` of what argparse parsed (`args = parser.parse_args()`): a "
    "command-line argument, not a Blender path.",
    "GD203": "Not reported for the operators of those groups whose poll needs no editor (`file.pack_all`, "
    "`image.new`, `text.new`, `node.new_node_tree`…): every shipped poll knowledge base saw them pass with no "
    "area in the context.",
}


def _package():  # noqa: ANN202 - returns modules
    parent = Path(tempfile.mkdtemp(prefix="gotcha-doctor-docs-"))
    atexit.register(shutil.rmtree, parent, True)
    (parent / "gotcha_doctor").symlink_to(REPO, target_is_directory=True)
    sys.path.insert(0, str(parent))
    lint = importlib.import_module("gotcha_doctor.core.lint")
    examples = importlib.import_module("gotcha_doctor.core.lint.examples")
    topics = importlib.import_module("gotcha_doctor.core.topics")
    families = importlib.import_module("gotcha_doctor.core.lint.rules")
    return lint, examples, topics, families


def pages() -> dict[str, str]:
    lint, examples, topics, families = _package()
    module_of = {}
    for family in families.FAMILIES:
        module = sys.modules[type(family).__module__]
        for rule in family.rules:
            module_of[rule.code] = module
    out: dict[str, str] = {}
    index = [
        "# Lint rules",
        "",
        "Every rule has a stable code, the topic of the Gotchas section it cites, a default severity and a one-line "
        "fix. Opt-in rules run only when selected (`--select GD151` or `select` in `[tool.gotcha-doctor]`). "
        "Suppress one line with `# gotcha: ignore[CODE]` (or the topic) at its end.",
        "",
        "| code | name | topic | severity | what it finds |",
        "|---|---|---|---|---|",
    ]
    for rule in lint.ALL_RULES:
        section = topics.TOPICS[rule.topic].section if rule.topic in topics.TOPICS else "(none: the file itself)"
        pair = examples.example(rule.code)
        if pair is None:
            wrong, right, note = SOURCE_PAGES[rule.code]
        else:
            wrong, right = pair
            note = RULE_NOTES.get(rule.code, "")
        module = module_of.get(rule.code)
        lines = [
            f"# {rule.code} `{rule.name}`",
            "",
            f"**{rule.title}.**",
            "",
            f"- Topic: `{rule.topic or '-'}` — Gotchas section *{section}*"
            + (f" ({topics.TOPICS[rule.topic].summary})" if rule.topic in topics.TOPICS else ""),
            f"- Severity: {rule.severity}" + ("" if rule.default else " — opt-in (`--select " + rule.code + "`)"),
            f"- Fix: {rule.fix}.",
        ]
        if module is not None:
            lines.append(f"- Rule family: `core/lint/rules/{module.__name__.rsplit('.', 1)[-1]}.py`")
        if note:
            lines += ["", note]
        lines += [
            "",
            "## Wrong",
            "",
            "```python",
            wrong.rstrip("\n"),
            "```",
            "",
            "## Right",
            "",
            "```python",
            right.rstrip("\n"),
            "```",
            "",
            f"Suppress a single line with `# gotcha: ignore[{rule.code}]`"
            + (f" or `# gotcha: ignore[{rule.topic}]`." if rule.topic else "."),
            "",
        ]
        out[f"{rule.code}.md"] = "\n".join(lines)
        opt = "" if rule.default else " (opt-in)"
        index.append(
            f"| [{rule.code}]({rule.code}.md) | `{rule.name}` | `{rule.topic or '-'}` | {rule.severity}{opt} | "
            f"{rule.title} |"
        )
    index += ["", "Measured quality and speed: [quality.md](quality.md).", ""]
    out["README.md"] = "\n".join(index)
    return out


def main(argv: list[str]) -> int:
    wanted = pages()
    if "--check" in argv:
        stale = [
            name
            for name, text in wanted.items()
            if not (DOCS / name).is_file() or (DOCS / name).read_text("utf-8") != text
        ]
        if stale:
            print(f"docs/lint out of date: {', '.join(sorted(stale))} (run python3 tools/lint_docs.py)")
            return 1
        return 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for name, text in wanted.items():
        (DOCS / name).write_text(text, "utf-8")
    print(f"wrote {len(wanted)} pages to {DOCS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
