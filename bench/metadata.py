"""``python -m bench.metadata``: see :mod:`evaluation.metadata`, where the pages, the
tuning / held-out split and the scorers live (the quality floors in tests/ use them too)."""

from evaluation.metadata import main, run

__all__ = ["main", "run"]

if __name__ == "__main__":
    main()
