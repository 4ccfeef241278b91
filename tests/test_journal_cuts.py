"""A crash can stop the journal at any byte: every cut resumes to the same play, or is refused cleanly.

The journal is written with the hash chain and one group commit per answer. For every byte
offset of a finished session's journal, the journal is cut there and resumed with the same
answers; the session must end with exactly the answers of the uninterrupted run, the kept
prefix untouched, and a chain that verifies. Only a cut inside the header is refused.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.engine.scripted import from_answers, load_answers, play_to_end
from simulator.journal import JournalError, read_journal
from simulator.play import reopen_session
from simulator.sessions import load_session

FIXTURES = Path(__file__).parent / "fixtures" / "engine"
ANSWERS = """\
who-triages: analyst
who-confirms: nobody
who-rates: [analyst, observer]
who-authorises: lead
who-leads: analyst
"""
# The loop scenario with these answers jumps back once: 8 answers in this order.
EXPECTED = [
    ("who-triages", 1),
    ("who-confirms", 1),
    ("who-rates", 1),
    ("who-triages", 2),
    ("who-confirms", 2),
    ("who-rates", 2),
    ("who-authorises", 1),
    ("who-leads", 1),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cuts")
    answers = root / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["run", str(FIXTURES / "loop.yaml"), "--map", str(FIXTURES / "tiny-map.yaml"), "--seed", "3",
         "--out", str(root / "ws"), "--answers", str(answers)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [folder] = (root / "ws").iterdir()
    (folder / "report.json").unlink()
    shutil.copy(answers, folder.parent / "answers.yaml")
    return folder


def representative(raw: bytes) -> set[int]:
    """Cuts that reach every distinct state a resume can start from: at each line start, one byte into
    the line (a torn tail: every other cut inside the line reads the same, as the byte-level test shows),
    and just before its newline (a complete line that lost only its newline)."""
    cuts = {len(raw)}
    start = 0
    for line in raw.split(b"\n")[:-1]:
        cuts |= {start, start + 1, start + len(line)}
        start += len(line) + 1
    return cuts


def test_every_byte_cut_reads_as_a_prefix_or_is_refused(reference: Path, tmp_path: Path) -> None:
    raw = (reference / "journal.jsonl").read_bytes()
    header_end = raw.index(b"\n")
    lines = raw.split(b"\n")[:-1]
    events = [json.loads(line) for line in lines[1:]]
    for event in events:
        del event["prev_sha256"]
    journal = tmp_path / "journal.jsonl"
    refused = torn = 0
    for cut in range(len(raw) + 1):
        journal.write_bytes(raw[:cut])
        try:
            contents = read_journal(journal)
        except JournalError as error:
            # Only a cut inside the header (or before it) cannot be read; the message names line 1.
            assert cut < header_end, (cut, error)
            assert str(error).startswith(f"{journal}:1: not a complete JSON line") or str(error) == (
                f"{journal}: journal is empty; expected a header line"
            ), (cut, error)
            refused += 1
            continue
        kept = raw[: cut + 1].count(b"\n")  # complete lines, counting one that lost only its newline
        if cut == len(raw) or raw[cut : cut + 1] != b"\n":
            kept = raw[:cut].count(b"\n")
            if cut < len(raw) and cut > 0 and raw[cut - 1 : cut] != b"\n":
                torn += 1
                assert contents.warnings == [f"{journal}:{kept + 1}: skipped a torn last line (an interrupted write)"]
        assert contents.events == events[: kept - 1], cut
    assert refused == header_end
    assert torn == sum(len(line) - 1 for line in lines[1:])


def test_cuts_resume_to_the_same_answers(reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # fsync makes no difference to what a cut file holds, and costs seconds over hundreds of resumes.
    monkeypatch.setattr(os, "fsync", lambda descriptor: None)
    raw = (reference / "journal.jsonl").read_bytes()
    header_end = raw.index(b"\n")
    lines = raw.split(b"\n")[:-1]
    assert [(e["decision"], e["attempt"]) for e in read_journal(reference / "journal.jsonl").events
            if e["type"] == "answer_recorded"] == EXPECTED  # fmt: skip
    folder = Path(shutil.copytree(reference, tmp_path / "session"))
    journal = folder / "journal.jsonl"
    answers_file = reference.parent / "answers.yaml"
    resumed = 0
    for cut in sorted(representative(raw)):
        journal.write_bytes(raw[:cut])
        if cut < header_end:
            with pytest.raises(JournalError, match=r":1: not a complete JSON line|journal is empty"):
                load_session(folder)
            continue
        session = load_session(folder)
        kept = len(session.contents.events) + 1
        with reopen_session(session) as playable:
            answerer = from_answers(load_answers(answers_file, session.scenario, session.authority_map))
            play_to_end(playable.engine, answerer, "Team")
        after = journal.read_bytes().split(b"\n")
        assert after[-1] == b"", cut
        assert after[:kept] == lines[:kept], cut  # the kept prefix is untouched
        contents = read_journal(journal)  # and the whole chain verifies
        assert contents.warnings == [], cut
        answers = [(e["decision"], e["attempt"]) for e in contents.of_type("answer_recorded")]
        assert answers == EXPECTED, cut
        assert [e["type"] for e in contents.events] == [json.loads(line)["type"] for line in lines[1:]], cut
        resumed += 1
    assert resumed == 3 * len(lines) + 1 - 2  # three cuts a line and the whole file; two inside the header refused
