"""The sidebar tab "Gotcha Doctor" (View3D › Sidebar), its findings list, and the menu that F3 search finds."""

from __future__ import annotations

import bpy

from . import main, poll

classes: tuple[type, ...] = (
    main.GOTCHA_UL_findings,
    main.VIEW3D_PT_gotcha_doctor,
    *poll.classes,
    main.VIEW3D_PT_gotcha_doctor_details,
    main.TOPBAR_MT_gotcha_doctor,
)


def register_menus() -> None:
    # F3 menu search lists operators that sit in a menu; the Edit menu is in every window's top bar.
    bpy.types.TOPBAR_MT_edit.append(main.draw_edit_menu_entry)


def unregister_menus() -> None:
    bpy.types.TOPBAR_MT_edit.remove(main.draw_edit_menu_entry)
