"""Type stub of the compiled physics kernels ``cranesim._core.physics`` (_core/physics.pyx).

Each kernel is the twin of pure-Python code that stays the reference (see cranesim/native.py).
"""

from typing import Any, Sequence

__all__ = [
    "AxisMove",
    "TaggedMove",
    "Stage",
    "StageEnergy",
    "ShapedTravel",
    "shaped_move",
    "hoist_stage",
    "first_breach",
    "motion_sums",
    "CraneStageSums",
]

class AxisMove:
    """cranesim.physics.kinematics.AxisMovePy compiled (numbers stored as floats)."""

    axis: int
    t0: float
    p0: float
    p1: float
    v: float
    a: float
    load_t: float
    dur: float
    t_acc: float
    v_peak: float
    def __init__(
        self, axis: int, t0: float, p0: float, p1: float, v: float, a: float, load_t: float = 0.0
    ) -> None: ...
    @property
    def t1(self) -> float: ...
    @property
    def distance(self) -> float: ...
    def pos(self, t: float) -> float: ...

class TaggedMove(AxisMove):
    """cranesim.physics.planners.TaggedMovePy compiled."""

    tag: int
    def __init__(
        self,
        axis: int,
        t0: float,
        p0: float,
        p1: float,
        v: float,
        a: float,
        load_t: float = 0.0,
        tag: int = 0,
    ) -> None: ...

class Stage:
    """cranesim.physics.kinematics.StagePy compiled."""

    t0: float
    dur: float
    moves: list[Any]
    x0: float
    y0: float
    x1: float
    y1: float
    def __init__(
        self, t0: float, dur: float, moves: list[Any], x0: float, y0: float, x1: float, y1: float
    ) -> None: ...
    def axis_distance(self, axis: int) -> float: ...
    def axis_time(self, axis: int) -> float: ...
    def starts(self, axis: int) -> int: ...
    def pos(self, axis: int, t: float, default: float) -> float: ...

def shaped_move(
    T: float,
    anti: bool,
    ratio: float,
    s_re: float,
    s_im: float,
    w: float,
    tol: float,
    tau: float,
    t0: float,
    p0: float,
    p1: float,
    v: float,
    a: float,
) -> tuple[float, float]:
    """(a_cmd, settle): ShapedPlanner._shape_py with the planner's constants bound first."""

class ShapedTravel:
    """ShapedPlanner.travel's stage in one call (constants as for shaped_move)."""

    def __init__(
        self,
        T: float,
        anti: bool,
        ratio: float,
        s_re: float,
        s_im: float,
        w: float,
        tol: float,
        tau: float,
    ) -> None: ...
    def travel(
        self,
        t0: float,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        load: float,
        vx: float,
        ax: float,
        vy: float,
        ay: float,
        tag: int,
    ) -> tuple[Stage, float, float]:
        """(stage, settle of the bridge move, of the trolley move); NaN for an axis at rest."""
    def bind(
        self, limits: Sequence[tuple[float, float, float, float]], stats: dict[str, Any], tag: int
    ) -> None:
        """The cranes' (vx, ax, vy, ay) and the stats dict that counted() keeps."""
    def counted(
        self, crane: int, t0: float, x0: float, y0: float, x1: float, y1: float, load: float
    ) -> Stage:
        """ShapedPlanner.travel whole: the stage, and the counts added to the bound stats."""
    def bind_hoist(
        self, limits: Sequence[tuple[float, float, float, float]], top: float, tag: int
    ) -> None:
        """The cranes' (vz, az, pick_s, place_s), the travel height, the tag hoist moves count under."""
    def hoist_counted(
        self, crane: int, t0: float, x: float, y: float, z: float, pick: bool, load: float
    ) -> Stage:
        """ShapedPlanner.hoist whole: hoist_stage with the crane's limits, its moves counted."""

def hoist_stage(
    t0: float,
    x: float,
    y: float,
    z: float,
    top: float,
    vz: float,
    az: float,
    dwell: float,
    pick: bool,
    load: float,
) -> Stage:
    """AutomatedPlanner.hoist's stage."""

def first_breach(
    stages: list[Any],
    rx: list[float],
    res_lo: list[float],
    res_hi: list[float],
    now: float,
    d: float,
) -> tuple[int, float, float] | None:
    """cranesim.model.warehouse.first_breach_py."""

def motion_sums(
    moves: Sequence[Any],
) -> tuple[float, float, float, float, float, float, int, int, int]:
    """(bm, tm, hm, bs, ts, hs, bn, tn, hn) per axis: cranesim.record.kpi.motion_sums_py."""

class StageEnergy:
    """cranesim.physics.energy.EnergyModel.stage_kwh without a move log, totals by axis and category."""

    @property
    def stages(self) -> int: ...
    def __init__(
        self,
        drives: Sequence[Any],
        phys: Any,
        v_rated: Sequence[Sequence[float]],
        g: float,
        j_per_kwh: float,
    ) -> None: ...
    def totals(self) -> list[list[float]]:
        """[axis][motoring, regen, start_loss, fixed, net] kWh."""
    def stage(self, crane: int, moves: Sequence[Any]) -> float:
        """Net kWh of the moves; added to the totals."""

class CraneStageSums:
    """cranesim.record.kpi.CraneStageSumsPy compiled (the same sums in the same order)."""

    @property
    def n(self) -> int: ...
    @property
    def yield_travel_m(self) -> float: ...
    @property
    def hoist_m(self) -> float: ...
    @property
    def energy_kwh(self) -> float: ...
    @property
    def lifts(self) -> int: ...
    @property
    def energy_records(self) -> int: ...
    @property
    def crane_busy_s(self) -> list[float]: ...
    @property
    def crane_wait_s(self) -> list[float]: ...
    @property
    def crane_yield_s(self) -> list[float]: ...
    @property
    def crane_lifts(self) -> list[int]: ...
    @property
    def empty_travel_m(self) -> list[float]: ...
    @property
    def loaded_travel_m(self) -> list[float]: ...
    @property
    def lift_kinds(self) -> dict[str, int]: ...
    def __init__(self, n_cranes: int) -> None: ...
    def add(
        self,
        k: str,
        c: int,
        d: float,
        lift: int,
        lk: str,
        bm: float,
        tm: float,
        hm: float,
        e: float,
    ) -> None: ...
    def add_moves(
        self, kind: int, c: int, d: float, lift: int, lk: int, moves: Sequence[Any], e: float
    ) -> None: ...
