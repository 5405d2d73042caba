"""Where requested files may be written, and the errors that name them."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsmon.core.errors import InputError
from newsmon.core.output_files import write_output


def test_a_file_is_written_where_its_folder_exists(tmp_path: Path) -> None:
    write_output(tmp_path / "list.opml", b"<opml/>", "OPML list")
    assert (tmp_path / "list.opml").read_bytes() == b"<opml/>"


def test_a_missing_folder_or_an_unwritable_path_is_one_error_naming_the_file(
    tmp_path: Path,
) -> None:
    with pytest.raises(InputError) as missing:
        write_output(tmp_path / "typo" / "list.opml", b"", "OPML list")
    assert str(missing.value) == (
        f"{tmp_path / 'typo' / 'list.opml'}: the folder {tmp_path / 'typo'} does not exist")
    assert not (tmp_path / "typo").exists()
    (tmp_path / "taken").mkdir()
    with pytest.raises(InputError) as folder:
        write_output(tmp_path / "taken", b"", "OPML list")
    assert str(folder.value) == f"{tmp_path / 'taken'}: cannot write the OPML list: Is a directory"
