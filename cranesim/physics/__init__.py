"""Crane physics without simulation: motion, sway, who drives, and the energy it costs.

* :mod:`~cranesim.physics.kinematics`: analytic rest-to-rest axis moves and stages;
* :mod:`~cranesim.physics.sway`: the rope pendulum and how each mode damps it;
* :mod:`~cranesim.physics.planners`: the automated crane (plain and with anti-sway shaping);
* :mod:`~cranesim.physics.driver`: the modelled human driver of the manual baseline;
* :mod:`~cranesim.physics.energy`: electrical energy per axis move, by drive type; standby.

Nothing here imports SimPy: a planner turns a request ("travel there", "pick here") into moves.
"""
