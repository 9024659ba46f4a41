"""core.paths' resolution checked against Blender itself (the rest of core.paths is tested in tests/unit)."""

from __future__ import annotations

import bpy


def test_blender_abspath_matches_blender_filepath_from_user(gd, tmp_path):
    """The pure mirror gives what Blender itself resolves, for a saved and an unsaved file."""
    image = bpy.data.images.new("probe", 1, 1)
    image.source = "FILE"
    samples = [
        "//tex/a.png",
        "//tex\\b.png",
        "//./a/../b.png",
        "//a//b.png",
        "//../../../../../../../../x.png",
        "C:\\tex\\a.png",
        "/abs/./x/../y.png",
        "rel/x.png",
        "//sub/<UDIM>.png",
    ]
    for raw in samples:  # unsaved: // resolves to a relative path
        image.filepath = raw
        assert gd.core.paths.blender_abspath(raw, "") == image.filepath_from_user(), raw
    main = tmp_path / "deep" / "dir" / "main.blend"
    main.parent.mkdir(parents=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(main))  # saving keeps the data: `image` still points at it
    for raw in samples:
        image.filepath = raw
        assert gd.core.paths.blender_abspath(raw, str(main)) == image.filepath_from_user(), raw
        assert gd.core.paths.naive_abspath(raw, str(main)) == bpy.path.abspath(raw), raw
