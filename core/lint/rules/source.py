"""Rules about the source file itself: it must be readable before any other rule can look at it."""

from __future__ import annotations

from ..model import Rule

PARSE_ERROR = Rule(
    "GD001",
    "source-does-not-parse",
    None,
    "ERROR",
    "The file is not valid Python (or not text); Blender cannot load it",
    "Fix the syntax error at the reported line (or keep non-Python files out of the linted paths)",
)
SOURCE_NOT_UTF8 = Rule(
    "GD002",
    "source-not-utf8",
    "non-utf8-path",
    "WARNING",
    "The source is not UTF-8; Blender expects UTF-8 everywhere",
    "Save the file as UTF-8 (and drop the coding cookie)",
)
FILE_TOO_LARGE = Rule(
    "GD003",
    "file-too-large",
    None,
    "INFO",
    "The file is larger than the lint size limit and was not analysed",
    "Raise max-file-bytes in [tool.gotcha-doctor] if it really is source code",
)
RULES = (PARSE_ERROR, SOURCE_NOT_UTF8, FILE_TOO_LARGE)
