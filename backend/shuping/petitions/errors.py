"""Petition errors."""

from __future__ import annotations

from shuping.core.errors import AppError, Conflict, InvalidState, NotConfigured, Unauthorized
from shuping.core.i18n import N_


class TransitionRefused(InvalidState):
    code, title = "illegal-transition", N_("Illegal status change")


class AlreadyExtended(InvalidState):
    code, title = "already-extended", N_("The handling period was already extended")


class SlotTaken(Conflict):
    code, title = "slot-taken", N_("The leader already has an appointment at that time")


class WebhookRefused(Unauthorized):
    code, title = "invalid-signature", N_("Webhook signature or timestamp refused")

    def __init__(self, detail: str) -> None:
        # A webhook sender authenticates by signature, not by a bearer token.
        super().__init__(detail, headers={})


class IntegrationNotConfigured(NotConfigured):
    """Valid request, but this installation is not set up for it (a 409: retrying will not help)."""

    code, title = "integration-not-configured", N_("The Sunshine Petition integration is not configured")


class PayloadTooLarge(AppError):
    status, code, title = 413, "payload-too-large", N_("Payload too large")
