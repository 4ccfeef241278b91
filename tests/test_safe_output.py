"""Every file ttx writes goes through one writer: never over a session, a device or a user's file."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from simulator import sessions
from simulator.cli import main
from simulator.reporting.markdown import MARKDOWN_AAR_MARK
from simulator.safewrite import SESSION_FILES, SESSION_REPORTS, OutputError, write_output
from tests.reports_support import make_session


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return make_session(tmp_path / "ws", monkeypatch)


def ttx(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_the_writer_knows_the_session_file_names() -> None:
    assert {sessions.JOURNAL_NAME, sessions.SCENARIO_COPY, sessions.MAP_COPY} == SESSION_FILES
    assert sessions.REPORT_JSON in SESSION_REPORTS


@pytest.mark.parametrize("name", ["journal.jsonl", "scenario.yaml", "map.yaml"])
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_report_never_writes_over_the_session_itself(folder: Path, name: str, force: list[str]) -> None:
    before = (folder / name).read_bytes()
    result = CliRunner().invoke(main, ["report", str(folder), "--format", "md", "-o", str(folder / name), *force])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "never writes over a session's journal or its copies" in result.stderr
    assert (folder / name).read_bytes() == before


def test_report_refuses_a_users_file_unless_forced(folder: Path, tmp_path: Path) -> None:
    mine = tmp_path / "notes.md"
    mine.write_text("my notes\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["report", str(folder), "--format", "md", "-o", str(mine)])
    assert refused.exit_code == 2
    expected = f"{mine} already exists; not overwriting it — give another path, or --force to replace it\n"
    assert refused.stderr == expected
    assert mine.read_text(encoding="utf-8") == "my notes\n"
    forced = CliRunner().invoke(main, ["report", str(folder), "--format", "md", "-o", str(mine), "--force"])
    assert forced.exit_code == 0, forced.output
    assert mine.read_text(encoding="utf-8").startswith(MARKDOWN_AAR_MARK + "\n# After-action report: ")


@pytest.mark.parametrize("format_", ["json", "html", "csv", "md"])
def test_a_report_ttx_wrote_is_replaced_without_force(folder: Path, tmp_path: Path, format_: str) -> None:
    out = tmp_path / f"out.{format_}"
    assert ttx("report", str(folder), "--format", format_, "-o", str(out)).exit_code == 0
    first = out.read_bytes()
    out.write_bytes(first.replace(b"Golden", b"Edited"))  # still carries ttx's mark
    again = CliRunner().invoke(main, ["report", str(folder), "--format", format_, "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert out.read_bytes() == first


def test_report_files_in_the_session_folder_are_ttxs_own(folder: Path) -> None:
    (folder / "report.md").write_text("stale\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(folder), "--format", "md", "-o", str(folder / "report.md")])
    assert result.exit_code == 0, result.output
    written = (folder / "report.md").read_text(encoding="utf-8")
    assert written.startswith(MARKDOWN_AAR_MARK + "\n# After-action report: ")


def test_schema_replaces_its_own_schemas_but_not_another_file(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    assert CliRunner().invoke(main, ["schema", "--out", str(out)]).exit_code == 0
    assert CliRunner().invoke(main, ["schema", "--out", str(out)]).exit_code == 0
    (out / "ttx-map.schema.json").write_text("{}\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["schema", "--out", str(out)])
    assert refused.exit_code == 2
    assert (out / "ttx-map.schema.json").read_text(encoding="utf-8") == "{}\n"


@pytest.mark.parametrize(
    "args",
    [
        ["graph", "--machine", "-o"],
        ["handout", "ransomware-file-server", "--seed", "1", "-o"],
        ["new", "scenario", "x", "-o"],
        ["new", "map", "x", "-o"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_every_writing_command_refuses_an_existing_file_without_force(args: list[str], tmp_path: Path) -> None:
    target = tmp_path / "mine.txt"
    target.write_text("keep me\n", encoding="utf-8")
    refused = CliRunner().invoke(main, [*args, str(target)])
    assert refused.exit_code == 2
    assert "already exists; not overwriting it" in refused.stderr
    assert target.read_text(encoding="utf-8") == "keep me\n"
    forced = CliRunner().invoke(main, [*args, str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8") != "keep me\n"


def test_trend_refuses_an_existing_file_without_force(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "trend.md"
    target.write_text("keep me\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["trend", str(folder.parent), "--format", "md", "-o", str(target)])
    assert result.exit_code == 2
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_a_full_device_stays_a_device_and_the_error_is_one_line(folder: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(folder), "--format", "md", "-o", "/dev/full", "--force"])
    assert result.exit_code == 1
    assert result.stderr == "cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_fifo_is_written_as_a_stream_and_stays_a_fifo(folder: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = CliRunner().invoke(main, ["report", str(folder), "--format", "json", "-o", str(fifo)])
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received and received[0].startswith(b'{\n  "format": "ttx-report/1"')
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_planted_at_the_temporary_name_is_never_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    monkeypatch.setattr("simulator.safewrite.secrets.token_hex", lambda _n: "guessed")
    (tmp_path / ".out.md.guessed.tmp").symlink_to(victim)
    with pytest.raises(OutputError, match=r"cannot write .*out\.md: File exists"):
        write_output(tmp_path / "out.md", "# report\n")
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "out.md").exists()


def test_the_old_fixed_temporary_name_is_not_used(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (tmp_path / ".out.md.tmp").symlink_to(victim)
    write_output(tmp_path / "out.md", "# report\n")
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == "# report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.md.tmp", "out.md", "victim.txt"]


def test_a_link_to_a_file_is_judged_by_the_file_it_names(folder: Path, tmp_path: Path) -> None:
    link = tmp_path / "innocent.md"
    link.symlink_to(folder / "journal.jsonl")
    before = (folder / "journal.jsonl").read_bytes()
    with pytest.raises(OutputError, match="never writes over a session's journal"):
        write_output(link, "x", force=True)
    assert (folder / "journal.jsonl").read_bytes() == before


def test_a_dangling_link_and_a_folder_are_refused(tmp_path: Path) -> None:
    (tmp_path / "dangling.md").symlink_to(tmp_path / "nowhere" / "file.md")
    with pytest.raises(OutputError, match="link to a missing file"):
        write_output(tmp_path / "dangling.md", "x", force=True)
    assert not (tmp_path / "nowhere").exists()
    with pytest.raises(OutputError, match="it is a folder"):
        write_output(tmp_path, "x", force=True)


def test_a_new_file_is_written_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    write_output(tmp_path / "sub" / "out.csv", "a,b\n", create_folders=True)
    assert (tmp_path / "sub" / "out.csv").read_bytes() == b"a,b\n"
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["out.csv"]


@pytest.mark.parametrize(
    "args",
    [["graph", "stolen-laptop", "-o"], ["graph", "--machine", "-o"], ["handout", "stolen-laptop", "--seed", "4", "-o"]],
    ids=lambda args: " ".join(args[:2]),
)
def test_graph_and_handout_replace_their_own_file_without_force(args: list[str], tmp_path: Path) -> None:
    # Authors re-run these after every edit of the scenario: ttx's own file is no one else's work.
    out = tmp_path / "out.md"
    assert CliRunner().invoke(main, [*args, str(out)]).exit_code == 0
    first = out.read_text(encoding="utf-8")
    assert first.startswith(("%% written by ttx graph\n", "<!-- ttx handout: scenario stolen-laptop, seed 4 -->\n"))
    out.write_text(first + "an edit\n", encoding="utf-8")
    again = CliRunner().invoke(main, [*args, str(out)])
    assert again.exit_code == 0, again.output
    assert out.read_text(encoding="utf-8") == first
