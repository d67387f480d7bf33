"""Malformed scenario files never crash the command line.

Broken configs are generated from ``configs/small.toml`` (wrong types, missing sections and keys,
out-of-range and non-finite values, unknown keys, deep nesting, invalid TOML, empty files,
non-UTF-8 bytes).  For each, ``cranesim validate`` and ``cranesim run --hours 0.1 --json out.json
--trace t.csv`` must

* exit with status 2 (or 0 when the mutation happens to leave a valid scenario),
* print one line on stderr per problem (at most ``MAX_PROBLEMS``), each
  ``cranesim: error: <file>: ...``, one of them naming the key the mutation touched where there
  is one, and no traceback,
* leave no ``out.json``, ``t.csv`` or temporary file behind.

Most cases run in-process through :func:`cranesim.cli.app.main` (fast); a few go through
``python -m cranesim`` to check the contract a user sees.  Bounded to a few seconds.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import cranesim.cli.app as cli  # noqa: E402
from cranesim.errors import ConfigError  # noqa: E402
from cranesim.scenario.load import MAX_PROBLEMS, load_config  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "configs" / "small.toml"
if not SMALL.is_file():  # an installed package without a checkout
    from importlib import resources

    SMALL = Path(str(resources.files("cranesim.configs") / "small.toml"))
BASE: dict[str, Any] = tomllib.loads(SMALL.read_text(encoding="utf-8"))

FUZZ = settings(
    max_examples=int(os.environ.get("CRANESIM_FUZZ_EXAMPLES", "150")),
    deadline=None,
    # the same cases on every run (a failure is reproducible); CRANESIM_FUZZ_RANDOM=1 explores
    derandomize=os.environ.get("CRANESIM_FUZZ_RANDOM", "") != "1",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


# --------------------------------------------------------------------------- a tiny TOML writer
def _key(k: str) -> str:
    bare = k and all(c.isalnum() or c in "-_" for c in k) and k.isascii()
    return k if bare else _str(k)


def _str(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _val(v: Any) -> str:
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
        return _str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_val(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def dumps(doc: dict[str, Any]) -> str:
    """Serialise a TOML document: top-level scalars, then one table per dict section."""
    lines: list[str] = []
    tables: list[tuple[str, dict]] = []
    arrays: list[tuple[str, list]] = []
    for k, v in doc.items():
        if isinstance(v, dict):
            tables.append((k, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            arrays.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_val(v)}")
    for k, v in tables:
        lines.append(f"[{_key(k)}]")
        lines.append(dumps_inline_body(v))
    for k, items in arrays:
        for item in items:
            lines.append(f"[[{_key(k)}]]")
            lines.append(dumps_inline_body(item))
    return "\n".join(x for x in lines if x) + "\n"


def dumps_inline_body(d: dict[str, Any]) -> str:
    return "\n".join(f"{_key(k)} = {_val(v)}" for k, v in d.items())


def test_writer_round_trips_small():
    assert tomllib.loads(dumps(BASE)) == BASE
    weird = {"a": {"b": [1.5, float("inf"), 'x"\\\n'], "c": {"d": {"e": True}}}, "f": [{"g": 1}]}
    assert tomllib.loads(dumps(weird)) == weird


# --------------------------------------------------------------------------- mutations
def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _leaves(v, path + (k,))
    elif isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
        for i, v in enumerate(node):
            out += _leaves(v, path + (i,))
    else:
        out.append(path)
    return out


def _tables(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path] if isinstance(node, dict) else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _tables(v, path + (k,))
    elif isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
        for i, v in enumerate(node):
            out += _tables(v, path + (i,))
    return out


LEAVES = _leaves(BASE)
TABLES = _tables(BASE)
NODES = sorted(set(LEAVES) | set(TABLES) - {()}, key=repr)


def _get(doc: Any, path: tuple) -> Any:
    for p in path:
        doc = doc[p]
    return doc


def dotted(path: tuple) -> str:
    """The key path as the error messages spell it: ``mill.products[0].share``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else ("." if out else "") + str(p)
    return out


def _copy(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: _copy(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [_copy(v) for v in doc]
    return doc


def _deep(depth: int) -> dict:
    d: dict = {"x": 1}
    for _ in range(depth):
        d = {"n": d}
    return d


BAD_VALUES = st.one_of(
    st.sampled_from(
        [
            "abc",
            "",
            "1e308",
            "inf",
            "nan",
            "-inf",
            "10",
            "true",
            " ",
            "\u00e9\u4e2d\U0001f600",
            1e308,
            -1e308,
            float("inf"),
            float("-inf"),
            float("nan"),
            5e-324,
            -0.0,
            0.0,
            -1.0,
            0,
            -1,
            2**63,
            -(2**63),
            2**63 - 1,
            10**18,
            True,
            False,
            [],
            [1, 2],
            [[]],
            {},
            {"a": 1},
            ["x"],
            "x" * 5000,
        ]
    ),  # fmt: skip
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.builds(_deep, st.integers(1, 60)),
)


@st.composite
def mutated_doc(draw) -> tuple[str, tuple | None, str]:
    """A broken document: (TOML text, key path the error should name or None, mutation)."""
    doc = _copy(BASE)
    op = draw(st.sampled_from(["replace", "delete", "unknown", "nest", "multi"]))
    if op == "replace":
        path = draw(st.sampled_from(NODES))
        parent = _get(doc, path[:-1])
        parent[path[-1]] = draw(BAD_VALUES)
        return dumps(doc), path, op
    if op == "delete":
        path = draw(st.sampled_from(NODES))
        parent = _get(doc, path[:-1])
        del parent[path[-1]]
        if isinstance(parent, list) and not parent:  # an empty array of tables: drop the key
            del _get(doc, path[:-2])[path[-2]]
            path = path[:-1]
        return dumps(doc), path, op
    if op == "unknown":
        table = draw(st.sampled_from(TABLES))
        name = draw(st.sampled_from(["typo_key", "hours_m", "lenght_m", "x", "policy2", "tomato"]))
        _get(doc, table)[name] = draw(BAD_VALUES)
        return dumps(doc), table + (name,), op
    if op == "nest":
        table = draw(st.sampled_from(TABLES))
        name = draw(st.sampled_from(["deep", "nested"]))
        _get(doc, table)[name] = _deep(draw(st.integers(1, 200)))
        return dumps(doc), table + (name,), op
    # several replacements at once: any of them may be reported
    for path in draw(st.lists(st.sampled_from(LEAVES), min_size=2, max_size=5, unique=True)):
        _get(doc, path[:-1])[path[-1]] = draw(BAD_VALUES)
    return dumps(doc), None, op


@st.composite
def broken_bytes(draw) -> bytes:
    """Bytes that are not a usable TOML document (or are, by chance)."""
    text = SMALL.read_bytes()
    op = draw(st.sampled_from(["truncate", "insert", "garbage", "empty", "latin1", "deep", "bom"]))
    if op == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if op == "insert":
        pos = draw(st.integers(0, len(text)))
        junk = draw(st.sampled_from([b"[", b"]", b"=", b'"', b"\x00", b"\xff\xfe", b"[[x]]", b"\\",
                                     b"'''", b"a = 1\na = 2\n", b"\n[bay]\n", b"\xc3\x28",
                                     b"\xed\xa0\x80", b"key = 1e99999\n"]))  # fmt: skip
        return text[:pos] + junk + text[pos:]
    if op == "garbage":
        return draw(st.binary(max_size=200))
    if op == "empty":
        return draw(st.sampled_from([b"", b"\n", b"   \n\t\n", b"# only a comment\n"]))
    if op == "latin1":
        return text.replace(b"Q235-6.5", "Q235-\u00e96.5".encode("latin-1"))
    if op == "deep":
        depth = draw(st.integers(50, 3000))
        return text + b"x = " + b"[" * depth + b"]" * depth + b"\n"
    return b"\xef\xbb\xbf" + text  # a UTF-8 byte-order mark


# --------------------------------------------------------------------------- checks
def _call(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = cli.main(argv)
        except SystemExit as exc:  # argparse exits; anything else must not escape
            rc = exc.code if isinstance(exc.code, int) else 1
    return rc, out.getvalue(), err.getvalue()


def _valid(path: Path) -> bool:
    try:
        sc = load_config(path)
        from cranesim.scenario.layout import build_layout

        build_layout(sc, str(path))
    except ConfigError:
        return False
    return True


def check_file(data: bytes, key: tuple | None, *, run: bool = True) -> None:
    """Run ``validate`` and ``run`` on ``data`` in a fresh directory and check the contract."""
    d = Path(tempfile.mkdtemp(prefix="cranesim-fuzz-"))
    try:
        cfg = d / "broken.toml"
        cfg.write_bytes(data)
        valid = _valid(cfg)
        cmds = [["validate", str(cfg)]]
        if run:
            cmds.append(["run", str(cfg), "--hours", "0.1", "--json", str(d / "out.json"),
                         "--trace", str(d / "t.csv"), "--no-progress"])  # fmt: skip
        for argv in cmds:
            rc, out, err = _call(argv)
            if valid:
                assert rc == 0, (argv[0], rc, err)
                continue
            assert rc == 2, (argv[0], rc, err, data[:300])
            assert "Traceback" not in err and "Traceback" not in out
            lines = err.splitlines()
            assert 1 <= len(lines) <= MAX_PROBLEMS, (argv[0], err)
            for line in lines:
                assert line.startswith(f"cranesim: error: {cfg}"), line
            if key is not None:
                _assert_names_key("\n".join(lines), key)
            left = sorted(p.name for p in d.iterdir())
            assert left == ["broken.toml"], (argv[0], left, line)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def _assert_names_key(line: str, key: tuple) -> None:
    """The error names the mutated key, one of its parents, or (for a rule that spans
    sections, e.g. the cranes must fit on the runway) some key of the scenario."""
    for n in range(len(key), 0, -1):
        if dotted(key[:n]) in line:
            return
    names = {str(p) for path in LEAVES + TABLES for p in path if isinstance(p, str)}
    assert any(name in line for name in names), (key, line)


# --------------------------------------------------------------------------- the properties
@FUZZ
@given(mutated_doc())
def test_schema_mutations_exit_2_in_process(case):
    text, key, _op = case
    check_file(text.encode("utf-8"), key)


@FUZZ
@given(broken_bytes())
def test_broken_bytes_exit_2_in_process(data):
    check_file(data, None)


@pytest.mark.parametrize(
    "path, value",
    [
        (("bay", "length_m"), "1e308"),
        (("mill", "rate_t_h"), float("inf")),
        (("mill", "rate_t_h"), float("nan")),
        (("runway", "safety_distance_m"), 1e308),
        (("trucks", "order_coils_max"), 2**63 - 1),
        (("station", "places"), 10**9),
        (("storage", "blocks", 0, "rows"), 10**9),
        (("storage", "blocks", 0, "lower_places_per_row"), 2**62),
        (("mill", "products", 0, "mass_t_mean"), 5e-324),
        (("scenario", "hours"), float("inf")),
        (("scenario", "seed"), -1),
        (("storage", "initial_fill"), float("nan")),
    ],
)
def test_huge_and_nonfinite_values(path, value):
    doc = _copy(BASE)
    _get(doc, path[:-1])[path[-1]] = value
    check_file(dumps(doc).encode(), path)


@pytest.mark.parametrize("section", [k for k, v in BASE.items() if isinstance(v, (dict, list))])
def test_every_missing_section(section):
    doc = _copy(BASE)
    del doc[section]
    check_file(dumps(doc).encode(), (section,), run=False)


@pytest.mark.parametrize(
    "data, key",
    [
        (b"", None),
        (SMALL.read_bytes().replace(b"Q235-6.5", b"Q235-\xe96.5"), None),
        (
            dumps({**BASE, "mill": {**BASE["mill"], "rate_t_h": "40"}}).encode(),
            ("mill", "rate_t_h"),
        ),
        (SMALL.read_bytes() + b"[bay]\nlength_m = 1.0\n", None),
    ],
    ids=["empty", "latin1", "string-number", "duplicate-table"],
)
def test_subprocess_contract(run_cli, tmp_path, data, key):
    cfg = tmp_path / "broken.toml"
    cfg.write_bytes(data)
    for args in (["validate", cfg], ["run", cfg, "--hours", "0.1", "--json", "out.json",
                                      "--trace", "t.csv"]):  # fmt: skip
        proc = run_cli(*args)
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.splitlines()
        assert 1 <= len(lines) <= MAX_PROBLEMS, proc.stderr
        assert all(line.startswith(f"cranesim: error: {cfg}") for line in lines), lines
        if key is not None:
            assert dotted(key) in lines[0]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml"]
