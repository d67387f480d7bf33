"""The exception -> exit status map: each error class, end to end through ``main``."""

from __future__ import annotations

import io

import pytest

import cranesim.cli.app as cli
import cranesim.cli.run as run_command
from cranesim.cli.exits import report
from cranesim.errors import ConfigError, Failure, ModelError, UserError
from cranesim.studies.bench import BenchError
from cranesim.viz.animate import AnimateError

DUMP = "invariant violated at t=3600.000 s: C1 and C2 closer than 12.0 m\ncranes:\n  0 C1: ..."
HINT = "rerun with CRANESIM_DEBUG=1 for a traceback"


class UnrelatedFailure(Exception):
    """Not a cranesim error, whatever its name says."""


UnrelatedFailure.__name__ = "Failure"


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch):
    monkeypatch.delenv("CRANESIM_DEBUG", raising=False)


@pytest.mark.parametrize("cls", [UserError, ConfigError, AnimateError, BenchError])
def test_user_errors_exit_2_on_one_line(cls):
    err = io.StringIO()
    assert report(cls("x.toml: mill.rate_t_h = -1:\n  expected a number > 0"), err) == 2
    assert err.getvalue() == "cranesim: error: x.toml: mill.rate_t_h = -1: expected a number > 0\n"


def test_model_error_exits_1_with_the_dump_whole():
    err = io.StringIO()
    assert report(ModelError(DUMP), err) == 1
    assert err.getvalue() == f"cranesim: model error: {DUMP}\n{HINT}\n"


def test_failure_exits_1_with_its_message_whole():
    err = io.StringIO()
    assert report(Failure("the run failed:\n  worker lost"), err) == 1
    assert err.getvalue() == f"cranesim: the run failed:\n  worker lost\n{HINT}\n"


@pytest.mark.parametrize("exc", [RuntimeError("boom"), ValueError("bad"), UnrelatedFailure("x")])
def test_anything_else_is_an_internal_error(exc):
    """Classes decide, never names: a foreign ``Failure`` or a bare ValueError is internal."""
    err = io.StringIO()
    assert report(exc, err) == 1
    name = type(exc).__name__
    assert err.getvalue() == f"cranesim: internal error: {name}: {exc}; {HINT}\n"


def test_keyboard_interrupt_exits_130():
    err = io.StringIO()
    assert report(KeyboardInterrupt(), err) == 130
    assert err.getvalue() == "cranesim: interrupted\n"


def test_system_exit_is_not_swallowed():
    with pytest.raises(SystemExit):
        report(SystemExit(3), io.StringIO())


def test_debug_prints_the_traceback_instead_of_the_hint(monkeypatch):
    monkeypatch.setenv("CRANESIM_DEBUG", "1")
    try:
        raise ModelError(DUMP)
    except ModelError as exc:
        err = io.StringIO()
        assert report(exc, err) == 1
    text = err.getvalue()
    assert text.startswith("Traceback (most recent call last)")
    assert text.endswith(f"cranesim: model error: {DUMP}\n") and HINT not in text


@pytest.mark.parametrize(
    "exc, status",
    [
        (ConfigError("a.toml: bad"), 2),
        (AnimateError("--size: bad"), 2),
        (ModelError(DUMP), 1),
        (Failure("lost"), 1),
        (ZeroDivisionError("boom"), 1),
        (KeyboardInterrupt(), 130),
    ],
)
def test_main_maps_what_a_command_raises(exc, status, monkeypatch, small_cfg_path, capsys):
    def raise_(*args, **kwargs):
        raise exc

    monkeypatch.setattr(run_command, "simulate", raise_)
    assert cli.main(["run", str(small_cfg_path)]) == status
    captured = capsys.readouterr()
    assert captured.out == "" and "Traceback" not in captured.err
    assert captured.err.startswith("cranesim: ")
