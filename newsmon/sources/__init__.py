"""Sources: where a cycle's inputs come from (local files, RSS/Atom feeds).

Each implements :class:`newsmon.pipeline.Source`; the one pipeline does the rest.
"""
