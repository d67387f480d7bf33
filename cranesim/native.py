"""The compiled motion-physics kernels (``cranesim._physics``, built from ``_core/physics.pyx``).

``PHYSICS`` is the module, or ``None`` when the pure-Python code runs: when the scheduler core
is pure Python (``CRANESIM_PURE_PYTHON=1``, or no build; see :mod:`cranesim.scheduler`) or the
module cannot be imported.  Each kernel has a pure-Python twin that stays the reference:

* ``StageEnergy``: :meth:`cranesim.energy.EnergyModel.stage_kwh` without a move log;
* ``shaped_move``: the arithmetic of :meth:`cranesim.operator.ShapedPlanner._axis_move`;
* ``motion_sums``: the per-axis sums of :meth:`cranesim.model.Warehouse._stage_rec`.

Both give the same bits (tests compare them), so a run's trace does not depend on which runs.
"""

from __future__ import annotations

from types import ModuleType

from .scheduler import CORE

__all__ = ["PHYSICS"]


def _load() -> ModuleType | None:
    if CORE != "compiled":
        return None
    try:
        from . import _physics  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _physics


PHYSICS: ModuleType | None = _load()
