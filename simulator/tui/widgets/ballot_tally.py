"""Who has voted, and, once everyone has (or the facilitator closes the round), what they said."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import Static


def tally_text(
    participants: Sequence[str],
    ballots: Mapping[str, tuple[str, ...]],
    role_names: Mapping[str, str],
    *,
    revealed: bool,
) -> Text:
    """Before the reveal only who voted shows, so later voters are not swayed by earlier votes."""
    if not ballots:
        return Text("b: take ballots before the team answer", style="dim")
    voted = [p for p in participants if p in ballots]
    if not revealed:
        text = Text(f"Voted {len(voted)} of {len(participants)}: ", style="bold")
        text.append(", ".join(voted))
        waiting = [p for p in participants if p not in ballots]
        if waiting:
            text.append(f" · waiting: {', '.join(waiting)}", style="dim")
        return text
    # A tally reads faster than a list of people when the room is large.
    tally = Counter(", ".join(role_names.get(r, r) for r in sorted(roles)) or "nobody" for roles in ballots.values())
    text = Text(f"Ballots ({len(ballots)}): ", style="bold")
    text.append(" · ".join(f"{answer} ×{count}" for answer, count in tally.most_common()))
    return text


class BallotTally(Static):
    """Attributes down: the roster's names, the ballots cast and whether the round is revealed."""

    def show(
        self,
        participants: Sequence[str],
        ballots: Mapping[str, tuple[str, ...]],
        role_names: Mapping[str, str],
        *,
        revealed: bool,
    ) -> None:
        self.update(tally_text(participants, ballots, role_names, revealed=revealed))
