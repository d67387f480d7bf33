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
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cranesim.errors import ConfigError
from cranesim.scenario.geometry import Problems, did_you_mean, format_problem

__all__ = [
    "parse_assignment",
    "parse_value",
    "split_path",
    "set_path",
    "toml_value",
    "format_errors",
    "MAX_PROBLEMS",
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
#: At most this many problems are listed (the rest are counted): fixing the first ones often
#: fixes others, and a screenful is what a user reads.
MAX_PROBLEMS = 20


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


def _model_of(annotation: Any) -> Any:
    """The pydantic model inside an annotation (``X``, ``list[X]``, ``X | None``, ...), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        m = _model_of(arg)
        if m is not None:
            return m
    return None


def _allowed(model: Any, loc: tuple[Any, ...], data: Any) -> list[str]:
    """The keys allowed at ``loc`` of ``model`` (the parent of an unknown key): field names, or
    the crane names where a table is keyed by crane (``energy.manual.overrides``)."""
    parts = [p for p in loc if not isinstance(p, int)]
    k = 0
    while k < len(parts):
        field = model.model_fields.get(parts[k]) if model is not None else None
        if field is None:
            return []
        if get_origin(field.annotation) is dict:  # keyed by name: the next part is a key
            if k + 1 == len(parts):
                cranes = data.get("cranes") if isinstance(data, dict) else None
                names = [c.get("name") for c in cranes or [] if isinstance(c, dict)]
                return [str(n) for n in names] if parts[k] == "overrides" else []
            k += 1
        model = _model_of(field.annotation)
        k += 1
    return list(model.model_fields) if model is not None else []


def _problem(where: str, exact: bool, e: dict[str, Any], data: Any, model: Any) -> list[str]:
    """The lines of one pydantic error (``where``: the file, or the option that set the key)."""
    loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    key = format_loc(loc)
    kind, msg = e["type"], e["msg"]
    if kind == "extra_forbidden":
        allowed = _allowed(model, loc[:-1], data) if model is not None else []
        hint = did_you_mean(loc[-1], allowed).strip(" ()")
        if not hint:
            hint = "not a key here" + (
                f"; the keys here: {', '.join(map(str, allowed))}" if 0 < len(allowed) <= 12 else ""
            )
        return [f"{where}: unknown key {key} = {_clip(e.get('input'))} ({hint})"]
    if kind == "missing":
        return [f"{where}: missing key {key}: add it"]
    if kind == "value_error":
        err = (e.get("ctx") or {}).get("error")
        if isinstance(err, Problems):
            return [format_problem(where, p) for p in err.problems]
        return [f"{where}: {key}: {msg.removeprefix('Value error, ')}"]
    got = e.get("input")
    if kind == "list_type" and isinstance(got, dict):  # [cranes] instead of [[cranes]]
        return [f"{where}: {key}: expected a list of tables: write [[{key}]] for each entry "
                f"(double brackets), not [{key}]"]  # fmt: skip
    want = msg.removeprefix("Input should be ").removeprefix("Value should be ")
    what = "" if exact else f" {key} = {_clip(got)}:"
    return [f"{where}:{what} expected {want[0].lower() + want[1:]}"]


def format_errors(
    source: str,
    err: ValidationError,
    options: Mapping[str, str] | None = None,
    data: Any = None,
    model: Any = None,
) -> list[str]:
    """One line per problem of a scenario that does not validate (at most
    :data:`MAX_PROBLEMS`): the file (or, when the bad key was set by an option, the option),
    the key, the value and what was expected or how to fix it.

    ``options`` maps each overridden key path to how the user set it (``"--set k=v"``);
    ``data`` is the document validated and ``model`` the pydantic model it was validated
    against (for the keys allowed where an unknown key stands, and crane names).
    """
    errors = err.errors(include_url=False)
    # A typo shows up twice: as an unknown key and as the missing key it was meant to be.
    # Name the unknown key (what the user wrote, with a did-you-mean), not the missing one.
    meant = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            parent = tuple(e["loc"][:-1])
            missing = [m["loc"][-1] for m in errors if m["type"] == "missing"
                       and tuple(m["loc"][:-1]) == parent]  # fmt: skip
            near = difflib.get_close_matches(str(e["loc"][-1]), map(str, missing), n=1)
            if near:
                meant.add(parent + (near[0],))
    lines: list[str] = []
    for e in errors:
        if e["type"] == "missing" and tuple(e["loc"]) in meant:
            continue
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        where, exact = _origin(source, loc, options or {})
        lines += _problem(where, exact, e, data, model)
    if len(lines) > MAX_PROBLEMS:
        rest = len(lines) - MAX_PROBLEMS + 1
        lines = lines[: MAX_PROBLEMS - 1] + [
            f"{source}: ... and {rest} more problems (fix the ones above first)"
        ]
    return lines


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
    source: str,
    err: ValidationError,
    options: Mapping[str, str] | None = None,
    data: Any = None,
    model: Any = None,
) -> ConfigError:
    """The :class:`ConfigError` of :func:`format_errors` (one problem per line)."""
    return ConfigError(*format_errors(source, err, options, data, model))
