"""cranesim: a discrete-event simulator of an unmanned steel wire-coil warehouse.

Coils arrive from a rolling mill at an unloading station, overhead cranes sharing one runway store
them in a floor store (often a two-layer pyramid) and load them onto trucks.  The model is written
with SimPy; the crane scheduler's hot loop and the per-move physics are compiled with Cython
(:mod:`cranesim.native` says which code runs).

The public API, for use from Python (the command line, ``cranesim --help``, calls the same):

:func:`load_config`
    Read and validate a scenario file (``None``: the packaged default).
:func:`run`
    Simulate a scenario; returns a :class:`~cranesim.model.RunResult` with the KPIs.
:func:`compare`
    Automated cranes against the modelled manual crew: the verdict on the energy claim.

>>> import cranesim
>>> sc = cranesim.load_config()  # the packaged default scenario
>>> sc.scenario.name
'masteel_wire_rod'

The package is layered; each layer imports only from the ones above it:
``codes``, ``errors``, ``native`` -> ``scenario`` -> ``physics``, ``record`` -> ``sched`` ->
``model`` -> ``studies``, ``viz`` -> ``cli``.  Names are imported here on first use, so
``import cranesim`` stays cheap.
"""

from __future__ import annotations

from typing import Any

from cranesim._version import __version__

__all__ = ["__version__", "load_config", "run", "compare"]

#: public name -> module it lives in
_API = {
    "load_config": "cranesim.scenario.load",
    "run": "cranesim.model",
    "compare": "cranesim.studies.compare",
}


def __getattr__(name: str) -> Any:
    if name in _API:
        import importlib

        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cranesim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
