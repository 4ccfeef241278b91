"""The two shared guards: control characters never pass, and inputs are regular files read with a cap."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from simulator.safefiles import InputFileError, read_regular
from simulator.safetext import has_controls, strip_controls

OSC52 = "\x1b]52;c;ZXZpbA==\x07"


def test_osc52_clear_screen_and_c1_are_removed_but_lines_and_tabs_stay() -> None:
    text = f"before{OSC52}\x1b[2J\x9b31m mid\tcol\nnext\r line\x7f"
    cleaned = strip_controls(text)
    assert cleaned == "before]52;c;ZXZpbA==[2J31m mid\tcol\nnext line"
    assert not has_controls(cleaned)
    assert has_controls(text)


def test_one_line_form_turns_newlines_and_tabs_into_spaces() -> None:
    assert strip_controls("a\nb\tc\x1bd", multiline=False) == "a b cd"


def test_plain_unicode_is_untouched() -> None:
    text = "Überweisung an Ørsted — 東京 ✓"
    assert strip_controls(text) == text


def test_reads_a_regular_file_and_follows_a_link_to_one(tmp_path: Path) -> None:
    target = tmp_path / "map.yaml"
    target.write_bytes(b"id: x\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert read_regular(link) == b"id: x\n"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_even_behind_a_link(tmp_path: Path, device: str) -> None:
    link = tmp_path / "roster.yaml"
    link.symlink_to(device)
    with pytest.raises(InputFileError, match="not a regular file \\(a device\\)"):
        read_regular(link)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="a FIFO"):
        read_regular(fifo)


def test_a_folder_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="a folder"):
        read_regular(tmp_path)
    with pytest.raises(InputFileError, match="No such file"):
        read_regular(tmp_path / "absent.yaml")


def test_a_file_over_the_cap_is_refused_with_its_size(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 3000)
    assert read_regular(big, limit=3000) == b"x" * 3000
    with pytest.raises(InputFileError, match=r"3 KB; expected at most 2 KB"):
        read_regular(big, limit=2048)
