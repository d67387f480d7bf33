"""THE switch between the compiled kernels and their pure-Python twins.

cranesim's hot code exists twice: compiled with Cython (``_core/*.pyx``, installed as
``cranesim._core.scheduler`` and ``cranesim._core.physics``) and in pure Python, next to the code
that uses it.  The Python twin is the reference: the same operations in the same order, so both
give the same bits and a run's trace does not depend on which one ran (the tests compare them).

:data:`KERNELS` lists every pair.  A module that uses a kernel asks for it once, at import,
passing its twin::

    AxisMove = native.kernel("AxisMove", AxisMovePy)

One rule decides for all kernels together:

* ``CRANESIM_PURE_PYTHON=1`` (also ``true``/``yes``/``on``) in the environment at import time:
  every twin runs (for comparison and debugging);
* otherwise the compiled modules are imported; if one of them cannot be (not built, built for
  another Python or numpy), every twin runs and one :class:`RuntimeWarning` says why.  The
  usual reason is an install on a machine without a C compiler: the build then falls back to
  the pure-Python core (``setup.py``), and :func:`how_to_compile` says how to get the compiled
  one (``cranesim info`` prints it).

:data:`CORE` says which (``"compiled"`` or ``"pure-python"``), :data:`CORE_DETAIL` where from.
This module imports nothing else from the package, so any module may import it.

Why the small kernels are not written once in Cython's pure-Python mode
-----------------------------------------------------------------------
``SlotWriter``, ``motion_sums``, ``first_breach`` and ``CraneStageSums`` could be one ``.py``
file, interpreted as it is and compiled with an augmenting ``.pxd``.  They stay twins, because:

* a compiled ``x.py`` is imported instead of ``x.py`` (an extension module comes first in its
  directory), so ``CRANESIM_PURE_PYTHON=1`` could not run the interpreted code, and an extension
  that fails to load (built for another Python or numpy) raises ImportError instead of falling
  back: two rules where there is one.  Building it under another name (``cranesim._core.x``)
  avoids that, but then the compiled module is no longer the file a reader opens;
* three of them read the moves and stages of the compiled physics as C structs (``<AxisMove?>m``);
  in one source they would read them as Python attributes (an attribute lookup per field, for
  every move of every crane stage; not measured) or cimport the classes from a ``physics.pxd``
  whose names the interpreted source does not have;
* each twin is 10-40 lines, compared bit for bit with its kernel by the tests, and none has
  changed since it was written.
"""

from __future__ import annotations

import importlib
import os
import warnings
from types import ModuleType
from typing import Any

__all__ = [
    "CORE",
    "CORE_DETAIL",
    "COMPILED_MODULES",
    "KERNELS",
    "PURE_PYTHON_ENV",
    "forced_pure",
    "kernel",
    "compiled",
    "how_to_compile",
]

PURE_PYTHON_ENV = "CRANESIM_PURE_PYTHON"

#: The compiled modules (built from ``_core/<stem>.pyx``).
COMPILED_MODULES = ("cranesim._core.scheduler", "cranesim._core.physics")

#: kernel name -> (compiled ``module:attribute``, its Python twin ``module:attribute``).
KERNELS: dict[str, tuple[str, str]] = {
    # the scheduler core: decisions (bit-identical), slot writes, the travel-time estimate
    "Scheduler": ("cranesim._core.scheduler:Scheduler", "cranesim.sched.reference:Scheduler"),
    "SlotWriter": ("cranesim._core.scheduler:SlotWriter", "cranesim.sched.state:SlotWriter"),
    "travel_time": (
        "cranesim._core.scheduler:py_travel_time",
        "cranesim.sched.reference:travel_time",
    ),
    # motion: axis moves and stages, built for every crane stage
    "AxisMove": ("cranesim._core.physics:AxisMove", "cranesim.physics.kinematics:AxisMovePy"),
    "TaggedMove": ("cranesim._core.physics:TaggedMove", "cranesim.physics.planners:TaggedMovePy"),
    "Stage": ("cranesim._core.physics:Stage", "cranesim.physics.kinematics:StagePy"),
    # the automated planners: a hoist stage, a shaped axis move, a whole shaped travel stage
    "hoist_stage": (
        "cranesim._core.physics:hoist_stage",
        "cranesim.physics.planners:hoist_stage_py",
    ),
    "shaped_move": (
        "cranesim._core.physics:shaped_move",
        "cranesim.physics.planners:ShapedPlanner._shape_py",
    ),
    "ShapedTravel": (
        "cranesim._core.physics:ShapedTravel",
        "cranesim.physics.planners:ShapedPlanner.travel",
    ),
    # energy of a stage (when no per-move log is kept)
    "StageEnergy": (
        "cranesim._core.physics:StageEnergy",
        "cranesim.physics.energy:EnergyModel._moves_kwh",
    ),
    # the model's separation check and a stage's per-axis sums; the KPI sums of crane stages
    "first_breach": (
        "cranesim._core.physics:first_breach",
        "cranesim.model.checks:first_breach_py",
    ),
    "motion_sums": ("cranesim._core.physics:motion_sums", "cranesim.record.kpi:motion_sums_py"),
    "CraneStageSums": (
        "cranesim._core.physics:CraneStageSums",
        "cranesim.record.kpi:CraneStageSumsPy",
    ),
}


def forced_pure() -> bool:
    """Whether the environment asks for the pure-Python code."""
    return os.environ.get(PURE_PYTHON_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def how_to_compile() -> str:
    """How to get the compiled core where the pure-Python one runs (one line)."""
    return (
        "install a C compiler (Linux: gcc and the Python headers, e.g. apt install "
        "build-essential python3-dev; macOS: xcode-select --install; Windows: Microsoft C++ "
        "Build Tools), then reinstall cranesim: pip install --force-reinstall --no-deps . "
        "from a checkout (a development install: python setup.py build_ext --inplace)"
    )


def _load() -> tuple[dict[str, ModuleType], str, str]:
    if forced_pure():
        return {}, "pure-python", f"Python twins (forced by {PURE_PYTHON_ENV}=1)"
    mods: dict[str, ModuleType] = {}
    try:
        for name in COMPILED_MODULES:
            mods[name] = importlib.import_module(name)
    except Exception as exc:  # ImportError, or an ABI error raised while loading the .so
        if isinstance(exc, ModuleNotFoundError) and exc.name in COMPILED_MODULES:
            why = "it is not installed (the install found no C compiler, or it was never built)"
        else:
            why = f"{type(exc).__name__}: {exc}"
        warnings.warn(
            f"cranesim: the compiled core could not be imported: {why}; running the pure-Python "
            "core, which is much slower (the same results). To get the compiled core: "
            + how_to_compile(),
            RuntimeWarning,
            stacklevel=3,
        )
        return {}, "pure-python", f"Python twins (the compiled core could not be imported: {why})"
    where = ", ".join(str(m.__file__) for m in mods.values())
    return mods, "compiled", where


_MODULES, CORE, CORE_DETAIL = _load()


def kernel(name: str, twin: Any) -> Any:
    """The compiled kernel ``name`` of :data:`KERNELS`, or ``twin`` when the twins run."""
    compiled, _ = KERNELS[name]
    if not _MODULES:
        return twin
    module, attr = compiled.split(":")
    return getattr(_MODULES[module], attr)


def compiled() -> bool:
    """Whether the compiled kernels run."""
    return bool(_MODULES)
