"""Which compiled code runs: the switch to pure Python and the compiled physics kernels.

``CRANESIM_PURE_PYTHON=1`` (also ``true``/``yes``/``on``) in the environment at import time
makes the whole package run its pure-Python code: the scheduler twin (:mod:`cranesim.scheduler`)
and the Python physics below.

``PHYSICS`` is the module ``cranesim._physics`` (built from ``_core/physics.pyx``), or ``None``
when pure Python is forced or the module cannot be imported.  Each of its kernels has a
pure-Python twin that stays the reference:

* ``AxisMove``, ``TaggedMove``, ``Stage``: the classes of :mod:`cranesim.kinematics` and
  :mod:`cranesim.operator` (same attributes, methods and arithmetic);
* ``StageEnergy``: :meth:`cranesim.energy.EnergyModel.stage_kwh` without a move log;
* ``shaped_move``: the arithmetic of :meth:`cranesim.operator.ShapedPlanner._axis_move`, and
  ``ShapedTravel``: the loop of :meth:`cranesim.operator.ShapedPlanner.travel`;
* ``hoist_stage``: :meth:`cranesim.motion.AutomatedPlanner.hoist`'s stage;
* ``first_breach``: the separation check of :meth:`cranesim.model.Warehouse.check_separation`;
* ``motion_sums``: the per-axis sums of :meth:`cranesim.model.Warehouse._emit_stage`;
* ``CraneStageSums``: :class:`cranesim.kpi.CraneStageSumsPy`, the KPI sums of crane stages.

Both give the same bits (tests compare them), so a run's trace does not depend on which runs.
This module imports nothing else from the package, so any module may import it first.
"""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["PHYSICS", "PURE_PYTHON_ENV", "forced_pure"]

PURE_PYTHON_ENV = "CRANESIM_PURE_PYTHON"


def forced_pure() -> bool:
    """Whether the environment asks for the pure-Python code."""
    return os.environ.get(PURE_PYTHON_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


def _load() -> ModuleType | None:
    if forced_pure():
        return None
    try:
        from . import _physics  # type: ignore[attr-defined]
    except ImportError:
        return None
    return _physics


PHYSICS: ModuleType | None = _load()
