"""The AAR/IP and the trend report as self-contained HTML files (see docs/reports.md).

One file: inline `<style>`, inline `<svg>` charts, no script, no font, image or
stylesheet from anywhere else (a Content-Security-Policy says so to the
browser too), `@media print` rules so it prints to PDF cleanly. Every string
from a user, a scenario or a map goes through `e` (`html.escape`); the markup
is built with small functions, no template engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from simulator.catalogue import STAGES
from simulator.model import clock_minutes
from simulator.reporting.aar import (
    OUTCOME_WORDS,
    PRIORITY_LABELS,
    STAGE_LABELS,
    Aar,
    RoleRef,
    TimelineEntry,
    TimelineStep,
)
from simulator.reporting.figures import clarity_text
from simulator.reporting.markdown import SKIPPED_SHOWN
from simulator.reporting.svg import (
    INK as INK_COLOUR,
)
from simulator.reporting.svg import (
    MAP_GAP_COLOUR,
    OUTCOME_COLOURS,
    RATING_COLOURS,
    STAGE_COLOURS,
    Bar,
    Mark,
    Series,
    clarity_bars,
    e,
    heat_map,
    line_chart,
    rating_strip,
    timeline,
)
from simulator.reporting.trend import (
    SPARKS,
    UNIT_WORDS,
    Trend,
    actors_text,
    chart_label,
    grouping_text,
    one_scenario,
    scope_text,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

CSS = """
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --accent: #0969da;
  --P: #1a7f37; --S: #bf8700; --M: #d4661c; --U: #c62828; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.page { max-width: 1060px; margin: 0 auto; padding: 0 28px 48px; }
header.cover { background: #0d1b2a; color: #fff; padding: 28px 0 30px; }
header.cover .page { padding-bottom: 0; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: #9fb3c8; margin: 0 0 6px; }
h1 { font-size: 30px; line-height: 1.2; margin: 0 0 8px; }
.meta { color: #c9d6e3; margin: 0 0 20px; }
.cards { display: flex; flex-wrap: wrap; gap: 14px; }
.card { background: #fff; color: var(--ink); border-radius: 10px; padding: 12px 16px;
  min-width: 170px; flex: 1 1 170px; }
.card .big { display: block; font-size: 30px; font-weight: 700; line-height: 1.1; }
.card .what { color: var(--muted); font-size: 13px; }
.card.rated { border-left: 8px solid var(--muted); }
.card.rated.P { border-color: var(--P); } .card.rated.S { border-color: var(--S); }
.card.rated.M { border-color: var(--M); } .card.rated.U { border-color: var(--U); }
.badge { display: inline-block; min-width: 1.6em; text-align: center; padding: 1px 7px; border-radius: 4px;
  color: #fff; font-weight: 700; background: var(--muted); }
.badge.P { background: var(--P); } .badge.S { background: var(--S); } .badge.M { background: var(--M); }
.badge.U { background: var(--U); }
.pill { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.pill.aligned { color: var(--P); } .pill.overlap { color: var(--S); } .pill.drift { color: var(--M); }
.pill.gap, .pill.critical { color: var(--U); } .pill.high { color: var(--M); } .pill.medium { color: var(--S); }
.pill.low, .pill.mapgap { color: var(--muted); }
nav.toc { margin: 22px 0 6px; font-size: 14px; columns: 3; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc ul { margin: 0; padding: 0; list-style: none; }
nav.toc li { break-inside: avoid; margin: 1px 0; }
h2 { font-size: 21px; margin: 34px 0 10px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p { margin: 6px 0 10px; }
.muted { color: var(--muted); }
.small { font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.kv th { width: 190px; }
.chart { max-width: 100%; height: auto; display: block; margin: 8px 0 12px; }
.improvement { border: 1px solid var(--line); border-left: 6px solid var(--S); border-radius: 6px;
  padding: 10px 14px; margin: 12px 0; break-inside: avoid; }
.improvement.critical { border-left-color: var(--U); } .improvement.high { border-left-color: var(--M); }
.improvement.low { border-left-color: var(--muted); }
.improvement h3 { margin: 0 0 4px; }
.improvement dl { margin: 6px 0 0; display: grid; grid-template-columns: 170px 1fr; gap: 4px 12px; }
.improvement dt { font-weight: 600; color: var(--muted); }
.improvement dd { margin: 0; }
.verdict-yes { color: var(--P); font-weight: 600; } .verdict-no { color: var(--U); font-weight: 600; }
.step { border-left: 3px solid var(--line); padding: 2px 0 4px 14px; margin: 14px 0; break-inside: avoid; }
.step .when { font-variant-numeric: tabular-nums; font-weight: 700; }
.step .stage { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: .05em; }
.step.new-stage { border-left-color: var(--accent); }
.inject { background: var(--soft); border-radius: 6px; padding: 8px 12px; margin: 6px 0; white-space: pre-line; }
.events { list-style: none; padding: 0; margin: 6px 0 0; }
.events li { margin: 4px 0; padding-left: 22px; position: relative; }
.events li::before { position: absolute; left: 0; top: 0; width: 16px; text-align: center; }
.events li.answer::before { content: "?"; font-weight: 700; color: var(--accent); }
.events li.consequence::before { content: "⚡"; }
.events li.note::before { content: "✎"; color: var(--muted); }
.events li.end::before { content: "■"; color: var(--muted); }
.detail { color: var(--muted); font-size: 13px; }
.legend { font-size: 13px; color: var(--muted); }
.legend span { margin-right: 14px; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
.bar { height: 6px; background: var(--soft); border-radius: 3px; margin-top: 3px; min-width: 80px; }
.bar i { display: block; height: 6px; background: var(--M); border-radius: 3px; }
.spark { font-family: ui-monospace, "DejaVu Sans Mono", monospace; letter-spacing: 1px; }
.status-box { display: inline-block; width: 90px; height: 18px; border: 1px solid var(--line); }
footer { margin-top: 40px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 720px) { nav.toc { columns: 1; } .improvement dl { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  header.cover { background: #fff; color: var(--ink); padding: 0 0 10px; border-bottom: 3px solid var(--ink); }
  header.cover .kicker, header.cover .meta { color: var(--muted); }
  .card { border: 1px solid var(--line); }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  h2.break { break-before: page; }
  table, .chart, .improvement, .step { break-inside: avoid; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


# --- tiny builders ------------------------------------------------------------------


def tag(name: str, content: str, cls: str = "", **attrs: str) -> str:
    """An element; `content` must already be markup (escape text with `e`)."""
    extra = f' class="{e(cls)}"' if cls else ""
    extra += "".join(f' {k.rstrip("_").replace("_", "-")}="{e(v)}"' for k, v in attrs.items())
    return f"<{name}{extra}>{content}</{name}>"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Sequence[int] = (), cls: str = "") -> str:
    """A table from markup cells; headers are plain text (escaped here)."""
    head = "".join(tag("th", e(h), "num" if i in numeric else "") for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(tag("td", c, "num" if i in numeric else "") for i, c in enumerate(row)) + "</tr>"
        for row in rows
    )
    opening = f'<table class="{e(cls)}">' if cls else "<table>"
    return f"{opening}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def badge(letter: str | None) -> str:
    return tag("span", e(letter), f"badge {letter}") if letter else ""


def pill(word: str, cls: str) -> str:
    return tag("span", e(word), f"pill {cls}")


def role(ref: RoleRef | None) -> str:
    if ref is None:
        return "<em>nobody</em>"
    return tag("span", e(ref.name), title=f"{ref.id} · {ref.party}" if ref.party else ref.id)


def roles(refs: Sequence[RoleRef], empty: str = "<em>nobody</em>") -> str:
    return ", ".join(role(r) for r in refs) or empty


def section(anchor: str, title: str, body: Sequence[str], cls: str = "") -> str:
    heading = tag("h2", e(title), cls, id=anchor)
    return f"<section>{heading}{''.join(body)}</section>"


def para(markup: str, cls: str = "") -> str:
    return tag("p", markup, cls)


# --- sections ---------------------------------------------------------------------


def _cover(aar: Aar) -> str:
    o, s = aar.overview, aar.summary
    meta = " · ".join(
        e(x) for x in (o.date + (f" {o.start_time}" if o.start_time else ""), o.map_title, o.mode, f"seed {o.seed}")
    )
    rating = s.rating or ""
    clarity = f"{s.clarity_text} %" if s.clarity is not None else "—"
    cards = [
        tag(
            "div",
            tag("span", e(clarity), "big")
            + tag("span", "Ownership clarity", "what")
            + "<br>"
            + badge(s.rating)
            + " "
            + e(s.rating_words),
            f"card rated {rating}",
        ),
        tag(
            "div",
            tag("span", str(s.plan_items), "big")
            + tag("span", f"improvement item(s), {s.critical_items} from critical decisions", "what"),
            "card",
        ),
        tag(
            "div",
            tag("span", f"{s.outcomes['drift'] + s.outcomes['overlap']} / {s.outcomes['gap']}", "big")
            + tag("span", "answers drifted or contested / gaps where nobody acted", "what"),
            "card",
        ),
        tag(
            "div",
            tag("span", e(o.duration or "—"), "big")
            + tag("span", f"in the room (planned {e(o.planned)}); {e(o.clock_span or 'no scenario clock')}", "what"),
            "card",
        ),
    ]
    inner = (
        para("After-action report and improvement plan · tabletop exercise on incident-response ownership", "kicker")
        + tag("h1", e(o.scenario_title))
        + para(meta, "meta")
        + tag("div", "".join(cards), "cards")
    )
    return f'<header class="cover"><div class="page">{inner}</div></header>'


SECTIONS = (
    ("overview", "1. Exercise overview"),
    ("summary", "2. Summary"),
    ("strengths", "3. Strengths"),
    ("improvements", "4. Areas for improvement"),
    ("reflection", "5. Reflection questions: the map vs the team"),
    ("drift", "6. Drift matrix"),
    ("participation", "7. Load, timing and consensus"),
    ("timeline", "8. Timeline"),
    ("notes", "9. Facilitator and hotwash notes"),
    ("plan", "10. Improvement plan"),
    ("map-gaps", "11. Map gaps"),
    ("appendix-map", "Appendix A. The authority map as played"),
    ("appendix-answers", "Appendix B. Every answer"),
)
TITLES = dict(SECTIONS)


def _toc() -> str:
    items = "".join(tag("li", tag("a", e(title), href=f"#{anchor}")) for anchor, title in SECTIONS)
    return f'<nav class="toc" aria-label="Contents"><ul>{items}</ul></nav>'


def _overview(aar: Aar) -> str:
    o = aar.overview
    clock = f"{e(o.clock_start)} → {e(o.clock_end)} ({e(o.clock_span)})" if o.clock_span else "—"
    rows = [
        ("Scenario", f"{e(o.scenario_title)} <span class=muted>({e(o.scenario_id)})</span>"),
        ("Date", e(f"{o.date} {o.start_time}".strip())),
        ("Duration", f"{e(o.duration or '—')} <span class=muted>(planned {e(o.planned)})</span>"),
        ("Scenario clock", clock),
        ("Status", e(o.status)),
        ("Authority map", f"{e(o.map_title)} <span class=muted>({e(o.map_id)})</span>"),
        ("Mode", e(o.mode_text)),
        ("Seed", f"{e(o.seed)} <span class=muted>(the scenario's names and hosts come from it)</span>"),
    ]
    kv = (
        "<table class=kv><tbody>"
        + "".join(f"<tr><th>{e(k)}</th><td>{v}</td></tr>" for k, v in rows)
        + "</tbody></table>"
    )
    people = table(
        ["Participant", "Roles held", "Decisions carried"],
        [
            (
                e(p.name) + (" " + pill("many roles", "high") if p.many_roles else ""),
                roles(p.roles, "<em>none</em>"),
                str(p.decisions),
            )
            for p in o.participants
        ],
        numeric=(2,),
    )
    body = [para(e(o.scenario_summary))] if o.scenario_summary else []
    body += [kv, tag("h3", "Participants and roles held"), people]
    if any(p.many_roles for p in o.participants):
        body.append(para(f"“many roles”: holding {o.many_roles} roles or more, a cognitive-load risk.", "small muted"))
    if o.unstaffed:
        body.append(para("Roles nobody held: " + roles(o.unstaffed) + "."))
    return section("overview", TITLES["overview"], body)


def _stage_chart(aar: Aar) -> str:
    s = aar.summary
    bars = [
        Bar(
            label=row.label,
            value=row.clarity,
            colour=RATING_COLOURS.get(row.rating or "", MAP_GAP_COLOUR),
            caption=f"{row.clarity_text} % · {row.rating}" if row.clarity is not None else row.rating_words,
            tooltip=f"{row.label}: {row.clarity_text} %, {row.rating_words} ({row.decisions} decisions)",
        )
        for row in s.stages
    ]
    return clarity_bars(bars, s.bounds, "Ownership clarity per stage, coloured by rating")


def _summary(aar: Aar) -> str:
    s = aar.summary
    if s.clarity is None:
        lead = "No decision was scored, so there is nothing to rate."
    else:
        lead = (
            f"Overall ownership clarity <strong>{e(s.clarity_text)} %</strong>,"
            f" rated {badge(s.rating)} {e(s.rating_words)}."
        )
    body = [para(lead)]
    if s.critical_gaps:
        body.append(
            para(
                pill("critical", "critical")
                + " Nobody took a critical decision: "
                + "; ".join(f"“{e(q)}”" for q in s.critical_gaps)
                + "."
            )
        )
    counts = " ".join(pill(f"{s.outcomes[k]} {k}", k) for k in ("aligned", "overlap", "drift", "gap"))
    body.append(
        para(
            f"Answers: {counts}"
            f" <span class=muted>— of the drift, {s.boundary} crossed a party line, {s.internal} stayed inside one,"
            f" {s.overreach} came from a role only consulted or informed.</span>"
        )
    )
    body.append(_stage_chart(aar))
    body.append(
        table(
            ["Stage", "Decisions", "Clarity %", "Rating", "HSEEP wording"],
            [(e(r.label), str(r.decisions), e(r.clarity_text), badge(r.rating), e(r.rating_words)) for r in s.stages],
            numeric=(1, 2),
        )
    )
    body.append(para(f"Ratings after HSEEP: {e(s.thresholds)}.", "small muted"))
    return section("summary", TITLES["summary"], body)


def _strengths(aar: Aar) -> str:
    st = aar.strengths
    if not st.stages and not st.responsibilities:
        return section(
            "strengths", TITLES["strengths"], [para("No responsibility was placed cleanly every time it came up.")]
        )
    body = []
    if st.stages:
        body.append(
            para("Stages performed without challenges: " + ", ".join(badge("P") + " " + e(x) for x in st.stages) + ".")
        )
    items = "".join(
        tag(
            "li",
            f"<strong>{e(i.title)}</strong> <span class=muted>({e(i.responsibility)})</span>"
            + (f" — {role(i.owner)} owns it, and the team knew." if i.owner else ""),
        )
        for i in st.responsibilities
    )
    if items:
        body.append(tag("ul", items))
    return section("strengths", TITLES["strengths"], body)


def _improvements(aar: Aar) -> str:
    if not aar.improvements:
        return section("improvements", TITLES["improvements"], [para("None: every scored answer matched the map.")])
    body = []
    for item in aar.improvements:
        party = f"<span class=muted>, {e(item.owner.party)},</span>" if item.owner.party else ""
        says = f"{role(item.owner)}{party} is accountable"
        if item.responsible:
            says += f"; responsible: {roles(item.responsible)}"
        flags = pill(PRIORITY_LABELS[item.priority] + " priority", item.priority)
        if item.boundary:
            flags += " " + pill("crossed a party line", "high")
        dl = (
            f"<dl><dt>Observation</dt><dd>{e(item.observation)}</dd>"
            f"<dt>What the map says</dt><dd>{says}.<br><em>Why:</em> {e(item.why)}</dd>"
            f"<dt>Recommendation</dt><dd>{e(item.recommendation)}</dd></dl>"
        )
        head = tag("h3", f"4.{item.number} {e(item.title)} <span class=muted>({e(item.responsibility)})</span>")
        body.append(
            tag(
                "div",
                head + para(f"{e(item.stage.capitalize())} · {flags}", "small") + dl,
                f"improvement {item.priority}",
            )
        )
    return section("improvements", TITLES["improvements"], body)


def _reflection(aar: Aar) -> str:
    rows = []
    for r in aar.reflection:
        says = role(r.owner) if r.owner else "<em>no owner in the map</em>"
        if r.responsible:
            says += f"<br><span class=small>responsible: {roles(r.responsible)}</span>"
        if r.why:
            says += f"<br><span class='small muted'>{e(r.why)}</span>"
        given = (
            "<br>".join(
                f"{roles(a.roles)} {pill('map gap', 'mapgap') if a.map_gap else pill(a.outcome, a.outcome)}"
                for a in r.answers
            )
            or "<em>not asked</em>"
        )
        cls = "verdict-yes" if r.matches else ("verdict-no" if r.matches is False else "muted")
        rows.append((e(r.question), says, given, tag("span", e(r.verdict), cls)))
    return section(
        "reflection", TITLES["reflection"], [table(["Question", "The map says", "The team said", "Verdict"], rows)]
    )


def _drift(aar: Aar) -> str:
    d = aar.drift
    if not d.total:
        return section("drift", TITLES["drift"], [para("No role acted in another role's place.")])
    chart = heat_map(
        [o.name for o in d.owners],
        [a.name for a in d.actors],
        d.counts,
        "Drift matrix: expected owner against the role that acted instead",
        "expected owner",
        "acted instead",
    )
    body = [
        para(
            "Rows are the owner the map expects; columns the role that acted instead. Each count is one answer;"
            " darker is more. Hover a cell for its names."
        ),
        chart,
    ]
    return section("drift", TITLES["drift"], body)


def _participation(aar: Aar) -> str:
    p = aar.participation
    body = [para(f"Time to answer: median {e(p.median)}, worst {e(p.worst)}.")]
    if p.stages:
        body.append(
            table(
                ["Stage", "Answers", "Median", "Worst"],
                [(e(s.stage), str(s.answers), e(s.median), e(s.worst)) for s in p.stages],
                numeric=(1, 2, 3),
            )
        )
    if p.late:
        items = "".join(
            tag(
                "li",
                f"“{e(late.ask)}” ({e(late.stage)}): {e(late.took)}, limit {e(late.limit)}"
                + (" — timed out, scored as a gap" if late.timed_out else ""),
            )
            for late in p.late
        )
        body += [para("Answers past the time limit:"), tag("ul", items)]
    if p.overloaded:
        body.append(
            para(
                f"Holding {aar.overview.many_roles} roles or more (a cognitive-load risk): "
                + ", ".join(e(n) for n in p.overloaded)
                + "."
            )
        )
    if p.needed:
        items = ""
        for n in p.needed:
            cover = "no deputy"
            if n.deputy:
                cover = f"deputy {role(n.deputy)}" + ("" if n.deputy_staffed else ", also unstaffed")
            items += tag("li", f"{role(n.role)}: {n.answers} decision(s); {cover}")
        body += [para("Roles nobody held that the exercise needed:"), tag("ul", items)]
    if p.consensus:
        mean = f"{p.consensus_mean:.0%}" if p.consensus_mean is not None else "—"
        body.append(para(f"Ballots: on average {mean} of the room agreed with the answer recorded."))
        body.append(
            table(
                ["Question", "Ballots", "Agreed", "Split"],
                [
                    (
                        e(c.ask) + (" " + pill("ambiguous", "high") if c.ambiguous else ""),
                        str(c.ballots),
                        f"{c.share:.0%}",
                        e(c.split),
                    )
                    for c in p.consensus
                ],
                numeric=(1, 2),
            )
        )
    return section("participation", TITLES["participation"], body)


def _timeline_chart(aar: Aar) -> str:
    lanes = [STAGE_LABELS[s] for s in STAGES]
    marks: list[Mark] = []

    def minutes(clock: str, fallback: int | None) -> int | None:
        try:
            return clock_minutes(clock) if clock else fallback
        except ValueError:
            return fallback

    for step in aar.timeline:
        lane = STAGES.index(step.stage)
        at = step.minutes
        if at is not None:
            marks.append(Mark(at, lane, "tick", "#57606a", f"{step.clock} {step.stage_label}: {step.title}"))
        for entry in step.entries:
            when = minutes(entry.clock, at)
            if when is None:
                continue
            if entry.kind == "answer":
                colour = MAP_GAP_COLOUR if entry.map_gap else OUTCOME_COLOURS.get(entry.outcome or "", MAP_GAP_COLOUR)
                who = ", ".join(r.name for r in entry.roles) or "nobody"
                verdict = "map gap" if entry.map_gap else (entry.outcome or "not scored")
                marks.append(Mark(when, lane, "dot", colour, f"{entry.clock} {entry.title} → {who} ({verdict})"))
            elif entry.kind == "consequence":
                marks.append(Mark(when, lane, "diamond", "#0969da", f"{entry.clock} consequence: {entry.title}"))
            elif entry.kind == "note":
                marks.append(Mark(when, lane, "note", "#57606a", f"{entry.clock} {entry.title}: {entry.text}"))
    return timeline(lanes, marks, "Timeline on the scenario clock: answers by outcome, consequences and notes")


def _entry(entry: TimelineEntry) -> str:
    clock = f'<span class="when">{e(entry.clock)}</span> ' if entry.clock else ""
    if entry.kind == "answer":
        by = f" <span class=muted>— {e(entry.by)}</span>" if entry.by and entry.by != "team" else ""
        verdict = (
            pill("map gap", "mapgap")
            if entry.map_gap
            else (pill(entry.outcome, entry.outcome) if entry.outcome else "")
        )
        detail = f'<br><span class="detail">{e(entry.detail)}</span>' if entry.detail else ""
        return tag(
            "li", f"{clock}<strong>{e(entry.title)}</strong> → {roles(entry.roles)}{by} {verdict}{detail}", "answer"
        )
    if entry.kind == "asked":
        return tag("li", f"{clock}<strong>{e(entry.title)}</strong> → <em>not answered</em>", "answer")
    if entry.kind == "consequence":
        cause = f" after a {pill(entry.outcome, entry.outcome)}" if entry.outcome else ""
        move = f' <span class="detail">[{e(entry.detail)}]</span>' if entry.detail else ""
        text = f"<br>{e(entry.text)}" if entry.text else ""
        return tag("li", f"{clock}<strong>Consequence</strong>{cause}: {e(entry.title)}{move}{text}", "consequence")
    if entry.kind == "note":
        return tag("li", f"{clock}<strong>{e(entry.title)}:</strong> {e(entry.text)}", "note")
    return tag("li", f"{clock}<strong>{e(entry.title)}</strong>", "end")


def _step(step: TimelineStep) -> str:
    again = f" <span class=muted>(attempt {step.attempt})</span>" if step.attempt > 1 else ""
    head = (
        f'<div><span class="when">{e(step.clock)}</span> <span class="stage">{e(step.stage_label)}</span>'
        f" · <strong>{e(step.title)}</strong>{again}</div>"
    )
    inject = tag("div", e(step.text), "inject") if step.text else ""
    evidence = (
        para("Evidence shown: " + "; ".join(e(a) for a in step.artifacts) + ".", "small muted")
        if step.artifacts
        else ""
    )
    events = tag("ul", "".join(_entry(x) for x in step.entries), "events") if step.entries else ""
    return tag("div", head + inject + evidence + events, "step new-stage" if step.new_stage else "step")


def _legend() -> str:
    spans = "".join(
        f'<span><i class="swatch" style="background:{colour}"></i>{e(name)}</span>'
        for name, colour in (*OUTCOME_COLOURS.items(), ("map gap", MAP_GAP_COLOUR))
    )
    return para(spans + "<span>◇ consequence</span><span>▪ note</span><span>| step begins</span>", "legend")


def _timeline(aar: Aar) -> str:
    body = [
        para(
            "On the scenario clock. Each “who acts?” question shows the team's answer and how it compares with the map."
        ),
        _timeline_chart(aar),
        _legend(),
    ]
    body += [_step(s) for s in aar.timeline] or [para("Play never started.")]
    return section("timeline", TITLES["timeline"], body, "break")


def _notes(aar: Aar) -> str:
    if not aar.notes:
        return section("notes", TITLES["notes"], [para("No notes were taken.")])
    rows = [(e(n.clock), e(n.where), e(n.by), e(n.text)) for n in aar.notes]
    return section("notes", TITLES["notes"], [table(["Clock", "Step", "By", "Note"], rows)])


def _plan(aar: Aar) -> str:
    if not aar.plan:
        return section("plan", TITLES["plan"], [para("Nothing to fix from this exercise.")], "break")
    intro = para(
        "Critical decisions first. The owner is the role the authority map holds accountable."
        " Fill in the due date and status as the work goes; the same plan is in improvement-plan.csv."
    )
    rows = [
        (
            str(p.number),
            e(p.action) + f'<br><span class="detail">{e(p.observation)}</span>',
            f"{e(p.title)}<br><span class=muted>{e(p.responsibility)}</span>",
            role(p.owner) if p.owner else f"<em>{e(p.owner_text)}</em>",
            pill(PRIORITY_LABELS[p.priority], p.priority),
            '<span class="status-box"></span>',
            e(p.status) or '<span class="status-box"></span>',
        )
        for p in aar.plan
    ]
    return section(
        "plan",
        TITLES["plan"],
        [
            intro,
            table(["#", "Corrective action", "Responsibility", "Owner role", "Priority", "Due", "Status"], rows, (0,)),
        ],
        "break",
    )


def _map_gaps(aar: Aar) -> str:
    if not aar.map_gaps:
        return section(
            "map-gaps",
            TITLES["map-gaps"],
            [para("None: the map assigns every responsibility the exercise asked about.")],
        )
    rows = [
        (
            f"{e(g.title)}<br><span class=muted>{e(g.responsibility)}</span>",
            e(g.stage.capitalize()),
            e(g.ask),
            e(g.step),
            pill("critical", "critical") if g.critical else "no",
            str(g.answers),
        )
        for g in aar.map_gaps
    ]
    return section(
        "map-gaps",
        TITLES["map-gaps"],
        [
            para("Decisions whose responsibility the map assigns to nobody. They are not held against the team."),
            table(["Responsibility", "Stage", "Question", "Step", "Critical", "Answers"], rows, (5,)),
        ],
    )


def _appendix(aar: Aar) -> str:
    a, o = aar.appendix, aar.overview
    roles_table = table(
        ["Role", "Id", "Party", "Deputy", "Held by", "Summary"],
        [
            (
                e(r.role.name),
                e(r.role.id),
                e(r.role.party),
                role(r.deputy) if r.deputy else "—",
                e(", ".join(r.held_by)) or "<em>nobody</em>",
                e(r.summary),
            )
            for r in a.roles
        ],
    )
    raci = table(
        ["Responsibility", "A", "R", "C", "I", "Why"],
        [
            (
                f"{e(x.title)}<br><span class=muted>{e(x.responsibility)}</span>",
                role(x.accountable),
                roles(x.responsible, "—"),
                roles(x.consulted, "—"),
                roles(x.informed, "—"),
                e(x.why),
            )
            for x in a.assignments
        ],
    )
    map_body = [
        para(f"{e(o.map_title)} ({e(o.map_id)}); file sha256 <code>{e(o.map_sha256)}</code>.", "small"),
        para("Parties: " + "; ".join(f"{e(name)} ({e(pid)})" for pid, name in a.parties) + "."),
        roles_table,
        para("A accountable, R responsible, C consulted, I informed.", "small muted"),
        raci,
    ]
    if a.unassigned:
        map_body.append(para("Not assigned in this map: " + ", ".join(e(r) for r in a.unassigned) + ".", "small"))
    answers = table(
        [
            "#",
            "Clock",
            "Stage",
            "Question",
            "Expected",
            "Answer",
            "By",
            "Outcome",
            "Credit",
            "Time",
            "Flags",
            "Ballots",
        ],
        [
            (
                str(r.number),
                e(r.clock),
                e(r.stage),
                f"{e(r.ask)}<br><span class='small muted'>{e(r.decision)} · {e(r.responsibility)}</span>",
                roles(r.expected, "—"),
                roles(r.answer),
                e(r.by),
                pill("map gap", "mapgap") if r.map_gap else pill(r.outcome, r.outcome),
                f"{r.credit:g}",
                e(r.latency),
                e("; ".join(r.flags)),
                "<br>".join(f"{e(w)}: {roles(b)}" for w, b in r.ballots),
            )
            for r in a.answers
        ],
        numeric=(0, 8, 9),
    )
    answer_body = [
        para(
            f"Scenario file sha256 <code>{e(o.scenario_sha256)}</code>; journal format {e(o.journal_format)};"
            f" started {e(o.started_at)}.",
            "small",
        ),
        answers,
    ]
    if a.unknown_answers:
        answer_body.append(
            para("Answered but no longer in the scenario (not scored): " + ", ".join(e(d) for d in a.unknown_answers))
        )
    for c in a.corrections:  # withdrawn answers, beside what replaced them
        to = f"to {e(c.replaced_by)}" if c.replaced_by else "(not answered again)"
        why = f" — {e(c.reason)}" if c.reason else ""
        answer_body.append(para(f"{e(c.clock)} {e(c.ask)}: corrected from {e(c.withdrawn)} {to}{why}", "correction"))
    for b in a.withdrawn_ballots:
        why = f" — {e(b.reason)}" if b.reason else ""
        answer_body.append(para(f"Ballot of {e(b.participant)} on {e(b.ask)}: {e(b.roles)} (withdrawn){why}", "small"))
    answer_body.append(
        para("; ".join(f"<em>{e(k)}</em>: {e(v)}" for k, v in OUTCOME_WORDS.items()) + ".", "small muted")
    )
    return section("appendix-map", TITLES["appendix-map"], map_body, "break") + section(
        "appendix-answers", TITLES["appendix-answers"], answer_body, "break"
    )


def page(title: str, cover: str, body: Sequence[str], footer: str) -> str:
    """A whole self-contained document around already-built markup."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="ttx">\n'
        f"<title>{e(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'{cover}\n<main class="page">\n'
        + "\n".join(body)
        + f"\n<footer>{footer}</footer>\n</main>\n</body>\n</html>\n"
    )


def aar_html(aar: Aar) -> str:
    """The whole AAR/IP as one HTML document."""
    o = aar.overview
    body = [
        _toc(),
        _overview(aar),
        _summary(aar),
        _strengths(aar),
        _improvements(aar),
        _reflection(aar),
        _drift(aar),
        _participation(aar),
        _timeline(aar),
        _notes(aar),
        _plan(aar),
        _map_gaps(aar),
        _appendix(aar),
    ]
    footer = e(
        f"Computed by ttx from the session journal ({o.journal_format}) and the scenario and map copies kept with it."
        f" Exercise started {o.started_at}; scenario {o.scenario_id}, map {o.map_id}, seed {o.seed}."
    )
    return page(f"After-action report: {o.scenario_title}", _cover(aar), body, footer)


# --- the trend report -------------------------------------------------------------------


def _score_cell(clarity: float | None, rating: str | None) -> str:
    if clarity is None:
        return "<span class=muted>—</span>"
    return f"{e(clarity_text(clarity))} {badge(rating)}"


def _bounds_text(trend: Trend) -> str:
    if not trend.bounds_vary:
        return "Dashed lines are the rating thresholds."
    return "Dashed lines are the rating thresholds of the latest session; earlier sessions were scored with others."


def trend_html(trend: Trend) -> str:
    """The trend across sessions as one self-contained HTML document."""
    latest = trend.periods[-1] if trend.periods else None
    cards = [
        tag("div", tag("span", str(len(trend.points)), "big") + tag("span", "sessions read", "what"), "card"),
        tag(
            "div",
            tag("span", e(f"{clarity_text(latest.clarity)} %" if latest else "—"), "big")
            + tag("span", f"latest {e(UNIT_WORDS[trend.unit])}", "what")
            + ("<br>" + badge(latest.rating) if latest and latest.rating else ""),
            f"card rated {latest.rating if latest and latest.rating else ''}",
        ),
        tag(
            "div",
            tag("span", e(f"{trend.overall.delta:+.1f}" if trend.overall.delta is not None else "—"), "big")
            + tag("span", f"points of clarity, first to latest: {e(trend.overall.word)}", "what"),
            "card",
        ),
        tag(
            "div",
            tag("span", str(len(trend.skipped)), "big") + tag("span", "sessions skipped (see the end)", "what"),
            "card",
        ),
    ]
    cover = (
        '<header class="cover"><div class="page">'
        + para("Trend report · tabletop exercises on incident-response ownership", "kicker")
        + tag("h1", "Ownership clarity over time")
        + para(e(scope_text(trend)), "meta")
        + tag("div", "".join(cards), "cards")
        + "</div></header>"
    )
    body: list[str] = []
    if trend.points:
        labels = [chart_label(trend, p) for p in trend.periods]
        series = [Series("Overall", [p.clarity for p in trend.periods], INK_COLOUR, 3.5)]
        series += [
            Series(STAGE_LABELS[stage], [p.stages[i][0] for p in trend.periods], STAGE_COLOURS[i], 1.6)
            for i, stage in enumerate(STAGES)
        ]
        chart = line_chart(labels, series, "Ownership clarity over time, overall and per stage", trend.bounds)
        rows = [
            (
                e(c.name),
                e(clarity_text(c.first)),
                e(clarity_text(c.last)),
                e(f"{c.delta:+.1f}" if c.delta is not None else "—"),
                tag(
                    "span",
                    e(c.word),
                    "verdict-yes" if c.word == "improving" else ("verdict-no" if c.word == "declining" else "muted"),
                ),
            )
            for c in (trend.overall, *trend.stages)
        ]
        body.append(
            section(
                "clarity",
                "Clarity over time",
                [
                    para(f"Ownership clarity in %, {e(grouping_text(trend))}. {_bounds_text(trend)}"),
                    chart,
                    table(["", "First", "Latest", "Change", "Direction"], rows, numeric=(1, 2, 3)),
                ],
            )
        )
        letters = [[p.rating for p in trend.periods]] + [
            [p.stages[i][1] for p in trend.periods] for i in range(len(STAGES))
        ]
        strip = rating_strip(["Overall", *(STAGE_LABELS[s] for s in STAGES)], labels, letters, "Ratings over time")
        per_session = trend.unit == "session"
        first = "Session" if per_session else UNIT_WORDS[trend.unit].capitalize()
        several = one_scenario(trend) is None
        period_rows = [
            (
                e(p.label),
                *([] if per_session else [str(p.sessions)]),
                *([e(p.scenario)] if several else []),
                _score_cell(p.clarity, p.rating),
                *(_score_cell(c, r) for c, r in p.stages),
            )
            for p in trend.periods
        ]
        headers = [
            first,
            *([] if per_session else ["Sessions"]),
            *(["Scenario"] if several else []),
            "Overall",
            *(STAGE_LABELS[s] for s in STAGES),
        ]
        body.append(
            section(
                "ratings",
                "Ratings over time",
                [
                    para(
                        "P performed without challenges, S with some challenges, M with major challenges,"
                        " U unable to be performed."
                        + (
                            ""
                            if per_session
                            else " In the table, clarity is the mean over the period and the letter"
                            " its most common rating."
                        )
                    ),
                    strip,
                    table(headers, period_rows, numeric=() if per_session else (1,)),
                ],
            )
        )
        if trend.drifting:
            drift_rows = [
                (
                    f"{e(d.title)}<br><span class=muted>{e(d.responsibility)}</span>",
                    f'{d.troubled} of {d.asked}<div class="bar"><i style="width:{d.share * 100:.0f}%"></i></div>',
                    f"{d.drift} · {d.overlap} · {d.gap}",
                    e(", ".join(d.owners)),
                    e(actors_text(d.actors)),
                    e(f"{d.last:%Y-%m-%d}"),
                    pill("still", "critical") if d.recent else "<span class=muted>no</span>",
                )
                for d in trend.drifting
            ]
            drifting = [
                para(
                    "Responsibilities the team did not place cleanly, most sessions first. Who acted instead counts"
                    " sessions; “still” means it went wrong in the latest session that asked it."
                ),
                table(
                    [
                        "Responsibility",
                        "Went wrong",
                        "Drift · overlap · gap",
                        "Map's owner",
                        "Acted instead",
                        "Last",
                        "Still",
                    ],
                    drift_rows,
                ),
            ]
        else:
            drifting = [para("None: every responsibility was placed cleanly in every session.")]
        body.append(section("drifting", "Responsibilities that keep drifting", drifting))
        if trend.people:
            more = (
                f" The {len(trend.people)} most frequent of {trend.people_total}."
                if trend.people_total > len(trend.people)
                else ""
            )
            people_rows = [
                (
                    e(x.name),
                    str(x.sessions),
                    e(f"{x.first:%Y-%m-%d} → {x.last:%Y-%m-%d}"),
                    e(f"{x.roles_mean:.1f} · {x.roles_latest}"),
                    e(f"{x.decisions_mean:.1f} · {x.decisions_first} → {x.decisions_latest}"),
                    tag("span", e(sparkline_counts(x.series)), "spark"),
                    pill(f"{x.overloaded} session(s)", "high") if x.overloaded else "—",
                )
                for x in trend.people
            ]
            people = [
                para("Decisions carried: answers a person gave or that named one of their roles." + more),
                table(
                    [
                        "Participant",
                        "Sessions",
                        "First → last",
                        "Roles (mean · latest)",
                        "Decisions (mean · first → latest)",
                        "Decisions over time",
                        "Many roles",
                    ],
                    people_rows,
                    numeric=(1,),
                ),
            ]
        else:
            people = [para("No roster was recorded.")]
        body.append(section("load", "Participants' load over time", people))
    read = [
        para(
            f"{trend.from_reports} read from report.json, {trend.from_journals} scored again from their journal"
            + (f"; {trend.filtered} left out by the filters" if trend.filtered else "")
            + "."
        )
    ]
    if trend.missing:
        read.append(para("Not a folder: " + ", ".join(e(m) for m in trend.missing)))
    if trend.skipped:
        shown = trend.skipped[:SKIPPED_SHOWN]
        rows_skipped = [(e(s.folder), e(s.reason)) for s in shown]
        read.append(table(["Skipped session", "Why"], rows_skipped))
        if len(trend.skipped) > len(shown):
            read.append(para(f"… and {len(trend.skipped) - len(shown)} more.", "muted"))
    body.append(section("read", "Sessions read", read))
    footer = e(f"Computed by ttx from {len(trend.points)} session(s); {scope_text(trend)}.")
    return page("Ownership clarity over time", cover, body, footer)


def sparkline_counts(values: Sequence[int | None]) -> str:
    """Small counts as block characters scaled to the largest; a space where the person was not there."""
    top = max((v for v in values if v is not None), default=0)
    if top <= 0:
        return "".join(" " if v is None else "▁" for v in values)
    return "".join(" " if v is None else SPARKS[min(7, int(v / top * 7.999))] for v in values)
