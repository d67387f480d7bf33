"""cranesim: a discrete-event simulator of an unmanned steel wire-coil warehouse.

Coils arrive from a rolling mill at an unloading station, overhead cranes sharing one runway store
them in a floor store (often a two-layer pyramid) and load them onto trucks.  The model is written
with SimPy; the crane scheduler's hot loop is compiled with Cython (``cranesim.scheduler`` says
which core is active).

Start with the command line (``cranesim --help``) or :func:`cranesim.config.load_config`.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
