"""Studies built on many runs: replications, statistics, the energy comparison, benchmarks.

* :mod:`~cranesim.studies.replicate`: replications on a local pool or a Dask cluster;
* :mod:`~cranesim.studies.compare` and :mod:`~cranesim.studies.report`: automated cranes against
  the modelled manual crew, the verdict on the 30% claim, its report;
* :mod:`~cranesim.studies.bench`: scheduler latency, quality against baselines, optimality gap.
"""
