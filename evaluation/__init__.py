"""What the tests and the benchmarks both use to judge newsmon: the labelled documents and
their committed split, the extraction and tagging scorers, and a loopback feed server.

Not installed with newsmon (it reads ../shared and bench/labels); the tests import it for
their quality floors, ``bench/`` for its full reports, and neither imports the other.
"""
