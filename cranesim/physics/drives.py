"""Drive parameters of the cranes of a scenario, one crane and one mode at a time.

:func:`resolve_drives` turns the ``[energy.manual]`` / ``[energy.automated]`` sections (with
per-crane overrides and the drive type's typical values for what a section leaves out) into one
:class:`DriveParams` per crane; :func:`physics_of` the shared running resistance and masses.
:mod:`cranesim.physics.energy` prices moves with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from cranesim.codes import HOIST, TROLLEY

__all__ = ["DRIVE_TYPICAL", "DriveParams", "Physics", "resolve_drives", "physics_of"]

#: Typical values by drive type, used where the scenario leaves a field out (None).
#: motor: motor efficiency in motoring; drive: converter (1.0: contactors, no converter);
#: regen: share of braking energy returned to the grid after losses; magnetising_kj: per start.
DRIVE_TYPICAL: dict[str, dict[str, float]] = {
    # 4-quadrant-capable motor with a frequency inverter and a braking chopper + resistor
    # (domain brief "Drives": newer cranes); converter ~97% (typical datasheet value).
    "inverter_resistor": {"motor": 0.90, "drive": 0.97, "regen": 0.0, "magnetising_kj": 0.5},
    # the same with an active (regenerative) front end: the brief's r ~0.6-0.8 is counted before
    # the chain's losses (eta ~0.82 here), so after losses ~0.5-0.65: 0.6 here.
    "inverter_regen": {"motor": 0.90, "drive": 0.96, "regen": 0.6, "magnetising_kj": 0.5},
    # slip-ring motor (e.g. YZR series), rotor resistors in 4-5 contactor steps (domain brief:
    # older cranes); no converter; slip-ring motors of this size are a little less efficient
    # and draw a larger inrush at each switching.  regen: supersynchronous lowering on the mains
    # returns m·g·h times motor (0.88) x gears (0.95) x (1 - slip ~0.05) ~ 0.8, less the rotor
    # resistance left in on the last notch: 0.7 (own estimate; 0 when the supply cannot take it).
    "wound_rotor_contactor": {"motor": 0.88, "drive": 1.0, "regen": 0.7, "magnetising_kj": 1.0},
}


@dataclass(frozen=True)
class DriveParams:
    """Resolved drive parameters of one crane in one mode.

    ``eta`` is the whole chain motor × converter × mechanics; ``regen`` the share of braking
    work that reaches the grid, after all losses; ``fixed_kj`` brake release + magnetising per
    start; ``standby_kw`` always on; ``cab_kw`` the cab air conditioning's average electrical
    draw while a driver is aboard.
    """

    drive: str
    eta: float
    regen: float
    fixed_kj: float
    plugging: bool
    standby_kw: float = 0.0
    cab_kw: float = 0.0

    @property
    def wound_rotor(self) -> bool:
        return self.drive == "wound_rotor_contactor"


@dataclass(frozen=True)
class Physics:
    """Running resistance and inertia shared by both modes."""

    rotating_mass_factor: float = 1.10
    rolling_resistance: float = 0.0075
    breakaway_factor: float = 1.75
    breakaway_s: float = 0.5
    bridge_mass_t: float = 35.0
    trolley_mass_t: float = 7.0
    lifting_device_mass_t: float = 1.5

    def axis_mass_t(self, axis: int, load_t: float) -> float:
        """Moving mass of ``axis`` with ``load_t`` on the hook (see the module docstring)."""
        m = self.lifting_device_mass_t + load_t
        if axis != HOIST:
            m += self.trolley_mass_t
            if axis != TROLLEY:
                m += self.bridge_mass_t
        return m


def resolve_drives(sc, mode: str) -> list[DriveParams]:
    """Drive parameters per crane for ``mode`` ('automated' or 'manual') of a scenario."""
    setup = getattr(sc.energy, mode)
    mech = sc.energy.mechanical_efficiency
    out = []
    for c in sc.cranes:
        d = setup.model_dump(exclude={"overrides"})
        ov = setup.overrides.get(c.name)
        if ov is not None:
            d.update({k: v for k, v in ov.model_dump().items() if v is not None})
        typ = DRIVE_TYPICAL[d["drive"]]
        motor = d["motor_efficiency"] if d["motor_efficiency"] is not None else typ["motor"]
        conv = d["drive_efficiency"] if d["drive_efficiency"] is not None else typ["drive"]
        regen = d["regen_fraction"] if d["regen_fraction"] is not None else typ["regen"]
        if d["drive"] == "inverter_resistor":
            regen = 0.0
        mag = d["magnetising_kj"] if d["magnetising_kj"] is not None else typ["magnetising_kj"]
        out.append(
            DriveParams(
                drive=d["drive"],
                eta=motor * conv * mech,
                regen=regen,
                fixed_kj=d["brake_release_kj"] + mag,
                plugging=bool(d["plugging"]) and d["drive"] == "wound_rotor_contactor",
                standby_kw=d["standby_kw"],
                cab_kw=d["cab_kw"] * d["cab_duty"],
            )
        )
    return out


def physics_of(sc) -> Physics:
    e = sc.energy
    return Physics(
        rotating_mass_factor=e.rotating_mass_factor,
        rolling_resistance=e.rolling_resistance,
        breakaway_factor=e.breakaway_factor,
        breakaway_s=e.breakaway_s,
        bridge_mass_t=e.bridge_mass_t,
        trolley_mass_t=e.trolley_mass_t,
        lifting_device_mass_t=e.lifting_device_mass_t,
    )
