"""Time `score_session` on a synthetic session: python -m benchmarks.bench_scoring [decisions].

Every decision is answered once, cycling through aligned, drift, overlap and gap
answers with ballots, so every part of the scoring does work. Target: 1,000
decisions in under 100 ms.
"""

from __future__ import annotations

import statistics
import sys
import time

from simulator.catalogue import CATALOGUE, STAGES
from simulator.model import AuthorityMap, Decision, Participant, Roster, Scenario, Step
from simulator.records import AnswerRecord
from simulator.scoring import score_session

PARTIES = ("msp", "soc", "client")


def synthetic_map() -> AuthorityMap:
    roles = [{"id": f"{party}-{n}", "name": f"{party} {n}", "party": party} for party in PARTIES for n in range(4)]
    ids = [role["id"] for role in roles]
    assignments = {
        rid: {"A": ids[i % len(ids)], "R": [ids[(i + 1) % len(ids)]], "C": [ids[(i + 5) % len(ids)]], "why": "bench"}
        for i, rid in enumerate(CATALOGUE)
        if i % 12 != 11  # leave two map gaps
    }
    return AuthorityMap.model_validate(
        {
            "id": "bench",
            "title": "Bench",
            "parties": {p: p for p in PARTIES},
            "roles": roles,
            "assignments": assignments,
        }
    )


def synthetic_session(decisions: int) -> tuple[Scenario, AuthorityMap, Roster, list[AnswerRecord]]:
    authority_map = synthetic_map()
    ids = authority_map.role_ids
    responsibilities = list(CATALOGUE)
    per_step = 5
    steps = []
    for s in range(0, decisions, per_step):
        stage = STAGES[(s // per_step) * len(STAGES) // -(-decisions // per_step)]
        steps.append(
            Step(
                id=f"step-{s}",
                stage=stage,
                inject="Bench.",
                decisions=[
                    Decision(
                        id=f"d{i}",
                        ask="Who acts?",
                        responsibility=responsibilities[i % len(responsibilities)],
                        weight=1 + i % 3,
                        critical=i % 50 == 0,
                        time_limit_s=60,
                    )
                    for i in range(s, min(s + per_step, decisions))
                ],
            )
        )
    scenario = Scenario(id="bench", title="Bench", steps=steps)
    roster = Roster(participants=[Participant(name=f"p{n}", roles=ids[n::4]) for n in range(3)])
    records = []
    for step in steps:
        for d in step.decisions:
            i = int(d.id[1:])
            roles = [(), (ids[i % len(ids)],), (ids[i % len(ids)], ids[(i + 3) % len(ids)])][i % 3]
            records.append(
                AnswerRecord(
                    decision=d.id,
                    step=step.id,
                    stage=step.stage,
                    responsibility=d.responsibility,
                    roles=roles,
                    answered_by=f"p{i % 3}",
                    latency_ms=(i * 7919) % 90_000,
                    ballots={f"p{n}": roles if n else (ids[n],) for n in range(3)},
                )
            )
    return scenario, authority_map, roster, records


def main(argv: list[str]) -> int:
    size = int(argv[0]) if argv else 1000
    scenario, authority_map, roster, records = synthetic_session(size)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        score_session(scenario, authority_map, roster, records)
        times.append(time.perf_counter() - started)
    print(
        f"score_session, {size} decisions: median {statistics.median(times) * 1000:.1f} ms,"
        f" best {min(times) * 1000:.1f} ms (target < 100 ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
