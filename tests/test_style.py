"""The tree is ruff-clean: ``ruff check`` and ``ruff format --check`` with the pinned ruff.

The rules and the line length are in pyproject.toml ([tool.ruff]); the version is pinned in the
``test`` extra, because a newer ruff may format or lint differently.  Skipped when ruff is not
installed, or is another version than the pin (CI installs the pin), or there is no checkout.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PATHS = ("cranesim", "_core", "configs", "tests", "benchmarks", "setup.py")


def _ruff() -> list[str]:
    pyproject = REPO / "pyproject.toml"
    if not (REPO / "cranesim").is_dir() or not pyproject.is_file():
        pytest.skip("no checkout: the style is checked on the source tree")
    m = re.search(r'"ruff==([^"]+)"', pyproject.read_text())
    assert m, "pyproject.toml pins ruff in the test extra"
    try:
        have = importlib.metadata.version("ruff")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"ruff is not installed (pip install 'ruff=={m.group(1)}' or '.[test]')")
    if have != m.group(1):
        pytest.skip(
            f"ruff {have} is installed, the project pins {m.group(1)} (pip install '.[test]')"
        )
    return [sys.executable, "-m", "ruff"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_ruff(), *args, "--no-cache", *PATHS],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ruff_check():
    res = _run("check")
    assert res.returncode == 0, (
        f"ruff check found problems (ruff check --fix):\n{res.stdout}{res.stderr}"
    )


def test_ruff_format():
    res = _run("format", "--check")
    assert res.returncode == 0, f"not formatted (run ruff format):\n{res.stdout}{res.stderr}"
