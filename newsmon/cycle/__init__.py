"""A cycle: what one ``newsmon run``/``ingest`` or one scheduled run does, end to end."""

from newsmon.cycle.run import Steps, run_cycle

__all__ = ["Steps", "run_cycle"]
