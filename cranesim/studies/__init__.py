"""Studies built on many runs: replications, statistics, the energy comparison, benchmarks.

* :mod:`~cranesim.studies.replicate`: replications on a local pool or a Dask cluster;
* :mod:`~cranesim.studies.compare` (runs), :mod:`~cranesim.studies.chain` (nominal comparison),
  :mod:`~cranesim.studies.uncertainty` (joint assumptions, Sobol indices, break-even),
  :mod:`~cranesim.studies.calibrate` (meter data), :mod:`~cranesim.studies.verdict` and
  :mod:`~cranesim.studies.report`: automated cranes against the modelled manual crew, the
  verdicts on the 30% claim, its report;
* :mod:`~cranesim.studies.sweep` and :mod:`~cranesim.studies.sweep_report`: scenario keys
  varied over a grid or a sampled design, with replications (``cranesim sweep``);
* :mod:`~cranesim.studies.bench`: scheduler latency, quality against baselines, optimality gap;
* :mod:`~cranesim.studies.moves` and :mod:`~cranesim.studies.moves_report`: simulated lifts
  against a plant's recorded crane moves (``cranesim validate-moves``).
"""
