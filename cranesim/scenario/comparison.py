"""The sections of a scenario that the energy comparison reads: ``[energy]`` (masses, running
resistance, the drives of both modes), ``[sway]``, ``[manual]`` (the modelled crew) and
``[compare]``.  Every section is optional: a scenario without them gets the documented defaults
(see configs/masteel_wire_rod.toml for each default's source).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from cranesim.scenario.base import Fraction, Model

__all__ = [
    "Energy",
    "Sway",
    "Manual",
    "Compare",
    "DriveOverride",
    "AutomatedDrives",
    "ManualDrives",
]


# Added for the energy comparison (cranesim.physics.energy, cranesim.physics.sway, cranesim.physics.driver,
# cranesim.studies.compare).  Every section is optional: a scenario without them gets the documented
# defaults (see configs/masteel_wire_rod.toml for each default's source).

DriveType = Literal["inverter_resistor", "inverter_regen", "wound_rotor_contactor"]
Efficiency = Annotated[float, Field(gt=0.3, le=1, allow_inf_nan=False)]
Power_kW = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
Energy_kJ = Annotated[float, Field(ge=0, le=1000, allow_inf_nan=False)]


class DriveOverride(Model):
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


class _DriveSetup(Model):
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


class Energy(Model):
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


class Sway(Model):
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


class Manual(Model):
    """The modelled human driver of the manual baseline (cranesim.physics.driver.ManualPlanner)."""

    policy: Literal["greedy", "joint", "fcfs_nearest", "random_free"] = "fcfs_nearest"
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


class Compare(Model):
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
