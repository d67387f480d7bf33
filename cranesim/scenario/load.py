"""Reading a scenario: TOML parsed with :mod:`tomllib`, validated against the schema.

Errors are raised as :class:`~cranesim.errors.ConfigError`, every problem at once (up to
:data:`MAX_PROBLEMS`), one line each naming the file, the key path, the offending value and
what was expected or how to fix it.  Only a regular UTF-8 file of at most 1 MB is read (a byte-order
mark is accepted), nested at most :data:`MAX_DEPTH` deep.  Loading a file never executes code:
nothing in it is evaluated.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cranesim.errors import ConfigError
from cranesim.scenario.files import read_input
from cranesim.scenario.geometry import Problems, did_you_mean, format_problem
from cranesim.scenario.schema import Scenario

__all__ = ["load_config", "parse_config", "default_config_path", "MAX_PROBLEMS", "MAX_DEPTH"]

#: Largest scenario file read: scenarios are a few kB; this leaves room for long comments.
MAX_SCENARIO_BYTES = 1024 * 1024


def default_config_path() -> Path:
    """The packaged default scenario (the Masteel wire-rod warehouse)."""
    return Path(str(resources.files("cranesim.configs") / "masteel_wire_rod.toml"))


#: At most this many problems are listed (the rest are counted): fixing the first ones often
#: fixes others, and a screenful is what a user reads.
MAX_PROBLEMS = 20
#: Deepest nesting of tables and arrays accepted: a scenario needs 4 (energy.manual.overrides.C1).
MAX_DEPTH = 16


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


def _model_of(annotation: Any) -> Any:
    """The pydantic model inside an annotation (``X``, ``list[X]``, ``X | None``, ...), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        m = _model_of(arg)
        if m is not None:
            return m
    return None


def _allowed(loc: tuple[Any, ...], data: Any) -> list[str]:
    """The keys allowed at ``loc`` (the parent of an unknown key): field names, or the crane
    names where a table is keyed by crane (``energy.manual.overrides``)."""
    model: Any = Scenario
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


def _problem(path: str, e: dict[str, Any], data: Any) -> list[str]:
    """The lines of one pydantic error."""
    loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    key = _fmt_loc(loc)
    kind, msg = e["type"], e["msg"]
    if kind == "extra_forbidden":
        allowed = _allowed(loc[:-1], data)
        hint = did_you_mean(loc[-1], allowed).strip(" ()")
        if not hint:
            hint = "not a key here" + (
                f"; the keys here: {', '.join(map(str, allowed))}" if 0 < len(allowed) <= 12 else ""
            )
        return [f"{path}: unknown key {key} = {_clip(e.get('input'))} ({hint})"]
    if kind == "missing":
        return [f"{path}: missing key {key}: add it"]
    if kind == "value_error":
        err = (e.get("ctx") or {}).get("error")
        if isinstance(err, Problems):
            return [format_problem(path, p) for p in err.problems]
        return [f"{path}: {key}: {msg.removeprefix('Value error, ')}"]
    got = e.get("input")
    if kind == "list_type" and isinstance(got, dict):  # [cranes] instead of [[cranes]]
        return [f"{path}: {key}: expected a list of tables: write [[{key}]] for each entry "
                f"(double brackets), not [{key}]"]  # fmt: skip
    want = msg.removeprefix("Input should be ").removeprefix("Value should be ")
    return [f"{path}: {key} = {_clip(got)}: expected {want[0].lower() + want[1:]}"]


def _format_errors(path: str, err: ValidationError, data: Any) -> list[str]:
    errors = err.errors(include_url=False)
    # A typo shows up twice: as an unknown key and as the missing key it was meant to be.
    # Name the unknown key (what the user wrote, with a did-you-mean) and not the missing one.
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
        lines += _problem(path, e, data)
    return lines


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


def _toml_hint(text: str, msg: str) -> str:
    """A hint for a TOML error a scenario writer makes: a table written both as ``[x]`` and
    ``[[x]]``."""
    single = set(re.findall(r"(?m)^\s*\[([A-Za-z0-9_.-]+)\]", text))
    double = set(re.findall(r"(?m)^\s*\[\[([A-Za-z0-9_.-]+)\]\]", text))
    both = sorted(single & double)
    if both:
        return f" ([{both[0]}] and [[{both[0]}]] both appear: write [[{both[0]}]] for every entry)"
    return ""


def parse_config(data: dict[str, Any], source: str = "<config>") -> Scenario:
    """Validate an already parsed TOML document (every problem at once, see
    :class:`~cranesim.errors.ConfigError`)."""
    depth, loc = _depth(data)
    if depth > MAX_DEPTH:
        raise ConfigError(
            f"{source}: {_fmt_loc(loc[:4])}...: tables or arrays nested more than {MAX_DEPTH} "
            "deep; a scenario needs at most 4"
        )
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as err:
        lines = _format_errors(source, err, data)
        if len(lines) > MAX_PROBLEMS:
            rest = len(lines) - MAX_PROBLEMS + 1
            lines = lines[: MAX_PROBLEMS - 1] + [
                f"{source}: ... and {rest} more problems (fix the ones above first)"
            ]
        raise ConfigError(*lines) from None
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
    raw = read_input(p, "a scenario (TOML)", limit=MAX_SCENARIO_BYTES, error=ConfigError)
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark (Windows editors write one) is fine
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{p}: not UTF-8 text (byte {exc.start}); save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}{_toml_hint(text, str(exc))}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{p}: invalid TOML: arrays or tables nested too deeply") from None
    if not data:
        raise ConfigError(
            f"{p}: empty file, expected a scenario (see the packaged ones: cranesim info)"
        )
    return parse_config(data, str(p))
