"""Meeting and ballot errors."""

from __future__ import annotations

from shuping.core.errors import AppError, Conflict, Forbidden, InvalidState, NotFound
from shuping.core.i18n import N_


class VotingClosed(Conflict):
    code, title = "voting-closed", N_("Voting is not open for this report")


class TokenUsed(Conflict):
    code, title = "token-used", N_("This ballot token has already voted on this report")


class AlreadyVoted(Conflict):
    code, title = "already-voted", N_("You have already voted on this report")


class TokenRevoked(Conflict):
    code, title = "token-revoked", N_("This ballot token has been revoked")


class BallotNotStored(AppError):
    """The ballot writer stored every other ballot of its group, and the database still refused this one."""

    status, code, title = 422, "ballot-not-stored", N_("The ballot could not be stored as sent")


class UnknownToken(NotFound):
    code, title = "unknown-token", N_("Unknown ballot token")


class ForeignToken(Forbidden):
    code, title = "foreign-token", N_("This ballot token belongs to another meeting")


class IdempotencyMismatch(Conflict):
    code, title = "idempotency-key-reused", N_("This Idempotency-Key was used for a different request")


class NotAnEvaluator(Forbidden):
    code, title = "not-an-evaluator", N_("You are not an evaluator of this cycle")


class RevealWhileVoting(InvalidState):
    """`report_ids`: the reports open for voting."""

    code, title = "reveal-while-voting", N_("Scores cannot be shown while a report is open for voting")
