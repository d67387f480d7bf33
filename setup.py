"""Build the compiled core: one extension module ``cranesim._core.<stem>`` per ``_core/<stem>.pyx``.

Everything static (name, version, dependencies, packages, package data, console script) lives in
pyproject.toml; this file only declares the Cython extensions.

Compiler directives are set here and nowhere else (no ``# cython:`` lines in the .pyx files), so
the whole core is built one way.  ``CRANESIM_CYTHON_DEBUG=1`` at build time turns bounds and
negative-index checks back on::

    CRANESIM_CYTHON_DEBUG=1 pip install --no-deps --force-reinstall .

Layout
------
``_core/<stem>.pyx`` becomes the extension ``cranesim._core.<stem>``: ``_core/`` is installed as
the subpackage ``cranesim._core`` (pyproject.toml maps it), so the compiled modules, their
``.pyi`` stubs and ``py.typed`` land side by side in it.  The shared declarations (``codes.pxd``,
a mirror of ``cranesim/codes.py``) are cimported by their plain name (``from codes cimport ...``)
through the include path ``_core``: they hold only C declarations, so cimporting them adds no
run-time import, and nothing is staged or copied.

After editing a ``.pyx`` in a development (editable) install, rebuild the kernels in place::

    python setup.py build_ext --inplace

The sdist (MANIFEST.in) holds the Cython sources, not the C files generated from them (a build
regenerates those), and the tests with what they read, so they run from an unpacked sdist.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

CORE_DIR = Path("_core")  # relative: setuptools wants relative source paths
DEBUG = os.environ.get("CRANESIM_CYTHON_DEBUG", "") == "1"

COMPILER_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "cdivision": True,
    "initializedcheck": False,
    # Cython 3 deprecates DEF but stays silent about it by default: say so if one comes back
    # (compile-time constants are anonymous enums, as in codes.pxd).
    "warn.deprecated.DEF": True,
}

# -O2: the tuned level; -ffp-contract=off: no fused multiply-add, so the compiled core rounds
# exactly like the pure-Python core it is tested against.
EXTRA_COMPILE_ARGS = ["-O2", "-ffp-contract=off"]


def _extensions() -> list[Extension]:
    sources = sorted(CORE_DIR.glob("*.pyx"))
    if not sources:
        print(
            "cranesim setup.py: warning: no _core/*.pyx found, building without a compiled core",
            file=sys.stderr,
        )
        return []
    exts = [
        Extension(
            f"cranesim._core.{pyx.stem}",
            [str(pyx)],
            include_dirs=[numpy.get_include()],
            define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
            extra_compile_args=EXTRA_COMPILE_ARGS,
        )
        for pyx in sources
    ]
    return cythonize(
        exts,
        compiler_directives=COMPILER_DIRECTIVES,
        include_path=[str(CORE_DIR)],
        force=_directives_changed(),
    )


def _directives_changed() -> bool:
    """True when the directives differ from the last build's (say, after a debug build).

    Cython decides whether to regenerate a .c file from time stamps only; without this, switching
    CRANESIM_CYTHON_DEBUG would reuse C code generated with the other directives.
    """
    stamp = Path("build", "cython_directives.txt")
    now = repr(sorted(COMPILER_DIRECTIVES.items()))
    before = stamp.read_text() if stamp.exists() else None
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(now)
    return before != now


setup(ext_modules=_extensions())
