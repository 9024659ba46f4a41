"""Who owns a piece of Python code in a Blender session: which enabled add-on or extension, a script, or Blender.

Pure string logic on module names (Blender-free): the session checks pass in the enabled add-on module names
(``preferences.addons`` keys) and the module a function, class or thread target was defined in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

EXTENSION_PREFIX = "bl_ext."
# Modules whose code is Blender's own (not an add-on's): its Python API, UI and bundled startup scripts.
BLENDER_MODULE_ROOTS = frozenset(
    {
        "bpy",
        "bpy_types",
        "_bpy_types",
        "bpy_extras",
        "bpy_restrict_state",
        "bl_ui",
        "bl_operators",
        "bl_pkg",
        "bl_ui_utils",
        "bl_i18n_utils",
        "bl_keymap_utils",
        "bl_app_override",
        "bl_app_template_utils",
        "bl_console_utils",
        "bl_previews_utils",
        "bl_rna_utils",
        "bl_text_utils",
        "addon_utils",
        "keyingsets_builtins",
        "keyingsets_utils",
        "nodeitems_builtins",
        "nodeitems_utils",
        "rna_info",
        "rna_keymap_ui",
        "rna_prop_ui",
        "rna_xml",
        "console_python",
        "console_shell",
        "graphviz_draw",
        "animsys_refactor",
        "sys_info",
        "_rna_manual_reference",
        "_bl_i18n_settings_override",
    }
)
SCRIPT_MODULE = "__main__"


@dataclass(frozen=True)
class Owner:
    """``kind``: "extension", "add-on", "script" (``__main__``, a Text run or registered as a module), "blender"
    (Blender's own Python) or "module" (anything else: a library on sys.path, the standard library)."""

    kind: str
    module: str  # the add-on's / extension's package (e.g. "bl_ext.user_default.foo"), or the module itself

    @property
    def label(self) -> str:
        """Human wording: 'extension "foo" (repository user_default)', 'add-on "foo"', 'script "__main__"'."""
        if self.kind == "extension":
            parts = self.module.split(".")
            if len(parts) >= 3:
                return f'extension "{parts[2]}" (repository {parts[1]})'
            return f'extension "{self.module}"'
        return f'{self.kind} "{self.module}"'

    @property
    def is_blender(self) -> bool:
        return self.kind == "blender"


def addon_owning(module_name: str, addon_modules: Iterable[str]) -> str | None:
    """The enabled add-on (or extension) package that ``module_name`` belongs to: itself or a sub-module of it.
    The longest match wins (an extension repository's package never shadows the extension inside it).
    Pass a set or frozenset for speed: the lookup then costs one probe per dot in the name."""
    addons = addon_modules if isinstance(addon_modules, (set, frozenset)) else frozenset(addon_modules)
    prefix = module_name
    while True:
        if prefix in addons:
            return prefix
        cut = prefix.rfind(".")
        if cut < 0:
            return None
        prefix = prefix[:cut]


def owner_of(module_name: str | None, addon_modules: Iterable[str], script_modules: Iterable[str] = ()) -> Owner:
    """Classify the module a piece of code lives in."""
    if not module_name:
        return Owner("module", "?")
    addon = addon_owning(module_name, addon_modules)
    if addon is not None:
        return Owner("extension" if addon.startswith(EXTENSION_PREFIX) else "add-on", addon)
    if module_name == SCRIPT_MODULE or module_name in script_modules:
        return Owner("script", module_name)
    root = module_name.split(".", 1)[0]
    if root in BLENDER_MODULE_ROOTS or module_name.startswith(EXTENSION_PREFIX):
        # bl_ext.<repo> itself (the repository package) and Blender's modules.
        return Owner("blender", module_name)
    return Owner("module", module_name)


def is_script_file(filename: str) -> bool:
    """A code object's file name for code run from a Text datablock: ``/path/file.blend/Text`` or a bare name
    with no folder (``Text``, ``my_script.py``) -- never a file that exists as such on disk."""
    normalized = filename.replace("\\", "/")
    return ".blend/" in normalized or "/" not in normalized
