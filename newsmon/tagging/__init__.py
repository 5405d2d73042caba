"""Topic and entity tagging: a user-editable taxonomy, a matcher, a scorer, a word model.

``load_tagger(topics, entities)`` gives a :class:`Tagger` for two files (or the shipped
defaults); ``Tagger.tag(text, language)`` gives :class:`newsmon.core.records.Tags`.
"""

from newsmon.tagging.tagger import (
    HeldBack,
    Tagger,
    check_config_references,
    content_of,
    load_tagger,
    tagger_for_config,
    tagger_for_settings,
    tagger_from_content,
)
from newsmon.tagging.taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "HeldBack",
    "Tagger",
    "Taxonomy",
    "check_config_references",
    "content_of",
    "load_tagger",
    "load_taxonomy",
    "tagger_for_config",
    "tagger_for_settings",
    "tagger_from_content",
]
