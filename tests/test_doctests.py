"""Every docstring example in cranesim runs as a test.

The modules are those of the cranesim under test (installed or editable), found by walking the
package; ``doctest`` finds the examples in their docstrings.  A check against the source text
makes sure none is missed: every ``>>>`` line in a module's file must belong to a collected
example (an example outside a docstring, or in a docstring doctest does not see, fails it).
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import cranesim

#: Not imported: running ``cranesim.__main__`` runs the CLI.
SKIP = {"cranesim.__main__"}

MODULES = ["cranesim"] + sorted(
    name for _, name, _ in pkgutil.walk_packages(cranesim.__path__, "cranesim.") if name not in SKIP
)
FINDER = doctest.DocTestFinder(exclude_empty=True)
PROMPT = re.compile(r"^\s*>>>", re.MULTILINE)


def _tests(name: str) -> list[doctest.DocTest]:
    return [t for t in FINDER.find(importlib.import_module(name), name) if t.examples]


def test_the_walk_finds_the_subpackages():
    assert {
        "cranesim.codes",
        "cranesim.physics.sway",
        "cranesim.sched.state",
        "cranesim.viz.view",
    } <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    mod = importlib.import_module(name)
    tests = _tests(name)
    src = getattr(mod, "__file__", None) or ""
    if src.endswith(".py"):
        prompts = len(PROMPT.findall(Path(src).read_text(encoding="utf-8")))
        assert sum(len(t.examples) for t in tests) == prompts, "an example doctest does not see"
    if not tests:
        return
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out: list[str] = []
    for t in tests:
        runner.run(t, out=out.append)
    res = runner.summarize(verbose=False)
    assert res.failed == 0, "".join(out)
