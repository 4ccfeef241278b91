"""The AAR/IP in Markdown, for GitHub and wiki tools (see docs/reports.md; the trend: trend_markdown.py).

Every string that came from a user, a scenario or a map goes through `text`
or `cell`, so a name like ``| pipe | break`` or ``<script>`` stays literal and
a table keeps its columns. Only the fixed wording of the report is markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from simulator.reporting.aar import (
    OUTCOME_WORDS,
    PRIORITY_LABELS,
    Aar,
    Appendix,
    ReflectionItem,
    RoleRef,
    TimelineEntry,
    TimelineStep,
    tampered_notice,
)
from simulator.reporting.markdown_text import cell, code, escape, inline
from simulator.wording import plural


def text(value: object) -> str:
    """User or scenario text as literal Markdown, line breaks kept (each line stripped)."""
    return escape("\n".join(line.strip() for line in str(value).splitlines()))


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """A GFM table; headers and cells must already be escaped. `right` are column indexes to right-align."""
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def paragraphs(value: str) -> list[str]:
    """Scenario prose: blank-line separated paragraphs, each escaped."""
    return [text(" ".join(block.split())) for block in re.split(r"\n\s*\n", value.strip()) if block.strip()]


def role(ref: RoleRef | None) -> str:
    return "nobody" if ref is None else inline(ref.name)


def roles(refs: Sequence[RoleRef], empty: str = "nobody") -> str:
    return ", ".join(inline(r.name) for r in refs) or empty


def _rating(letter: str | None, words: str) -> str:
    return f"**{letter}** — {inline(words)}" if letter else f"*{inline(words)}*"


def _outcome(outcome: str | None) -> str:
    return f"**{outcome}**" if outcome and outcome != "aligned" else (outcome or "")


# --- sections ---------------------------------------------------------------------


def _overview(aar: Aar) -> list[str]:
    o = aar.overview
    when = f"{o.date}, {o.start_time}" if o.start_time else inline(o.started_at)
    duration = o.duration or "—"
    clock = f"{inline(o.clock_start)} → {inline(o.clock_end)} ({o.clock_span})" if o.clock_span else "—"
    rows = [
        ("Scenario", f"{cell(o.scenario_title)} (`{o.scenario_id}`)"),
        ("Date", when),
        ("Duration", f"{duration} (planned {o.planned})"),
        ("Scenario clock", clock),
        ("Status", inline(o.status)),
        ("Authority map", f"{cell(o.map_title)} (`{o.map_id}`)"),
        ("Mode", inline(o.mode_text)),
        ("Seed", f"{cell(o.seed)} (names and hosts in the scenario come from it)"),
    ]
    lines = ["## 1. Exercise overview", ""]
    if o.scenario_summary:
        lines += [text(o.scenario_summary), ""]
    lines += table(["", ""], rows)
    lines += ["", "### Participants and roles held", ""]
    lines += table(
        ["Participant", "Roles held", "Decisions carried"],
        [
            (
                cell(p.name) + (" ⚠ many roles" if p.many_roles else ""),
                cell(", ".join(r.name for r in p.roles) or "none"),
                str(p.decisions),
            )
            for p in o.participants
        ],
        right=(2,),
    )
    if any(p.many_roles for p in o.participants):
        lines += ["", f"⚠ marks a person holding {o.many_roles} roles or more: a cognitive-load risk."]
    if o.unstaffed:
        lines += ["", f"Roles nobody held: {roles(o.unstaffed)}."]
    return lines


def _summary(aar: Aar) -> list[str]:
    s = aar.summary
    lines = ["## 2. Summary", ""]
    if s.clarity is None:
        lines.append("No decision was scored, so there is nothing to rate.")
    else:
        lines.append(f"Overall ownership clarity **{s.clarity_text} %**, rated {_rating(s.rating, s.rating_words)}.")
    if s.critical_gaps:
        lines += ["", "Nobody took a critical decision: " + "; ".join(f"“{inline(q)}”" for q in s.critical_gaps) + "."]
    o = s.outcomes
    lines += [
        "",
        f"Answers: {o['aligned']} aligned · {o['overlap']} overlap · {o['drift']} drift"
        f" ({s.boundary} across a party line, {s.internal} inside one, {s.overreach} overreach) · {o['gap']} gap.",
        "",
    ]
    lines += table(
        ["Stage", "Decisions", "Clarity %", "Rating"],
        [(r.label, str(r.decisions), r.clarity_text, _rating(r.rating, r.rating_words)) for r in s.stages],
        right=(1, 2),
    )
    lines += ["", f"*Ratings after HSEEP: {s.thresholds}.*"]
    if s.plan_items:
        critical = f", {s.critical_items} from critical decisions" if s.critical_items else ""
        lines += ["", f"The improvement plan (section 10) has {plural(s.plan_items, 'item')}{critical}."]
    return lines


def _strengths(aar: Aar) -> list[str]:
    st = aar.strengths
    lines = ["## 3. Strengths", ""]
    if not st.stages and not st.responsibilities:
        return [*lines, "No responsibility was placed cleanly every time it came up."]
    if st.stages:
        lines += [f"Stages performed without challenges: {', '.join(st.stages)}.", ""]
    for item in st.responsibilities:
        owner = f" — {role(item.owner)} owns it, and the team knew" if item.owner else ""
        lines.append(f"- **{inline(item.title)}** (`{item.responsibility}`){owner}.")
    return lines


def _improvements(aar: Aar) -> list[str]:
    lines = ["## 4. Areas for improvement", ""]
    if not aar.improvements:
        return [*lines, "None: every scored answer matched the map."]
    for item in aar.improvements:
        flags = PRIORITY_LABELS[item.priority] + " priority"
        if item.boundary:
            flags += ", crossed a party line"
        lines += [f"### 4.{item.number} {inline(item.title)} (`{item.responsibility}`)", ""]
        lines.append(f"*{item.stage.capitalize()} · {flags}*")
        lines.append("")
        lines.append(f"- **Observation.** {inline(item.observation)}")
        party = f", {inline(item.owner.party)}," if item.owner.party else ""
        says = f"{role(item.owner)}{party} is accountable"
        if item.responsible:
            says += f"; responsible: {roles(item.responsible)}"
        lines.append(f"- **What the map says.** {says}. *Why:* {inline(item.why)}")
        lines.append(f"- **Recommendation.** {inline(item.recommendation)}")
        lines.append("")
    return lines[:-1]


def _given(item: ReflectionItem) -> str:
    if not item.answers:
        return "not asked"
    parts = []
    for a in item.answers:
        who = roles(a.roles)
        parts.append(f"{who} ({'map gap' if a.map_gap else a.outcome})")
    return "; ".join(parts)


def _reflection(aar: Aar) -> list[str]:
    lines = ["## 5. Reflection questions: the map vs the team", ""]
    rows = []
    for r in aar.reflection:
        says = role(r.owner) if r.owner else "*no owner in the map*"
        if r.responsible:
            says += f" (responsible: {roles(r.responsible)})"
        rows.append((inline(r.question), says, _given(r), inline(r.verdict)))
    lines += table(["Question", "The map says", "The team said", "Verdict"], rows)
    whys = [(r.question, r.why) for r in aar.reflection if r.why]
    if whys:
        lines.append("")
        lines += [f"- *{inline(q)}* {inline(w)}" for q, w in whys]
    return lines


def _drift(aar: Aar) -> list[str]:
    d = aar.drift
    lines = ["## 6. Drift matrix", ""]
    if not d.total:
        return [*lines, "No role acted in another role's place."]
    lines += [
        "Rows are the owner the map expects; columns the role that acted instead. Each count is one answer.",
        "",
    ]
    rows = []
    for owner, counts in zip(d.owners, d.counts, strict=True):
        rows.append([cell(owner.name), *[f"**{c}**" if c else "·" for c in counts], str(sum(counts))])
    headers = ["Expected owner ↓ · acted →", *[cell(a.name) for a in d.actors], "Total"]
    lines += table(headers, rows, right=tuple(range(1, len(headers))))
    return lines


def _participation(aar: Aar) -> list[str]:
    p = aar.participation
    lines = ["## 7. Load, timing and consensus", ""]
    lines.append(f"Time to answer: median {p.median}, worst {p.worst}.")
    if p.stages:
        lines.append("")
        lines += table(
            ["Stage", "Answers", "Median", "Worst"],
            [(s.stage, str(s.answers), s.median, s.worst) for s in p.stages],
            right=(1, 2, 3),
        )
    if p.late:
        lines += ["", "Answers past the time limit:", ""]
        lines += [
            f"- “{inline(late.ask)}” ({late.stage}): {late.took}, limit {late.limit}"
            + (" — timed out, scored as a gap" if late.timed_out else "")
            for late in p.late
        ]
    if p.overloaded:
        names = ", ".join(inline(n) for n in p.overloaded)
        lines += ["", f"Holding {aar.overview.many_roles} roles or more (a cognitive-load risk): {names}."]
    if p.needed:
        lines += ["", "Roles nobody held that the exercise needed:", ""]
        for n in p.needed:
            cover = "no deputy"
            if n.deputy:
                cover = f"deputy {role(n.deputy)}" + ("" if n.deputy_staffed else ", also unstaffed")
            lines.append(f"- {role(n.role)}: {plural(n.answers, 'decision')}; {cover}")
    if p.consensus:
        mean = f"{p.consensus_mean:.0%}" if p.consensus_mean is not None else "—"
        lines += ["", f"Ballots: on average {mean} of the room agreed with the answer recorded.", ""]
        lines += table(
            ["Question", "Ballots", "Agreed", "Split"],
            [
                (
                    cell(c.ask) + (" ⚠ ambiguous" if c.ambiguous else ""),
                    str(c.ballots),
                    f"{c.share:.0%}",
                    cell(c.split),
                )
                for c in p.consensus
            ],
            right=(1, 2),
        )
    return lines


def _entry(entry: TimelineEntry) -> str:
    clock = f"`{entry.clock}` " if entry.clock else ""
    if entry.kind == "answer":
        by = f" — {inline(entry.by)}" if entry.by and entry.by != "team" else ""
        verdict = "map gap" if entry.map_gap else _outcome(entry.outcome)
        return f"- {clock}**Q:** {inline(entry.title)} → {roles(entry.roles)}{by} · {verdict}" + (
            f" *({inline(entry.detail)})*" if entry.detail else ""
        )
    if entry.kind == "asked":
        return f"- {clock}**Q:** {inline(entry.title)} → *not answered*"
    if entry.kind == "consequence":
        cause = f" (after a {entry.outcome})" if entry.outcome else ""
        move = f" *[{inline(entry.detail)}]*" if entry.detail else ""
        body = f": {inline(entry.text)}" if entry.text else ""
        return f"- {clock}**Consequence{cause}** — {inline(entry.title)}{move}{body}"
    if entry.kind == "note":
        return f"- {clock}**{inline(entry.title)}:** {inline(entry.text)}"
    return f"- {clock}**{inline(entry.title)}**"


def _step(step: TimelineStep) -> list[str]:
    again = f" (attempt {step.attempt})" if step.attempt > 1 else ""
    clock = f"{inline(step.clock)} · " if step.clock else ""
    lines = [f"### {clock}{step.stage_label} · {inline(step.title)}{again}", ""]
    lines += [f"> {p}" for p in paragraphs(step.text)][:1] + [
        line for p in paragraphs(step.text)[1:] for line in (">", f"> {p}")
    ]
    if step.artifacts:
        lines += ["", "Evidence shown: " + "; ".join(inline(a) for a in step.artifacts) + "."]
    if step.entries:
        lines.append("")
        lines += [_entry(e) for e in step.entries]
    return lines


def _timeline(aar: Aar) -> list[str]:
    lines = ["## 8. Timeline", ""]
    lines.append(
        "On the scenario clock. **Q** is a “who acts?” question,"
        " with the team's answer and how it compares with the map."
    )
    for step in aar.timeline:
        lines += ["", *_step(step)]
    if not aar.timeline:
        lines += ["", "Play never started."]
    return lines


def _notes(aar: Aar) -> list[str]:
    lines = ["## 9. Facilitator and hotwash notes", ""]
    if not aar.notes:
        return [*lines, "No notes were taken."]
    for note in aar.notes:
        where = ", ".join(x for x in (inline(note.clock), inline(note.where)) if x)
        lines.append(f"- **{inline(note.by)}**{f' ({where})' if where else ''}: {inline(note.text)}")
    return lines


def _plan(aar: Aar) -> list[str]:
    lines = ["## 10. Improvement plan", ""]
    if not aar.plan:
        return [*lines, "Nothing to fix from this exercise."]
    lines += [
        "Critical decisions first. The owner is the role the authority map holds accountable."
        " Fill in the due date and status as the work goes.",
        "",
    ]
    lines += table(
        ["#", "Corrective action", "Responsibility", "Owner role", "Priority", "Due", "Status"],
        [
            (
                str(p.number),
                cell(p.action),
                f"{cell(p.title)} (`{p.responsibility}`)",
                cell(p.owner_text),
                PRIORITY_LABELS[p.priority],
                " ",
                cell(p.status),
            )
            for p in aar.plan
        ],
        right=(0,),
    )
    return lines


def _map_gaps(aar: Aar) -> list[str]:
    lines = ["## 11. Map gaps", ""]
    if not aar.map_gaps:
        return [*lines, "None: the map assigns every responsibility the exercise asked about."]
    lines += ["Decisions whose responsibility the map assigns to nobody. They are not held against the team.", ""]
    lines += table(
        ["Responsibility", "Stage", "Question", "Step", "Critical", "Answers"],
        [
            (
                f"{cell(g.title)} (`{g.responsibility}`)",
                g.stage.capitalize(),
                cell(g.ask),
                cell(g.step),
                "yes" if g.critical else "no",
                str(g.answers),
            )
            for g in aar.map_gaps
        ],
        right=(5,),
    )
    return lines


def _appendix(aar: Aar) -> list[str]:
    a = aar.appendix
    o = aar.overview
    lines = ["## Appendix A. The authority map as played", ""]
    lines.append(f"{cell(o.map_title)} (`{o.map_id}`), file sha256 {code(o.map_sha256)}.")
    lines += ["", "Parties: " + "; ".join(f"{inline(name)} (`{pid}`)" for pid, name in a.parties) + ".", ""]
    lines += table(
        ["Role", "Id", "Party", "Deputy", "Held by", "Summary"],
        [
            (
                cell(r.role.name),
                f"`{r.role.id}`",
                cell(r.role.party),
                cell(r.deputy.name if r.deputy else "—"),
                cell(", ".join(r.held_by) or "nobody"),
                cell(r.summary),
            )
            for r in a.roles
        ],
    )
    lines += ["", "A accountable, R responsible, C consulted, I informed.", ""]
    lines += table(
        ["Responsibility", "A", "R", "C", "I", "Why"],
        [
            (
                f"{cell(x.title)} (`{x.responsibility}`)",
                cell(x.accountable.name),
                cell(", ".join(r.name for r in x.responsible) or "—"),
                cell(", ".join(r.name for r in x.consulted) or "—"),
                cell(", ".join(r.name for r in x.informed) or "—"),
                cell(x.why),
            )
            for x in a.assignments
        ],
    )
    if a.unassigned:
        lines += ["", "Not assigned in this map: " + ", ".join(f"`{rid}`" for rid in a.unassigned) + "."]
    lines += ["", "## Appendix B. Every answer", ""]
    lines.append(
        f"Scenario file sha256 {code(o.scenario_sha256)}; journal format `{inline(o.journal_format)}`;"
        f" started {inline(o.started_at)}."
    )
    lines.append("")
    lines += table(
        ["#", "Clock", "Stage", "Question", "Expected", "Answer", "By", "Outcome", "Credit", "Time", "Notes"],
        [
            (
                str(r.number),
                cell(r.clock),
                r.stage,
                f"{cell(r.ask)} (`{r.decision}`, `{r.responsibility}`)",
                cell(", ".join(x.name for x in r.expected) or "—"),
                cell(", ".join(x.name for x in r.answer) or "nobody"),
                cell(r.by),
                "map gap" if r.map_gap else r.outcome,
                f"{r.credit:g}",
                r.latency,
                cell(
                    "; ".join(
                        [*r.flags, *(f"ballot {w}: {', '.join(x.name for x in b) or 'nobody'}" for w, b in r.ballots)]
                    )
                ),
            )
            for r in a.answers
        ],
        right=(0, 8, 9),
    )
    if a.unknown_answers:
        lines += [
            "",
            "Answered but no longer in the scenario (not scored): " + ", ".join(inline(d) for d in a.unknown_answers),
        ]
    lines += _corrections(a)
    lines += ["", "Outcomes: " + "; ".join(f"*{k}* — {v}" for k, v in OUTCOME_WORDS.items()) + "."]
    return lines


def _corrections(a: Appendix) -> list[str]:
    """Withdrawn answers and ballots: kept, marked, and set beside what replaced them."""
    lines: list[str] = []
    if a.corrections:
        lines += ["", "**Corrections**", ""]
        for c in a.corrections:
            to = f"to {inline(c.replaced_by)}" if c.replaced_by else "(not answered again)"
            why = f" — {inline(c.reason)}" if c.reason else ""
            lines.append(f"- {inline(c.clock)} {inline(c.ask)}: corrected from {inline(c.withdrawn)} {to}{why}")
    if a.withdrawn_ballots:
        lines += ["", "**Withdrawn ballots**", ""]
        for b in a.withdrawn_ballots:
            why = f" — {inline(b.reason)}" if b.reason else ""
            lines.append(f"- {inline(b.participant)} on {inline(b.ask)}: {inline(b.roles)} (withdrawn){why}")
    return lines


def _private_ballots(aar: Aar) -> list[str]:
    section = aar.private_ballots
    if section is None:
        return []
    lines = [
        "## Private ballots",
        "",
        "Each person's first answer against the map, beside the team's final answer."
        " *Towards*: the team settled on the map's owner where this person first did not;"
        " *away*: this person first named the owner and the team did not.",
        "",
    ]
    lines += table(
        ["person", "ballots", "first answers aligned", "not aligned", "moved towards", "moved away"],
        [
            (cell(p.name), str(p.ballots), str(p.first_aligned), p.not_aligned, str(p.moved_towards), str(p.moved_away))
            for p in section.people
        ],
    )
    lines += [""]
    lines += table(
        ["decision", "team answer", "first answers aligned", "who moved"],
        [
            (cell(r.ask), r.team_outcome, r.first_aligned, ", ".join(f"{cell(n)} ({how})" for n, how in r.moved) or "—")
            for r in section.rounds
        ],
    )
    return lines


# ttx's mark (simulator.safewrite.MARKS): a comment Markdown viewers do not show, so `-o` may replace its own file.
MARKDOWN_AAR_MARK = "<!-- ttx report: after-action report and improvement plan -->"


def aar_markdown(aar: Aar) -> str:
    """The whole AAR/IP as one Markdown document, ending in a newline."""
    o = aar.overview
    s = aar.summary
    head = [
        MARKDOWN_AAR_MARK,
        f"# After-action report: {inline(o.scenario_title)}",
        "",
        f"*Tabletop exercise on incident-response ownership · {o.date} · map {inline(o.map_title)}"
        f" · {inline(o.mode)} · seed {inline(o.seed)}*",
        "",
    ]
    if aar.tampered:
        head += [f"**{inline(tampered_notice(aar.tampered))}**", ""]
    if s.clarity is not None:
        head += [f"**Ownership clarity {s.clarity_text} %**, rated {_rating(s.rating, s.rating_words)}.", ""]
    sections = [
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
        _private_ballots(aar),
    ]
    body = head + [line for section in sections for line in (*section, "")]
    return "\n".join(body).rstrip() + "\n"
