"""``python -m bench.labelled [--add]``: see :mod:`evaluation.labelled`."""

from evaluation.labelled import main

if __name__ == "__main__":
    raise SystemExit(main())
