"""The extraction pool's workers fork from a server that already loaded the extractors."""

from __future__ import annotations

from newsmon.pipeline.forkserver import POOL_MIN_MS
from newsmon.pipeline.pool import WorkerPool, extraction_pool
from newsmon.pipeline.preparation import Preparation


def _model_loaded_before_first_page(_: int) -> tuple[bool, bool]:
    """In a worker: was the language model there before this worker detected anything?"""
    import sys

    from extractors import language

    return "trafilatura" in sys.modules, language._identifier.cache_info().currsize == 1


def test_workers_start_with_extractors_and_language_model_loaded() -> None:
    how = Preparation(max_bytes=1000, min_words=40)
    with extraction_pool(how, workers=2, work_ms=POOL_MIN_MS) as pool:
        assert isinstance(pool, WorkerPool)
        answers = list(pool.executor.map(_model_loaded_before_first_page, range(4)))
    assert answers == [(True, True)] * 4
