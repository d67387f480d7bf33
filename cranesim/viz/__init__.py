"""The pyqtgraph animation: live runs, replays of traces, frames.  Qt is imported only here.

* :mod:`~cranesim.viz.state`: the state drawn at a model time, rebuilt from records (no Qt);
* :mod:`~cranesim.viz.source`: a live model or a recorded trace as that state over time;
* :mod:`~cranesim.viz.qt`: the Qt binding, imported once (with a workaround);
* :mod:`~cranesim.viz.topview`: the to-scale top view of a warehouse;
* :mod:`~cranesim.viz.plots`: the side plots (stock, station, trucks, energy);
* :mod:`~cranesim.viz.view`: the window: panes, plots, controls, the clock;
* :mod:`~cranesim.viz.animate`: building a window from a scenario, capturing frames.
"""
