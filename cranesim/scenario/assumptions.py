"""The ``[uncertainty]`` section: the uncertain assumptions of ``cranesim compare``.

Each assumption is a range or a discrete choice with its source, in classes of their own, apart
from the scenario values they vary: the scenario's own value is the nominal one (the break-even
table varies one assumption with the others nominal), the distribution is what the joint
propagation (:mod:`cranesim.studies.uncertainty`) samples.  ``dist = "fixed"`` keeps an
assumption at the scenario's value (a plant that knows it, e.g. from its drive nameplates).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from cranesim.scenario.base import Model

__all__ = ["Range", "Choice", "EnergyAssumptions", "BehaviourAssumptions", "Uncertainty"]


class Range(Model):
    """An uncertain number: ``uniform`` or ``triangular`` (``mode``) on ``[low, high]``, or
    ``fixed`` (the scenario's value, not varied)."""

    dist: Literal["uniform", "triangular", "fixed"] = "uniform"
    low: float = Field(default=0.0, allow_inf_nan=False)
    high: float = Field(default=0.0, allow_inf_nan=False)
    mode: float | None = Field(default=None, allow_inf_nan=False)
    source: str = ""
    """Where the range comes from (a citation, or "own estimate" with the reasoning)."""

    @model_validator(mode="after")
    def _bounds(self) -> "Range":
        if self.dist != "fixed" and not self.low < self.high:
            raise ValueError(f"low={self.low} must be below high={self.high}")
        if self.dist == "triangular" and not (
            self.mode is not None and self.low <= self.mode <= self.high
        ):
            raise ValueError("a triangular range needs low <= mode <= high")
        return self


class Choice(Model):
    """An uncertain discrete choice: ``options`` with probabilities ``weights`` (or ``fixed``)."""

    dist: Literal["choice", "fixed"] = "choice"
    options: list[str] = Field(default_factory=list, max_length=10)
    weights: list[Annotated[float, Field(ge=0, le=1)]] = Field(default_factory=list)
    source: str = ""

    @model_validator(mode="after")
    def _weights(self) -> "Choice":
        if self.dist == "fixed":
            return self
        if len(self.options) < 2 or len(self.weights) != len(self.options):
            raise ValueError("a choice needs at least two options and one weight per option")
        if abs(sum(self.weights) - 1.0) > 1e-6:
            raise ValueError(f"weights must sum to 1 (they sum to {sum(self.weights):.6g})")
        return self


def _u(low: float, high: float, source: str) -> Range:
    return Range(low=low, high=high, source=source)


_MANUAL_DRIVES = ("wound_rotor_contactor", "inverter_resistor")


class EnergyAssumptions(Model):
    """Assumptions that only price the recorded moves again (no new simulation)."""

    manual_drive: Choice = Choice(
        options=list(_MANUAL_DRIVES),
        weights=[0.5, 0.5],
        source="no drive data published; older cranes have slip-ring motors on contactors, newer "
        "ones inverters (domain brief): even odds until the plant says which",
    )
    automated_drive: Choice = Choice(
        options=["inverter_resistor", "inverter_regen"],
        weights=[0.8, 0.2],
        source="regenerative front ends are rare (domain brief)",
    )
    regen_fraction: Range = _u(
        0.5,
        0.65,
        "regenerative inverter, after losses: the brief's "
        "r 0.6-0.8 times the chain efficiency ~0.82",
    )
    wound_rotor_regen_fraction: Range = _u(
        0.0,
        0.8,
        "supersynchronous lowering on the mains: "
        "0 if the supply takes nothing back, ~0.8 after motor, "
        "gear and slip losses (own estimate)",
    )
    motor_efficiency: Range = _u(
        0.85, 0.93, "motor efficiency, both modes (domain brief: chain 0.8-0.9)"
    )
    rolling_resistance: Range = _u(0.005, 0.010, "w = 0.005-0.010 (domain brief)")
    rotating_mass_factor: Range = _u(1.05, 1.15, "m_eq = 1.05-1.15 m (domain brief)")
    breakaway_factor: Range = _u(1.5, 2.0, "1.5-2x rolling resistance (domain brief)")
    lifting_device_mass_t: Range = _u(
        1.0, 4.0, "C-hook 1-1.5 t, motorised tongs 2-4 t (domain brief)"
    )
    cab_kw: Range = _u(
        1.0,
        2.5,
        "electrical input at full load: 3-5 kW cooling capacity over "
        "COP 2-3 (domain brief, corrected)",
    )
    cab_duty: Range = _u(
        0.3,
        1.0,
        "compressor duty over a year: near 1 in a hot bay in summer, "
        "far less in spring and autumn (own estimate; no metered figure found)",
    )
    manual_standby_kw: Range = _u(0.5, 1.5, "controls and lights of a manned crane (own estimate)")
    automated_standby_kw: Range = _u(
        1.0,
        2.5,
        "controls, lights, scanners, cameras, radio and "
        "computers of an unmanned crane (own estimate)",
    )


class BehaviourAssumptions(Model):
    """Assumptions about the manual driver: they change the moves, so they need new runs."""

    jogs_per_positioning_mean: Range = _u(
        2.0, 5.0, "'several micro-speed jogs' (issue); own estimate"
    )
    counter_sway_share: Range = _u(
        0.0, 1.0, "drivers wait for the swing or drive into it (domain brief)"
    )
    speed_fraction: Range = _u(0.7, 1.0, "share of top speed on main moves (own estimate)")
    overshoot_m_mean: Range = _u(0.15, 0.6, "stop-short error before creeping in (own estimate)")


class Uncertainty(Model):
    """How ``cranesim compare`` propagates the assumptions (``[uncertainty]``)."""

    samples: Annotated[int, Field(ge=16, le=65_536)] = 256
    """Joint quasi-Monte Carlo samples (scrambled Sobol); the indices take samples x (D + 2)."""
    behaviour_runs: Annotated[int, Field(ge=0, le=1000)] = 12
    """Manual runs at a Latin hypercube of the driver assumptions (0: driver assumptions fixed),
    one replication each on the replications' seeds in turn; an emulator interpolates them."""
    energy: EnergyAssumptions = EnergyAssumptions()
    behaviour: BehaviourAssumptions = BehaviourAssumptions()
