"""Settings from the environment and configuration files: errors name the key and file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsmon.core.config import load_config, with_secrets, without_secrets
from newsmon.core.errors import ConfigError
from newsmon.core.settings import load_settings


def test_env_prefix_and_cli_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSMON_DB", "/tmp/from-env.duckdb")
    monkeypatch.setenv("NEWSMON_BATCH_SIZE", "7")
    assert load_settings().db == Path("/tmp/from-env.duckdb")
    assert load_settings(db=Path("cli.duckdb")).db == Path("cli.duckdb")
    assert load_settings(db=None).batch_size == 7


def test_unknown_env_variable_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSMON_DB_PATH", "x")
    with pytest.raises(ConfigError, match="NEWSMON_DB_PATH"):
        load_settings()


def test_invalid_env_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSMON_BATCH_SIZE", "many")
    with pytest.raises(ConfigError, match="NEWSMON_BATCH_SIZE"):
        load_settings()


def test_a_feed_that_needs_a_key_names_it_from_the_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A news API's key is written as ``${VAR}``: the configuration keeps the reference,
    a variable that is not set is an error naming the file and the feed."""
    config = tmp_path / "newsmon.toml"
    url = "https://content.guardianapis.com/search?q=kim&api-key=${NEWSMON_TEST_API_KEY}"
    config.write_text(f'[[feeds]]\nurl = "{url}"\n', encoding="utf-8")
    monkeypatch.delenv("NEWSMON_TEST_API_KEY", raising=False)
    with pytest.raises(ConfigError, match=re.escape(
            "newsmon.toml: feeds[0].url: ${NEWSMON_TEST_API_KEY} is not set in the environment")):
        load_config(config)
    monkeypatch.setenv("NEWSMON_TEST_API_KEY", "s3cret-key")
    assert load_config(config).feeds[0].url == url  # the reference, never the key
    assert with_secrets(url).endswith("api-key=s3cret-key")
    assert without_secrets(f"http_401: {with_secrets(url)}", url) == f"http_401: {url}"


def test_config_paths_resolve_relative_to_the_file(tmp_path: Path) -> None:
    config_file = tmp_path / "newsmon.toml"
    config_file.write_text('[sources]\npaths = ["articles"]\n')
    config = load_config(config_file)
    assert [config.resolve(p) for p in config.sources.paths] == [tmp_path / "articles"]


def test_configured_sources_that_are_gone_name_the_file_and_the_key(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    path = tmp_path / "newsmon.toml"
    path.write_text('[sources]\npaths = ["here"]\n', encoding="utf-8")
    assert load_config(path).source_paths() == [tmp_path / "here"]
    path.write_text('[sources]\npaths = ["here", "gone"]\n', encoding="utf-8")
    config = load_config(path)  # loads: a folder may come back before the next cycle
    with pytest.raises(ConfigError, match=re.escape(
            f"{path}: sources.paths[1]: {tmp_path / 'gone'} does not exist")):
        config.source_paths()


def test_config_errors_name_file_and_key(tmp_path: Path) -> None:
    bad_key = tmp_path / "newsmon.toml"
    bad_key.write_text('[sources]\npath = ["x"]\n')
    with pytest.raises(ConfigError, match=r"newsmon.toml: sources.path"):
        load_config(bad_key)
    bad_type = tmp_path / "typed.yaml"
    bad_type.write_text("sources:\n  paths: 3\n")
    with pytest.raises(ConfigError, match=r"typed.yaml: sources.paths"):
        load_config(bad_type)
    broken = tmp_path / "broken.toml"
    broken.write_text("[sources\n")
    with pytest.raises(ConfigError, match="broken.toml: not valid TOML"):
        load_config(broken)
    ansi = tmp_path / "ansi.toml"
    ansi.write_bytes('[sources]\npaths = ["Zeitungsausschnitte/März"]\n'.encode("cp1252"))
    with pytest.raises(ConfigError, match=r"ansi.toml: not UTF-8 text \(byte 41: invalid "):
        load_config(ansi)
    with pytest.raises(ConfigError, match="missing.toml"):
        load_config(tmp_path / "missing.toml")


def test_config_paths_expand_the_home_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    config_file = tmp_path / "newsmon.toml"
    config_file.write_text('[sources]\npaths = ["~/saved"]\n')
    config = load_config(config_file)
    assert [config.resolve(p) for p in config.sources.paths] == [tmp_path / "home" / "saved"]


@pytest.mark.parametrize(("toml", "where"), [
    ('[[feeds]]\nurl = "https://a.example/rss"\npoll_minutes = inf\n', r"feeds\[0\].poll_minutes"),
    ('[[feeds]]\nurl = "https://a.example/rss"\npoll_minutes = 99999999\n',
     r"feeds\[0\].poll_minutes"),
    ('[[feeds]]\nurl = "https://a.example/rss"\n[[feeds]]\nurl = "ftp://b.example/"\n',
     r"feeds\[1\].url: not an http\(s\) URL"),  # the second [[feeds]], as the file reads
    ("[alerts.topics.sanctions]\nthreshold = -1\n", r"alerts.topics.sanctions.threshold: "),
    # a typo is named with the keys its table takes, wherever the table sits
    ("feedz = []\n", r"feedz: unknown key \(known here: sources, feeds, network, polling, "),
    ('[[feeds]]\nurl = "https://a.example/rss"\nnmae = "A"\n',
     r"feeds\[0\].nmae: unknown key \(known here: url, name, language, poll_minutes\)$"),
    ("[alerts.topics.sanctions]\nthreshhold = 3\n",
     r"alerts.topics.sanctions.threshhold: unknown key \(known here: enabled, threshold, "),
    ("[alerts]\ncooldown_hours = 9223372036854775807\n", r"alerts.cooldown_hours"),
    ("[alerts]\nlookback_hours = 9223372036854775807\n", r"alerts.lookback_hours"),
    ("[alerts]\nthreshold = nan\n", r"alerts.threshold"),
    ('[alerts]\nurls = ["notaurl"]\n', r"alerts.urls\[0\]: not a notification URL"),
    ('[alerts]\nurls = ["slack://a", "json://u:p@h/${NEWSMON_TEST_UNSET_TOKEN}"]\n',
     r"alerts.urls\[1\]: \$\{NEWSMON_TEST_UNSET_TOKEN\} is not set in the environment"),
    ('[network]\nuser_agent = "bot\\r\\nX-Evil: 1"\n', r"network.user_agent"),
    ('[network]\ncontact = "me at example dot org"\n', r"network.contact"),
    ('[tagging]\ntopics = "missing-topics.toml"\n',
     r"tagging.topics: no such file: .*missing-topics.toml"),
    ("[schedule]\ncycle_minutes = 0\n", r"schedule.cycle_minutes"),
    ("[network]\nmin_host_gap_s = -1\n", r"network.min_host_gap_s"),
    ("[polling]\nmin_minutes = 0\n", r"polling.min_minutes"),
    ("[polling]\nmax_new_items = 0\n", r"polling.max_new_items: .*greater than or equal to 1"),
    ("[polling]\nmin_minutes = 60\nmax_minutes = 30\n",
     r"polling: .*max_minutes \(30\) is below min_minutes \(60\)"),
])
def test_settings_that_would_break_every_run_are_refused_at_load(
    tmp_path: Path, toml: str, where: str
) -> None:
    config_file = tmp_path / "newsmon.toml"
    config_file.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(config_file))}: {where}") as caught:
        load_config(config_file)
    assert "\n" not in str(caught.value)


def test_alert_urls_with_set_variables_and_passwords_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSMON_TEST_TOKEN", "s3cret")
    config_file = tmp_path / "newsmon.toml"
    config_file.write_text('[alerts]\nurls = ["json://alice:${NEWSMON_TEST_TOKEN}@h/x"]\n')
    assert load_config(config_file).alerts.urls == ["json://alice:${NEWSMON_TEST_TOKEN}@h/x"]


def test_a_worker_shard_is_k_of_n_and_a_postgres_url_stays_a_url() -> None:
    from newsmon.core.shard import Shard

    assert load_settings(shard="1/3").shard == "1/3"
    for bad in ("3/3", "1", "a/b", "-1/2"):
        with pytest.raises(ConfigError, match="NEWSMON_SHARD"):
            load_settings(shard=bad)
    shards = [Shard(k, 3) for k in range(3)]
    urls = [f"https://site{n}.example/feed" for n in range(60)]
    owners = [[s.index for s in shards if s.owns(u)] for u in urls]
    assert all(len(o) == 1 for o in owners)  # each feed has exactly one worker
    assert {o[0] for o in owners} == {0, 1, 2}
    url = "postgresql://u:p@127.0.0.1:5432/lake"
    settings = load_settings(db=url)
    assert settings.db == url and settings.db_url == url
    assert load_settings(db="w/x.duckdb").db == Path("w/x.duckdb")
    with pytest.raises(ConfigError) as empty:  # --db "$DB" unset: not the working directory
        load_settings(db="")
    assert str(empty.value) == (
        "setting NEWSMON_DB: empty: name a DuckDB file, a .ducklake or a postgresql:// URL")
    with pytest.raises(ConfigError, match="setting NEWSMON_CONFIG: empty: name a path"):
        load_settings(config="")


@pytest.mark.parametrize(("url", "says"), [
    ("ftp://example.org/feed", "not an http(s) URL"),
    ("http://exa mple.org/feed", "a space in the host"),
    ("http://example.org:99999/feed", "Port out of range"),
    ("http://[::1/feed", "Invalid IPv6 URL"),
])
def test_a_feed_url_that_cannot_be_fetched_is_refused_at_load(
    tmp_path: Path, url: str, says: str
) -> None:
    config = tmp_path / "newsmon.toml"
    config.write_text(f'[[feeds]]\nurl = "{url}"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config)
    assert str(caught.value).startswith(f"{config}: feeds[0].url: ") and says in str(caught.value)
