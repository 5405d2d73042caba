"""Prefect flows: thin wiring around :mod:`newsmon.pipeline`.

Importing this package applies newsmon's Prefect defaults before Prefect loads.
"""

from flows.environment import apply_prefect_defaults

apply_prefect_defaults()
