"""The taxonomy: topics and tracked entities, read from TOML or YAML and validated.

The taxonomy is user configuration, not code, so every mistake must come back as one
line naming the file, the topic (or entity) and the key, e.g.
``topics.toml: topic 'sanctions': terms[1].de[0]: '*' may only start or end a term``.
Its version is a hash of the validated content (not of the file bytes), so reformatting
a file or switching TOML to YAML does not force a re-tag, while any rule change does.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from newsmon.core.config import error_message
from newsmon.core.errors import ConfigError
from newsmon.core.wording import not_utf8
from newsmon.tagging.scorer import Scorer
from newsmon.tagging.words import WordModel

#: Term languages and the Snowball stemmer that checks their inflections (``any`` terms,
#: names and acronyms, accept German, English and Russian endings: see the matcher).
STEMMER_LANGUAGES: dict[str, str] = {
    "de": "german",
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "ru": "russian",
    "pl": "polish",
}
#: Languages whose terms are matched as written: Chinese and Japanese anywhere in a run of
#: characters, Korean at the start of a word with any ending (particles attach to words).
UNSTEMMED_LANGUAGES: tuple[str, ...] = ("ja", "ko", "zh")
ANY_LANGUAGE = "any"
_ID_PATTERN = r"^[a-z][a-z0-9_]*$"


def check_term(term: str) -> str:
    """A term is words, with ``*`` allowed only at its very start and/or end."""
    core = term.strip()
    if not core.strip("*").strip():
        raise ValueError(f"term {term!r} is empty")
    if "*" in core.strip("*"):
        raise ValueError(f"term {term!r}: '*' may only start or end a term")
    if core.startswith("**") or core.endswith("**"):
        raise ValueError(f"term {term!r}: use a single '*'")
    return core


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Terms(BaseModel):
    """Terms per language: ``de = [...]``, ``en = [...]``, ``any = [...]``."""

    model_config = ConfigDict(extra="allow", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _languages(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for key, value in data.items():
            if key in cls.model_fields:
                continue
            if key not in STEMMER_LANGUAGES and key not in UNSTEMMED_LANGUAGES \
                    and key != ANY_LANGUAGE:
                known = ", ".join([*STEMMER_LANGUAGES, *UNSTEMMED_LANGUAGES, ANY_LANGUAGE])
                raise ValueError(f"unknown key or language {key!r} (languages: {known})")
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise ValueError(f"{key}: must be a list of strings")
            for term in value:
                check_term(term)
        return data

    def by_language(self) -> dict[str, list[str]]:
        extra = self.model_extra or {}
        return {lang: [check_term(t) for t in terms] for lang, terms in extra.items() if terms}


class TermGroup(_Terms):
    """Terms sharing one weight; a negative weight counts against the topic.

    ``cap`` bounds what the whole group adds (or, when negative, takes away): a group
    of supporting words can then back a topic up but never make it on its own.
    ``role`` says whether its terms define the topic (``anchor``: an article needs one
    of these to carry the topic) or only support it; unset, a capped group supports
    and an uncapped one anchors.
    """

    weight: float = 1.0
    cap: float | None = Field(None, gt=0)
    role: Literal["anchor", "support"] | None = None

    @property
    def anchors(self) -> bool:
        return self.role == "anchor" if self.role else self.cap is None


class TermSet(_Terms):
    """Terms without a weight: exclusions, and the two sides of a pair."""


class Exclusions(TermSet):
    """Terms whose occurrences cancel any topic term they overlap (``Waffenstillstand``)."""


class TermPair(_Strict):
    """A term of ``a`` within ``within`` characters of a term of ``b``: a statement.

    "Kampfjets ... an Ägypten geliefert" says more than either word does alone; a pair
    counts ``weight`` for each ``a`` term that has a ``b`` term that near (and the single
    words it covers are not counted again).
    """

    weight: float
    within: int = Field(60, ge=1, le=1000)
    cap: float | None = Field(None, gt=0)
    a: TermSet
    b: TermSet

    @model_validator(mode="after")
    def _both_sides(self) -> TermPair:
        if not self.a.by_language() or not self.b.by_language():
            raise ValueError("a pair needs terms on both sides, a and b")
        return self


class Topic(_Strict):
    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = ""
    threshold: float = Field(3.0, gt=0, description="score an article needs to carry the topic")
    min_terms: int = Field(1, ge=1, description="distinct terms an article needs")
    terms: list[TermGroup] = Field(min_length=1)
    pairs: list[TermPair] = Field(default_factory=list)
    exclude: Exclusions = Field(default_factory=Exclusions)

    @field_validator("terms")
    @classmethod
    def _has_positive(cls, groups: list[TermGroup]) -> list[TermGroup]:
        if not any(g.weight > 0 and g.by_language() for g in groups):
            raise ValueError("needs at least one term with a positive weight")
        return groups


class Entity(_Strict):
    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    kind: str = Field("other", pattern=r"^(person|place|organisation|other)$")
    aliases: list[str] = Field(min_length=1)
    #: names that contain an alias but mean something else (Washington Post, ZSKA Moskau)
    exclude: list[str] = Field(default_factory=list)

    @field_validator("aliases", "exclude")
    @classmethod
    def _aliases(cls, aliases: list[str]) -> list[str]:
        return [check_term(a) for a in aliases]


class TopicFile(_Strict):
    """The topics file. ``lead_chars``/``lead_boost``: a term in the lead counts more.
    ``brief_words``: a text of fewer words is a brief, all lead, and its topics need that
    much less of their threshold (a 50-word brief half of it); 0: no text is a brief."""

    lead_chars: int = Field(400, ge=0)
    lead_boost: float = Field(1.5, ge=1)
    brief_words: int = Field(0, ge=0, le=1000)
    topics: list[Topic] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> TopicFile:
        _check_unique([t.id for t in self.topics], "topic")
        return self


class EntityFile(_Strict):
    entities: list[Entity] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> EntityFile:
        _check_unique([e.id for e in self.entities], "entity")
        return self


def _check_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} id {i!r} is defined twice")
        seen.add(i)


#: How the tagger decides from rules and scorer (the features, the conditions). Part of
#: the version, so a newsmon that decides differently on the same files re-tags stored
#: articles on ``newsmon retag``. 2: the ``related`` feature and the rules' threshold as
#: a condition of the scorer. 3: the word model (it adds and holds back topics). 4: it
#: also adds a topic the rules passed and the scorer declined.
DECISION_REVISION = 4


def version_of(content: str) -> str:
    """The version of a taxonomy's canonical content (:attr:`Taxonomy.content`)."""
    return hashlib.sha256(content.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Taxonomy:
    """Topics and entities together, with the version that identifies their content."""

    topics: TopicFile
    entities: EntityFile
    sources: tuple[str, ...]
    scorer: Scorer | None = None  # None: each topic's threshold decides
    words: WordModel | None = None  # None: the terms alone find the topics

    @cached_property
    def content(self) -> str:
        """Canonical JSON of the rules: what the version hashes and the warehouse keeps
        (computed once: with the word model's weights it is a megabyte)."""
        topics = self.topics.model_dump()
        if not topics["brief_words"]:  # unset: files without it keep their version
            del topics["brief_words"]
        data: dict[str, Any] = {"topics": topics,
                                "entities": self.entities.model_dump(),
                                "decision": DECISION_REVISION}
        if self.scorer is not None:
            data["scorer"] = self.scorer.model_dump()
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        if self.words is None:
            return text
        # "words" sorts last: the same text json.dumps gives, without re-dumping the model
        return f'{text[:-1]},"words":{self.words.canonical()}}}'

    @cached_property
    def version(self) -> str:
        return version_of(self.content)

    @classmethod
    def from_content(cls, content: str) -> Taxonomy:
        data = json.loads(content)
        return cls(
            TopicFile.model_validate(data["topics"]),
            EntityFile.model_validate(data["entities"]),
            ("(stored content)",),
            Scorer.model_validate(data["scorer"]) if data.get("scorer") else None,
            WordModel.model_validate(data["words"]) if data.get("words") else None,
        )

    def topic_rules(self, topic_id: str) -> str:
        """A hash of one topic's rules (terms, pairs, exclusions, threshold, lead): the
        features a scorer learned from stay valid while it is unchanged."""
        topic = next(t for t in self.topics.topics if t.id == topic_id)
        data: dict[str, Any] = {"topic": topic.model_dump(exclude={"name", "description"}),
                "lead": [self.topics.lead_chars, self.topics.lead_boost]}
        if self.topics.brief_words:
            data["brief"] = self.topics.brief_words
        raw = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


# -- reading files -------------------------------------------------------------------------------

DEFAULT_TOPICS = "topics.toml"
#: French, Spanish, Italian, Polish, Russian, Japanese, Korean and Chinese terms for the
#: default topics' groups (``[tagging] multilingual = true``), added to them when read.
MULTILINGUAL_TOPICS = "topics-multilingual.toml"
DEFAULT_ENTITIES = "entities.toml"
DEFAULT_SCORER = "scorer.toml"
DEFAULT_WORDS = "words.json"


def _parse(name: str, raw: str, suffix: str) -> dict[str, Any]:
    kind = {".yaml": "YAML", ".yml": "YAML", ".json": "JSON"}.get(suffix.lower(), "TOML")
    try:
        if kind == "YAML":
            data = yaml.safe_load(raw) or {}
        elif kind == "JSON":
            data = json.loads(raw)
        else:
            data = tomllib.loads(raw)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, json.JSONDecodeError,
            RecursionError) as exc:  # RecursionError: arrays nested thousands deep
        raise ConfigError(f"{name}: not valid {kind}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: the top level must be a table")
    return data


def _where(data: dict[str, Any], loc: tuple[int | str, ...], section: str, what: str) -> str:
    """``topic 'sanctions': terms[1].de[0]`` from a pydantic error location."""
    if len(loc) >= 2 and loc[0] == section and isinstance(loc[1], int):
        items = data.get(section)
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        ident = item.get("id") if isinstance(item, dict) else None
        head = f"{what} {ident!r}" if ident else f"{what} #{loc[1] + 1}"
        rest = ""
        for part in loc[2:]:
            rest += f"[{part}]" if isinstance(part, int) else f".{part}"
        return f"{head}: {rest.lstrip('.')}" if rest else head
    return ".".join(str(p) for p in loc) or "(top level)"


def _validate(model: type[BaseModel], data: dict[str, Any], name: str, section: str,
              what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = _where(data, tuple(err["loc"]), section, what)
        raise ConfigError(f"{name}: {where}: {error_message(model, err)}") from None


def _read_text(path: Path | None, default: str) -> tuple[str, str, str]:
    """(name for messages, text, suffix) of a user file, or of the shipped default."""
    if path is None:
        ref = resources.files("newsmon").joinpath("defaults", default)
        return f"(default) {default}", ref.read_text(encoding="utf-8"), Path(default).suffix
    try:
        return str(path), path.read_text(encoding="utf-8"), path.suffix
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:  # a topics file saved from a Windows editor as ANSI
        raise ConfigError(not_utf8(path, exc)) from None


def load_topics(path: Path | None = None, *, multilingual: bool = False) -> TopicFile:
    """The topics file (``None``: the shipped one, with more languages if ``multilingual``)."""
    name, raw, suffix = _read_text(path, DEFAULT_TOPICS)
    data = _parse(name, raw, suffix)
    if path is None and multilingual:
        name, raw, _ = _read_text(None, MULTILINGUAL_TOPICS)
        data = _with_languages(data, _parse(name, raw, ".toml"), name)
    result: TopicFile = _validate(TopicFile, data, name, "topics", "topic")
    return result


def _with_languages(base: dict[str, Any], extra: dict[str, Any], name: str) -> dict[str, Any]:
    """``base`` with the language lists of ``extra`` added to its groups.

    ``extra`` names each topic by id and lists its groups in ``base``'s order, holding only
    languages ``base`` has not got, so one file keeps the rules and the other the words."""
    topics = {t["id"]: t for t in base["topics"]}
    for more in extra.get("topics", []):
        topic = topics.get(more.get("id"))
        if topic is None:
            raise ConfigError(f"{name}: topic {more.get('id')!r}: not a topic of {DEFAULT_TOPICS}")
        pairs = [(f"terms[{i}]", g, m) for i, (g, m) in enumerate(
            _same_length(topic.get("terms", []), more.get("terms", []), name, topic["id"]))]
        for i, (rule, more_rule) in enumerate(_same_length(
                topic.get("pairs", []), more.get("pairs", []), name, topic["id"])):
            pairs += [(f"pairs[{i}].{side}", rule[side], more_rule.get(side, {}))
                      for side in ("a", "b")]
        if "exclude" in more:
            pairs.append(("exclude", topic.setdefault("exclude", {}), more["exclude"]))
        for where, group, languages in pairs:
            taken = set(group) & set(languages)
            if taken:
                raise ConfigError(f"{name}: topic {topic['id']!r}: {where}: "
                                  f"{sorted(taken)[0]!r} is already in {DEFAULT_TOPICS}")
            group.update(languages)
    return base


def _same_length(ours: list[Any], theirs: list[Any], name: str, topic: str) -> list[Any]:
    if len(ours) != len(theirs):
        raise ConfigError(f"{name}: topic {topic!r}: {len(theirs)} groups where "
                          f"{DEFAULT_TOPICS} has {len(ours)}")
    return list(zip(ours, theirs, strict=True))


def load_entities(path: Path | None = None) -> EntityFile:
    name, raw, suffix = _read_text(path, DEFAULT_ENTITIES)
    data = _parse(name, raw, suffix)
    result: EntityFile = _validate(EntityFile, data, name, "entities", "entity")
    return result


def load_scorer(path: Path | None = None) -> Scorer | None:
    """The scorer file (``None``: the shipped one; ``None`` back if none is shipped)."""
    if path is None and not resources.files("newsmon").joinpath(
            "defaults", DEFAULT_SCORER).is_file():
        return None
    name, raw, suffix = _read_text(path, DEFAULT_SCORER)
    result: Scorer = _validate(Scorer, _parse(name, raw, suffix), name, "", "scorer")
    return result


def load_words(path: Path | None = None) -> WordModel | None:
    """The word model file (``None``: the shipped one; ``None`` back if none is shipped)."""
    if path is None and not resources.files("newsmon").joinpath(
            "defaults", DEFAULT_WORDS).is_file():
        return None
    name, raw, suffix = _read_text(path, DEFAULT_WORDS)
    return _words_of(name, raw, suffix)


@lru_cache(maxsize=4)
def _words_of(name: str, raw: str, suffix: str) -> WordModel:
    """Parsed once per content: the file is large and is re-read on every batch."""
    result: WordModel = _validate(WordModel, _parse(name, raw, suffix), name, "",
                                  "word model")
    return result


def load_taxonomy(topics: Path | None = None, entities: Path | None = None,
                  scorer: Path | None = None, *, use_scorer: bool = True,
                  multilingual: bool = False, words: Path | None = None,
                  use_words: bool = True) -> Taxonomy:
    """Load the four files (``None``: the shipped defaults); raises :class:`ConfigError`.

    ``multilingual``: without a topics file of one's own, the shipped topics with terms
    in more languages (:data:`MULTILINGUAL_TOPICS`)."""
    shipped = MULTILINGUAL_TOPICS if multilingual else DEFAULT_TOPICS
    return Taxonomy(
        load_topics(topics, multilingual=multilingual),
        load_entities(entities),
        (str(topics or f"(default) {shipped}"),
         str(entities or f"(default) {DEFAULT_ENTITIES}"),
         str(scorer or f"(default) {DEFAULT_SCORER}") if use_scorer else "(no scorer)",
         str(words or f"(default) {DEFAULT_WORDS}") if use_words else "(no word model)"),
        load_scorer(scorer) if use_scorer else None,
        load_words(words) if use_words else None,
    )
