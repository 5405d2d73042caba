"""Settings from the environment and configuration files: errors name the key and file."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.config import load_config
from newsmon.errors import ConfigError
from newsmon.settings import load_settings


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


def test_config_paths_resolve_relative_to_the_file(tmp_path: Path) -> None:
    config_file = tmp_path / "newsmon.toml"
    config_file.write_text('[sources]\npaths = ["articles"]\n')
    config = load_config(config_file)
    assert [config.resolve(p) for p in config.sources.paths] == [tmp_path / "articles"]


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
