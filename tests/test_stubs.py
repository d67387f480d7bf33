"""The ``.pyi`` stubs of the compiled core describe the modules that are built.

mypy's ``stubtest`` imports ``cranesim._core.scheduler`` and ``cranesim._core.physics`` and
compares them with their stubs: names, ``__all__``, function signatures (Cython functions carry
them), properties, ``@final``.  It needs the stubs where mypy looks for them, beside the
compiled modules inside an installed ``cranesim`` (what CI tests); an editable install keeps them
in ``_core/`` under another name, where mypy does not find them.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import cranesim

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None, reason="mypy is not installed (pip install '.[test]')"
)

MODULES = ("cranesim._core.scheduler", "cranesim._core.physics")
ALLOWLIST = Path(__file__).with_name("stubtest_allowlist.txt")


def test_stubs_ship_beside_the_compiled_modules():
    pkg = Path(cranesim.__file__).resolve().parent
    if not (pkg / "_core").is_dir():
        pytest.skip("a development install: the stubs are in _core/, not in cranesim/_core/")
    for name in ("scheduler.pyi", "physics.pyi", "__init__.py"):
        assert (pkg / "_core" / name).is_file(), name
    assert (pkg / "py.typed").is_file()


def test_stubs_match_the_compiled_modules(tmp_path: Path):
    from cranesim.native import compiled

    pkg = Path(cranesim.__file__).resolve().parent
    if not (pkg / "_core").is_dir():
        pytest.skip("a development install: mypy finds no stubs under cranesim/_core/")
    if not compiled():
        pytest.skip("the compiled core is not built")
    res = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "--ignore-disjoint-bases",
         "--allowlist", str(ALLOWLIST), *MODULES],
        capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert res.returncode == 0, res.stdout + res.stderr
