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
from simulator.reporting.html_templates import CSP, stylesheet
from simulator.reporting.svg import (
    MAP_GAP_COLOUR,
    OUTCOME_COLOURS,
    RATING_COLOURS,
    Bar,
    Mark,
    clarity_bars,
    e,
    heat_map,
    timeline,
)

CSS = stylesheet()


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
