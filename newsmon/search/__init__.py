"""Full-text search over the warehouse's articles: a tantivy index kept beside it.

:mod:`newsmon.search.index` wraps tantivy; :mod:`newsmon.search.sync` keeps the index
current with the warehouse (after every cycle, and before a search).
"""
