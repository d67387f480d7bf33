"""The pyqtgraph animation: live runs, replays of traces, frames.  Qt is imported only here.

* :mod:`~cranesim.viz.source`: what to draw at a model time (a live model or a recorded trace);
* :mod:`~cranesim.viz.view`: the window and its plots;
* :mod:`~cranesim.viz.animate`: building a window from a scenario, capturing frames.
"""
