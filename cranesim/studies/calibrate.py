"""Calibrate the assumptions to a plant's meter readings (a Bayesian update by importance weights).

Input: a CSV of metered energy per crane and period, in either mode (``#`` lines are comments)::

    mode,crane,hours,kwh,lifts
    manual,C1,24,61.5,210
    automated,C1,24,48.2,221

``lifts`` (lifts completed by that crane in the period) is optional but is what makes motion
energy identifiable.  Per mode the readings are fitted by least squares,

    kwh = base_kw · hours + kwh_per_lift · lifts       (or kwh = mean_kw · hours without lifts),

with the fitted values' covariance from the residuals.  What a meter can identify follows from
this form, and is all it can:

* ``base_kw`` of the automated cranes is their standby alone: ``automated_standby_kw`` is
  identified;
* ``base_kw`` of the manned cranes is standby + cab input × duty × staffed share: only that sum
  is identified; standby, cab input and duty trade off against each other (a separate cab meter,
  or periods with the cab off, would split them);
* ``kwh_per_lift`` of each mode is the priced motion energy per lift: it separates the manual
  drive types (a wound-rotor crane draws far more per lift with the same moves) but not motor
  efficiency, rolling resistance and lifting-device mass from each other, and only as far as the
  scenario's layout and crew match the plant's (a model error of ``model_error`` is allowed).

Every joint sample of :func:`cranesim.studies.uncertainty.propagate` (all ``N·(D + 2)`` rows of
the scheme, each a draw from the prior) is weighted by the likelihood of the fitted values given
the sample's predictions; the weighted samples are the calibrated distribution: its
``P(saving > claim)``, the assumptions' posterior means and spreads, and the effective sample
size.  An assumption counts as identified when its posterior spread is under half its prior's.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from cranesim.errors import UserError

__all__ = ["read_meters", "read_checked_meters", "fit_meters", "calibrate", "EXAMPLE"]

#: the shipped synthetic meter file (made by :func:`cranesim.studies.meters.write_example`, see its header)
EXAMPLE = "meters_example.csv"
MODEL_ERROR = 0.05  # relative model error allowed on the predicted energy per lift and base load


def read_meters(path: str | Path) -> list[dict[str, Any]]:
    """The rows of a meter CSV; a bad file is a :class:`UserError` naming the file and row."""
    from cranesim.scenario.files import read_input

    data = read_input(path, "a meter CSV file", label="--meters ")
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark, as spreadsheets write, is fine
    except UnicodeDecodeError as exc:
        raise UserError(
            f"--meters {path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    need = {"mode", "crane", "hours", "kwh"}
    if reader.fieldnames is None or not need <= set(reader.fieldnames):
        raise UserError(
            f"--meters {path}: needs the columns {', '.join(sorted(need))} (and optionally lifts)"
        )
    rows = []
    for i, r in enumerate(reader, start=2):
        try:
            row = {"mode": r["mode"].strip(), "crane": r["crane"].strip(),
                   "hours": float(r["hours"]), "kwh": float(r["kwh"])}  # fmt: skip
            if r.get("lifts") not in (None, ""):
                row["lifts"] = float(r["lifts"])
        except (TypeError, ValueError):
            raise UserError(
                f"--meters {path}: row {i}: hours, kwh and lifts must be numbers"
            ) from None
        if row["mode"] not in ("manual", "automated"):
            raise UserError(f"--meters {path}: row {i}: mode must be manual or automated")
        if row["hours"] <= 0 or row["kwh"] < 0:
            raise UserError(f"--meters {path}: row {i}: hours must be > 0 and kwh >= 0")
        rows.append(row)
    if not rows:
        raise UserError(f"--meters {path}: no readings")
    return rows


def fit_meters(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Least-squares fit per mode: ``{mode: {names, value, cov, rows}}`` (see the module doc)."""
    out = {}
    for mode in ("manual", "automated"):
        rs = [r for r in rows if r["mode"] == mode]
        if not rs:
            continue
        y = np.array([r["kwh"] for r in rs])
        h = np.array([r["hours"] for r in rs])
        lifts = all("lifts" in r for r in rs)
        X = np.stack([h, np.array([r["lifts"] for r in rs])], axis=1) if lifts else h[:, None]
        names = ["base_kw", "kwh_per_lift"] if lifts else ["mean_kw"]
        if lifts and np.linalg.matrix_rank(X) < 2:
            X, names = h[:, None], ["mean_kw"]
        beta, *_ = np.linalg.lstsq(X, y, rcond=None)
        dof = max(len(y) - X.shape[1], 1)
        s2 = float(np.sum((y - X @ beta) ** 2) / dof)
        cov = s2 * np.linalg.inv(X.T @ X)
        out[mode] = {"names": names, "value": beta, "cov": cov, "rows": len(rs)}
    return out


def _predictions(sc, rp, values, S, res, R) -> dict[str, dict[str, np.ndarray]]:
    """Per sample: base kW per crane, motion kWh per lift and mean kW, for each mode."""
    e = rp.energies(values, S)
    n = len(sc.cranes)
    H = rp.hours
    staffed = rp.staffed_h.mean(axis=0) / H  # share per crane
    from cranesim.physics.reprice import sampled_drives

    out = {}
    for mode in ("manual", "automated"):
        d = sampled_drives(
            sc,
            mode,
            {k: v for k, v in values.items() if k not in {a.name for a in rp.behaviour}},
            S,
        )
        share = staffed if mode == "manual" else np.ones(n)
        base = (d.standby_kw + d.cab_kw * share[None, :]).mean(axis=1)
        lifts = sum(sum(res[("base", mode, r)]["lifts_by_crane"]) for r in range(R))
        motion = e[f"{mode}_motion"].sum(axis=0)  # (S,) over the replications
        out[mode] = {"base_kw": base, "kwh_per_lift": motion / max(lifts, 1),
                     "mean_kw": base + motion / (R * H * n)}  # fmt: skip
    return out


def read_checked_meters(path: str, sc) -> list[dict[str, Any]]:
    """The readings of ``path`` (:func:`read_meters`), each of a crane of the scenario
    (:class:`~cranesim.errors.UserError` naming the first that is not)."""
    rows = read_meters(path)
    names = {c.name for c in sc.cranes}
    bad = sorted({r["crane"] for r in rows} - names)
    if bad:
        raise UserError(
            f"--meters {path}: crane {bad[0]} is not in the scenario ({', '.join(sorted(names))})"
        )
    return rows


def calibrate(sc, rp, unc: dict, path: str, res: dict, R: int, H: float) -> dict[str, Any]:
    """Weights of the joint samples given the meter readings in ``path``; the calibrated
    distribution of both readings' savings and of the assumptions."""
    from cranesim.studies.uncertainty import _quantiles

    rows = read_checked_meters(path, sc)
    fits = fit_meters(rows)
    U_rows = unc.get("_rows")
    if U_rows is None:
        raise UserError("--meters needs the assumptions' joint samples (drop --no-uncertainty)")
    values, savings, assump = U_rows["values"], U_rows["savings"], U_rows["assumptions"]
    S = len(U_rows["U"])
    pred = _predictions(sc, rp, values, S, res, R)
    ll = np.zeros(S)
    for mode, f in fits.items():
        mu = np.stack([pred[mode][k] for k in f["names"]], axis=1)  # (S, p)
        model_cov = (MODEL_ERROR * mu) ** 2  # diagonal, per sample
        for s0 in range(0, S, 4096):
            sl = slice(s0, s0 + 4096)
            cov = f["cov"][None, :, :] + np.einsum(
                "sp,pq->spq", model_cov[sl], np.eye(len(f["names"]))
            )
            r = f["value"][None, :] - mu[sl]
            ll[sl] += -0.5 * np.einsum("sp,sp->s", r, np.linalg.solve(cov, r[..., None])[..., 0])
            ll[sl] += -0.5 * np.log(np.linalg.det(cov))
    w = np.exp(ll - ll.max())
    w /= w.sum()
    ess = float(1.0 / np.sum(w * w))
    claim = sc.compare.claim_saving_pct
    readings = {}
    for name in ("motion", "feeder"):
        y = savings[name]
        order = np.argsort(y)
        cw = np.cumsum(w[order])
        q = [float(y[order][np.searchsorted(cw, p)]) for p in (0.05, 0.5, 0.95)]
        prior = _quantiles(y, claim)
        readings[name] = {"mean": float(w @ y), "p05": q[0], "p50": q[1], "p95": q[2],
                          "p_claim": float(w @ (y > claim)), "prior_p_claim": prior["p_claim"]}  # fmt: skip
    params = {}
    for a in assump:
        v = values[a.name]
        if a.discrete:
            params[a.name] = {
                "prior": {o: float(np.mean(v == o)) for o in a.spec.options},
                "posterior": {o: float(w @ (v == o)) for o in a.spec.options},
            }
            post = max(params[a.name]["posterior"].values())
            params[a.name]["identified"] = post >= 0.9 and post > max(
                params[a.name]["prior"].values()
            )
            continue
        v = np.asarray(v, float)
        m = float(w @ v)
        sd = float(np.sqrt(w @ (v - m) ** 2))
        params[a.name] = {"prior_mean": float(v.mean()), "prior_sd": float(v.std()),
                          "posterior_mean": m, "posterior_sd": sd,
                          "identified": sd < 0.5 * float(v.std())}  # fmt: skip
    man_base = pred["manual"]["base_kw"]
    params["manual_base_kw"] = {"prior_mean": float(man_base.mean()), "prior_sd": float(man_base.std()),
                                "posterior_mean": float(w @ man_base),
                                "posterior_sd": float(np.sqrt(w @ (man_base - w @ man_base) ** 2)),
                                "identified": True}  # fmt: skip
    ident = [a.label for a in assump if params[a.name]["identified"]]
    text = (
        f"calibrated to {len(rows)} meter readings ({path}): effective sample size "
        f"{ess:.0f} of {S}; P(saving > {claim:g}%) motion {readings['motion']['p_claim']:.2f} "
        f"(prior {readings['motion']['prior_p_claim']:.2f}), feeder "
        f"{readings['feeder']['p_claim']:.2f} (prior {readings['feeder']['prior_p_claim']:.2f}); "
        f"identified: {', '.join(ident) if ident else 'none'}, and the manned base load "
        f"(standby + cab) {params['manual_base_kw']['posterior_mean']:.2f} kW per crane"
    )
    if ess < 50:
        text += (
            f" (only {ess:.0f} effective samples: the meters are far more precise than the "
            "assumptions' ranges; raise --samples for steadier calibrated figures)"
        )
    return {
        "file": str(path),
        "readings": readings,
        "parameters": params,
        "fits": {
            m: {
                "names": f["names"],
                "value": f["value"].tolist(),
                "sd": np.sqrt(np.diag(f["cov"])).tolist(),
                "rows": f["rows"],
            }
            for m, f in fits.items()
        },  # fmt: skip
        "effective_sample_size": ess,
        "samples": S,
        "model_error": MODEL_ERROR,
        "text": text,
    }
