"""The compiled kernels of cranesim, built from the Cython sources in this folder.

Installed as the subpackage ``cranesim._core``: ``scheduler`` (the scheduler core, twin of
:mod:`cranesim.sched.reference`) and ``physics`` (per-move arithmetic, twins of the pure-Python
code in :mod:`cranesim.physics`, :mod:`cranesim.record` and :mod:`cranesim.model`).  Nothing
imports them directly: :mod:`cranesim.native` decides, once, whether the compiled kernels or
their Python twins run.  ``codes.pxd`` mirrors :mod:`cranesim.codes` for the compiled code.
"""
