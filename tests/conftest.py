"""Shared fixtures.  Qt runs offscreen: without this a machine with no display aborts the run.

The tests exercise the cranesim that is installed (``pip install ".[test]"``, see README), which
holds the compiled core and the packaged scenarios.  ``pytest`` and ``python -m pytest`` from the
repository root both test it:

* ``python -m pytest`` puts the current directory first on ``sys.path``, where the source tree
  ``cranesim/`` (no compiled module, no ``cranesim.configs``) would shadow a regular install.
  Before anything imports cranesim, :func:`_unshadow` takes the repository root off
  ``sys.path`` when a cranesim is importable without it (installed, or editable, which maps the
  source tree itself); in a bare checkout with nothing installed the source tree stays and runs
  as pure Python;
* there is no ``tests/__init__.py``, so pytest puts ``tests/`` on ``sys.path``, not the repo root
  (do not add one);
* ``PYTHONSAFEPATH=1`` is set for subprocesses, so ``python -m cranesim`` does not import the
  source tree either, whatever directory it runs in.

Under CI (``CI=true``) the session stops at once if the package under test is not the installed
one or its scheduler core is not the compiled one, so a broken build cannot pass as pure Python.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
os.environ["PYTHONSAFEPATH"] = "1"  # inherited by subprocesses; see the module docstring

import importlib.util
import subprocess
import sys
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _unshadow() -> None:
    """Take the repository root off ``sys.path`` if cranesim can be imported without it."""
    if "cranesim" in sys.modules:
        return  # too late (a plugin imported it); the CI check below still guards CI

    def is_repo(entry: str) -> bool:
        try:
            return Path(entry or os.curdir).resolve() == REPO
        except OSError:
            return False

    rest = [p for p in sys.path if not is_repo(p)]
    if len(rest) == len(sys.path):
        return
    saved = sys.path[:]
    sys.path[:] = rest
    try:
        found = importlib.util.find_spec("cranesim") is not None
    finally:
        sys.path[:] = saved
    if found:
        sys.path[:] = rest


_unshadow()


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("CI", "").lower() != "true":
        return
    import cranesim

    where = Path(cranesim.__file__).resolve()
    if where.parent == REPO / "cranesim":
        pytest.exit(f"CI: testing the source tree ({where}), not the installed package", 3)
    try:
        from cranesim.sched import CORE
    except ImportError as exc:
        pytest.exit(f"CI: cranesim.sched cannot be imported: {exc}", 3)
    if CORE != "compiled" or os.environ.get("CRANESIM_PURE_PYTHON"):
        pytest.exit(f"CI: the scheduler core is {CORE!r}, expected 'compiled'", 3)


def unchecked_sway(sc, changes: dict):
    """The scenario's ``[sway]`` with ``changes`` and no validation (``model_construct``): the
    kernels are also checked beyond the schema's range (a negative shaper length error: a rope
    shorter than the shaper is tuned for), which ``model_copy`` and ``derive`` reject."""
    return type(sc.sway).model_construct(**{**sc.sway.model_dump(), **changes})


def with_watchdog(sc, hours: float):
    """The scenario with ``[invariants] watchdog_h = hours`` (0: off)."""
    return sc.derive({"invariants.watchdog_h": hours})


class NeverAssign:
    """A scheduler that never assigns a lift (a scheduler factory, too)."""

    def __init__(self, st, warehouse=None):
        self.st = st

    def decide(self, now):
        return 0


def _packaged(name: str) -> Path:
    return Path(str(resources.files("cranesim.configs") / name))


@pytest.fixture(scope="session")
def small_cfg_path() -> Path:
    """configs/small.toml: the checkout's copy, or the installed one without a checkout."""
    p = REPO / "configs" / "small.toml"
    return p if p.is_file() else _packaged("small.toml")


@pytest.fixture(scope="session")
def small(small_cfg_path: Path):
    """configs/small.toml, validated (a frozen Scenario: safe to share between tests)."""
    from cranesim.scenario.load import load_config

    return load_config(small_cfg_path)


@pytest.fixture(scope="session")
def default_cfg_path() -> Path:
    """The packaged default scenario, as ``load_config(None)`` finds it."""
    from cranesim.scenario.load import default_config_path

    return default_config_path()


def subprocess_env(drop: tuple[str, ...] = ("CRANESIM_DEBUG",)) -> dict[str, str]:
    """The environment for a child ``python`` that must test the same cranesim as this process:
    an installed one is found anyway; a source tree (an editable install, or a bare checkout) is
    put on PYTHONPATH (conftest sets PYTHONSAFEPATH, so the current directory is not searched).
    The variables in ``drop`` are removed."""
    import cranesim

    env = {k: v for k, v in os.environ.items() if k not in drop}
    home = str(Path(cranesim.__file__).resolve().parents[1])
    if Path(home).name not in ("site-packages", "dist-packages"):
        path = env.get("PYTHONPATH", "")
        env["PYTHONPATH"] = home + (os.pathsep + path if path else "")
    return env


@pytest.fixture
def run_cli(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m cranesim ARGS`` in ``tmp_path``; returns the completed process.

    ``CRANESIM_DEBUG`` is removed from the environment unless passed in ``env``.
    """

    def run(*args: str | Path, env: dict[str, str] | None = None, timeout: float = 120):
        full_env = subprocess_env()
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "cranesim", *map(str, args)],
            cwd=tmp_path,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run
