"""The many-parameter-set pricer against the per-move energy table, and the vectorised drive
resolution against the scenario's own (one parameter set at a time)."""

from __future__ import annotations

import numpy as np
import pytest

from cranesim.physics.drives import Physics, resolve_drives
from cranesim.physics.energy import MoveLog, energy_table
from cranesim.physics.kinematics import AxisMove
from cranesim.physics.reprice import MoveSums, physics_draws, sampled_drives
from cranesim.scenario.load import load_config


def _random_log(rng, n_cranes, n=600):
    log = MoveLog()
    for _ in range(n):
        axis = int(rng.integers(0, 3))
        v = float(rng.uniform(0.02, 1.8))
        # accelerations around the sign changes (w·g/k ~ 0.04-0.09) and beyond
        a = float(rng.choice([rng.uniform(0.01, 0.12), rng.uniform(0.1, 0.5)]))
        d = float(rng.choice([rng.uniform(0.01, 0.3), rng.uniform(0.3, 60.0)]))
        sgn = 1.0 if rng.random() < 0.5 else -1.0
        load = float(rng.choice([0.0, rng.uniform(1.8, 2.5)]))
        m = AxisMove(axis, float(rng.uniform(0, 1e4)), 10.0, 10.0 + sgn * d, v, a, load)
        vr = v / float(rng.choice([1.0, 0.9, 0.1]))
        log.append(int(rng.integers(0, n_cranes)), axis, sgn > 0, load, m, vr, 0)
    return log


@pytest.mark.parametrize("mode", ["manual", "automated"])
def test_move_sums_price_as_the_energy_table(mode):
    sc = load_config(None)
    sc = sc.derive(
        {
            "energy.manual.overrides": {"C3": {"drive": "inverter_regen"}},
            "energy.manual.plugging": True,
        },
    )
    rng = np.random.default_rng(11)
    log = _random_log(rng, len(sc.cranes))
    S = 40
    draws = {
        "manual_drive": rng.choice(["wound_rotor_contactor", "inverter_resistor"], S),
        "automated_drive": rng.choice(["inverter_resistor", "inverter_regen"], S),
        "regen_fraction": rng.uniform(0.5, 0.65, S),
        "wound_rotor_regen_fraction": rng.uniform(0.0, 0.8, S),
        "motor_efficiency": rng.uniform(0.85, 0.93, S),
        "rolling_resistance": rng.uniform(0.005, 0.01, S),
        "rotating_mass_factor": rng.uniform(1.05, 1.15, S),
        "breakaway_factor": rng.uniform(1.5, 2.0, S),
        "lifting_device_mass_t": rng.uniform(1.0, 4.0, S),
    }
    sums = MoveSums(
        log.arrays(),
        len(sc.cranes),
        sc.energy.breakaway_s,
        sc.energy.bridge_mass_t,
        sc.energy.trolley_mass_t,
    )
    got = sums.price(physics_draws(sc, draws, S), sampled_drives(sc, mode, draws, S))
    crane = log.arrays()["crane"]
    for s in range(S):
        one = {k: (v[s].item() if hasattr(v[s], "item") else v[s]) for k, v in draws.items()}
        changes = {
            f"energy.{k}": one[k]
            for k in (
                "rolling_resistance",
                "rotating_mass_factor",
                "breakaway_factor",
                "lifting_device_mass_t",
            )
        }
        changes[f"energy.{mode}.drive"] = one[f"{mode}_drive"]
        changes[f"energy.{mode}.motor_efficiency"] = one["motor_efficiency"]
        if mode == "manual" and one["manual_drive"] != "wound_rotor_contactor":
            changes["energy.manual.plugging"] = False
        sc1 = sc.derive(changes)
        params = list(resolve_drives(sc1, mode))
        regen = {
            "inverter_regen": one["regen_fraction"],
            "wound_rotor_contactor": one["wound_rotor_regen_fraction"],
        }
        params = [type(p)(**{**p.__dict__, "regen": regen.get(p.drive, p.regen)}) for p in params]
        e = sc1.energy
        phys = Physics(
            e.rotating_mass_factor,
            e.rolling_resistance,
            e.breakaway_factor,
            e.breakaway_s,
            e.bridge_mass_t,
            e.trolley_mass_t,
            e.lifting_device_mass_t,
        )
        net = energy_table(log, params, phys)["net"]
        want = np.bincount(crane, weights=net, minlength=len(sc.cranes))
        np.testing.assert_allclose(got[s], want, rtol=1e-9, atol=1e-6)


def test_sampled_drives_without_draws_are_the_scenarios():
    sc = load_config(None)
    sc = sc.derive(
        {"energy.manual.overrides": {"C2": {"drive": "inverter_resistor", "cab_kw": 2.0}}}
    )
    for mode in ("manual", "automated"):
        d = sampled_drives(sc, mode, {}, 3)
        for c, p in enumerate(resolve_drives(sc, mode)):
            assert d.eta[0, c] == pytest.approx(p.eta)
            assert d.regen[0, c] == pytest.approx(p.regen)
            assert d.fixed_j[0, c] == pytest.approx(p.fixed_kj * 1000.0)
            assert bool(d.wound_rotor[0, c]) == p.wound_rotor
            assert d.cab_kw[0, c] == pytest.approx(p.cab_kw)
            assert d.standby_kw[0, c] == pytest.approx(p.standby_kw)
