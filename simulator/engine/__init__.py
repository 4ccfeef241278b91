"""Playing a session: the stage state machine and the Engine that drives it. Never imports the UI."""

from simulator.engine.machine import IllegalMove, StageMachine
from simulator.engine.session import Engine, EngineError, ResumeError
from simulator.engine.views import (
    AnswerResult,
    Choice,
    FiredConsequence,
    Note,
    PendingDecision,
    ShownArtifact,
    ShownItem,
)

__all__ = [
    "AnswerResult",
    "Choice",
    "Engine",
    "EngineError",
    "FiredConsequence",
    "IllegalMove",
    "Note",
    "PendingDecision",
    "ResumeError",
    "ShownArtifact",
    "ShownItem",
    "StageMachine",
]
