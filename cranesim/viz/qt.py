"""Qt and pyqtgraph for the animation, imported once, with a workaround for a binding bug.

The drawing modules of :mod:`cranesim.viz` import ``pg``, ``QtCore``, ``QtGui`` and
``QtWidgets`` from here, so the workaround (:func:`keep_none_alive`) and the message filter
(:func:`quiet_messages`) are in place before any of them makes a Qt call.
"""

from __future__ import annotations

import sys

import pyqtgraph as pg
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets

__all__ = [
    "pg",
    "QtCore",
    "QtGui",
    "QtWidgets",
    "NONE_WORKAROUND",
    "keep_none_alive",
    "quiet_messages",
    "QUIET",
]

#: Qt messages that say nothing to a cranesim user: the offscreen platform (frames written
#: without a display) warns about window features it does not have, once per window.
QUIET = ("This plugin does not support",)


def keep_none_alive() -> bool:
    """Work around Qt bindings that drop a reference to ``None``/``True`` they return.

    PySide6/shiboken6 6.12.0 on Python 3.11 returns ``None`` from every call that returns
    nothing, and ``True`` from ``Signal.emit``, without taking a reference
    (``QObject().setObjectName("x")`` lowers ``sys.getrefcount(None)`` by one).  After some ten
    thousand calls, a few seconds of animation, ``None`` is deallocated and the interpreter
    aborts ("none_dealloc").  On Python >= 3.12 these objects are immortal and nothing happens.
    When the leak is detected, the reference counts of ``None``, ``True`` and ``False`` are
    raised by 2**50 (they are never freed anyway, so extra references are harmless).
    Returns whether the workaround was applied.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    import ctypes

    probe = QtCore.QObject()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setObjectName("probe")
    leaked = before - sys.getrefcount(None)
    del probe
    if leaked < 32:
        return False
    big = 1 << 50
    for obj in (None, True, False):
        cnt = ctypes.c_ssize_t.from_address(
            id(obj)
        )  # ob_refcnt: first field of a release build's PyObject
        before = sys.getrefcount(obj)
        cnt.value += big
        if sys.getrefcount(obj) - before != big:  # not where we thought: undo, give up
            cnt.value -= big
            return False
    return True


#: Whether :func:`keep_none_alive` had to raise the reference counts (applied at import).
NONE_WORKAROUND = keep_none_alive()


def quiet_messages() -> None:
    """Drop the Qt messages of :data:`QUIET`; every other one still goes to stderr."""

    def handler(mode: QtCore.QtMsgType, context: QtCore.QMessageLogContext, msg: str) -> None:
        if any(msg.startswith(q) for q in QUIET):
            return
        print(msg, file=sys.stderr)

    QtCore.qInstallMessageHandler(handler)


quiet_messages()
