"""The crews: who drives the cranes and picks their lifts, as every command builds them.

* the automated cranes (:func:`automated_cranes`, crew ``"automated"`` of :func:`crew_cranes`):
  anti-sway shaping (:class:`~cranesim.physics.planners.ShapedPlanner`), the ``[scheduler]``
  policy, every stage priced by the automated drives; ``cranesim run``, ``compare`` and
  ``animate`` use it;
* crew ``"plain"``: plain trapezoid moves, no energy accounting (``cranesim run --no-energy``);
* the manual crew (:func:`build_planner` with ``"manual"``, :func:`~cranesim.model.dispatch.human_dispatch`): the modelled
  driver (:class:`~cranesim.physics.driver.ManualPlanner`) and the crew's dispatch rules
  (:class:`~cranesim.model.dispatch.HumanDispatch`), given to the warehouse as its scheduler.

:func:`crew_warehouse` is the one place that puts a crew into a warehouse: ``cranesim compare``
(every step of its chain) and ``cranesim animate --side-by-side`` (both panes) call it, so the
animated manual pane is the baseline that ``compare`` scores.
"""

from __future__ import annotations

from typing import Any, Callable

from cranesim.model.dispatch import human_dispatch
from cranesim.physics.driver import ManualPlanner
from cranesim.physics.energy import EnergyModel
from cranesim.physics.planners import ShapedPlanner
from cranesim.scenario.schema import Scenario

__all__ = [
    "CREWS",
    "VARIANTS",
    "automated_cranes",
    "build_planner",
    "crew_cranes",
    "crew_warehouse",
]

VARIANTS = ("manual", "auto_traj", "auto_sway", "automated")
#: the crews of :func:`crew_cranes` (``cranesim run`` and :func:`cranesim.model.run`)
CREWS = ("automated", "plain")


def build_planner(sc: Scenario, variant: str):
    """Planner and scheduling policy of one step of the chain (see the module docstring)."""
    specs = sc.crane_specs()
    top = sc.bay.hook_travel_height_m
    if variant == "automated":
        return ShapedPlanner(specs, top, sc.sway), sc.scheduler.policy
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    traj = "manual" if variant == "manual" else "automated"
    sway = "shaped" if variant == "auto_sway" else "manual"
    return ManualPlanner(specs, top, sc.manual, sc.sway, traj, sway), sc.manual.policy


def crew_warehouse(
    sc: Scenario,
    seed: int,
    variant: str,
    *,
    sink: Callable[[tuple], None] | None = None,
    energy: EnergyModel | None = None,
):
    """The warehouse run by the crew of one step of the chain (``VARIANTS``).

    ``"automated"``: anti-sway cranes and the ``[scheduler] policy``; every other step: the
    driver model and, unless the crew's policy is ``greedy``, :class:`~cranesim.model.dispatch.HumanDispatch` picking the
    lifts around the ``[manual] policy``.  ``sink`` and ``energy`` are passed to the model.
    """
    from cranesim.model.warehouse import Warehouse  # late: it imports the compiled scheduler

    planner, policy = build_planner(sc, variant)
    dispatch = None  # the core, running ``policy``
    if variant != "automated" and policy != "greedy":
        dispatch = human_dispatch(sc.manual)  # drivers pick their lifts
    return Warehouse(
        sc, seed, sink=sink, planner=planner, policy=policy, energy=energy, scheduler=dispatch
    )


def automated_cranes(sc: Scenario) -> dict[str, Any]:
    """``planner`` and ``energy`` for :func:`cranesim.model.run`: the automated cranes as
    ``cranesim run`` simulates them (anti-sway shaping as this module models them, every stage
    priced, no per-move energy log)."""
    planner, _ = build_planner(sc, "automated")
    return {"planner": planner, "energy": EnergyModel(sc, "automated", log=False)}


def crew_cranes(sc: Scenario, crew: str) -> dict[str, Any]:
    """``planner`` and ``energy`` of a crew of :data:`CREWS`: ``"automated"``
    (:func:`automated_cranes`) or ``"plain"`` (plain trapezoid moves, no energy: both ``None``,
    the warehouse's defaults)."""
    if crew == "automated":
        return automated_cranes(sc)
    if crew == "plain":
        return {"planner": None, "energy": None}
    raise ValueError(f"crew must be one of {', '.join(map(repr, CREWS))}, not {crew!r}")
