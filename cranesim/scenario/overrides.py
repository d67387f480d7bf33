"""Setting scenario keys by dotted path, and saying which key of which file or option is wrong.

``cranesim run --set mill.rate_t_h=60``, :meth:`Scenario.derive
<cranesim.scenario.schema.Scenario.derive>` and ``cranesim sweep --vary`` all change a scenario
the same way: the key is a dotted path (``section.key``; ``name[i]`` for the i-th entry of a
list of tables, as the error messages write it), the value a TOML value (``60``, ``"greedy"``,
``[1, 2]``, ``{ x_m = 5.0, y_m = 17.0 }``), set in the scenario's plain data, which is then
validated exactly as a file is.  A validation error names the option or key that caused it.

>>> parse_assignment("mill.rate_t_h=60")
('mill.rate_t_h', 60)
>>> split_path("cranes[1].start_x_m")
['cranes', 1, 'start_x_m']
>>> d = {"mill": {"rate_t_h": 45.0}}
>>> set_path(d, "mill.rate_t_h", 60.0); d
{'mill': {'rate_t_h': 60.0}}
>>> toml_value(0.1), toml_value("greedy"), toml_value([1, 2.5])
('0.1', '"greedy"', '[1, 2.5]')
"""

from __future__ import annotations

import difflib
import json
import math
import re
import tomllib
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from cranesim.errors import ConfigError

__all__ = [
    "parse_assignment",
    "parse_value",
    "split_path",
    "set_path",
    "apply",
    "toml_value",
    "format_error",
    "format_loc",
    "config_error",
]

_PART = re.compile(r"([^.\[\]]+)((?:\[\d+\])*)")
_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def split_path(path: str) -> list[str | int]:
    """``"a.b[2].c"`` -> ``["a", "b", 2, "c"]``; :class:`ValueError` if it is not a key path."""
    if not path or path.startswith(".") or path.endswith(".") or ".." in path:
        raise ValueError(f"{path!r} is not a key path (expected section.key, e.g. mill.rate_t_h)")
    out: list[str | int] = []
    for chunk in path.split("."):
        m = _PART.fullmatch(chunk)
        if m is None:
            raise ValueError(f"{path!r} is not a key path (expected section.key or list[i].key)")
        out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    return out


def parse_value(text: str) -> Any:
    """A TOML value (``60``, ``4.5``, ``true``, ``"text"``, ``[1, 2]``, ``{ a = 1 }``).

    A bare word that is no TOML value (``greedy``) is taken as a string, so that
    ``--set scheduler.policy=greedy`` needs no shell quoting; validation still rejects a string
    where a number belongs.
    """
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        if _BARE.fullmatch(text.strip()):
            return text.strip()
        raise ValueError(
            f"{text!r} is not a TOML value (numbers as 60 or 4.5, text in quotes, lists as "
            "[1, 2], tables as { a = 1 })"
        ) from None


def parse_assignment(text: str) -> tuple[str, Any]:
    """``"section.key=VALUE"`` -> ``("section.key", value)`` (see :func:`parse_value`)."""
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ValueError("expected section.key=VALUE, e.g. mill.rate_t_h=60")
    split_path(key)
    return key, parse_value(value.strip())


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in the nested plain data ``data`` (tables are created where missing)."""
    parts = split_path(path)
    node: Any = data
    done: list[str | int] = []
    for part, nxt in zip(parts[:-1], parts[1:]):
        if isinstance(part, int):
            _check_index(node, part, done, path)
        elif not isinstance(node, dict):
            raise ValueError(f"{path}: {format_loc(done)} is not a table")
        elif part not in node:
            if isinstance(nxt, int):
                raise ValueError(f"{path}: {format_loc([*done, part])} is not set, so it has no "
                                 "entries to index")  # fmt: skip
            node[part] = {}
        node = node[part]
        done.append(part)
    last = parts[-1]
    if isinstance(last, int):
        _check_index(node, last, done, path)
    elif not isinstance(node, dict):
        raise ValueError(f"{path}: {format_loc(done)} is not a table")
    node[last] = value


def _check_index(node: Any, i: int, done: list[str | int], path: str) -> None:
    if not isinstance(node, list):
        raise ValueError(f"{path}: {format_loc(done)} is not a list")
    if i >= len(node):
        raise ValueError(f"{path}: {format_loc(done)} has {len(node)} entries (index from 0)")


def apply(data: dict[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """Set every ``path: value`` of ``updates`` in ``data`` (in place, in order); returns it."""
    for path, value in updates.items():
        set_path(data, path, value)
    return data


def toml_value(v: Any) -> str:
    """``v`` written as a TOML value (numbers exactly, as Python's repr)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a TOML basic string
    if isinstance(v, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, Sequence):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as a TOML value")


def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_\-]+", k) else json.dumps(k)


# --------------------------------------------------------------------------- error messages
def format_loc(loc: Sequence[Any]) -> str:
    """``("cranes", 1, "start_x_m")`` -> ``"cranes[1].start_x_m"``."""
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


def format_error(
    source: str, err: ValidationError, options: Mapping[str, str] | None = None
) -> str:
    """One line for a scenario that does not validate: the file (or, when the bad key was set
    by an option, the option), the key, the value and what was expected.

    ``options`` maps each overridden key path to how the user set it (``"--set k=v"``).
    """
    errors = err.errors(include_url=False)
    # A typo shows up twice: as an unknown key and as the missing key it was meant to be.
    # Name the unknown key first: it is what the user wrote.
    errors.sort(key=lambda e: e["type"] != "extra_forbidden")
    e = errors[0]
    loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    where, exact = _origin(source, loc, options or {})
    key = format_loc(loc)
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
        return f"{where}: unknown key {key} = {_clip(e.get('input'))} ({hint})"
    if e["type"] == "missing":
        return f"{where}: missing key {key}"
    more = f" (+{err.error_count() - 1} more)" if err.error_count() > 1 else ""
    if e["type"] == "value_error":
        msg = msg.removeprefix("Value error, ")
        return f"{where}: {key}: {msg}{more}"
    what = "" if exact else f" {key} = {_clip(e.get('input'))}:"
    return f"{where}:{what} expected {msg[0].lower() + msg[1:]}{more}"


def _origin(source: str, loc: tuple, options: Mapping[str, str]) -> tuple[str, bool]:
    """The file, or the option(s) that set the key at ``loc`` (or a key below or above it);
    and whether one option set exactly that key (its message need not repeat it)."""
    hits = []
    exact = False
    for path, label in options.items():
        p = tuple(split_path(path))
        n = min(len(p), len(loc))
        if p[:n] == loc[:n]:
            hits.append(label)
            exact = exact or p == loc
    if not hits:
        return source, False
    if loc and len(hits) == 1:
        return hits[0], exact
    return f"{source} with {', '.join(hits)}", False


def config_error(
    source: str, err: ValidationError, options: Mapping[str, str] | None = None
) -> ConfigError:
    """The :class:`ConfigError` of :func:`format_error`."""
    return ConfigError(format_error(source, err, options))
