"""Gotcha Doctor: finds Blender Python API gotchas live in the open file and explains them.

Registration imports the Blender-facing modules here, inside register(), so that the Blender-free ``core``
package can be imported and tested without ``bpy`` (tests/unit).
"""

from __future__ import annotations


def register() -> None:
    from . import registration

    registration.register()


def unregister() -> None:
    from . import registration

    registration.unregister()
