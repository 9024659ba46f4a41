"""``sys.exit()`` (and what calls it for you, like argparse) closes Blender.

Gotcha: "sys.exit".
"""

from __future__ import annotations

import ast

from ..astutil import ARGPARSE_PARSE_METHODS, dotted_raw
from ..base import Family, Lint, Where
from ..model import Rule
from ..programs import blender_command_line_script, own_program

SYS_EXIT = Rule(
    "GD140",
    "sys-exit-call",
    "sys-exit",
    "ERROR",
    "sys.exit()/exit()/quit()/SystemExit closes Blender when this code runs inside it",
    'raise an exception or return (report the error); only exit under `if __name__ == "__main__":`',
)
ARGPARSE_EXIT = Rule(
    "GD141",
    "argparse-may-exit",
    "sys-exit",
    "WARNING",
    "argparse's parse_args() calls sys.exit() on bad arguments or --help, closing Blender",
    "use ArgumentParser(exit_on_error=False) with an error() that raises, or catch SystemExit",
)
EXIT_CALLS = frozenset({"sys.exit", "exit", "quit", "os._exit", "builtins.exit", "builtins.quit", "os.abort"})


class SysExitFamily(Family):
    name = "sysexit"
    rules = (SYS_EXIT, ARGPARSE_EXIT)

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        if lint.headless or where.main_guard or where.catches_exit or _command_line_only(lint, where):
            return
        if key in EXIT_CALLS and blender_command_line_script(lint):
            return  # its own exit, said out loud; argparse's hidden one (GD141) is the Gotchas page's example
        if key in EXIT_CALLS or _calls_argparse_parse(key):
            if own_program(lint):
                return
        if key in EXIT_CALLS and key not in lint.facts.functions:
            lint.report(SYS_EXIT, call, f"{dotted_raw(call.func)}() closes Blender when run inside it; {SYS_EXIT.fix}")
        elif _calls_argparse_parse(key) and _imports_argparse(lint):
            if not _parser_overrides_error(lint):
                lint.report(
                    ARGPARSE_EXIT,
                    call,
                    f"{dotted_raw(call.func)}() calls sys.exit() on bad arguments or --help, closing Blender; "
                    f"{ARGPARSE_EXIT.fix}",
                )

    def on_raise(self, lint: Lint, where: Where, node: ast.Raise) -> None:
        if (
            lint.headless
            or where.main_guard
            or where.catches_exit
            or node.exc is None
            or _command_line_only(lint, where)
            or own_program(lint)
            or blender_command_line_script(lint)
        ):
            return
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if isinstance(exc, ast.Name) and exc.id == "SystemExit":
            lint.report(SYS_EXIT, node, f"raising SystemExit closes Blender when run inside it; {SYS_EXIT.fix}")


def _command_line_only(lint: Lint, where: Where) -> bool:
    """The code runs only from the module's main guard: a function called there, or a method of a class made
    there (see ModuleFacts.main_only)."""
    if where.cls is not None:
        return where.cls.node.name in lint.facts.main_only
    return getattr(where.function, "name", None) in lint.facts.main_only


def _calls_argparse_parse(key: str) -> bool:
    return key.rpartition(".")[2] in ARGPARSE_PARSE_METHODS and "." in key


def _imports_argparse(lint: Lint) -> bool:
    return any(value.split(".", 1)[0] == "argparse" for value in lint.facts.aliases.values())


def _parser_overrides_error(lint: Lint) -> bool:
    """A class of this module derives from ArgumentParser and overrides error(), so it need not exit."""
    return any(
        "error" in info.methods and any("ArgumentParser" in (dotted_raw(b) or "") for b in info.node.bases)
        for info in lint.facts.classes.values()
    )


FAMILY = SysExitFamily()
