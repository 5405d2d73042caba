"""Extraction stage: turn raw bytes (local files, fetched pages) into :class:`Extracted` records.

Only :mod:`extractors.html` imports trafilatura and only :mod:`extractors.language`
imports the language identifier; the rest is plain Python.
"""
