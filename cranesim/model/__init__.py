"""The SimPy model of the warehouse and the crews that run it.

* :mod:`~cranesim.model.warehouse`: the processes (mill, trucks, cranes), the runway, the
  invariants; :func:`~cranesim.model.warehouse.run` simulates a scenario;
* :mod:`~cranesim.model.crew`: the automated cranes and the manual crew, as every command
  builds them.
"""

from cranesim.model.warehouse import RunResult, Warehouse, run

__all__ = ["Warehouse", "RunResult", "run"]
