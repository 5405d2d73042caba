"""``python -m bench.metadata``: see :mod:`evaluation.metadata`, where the scorers live, and
:mod:`evaluation.metadata_pages`, the pages and their tuning / held-out split (the quality
floors in tests/ use them too)."""

from evaluation.metadata import main, run

__all__ = ["main", "run"]

if __name__ == "__main__":
    main()
