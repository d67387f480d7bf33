"""The version of cranesim (read by the build from here; re-exported as ``cranesim.__version__``)."""

__version__ = "0.1.0"
