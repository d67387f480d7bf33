"""Build the compiled core: one extension module ``cranesim._<stem>`` per ``_core/<stem>.pyx``.

Everything static (name, version, dependencies, packages, package data, console script) lives in
pyproject.toml; this file only declares the Cython extensions.

Compiler directives are set here and nowhere else (no ``# cython:`` lines in the .pyx files), so
the whole core is built one way.  ``CRANESIM_CYTHON_DEBUG=1`` at build time turns bounds and
negative-index checks back on::

    CRANESIM_CYTHON_DEBUG=1 pip install --no-deps --force-reinstall .

Why the .pxd files are staged
-----------------------------
Cython finds the .pxd of the module it compiles by the module's *qualified name*, not by the file
name of the .pyx: for ``cranesim._scheduler`` it looks for ``cranesim._scheduler.pxd`` or
``cranesim/_scheduler.pxd`` in the source's root-package directory and the include path
(``Cython.Compiler.Main.search_include_directories``).  ``_core/scheduler.pxd`` matches neither,
and Cython then compiles the .pyx *silently without it*: attributes of cdef classes declared only
in the .pxd are missing at run time, and ``cimport``s of it from other modules fail.  So each
``_core/<stem>.pxd`` is copied to ``build/cython_pxd/cranesim._<stem>.pxd`` (Cython's "dotted file
name" form) and that directory is put on Cython's include path.  Other core modules cimport it
as ``from cranesim._<stem> cimport ...``, which is also the name it is imported by at run time.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.sdist import sdist

CORE_DIR = Path("_core")  # relative: setuptools wants relative source paths
PXD_STAGE = Path("build", "cython_pxd")
DEBUG = os.environ.get("CRANESIM_CYTHON_DEBUG", "") == "1"

COMPILER_DIRECTIVES = {
    "language_level": 3,
    "boundscheck": DEBUG,
    "wraparound": DEBUG,
    "cdivision": True,
    "initializedcheck": False,
}

# -O2: the tuned level; -ffp-contract=off: no fused multiply-add, so the compiled core rounds
# exactly like the pure-Python core it is tested against.
EXTRA_COMPILE_ARGS = ["-O2", "-ffp-contract=off"]


def _stage_pxd_files() -> None:
    """Copy each ``_core/<stem>.pxd`` to where Cython looks for ``cranesim._<stem>`` (see above)."""
    if PXD_STAGE.exists():
        shutil.rmtree(PXD_STAGE)  # a .pxd deleted from _core must not linger here
    PXD_STAGE.mkdir(parents=True)
    for pxd in sorted(CORE_DIR.glob("*.pxd")):
        shutil.copy2(pxd, PXD_STAGE / f"cranesim._{pxd.stem}.pxd")


def _extensions() -> list[Extension]:
    sources = sorted(CORE_DIR.glob("*.pyx"))
    if not sources:
        print(
            "cranesim setup.py: warning: no _core/*.pyx found, building without a compiled core",
            file=sys.stderr,
        )
        return []
    _stage_pxd_files()
    exts = [
        Extension(
            f"cranesim._{pyx.stem}",
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
        include_path=[str(PXD_STAGE), str(CORE_DIR)],
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


class _Sdist(sdist):
    """Ship the Cython sources in an sdist: setuptools only adds the generated .c files.

    Without this, ``python -m build`` (sdist first, then a wheel from it) would find no
    ``_core/*.pyx`` and silently build a wheel without the compiled core.
    """

    def make_distribution(self) -> None:
        have = set(self.filelist.files)
        for pattern in ("*.pyx", "*.pxd", "*.pxi", "*.pyi"):
            self.filelist.extend(
                str(p) for p in sorted(CORE_DIR.glob(pattern)) if str(p) not in have
            )
        super().make_distribution()


setup(ext_modules=_extensions(), cmdclass={"sdist": _Sdist})
