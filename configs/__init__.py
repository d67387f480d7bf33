"""Packaged scenarios (installed as ``cranesim.configs``; the files live in the top-level configs/)."""
