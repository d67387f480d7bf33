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

Without a C compiler
--------------------
The compiled core is optional, as msgpack's and PyYAML's are: when an extension cannot be
compiled (no compiler, no Python headers, a compiler error), :class:`OptionalBuildExt` prints a
warning and the install goes on without it; cranesim then runs its pure-Python core (the same
results, much slower), says so in ``cranesim info`` and warns once per process.  Where a
compiler exists the compiled core is built, as before.  Two switches, at build time:

* ``CRANESIM_PURE_PYTHON=1`` builds no extension (a pure-Python install on purpose);
* ``CRANESIM_REQUIRE_COMPILED=1`` makes a failed compilation an error, for packagers and CI
  (CI also stops at once when the installed core is not the compiled one: tests/conftest.py).

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
from setuptools.command.build_ext import build_ext
from setuptools.errors import CCompilerError, ExecError, PlatformError

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


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


#: what a failed compilation raises (setuptools' own errors, and ValueError for a compiler it
#: cannot find on Windows); each becomes a warning and a pure-Python install
BUILD_ERRORS = (CCompilerError, ExecError, PlatformError, ValueError, OSError)

WARNING = """
cranesim setup.py: WARNING: the compiled core ({what}) could not be built:
    {error}
cranesim is installed with its pure-Python core instead: the same results, but much slower
(a simulated week takes minutes instead of a second). To get the compiled core, install a C
compiler (Linux: gcc and the Python headers, e.g. apt install build-essential python3-dev;
macOS: xcode-select --install; Windows: Microsoft C++ Build Tools) and reinstall cranesim.
'cranesim info' says which core runs.
"""


class OptionalBuildExt(build_ext):
    """``build_ext`` that falls back to the pure-Python core when compiling fails (see the
    module docstring); ``CRANESIM_REQUIRE_COMPILED=1`` turns the fallback off."""

    def run(self) -> None:
        try:
            super().run()
        except BUILD_ERRORS as exc:  # no compiler at all: raised before any extension
            self._fallback("all extensions", exc)

    def build_extensions(self) -> None:
        self._failed: list[Extension] = []
        super().build_extensions()
        # what was not built is not installed (nor copied in place by --inplace)
        self.extensions = [e for e in self.extensions if e not in self._failed]

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except BUILD_ERRORS as exc:
            self._failed.append(ext)
            self._fallback(ext.name, exc)

    def _fallback(self, what: str, exc: BaseException) -> None:
        if _flag("CRANESIM_REQUIRE_COMPILED"):
            raise exc
        error = " ".join(str(exc).split()) or type(exc).__name__
        print(WARNING.format(what=what, error=error), file=sys.stderr)


def _extensions() -> list[Extension]:
    if _flag("CRANESIM_PURE_PYTHON"):
        print(
            "cranesim setup.py: CRANESIM_PURE_PYTHON=1: building no compiled core (pure Python)",
            file=sys.stderr,
        )
        return []
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


if __name__ == "__main__":  # as pip's build backend and `python setup.py ...` run it
    setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
