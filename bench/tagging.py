"""``python -m bench.tagging``: see :mod:`evaluation.tagging`, where the scorers live
(the quality floors in tests/ use them too)."""

from evaluation.tagging import main, run

__all__ = ["main", "run"]

if __name__ == "__main__":
    raise SystemExit(main())
