"""The HTML report: well-formed, self-contained (nothing fetched), hostile text escaped; a real browser renders it."""

from __future__ import annotations

import csv
import io
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from reports_support import HOSTILE_NAMES, check_html, make_session

from simulator.reporting.csv_plan import COLUMNS
from simulator.reporting.files import SessionReport, session_report
from simulator.reporting.markdown import MARKDOWN_AAR_MARK
from simulator.sessions import load_session


@pytest.fixture
def golden_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    folder = make_session(tmp_path / "ws", monkeypatch)
    return session_report(load_session(folder, "reporting")).text("html")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    folder = make_session(tmp_path / "ws", monkeypatch, hostile=True)
    report = session_report(load_session(folder, "reporting"))
    return {fmt: report.text(fmt) for fmt in ("html", "md", "csv")}


def test_html_is_well_formed_and_self_contained(golden_html: str) -> None:
    checker = check_html(golden_html)
    assert {"svg", "style", "table", "main"} <= checker.tags
    assert "Content-Security-Policy" in golden_html and "default-src 'none'" in golden_html
    assert "@media print" in golden_html
    assert "<script" not in golden_html
    # Three charts: clarity per stage, the drift heat map, the timeline.
    assert golden_html.count("<svg") == 3
    # Every in-page link has a target.
    for target in re.findall(r'href="#([^"]+)"', golden_html):
        assert f'id="{target}"' in golden_html


def test_html_sections_in_aar_order(golden_html: str) -> None:
    order = ["overview", "summary", "strengths", "improvements", "reflection", "drift", "timeline", "notes", "plan"]
    positions = [golden_html.index(f'id="{anchor}"') for anchor in order]
    assert positions == sorted(positions)


def test_hostile_text_is_escaped_in_html(hostile: dict[str, str]) -> None:
    document = hostile["html"]
    check_html(document)  # no <script>, <img>, <iframe>, no external URL fetched, structure intact
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in document  # from a scenario variable
    assert "&lt;/style&gt;&lt;img src=https://evil.example/p.png&gt;" in document  # from a note
    assert "Client &lt;b&gt;IT&lt;/b&gt; | lead" in document  # from the map
    assert "<b>" not in document and "</style><img" not in document
    # The page's own structure is unchanged by the hostile names: as many rows as without them.
    assert document.count("<tr>") >= 30


def test_hostile_text_is_escaped_in_markdown(hostile: dict[str, str]) -> None:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(hostile["md"])
    assert [t.content for t in tokens if t.type == "html_block"] == [MARKDOWN_AAR_MARK + "\n"]  # only ttx's mark
    assert tokens[0].type == "html_block"  # on the first line
    inline_html = [c for t in tokens if t.children for c in t.children if c.type == "html_inline"]
    assert not inline_html
    links = [c for t in tokens if t.children for c in t.children if c.type == "link_open"]
    assert all(link.attrs.get("href", "").startswith("#") for link in links)
    headings = [t for t in tokens if t.type == "heading_open"]
    rendered = md.render(hostile["md"])
    heading_texts = re.findall(r"<h[1-6]>(.*?)</h[1-6]>", rendered)
    assert len(headings) == len(heading_texts)
    assert not any(h == "heading" for h in heading_texts)  # "# heading" in a note stays text
    for name in HOSTILE_NAMES[:2]:
        assert name not in hostile["md"]  # raw, unescaped, it would break the tables
    widths: list[int] = []
    for token in tokens:
        if token.type == "tr_open":
            widths.append(0)
        elif token.type in ("th_open", "td_open"):
            widths[-1] += 1
        elif token.type == "table_close":
            assert len(set(widths)) == 1, widths
            widths = []
    assert "<script>" not in rendered and "<img" not in rendered


def test_hostile_text_in_csv_stays_in_its_cells(hostile: dict[str, str]) -> None:
    rows = list(csv.reader(io.StringIO(hostile["csv"])))
    assert len({len(r) for r in rows}) == 1
    assert all(r[COLUMNS.index("Scenario")] == "Ransomware at <script>alert(3)</script> | Acme" for r in rows[1:])


HOSTILE_SEED = "<img src=https://evil.example/s.png> | # `tick` *x*"
HOSTILE_SHA = "`abc` | <b>def</b>"


@pytest.fixture
def hostile_header(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A session whose journal header carries markup in its seed and file hashes (a damaged or edited journal)."""
    report = session_report(load_session(make_session(tmp_path / "ws", monkeypatch), "reporting"))
    header = replace(
        report.header,
        seed=HOSTILE_SEED,  # type: ignore[arg-type]
        scenario=replace(report.header.scenario, sha256=HOSTILE_SHA),
        map=replace(report.header.map, sha256=HOSTILE_SHA),
    )
    again = SessionReport(header, report.scenario, report.authority_map, report.events, report.score)
    return {fmt: again.text(fmt) for fmt in ("html", "md")}


def test_the_headers_seed_and_hashes_are_escaped_in_html(hostile_header: dict[str, str]) -> None:
    document = hostile_header["html"]
    check_html(document)
    assert HOSTILE_SEED not in document and "<b>def</b>" not in document
    assert "&lt;img src=https://evil.example/s.png&gt;" in document


def test_the_headers_seed_and_hashes_are_escaped_in_markdown(hostile_header: dict[str, str]) -> None:
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = md.parse(hostile_header["md"])
    children = [c for t in tokens if t.children for c in t.children]
    assert [t.content for t in tokens if t.type == "html_block"] == [MARKDOWN_AAR_MARK + "\n"]  # only ttx's mark
    assert not [c for c in children if c.type == "html_inline"]
    rendered = md.render(hostile_header["md"])
    assert "<img" not in rendered and "<b>" not in rendered
    assert rendered.count("&lt;img src=https://evil.example/s.png&gt; | # `tick` *x*") == 2  # heading and table
    assert rendered.count("<code>`abc` | &lt;b&gt;def&lt;/b&gt;</code>") == 2  # both hashes, one code span each
    seed_rows = [line for line in hostile_header["md"].splitlines() if line.startswith("| Seed |")]
    assert len(seed_rows) == 1 and len(re.findall(r"(?<!\\)\|", seed_rows[0])) == 3  # the row keeps its 2 cells


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _png_pixels(path: Path) -> list[bytes]:
    """The rows of an 8-bit RGB or RGBA PNG, unfiltered (the five PNG filters), as bytes of `channels` per pixel."""
    data = path.read_bytes()
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 3 if colour == 2 else 4
    idat, at = b"", 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        rows.append(bytes(line))
        previous = line
    return rows


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (CI installs it)")
def test_a_real_browser_renders_the_report(golden_html: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(golden_html, encoding="utf-8")
    shot = tmp_path / "report.png"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                f"--screenshot={shot}",
                "--window-size=1280,2400",
                page.as_uri(),
            ],
            check=False,
            capture_output=True,
            timeout=180,
        )
    assert shot.is_file(), "chromium wrote no screenshot"
    assert _png_size(shot) == (1280, 2400)
    # A blank or unstyled page is nearly all one colour; the cover, cards, tables and charts are not.
    rows = _png_pixels(shot)
    channels = len(rows[0]) // 1280
    pixels = [row[i : i + 3] for row in rows[::8] for i in range(0, len(row), channels * 8)]
    background = max(set(pixels), key=pixels.count)
    assert len(set(pixels)) >= 20, "a handful of colours: the styles or charts did not render"
    painted = sum(p != background for p in pixels) / len(pixels)
    assert 0.05 < painted < 0.95, f"{painted:.0%} of the page differs from its background"
    # The rows under the cover are not blank: the report's body rendered, not only its first screen.
    lower = {row[i : i + 3] for row in rows[1200::8] for i in range(0, len(row), channels * 8)}
    assert len(lower) >= 5
