"""Auth errors."""

from __future__ import annotations

from shuping.core.errors import Unauthorized
from shuping.core.i18n import N_


class InvalidCredentials(Unauthorized):
    code, title = "invalid-credentials", N_("Invalid username or password")
    # The failed attempt is audited even though the request fails.
    keep_changes = True


class InvalidTokenError(Unauthorized):
    code, title = "invalid-token", N_("Invalid or expired token")


class RefreshTokenReused(InvalidTokenError):
    code, title = "refresh-token-reused", N_("Refresh token already used; sign in again")
    # The revocation of the token's family and its audit entry stay, though the request fails.
    keep_changes = True
