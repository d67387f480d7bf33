"""Type stub of the compiled physics kernels ``cranesim._physics`` (_core/physics.pyx).

Each kernel is the twin of pure-Python code that stays the reference (see cranesim/native.py).
"""

from typing import Any, Sequence

__all__ = ["StageEnergy", "shaped_move", "motion_sums"]

def shaped_move(
    T: float, anti: bool, ratio: float, s_re: float, s_im: float, w: float, tol: float, tau: float,
    t0: float, p0: float, p1: float, v: float, a: float,
) -> tuple[float, float]:
    """(a_cmd, settle): ShapedPlanner._shape_py with the planner's constants bound first."""

def motion_sums(moves: Sequence[Any]) -> tuple[float, float, float, float, float, float, int, int, int]:
    """(bm, tm, hm, bs, ts, hs, bn, tn, hn) per axis: model._motion_sums_py."""

class StageEnergy:
    """EnergyModel.stage_kwh without a move log, totals by axis and category."""

    @property
    def stages(self) -> int: ...
    def __init__(self, drives: Sequence[Any], phys: Any, v_rated: Sequence[Sequence[float]],
                 g: float, j_per_kwh: float) -> None: ...
    def totals(self) -> list[list[float]]:
        """[axis][motoring, regen, start_loss, fixed, net] kWh."""
    def stage(self, crane: int, moves: Sequence[Any]) -> float:
        """Net kWh of the moves; added to the totals."""
