"""Meeting and ballot errors."""

from __future__ import annotations

from shuping.core.errors import AppError, Conflict, Forbidden, InvalidState, NotFound


class VotingClosed(Conflict):
    code, title = "voting-closed", "Voting is not open for this report"


class TokenUsed(Conflict):
    code, title = "token-used", "This ballot token has already voted on this report"


class AlreadyVoted(Conflict):
    code, title = "already-voted", "You have already voted on this report"


class TokenRevoked(Conflict):
    code, title = "token-revoked", "This ballot token has been revoked"


class BallotNotStored(AppError):
    """The ballot writer stored every other ballot of its group, and the database still refused this one."""

    status, code, title = 422, "ballot-not-stored", "The ballot could not be stored as sent"


class UnknownToken(NotFound):
    code, title = "unknown-token", "Unknown ballot token"


class ForeignToken(Forbidden):
    code, title = "foreign-token", "This ballot token belongs to another meeting"


class IdempotencyMismatch(Conflict):
    code, title = "idempotency-key-reused", "This Idempotency-Key was used for a different request"


class NotAnEvaluator(Forbidden):
    code, title = "not-an-evaluator", "You are not an evaluator of this cycle"


class RevealWhileVoting(InvalidState):
    """`report_ids`: the reports open for voting."""

    code, title = "reveal-while-voting", "Scores cannot be shown while a report is open for voting"
