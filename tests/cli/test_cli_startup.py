"""``cranesim --help`` and ``cranesim validate`` stay fast: they import no heavy library.

Measured with Python's own import profiler (``PYTHONPROFILEIMPORTTIME``) in a fresh process.
"""

from __future__ import annotations

import re

import pytest

#: never needed to parse arguments or check a scenario
HEAVY = (
    "PyQt5",
    "PyQt6",
    "PySide6",
    "pyqtgraph",
    "ortools",
    "matplotlib",
    "dask",
    "distributed",
    "cranesim.model",
    "cranesim.sched",
    "cranesim._core",
    "cranesim.studies.compare",
    "cranesim.viz.source",
    "cranesim.viz.view",
)
#: not needed for --help either
HELP_HEAVY = (*HEAVY, "numpy", "pydantic", "simpy", "tqdm", "cranesim.scenario")


def _imported(run_cli, *args) -> set[str]:
    proc = run_cli(*args, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \| *(\S+)$", proc.stderr, re.M)
    assert "cranesim.cli.app" in names  # the profile is there
    return set(names)


def _loaded(names: set[str], banned: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == b or n.startswith(b + ".") for b in banned))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["run", "--help"],
        ["compare", "--help"],
        ["animate", "--help"],
        ["bench", "--help"],
    ],
)
def test_help_imports_nothing_heavy(run_cli, args):
    assert _loaded(_imported(run_cli, *args), HELP_HEAVY) == []


def test_validate_imports_neither_the_model_nor_qt(run_cli, small_cfg_path):
    names = _imported(run_cli, "validate", small_cfg_path)
    assert "cranesim.scenario.layout" in names
    assert _loaded(names, HEAVY) == []
