"""Inline SVG charts for the HTML reports: no script, no external reference, every label escaped.

Each function returns one `<svg>` element as a string. Sizes are in CSS pixels;
the charts scale down with `max-width: 100%` and print as vectors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from simulator.frozen import frozen
from simulator.safetext import strip_controls

RATING_COLOURS = {"P": "#1a7f37", "S": "#bf8700", "M": "#d4661c", "U": "#c62828"}
OUTCOME_COLOURS = {"aligned": "#1a7f37", "overlap": "#bf8700", "drift": "#d4661c", "gap": "#c62828"}
MAP_GAP_COLOUR = "#8c959f"
STAGE_COLOURS = ("#0969da", "#8250df", "#c62828", "#bf8700", "#1a7f37", "#57606a")
GRID = "#d0d7de"
INK = "#1f2328"
MUTED = "#57606a"
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"'


def e(value: object) -> str:
    """`value` for HTML or SVG text and attributes: escaped, and without control characters."""
    return escape(strip_controls(str(value)), quote=True)


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{e(label)}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" {FONT}>'
        f"<title>{e(label)}</title>" + "".join(body) + "</svg>"
    )


def _text(
    x: float, y: float, value: object, size: int = 12, fill: str = INK, anchor: str = "start", extra: str = ""
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"{extra}>'
        f"{e(value)}</text>"
    )


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def text_width(value: str, size: int = 12) -> float:
    """A rough width of a label, good enough to lay out a chart without a font engine."""
    return len(value) * size * 0.56


def shown_labels(n: int, every: int) -> set[int]:
    """Which of n axis labels to print, every `every`-th, always the last (in place of one too close to it)."""
    shown = set(range(0, n, every))
    if n and n - 1 not in shown:
        shown.discard(max(shown))
        shown.add(n - 1)
    return shown


@frozen
class Bar:
    label: str
    value: float | None  # 0-100; None: nothing to draw
    colour: str
    caption: str  # printed after the bar ("72.5 % · S")
    tooltip: str


def clarity_bars(bars: Sequence[Bar], thresholds: Sequence[tuple[float, str]], label: str, width: int = 680) -> str:
    """Horizontal bars on a 0-100 scale with dashed threshold lines (the rating boundaries)."""
    left = max(110.0, max((text_width(b.label) for b in bars), default=0) + 16)
    right = 190.0
    row, top = 32, 26
    span = width - left - right
    height = top + row * len(bars) + 26
    body = [f'<rect x="{left:.1f}" y="{top - 6}" width="{span:.1f}" height="{row * len(bars) + 6}" fill="#f6f8fa"/>']
    for value, name in thresholds:
        x = left + span * value / 100
        body.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{top + row * len(bars)}" stroke="{MUTED}"'
            ' stroke-dasharray="3 3" stroke-width="1"/>'
        )
        body.append(_text(x, top - 12, name, 10, MUTED, "middle"))
    for i, bar in enumerate(bars):
        y = top + i * row
        body.append(_text(left - 8, y + row / 2 + 4, bar.label, 12, INK, "end"))
        if bar.value is not None:
            w = max(2.0, span * max(0.0, min(100.0, bar.value)) / 100)
            body.append(
                f'<rect x="{left:.1f}" y="{y + 6}" width="{w:.1f}" height="{row - 12}" rx="3" fill="{bar.colour}">'
                f"<title>{e(bar.tooltip)}</title></rect>"
            )
            body.append(_text(left + span + 8, y + row / 2 + 4, bar.caption, 12, INK))
        else:
            body.append(_text(left + 8, y + row / 2 + 4, bar.caption, 12, MUTED, extra=' font-style="italic"'))
    for tick in (0, 25, 50, 75, 100):
        x = left + span * tick / 100
        body.append(_text(x, top + row * len(bars) + 16, tick, 10, MUTED, "middle"))
    return _svg(width, height, label, body)


def heat_colour(count: int, highest: int) -> str:
    """White to deep red by share of the highest count; 0 is a pale grey."""
    if count <= 0 or highest <= 0:
        return "#f6f8fa"
    share = 0.25 + 0.75 * (count / highest)
    start, end = (255, 235, 205), (198, 40, 40)
    r, g, b = (round(s + (t - s) * share) for s, t in zip(start, end, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def heat_map(
    rows: Sequence[str],
    columns: Sequence[str],
    counts: Sequence[Sequence[int]],
    label: str,
    row_title: str,
    column_title: str,
) -> str:
    """A grid of counts, rows × columns, darker for more; each cell has a tooltip."""
    cell = 46
    full_rows = list(rows)
    rows = [_clip(r, 34) for r in rows]
    labels = [_clip(c, 28) for c in columns]
    left = min(240.0, max(90.0, max((text_width(r, 11) for r in rows), default=0) + 16))
    # Column labels run up and to the right at 40°: room above the grid and past its right edge.
    top = max(40.0, max((text_width(c, 11) for c in labels), default=0) * 0.64 + 24)
    width = max(
        [left + cell * len(columns) + 20]
        + [left + j * cell + cell / 2 + text_width(c, 11) * 0.77 + 12 for j, c in enumerate(labels)]
    )
    height = top + cell * len(rows) + 30
    highest = max((c for row in counts for c in row), default=0)
    body = [_text(8, 14, f"{column_title} →", 11, MUTED)]
    for j, name in enumerate(labels):
        x = left + j * cell + cell / 2
        body.append(_text(x, top - 8, name, 11, INK, "start", f' transform="rotate(-40 {x:.1f} {top - 8:.1f})"'))
    for i, name in enumerate(rows):
        y = top + i * cell
        body.append(_text(left - 8, y + cell / 2 + 4, name, 11, INK, "end"))
        for j, count in enumerate(counts[i]):
            x = left + j * cell
            tip = f"{full_rows[i]} expected, {columns[j]} acted: {count}"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell - 2}" height="{cell - 2}" rx="3"'
                f' fill="{heat_colour(count, highest)}"><title>{e(tip)}</title></rect>'
            )
            if count:
                ink = "#ffffff" if count / max(1, highest) > 0.5 else INK
                body.append(_text(x + cell / 2 - 1, y + cell / 2 + 4, count, 13, ink, "middle", ' font-weight="600"'))
    body.append(_text(8, top - 8, f"{row_title} ↓", 11, MUTED))
    return _svg(width, height, label, body)


@frozen
class Mark:
    minutes: int
    lane: int
    shape: str  # "dot" | "diamond" | "tick" | "note"
    colour: str
    tooltip: str


def _clock_label(minutes: int) -> str:
    day, rest = divmod(minutes, 1440)
    hhmm = f"{rest // 60:02d}:{rest % 60:02d}"
    return hhmm if day == 0 else f"D{day + 1} {hhmm}"


def _step_size(span: int) -> int:
    for step in (5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080):
        if span / step <= 8:
            return step
    return 10080


def timeline(lanes: Sequence[str], marks: Sequence[Mark], label: str, width: int = 900) -> str:
    """Swim lanes (one per stage) on the scenario clock; marks placed by minute, spread when they collide."""
    left, right, top, lane_h = 118.0, 24.0, 30.0, 30.0
    height = top + lane_h * len(lanes) + 34
    if not marks:
        return _svg(width, 60, label, [_text(12, 34, "Nothing was played.", 12, MUTED)])
    low = min(m.minutes for m in marks)
    high = max(m.minutes for m in marks)
    span = max(high - low, 10)
    step = _step_size(span)
    start = low - low % step
    end = max(start + step, high + (step - high % step) % step)
    scale = (width - left - right) / max(1, end - start)
    body = []
    for i, name in enumerate(lanes):
        y = top + i * lane_h
        if i % 2 == 0:
            body.append(
                f'<rect x="{left:.1f}" y="{y:.1f}" width="{width - left - right:.1f}" height="{lane_h}"'
                ' fill="#f6f8fa"/>'
            )
        body.append(_text(left - 8, y + lane_h / 2 + 4, name, 12, INK, "end"))
    bottom = top + lane_h * len(lanes)
    tick = start
    while tick <= end:
        x = left + (tick - start) * scale
        body.append(
            f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(x, bottom + 16, _clock_label(tick), 10, MUTED, "middle"))
        tick += step
    placed: dict[tuple[int, int], int] = {}
    for mark in marks:
        key = (mark.lane, round((mark.minutes - start) * scale / 9))
        slot = placed.get(key, 0)
        placed[key] = slot + 1
        x = left + (mark.minutes - start) * scale + slot * 9
        y = top + mark.lane * lane_h + lane_h / 2
        tip = f"<title>{e(mark.tooltip)}</title>"
        if mark.shape == "dot":
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{mark.colour}" stroke="#fff" stroke-width="1">'
                f"{tip}</circle>"
            )
        elif mark.shape == "diamond":
            body.append(
                f'<path d="M{x:.1f} {y - 7:.1f} L{x + 7:.1f} {y:.1f} L{x:.1f} {y + 7:.1f} L{x - 7:.1f} {y:.1f} Z"'
                f' fill="#ffffff" stroke="{mark.colour}" stroke-width="2">{tip}</path>'
            )
        elif mark.shape == "note":
            body.append(f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{mark.colour}">{tip}</rect>')
        else:
            body.append(
                f'<line x1="{x:.1f}" y1="{y - 11:.1f}" x2="{x:.1f}" y2="{y + 11:.1f}" stroke="{mark.colour}"'
                f' stroke-width="2">{tip}</line>'
            )
    return _svg(width, height, label, body)


@frozen
class Series:
    name: str
    values: Sequence[float | None]  # one per x position; None: no data there
    colour: str
    width: float = 2.0


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    label: str,
    thresholds: Sequence[tuple[float, str]] = (),
    width: int = 900,
    height: int = 260,
) -> str:
    """Lines on a 0-100 scale over evenly spaced x positions (sessions or periods), with a legend."""
    left, right, top, bottom = 44.0, 34.0, 16.0, 58.0  # room on the right for the last x label
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(labels))
    step = plot_w / max(1, n - 1) if n > 1 else 0.0

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (i * step if n > 1 else plot_w / 2)
        return x, top + plot_h * (1 - max(0.0, min(100.0, v)) / 100)

    body = [f'<rect x="{left}" y="{top}" width="{plot_w:.1f}" height="{plot_h:.1f}" fill="#f6f8fa"/>']
    for tick in (0, 25, 50, 75, 100):
        _, y = xy(0, tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, tick, 10, MUTED, "end"))
    for value, name in thresholds:
        _, y = xy(0, value)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{MUTED}"'
            ' stroke-dasharray="3 3"/>'
        )
        body.append(_text(left + plot_w - 2, y - 3, name, 10, MUTED, "end"))
    widest = max((text_width(_clip(x, 16), 10) for x in labels), default=0)
    every = max(1, math.ceil((widest + 10) / step)) if n > 1 and step else 1
    for i, name in enumerate(labels):
        if i not in shown_labels(n, every):
            continue
        x, _ = xy(i, 0)
        body.append(_text(x, top + plot_h + 14, _clip(name, 16), 10, MUTED, "middle"))
    for s in series:
        runs: list[list[tuple[float, float, float]]] = [[]]
        for i, v in enumerate(s.values):
            if v is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append((*xy(i, v), v))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in run)
                body.append(
                    f'<polyline points="{points}" fill="none" stroke="{s.colour}" stroke-width="{s.width}"'
                    ' stroke-linejoin="round"/>'
                )
        if n <= 60:
            for i, v in enumerate(s.values):
                if v is None:
                    continue
                x, y = xy(i, v)
                body.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{2.5 + s.width / 2:.1f}" fill="{s.colour}">'
                    f"<title>{e(f'{s.name}, {labels[i]}: {v:.1f}')}</title></circle>"
                )
    x = left
    for s in series:
        body.append(f'<rect x="{x:.1f}" y="{height - 18}" width="14" height="4" fill="{s.colour}"/>')
        body.append(_text(x + 18, height - 12, s.name, 11))
        x += 30 + text_width(s.name, 11)
    return _svg(width, height, label, body)


def rating_strip(
    rows: Sequence[str], columns: Sequence[str], letters: Sequence[Sequence[str | None]], label: str
) -> str:
    """A grid of P/S/M/U letters (rows × columns), coloured by rating; blank where not played."""
    left = max(100.0, max((text_width(r) for r in rows), default=0) + 16)
    n = max(1, len(columns))
    cell = max(10.0, min(34.0, 760 / n))
    width = left + cell * n + 20
    height = 26 + 26 * len(rows) + 26
    body = []
    widest = max((text_width(_clip(c, 16), 10) for c in columns), default=0)
    every = max(1, math.ceil((widest + 8) / cell))
    for i, name in enumerate(rows):
        y = 20 + i * 26
        body.append(_text(left - 8, y + 17, name, 12, INK, "end"))
        for j, letter in enumerate(letters[i]):
            x = left + j * cell
            if letter is None:
                body.append(f'<rect x="{x:.1f}" y="{y}" width="{cell - 2:.1f}" height="22" fill="#f6f8fa"/>')
                continue
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell - 2:.1f}" height="22" rx="2"'
                f' fill="{RATING_COLOURS.get(letter, MUTED)}">'
                f"<title>{e(f'{name}, {columns[j]}: {letter}')}</title></rect>"
            )
            if cell >= 16:
                body.append(_text(x + (cell - 2) / 2, y + 15, letter, 11, "#ffffff", "middle", ' font-weight="600"'))
    for j, name in enumerate(columns):
        if j not in shown_labels(n, every):
            continue
        body.append(_text(left + j * cell + cell / 2, 20 + 26 * len(rows) + 14, _clip(name, 16), 10, MUTED, "middle"))
    return _svg(width, height, label, body)
