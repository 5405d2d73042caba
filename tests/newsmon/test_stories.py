"""Story assignment as plain functions: terms, folding, the vote, the window."""

from __future__ import annotations

from datetime import datetime, timedelta

from newsmon.core.records import EntityTag, Tags, TopicTag
from newsmon.stories import StoryIndex, StoryMember, fold_name, story_terms, story_time

T0 = datetime(2026, 3, 1, 9, 0)


def test_german_and_english_spellings_of_a_name_fold_together() -> None:
    assert fold_name("Wladiwostok") == fold_name("Vladivostok") == "vladivostok"
    assert fold_name("Pjöngjang") == fold_name("Pyongyang")
    assert fold_name("Peskow") == fold_name("Peskov")
    assert fold_name("Wostotschny") == fold_name("Vostochny")
    assert fold_name("Kims") == fold_name("Kim")  # German genitive


def test_terms_are_names_numbers_entities_and_topics_not_sentence_starts() -> None:
    tags = Tags("v1", (TopicTag("diplomacy", 1.0, ()),), (EntityTag("vladimir_putin", 2),))
    terms = story_terms("Am Dienstag traf Kim in Wladiwostok ein. Die 20 Waggons blieben.",
                        "Kim reist nach Russland", tags)
    assert {"n:kim", "n:vladivostok", "n:rusland", "n:vagon", "d:20", "e:vladimir_putin",
            "t:diplomacy"} <= set(terms)
    # sentence-initial words and weekdays are not names
    assert not {"n:am", "n:die", "n:dienstag"} & set(terms)


def _names(*words: str) -> list[str]:
    return [f"n:{w}" for w in words]


def test_a_story_takes_articles_about_the_same_event_and_not_others() -> None:
    index = StoryIndex(threshold=0.35, window_hours=72)
    kim = ["e:kim_jong_un", "e:vladimir_putin", "e:russia", "d:130", "t:diplomacy",
           *_names("vladivostok", "panzerzug", "peskov", "tas", "seoul", "grenze", "forum")]
    first = index.assign(1, 1, T0, kim)
    # a report in another language: the same entities, names and figures, its own words
    english = ["e:kim_jong_un", "e:vladimir_putin", "e:russia", "d:130", "t:diplomacy",
               *_names("vladivostok", "peskov", "tas", "seoul", "train", "border", "kremlin")]
    assert index.assign(2, 2, T0 + timedelta(hours=5), english) == first
    # the same topic and one shared entity are not the same event
    summit = ["e:vladimir_putin", "e:turkey", "d:2026", "t:diplomacy",
              *_names("sochi", "erdogan", "getreide", "schwarzmeer", "ankara", "hafen")]
    assert index.assign(3, 3, T0, summit) == 3
    assert len(index) == 2


def test_a_story_closes_after_its_window() -> None:
    index = StoryIndex(threshold=0.35, window_hours=24)
    terms = ["e:kim_jong_un", "n:vladivostok", "n:panzerzug"]
    index.assign(1, 1, T0, terms)
    assert index.assign(2, 2, T0 + timedelta(hours=20), terms) == 1
    # 20 h after the last article is still inside; 30 h after it is not
    assert index.assign(3, 3, T0 + timedelta(hours=50), terms) == 3


def test_a_copy_joins_its_originals_story_without_a_vote() -> None:
    index = StoryIndex(threshold=0.35, window_hours=72)
    index.assign(1, 1, T0, ["n:vladivostok", "e:kim_jong_un"])
    # cluster 1 (a near-duplicate of article 1) shares no story term at all
    assert index.assign(2, 1, T0, ["n:unrelated"]) == 1


def test_a_month_precise_date_counts_as_the_whole_month() -> None:
    now = datetime(2026, 12, 1)
    at, slack = story_time(datetime(2023, 9, 1), "month", now)
    assert (at, slack) == (datetime(2023, 9, 1), timedelta(days=31))
    assert story_time(datetime(2023, 9, 12), "day", now)[1] == timedelta(days=1)
    assert story_time(None, None, now) == (now, timedelta(0))
    assert story_time(now + timedelta(days=3), "second", now) == (now, timedelta(0))
    index = StoryIndex(threshold=0.35, window_hours=72)
    terms = ["e:kim_jong_un", "n:vladivostok", "n:panzerzug"]
    index.assign(1, 1, at, terms, slack)
    # a day-precise report from the 12th is inside a story known only to September
    assert index.assign(2, 2, datetime(2023, 9, 12), terms, timedelta(days=1)) == 1


def test_stored_members_rebuild_the_same_stories() -> None:
    index = StoryIndex(threshold=0.35, window_hours=72)
    terms = ("e:kim_jong_un", "n:vladivostok", "n:panzerzug")
    index.add(StoryMember(7, 7, T0, timedelta(0), terms))
    index.add(StoryMember(7, 7, T0, timedelta(0), terms))  # twice: counted once
    assert index.story_of(7) == 7
    assert index.assign(8, 8, T0 + timedelta(hours=1), terms) == 7
    assert len(index) == 1
