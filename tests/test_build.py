"""Installing without a C compiler: the build falls back to the pure-Python core with a warning.

``CC=/bin/false`` stands for a machine without a compiler (every compilation fails, as it does
where none is installed).  Three levels: ``setup.py build_ext`` on a one-line extension (the
fallback, ``CRANESIM_REQUIRE_COMPILED``, a working compiler), ``pip install`` of the whole
package (slow: it cythonizes the core), and what the pure install says at run time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

SETUP = REPO / "setup.py"

pytestmark = pytest.mark.skipif(
    not SETUP.is_file() or shutil.which("gcc") is None and shutil.which("cc") is None,
    reason="needs the checkout's setup.py and a C compiler to compare with",
)
pytest.importorskip("Cython", reason="the build tests need Cython (the test extra has it)")


def _tiny(tmp: Path) -> Path:
    """A source tree with this setup.py and one tiny extension, _core/tiny.pyx."""
    (tmp / "_core").mkdir()
    (tmp / "cranesim" / "_core").mkdir(parents=True)  # where --inplace copies the module
    shutil.copy(SETUP, tmp / "setup.py")
    (tmp / "_core" / "tiny.pyx").write_text("def plus_one(int x):\n    return x + 1\n")
    return tmp


def _build(tree: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("CRANESIM_")}
    full.update(env)
    return subprocess.run(
        [sys.executable, "setup.py", "build_ext", "--inplace"],
        cwd=tree, env=full, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _built(tree: Path) -> list[Path]:
    """The compiled modules --inplace put beside the sources (build/ not counted)."""
    return list((tree / "cranesim" / "_core").glob("tiny*.so")) + list(
        (tree / "cranesim" / "_core").glob("tiny*.pyd")
    )


def test_no_compiler_falls_back_with_a_warning(tmp_path):
    tree = _tiny(tmp_path)
    proc = _build(tree, CC="/bin/false")
    assert proc.returncode == 0, proc.stderr
    err = " ".join(proc.stderr.split())
    assert "WARNING: the compiled core (cranesim._core.tiny) could not be built" in err
    assert "pure-Python core" in err and "install a C compiler" in err
    assert _built(tree) == []


def test_require_compiled_turns_the_fallback_off(tmp_path):
    proc = _build(_tiny(tmp_path), CC="/bin/false", CRANESIM_REQUIRE_COMPILED="1")
    assert proc.returncode != 0


def test_with_a_compiler_the_core_is_compiled(tmp_path):
    tree = _tiny(tmp_path)
    proc = _build(tree)
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr and len(_built(tree)) == 1


def test_pure_python_build_on_purpose(tmp_path):
    tree = _tiny(tmp_path)
    proc = _build(tree, CRANESIM_PURE_PYTHON="1")
    assert proc.returncode == 0 and _built(tree) == []
    assert "building no compiled core" in proc.stderr


def _without_editable() -> str:
    """Python code that drops an editable install's finder, so the target dir is imported."""
    return (
        "import sys; sys.meta_path[:] = [f for f in sys.meta_path "
        "if 'editable' not in str(getattr(f, '__module__', '')) + str(f)]; "
    )


@pytest.mark.slow
def test_pip_install_without_a_compiler(tmp_path):
    """``CC=/bin/false pip install .``: it succeeds with the warning, and cranesim runs its
    pure-Python core and says so (and how to get the compiled one)."""
    src = tmp_path / "src"
    skip = shutil.ignore_patterns("*.so", "*.pyd", "*.c", "__pycache__", "build", "*.egg-info")
    for name in ("setup.py", "pyproject.toml", "README.md", "MANIFEST.in"):
        shutil.copy(REPO / name, src / name if src.exists() else (src.mkdir() or src / name))
    for d in ("cranesim", "_core", "configs"):
        shutil.copytree(REPO / d, src / d, ignore=skip)
    target = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRANESIM_")}
    env.update(CC="/bin/false", PIP_NO_INPUT="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-v", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(src)],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "WARNING: the compiled core" in proc.stdout + proc.stderr
    assert not list((target / "cranesim" / "_core").glob("*.so"))
    code = _without_editable() + (
        f"sys.path.insert(0, {str(target)!r}); "
        "from cranesim.cli import main; main(['info']); "
        "raise SystemExit(main(['run', 'small', '--hours', '0.5', '--no-progress']))"
    )
    env.pop("CC")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert str(target) in run.stdout  # the installed copy ran
    assert "core              pure-python" in run.stdout
    assert "compiled core" in run.stdout and "install a C compiler" in run.stdout
    assert "pure-python scheduler" in run.stdout
    assert "it is not installed" in run.stderr  # the warning, once
