"""Synthetic meter readings: what a plant's crane feeder meters would show for a run.

:func:`synthetic_meters` simulates a scenario with chosen assumptions and sums each crane's
energy (motion, standby, cab) per period, with a little measurement noise; :func:`write_example`
made the shipped ``configs/meters_example.csv`` (assumptions :data:`EXAMPLE_TRUTH`), on which
:mod:`cranesim.studies.calibrate` is tested to recover those values::

    python -c "from cranesim.studies.meters import write_example; write_example('configs/meters_example.csv')"
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cranesim.studies.calibrate import EXAMPLE

__all__ = ["EXAMPLE", "EXAMPLE_TRUTH", "synthetic_meters", "write_example"]


def synthetic_meters(
    sc, truth: dict[str, Any], seed: int, hours: float, period_h: float, noise: float = 0.02
) -> list[dict[str, Any]]:
    """Meter readings of a run of ``sc`` with the assumptions set to ``truth`` (scenario keys,
    e.g. ``{"energy.manual.cab_kw": 2.0}``): kWh and lifts per crane and period, each reading
    with ``noise`` relative Gaussian error (seeded)."""
    from cranesim.physics.drives import physics_of, resolve_drives
    from cranesim.physics.energy import energy_table
    from cranesim.studies.compare import run_variant

    sc = sc.derive(truth)
    rng = np.random.default_rng(seed + 1)
    n_per = int(round(hours / period_h))
    out = []
    for mode in ("manual", "automated"):
        run = run_variant(sc, mode, seed, hours, keep_log=True)
        params = resolve_drives(sc, mode)
        net = energy_table(run["log"], params, physics_of(sc))["net"] / 3.6e6
        per = np.minimum((run["log"]["t0"] // (period_h * 3600.0)).astype(int), n_per - 1)
        crane = run["log"]["crane"].astype(int)
        share = np.asarray(run["staffed_h"]) / hours
        for c, spec in enumerate(sc.cranes):
            p = params[c]
            lifts_t = [t for k, t in run["lift_t"] if k == c]
            for k in range(n_per):
                motion = float(net[(crane == c) & (per == k)].sum())
                kwh = motion + (p.standby_kw + p.cab_kw * share[c]) * period_h
                n_l = sum(
                    1 for t in lifts_t if k * period_h * 3600 <= t < (k + 1) * period_h * 3600
                )
                out.append({"mode": mode, "crane": spec.name, "hours": period_h,
                            "kwh": round(kwh * (1.0 + noise * rng.standard_normal()), 2),
                            "lifts": n_l})  # fmt: skip
    return out


#: the known parameters of the shipped example (scenario keys)
EXAMPLE_TRUTH = {
    "energy.manual.drive": "wound_rotor_contactor",
    "energy.manual.cab_kw": 2.0,
    "energy.manual.cab_duty": 0.8,
    "energy.manual.standby_kw": 1.2,
    "energy.automated.standby_kw": 2.0,
}


def write_example(
    path: str | Path, seed: int = 20240601, hours: float = 72.0, period_h: float = 12.0
) -> None:
    """Write the shipped example: the packaged default scenario with :data:`EXAMPLE_TRUTH`."""
    from cranesim.record.atomic import atomic_write_text
    from cranesim.scenario.load import load_config

    rows = synthetic_meters(load_config(None), EXAMPLE_TRUTH, seed, hours, period_h)
    head = [
        "# Synthetic meter readings (not plant data): cranesim.studies.meters.write_example,",
        f"# the packaged default scenario, seed {seed}, {hours:g} h per mode, {period_h:g} h periods,",
        "# 2% meter noise, with these assumptions (the rest at the scenario's values):",
        *(f"#   {k} = {v}" for k, v in EXAMPLE_TRUTH.items()),
        "# i.e. manned base load 1.2 + 2.0 x 0.8 x staffed share per crane.",
        "mode,crane,hours,kwh,lifts",
    ]
    body = [f"{r['mode']},{r['crane']},{r['hours']:g},{r['kwh']},{r['lifts']}" for r in rows]
    atomic_write_text(Path(path), "\n".join(head + body) + "\n")
