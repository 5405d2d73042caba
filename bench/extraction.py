"""``python -m bench.extraction``: see :mod:`evaluation.extraction`, where the scorers live
(the quality floors in tests/ use them too)."""

from evaluation.extraction import main, run

__all__ = ["main", "run"]

if __name__ == "__main__":
    main()
