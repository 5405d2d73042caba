"""Tags in the warehouse: seeds after a plain cycle, and ``retag`` on real DuckDB files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsmon import cycle
from newsmon.core.clock import utcnow
from newsmon.core.settings import Settings
from newsmon.tagging import load_tagger
from newsmon.tagging.evaluate import read_labelled
from newsmon.tagging.persist import record_taxonomies
from newsmon.tagging.retag import retag
from tests.conftest import SEEDS, read_cli, run_cli
from warehouse import Warehouse

ONE_TOPIC = """
[[topics]]
id = "space"
name = "Space"
threshold = 3
[[topics.terms]]
weight = 3
de = ["*satellit", "satellit*", "weltraumbahnhof*"]
"""


@pytest.fixture(params=["duckdb", "ducklake"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    suffix = ".duckdb" if request.param == "duckdb" else ".ducklake"
    return tmp_path / "warehouse" / f"test{suffix}"


def _topics_by_seed(warehouse: Warehouse) -> dict[str, set[str]]:
    rows = warehouse.query(
        "SELECT a.url, t.topic FROM articles a JOIN article_topics t USING (article_id)"
    ).rows
    found: dict[str, set[str]] = {}
    for url, topic in rows:
        found.setdefault(Path(str(url)).stem, set()).add(str(topic))
    return found


def test_seeds_carry_their_labelled_topics_and_entities_after_a_cycle(
    db_path: Path, shared: Path
) -> None:
    summary = cycle.run_cycle(Settings(db=db_path), [SEEDS], "run")
    assert summary.added == 5
    labels = {d.id.removeprefix("seed-"): set(d.topics)
              for d in read_labelled(shared / "eval" / "topics-dev.jsonl")
              if d.dataset == "seeds"}
    warehouse = Warehouse(db_path)
    stored = _topics_by_seed(warehouse)
    # no seed gets a topic it is not about; the scorer trades a few passing topics of the
    # long seed articles (3 of 29 labels; sanctions in seed 004 sits at 0.43 against the
    # cutoff 0.45 of the scorer chosen by cross-validation on the tuning documents, which
    # scored 0.753 there against 0.705 for the one that kept it) for precision out of
    # sample (docs/topics.md)
    assert {seed: found - labels[seed] for seed, found in stored.items()} == {
        seed: set() for seed in stored}
    found = sum(len(stored.get(seed, set()) & topics) for seed, topics in labels.items())
    assert found >= 26, f"{found} of {sum(map(len, labels.values()))} seed labels found"

    entities = warehouse.query(
        "SELECT entity, count(*), sum(mentions) FROM article_entities GROUP BY entity"
    ).rows
    per_entity = {str(e): (int(n), int(m)) for e, n, m in entities}
    assert per_entity["kim_jong_un"][0] == 5  # every seed names him (Kim Jong-un / Kim Jong Un)
    assert per_entity["vladimir_putin"][0] == 5
    assert per_entity["north_korea"][0] == 5
    assert per_entity["sergei_shoigu"][0] >= 2  # Schoigu
    assert per_entity["pyongyang"][0] >= 3  # Pjöngjang
    assert per_entity["vladivostok"][0] >= 3  # Wladiwostok

    version = load_tagger().version
    assert warehouse.query(
        "SELECT DISTINCT taxonomy_version FROM article_topics").rows == [(version,)]
    assert warehouse.query("SELECT count(*) FROM article_tagging").rows == [(5,)]
    stored = warehouse.query("SELECT taxonomy_version, content FROM taxonomies").rows
    assert [r[0] for r in stored] == [version]
    assert json.loads(stored[0][1])["topics"]["topics"][0]["id"] == "arms_trade"
    assert stored[0][1] == load_tagger().taxonomy.content  # word model included: replayable
    # a version already kept is not written again, whatever a later batch hands over
    with warehouse.writer() as tx:
        record_taxonomies(tx, {version: "{}", "0123456789abcdef": "{}"}, utcnow())
    kept = dict(warehouse.query("SELECT taxonomy_version, content FROM taxonomies").rows)
    assert kept == {version: stored[0][1], "0123456789abcdef": "{}"}

    # evidence: the matched words, at their offsets in the stored text or title
    rows = warehouse.query(
        "SELECT a.text, a.title, t.evidence FROM articles a "
        "JOIN article_topics t USING (article_id)"
    ).rows
    fields = set()
    for text, title, evidence in rows:
        items = json.loads(evidence)
        assert items
        for item in items:
            field = item.get("field", "text")
            fields.add(field)
            source = title if field == "title" else text
            assert source[item["start"] : item["end"]] == item["text"]
    assert "text" in fields
    # an entity tag's evidence likewise: one item per mention, each the words its alias
    # matched where the stored text or title has them
    rows = warehouse.query(
        "SELECT a.text, a.title, e.mentions, e.evidence FROM articles a "
        "JOIN article_entities e USING (article_id)").rows
    matched = set()
    for text, title, mentions, evidence in rows:
        items = json.loads(evidence)
        assert len(items) == min(mentions, 40)
        for item in items:
            source = title if item["field"] == "title" else text
            assert source[item["start"] : item["end"]] == item["text"]
            matched.add(item["text"])
    assert {"Kim Jong-un", "Putin", "Wladiwostok"} <= matched

    # a rerun adds nothing, and no tag twice
    cycle.run_cycle(Settings(db=db_path), [SEEDS], "run")
    assert warehouse.query("SELECT count(*) FROM article_tagging").rows == [(5,)]


#: News texts of more than 40 words (an article's minimum) naming the summit's actors as
#: each language writes them: declined, with particles, with vowel signs.
OTHER_SCRIPTS = {
    "ru": ("Президент России Владимир Путин принял лидера КНДР Ким Чен Ына на космодроме "
           "Восточный. Переговоры Путина и Ким Чен Ына длились несколько часов. По словам "
           "Пескова, в них участвовали министр иностранных дел Лавров и министр обороны "
           "Шойгу. В Кремле назвали встречу важной. После визита делегация Северной Кореи "
           "отправилась в Комсомольск-на-Амуре, а затем вернулась в Пхеньян поездом. "
           "Эксперты в Сеуле и Вашингтоне следили за поездкой."),
    "ar": ("استقبل الرئيس الروسي فلاديمير بوتين الزعيم الكوري الشمالي كيم جونغ أون في قاعدة "
           "فوستوتشني الفضائية في أقصى شرق روسيا. وقال الكرملين إن المحادثات مع كوريا "
           "الشمالية تناولت التعاون العسكري والفضائي. وأعربت سول وواشنطن عن قلقهما من صفقة "
           "أسلحة محتملة، ودعت إلى اجتماع لمجلس الأمن الدولي. وقال المتحدث باسم الأمم "
           "المتحدة إن العقوبات لا تزال سارية. وعاد كيم بعد ذلك بالقطار إلى بيونغ يانغ."),
    "hi": ("रूस के राष्ट्रपति व्लादिमीर पुतिन ने उत्तर कोरिया के नेता किम जोंग उन से रूस के सुदूर "
           "पूर्व में मुलाकात की। क्रेमलिन ने कहा कि दोनों नेताओं ने सैन्य सहयोग पर बात की। "
           "दक्षिण कोरिया और अमेरिका ने इस बैठक पर चिंता जताई है। संयुक्त राष्ट्र ने कहा कि "
           "उत्तर कोरिया पर लगे प्रतिबंध अभी भी लागू हैं। इसके बाद किम जोंग उन ट्रेन से "
           "प्योंगयांग लौट गए। विशेषज्ञों का कहना है कि यह मुलाकात दोनों देशों के रिश्तों में "
           "एक नया मोड़ है।"),
}


def test_articles_in_other_scripts_store_the_actors_they_name(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for language, text in OTHER_SCRIPTS.items():
        (folder / f"{language}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert cycle.run_cycle(Settings(db=db), [folder], "run").added == 3
    rows = Warehouse(db).query(
        "SELECT a.language, e.entity, e.mentions, e.evidence FROM articles a "
        "JOIN article_entities e USING (article_id)").rows
    stored: dict[str, dict[str, int]] = {}
    matched: set[str] = set()
    for language, entity, mentions, evidence in rows:
        stored.setdefault(str(language), {})[str(entity)] = int(mentions)
        matched |= {item["text"] for item in json.loads(evidence)}
    # the evidence names the words as written: declined, with a particle
    assert {"России", "Ким Чен Ына", "Кремле", "لمجلس الأمن الدولي", "पुतिन"} <= matched
    assert stored == {
        "ru": {"russia": 1, "vladimir_putin": 2, "kim_jong_un": 2, "north_korea": 2,
               "vostochny_cosmodrome": 1, "dmitry_peskov": 1, "sergei_lavrov": 1,
               "sergei_shoigu": 1, "kremlin": 1, "komsomolsk_on_amur": 1, "pyongyang": 1,
               "seoul": 1, "washington": 1},
        "ar": {"vladimir_putin": 1, "kim_jong_un": 1, "russia": 1, "kremlin": 1,
               "north_korea": 1, "seoul": 1, "washington": 1, "un_security_council": 1,
               "united_nations": 1, "pyongyang": 1},
        "hi": {"russia": 2, "vladimir_putin": 1, "north_korea": 2, "kim_jong_un": 2,
               "kremlin": 1, "south_korea": 1, "united_nations": 1, "pyongyang": 1},
    }


def test_retag_applies_a_changed_taxonomy_in_batches_and_records_its_version(
    any_db: Path, tmp_path: Path
) -> None:
    cycle.run_cycle(Settings(db=any_db), [SEEDS], "run")
    warehouse = Warehouse(any_db)
    default = load_tagger()

    # nothing to do while the taxonomy is unchanged
    unchanged = retag(warehouse, default, batch_size=2)
    assert (unchanged.retagged, unchanged.up_to_date) == (0, 5)

    topics = tmp_path / "topics.toml"
    topics.write_text(ONE_TOPIC, encoding="utf-8")
    # the threshold decides: what retag does must not hang on the shipped scorer's cutoff
    custom = load_tagger(topics, None, use_scorer=False)
    assert custom.version != default.version
    result = retag(warehouse, custom, batch_size=2)
    assert (result.retagged, result.batches, result.up_to_date) == (5, 3, 0)
    assert set(result.topics) == {"space"}

    rows = warehouse.query(
        "SELECT topic, taxonomy_version, count(*) FROM article_topics GROUP BY ALL").rows
    assert [(r[0], r[1]) for r in rows] == [("space", custom.version)]
    assert int(rows[0][2]) >= 2  # the seeds about Vostochny and spy satellites
    assert warehouse.query(
        "SELECT DISTINCT taxonomy_version FROM article_tagging").rows == [(custom.version,)]
    assert warehouse.query(
        "SELECT DISTINCT taxonomy_version FROM article_entities").rows == [(custom.version,)]
    versions = {r[0] for r in warehouse.query("SELECT taxonomy_version FROM taxonomies").rows}
    assert versions == {default.version, custom.version}
    runs = warehouse.query(
        "SELECT status, inputs FROM runs WHERE trigger = 'retag' ORDER BY started_at").rows
    assert runs == [("ok", 0), ("ok", 5)]

    again = retag(warehouse, custom, batch_size=2)
    assert again.retagged == 0
    everything = retag(warehouse, custom, batch_size=10, everything=True)
    assert (everything.retagged, everything.batches) == (5, 1)


def test_retag_command(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    cycle.run_cycle(Settings(db=db), [SEEDS], "run")
    (tmp_path / "topics.toml").write_text(ONE_TOPIC, encoding="utf-8")
    (tmp_path / "newsmon.toml").write_text('[tagging]\ntopics = "topics.toml"\n',
                                           encoding="utf-8")
    result = run_cli("--db", str(db), "--config", str(tmp_path / "newsmon.toml"), "retag")
    assert result.returncode == 0, result.stderr
    assert "retagged 5 articles with taxonomy" in result.stdout
    assert "topics now: space" in result.stdout


def test_a_bad_taxonomy_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "topics.toml").write_text(ONE_TOPIC.replace("threshold = 3", "threshold = 0"),
                                          encoding="utf-8")
    (tmp_path / "newsmon.toml").write_text('[tagging]\ntopics = "topics.toml"\n',
                                           encoding="utf-8")
    result = read_cli("--config", str(tmp_path / "newsmon.toml"), "topics")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"newsmon: error: {tmp_path / 'topics.toml'}: topic 'space': threshold: "
        "Input should be greater than 0"
    ]


def test_retag_summary_counts_in_words() -> None:
    from newsmon.tagging.retag import RetagSummary

    one = RetagSummary("v1", retagged=3, batches=1).describe()
    assert "in 1 batch (" in one
    assert "in 2 batches (" in RetagSummary("v1", retagged=3, batches=2).describe()
