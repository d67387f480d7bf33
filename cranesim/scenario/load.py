"""Reading a scenario: TOML parsed with :mod:`tomllib`, validated against the schema.

Errors are raised as :class:`~cranesim.errors.ConfigError`, every problem at once (up to
:data:`~cranesim.scenario.overrides.MAX_PROBLEMS`), one line each naming the file (or the
``--set`` option), the key path, the offending value and what was expected or how to fix it.
Only a regular UTF-8 file of at most 1 MB is read (a byte-order mark is accepted), nested at
most :data:`MAX_DEPTH` deep.  Loading a file never executes code: nothing in it is evaluated.

A scenario is named by a path, or by the name of a packaged example (:func:`examples`:
``small`` or ``small.toml``), which is found after ``pip install`` wherever the command runs.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cranesim.errors import ConfigError
from cranesim.scenario.files import read_input
from cranesim.scenario.overrides import (
    MAX_PROBLEMS,
    config_error,
    format_loc,
    parse_assignment,
    set_path,
    toml_value,
)
from cranesim.scenario.schema import Scenario

__all__ = [
    "load_config",
    "parse_config",
    "default_config_path",
    "examples",
    "packaged",
    "resolve_config",
    "Overrides",
    "MAX_PROBLEMS",
    "MAX_DEPTH",
]

#: Largest scenario file read: scenarios are a few kB; this leaves room for long comments.
MAX_SCENARIO_BYTES = 1024 * 1024
#: Deepest nesting of tables and arrays accepted: a scenario needs 4 (energy.manual.overrides.C1).
MAX_DEPTH = 16

#: ``{"section.key": value}``, or ``["section.key=VALUE", ...]`` as ``--set`` takes them
Overrides = Mapping[str, Any] | Sequence[str]

#: the packaged default scenario
DEFAULT = "masteel_wire_rod.toml"


def default_config_path() -> Path:
    """The packaged default scenario (the Masteel wire-rod warehouse)."""
    return packaged(DEFAULT)


def packaged(name: str) -> Path:
    """The path of the packaged file ``name`` (a scenario or a data file) in ``cranesim.configs``."""
    return Path(str(resources.files("cranesim.configs") / name))


def examples(kind: str = "toml") -> dict[str, Path]:
    """The packaged files ending in ``.kind``, by name without the suffix (sorted).

    >>> sorted(examples())
    ['masteel_wire_rod', 'small']
    """
    root = resources.files("cranesim.configs")
    found = sorted(p.name for p in root.iterdir() if p.name.endswith(f".{kind}"))
    return {n.removesuffix(f".{kind}"): packaged(n) for n in found}


def resolve_config(path: str | Path | None) -> Path:
    """The file ``path`` names: the path itself when it exists, else the packaged example of
    that name (``small``, ``small.toml``; ``meters_example.csv``); ``None`` is the packaged
    default."""
    if path is None:
        return default_config_path()
    p = Path(path)
    if p.exists() or len(p.parts) != 1:
        return p
    if p.suffix in ("", ".toml"):
        return examples().get(p.name.removesuffix(".toml"), p)
    data = packaged(p.name)
    return data if data.is_file() else p


def _examples_hint() -> str:
    return "packaged examples: " + ", ".join(examples()) + "; see 'cranesim examples'"


def _normalise(overrides: Overrides | None) -> tuple[dict[str, Any], dict[str, str]]:
    """``{path: value}`` and ``{path: how it was given}`` (for the error messages)."""
    if not overrides:
        return {}, {}
    if isinstance(overrides, Mapping):
        values = dict(overrides)
        labels = {k: f"{k} = {toml_value(v)}" for k, v in values.items()}
        return values, labels
    values, labels = {}, {}
    for text in overrides:
        try:
            key, value = parse_assignment(text)
        except ValueError as exc:
            raise ConfigError(f"--set {text}: {exc}") from None
        values[key] = value
        labels[key] = f"--set {text}"
    return values, labels


def _depth(data: Any) -> tuple[int, tuple[Any, ...]]:
    """How deep tables and arrays nest in ``data``, and the key path of the deepest (no
    recursion: a hostile file must not exhaust the stack)."""
    deepest: tuple[int, tuple[Any, ...]] = (0, ())
    stack: list[tuple[Any, int, tuple[Any, ...]]] = [(data, 0, ())]
    while stack:
        node, depth, loc = stack.pop()
        if depth > deepest[0]:
            deepest = (depth, loc)
        if depth > MAX_DEPTH:
            break
        if isinstance(node, dict):
            stack.extend((v, depth + 1, loc + (k,)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, depth + 1, loc + (i,)) for i, v in enumerate(node))
    return deepest


def _toml_hint(text: str) -> str:
    """A hint for a TOML error a scenario writer makes: a table written both as ``[x]`` and
    ``[[x]]``."""
    single = set(re.findall(r"(?m)^\s*\[([A-Za-z0-9_.-]+)\]", text))
    double = set(re.findall(r"(?m)^\s*\[\[([A-Za-z0-9_.-]+)\]\]", text))
    both = sorted(single & double)
    if both:
        return f" ([{both[0]}] and [[{both[0]}]] both appear: write [[{both[0]}]] for every entry)"
    return ""


def parse_config(
    data: dict[str, Any],
    source: str = "<config>",
    overrides: Overrides | None = None,
    base_dir: str | Path | None = None,
) -> Scenario:
    """Validate an already parsed TOML document, with ``overrides`` set on top of it (every
    problem at once, see :class:`~cranesim.errors.ConfigError`); paths in it (``[demand]``) are
    relative to ``base_dir`` (the scenario file's folder; the working directory if None)."""
    depth, loc = _depth(data)
    if depth > MAX_DEPTH:
        raise ConfigError(
            f"{source}: {format_loc(loc[:4])}...: tables or arrays nested more than {MAX_DEPTH} "
            "deep; a scenario needs at most 4"
        )
    values, labels = _normalise(overrides)
    for key, value in values.items():
        try:
            set_path(data, key, value)
        except ValueError as exc:
            raise ConfigError(f"{labels[key]}: {exc}") from None
    context = {"base_dir": str(Path(base_dir if base_dir is not None else ".").absolute())}
    try:
        sc = Scenario.model_validate(data, context=context)
    except ValidationError as err:
        raise config_error(source, err, labels, data, Scenario) from None
    sc._source = source
    sc._overrides = tuple(f"{k} = {toml_value(v)}" for k, v in values.items())
    return sc


def load_config(path: str | Path | None = None, overrides: Overrides | None = None) -> Scenario:
    """Read and validate a scenario file; ``None`` loads the packaged default.

    Parameters
    ----------
    path
        A TOML file, or the name of a packaged example (:func:`examples`).
    overrides
        Keys to set on top of the file before it is validated: ``{"mill.rate_t_h": 60.0}``, or
        ``["mill.rate_t_h=60"]`` as ``--set`` gives them (TOML values).

    Raises
    ------
    ConfigError
        With a one-line message naming the file (or the ``--set`` option), the key and what was
        expected.
    """
    p = resolve_config(path)
    if not p.exists() and not p.is_symlink():
        raise ConfigError(f"{p}: no such file ({_examples_hint()})")
    raw = read_input(p, "a scenario (TOML)", limit=MAX_SCENARIO_BYTES, error=ConfigError)
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (Windows editors write one) is fine
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}{_toml_hint(text)}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{p}: invalid TOML: arrays or tables nested too deeply") from None
    if not data:
        raise ConfigError(f"{p}: empty file, expected a scenario ({_examples_hint()})")
    return parse_config(data, str(p), overrides, p.parent)
