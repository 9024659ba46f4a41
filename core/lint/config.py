"""``[tool.gotcha-doctor]`` in the linted project's ``pyproject.toml`` (read with tomllib), and the Blender
version the project targets (``--target-blender``, else the config, else its ``blender_manifest.toml``)."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from typing import Any

KEYS = frozenset({"select", "ignore", "extend-ignore", "target-blender", "fail-on", "exclude", "max-file-bytes"})


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line."""


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    target_blender: str | None = None
    fail_on: str | None = None
    exclude: list[str] = field(default_factory=list)
    max_file_bytes: int | None = None
    source: str | None = None  # the pyproject.toml it came from


def find_pyproject(start: str) -> str | None:
    folder = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        candidate = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _strings(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: [tool.gotcha-doctor] {key} must be a list of strings")
    return [v for v in value if v]


def load_config(pyproject: str | None) -> Config:
    if pyproject is None:
        return Config()
    try:
        with open(pyproject, "rb") as stream:
            data = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{pyproject}: cannot read: {error}") from None
    table = data.get("tool", {}).get("gotcha-doctor", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.gotcha-doctor] must be a table")
    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise ConfigError(f"{pyproject}: unknown [tool.gotcha-doctor] keys: {', '.join(unknown)}")
    config = Config(source=pyproject)
    config.select = _strings(table, "select", pyproject)
    config.ignore = _strings(table, "ignore", pyproject) + _strings(table, "extend-ignore", pyproject)
    config.exclude = _strings(table, "exclude", pyproject)
    target = table.get("target-blender")
    if target is not None:
        config.target_blender = str(target)
    fail_on = table.get("fail-on")
    if fail_on is not None:
        config.fail_on = str(fail_on)
    size = table.get("max-file-bytes")
    if size is not None:
        if not isinstance(size, int) or size <= 0:
            raise ConfigError(f"{pyproject}: [tool.gotcha-doctor] max-file-bytes must be a positive integer")
        config.max_file_bytes = size
    return config


def manifest_target(folder: str) -> str | None:
    """``blender_version_min`` of the add-on's ``blender_manifest.toml`` in ``folder``, as ``X.Y``."""
    path = os.path.join(folder, "blender_manifest.toml")
    try:
        with open(path, "rb") as stream:
            data = tomllib.load(stream)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    value = data.get("blender_version_min")
    if isinstance(value, str) and value.count(".") >= 1:
        return ".".join(value.split(".")[:2])
    return None
