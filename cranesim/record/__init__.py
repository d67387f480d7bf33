"""What a run leaves behind: the event records, the trace files written from them, the KPIs.

* :mod:`~cranesim.record.trace`: the one record type and its CSV/Parquet writers and readers;
* :mod:`~cranesim.record.kpi`: KPIs computed from the records (so a trace replays to the same KPIs);
* :mod:`~cranesim.record.atomic`: all-or-nothing output files.
"""
