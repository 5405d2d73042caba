"""One pipeline for every source: jobs -> extraction workers -> batched, exactly-once loads.

A cycle opens its sources (:class:`~newsmon.pipeline.source.Source`: local files, feeds),
starts one extraction pool sized for all their jobs, streams each source's jobs through
it (:mod:`newsmon.pipeline.stream`) and loads the outcomes in batches
(:class:`~newsmon.pipeline.loader.Loader`). A cycle killed at any point keeps every
committed batch and a rerun skips them by key. Prefect is not imported here: flows swap
in task versions of the load step.

Import from the modules themselves (``newsmon.pipeline.run``, ``.source``, ...): this
package's ``__init__`` stays empty so that extraction workers, which import
:mod:`newsmon.pipeline.pool`, do not load the warehouse and its libraries.
"""
