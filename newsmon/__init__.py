"""newsmon: monitor what the press says about a subject, and when coverage spikes."""

__version__ = "0.1.0"
