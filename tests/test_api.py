"""The public API (``cranesim.load_config``, ``run``, ``compare``) and the command line agree."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import cranesim
from cranesim.errors import UserError


def test_the_api_imports_from_the_package(tmp_path):
    """In a fresh process: ``import cranesim`` is cheap, the names load on first use."""
    script = (
        "import sys, cranesim\n"
        "assert 'cranesim.model' not in sys.modules and 'numpy' not in sys.modules\n"
        "from cranesim import load_config, run, compare\n"
        "from cranesim.model import run as model_run\n"
        "assert run is model_run and callable(load_config) and callable(compare)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr

    import cranesim.model.runner
    import cranesim.scenario.load
    import cranesim.studies.compare

    assert cranesim.load_config is cranesim.scenario.load.load_config
    assert cranesim.run is cranesim.model.runner.run
    assert cranesim.compare is cranesim.studies.compare.compare
    assert {"load_config", "run", "compare"} <= set(dir(cranesim)) & set(cranesim.__all__)


def test_compare_equals_the_command_line(small_cfg_path, tmp_path, capsys):
    """``compare(sc, replications=2, hours=2)`` is what ``cranesim compare --json`` writes."""
    from cranesim.cli.app import main

    out = tmp_path / "c.json"
    argv = [
        "compare",
        str(small_cfg_path),
        "-R",
        "2",
        "--hours",
        "2",
        "--samples",
        "16",
        "--behaviour-runs",
        "0",
        "--json",
        str(out),
    ]
    assert main(argv) == 0, capsys.readouterr().err
    cli = json.loads(out.read_text())

    seen = []
    sc = cranesim.load_config(small_cfg_path)
    api = cranesim.compare(
        sc,
        replications=2,
        hours=2,
        samples=16,
        behaviour_runs=0,
        progress=lambda *a: seen.append(a),
    )
    kinds, done, totals, status = zip(*seen)
    assert set(kinds) == {"simulations"} and done[0] == 0 and done[-1] == totals[0]
    assert status[0] == "replications 0/2" and status[-1] == "replications 2/2"
    for doc in (api, cli):
        assert doc.pop("wall_s") > 0
    assert api == cli  # the same numbers, and already JSON data (lists, None, str keys)
    assert api["seed"] == sc.scenario.seed and api["config"] == str(small_cfg_path)


@pytest.mark.parametrize(
    "kwargs, word",
    [({"replications": 1}, "replications"), ({"hours": 0.0}, "hours"), ({"workers": 0}, "workers")],
)
def test_compare_refuses_bad_arguments(small, kwargs, word):
    with pytest.raises(UserError, match=word):
        cranesim.compare(small, **kwargs)
