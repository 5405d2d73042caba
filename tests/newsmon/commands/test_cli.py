"""The command line as a user runs it: subprocesses, real files, real Prefect."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from newsmon import cycle
from newsmon.core.settings import Settings
from tests.conftest import SEEDS, read_cli, run_cli
from warehouse import Warehouse


@pytest.fixture
def filled_db(db_path: Path) -> Path:
    cycle.run_cycle(Settings(db=db_path), [SEEDS], "run")
    return db_path


def test_every_command_has_help() -> None:
    from click.testing import CliRunner

    from newsmon.cli import cli

    runner = CliRunner()
    top = runner.invoke(cli, ["--help"], prog_name="newsmon")
    assert top.exit_code == 0, top.output
    commands = [
        line.split()[0] for line in top.output.split("Commands:")[1].splitlines() if line.strip()
    ]
    assert {"run", "ingest", "sql", "trends", "feeds", "serve"} <= set(commands)
    for command in commands:
        result = runner.invoke(cli, [command, "--help"], prog_name="newsmon")
        assert result.exit_code == 0, (command, result.output)
        assert "Usage: newsmon" in result.output


def test_help_answers_without_loading_the_pipeline() -> None:
    """`newsmon --help` and `newsmon sql` must answer at once: the CLI module and its
    command modules import neither Prefect nor the extractors nor the warehouse engine."""
    probe = ("import sys, newsmon.cli; heavy = {'prefect', 'trafilatura', 'duckdb', "
             "'numpy'} & set(sys.modules); print(sorted(heavy))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_a_cycle_loads_no_reader_of_a_format_it_has_not_met() -> None:
    """Every cycle imports the modules that read web archives, Markdown notes and Excel
    workbooks; their libraries (warcio and the fsspec it brings, markdown-it, openpyxl)
    load only when such a file is read, not in every process of every run."""
    probe = ("import sys, newsmon.cycle.run, newsmon.pipeline.run, extractors.zip_members; "
             "heavy = {'warcio', 'fsspec', 'markdown_it', 'openpyxl'} & set(sys.modules); "
             "print(sorted(heavy))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_sql_prints_table_csv_and_json(filled_db: Path) -> None:
    query = "SELECT title, language FROM articles ORDER BY title"
    table = read_cli("--db", str(filled_db), "sql", query)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].split() == ["title", "language"]
    assert "Putin und Kim am Mittwoch in Wostotschny" in table.stdout
    assert table.stdout.rstrip().endswith("(5 rows)")
    csv_out = read_cli("--db", str(filled_db), "sql", "--format", "csv", query)
    assert csv_out.stdout.splitlines()[0] == "title,language"
    assert len(csv_out.stdout.splitlines()) == 6
    json_out = read_cli(
        "sql",
        "--format",
        "json",
        "SELECT published_at FROM articles",
        env={"NEWSMON_DB": str(filled_db)},
    )
    records = [json.loads(line) for line in json_out.stdout.splitlines()]
    assert len(records) == 5 and "2023-09-12T00:00:00" in {r["published_at"] for r in records}


def test_sql_table_shows_max_rows_and_csv_and_json_print_every_row(filled_db: Path) -> None:
    """A query of thousands of rows (every article with its text, on a large warehouse)
    prints the first --max-rows as a table, and every row as CSV or JSON, a statement's
    header once however many batches its rows came in."""
    query = "SELECT range AS n FROM range(2500); SELECT 'x' AS y"
    table = read_cli("--db", str(filled_db), "sql", "--max-rows", "1200", query)
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[2:4] == ["0", "1"] and "1199" in lines and "1200" not in lines
    assert lines[-7:] == [
        "(the first 1,200 rows; the result has more)",
        "(--max-rows 1,200: add a LIMIT, or print every row with --format csv or json)",
        "", "y", "-", "x", "(1 row)"]
    csv_out = read_cli("--db", str(filled_db), "sql", "--format", "csv", query)
    assert csv_out.stdout.splitlines() == ["n", *map(str, range(2500)), "y", "x"]
    json_out = read_cli("--db", str(filled_db), "sql", "--format", "json", query)
    assert [json.loads(line) for line in json_out.stdout.splitlines()] == [
        *({"n": n} for n in range(2500)), {"y": "x"}]


def test_sql_table_shows_control_characters_as_escapes(filled_db: Path) -> None:
    """A value a query makes (or an old warehouse holds) with a terminal escape in it is
    printed as ``\\x1b``: raw, it would clear or retitle the analyst's terminal. CSV and
    JSON are data for programs and keep the value as it is."""
    query = "SELECT 'Gipfel' || chr(27) || '[2J in Wien' || chr(7) AS title"
    table = read_cli("--db", str(filled_db), "sql", query)
    assert table.returncode == 0, table.stderr
    assert "\x1b" not in table.stdout and "\x07" not in table.stdout
    assert "Gipfel\\x1b[2J in Wien\\x07" in table.stdout
    json_out = read_cli("--db", str(filled_db), "sql", "--format", "json", query)
    assert json.loads(json_out.stdout)["title"] == "Gipfel\x1b[2J in Wien\x07"


def test_errors_are_one_line_without_traceback_unless_debug(
    filled_db: Path, tmp_path: Path
) -> None:
    write = run_cli("--db", str(filled_db), "sql", "DELETE FROM articles")
    assert write.returncode == 1
    assert write.stderr.strip().splitlines() == [
        "newsmon: error: the warehouse is opened read-only here; queries cannot change it"
    ]
    debug = run_cli("--db", str(filled_db), "--debug", "sql", "SELECT * FROM nope")
    assert debug.returncode == 1 and "Traceback" in debug.stderr
    missing = run_cli("--db", str(filled_db), "ingest", str(tmp_path / "gone.txt"))
    assert missing.returncode == 1
    assert (
        missing.stderr.strip() == f"newsmon: error: {tmp_path / 'gone.txt'}: no such file or folder"
    )
    # named as typed (a path would fold ftp:// into ftp:/), and a scheme it cannot read said so
    for arg, says in ((f"{tmp_path}//gone.txt", "no such file or folder"),
                      ("ftp://example.org/feed.xml",
                       "newsmon reads local files and http(s) feeds, not ftp:// URLs")):
        done = run_cli("--db", str(filled_db), "ingest", arg)
        assert done.returncode == 1
        assert done.stderr.strip().splitlines() == [f"newsmon: error: {arg}: {says}"]
    # a line break in a file's name is written as one: the error stays one line
    odd = tmp_path / "gone\nnext.txt"
    broken = run_cli("--db", str(filled_db), "ingest", str(odd))
    assert broken.stderr.strip().splitlines() == [
        f"newsmon: error: {tmp_path}/gone\\nnext.txt: no such file or folder"]
    unset = run_cli("--db", str(filled_db), "ingest", "", cwd=tmp_path)  # "$FOLDER" unset
    assert unset.returncode == 1 and unset.stderr.strip().splitlines() == [
        "newsmon: error: an empty path: name a file, folder or feed URL (ingest . reads the "
        "working directory)"]
    typo = run_cli("sql", "SELECT 1", env={"NEWSMON_DBB": "x"})
    assert typo.returncode == 1 and "NEWSMON_DBB" in typo.stderr and "Traceback" not in typo.stderr
    nodb = run_cli("--db", str(tmp_path / "none.duckdb"), "sql", "SELECT 1")
    assert nodb.returncode == 1 and "does not exist yet" in nodb.stderr


@pytest.mark.prefect
def test_run_twice_on_the_default_seeds_with_a_prefect_server(
    prefect_api: str, tmp_path: Path
) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    env = {"PREFECT_API_URL": prefect_api}
    first = run_cli("run", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "5 inputs, 5 added, 0 already in the warehouse, 0 skipped" in first.stdout
    assert "alerts: no new spikes" in first.stdout  # detection ran after the cycle
    assert (tmp_path / "warehouse" / "newsmon.duckdb").exists()
    second = run_cli("run", cwd=tmp_path, env=env)
    assert second.returncode == 0, second.stderr
    assert "nothing new" in second.stdout and "files: 5 files unchanged" in second.stdout
    assert "nothing new" in second.stdout


def test_first_run_without_a_prefect_server_runs_in_process_and_says_so(tmp_path: Path) -> None:
    """No server configured: the cycle runs as plain functions (no temporary server to
    start), is recorded in the warehouse, and the user learns how to get Prefect's UI."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    env = {"PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": ""}
    result = run_cli("ingest", "seeds", cwd=tmp_path, env=env, timeout=400)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "5 added" in result.stdout
    assert "no Prefect server running" in result.stderr and "newsmon up" in result.stderr
    assert not (tmp_path / "prefect-home").exists()  # Prefect was not even imported
    runs = Warehouse(tmp_path / "warehouse" / "newsmon.duckdb").query(
        "SELECT trigger, status, added FROM runs").rows
    assert runs == [("ingest", "ok", 5)]


def _gone_server() -> str:
    """A Prefect API URL on a loopback port where nothing listens (a server that ended)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/api"


@pytest.mark.parametrize("mode", ["never", "auto"])
def test_a_prefect_url_where_nothing_answers_runs_the_cycle_in_process(
    tmp_path: Path, mode: str
) -> None:
    """A PREFECT_API_URL left in the environment after its server ended: the cycle and the
    spike detection after it run in-process and the run says why. Detection used to
    follow the variable alone and, under NEWSMON_PREFECT=never, failed the run."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    gone = _gone_server()
    env = {"NEWSMON_PREFECT": mode, "PREFECT_API_URL": gone,
           "PREFECT_HOME": str(tmp_path / "prefect-home")}
    result = run_cli("run", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "5 inputs, 5 added" in result.stdout
    assert "alerts: no new spikes" in result.stdout
    assert "Failed to reach API" not in result.stderr
    why = "NEWSMON_PREFECT=never" if mode == "never" else f"PREFECT_API_URL {gone} does not answer"
    assert f"newsmon: {why}: the run is recorded in the warehouse only" in result.stderr
    assert not (tmp_path / "prefect-home").exists()  # Prefect was not even imported


def test_always_prefect_with_a_url_where_nothing_answers_is_one_line(tmp_path: Path) -> None:
    gone = _gone_server()
    result = run_cli("ingest", str(SEEDS), cwd=tmp_path,
                     env={"NEWSMON_PREFECT": "always", "PREFECT_API_URL": gone})
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [f"newsmon: error: PREFECT_API_URL {gone}: nothing answers there (start "
                     "the server, or unset it to let newsmon start one)"], result.stderr
    assert not (tmp_path / "warehouse" / "newsmon.duckdb").exists()  # refused before any run


@pytest.mark.slow
@pytest.mark.prefect
def test_first_run_on_a_fresh_machine_can_start_its_own_temporary_prefect(tmp_path: Path) -> None:
    """NEWSMON_PREFECT=always and an empty Prefect home: the slow first start of a temporary
    server must not time out, and the run goes through it."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    env = {"PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_API_URL": "",
           "NEWSMON_PREFECT": "always"}
    result = run_cli("ingest", "seeds", cwd=tmp_path, env=env, timeout=400)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "5 added" in result.stdout
    assert "starting a temporary Prefect server" in result.stderr


@pytest.mark.slow
@pytest.mark.prefect
def test_a_locked_or_damaged_warehouse_is_one_line_under_ingest(
    prefect_api: str, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    # the warehouse to lock and damage (made in-process: what is checked is below)
    assert cycle.run_cycle(Settings(db=db), [SEEDS], "ingest").added == 5
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        locked = run_cli("--db", str(db), "ingest", str(SEEDS),
                         env={"PREFECT_API_URL": prefect_api, "NEWSMON_LOCK_TIMEOUT_S": "1"})
    finally:
        holder.kill()
        holder.wait()
    assert locked.returncode == 1
    assert locked.stderr.strip().splitlines() == [
        f"newsmon: error: warehouse {db} is locked by another process "
        f"({locked.stderr.split('another process (', 1)[1].strip()}"]
    # all but the headers gone, as after a full disk: cutting it in half is not enough,
    # a small warehouse's blocks may all sit in the first half of its file
    with db.open("r+b") as handle:
        handle.truncate(3 * 4096 + 1000)
    for args in (("sql", "SELECT count(*) FROM articles"), ("ingest", str(SEEDS))):
        damaged = run_cli("--db", str(db), *args, env={"PREFECT_API_URL": prefect_api})
        assert damaged.returncode == 1, args
        lines = damaged.stderr.strip().splitlines()
        assert len(lines) == 1 and f"warehouse {db} is damaged" in lines[0], (args, lines)
        assert "restore it from a backup, or move it aside" in lines[0]


def test_a_named_configuration_file_that_is_missing_stops_every_command(
    filled_db: Path, tmp_path: Path
) -> None:
    """sql and search never read the configuration; a --config or NEWSMON_CONFIG naming no
    file is a typo all the same, and they must say so instead of going on without it."""
    missing = tmp_path / "newsmon.tmol"
    by_option = read_cli("--db", str(filled_db), "--config", str(missing), "sql", "SELECT 1")
    by_env = read_cli("--db", str(filled_db), "search", "Kim", env={"NEWSMON_CONFIG": str(missing)})
    for done in (by_option, by_env):
        assert done.returncode == 1
        assert done.stderr.strip() == f"newsmon: error: {missing}: configuration file not found"
        assert done.stdout == ""
    present = tmp_path / "newsmon.toml"
    present.write_text("")
    fine = read_cli("--db", str(filled_db), "--config", str(present), "sql", "SELECT 1 AS one")
    assert fine.returncode == 0, fine.stderr
    assert fine.stdout.split()[:3] == ["one", "---", "1"]


def test_an_alert_url_no_service_takes_is_refused_when_the_configuration_is_read(
    tmp_path: Path,
) -> None:
    """Found when a command reads the configuration, not when the first spike is sent
    (delivery would fail then, after the cycle, and only say so in the alerts table)."""
    config = tmp_path / "newsmon.toml"
    config.write_text('[alerts]\nurls = ["json://127.0.0.1:9/hook", "smoke-signal://hill"]\n',
                      encoding="utf-8")
    done = read_cli("--config", str(config), "topics")
    assert done.returncode == 1
    [line] = done.stderr.strip().splitlines()
    assert line.startswith(f"newsmon: error: {config}: alerts.urls[1]: not a URL apprise "
                           "understands (scheme smoke-signal; target ")
    config.write_text('[alerts]\nurls = ["json://127.0.0.1:9/hook"]\n', encoding="utf-8")
    fine = read_cli("--config", str(config), "topics")
    assert fine.returncode == 0, fine.stderr


def test_a_configured_source_that_is_gone_names_the_file_and_the_key(tmp_path: Path) -> None:
    (tmp_path / "here").mkdir()
    config = tmp_path / "newsmon.toml"
    config.write_text('[sources]\npaths = ["here", "gone"]\n', encoding="utf-8")
    done = run_cli("--db", str(tmp_path / "w.duckdb"), "run", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        f"newsmon: error: {config}: sources.paths[1]: {tmp_path / 'gone'} does not exist")
    assert not (tmp_path / "w.duckdb").exists()  # found before anything is written


def test_a_reject_is_one_line_whatever_its_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "two\nlines.txt").write_text("A note.\n", encoding="utf-8")
    (folder / "desk").symlink_to(folder)  # a loop: named, not followed again
    done = run_cli("--db", str(tmp_path / "w.duckdb"), "ingest", str(folder))
    assert done.returncode == 0, done.stderr
    skipped = [line for line in done.stderr.splitlines() if "skipped" in line]
    assert skipped == [
        f"newsmon: WARNING: skipped {folder}/desk (unreadable): a link to a folder read "
        "already in this run (a loop): its files are read once",
        f"newsmon: WARNING: skipped {folder}/two\\nlines.txt (too_short): 2 words, fewer "
        "than 40"]


def test_ingest_reads_the_file_url_the_warehouse_stores_as_its_path(tmp_path: Path) -> None:
    """A search result names a local article by its file:// URL; given back to ingest (to
    read it again elsewhere) it is the file it names, spaces and accents included."""
    folder = tmp_path / "saved pages"
    folder.mkdir()
    seed = sorted(SEEDS.glob("*.txt"))[0]
    copy = folder / "Kim in Rußland.txt"
    shutil.copy(seed, copy)
    db = tmp_path / "w.duckdb"
    done = run_cli("--db", str(db), "ingest", copy.as_uri(), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 added" in done.stdout
    stored = read_cli("--db", str(db), "sql", "SELECT url FROM articles", "--format", "csv")
    assert stored.stdout.splitlines()[1:] == [copy.as_uri()]
    remote = run_cli("--db", str(db), "ingest", "file://fileserver/share/page.html",
                     cwd=tmp_path)
    assert remote.returncode == 1 and remote.stderr.strip() == (
        "newsmon: error: file://fileserver/share/page.html: a file URL names a file on this "
        "machine (file:///path)")


def test_ingest_of_an_api_whose_key_is_not_set_says_which(tmp_path: Path) -> None:
    url = "https://content.guardianapis.com/search?api-key=${NEWSMON_TEST_UNSET_KEY}"
    done = run_cli("--db", str(tmp_path / "w.duckdb"), "ingest", url, cwd=tmp_path)
    assert done.returncode == 1 and done.stderr.strip() == (
        f"newsmon: error: {url}: ${{NEWSMON_TEST_UNSET_KEY}} is not set in the environment")
    assert not (tmp_path / "w.duckdb").exists()


def test_a_warehouse_in_a_missing_folder_is_refused_not_created(tmp_path: Path) -> None:
    db = tmp_path / "no-such-folder" / "w.duckdb"
    done = run_cli("--db", str(db), "ingest", str(SEEDS), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == (f"newsmon: error: {db}: the folder {db.parent} does not "
                                   "exist (create it first, or check --db / NEWSMON_DB)")
    assert not db.parent.exists()


def test_usage_errors_are_one_line_naming_the_help_and_exit_2() -> None:
    for args, expected in [
        (("stories", "--limit", "0"), "newsmon: error: Invalid value for '--limit': 0 is not in "
                                      "the range 1<=x<=1000 (see newsmon stories --help)"),
        (("trends", "--by", "week"), "newsmon: error: Invalid value for '--by': 'week' is not "
                                     "one of 'hour', 'day' (see newsmon trends --help)"),
        (("nosuch",), "newsmon: error: No such command 'nosuch' (see newsmon --help)"),
        (("topics", "tag", "--titel", "x", "-"),
         "newsmon: error: No such option '--titel'. (Did you mean one of: '--help', "
         "'--title'?) (see newsmon topics tag --help)"),
    ]:
        done = read_cli(*args)
        assert (done.returncode, done.stdout, done.stderr.strip()) == (2, "", expected), args
    real = run_cli("stories", "--limit", "0")  # the installed script says the same
    assert (real.returncode, real.stderr.strip()) == (2, (
        "newsmon: error: Invalid value for '--limit': 0 is not in the range 1<=x<=1000 "
        "(see newsmon stories --help)"))
    bare = run_cli()  # no command: the help, as before
    assert bare.returncode == 2 and bare.stderr.startswith("Usage: newsmon [OPTIONS] COMMAND")
