"""The package's shape: imports point down the layers, no cycles, no module over 600 lines.

Every module of the cranesim under test is parsed; every ``import`` and ``from ... import``
in it counts, at module level or inside a function, a class or an ``if TYPE_CHECKING:`` block.

The layers, top to bottom::

    cli (6)
    studies, viz (5)
    model (4)
    sched (3)
    physics, record (2)
    scenario (1)
    _version, codes, errors, native; the compiled kernels cranesim._core (0)

A module may import from its own layer and from lower ranks.  Two different layers of the same
rank (physics and record, studies and viz) do not import each other.  ``cranesim/__init__.py``
is the facade: it may import anything (lazily), and nothing inside the package imports it
(``import cranesim`` or ``from cranesim import x``).  Inside a subpackage, modules import their
siblings directly, not the subpackage's own ``__init__``.  The kernels in ``_core/*.pyx``
import nothing from the package.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import cranesim

PKG = Path(cranesim.__file__).resolve().parent
CORE_SRC = Path(__file__).resolve().parents[1] / "_core"  # the .pyx sources, in a checkout

RANK = {
    "_version": 0, "codes": 0, "errors": 0, "native": 0, "_core": 0, "configs": 0,
    "scenario": 1,
    "physics": 2, "record": 2,
    "sched": 3,
    "model": 4,
    "studies": 5, "viz": 5,
    "cli": 6,
    "__main__": 7,
}  # fmt: skip

#: Modules allowed over MAX_LINES, until they are split.  Remove a module when it is split (the
#: test fails on an entry that is no longer over the limit).
MAX_LINES = 600
LONG_MODULES: set[str] = set()

#: Import-direction violations that exist today, each ``"importer -> imported"`` (a cycle is
#: listed as ``"cycle: a, b, ..."``).  They are being removed by the restructure (issue 13):
#: the lead empties this set after merging.  The test fails on a violation not listed here and
#: on an entry that no longer occurs, so the set only shrinks.
KNOWN_VIOLATIONS: set[str] = set()


def _modules() -> dict[str, Path]:
    """Dotted name -> file of every Python module of the package under test."""
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """(imported module, line) for each import in the module; only cranesim's modules."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if _is_package(name) else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            for alias in node.names:
                sub = f"{mod}.{alias.name}"
                # ``from a.b import c`` imports the module a.b.c when there is one
                yield (
                    (sub if sub in MODULES or sub.startswith("cranesim._core.") else mod),
                    node.lineno,
                )


def _layer(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""  # "" is the facade


def _edges() -> dict[tuple[str, str], int]:
    """(importer, imported) -> first line, for imports of cranesim's own modules."""
    edges: dict[tuple[str, str], int] = {}
    for name, path in MODULES.items():
        for target, line in _imports(name, path):
            if target == "cranesim" or target.startswith("cranesim."):
                if target != name:
                    edges.setdefault((name, target), line)
    return edges


EDGES = _edges()


def _violation(src: str, dst: str) -> str | None:
    """Why the import src -> dst breaks the layering, or None."""
    if src == "cranesim":
        return None  # the facade imports what it offers
    if dst == "cranesim":
        return "imports the facade cranesim/__init__.py (import the module that defines the name)"
    ls, ld = _layer(src), _layer(dst)
    if ls not in RANK or ld not in RANK:
        return f"a module outside the layers ({ls if ls not in RANK else ld}): add it to RANK"
    if ls == ld:
        if (
            _is_package(dst)
            and dst != src
            and not _is_package(src)
            and dst == src.rpartition(".")[0]
        ):
            return "imports its own subpackage's __init__ (import the sibling module directly)"
        return None
    if RANK[ld] > RANK[ls]:
        return f"upward: {ls} (rank {RANK[ls]}) imports {ld} (rank {RANK[ld]})"
    if RANK[ld] == RANK[ls] and RANK[ls] > 0:
        return f"sideways: {ls} and {ld} are on the same rank ({RANK[ls]})"
    return None


def _cycles() -> list[list[str]]:
    """The import cycles: strongly connected components with more than one module (Tarjan)."""
    graph: dict[str, list[str]] = {m: [] for m in MODULES}
    for src, dst in EDGES:
        if dst in graph:
            graph[src].append(dst)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _found() -> dict[str, str]:
    found = {}
    for (src, dst), line in sorted(EDGES.items()):
        why = _violation(src, dst)
        if why:
            found[f"{src} -> {dst}"] = f"{MODULES[src].relative_to(PKG.parent)}:{line}: {why}"
    for comp in _cycles():
        found["cycle: " + ", ".join(comp)] = "an import cycle (function-level imports included)"
    return found


def test_the_walk_sees_the_package():
    assert {"cranesim", "cranesim.codes", "cranesim.model.warehouse", "cranesim.cli.app"} <= set(
        MODULES
    )
    assert ("cranesim.model.warehouse", "cranesim.sched") in EDGES
    assert all(_layer(m) in RANK for m in MODULES if m != "cranesim"), "a module outside the layers"


def test_the_checks_can_fail():
    assert _violation("cranesim.sched.state", "cranesim.model.warehouse").startswith("upward")
    assert _violation("cranesim.physics.energy", "cranesim.record.kpi").startswith("sideways")
    assert _violation("cranesim.model.crew", "cranesim").startswith("imports the facade")
    assert _violation("cranesim.model.warehouse", "cranesim.sched.state") is None
    assert _violation("cranesim.cli.app", "cranesim.codes") is None


def test_imports_point_down():
    found = _found()
    new = {k: v for k, v in found.items() if k not in KNOWN_VIOLATIONS}
    assert not new, "imports that break the layering:\n" + "\n".join(
        f"  {k}  ({v})" for k, v in sorted(new.items())
    )
    gone = KNOWN_VIOLATIONS - set(found)
    assert not gone, "fixed, remove from KNOWN_VIOLATIONS:\n" + "\n".join(sorted(gone))


@pytest.mark.skipif(not CORE_SRC.is_dir(), reason="no checkout: the .pyx sources are not installed")
def test_the_kernels_import_nothing_from_the_package():
    pat = re.compile(r"^\s*(?:from|import|cimport)\s+cranesim\b", re.MULTILINE)
    for pyx in sorted(CORE_SRC.glob("*.pyx")):
        hits = pat.findall(pyx.read_text(encoding="utf-8"))
        assert not hits, f"{pyx.name} imports from cranesim"


def test_no_module_is_too_long():
    lines = {
        str(path.relative_to(PKG.parent)): len(path.read_text(encoding="utf-8").splitlines())
        for path in MODULES.values()
    }
    long = {p: n for p, n in lines.items() if n > MAX_LINES}
    new = {p: n for p, n in long.items() if p not in LONG_MODULES}
    assert not new, f"modules over {MAX_LINES} lines (split them): {new}"
    split = {p for p in LONG_MODULES if p in lines and lines[p] <= MAX_LINES}
    assert not split, f"no longer over {MAX_LINES} lines, remove from LONG_MODULES: {sorted(split)}"
