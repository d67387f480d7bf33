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

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from cranesim.scenario.assumptions import Uncertainty
from cranesim.scenario.demand import Demand

__all__ = ["Scenario", "CraneSpec"]

PosFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Fraction = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Coord = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# --------------------------------------------------------------------------- sections
class ScenarioMeta(_Model):
    name: str = "unnamed"
    description: str = ""
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 1
    hours: PosFloat = 168.0


class Bay(_Model):
    length_m: Annotated[float, Field(gt=0, le=5000)]
    span_m: Annotated[float, Field(gt=0, le=200)]
    hook_travel_height_m: Annotated[float, Field(gt=0, le=50)]
    """Height of the load's underside while the crane travels (clears a full stack)."""


class Runway(_Model):
    x_min_m: NonNegFloat = 0.0
    x_max_m: PosFloat
    safety_distance_m: Annotated[float, Field(ge=0, le=500)]
    """Minimum distance between the bridge centre lines of two neighbouring cranes."""

    @model_validator(mode="after")
    def _order(self) -> "Runway":
        if self.x_max_m <= self.x_min_m:
            raise ValueError("x_max_m must be greater than x_min_m")
        return self


class CraneKinematics(_Model):
    bridge_speed_m_min: Annotated[float, Field(gt=0, le=600)]
    bridge_accel_m_s2: Annotated[float, Field(gt=0, le=5)]
    trolley_speed_m_min: Annotated[float, Field(gt=0, le=300)]
    trolley_accel_m_s2: Annotated[float, Field(gt=0, le=5)]
    hoist_speed_m_min: Annotated[float, Field(gt=0, le=120)]
    hoist_accel_m_s2: Annotated[float, Field(gt=0, le=5)]
    pick_s: NonNegFloat
    place_s: NonNegFloat


class CraneOverride(_Model):
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


class Product(_Model):
    grade: str = Field(min_length=1)
    share: Annotated[float, Field(gt=0, le=1)]
    mass_t_mean: Annotated[float, Field(gt=0, le=50)]
    mass_t_sd: Annotated[float, Field(ge=0, le=10)] = 0.0


class Mill(_Model):
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
        if len(set(grades)) != len(grades):
            raise ValueError("product grades must be unique")
        return self


class Station(_Model):
    x_m: Coord
    y_m: Coord
    places: Annotated[int, Field(ge=1, le=100)]
    place_pitch_m: PosFloat = 2.0
    """Buffer places lie along the bay (x) at this pitch, centred on x_m."""
    pick_height_m: NonNegFloat = 0.5
    """Height of the coil's underside on the unloading station."""


class StorageBlock(_Model):
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


class Storage(_Model):
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


class TruckBay(_Model):
    x_m: Coord
    y_m: Coord


class Trucks(_Model):
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


class Scheduler(_Model):
    policy: Literal["greedy", "fcfs_nearest", "random_free"] = "greedy"
    w_reloc_s: NonNegFloat = 120.0
    """Cost of one relocation, in crane-seconds (roughly one lift cycle)."""
    w_station_s: NonNegFloat = 600.0
    """Priority of a store job when the unloading station is full (scaled by fill fraction)."""
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
    lifts instead of chaining them.  0 = off.  Measured (``cranesim bench``, 10 static instances):
    mean optimality gap 8.4 % without, 4.5 % at 0.2, 4.0 % from 0.25 to 0.5 (the same schedules);
    0.25, the smallest weight that reaches it, and 0.35 gave the same default-scenario KPIs
    (3 seeds x 48 h)."""
    lift_handling_s: NonNegFloat = 70.0
    """Crane time of one lift besides the bridge and trolley travel (hoisting down and up at the
    pick and at the place, plus the pick and place times), used by the look-ahead to estimate when
    a lift ends.  70 s: the default crane (4 m hook travel height at 18 m/min, 8 s pick and 8 s
    place) takes 66-74 s depending on the heights of the places."""


class Invariants(_Model):
    check: bool = True
    watchdog_h: Annotated[float, Field(ge=0, le=100_000, allow_inf_nan=False)] = 4.0
    """Stop the run with a model error (and a dump of the cranes and jobs) when jobs are pending
    and no lift has completed for this many model hours: the warehouse is stuck.  0 = off."""


# --------------------------------------------------------------------------- energy, sway, manual
# Added for the energy comparison (cranesim.physics.energy, cranesim.physics.sway, cranesim.physics.driver,
# cranesim.studies.compare).  Every section is optional: a scenario without them gets the documented
# defaults (see configs/masteel_wire_rod.toml for each default's source).

DriveType = Literal["inverter_resistor", "inverter_regen", "wound_rotor_contactor"]
Efficiency = Annotated[float, Field(gt=0.3, le=1, allow_inf_nan=False)]
Power_kW = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Energy_kJ = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]


class DriveOverride(_Model):
    """Per-crane override of a drive setup (``[energy.manual.overrides.C2]``)."""

    drive: DriveType | None = None
    motor_efficiency: Efficiency | None = None
    drive_efficiency: Efficiency | None = None
    regen_fraction: Fraction | None = None
    brake_release_kj: Energy_kJ | None = None
    magnetising_kj: Energy_kJ | None = None
    plugging: bool | None = None
    standby_kw: Power_kW | None = None
    cab_kw: Power_kW | None = None
    cab_duty: Fraction | None = None


class _DriveSetup(_Model):
    """Drives and standby loads of the cranes in one mode (``[energy.automated]``/``[energy.manual]``).

    ``None`` efficiencies and regeneration take the drive type's typical value
    (:data:`cranesim.physics.energy.DRIVE_TYPICAL`), so switching ``drive`` alone stays consistent.
    """

    drive: DriveType
    motor_efficiency: Efficiency | None = None
    """Motor efficiency (motoring); None = typical for the drive type."""
    drive_efficiency: Efficiency | None = None
    """Converter efficiency (1 for contactors); None = typical for the drive type."""
    regen_fraction: Fraction | None = None
    """Share of the braking energy (after losses) returned to the grid; None = typical."""
    brake_release_kj: Energy_kJ = 1.0
    """Electrical energy to release the holding brake, per start of an axis."""
    magnetising_kj: Energy_kJ | None = None
    """Magnetising / inrush energy per start; None = typical for the drive type."""
    plugging: bool = False
    """Wound-rotor drives only: stops by reverse current (plugging) instead of the brake."""
    standby_kw: Power_kW
    """Controls, drive standby, lights, sensors: per crane, all the time."""
    cab_kw: Power_kW
    """Electrical input of the cab air conditioning at full load, per crane (not its cooling
    capacity: a 3-5 kW cooling unit draws about a third to a half of that)."""
    cab_duty: Fraction = 1.0
    """Average share of the full-load input drawn while a driver is aboard (the compressor cycles;
    season and climate).  The cab's average draw is ``cab_kw × cab_duty`` per staffed hour."""
    overrides: dict[str, DriveOverride] = Field(default_factory=dict)
    """Per-crane overrides by crane name (a retrofit may keep some old cranes)."""

    @model_validator(mode="after")
    def _regen(self) -> "_DriveSetup":
        for name, d in [("", self)] + [(f"overrides.{k}.", v) for k, v in self.overrides.items()]:
            drive = d.drive if d.drive is not None else self.drive
            r = d.regen_fraction
            if drive == "inverter_resistor" and r is not None and r > 0:
                raise ValueError(
                    f"{name}regen_fraction={r}: an inverter with a braking resistor returns no "
                    'energy (use drive = "inverter_regen")'
                )
            plug = d.plugging if d.plugging is not None else (self.plugging if not name else None)
            if plug and drive != "wound_rotor_contactor":
                raise ValueError(f'{name}plugging = true needs drive = "wound_rotor_contactor"')
        return self


class AutomatedDrives(_DriveSetup):
    drive: DriveType = "inverter_resistor"
    standby_kw: Power_kW = 1.5
    cab_kw: Power_kW = 0.0


class ManualDrives(_DriveSetup):
    drive: DriveType = "wound_rotor_contactor"
    standby_kw: Power_kW = 1.0
    cab_kw: Power_kW = 1.75
    cab_duty: Fraction = 0.6
    cab_runs_during_breaks: bool = False
    """The cab unit keeps running while the driver is away (meal break, shift handover); by
    default it runs only while a driver is aboard."""


class Energy(_Model):
    """Masses and running resistance of the cranes, and the drives of both modes."""

    bridge_mass_t: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] = 35.0
    """Bridge (girders, end carriages, drives), without trolley."""
    trolley_mass_t: Annotated[float, Field(gt=0, le=500, allow_inf_nan=False)] = 7.0
    """Trolley with hoist machinery."""
    lifting_device_mass_t: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 1.5
    """C-hook or tongs with hook block; the coil's mass comes from the lift."""
    rotating_mass_factor: Annotated[float, Field(ge=1, le=2, allow_inf_nan=False)] = 1.10
    """m_eq / m: rotating parts (motor rotors, gears, wheels) add to the inertia."""
    rolling_resistance: Annotated[float, Field(gt=0, le=0.05, allow_inf_nan=False)] = 0.0075
    """w in F = w·m·g for bridge and trolley travel."""
    breakaway_factor: Annotated[float, Field(ge=1, le=5, allow_inf_nan=False)] = 1.75
    """Rolling resistance multiplier for the first ``breakaway_s`` of every start."""
    breakaway_s: Annotated[float, Field(ge=0, le=10, allow_inf_nan=False)] = 0.5
    mechanical_efficiency: Efficiency = 0.95
    """Gearbox, couplings and rope drive (both modes)."""
    automated: AutomatedDrives = AutomatedDrives()
    manual: ManualDrives = ManualDrives()


class Sway(_Model):
    """Load pendulum and how each mode damps it."""

    rope_length_m: Annotated[float, Field(gt=0, le=50, allow_inf_nan=False)] = 5.0
    """Pendulum length (trolley sheaves to the load's centre of mass) at travel height."""
    decay_time_constant_s: Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)] = 11.0
    """Natural decay of the swing amplitude, A(t) = A0·exp(-t/tau)."""
    tolerance_m: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 0.03
    """Swing amplitude at which a pick or set-down may start."""
    automated_anti_sway: bool = True
    """Automated cranes shape their moves (ZV input shaping); otherwise they wait for decay."""
    shaper_length_error: Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False)] = 0.05
    """Relative error of the rope length the shaper is tuned for."""


class Manual(_Model):
    """The modelled human driver of the manual baseline (cranesim.physics.driver.ManualPlanner)."""

    policy: Literal["greedy", "fcfs_nearest", "random_free"] = "fcfs_nearest"
    """Job order and slot choice of the manual warehouse (first come first served, nearest)."""
    mill_first_fill: Annotated[float, Field(ge=0, le=1.01, allow_inf_nan=False)] = 0.5
    """Drivers serve the unloading station before trucks once it is at least this full
    (above 1: never, plain first come first served)."""
    avoid_crossing_working_cranes: bool = True
    """A driver does not take a lift whose path crosses a neighbour that is working (he may
    still ask an idle neighbour to move aside)."""
    prefer_accessible_coils: bool = True
    """For a truck, a driver takes a coil of the grade with nothing on top when there is one."""
    sequential_axes: bool = True
    """Bridge, then trolley, one after the other."""
    speed_fraction: Annotated[float, Field(gt=0, le=1, allow_inf_nan=False)] = 1.0
    """Speed of main moves as a fraction of top speed."""
    micro_speed_fraction: Annotated[float, Field(gt=0, le=0.5, allow_inf_nan=False)] = 0.10
    """Creep speed for positioning jogs and counter-moves, as a fraction of top speed."""
    overshoot_m_mean: Annotated[float, Field(ge=0, le=5, allow_inf_nan=False)] = 0.30
    """Mean position error (exponential) at the end of a main bridge/trolley move."""
    jogs_per_positioning_mean: Annotated[float, Field(ge=1, le=20, allow_inf_nan=False)] = 3.0
    """Micro-speed jogs to correct the error of one bridge/trolley positioning (1 + Poisson)."""
    hoist_jogs_per_positioning_mean: Annotated[float, Field(ge=1, le=20, allow_inf_nan=False)] = 2.0
    """Creep jogs for the last ``hoist_approach_m`` before a pick or set-down."""
    hoist_approach_m: Annotated[float, Field(ge=0, le=5, allow_inf_nan=False)] = 0.2
    counter_sway_share: Fraction = 0.8
    """Share of swing corrections made by counter-moves; the rest wait for the swing to decay."""
    counter_move_reduction: Annotated[float, Field(gt=0, lt=1, allow_inf_nan=False)] = 0.3
    """Swing amplitude after a counter-move, as a fraction of the amplitude before it."""
    reaction_s_mean: Annotated[float, Field(ge=0, le=60, allow_inf_nan=False)] = 1.0
    """Mean delay (exponential) before a driver starts each stage."""
    pick_place_extra_s: Annotated[float, Field(ge=0, le=120, allow_inf_nan=False)] = 3.0
    """Extra time per pick or set-down: checking the hook by eye, no laser confirmation."""
    shift_h: Annotated[float, Field(gt=0, le=24, allow_inf_nan=False)] = 8.0
    handover_min: Annotated[float, Field(ge=0, le=120, allow_inf_nan=False)] = 10.0
    """Shift handover: the crane takes no lift (cab load on)."""
    meal_break_min: Annotated[float, Field(ge=0, le=120, allow_inf_nan=False)] = 30.0
    """One break per shift, staggered between cranes, in the middle of the shift (± jitter)."""
    break_jitter_min: Annotated[float, Field(ge=0, le=240, allow_inf_nan=False)] = 30.0
    max_switchings_per_h: Annotated[int, Field(ge=10, le=2000)] = 300
    """Motor switching ceiling per axis: beyond it the driver skips optional jogs and
    counter-moves (waits for the swing instead)."""


class Compare(_Model):
    """Defaults of ``cranesim compare``."""

    replications: Annotated[int, Field(ge=2, le=1000)] = 5
    """Paired replications (seed, seed+1, ...); at least 2 for a confidence interval."""
    hours: Annotated[float, Field(gt=0, le=100_000, allow_inf_nan=False)] = 72.0
    """Model hours per replication."""
    claim_saving_pct: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = 30.0
    """The claim under test: 'more than 30%'."""
    baseline_coils_out_tolerance_pct: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)] = (
        10.0
    )
    """The manual baseline may ship at most this many % fewer coils than the automated cranes
    in the same hours; beyond it the baseline did less work and no verdict is given."""
    baseline_mill_blocked_min_per_day: Annotated[
        float, Field(ge=0, le=1440, allow_inf_nan=False)
    ] = 15.0
    """Extra mill blocked time (min per 24 h) the manual baseline may have over the automated."""
    baseline_truck_wait_extra_min: Annotated[
        float, Field(ge=0, le=100_000, allow_inf_nan=False)
    ] = 180.0
    """Extra mean truck wait for a bay (min) the manual baseline may have over the automated."""
    decide_p: Annotated[float, Field(gt=0.5, lt=1, allow_inf_nan=False)] = 0.9
    """A reading is 'supported' when P(saving > claim) over the assumptions is at least this
    (and the nominal saving's 95% CI lies above the claim), 'not supported' when it is at most
    1 - decide_p (and the CI lies below); otherwise it depends on the assumptions."""


class Scenario(_Model):
    """A validated scenario.  Build it with :func:`load_config` or :func:`parse_config`."""

    #: where the scenario came from (a file path), for error messages found after validation
    _source: str = PrivateAttr(default="<config>")

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
        n = len(self.cranes)
        rw = self.runway
        if (n - 1) * rw.safety_distance_m > rw.x_max_m - rw.x_min_m:
            raise ValueError(
                f"{n} cranes with safety_distance_m={rw.safety_distance_m} do not fit on the runway"
            )
        xs = [c.start_x_m for c in self.cranes]
        for i in range(n - 1):
            if xs[i + 1] - xs[i] < rw.safety_distance_m - 1e-9:
                raise ValueError(
                    f"cranes[{i + 1}].start_x_m={xs[i + 1]} is closer than safety_distance_m to "
                    f"cranes[{i}] (cranes are listed west to east)"
                )
        for i, x in enumerate(xs):
            if not rw.x_min_m <= x <= rw.x_max_m:
                raise ValueError(f"cranes[{i}].start_x_m={x} lies outside the runway")
        if len({c.name for c in self.cranes}) != n:
            raise ValueError("crane names must be unique")
        return self

    @model_validator(mode="after")
    def _energy_overrides(self) -> "Scenario":
        names = {c.name for c in self.cranes}
        for mode in ("automated", "manual"):
            for k in getattr(self.energy, mode).overrides:
                if k not in names:
                    raise ValueError(
                        f"energy.{mode}.overrides.{k}: no crane named {k!r} "
                        f"(cranes: {', '.join(sorted(names))})"
                    )
        return self

    def crane_specs(self) -> list[CraneSpec]:
        """Resolve ``[crane]`` defaults with each ``[[cranes]]`` entry's overrides."""
        base = self.crane.model_dump()
        out = []
        for c in self.cranes:
            d = dict(base)
            d.update({k: v for k, v in c.model_dump().items() if v is not None})
            out.append(CraneSpec(**d))
        return out
