"""Reading a scenario: TOML parsed with :mod:`tomllib`, validated against the schema.

Errors are raised as :class:`~cranesim.errors.ConfigError`, whose message is one line naming the
file (or the ``--set`` option), the key path, the offending value and what was expected.
Loading a file never executes code: nothing in it is evaluated.

A scenario is named by a path, or by the name of a packaged example (:func:`examples`:
``small`` or ``small.toml``), which is found after ``pip install`` wherever the command runs.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cranesim.errors import ConfigError
from cranesim.scenario.overrides import config_error, parse_assignment, set_path, toml_value
from cranesim.scenario.schema import Scenario

__all__ = [
    "load_config",
    "parse_config",
    "default_config_path",
    "examples",
    "packaged",
    "resolve_config",
    "Overrides",
]

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


def parse_config(
    data: dict[str, Any],
    source: str = "<config>",
    overrides: Overrides | None = None,
    base_dir: str | Path | None = None,
) -> Scenario:
    """Validate an already parsed TOML document, with ``overrides`` set on top of it; paths in
    it (``[demand]``) are relative to ``base_dir`` (the scenario file's folder; the working
    directory if None)."""
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
        raise config_error(source, err, labels) from None
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
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such file ({_examples_hint()})") from None
    except IsADirectoryError:
        raise ConfigError(f"{p}: is a directory, expected a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read ({exc.strerror})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{p}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{p}: invalid TOML: arrays or tables nested too deeply") from None
    if not data:
        raise ConfigError(f"{p}: empty file, expected a scenario ({_examples_hint()})")
    return parse_config(data, str(p), overrides, p.parent)
