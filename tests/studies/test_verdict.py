"""The statistics of the verdict against independent references: Sobol indices of the Ishigami
function (closed form), break-even by Brent's method against the closed form of a linear and of
the feeder reading's linear-fractional saving, quantile functions against scipy; then the
"done when" cases of issue 14 and the calibration to the shipped synthetic meter file."""

from __future__ import annotations

from math import pi
from pathlib import Path

import numpy as np
import pytest

from cranesim.scenario.assumptions import Choice, Range
from cranesim.studies.compare import CompareSettings, run_comparison
from cranesim.studies.uncertainty import Assumption, breakeven, saltelli_unit, sobol_indices

CONFIGS = Path(__file__).resolve().parents[2] / "configs"


def test_sobol_indices_of_the_ishigami_function():
    """f = sin x1 + 7 sin² x2 + 0.1 x3⁴ sin x1 on [-π, π]³ (Ishigami & Homma 1990): first-order
    0.3139, 0.4424, 0 and total 0.5576, 0.4424, 0.2437 (Sobol' & Levitan 1999)."""
    N = 4096
    U = saltelli_unit(3, N, seed=1)
    x = -pi + 2 * pi * U
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    idx = sobol_indices(y, ["x1", "x2", "x3"], seed=1)
    for n, s1, st in (("x1", 0.3139, 0.5576), ("x2", 0.4424, 0.4424), ("x3", 0.0, 0.2437)):
        assert idx[n]["S1"] == pytest.approx(s1, abs=0.03), n
        assert idx[n]["ST"] == pytest.approx(st, abs=0.03), n
    # the scheme's A and B blocks are the two halves of the Sobol points, rows in SALib's order
    X = U.reshape(N, 5, 3)
    assert np.array_equal(X[:, 1, 1:], X[:, 0, 1:]) and np.array_equal(X[:, 1, 0], X[:, 4, 0])


def test_breakeven_of_a_linear_toy_is_its_closed_form():
    a, b, target = 12.0, 7.5, 30.0
    x = breakeven(lambda v: a + b * v, 0.0, 5.0, target)
    assert x == pytest.approx((target - a) / b, abs=1e-9)
    assert breakeven(lambda v: a + b * v, 0.0, 1.0, target) is None  # the claim is out of reach
    assert breakeven(lambda v: a - b * v, -5.0, 0.0, target) == pytest.approx((a - target) / b)


def test_quantile_functions():
    from scipy import stats

    u = np.linspace(0.001, 0.999, 101)
    tri = Assumption("t", "energy", Range(dist="triangular", low=1.0, high=4.0, mode=1.5), 1.5, "t")
    ref = stats.triang(c=0.5 / 3.0, loc=1.0, scale=3.0).ppf(u)
    np.testing.assert_allclose(tri.value(u), ref, rtol=1e-12)
    ch = Assumption(
        "c", "energy", Choice(options=["a", "b", "c"], weights=[0.2, 0.5, 0.3]), "a", "c"
    )
    v = ch.value((np.arange(10_000) + 0.5) / 10_000)
    assert [np.mean(v == o) for o in "abc"] == pytest.approx([0.2, 0.5, 0.3], abs=1e-3)


@pytest.fixture(scope="module")
def default_sc():
    from cranesim.scenario.load import load_config

    return load_config(None)


def _fixed(sc, *names):
    return sc.derive({f"uncertainty.energy.{n}": {"dist": "fixed"} for n in names})


def test_feeder_breakeven_of_the_cab_is_the_closed_form(default_sc):
    """Others nominal and one replication, the feeder saving is linear-fractional in the cab's
    input: 1 - A/(M + SB + x·duty·staffed); its break-even by Brent's method equals the algebra."""
    from cranesim.studies.compare import run_variant
    from cranesim.studies.uncertainty import Repricer, _breakevens, assumptions

    sc, H = default_sc, 12.0
    runs = [run_variant(sc, v, 5, H, keep_sums=True) for v in ("manual", "automated")]
    rp = Repricer(
        sc, [runs[0]["sums"]], [runs[1]["sums"]], np.array([runs[0]["staffed_h"]], float), H
    )
    cab = next(a for a in assumptions(sc) if a.name == "cab_kw")
    e = {k: float(v[0, 0]) for k, v in rp.energies({}, 1).items()}
    claim = 100.0 * (
        1.0
        - (e["automated_motion"] + e["automated_standby"])
        / (e["manual_motion"] + e["manual_standby"] + e["manual_cab"] * 1.6 / 1.75)
    )
    staffed = float(np.sum(runs[0]["staffed_h"]))
    want = (
        (e["automated_motion"] + e["automated_standby"]) / (1 - claim / 100)
        - e["manual_motion"]
        - e["manual_standby"]
    ) / (sc.energy.manual.cab_duty * staffed)
    be = _breakevens(rp, [cab], "feeder", claim)["cab_kw"]
    assert want == pytest.approx(1.6, rel=1e-9)  # the algebra itself
    assert be["value"] == pytest.approx(want, rel=1e-7) and be["claim_holds"] == "above"


def test_no_cab_and_the_same_drives_is_not_supported(default_sc):
    """Issue 14, done when: with cab_kw = 0 and the manual drives equal to the automated ones,
    both readings say 'not supported'."""
    sc = default_sc.derive(
        {"energy.manual.cab_kw": 0.0, "energy.manual.drive": "inverter_resistor"}
    )
    sc = _fixed(sc, "cab_kw", "cab_duty", "manual_drive", "automated_drive")  # equal drives
    r = run_comparison(
        sc, CompareSettings(replications=2, hours=24.0, seed=3, samples=32, behaviour_runs=0)
    )
    assert r["baseline_comparable"], r["baseline_note"]
    for name in ("motion", "feeder"):
        assert r["readings"][name]["verdict"] == "not supported", r["readings"][name]["text"]
        assert r["readings"][name]["p_claim"] == 0.0
    assert r["verdict"] == "not supported"


def test_small_config_is_inconclusive_with_the_reason(small):
    r = run_comparison(
        small, CompareSettings(replications=2, hours=8.0, seed=7, samples=16, behaviour_runs=0)
    )
    assert not r["baseline_comparable"]
    assert r["verdict"] == "inconclusive: baseline not comparable"
    assert "coils" in r["baseline_note"] and "tolerance" in r["baseline_note"]
    assert all(r["readings"][n]["verdict"] == r["verdict"] for n in ("motion", "feeder"))


def test_calibration_recovers_the_synthetic_meters_parameters(default_sc):
    """configs/meters_example.csv was made from a run with known parameters
    (meters.EXAMPLE_TRUTH); calibrating a short comparison on other seeds to it recovers
    the identifiable ones: the manual drive type, the automated standby, the manned base load."""
    from cranesim.studies.meters import EXAMPLE_TRUTH

    r = run_comparison(
        default_sc,
        CompareSettings(
            replications=2,
            hours=24.0,
            seed=101,
            samples=128,
            behaviour_runs=0,
            meters=str(CONFIGS / "meters_example.csv"),
        ),
    )
    c = r["calibration"]
    p = c["parameters"]
    assert p["manual_drive"]["posterior"][EXAMPLE_TRUTH["energy.manual.drive"]] > 0.9
    assert p["automated_standby_kw"]["posterior_mean"] == pytest.approx(2.0, abs=0.25)
    assert p["automated_standby_kw"]["identified"]
    share = r["totals"]["manual_staffed_share"]
    base = 1.2 + 2.0 * 0.8 * share
    assert p["manual_base_kw"]["posterior_mean"] == pytest.approx(base, abs=0.25)
    assert p["manual_base_kw"]["posterior_sd"] < 0.5 * p["manual_base_kw"]["prior_sd"]
    assert c["effective_sample_size"] > 5


def test_meters_of_a_crane_not_in_the_scenario_stop_before_the_runs(small, monkeypatch):
    import cranesim.studies.compare as compare_mod
    from cranesim.errors import UserError

    meters = CONFIGS / "meters_example.csv"  # C1..C4; small has C1 and C2
    monkeypatch.setattr(compare_mod, "run_comparison", lambda *a, **k: pytest.fail("ran"))
    with pytest.raises(UserError) as err:
        compare_mod.compare(small, meters=str(meters))
    assert str(err.value) == f"--meters {meters}: crane C3 is not in the scenario (C1, C2)"
