"""The LICENSE file is the license the manifest declares."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_license_file_matches_the_manifest() -> None:
    manifest = tomllib.loads((REPO / "blender_manifest.toml").read_text("utf-8"))
    assert manifest["license"] == ["SPDX:GPL-3.0-or-later"]
    text = (REPO / "LICENSE").read_text("utf-8")
    assert text.split()[:6] == ["GNU", "GENERAL", "PUBLIC", "LICENSE", "Version", "3,"]
    assert "either version 3 of the License, or\n    (at your option) any later version." in text
    assert "END OF TERMS AND CONDITIONS" in text
