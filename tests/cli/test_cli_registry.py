"""The command registry: one module per command, one parser, the import direction of cli/."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import cranesim
from cranesim.cli.app import COMMANDS, build_parser
from cranesim.cli.command import Command

PACKAGE = Path(cranesim.__file__).parent  # the package under test, installed or not
NAMES = (
    "run",
    "compare",
    "sweep",
    "animate",
    "validate",
    "validate-moves",
    "examples",
    "bench",
    "info",
)


def test_every_command_is_one_module_of_cli():
    assert tuple(c.name for c in COMMANDS) == NAMES
    for cmd in COMMANDS:
        module = importlib.import_module(f"cranesim.cli.{cmd.name.replace('-', '_')}")
        assert module.COMMAND is cmd and isinstance(cmd, Command)
        assert cmd.handler.__module__ == module.__name__
        assert cmd.help and cmd.help[0].islower()


def test_the_parser_holds_exactly_the_registry():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert tuple(sub.choices) == NAMES
    for cmd in COMMANDS:
        needs = {"validate": ["x.toml"], "validate-moves": ["--moves", "m.csv"]}
        ns = parser.parse_args([cmd.name] + needs.get(cmd.name, []))
        assert ns._handler is cmd.handler


@pytest.mark.parametrize("name", NAMES)
def test_help_of_each_command_exits_0(name, capsys):
    with pytest.raises(SystemExit) as ei:
        build_parser().parse_args([name, "--help"])
    assert ei.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: cranesim {name}")


def _imports(path) -> set[str]:
    """Every module ``path`` imports, at any depth (function-level imports included)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_only_the_cli_imports_the_cli():
    """cli is the top layer: below it, only ``python -m cranesim`` (``__main__.py``) uses it."""
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _sources()
        if p.relative_to(PACKAGE).parts[0] != "cli"
        and any(m == "cranesim.cli" or m.startswith("cranesim.cli.") for m in _imports(p))
    ]
    assert offenders == ["__main__.py"]


def test_one_front_door():
    """No module but ``cranesim/__main__.py`` runs as a program (``python -m``)."""
    runnable = [
        p.name
        for p in _sources()
        if p.name != "__main__.py" and '__name__ == "__main__"' in p.read_text()
    ]
    assert runnable == []
