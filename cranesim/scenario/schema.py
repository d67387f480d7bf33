"""The scenario schema: one pydantic model per section of a scenario file.

A scenario file describes one warehouse (bay, runway, cranes, mill, station, storage, trucks,
scheduler).  Every key carries its unit in its name.  Validation is strict:

* unknown keys are errors (a typo never falls back to a default);
* a string where a number belongs is an error (no silent coercion);
* every range a physical quantity must respect is checked.

Loading a file (:mod:`cranesim.scenario.load`) never executes code: it is parsed with
:mod:`tomllib` and validated against these models; nothing in it is evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, ValidationError, model_validator

from cranesim.errors import ConfigError
from cranesim.scenario.assumptions import Uncertainty
from cranesim.scenario.base import Coord, Fraction, Model, NonNegFloat, PosFloat
from cranesim.scenario.comparison import Compare, Energy, Manual, Sway
from cranesim.scenario.demand import Demand
from cranesim.scenario.geometry import Problems, geometry_problems
from cranesim.scenario.overrides import config_error, set_path, toml_value

__all__ = ["Scenario", "CraneSpec", "Manual", "Sway", "Energy", "Compare"]


# --------------------------------------------------------------------------- sections
class ScenarioMeta(Model):
    name: str = "unnamed"
    description: str = ""
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 1
    hours: PosFloat = 168.0


class Bay(Model):
    length_m: Annotated[float, Field(gt=0, le=5000)]
    span_m: Annotated[float, Field(gt=0, le=200)]
    hook_travel_height_m: Annotated[float, Field(gt=0, le=50)]
    """Height of the load's underside while the crane travels (clears a full stack)."""


class Runway(Model):
    x_min_m: NonNegFloat = 0.0
    x_max_m: PosFloat
    safety_distance_m: Annotated[float, Field(ge=0, le=500)]
    """Minimum distance between the bridge centre lines of two neighbouring cranes."""

    @model_validator(mode="after")
    def _order(self) -> "Runway":
        if self.x_max_m <= self.x_min_m:
            raise ValueError("x_max_m must be greater than x_min_m")
        return self


class CraneKinematics(Model):
    bridge_speed_m_min: Annotated[float, Field(gt=0, le=600)]
    bridge_accel_m_s2: Annotated[float, Field(gt=0, le=5)]
    trolley_speed_m_min: Annotated[float, Field(gt=0, le=300)]
    trolley_accel_m_s2: Annotated[float, Field(gt=0, le=5)]
    hoist_speed_m_min: Annotated[float, Field(gt=0, le=120)]
    hoist_accel_m_s2: Annotated[float, Field(gt=0, le=5)]
    pick_s: NonNegFloat
    place_s: NonNegFloat


class CraneOverride(Model):
    """One ``[[cranes]]`` entry: a name, a start position and optional overrides."""

    name: str
    start_x_m: NonNegFloat
    bridge_speed_m_min: Annotated[float, Field(gt=0, le=600)] | None = None
    bridge_accel_m_s2: Annotated[float, Field(gt=0, le=5)] | None = None
    trolley_speed_m_min: Annotated[float, Field(gt=0, le=300)] | None = None
    trolley_accel_m_s2: Annotated[float, Field(gt=0, le=5)] | None = None
    hoist_speed_m_min: Annotated[float, Field(gt=0, le=120)] | None = None
    hoist_accel_m_s2: Annotated[float, Field(gt=0, le=5)] | None = None
    pick_s: NonNegFloat | None = None
    place_s: NonNegFloat | None = None


class CraneSpec(CraneKinematics):
    """A fully resolved crane (``[crane]`` defaults merged with its ``[[cranes]]`` entry)."""

    name: str
    start_x_m: NonNegFloat


class Product(Model):
    grade: str = Field(min_length=1)
    share: Annotated[float, Field(gt=0, le=1)]
    mass_t_mean: Annotated[float, Field(gt=0, le=50)]
    mass_t_sd: Annotated[float, Field(ge=0, le=10)] = 0.0


class Mill(Model):
    rate_t_h: Annotated[float, Field(gt=0, le=1000)]
    """Output while rolling."""
    interval_cv: Annotated[float, Field(ge=0, le=2)] = 0.1
    """Coefficient of variation of the time between two coils (0 = a perfect clock)."""
    stop_mtbf_h: PosFloat = 1e9
    """Mean rolling time between two stoppages (exponential)."""
    stop_mean_min: NonNegFloat = 0.0
    """Mean duration of a stoppage (exponential)."""
    products: list[Product] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _shares(self) -> "Mill":
        total = sum(p.share for p in self.products)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"product shares must sum to 1 (they sum to {total:.6g})")
        grades = [p.grade for p in self.products]
        twice = sorted({g for g in grades if grades.count(g) > 1})
        if twice:
            raise ValueError(
                f"products[{grades.index(twice[0], grades.index(twice[0]) + 1)}].grade = "
                f"{twice[0]!r}: another product has this grade; product grades must be unique"
            )
        return self


class Station(Model):
    x_m: Coord
    y_m: Coord
    places: Annotated[int, Field(ge=1, le=100)]
    place_pitch_m: PosFloat = 2.0
    """Buffer places lie along the bay (x) at this pitch, centred on x_m."""
    pick_height_m: NonNegFloat = 0.5
    """Height of the coil's underside on the unloading station."""


class StorageBlock(Model):
    name: str = ""
    """What the plant calls the block (its places are named ``BLOCK-ROW-TIER-PLACE`` in
    recorded demand and move logs); by default its number, 1 for the first block."""
    x_first_m: Coord
    """x of the first row; rows run across the bay (along y)."""
    rows: Annotated[int, Field(ge=1, le=10_000)]
    row_pitch_m: PosFloat
    y_first_m: Coord
    """y of the first lower place in each row."""
    lower_places_per_row: Annotated[int, Field(ge=1, le=1000)]
    place_pitch_m: PosFloat


class Storage(Model):
    stacking: Literal["pyramid2", "flat"] = "pyramid2"
    coil_diameter_m: Annotated[float, Field(gt=0, le=5)] = 1.25
    initial_fill: Fraction = 0.5
    """Fraction of the places occupied at the start (lower places first, then upper)."""
    blocks: list[StorageBlock] = Field(min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _block_names(self) -> "Storage":
        names = [b.name for b in self.blocks if b.name]
        if len(set(names)) != len(names):
            raise ValueError("storage block names must be unique")
        return self


class TruckBay(Model):
    x_m: Coord
    y_m: Coord


class Trucks(Model):
    order_coils_min: Annotated[int, Field(ge=1, le=200)]
    order_coils_max: Annotated[int, Field(ge=1, le=200)]
    max_grades_per_order: Annotated[int, Field(ge=1, le=50)] = 2
    balance: Annotated[float, Field(gt=0, le=10)] = 1.0
    """Mean truck demand as a multiple of the mill's mean supply."""
    inventory_target_fill: Fraction = 0.5
    """Dispatch sends more trucks when stock is above this fill of capacity, fewer below."""
    inventory_gain: Annotated[float, Field(ge=0, le=10)] = 1.0
    dock_min: NonNegFloat = 5.0
    """Positioning, opening and paperwork before the first coil."""
    secure_min: NonNegFloat = 10.0
    """Strapping and closing after the last coil."""
    bays: list[TruckBay] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _order(self) -> "Trucks":
        if self.order_coils_max < self.order_coils_min:
            raise ValueError("order_coils_max must be >= order_coils_min")
        return self


SchedulerPolicy = Literal[
    "joint", "rollout", "greedy", "plant_rules", "plant_zoned", "fcfs_nearest", "random_free"
]  # cranesim.codes.SCHEDULER_POLICIES (tests/test_config.py checks they agree)


class Scheduler(Model):
    policy: SchedulerPolicy = "joint"
    """Who picks the lifts (the rules: cranesim.sched.reference and cranesim.model.dispatch):
    ``joint`` greedy with each storage place chosen together with the runway interference;
    ``rollout`` joint's lifts chosen by a short plan of what follows (for batches of static
    jobs); ``greedy`` places by travel first; ``plant_rules`` the crane crew's rules on the
    automated cranes (the fair baseline); ``plant_zoned`` the same with crane zones;
    ``fcfs_nearest``, ``random_free`` naive references."""
    w_reloc_s: NonNegFloat = 120.0
    """Cost of one relocation, in crane-seconds (roughly one lift cycle)."""
    w_station_s: NonNegFloat = 600.0
    """Priority of a store job when the unloading station is full (scaled by fill fraction)."""
    station_first_fill: Annotated[float, Field(ge=0, le=1.01, allow_inf_nan=False)] = 1.01
    """Greedy, joint, rollout: once the unloading station is at least this full, only its coils
    are stored (trucks wait) while a crane can store one: the crew's "mill first" rule as a hard
    rule; above 1: never (the station weighs in through ``w_station_s`` only)."""
    w_truck_wait_s_per_min: NonNegFloat = 2.0
    """Priority a retrieve job gains per minute its truck has waited."""
    w_upper_s: NonNegFloat = 30.0
    """Penalty for placing a coil on the upper layer (it blocks two coils)."""
    w_block_demand_s: NonNegFloat = 200.0
    """Extra penalty per pending truck coil of the grade a new upper coil would block."""
    w_interference_s: NonNegFloat = 60.0
    """Penalty for each neighbour a lift would push aside or wait for (plus the push or wait time)."""
    max_interference_s: NonNegFloat = 150.0
    """Budget of pushes and waits (penalties included) a lift may cost; above it, when a busy
    crane is in the way, the lift is left for a better placed crane."""
    w_zone_s_per_m: NonNegFloat = 0.0
    """Penalty per metre a store/relocation target lies outside the crane's own zone (the
    runway cut into equal parts, one per crane); 0 = off."""
    w_cover_s: NonNegFloat = 0.0
    """Penalty per supporting coil of another grade that a new upper coil would cover (a
    same-grade coil underneath is no block: the top coil serves the same orders); 0 = off."""
    w_finish_s: NonNegFloat = 0.0
    """Retrieve penalty per other coil its truck still needs: trucks close to full are loaded
    first (shortest remaining work first); 0 = off."""
    objective: Literal["time", "energy", "mix"] = "time"
    """What greedy minimises when it compares travels: crane time, estimated crane energy
    (kWh × seconds_per_kwh), or both added."""
    seconds_per_kwh: NonNegFloat = 600.0
    """Energy and mix objectives: cost in crane-seconds of one kWh of estimated motion energy."""
    w_lookahead: NonNegFloat = 0.25
    """Look-ahead of the greedy policy: a lift that has to wait for a busy neighbour is also
    charged this many seconds of the ``max_interference_s`` budget per second it would then delay
    that neighbour's best next lift (its lift blocks the runway the neighbour needs); over the
    budget the lift is not planned now and the next decision, with both cranes free, pairs their
    lifts instead of chaining them.  0 = off.  Measured (``cranesim bench``, static instances
    1-10, greedy, in sample: the weight was set on them): mean optimality gap 8.4 % without,
    4.0 % from 0.25 to 0.5; on the tuning set 1-30, joint: 11.5 % without, 8.6 % at 0.25."""
    lift_handling_s: NonNegFloat = 70.0
    """Crane time of one lift besides the bridge and trolley travel (hoisting down and up at the
    pick and at the place, plus the pick and place times), used by the look-ahead to estimate when
    a lift ends.  70 s: the default crane (4 m hook travel height at 18 m/min, 8 s pick and 8 s
    place) takes 66-74 s depending on the heights of the places."""
    rollout_margin_s: NonNegFloat = 3000.0
    """``rollout``: the lifts it compares, within this many crane-seconds of the cheapest
    (3000: every lift; tuned on the bench's tuning instances, see README)."""
    rollout_jobs: Annotated[int, Field(ge=1, le=1000)] = 8
    """``rollout``: open jobs in each plan (the candidates' and the oldest others)."""
    rollout_candidates: Annotated[int, Field(ge=1, le=1000)] = 8
    """``rollout``: lifts compared at most, the cheapest first."""


class Invariants(Model):
    check: bool = True
    watchdog_h: Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)] = 4.0
    """Stop the run with a model error (and a dump of the cranes and jobs) when jobs are pending
    and no store or retrieval has completed for this many model hours (relocations do not count):
    the warehouse is stuck.  0 = off."""


class Scenario(Model):
    """A validated scenario.  Build it with :func:`load_config` or :func:`parse_config`."""

    #: where the scenario came from (a file path), for error messages found after validation
    _source: str = PrivateAttr(default="<config>")
    #: the keys set on top of the file (``--set``, :meth:`derive`), as ``"path = value"``
    _overrides: tuple[str, ...] = PrivateAttr(default=())

    scenario: ScenarioMeta = ScenarioMeta()
    bay: Bay
    runway: Runway
    crane: CraneKinematics
    cranes: list[CraneOverride] = Field(min_length=1, max_length=16)
    mill: Mill
    station: Station
    storage: Storage
    trucks: Trucks
    scheduler: Scheduler = Scheduler()
    invariants: Invariants = Invariants()
    energy: Energy = Energy()
    sway: Sway = Sway()
    manual: Manual = Manual()
    compare: Compare = Compare()
    uncertainty: Uncertainty = Uncertainty()
    demand: Demand = Demand()

    @model_validator(mode="after")
    def _geometry(self) -> "Scenario":
        """How the values fit together (:mod:`cranesim.scenario.geometry`): all problems."""
        problems = geometry_problems(self)
        if problems:
            raise Problems(problems)
        return self

    def derive(self, updates: Mapping[str, Any]) -> "Scenario":
        """A copy with the keys of ``updates`` set, validated as a file is.

        Parameters
        ----------
        updates
            Dotted key path -> value, as ``--set`` takes them: ``{"mill.rate_t_h": 60.0,
            "cranes[1].start_x_m": 50.0}``.

        Raises
        ------
        ConfigError
            One line naming the key and what was expected (``rate_t_h = -5`` is rejected).

        Examples
        --------
        >>> from cranesim.scenario.load import load_config
        >>> load_config("small").derive({"mill.rate_t_h": 60.0}).mill.rate_t_h
        60.0
        """
        data = self.model_dump()
        labels = {}
        for path, value in updates.items():
            labels[path] = f"{path} = {toml_value(value)}"
            try:
                set_path(data, path, value)
            except ValueError as exc:
                raise ConfigError(f"{self._source}: {exc}") from None
        try:
            new = Scenario.model_validate(data)
        except ValidationError as err:
            raise config_error(self._source, err, labels, data, Scenario) from None
        new._source = self._source
        new._overrides = self._overrides + tuple(labels.values())
        return new

    def to_toml(self) -> str:
        """The whole scenario as TOML text, every key written (defaults included), so that
        ``parse_config(tomllib.loads(sc.to_toml()))`` is the same scenario whatever the
        defaults of a later version."""
        import tomli_w

        return tomli_w.dumps(self.model_dump(exclude_none=True))

    def crane_specs(self) -> list[CraneSpec]:
        """Resolve ``[crane]`` defaults with each ``[[cranes]]`` entry's overrides."""
        base = self.crane.model_dump()
        out = []
        for c in self.cranes:
            d = dict(base)
            d.update({k: v for k, v in c.model_dump().items() if v is not None})
            out.append(CraneSpec(**d))
        return out
