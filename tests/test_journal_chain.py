"""The journal's hash chain, its bounded reading, and the crash-handling corners of reading and reopening.

Expected hashes are computed here from the rule in docs/journal.md (SHA-256 of the previous
line's stored bytes without the newline), never taken from the code under test.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from simulator.cli import main
from simulator.journal import Journal, JournalError, TamperedJournal, make_event, read_journal
from simulator.records import Header, SourceFile

FIXTURES = Path(__file__).parent / "fixtures" / "engine"
LOOP_ANSWERS = """\
who-triages: analyst
who-confirms: nobody
who-rates: [analyst, observer]
who-authorises: lead
who-leads: analyst
"""


def header(**changes: object) -> Header:
    fields: dict[str, object] = {
        "scenario": SourceFile("loop", "/somewhere/loop.yaml", "0" * 64, "scenario.yaml"),
        "map": SourceFile("tiny", "/somewhere/tiny-map.yaml", "1" * 64, "map.yaml"),
        "seed": 5,
        "roster": [{"name": "Team", "roles": ["lead"]}],
        "mode": "headless",
        "started_at": "2026-11-23T02:14:00+00:00",
    }
    fields.update(changes)
    return Header(**fields)  # type: ignore[arg-type]


def note(text: str) -> dict[str, object]:
    return make_event("note_added", author="F", text=text, step=None, decision=None, clock="")


def notes_journal(path: Path, count: int) -> None:
    with Journal.create(path, header()) as journal:
        for n in range(count):
            journal.append(note(f"note {n}"))


def sha(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()


def ttx(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One finished headless session of the loop scenario (8 answers), to copy and tamper with."""
    root = tmp_path_factory.mktemp("played")
    answers = root / "answers.yaml"
    answers.write_text(LOOP_ANSWERS, encoding="utf-8")
    result = ttx(
        "run", FIXTURES / "loop.yaml", "--map", FIXTURES / "tiny-map.yaml", "--seed", "1", "--out", root / "ws",
        "--answers", answers,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [folder] = (root / "ws").iterdir()
    return folder


@pytest.fixture
def session(played: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(played, tmp_path / played.name))


def lines_of(folder: Path) -> list[bytes]:
    return (folder / "journal.jsonl").read_bytes().split(b"\n")[:-1]


def write_lines(folder: Path, lines: list[bytes]) -> None:
    (folder / "journal.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))


def number_of(lines: list[bytes], kind: str, nth: int = 0) -> int:
    """The 1-based line number of the nth event of `kind`."""
    return [i for i, line in enumerate(lines, start=1) if json.loads(line)["type"] == kind][nth]


# --- the chain as written ----------------------------------------------------------------------


def test_every_event_line_carries_the_hash_of_the_line_before(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    notes_journal(path, 3)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 5
    assert json.loads(lines[0])["format"] == "ttx-journal/2" and "prev_sha256" not in json.loads(lines[0])
    for before, line in itertools.pairwise(lines[:4]):
        assert json.loads(line)["prev_sha256"] == sha(before)
    assert line.endswith(b'"prev_sha256":"' + sha(lines[2]).encode() + b'"}')  # written last
    contents = read_journal(path)
    assert [e["text"] for e in contents.events] == ["note 0", "note 1", "note 2"]
    assert all("prev_sha256" not in e for e in contents.events)  # events read back as the engine made them
    assert contents.warnings == [] and contents.tampered == [] and contents.chained


def test_a_played_session_verifies_and_its_report_says_verified(session: Path) -> None:
    lines = lines_of(session)
    assert len(lines) > 20
    for number in range(2, len(lines) + 1):
        assert json.loads(lines[number - 1])["prev_sha256"] == sha(lines[number - 2]), number
    report = json.loads((session / "report.json").read_text(encoding="utf-8"))
    assert report["journal_chain"] == {"status": "verified", "accepted_tampered": False, "broken_lines": []}


# --- tampering is named by its line ----------------------------------------------------------


def test_an_edited_answer_breaks_the_chain_on_the_next_line(session: Path) -> None:
    lines = lines_of(session)
    k = number_of(lines, "answer_recorded", 3)
    event = json.loads(lines[k - 1])
    assert event["roles"] == ["analyst"]
    event["roles"] = ["lead"]
    lines[k - 1] = json.dumps(event, separators=(",", ":")).encode()
    write_lines(session, lines)
    with pytest.raises(TamperedJournal) as raised:
        read_journal(session / "journal.jsonl")
    assert str(raised.value) == (
        f"{session / 'journal.jsonl'}:{k + 1}: the hash chain breaks here: line {k} was changed,"
        f" or a line was removed, added or moved just before line {k + 1}"
    )
    result = ttx("report", session)
    assert result.exit_code == 1
    assert f"journal.jsonl:{k + 1}: the hash chain breaks here" in result.stderr
    assert "give --accept-tampered to score it anyway" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("change", ["duplicate", "delete", "swap"])
def test_duplicated_removed_or_moved_lines_are_named(session: Path, change: str) -> None:
    lines = lines_of(session)
    k = number_of(lines, "answer_recorded", 1)
    if change == "duplicate":
        lines.insert(k, lines[k - 1])  # the copy becomes line k+1, and breaks the chain there
        expected = k + 1
    elif change == "delete":
        del lines[k - 1]  # line k is now what was line k+1: its hash names the deleted line
        expected = k
    else:
        lines[k - 1], lines[k] = lines[k], lines[k - 1]
        expected = k
    write_lines(session, lines)
    with pytest.raises(TamperedJournal, match=rf"journal\.jsonl:{expected}: the hash chain breaks here"):
        read_journal(session / "journal.jsonl")


def test_a_line_without_its_hash_is_named(session: Path) -> None:
    lines = lines_of(session)
    event = json.loads(lines[4])
    del event["prev_sha256"]
    lines[4] = json.dumps(event).encode()
    write_lines(session, lines)
    with pytest.raises(TamperedJournal, match=r"journal\.jsonl:5: the hash chain breaks here: the line carries no"):
        read_journal(session / "journal.jsonl")


def test_accept_tampered_reads_it_and_lists_every_break(session: Path) -> None:
    lines = lines_of(session)
    for k in (6, 12):
        event = json.loads(lines[k - 1])
        event["at"] = "2020-01-01T00:00:00.000+00:00"
        lines[k - 1] = json.dumps(event, separators=(",", ":")).encode()
    write_lines(session, lines)
    contents = read_journal(session / "journal.jsonl", accept_tampered=True)
    assert contents.broken_lines == [7, 13]
    assert len(contents.tampered) == 2 and ":7: the hash chain breaks here" in contents.tampered[0]


def test_report_with_accept_tampered_says_so_in_every_format(session: Path, tmp_path: Path) -> None:
    lines = lines_of(session)
    k = number_of(lines, "answer_recorded", 0)
    event = json.loads(lines[k - 1])
    event["latency_ms"] = 1
    lines[k - 1] = json.dumps(event, separators=(",", ":")).encode()
    write_lines(session, lines)
    notice = (
        f"Tampered journal: its hash chain breaks at line {k + 1}; scored anyway (--accept-tampered),"
        " so these figures may not be what was played."
    )
    term = ttx("report", session, "--accept-tampered")
    assert term.exit_code == 0, term.output
    assert notice in " ".join(term.stdout.split())  # Rich may wrap the line
    assert f"journal.jsonl:{k + 1}: the hash chain breaks here" in term.stderr  # the warning names the line
    as_json = json.loads(ttx("report", session, "--accept-tampered", "--format", "json").stdout)
    assert as_json["journal_chain"] == {"status": "broken", "accepted_tampered": True, "broken_lines": [k + 1]}
    markdown = ttx("report", session, "--accept-tampered", "--format", "md").stdout
    assert f"**Tampered journal: its hash chain breaks at line {k + 1};" in markdown.splitlines()[5]
    html = ttx("report", session, "--accept-tampered", "--format", "html").stdout
    cover = html[html.index('<header class="cover">') : html.index("</header>")]
    assert f"Tampered journal: its hash chain breaks at line {k + 1};" in cover
    rows = list(csv.reader(io.StringIO(ttx("report", session, "--accept-tampered", "--format", "csv").stdout)))
    assert rows[0] == [notice] and rows[1][:2] == ["No.", "Priority"]
    saved = tmp_path / "summary.txt"
    assert ttx("report", session, "--accept-tampered", "-o", saved).exit_code == 0
    assert saved.read_text(encoding="utf-8").splitlines()[0] == notice


def test_an_untampered_report_has_no_notice(session: Path) -> None:
    markdown = ttx("report", session, "--format", "md").stdout
    csv_text = ttx("report", session, "--format", "csv").stdout
    assert "Tampered" not in markdown and csv_text.startswith("No.,Priority,")


# --- copies: only the two files inside the session folder ---------------------------------------


@pytest.mark.parametrize("copy", ["/etc/passwd", "../../../etc/passwd", "other.yaml", "sub/scenario.yaml"])
def test_a_header_copy_outside_the_folder_is_refused(tmp_path: Path, copy: str) -> None:
    path = tmp_path / "journal.jsonl"
    scenario = SourceFile("loop", "/x/loop.yaml", "0" * 64, copy)
    Journal.create(path, header(scenario=scenario)).close()
    with pytest.raises(JournalError) as raised:
        read_journal(path)
    assert str(raised.value) == (
        f"{path}:1: the header names copy {copy!r}; a session's copies are only ever"
        " 'scenario.yaml' and 'map.yaml' inside its folder"
    )


def test_report_never_loads_a_copy_named_outside_the_folder(session: Path) -> None:
    lines = lines_of(session)
    first = json.loads(lines[0])
    first["map"]["copy"] = "/etc/hostname"
    lines[0] = json.dumps(first, separators=(",", ":")).encode()
    write_lines(session, lines)
    result = ttx("report", session, "--accept-tampered")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{session / 'journal.jsonl'}:1: the header names copy '/etc/hostname'; a session's copies are only ever"
        " 'scenario.yaml' and 'map.yaml' inside its folder"
    )


# --- older journals ---------------------------------------------------------------------------------


def unchained(folder: Path) -> None:
    """Turn a session's journal into the ttx-journal/1 it would have been: no chain."""
    lines = lines_of(folder)
    first = json.loads(lines[0])
    first["format"] = "ttx-journal/1"
    out = [json.dumps(first, separators=(",", ":")).encode()]
    for line in lines[1:]:
        event = json.loads(line)
        del event["prev_sha256"]
        out.append(json.dumps(event, separators=(",", ":")).encode())
    write_lines(folder, out)


def test_a_format_1_journal_is_read_with_a_notice(session: Path) -> None:
    unchained(session)
    contents = read_journal(session / "journal.jsonl")
    assert not contents.chained
    assert contents.warnings == [
        f"{session / 'journal.jsonl'}:1: journal format 'ttx-journal/1' carries no hash chain:"
        " edits to it cannot be detected"
    ]
    assert len(contents.of_type("answer_recorded")) == 8
    result = ttx("report", session, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "carries no hash chain" in result.stderr
    assert json.loads(result.stdout)["journal_chain"]["status"] == "none"


def test_resuming_a_format_1_journal_goes_on_without_a_chain(session: Path) -> None:
    unchained(session)
    lines = lines_of(session)
    cut = number_of(lines, "answer_recorded", 2)
    write_lines(session, lines[:cut])
    answers = session.parent / "answers.yaml"
    answers.write_text(LOOP_ANSWERS, encoding="utf-8")
    result = ttx("resume", session, "--answers", answers)
    assert result.exit_code == 0, result.output
    after = lines_of(session)
    assert after[:cut] == lines[:cut]
    assert all("prev_sha256" not in json.loads(line) for line in after)
    assert len(read_journal(session / "journal.jsonl").of_type("answer_recorded")) == 8


# --- replay refusals (the chain recomputed, as a careful editor would) --------------------------------


def rechain(lines: list[bytes]) -> list[bytes]:
    out = [lines[0]]
    for line in lines[1:]:
        event = json.loads(line)
        event["prev_sha256"] = sha(out[-1])
        out.append(json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode())
    return out


def test_a_duplicated_answer_is_refused_with_its_line(session: Path) -> None:
    lines = lines_of(session)
    k = number_of(lines, "answer_recorded", 0)
    lines.insert(k, lines[k - 1])
    write_lines(session, rechain(lines))
    result = ttx("report", session)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{session / 'journal.jsonl'}: journal line {k + 1}: answer #2 in the journal answers decision"
        " 'who-triages' (attempt 1) a second time; a decision is answered once each time it is asked"
    )


def test_an_answer_with_an_unexpected_attempt_is_refused(session: Path) -> None:
    lines = lines_of(session)
    k = number_of(lines, "answer_recorded", 6)  # who-authorises, asked once
    event = json.loads(lines[k - 1])
    assert (event["decision"], event["attempt"]) == ("who-authorises", 1)
    event["attempt"] = 2
    lines[k - 1] = json.dumps(event).encode()
    write_lines(session, rechain(lines))
    result = ttx("report", session)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{session / 'journal.jsonl'}: journal line {k}: answer #7 in the journal is attempt 2 of decision"
        " 'who-authorises', but the decision is asked for attempt 1 here"
    )


def test_more_answers_than_the_scenario_asks_are_refused(session: Path) -> None:
    lines = lines_of(session)
    last_answer = number_of(lines, "answer_recorded", 7)
    assert json.loads(lines[-1])["type"] == "session_ended"
    extra = json.loads(lines[last_answer - 1])
    extra["attempt"] = 2
    lines.insert(len(lines) - 1, json.dumps(extra).encode())  # before the ending: no decision waits
    write_lines(session, rechain(lines))
    result = ttx("report", session)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{session / 'journal.jsonl'}: journal line {len(lines) - 1}: answer #9 in the journal (decision"
        " 'who-leads') comes when no decision is waiting: more answers than the scenario asks"
    )


def test_two_endings_are_refused(session: Path) -> None:
    lines = lines_of(session)
    lines.append(lines[-1])
    write_lines(session, rechain(lines))
    with pytest.raises(JournalError) as raised:
        read_journal(session / "journal.jsonl")
    assert str(raised.value) == (
        f"{session / 'journal.jsonl'}:{len(lines)}: a second 'session_ended' (the session ended on line"
        f" {len(lines) - 1}); a journal ends once"
    )
    assert ttx("report", session).exit_code == 1


def test_trend_skips_a_tampered_or_duplicated_journal_naming_the_line(session: Path, tmp_path: Path) -> None:
    (session / "report.json").unlink()
    lines = lines_of(session)
    k = number_of(lines, "answer_recorded", 0)
    twin = Path(shutil.copytree(session, tmp_path / "twin" / session.name))
    lines_twin = list(lines)
    lines.insert(k, lines[k - 1])
    write_lines(session, lines)  # chain broken
    lines_twin.insert(k, lines_twin[k - 1])
    write_lines(twin, rechain(lines_twin))  # chain mended: the replay refuses it
    result = ttx("trend", session.parent, tmp_path / "twin")
    assert result.exit_code == 1
    assert f"journal.jsonl:{k + 1}: the hash chain breaks here" in result.stderr
    assert f"journal line {k + 1}: answer #2 in the journal answers decision 'who-triages'" in result.stderr


# --- bounded, located reading ---------------------------------------------------------------------------


def test_a_huge_integer_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    notes_journal(path, 2)
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2][:-1] + b',"latency_ms":' + b"9" * 5000 + b"}"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(JournalError) as raised:
        read_journal(path)
    assert str(raised.value) == f"{path}:3: a number too long to be real; the journal is damaged"


def test_a_huge_integer_on_the_last_line_is_not_taken_for_a_torn_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    notes_journal(path, 1)
    path.write_bytes(path.read_bytes() + b'{"type":"note_added","n":' + b"1" * 4400 + b"}")
    with pytest.raises(JournalError, match=r"journal\.jsonl:3: a number too long to be real"):
        read_journal(path)


def test_a_long_but_legal_latency_is_refused_as_out_of_range(session: Path) -> None:
    lines = lines_of(session)
    k = number_of(lines, "answer_recorded", 0)
    event = json.loads(lines[k - 1])
    event["latency_ms"] = 10**4000
    lines[k - 1] = json.dumps(event).encode()
    write_lines(session, rechain(lines))
    result = ttx("report", session)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{session / 'journal.jsonl'}:{k}: malformed answer"
        " (latency_ms: expected 0 to 1000000000000, got a number of 4001 digits)"
    )


def test_a_huge_seed_in_the_header_is_located(session: Path) -> None:
    lines = lines_of(session)
    lines[0] = lines[0].replace(b'"seed":1,', b'"seed":' + b"7" * 4500 + b",")
    write_lines(session, lines)
    result = ttx("report", session, "--accept-tampered")
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == f"{session / 'journal.jsonl'}:1: a number too long to be real; the journal is damaged"
    )


def test_a_deeply_nested_line_is_located(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    notes_journal(path, 1)
    path.write_bytes(path.read_bytes() + b"[" * 200_000 + b"]" * 200_000 + b"\n")
    with pytest.raises(JournalError) as raised:
        read_journal(path)
    assert str(raised.value) == f"{path}:3: a line nested too deeply to be an event; the journal is damaged"


def test_a_journal_that_is_a_device_or_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    zero = tmp_path / "zero" / "journal.jsonl"
    zero.parent.mkdir()
    zero.symlink_to("/dev/zero")
    with pytest.raises(JournalError) as raised:
        read_journal(zero)
    assert str(raised.value) == f"cannot read journal {zero}: not a regular file (a device); expected a file on disk"
    fifo = tmp_path / "fifo" / "journal.jsonl"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    with pytest.raises(JournalError, match="not a regular file \\(a FIFO\\)"):
        read_journal(fifo)
    result = ttx("report", fifo.parent)  # not taken for a session folder: no wait for a writer
    assert result.exit_code == 1 and result.stderr.startswith(f"no session '{fifo.parent}'")


def test_a_journal_over_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import simulator.journal

    path = tmp_path / "journal.jsonl"
    notes_journal(path, 10)
    size = path.stat().st_size
    monkeypatch.setattr(simulator.journal, "MAX_JOURNAL_BYTES", size - 1)
    with pytest.raises(JournalError, match=r"file is [\d,]+ (bytes|KB); expected at most"):
        read_journal(path)
    monkeypatch.setattr(simulator.journal, "MAX_JOURNAL_BYTES", size)
    assert len(read_journal(path).events) == 10


# --- crash corners of reading and reopening (each kills a mutant that no test caught) -------------------


def test_a_torn_first_event_is_a_skipped_torn_line_not_damage(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    Journal.create(path, header()).close()
    with open(path, "ab") as handle:
        handle.write(b'{"type":"stage_ent')  # the crash hit the very first event
    contents = read_journal(path)
    assert contents.events == []
    assert contents.warnings == [f"{path}:2: skipped a torn last line (an interrupted write)"]


def test_a_torn_header_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(b'{"type":"header","scen')
    with pytest.raises(JournalError, match=r"journal\.jsonl:1: not a complete JSON line"):
        read_journal(path)


@pytest.mark.parametrize("line", [b'{"at":"2026-11-23T02:14:00.000+00:00"}', b"[1,2,3]", b'"text"', b'{"type":7}'])
def test_an_event_without_a_type_is_a_located_error(tmp_path: Path, line: bytes) -> None:
    path = tmp_path / "journal.jsonl"
    notes_journal(path, 1)
    path.write_bytes(path.read_bytes() + line + b"\n")
    with pytest.raises(JournalError) as raised:
        read_journal(path)
    assert str(raised.value) == f"{path}:3: expected an event object with a 'type'"


def test_reopen_cuts_a_torn_tail_longer_than_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    notes_journal(path, 1)
    intact = path.read_bytes()
    torn = (
        b'{"type":"note_added","at":"2026-11-23T02:14:00.000+00:00","author":"F","text":"a long note that was cut'
        + b"x" * 200
    )
    path.write_bytes(intact + torn)
    with Journal.reopen(path) as journal:
        journal.append({"type": "note_added", "at": "", "author": "F", "text": "x"})  # far shorter than the torn tail
    data = path.read_bytes()
    assert data.startswith(intact)
    new_line = data[len(intact) :]
    assert len(new_line) < len(torn)  # what the new line does not overwrite must be cut, not left behind
    last = intact.split(b"\n")[-2]
    assert (
        new_line
        == b'{"type":"note_added","at":"","author":"F","text":"x","prev_sha256":"' + sha(last).encode() + b'"}\n'
    )
    assert [e.get("text") for e in read_journal(path).events] == ["note 0", "x"]


def test_close_releases_the_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"

    def descriptors_on_journal() -> int:
        found = 0
        for name in os.listdir("/proc/self/fd"):
            try:
                found += os.readlink(f"/proc/self/fd/{name}") == str(path)
            except OSError:
                continue
        return found

    journal = Journal.create(path, header())
    assert descriptors_on_journal() == 1
    journal.close()
    assert descriptors_on_journal() == 0
    reopened = Journal.reopen(path)
    assert descriptors_on_journal() == 1
    reopened.close()
    assert descriptors_on_journal() == 0


def test_resume_refuses_a_tampered_journal_unless_told(session: Path) -> None:
    lines = lines_of(session)
    cut = number_of(lines, "answer_recorded", 2)
    lines = lines[:cut]
    event = json.loads(lines[1])
    event["clock"] = "09:99"
    lines[1] = json.dumps(event, separators=(",", ":")).encode()
    write_lines(session, lines)
    answers = session.parent / "answers.yaml"
    answers.write_text(LOOP_ANSWERS, encoding="utf-8")
    refused = ttx("resume", session, "--answers", answers)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (
        f"{session / 'journal.jsonl'}:3: the hash chain breaks here: line 2 was changed, or a line was removed,"
        " added or moved just before line 3; give --accept-tampered to continue it anyway"
        " (its reports then say so on their cover)"
    )
    assert lines_of(session) == lines
    screen = ttx("resume", session, "--accept-tampered")
    assert screen.exit_code == 2 and "--accept-tampered continues a session headless only" in screen.stderr
    resumed = ttx("resume", session, "--answers", answers, "--accept-tampered")
    assert resumed.exit_code == 0, resumed.output
    after = read_journal(session / "journal.jsonl", accept_tampered=True)
    assert after.broken_lines == [3]  # the new lines chain on; the old break stays visible
    assert len(after.of_type("answer_recorded")) == 8
    report = json.loads((session / "report.json").read_text(encoding="utf-8"))
    assert report["journal_chain"] == {"status": "broken", "accepted_tampered": True, "broken_lines": [3]}


def test_a_header_set_back_to_format_1_does_not_skip_the_check(session: Path) -> None:
    lines = lines_of(session)
    first = json.loads(lines[0])
    first["format"] = "ttx-journal/1"
    lines[0] = json.dumps(first, separators=(",", ":")).encode()
    write_lines(session, lines)
    with pytest.raises(TamperedJournal) as raised:
        read_journal(session / "journal.jsonl")
    assert str(raised.value) == (
        f"{session / 'journal.jsonl'}:1: the header says format 'ttx-journal/1', but line 2 carries a hash chain"
    )
    assert read_journal(session / "journal.jsonl", accept_tampered=True).broken_lines == [1]


def test_a_correction_after_the_end_lets_the_session_end_again(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    with Journal.create(path, header()) as journal:
        journal.append(make_event("session_ended", reason="completed", answers=0, clock=""))
        journal.append(make_event("answer_withdrawn", decision="who-leads", attempt=1, reason="mis-keyed"))
        journal.append(make_event("session_ended", reason="completed", answers=0, clock=""))
    kinds = [e["type"] for e in read_journal(path).events]
    assert kinds == ["session_ended", "answer_withdrawn", "session_ended"]
    with Journal.reopen(path) as journal:
        journal.append(make_event("session_ended", reason="completed", answers=0, clock=""))
    with pytest.raises(
        JournalError, match=r"journal\.jsonl:5: a second 'session_ended' \(the session ended on line 4\)"
    ):
        read_journal(path)


def test_ids_read_from_a_journal_reach_the_terminal_without_control_characters(session: Path) -> None:
    lines = lines_of(session)
    k = number_of(lines, "answer_recorded", 0)
    event = json.loads(lines[k - 1])
    event["decision"] = "who\x1b]52;c;aGk=\x07-triages\x1b[2J"
    lines[k - 1] = json.dumps(event).encode()
    write_lines(session, rechain(lines))
    result = ttx("report", session)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"{session / 'journal.jsonl'}: journal line {k}: answer #1 in the journal is for decision"
        " 'who]52;c;aGk=-triages[2J' of step 'alert', but replaying the scenario reaches decision 'who-triages'"
        " of step 'alert'; the journal does not match this scenario"
    )
