"""``newsmon topics evaluate``: the tagger in use scored against a user's labelled file."""

from __future__ import annotations

import json
from pathlib import Path

from newsmon.tagging import load_tagger
from tests.conftest import SEEDS, read_cli

#: A German sports report: no topic of the default taxonomy, and no language given.
MATCH_REPORT = (
    "Der Tabellenführer hat sein Heimspiel am Samstag knapp gewonnen. Nach einem frühen "
    "Rückstand drehte die Mannschaft die Partie in der zweiten Halbzeit, der eingewechselte "
    "Stürmer traf zweimal. Der Trainer lobte nach dem Schlusspfiff die Moral seines Teams, "
    "kritisierte aber die vielen Fehlpässe im Aufbauspiel. Am kommenden Wochenende wartet "
    "das Derby, für das bereits alle Karten verkauft sind."
)


def _labelled(tmp_path: Path) -> tuple[Path, int, str, str]:
    """Three seed articles labelled with what the tagger gives, one tag taken away (a
    false tag) and one added (a missed label), and a topic-free report; with the right
    tags, the false one and the missed one."""
    tagger = load_tagger()
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:3]]
    tagged = [sorted(t.topic for t in tagger.tag(text, "de").topics) for text in texts]
    assert all(tagged) and not tagger.tag(MATCH_REPORT, "de").topics
    absent = next(t.id for t in tagger.taxonomy.topics.topics if t.id not in tagged[2])
    rows = [{"id": "right", "lang": "de", "text": texts[0], "topics": tagged[0]},
            {"id": "extra", "lang": "de", "text": texts[1], "topics": tagged[1][1:]},
            {"id": "missed", "lang": "de", "text": texts[2], "topics": [*tagged[2], absent]},
            {"id": "free", "text": MATCH_REPORT, "topics": []}]
    path = tmp_path / "labelled.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path, sum(map(len, tagged)) - 1, tagged[1][0], absent


def test_topics_evaluate_counts_right_false_and_missed_tags(tmp_path: Path) -> None:
    path, right, extra, missed = _labelled(tmp_path)
    done = read_cli("topics", "evaluate", str(path), "--json", "--misses", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    micro = figures["micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (right, 1, 1)
    assert micro["precision"] == round(micro["tp"] / (micro["tp"] + 1), 4)
    assert figures["documents"] == 4 and figures["labels"] == right + 1
    assert figures["topic_free"] == {"documents": 1, "tagged": 0, "per_1000": 0.0}
    assert figures["taxonomy"] == load_tagger().version
    assert [(m["id"], m["topic"], m["kind"]) for m in figures["misses"]] == [
        ("extra", extra, "extra"), ("missed", missed, "missed")]
    assert sum(t["tp"] for t in figures["topics"].values()) == micro["tp"]
    quiet = [t for t in figures["topics"].values() if t["tp"] + t["fp"] + t["fn"] == 0]
    assert all(t["precision"] is None and t["recall"] is None for t in quiet)

    shown = read_cli("topics", "evaluate", str(path), "--misses", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0].endswith(f": 4 documents, {right + 1} labels")
    total = next(line for line in lines if line.startswith("all topics")).split()
    assert total[2:] == [f"{micro['precision']:.3f}", f"{micro['recall']:.3f}",
                         f"{micro['f1']:.3f}", str(right), "1", "1"]
    assert "documents with no topic given one: 0 of 1 (0.0 per 1,000)" in lines
    assert f"missed missed  {missed}  (score 0.00)" in lines


def test_topics_evaluate_names_the_file_and_document_of_a_bad_label(tmp_path: Path) -> None:
    path = tmp_path / "typo.jsonl"
    path.write_text(json.dumps({"id": "d7", "lang": "de", "text": MATCH_REPORT,
                                "topics": ["sanktion"]}) + "\n", encoding="utf-8")
    done = read_cli("topics", "evaluate", str(path), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().startswith(
        f"newsmon: error: {path}: d7: unknown topic 'sanktion' (known: arms_trade, ")
    path.write_text('{"id": "d8", "text": "no topics key"}\n{"id": \n', encoding="utf-8")
    broken = read_cli("topics", "evaluate", str(path), cwd=tmp_path)
    assert broken.returncode == 1
    assert broken.stderr.strip().startswith(f"newsmon: error: {path}:2: not a labelled "
                                            "document: ")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n", encoding="utf-8")
    none = read_cli("topics", "evaluate", str(empty), cwd=tmp_path)
    assert (none.returncode, none.stderr.strip()) == (
        1, f"newsmon: error: {empty}: no labelled documents (one JSON object a line: id, lang, "
        "text, topics)")


def test_topics_tag_shows_each_tag_with_the_words_behind_it(tmp_path: Path) -> None:
    seed = sorted(SEEDS.glob("*.txt"))[0]
    text = seed.read_text(encoding="utf-8")
    tags = load_tagger().tag(text, "de")
    done = read_cli("topics", "tag", str(seed), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["language"] == "de"  # detected, as the pipeline would
    assert [t["topic"] for t in result["topics"]] == [t.topic for t in tags.topics]
    for topic in result["topics"]:
        assert topic["evidence"]
        for e in topic["evidence"]:
            assert text[e["start"]:e["end"]] == e["text"] and e["field"] == "text"
    assert {e["entity"] for e in result["entities"]} == {e.entity for e in tags.entities}
    for entity in result["entities"]:  # an entity's mentions, each with its words
        assert len(entity["evidence"]) == entity["mentions"]
        assert all(text[e["start"]:e["end"]] == e["text"] for e in entity["evidence"])

    shown = read_cli("topics", "tag", str(seed), cwd=tmp_path)
    named = next(line for line in shown.stdout.splitlines() if line.startswith("entities: "))
    assert "kim_jong_un (" in named and ": Kim Jong-un" in named
    first = tags.topics[0]
    assert shown.stdout.splitlines()[:2] == [
        f"taxonomy {tags.taxonomy_version}, language de", f"{first.topic} (score {first.score:g})"]
    e = first.evidence[0]
    assert (f"  {e.term!r} matched {e.text!r} in the text at {e.start}-{e.end} "
            f"(weight {e.weight:g})") in shown.stdout

    plain = tmp_path / "match.txt"
    plain.write_text(MATCH_REPORT, encoding="utf-8")
    assert "no topic" in read_cli("topics", "tag", str(plain), cwd=tmp_path).stdout
    # a file in a legacy encoding is read as newsmon ingest reads it
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(("Neue Sanktionen gegen Rußland: " + MATCH_REPORT).encode("cp1252"))
    read = json.loads(read_cli("topics", "tag", str(legacy), "--json", cwd=tmp_path).stdout)
    assert read["language"] == "de"
    found = [e for t in read["topics"] + read["held_back"] for e in t["evidence"]]
    assert "Sanktionen" in [e["text"] for e in found]
    # a title alone cannot make a sports report about sanctions: held back, and said so
    titled = read_cli("topics", "tag", str(plain), "--title", "Neue Sanktionen gegen Russland",
                      "--lang", "de", "--json", cwd=tmp_path)
    assert titled.returncode == 0, titled.stderr
    result = json.loads(titled.stdout)
    assert result["topics"] == [] and [h["topic"] for h in result["held_back"]] == ["sanctions"]
    assert result["held_back"][0]["evidence"][0] | {"weight": None} == {
        "term": "sanktion*", "text": "Sanktionen", "start": 5, "end": 15, "weight": None,
        "field": "title"}
    # a language written as people write it is read as the code; a name is no code
    upper = read_cli("topics", "tag", str(plain), "--title", "Neue Sanktionen gegen Russland",
                     "--lang", "DE", "--json", cwd=tmp_path)
    assert json.loads(upper.stdout) == result
    named = read_cli("topics", "tag", str(plain), "--lang", "Deutsch", cwd=tmp_path)
    assert named.returncode == 1 and named.stderr.strip() == (
        "newsmon: error: --lang Deutsch: not a two-letter ISO 639-1 code (de, en, fr, ...)")


def test_output_read_by_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``newsmon ... | head``: the reader closes the pipe before newsmon writes; that is
    no error to report."""
    import subprocess
    import sys

    command = [str(Path(sys.executable).parent / "newsmon"), "topics", "tag",
               str(sorted(SEEDS.glob("*.txt"))[0])]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the interpreter has even started: every write fails
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert stderr.decode() == ""
