"""A scenario: the warehouse described by a TOML file, validated, and its geometry.

* :mod:`~cranesim.scenario.schema`: one pydantic model per section, units in every key name;
* :mod:`~cranesim.scenario.load`: reading and validating a file, one-line errors;
* :mod:`~cranesim.scenario.layout`: places, stacking relations and crane reach as flat arrays;
  :mod:`~cranesim.scenario.places`: the names a plant gives them;
* :mod:`~cranesim.scenario.demand`: the ``[demand]`` section and the recorded demand's file
  formats; :mod:`~cranesim.scenario.tables` reads such tables in batches, every problem located;
  :mod:`~cranesim.scenario.recorded` and :mod:`~cranesim.scenario.recorded_check` read and
  check a plant's records.
"""

from cranesim.scenario.layout import Layout, build_layout
from cranesim.scenario.load import default_config_path, load_config, parse_config
from cranesim.scenario.schema import CraneSpec, Scenario

__all__ = [
    "Scenario",
    "CraneSpec",
    "load_config",
    "parse_config",
    "default_config_path",
    "Layout",
    "build_layout",
]
