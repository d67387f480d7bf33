"""The scheduler the model uses: the compiled core when available, else the pure-Python twin.

Exports
-------
Scheduler
    ``Scheduler(st: SchedState)``; ``decide(now) -> int`` assigns at most one lift and writes it
    to ``st.out`` (crane, job, src_loc, dst_loc, lift_kind).  The rules and policies are
    documented in :mod:`cranesim.scheduler_py`; both cores give bit-identical decisions.
CORE
    ``"compiled"`` (``cranesim._scheduler``, built from ``_core/scheduler.pyx``) or
    ``"pure-python"`` (:mod:`cranesim.scheduler_py`).
CORE_DETAIL
    Where the core comes from (the module file) and, for the pure-Python core, why it is used.
SlotWriter
    ``SlotWriter(st)``: the model's slot writes (``put``, ``clear``, ``book``), each noted for
    the core (:class:`cranesim.schedstate.SlotWriter`, compiled along with the core).
travel_time
    ``travel_time(xa, ya, xb, yb, vx, ax, vy, ay)``: the cores' estimate of a crane move (the
    slower of bridge and trolley, :func:`cranesim.kinematics.move_time` each), from the same
    core; the model's estimates of when a lift ends use it.

Choosing the core
-----------------
``CRANESIM_PURE_PYTHON=1`` (also ``true``/``yes``/``on``) in the environment at import time
forces the pure-Python core.  Otherwise the compiled core is imported; if that fails (not built,
built for another Python or numpy) the pure-Python core is used and a :class:`RuntimeWarning`
says so and why; ``CORE_DETAIL`` repeats the reason.
"""

from __future__ import annotations

import warnings

from .native import PURE_PYTHON_ENV
from .native import forced_pure as _forced_pure

__all__ = ["Scheduler", "SlotWriter", "CORE", "CORE_DETAIL", "PURE_PYTHON_ENV", "travel_time"]

if _forced_pure():
    from . import scheduler_py as _core_mod
    from .schedstate import SlotWriter
    from .scheduler_py import Scheduler, travel_time

    CORE = "pure-python"
    CORE_DETAIL = f"{_core_mod.__file__} (forced by {PURE_PYTHON_ENV}=1)"
else:
    try:
        from . import _scheduler as _core_mod  # type: ignore[attr-defined]
        from ._scheduler import Scheduler  # type: ignore[no-redef]
        from ._scheduler import SlotWriter  # type: ignore[no-redef]
        from ._scheduler import py_travel_time as travel_time  # type: ignore[no-redef]

        CORE = "compiled"
        CORE_DETAIL = str(_core_mod.__file__)
    except Exception as exc:  # ImportError, or an ABI error raised while loading the .so
        from . import scheduler_py as _core_mod
        from .schedstate import SlotWriter  # type: ignore[assignment]
        from .scheduler_py import Scheduler  # type: ignore[assignment]
        from .scheduler_py import travel_time  # type: ignore[assignment]

        CORE = "pure-python"
        CORE_DETAIL = (
            f"{_core_mod.__file__} (fallback: the compiled core cranesim._scheduler could not be "
            f"imported: {type(exc).__name__}: {exc})"
        )
        warnings.warn(
            "cranesim: the compiled scheduler core cranesim._scheduler could not be imported "
            f"({type(exc).__name__}: {exc}); using the pure-Python core, which is much slower. "
            "Build it with `pip install -e .` or `python setup.py build_ext --inplace`.",
            RuntimeWarning,
            stacklevel=2,
        )
