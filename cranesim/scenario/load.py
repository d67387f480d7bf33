"""Reading a scenario: TOML parsed with :mod:`tomllib`, validated against the schema.

Errors are raised as :class:`~cranesim.errors.ConfigError`, whose message is one line naming the
file, the key path, the offending value and what was expected.  Loading a file never executes
code: nothing in it is evaluated.
"""

from __future__ import annotations

import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cranesim.errors import ConfigError
from cranesim.scenario.schema import Scenario

__all__ = ["load_config", "parse_config", "default_config_path"]


def default_config_path() -> Path:
    """The packaged default scenario (the Masteel wire-rod warehouse)."""
    return Path(str(resources.files("cranesim.configs") / "masteel_wire_rod.toml"))


def _fmt_loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _clip(value: Any) -> str:
    s = repr(value)
    return s if len(s) <= 60 else s[:57] + "..."


def _format_error(path: str, err: ValidationError) -> str:
    errors = err.errors(include_url=False)
    # A typo shows up twice: as an unknown key and as the missing key it was meant to be.
    # Name the unknown key first: it is what the user wrote.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    e = errors[0]
    loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    key = _fmt_loc(loc)
    msg = e["msg"]
    if e["type"] == "extra_forbidden":
        # a missing key beside it is probably what was meant
        missing = [
            str(m["loc"][-1])
            for m in errors
            if m["type"] == "missing" and tuple(m["loc"][:-1]) == tuple(e["loc"][:-1])
        ]
        near = difflib.get_close_matches(str(e["loc"][-1]), missing, n=1)
        hint = f"did you mean {near[0]}?" if near else "unknown keys are not allowed"
        return f"{path}: unknown key {key} = {_clip(e.get('input'))} ({hint})"
    if e["type"] == "missing":
        return f"{path}: missing key {key}"
    more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
    if e["type"] == "value_error":
        msg = msg.removeprefix("Value error, ")
        return f"{path}: {key}: {msg}{more}"
    return f"{path}: {key} = {_clip(e.get('input'))}: expected {msg[0].lower() + msg[1:]}{more}"


def parse_config(
    data: dict[str, Any], source: str = "<config>", base_dir: str | Path | None = None
) -> Scenario:
    """Validate an already parsed TOML document; paths in it (``[demand]``) are relative to
    ``base_dir`` (the scenario file's folder; the working directory if None)."""
    context = {"base_dir": str(Path(base_dir if base_dir is not None else ".").absolute())}
    try:
        sc = Scenario.model_validate(data, context=context)
    except ValidationError as err:
        raise ConfigError(_format_error(source, err)) from None
    sc._source = source
    return sc


def load_config(path: str | Path | None = None) -> Scenario:
    """Read and validate a scenario file; ``None`` loads the packaged default.

    Raises
    ------
    ConfigError
        With a one-line message naming the file, the key and what was expected.
    """
    p = default_config_path() if path is None else Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such file") from None
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
        raise ConfigError(f"{p}: empty file, expected a scenario (see configs/small.toml)")
    return parse_config(data, str(p), p.parent)
