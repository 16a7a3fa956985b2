"""Domain errors and their RFC 9457 problem-details rendering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shuping.core.i18n import N_, Msg, translate

PROBLEM_BASE = "https://shuping.example/problems/"


class AppError(Exception):
    """An error a client caused or may act on; rendered as problem+json."""

    status: int = 400
    code: str = "bad-request"
    title: str = N_("Bad request")
    # Set on errors whose request must still commit what it wrote (a failed login's audit).
    keep_changes: bool = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: Sequence[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = list(errors) if errors else None
        self.headers = headers or {}
        self.extra = extra or {}

    def rendered(self, locale: str) -> dict[str, Any]:
        """Title, detail and located errors in `locale`, with the detail's parameters (when it has any)."""
        detail = self.detail
        out: dict[str, Any] = {"title": translate(self.title, locale), "detail": translate(detail, locale)}
        if self.errors is not None:
            out["errors"] = [{**e, "msg": translate(e["msg"], locale)} if "msg" in e else e for e in self.errors]
        if isinstance(detail, Msg) and detail.params:
            out["params"] = detail.public_params()
        return out


class BadRequest(AppError):
    status, code, title = 400, "bad-request", N_("Bad request")


class Unauthorized(AppError):
    status, code, title = 401, "unauthorized", N_("Not authenticated")

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class Forbidden(AppError):
    status, code, title = 403, "forbidden", N_("Forbidden")


class NotFound(AppError):
    status, code, title = 404, "not-found", N_("Not found")


class Conflict(AppError):
    status, code, title = 409, "conflict", N_("Conflict")


class InvalidState(AppError):
    status, code, title = 409, "invalid-state", N_("Invalid state")


class FieldError(AppError):
    """Valid-looking input that breaks a rule, located by field."""

    status, code, title = 400, "invalid-input", N_("Invalid input")

    def __init__(self, loc: Sequence[str | int], msg: str, **kwargs: Any) -> None:
        super().__init__(msg, errors=[{"loc": list(loc), "msg": msg}], **kwargs)


class FieldErrors(AppError):
    """Valid-looking input that breaks several rules at once, every one located (all or nothing)."""

    status, code, title = 400, "invalid-input", N_("Invalid input")

    def __init__(self, errors: Sequence[dict[str, Any]], detail: str | None = None, **kwargs: Any) -> None:
        errors = list(errors)
        summary = _as_msg(errors[0]["msg"] if errors else "")
        for e in errors[1:3]:
            summary = N_("{errors}; {error}", errors=summary, error=_as_msg(e["msg"]))
        if len(errors) > 3:
            summary = N_("{errors}; and {count} more", errors=summary, count=len(errors) - 3)
        summary = N_("{count} error(s): {summary}", count=len(errors), summary=summary)
        super().__init__(detail or summary, errors=errors, **kwargs)


def _as_msg(text: str) -> Msg:
    return text if isinstance(text, Msg) else N_("{text}", text=text)


class NotConfigured(AppError):
    """A valid request this installation is not set up for (a 409: retrying will not help; configuring will)."""

    status, code, title = 409, "not-configured", N_("Not configured")


class FileTooLarge(AppError):
    status, code, title = 413, "file-too-large", N_("File too large")


class UnsupportedFile(AppError):
    status, code, title = 415, "unsupported-file", N_("Unsupported file type")


class TooManyRequests(AppError):
    status, code, title = 429, "too-many-requests", N_("Too many requests")

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(
            detail or N_("Too many attempts; retry after {retry_after} s", retry_after=retry_after),
            headers={"Retry-After": str(retry_after)},
            extra={"retry_after": retry_after},
        )


class ServiceUnavailable(AppError):
    status, code, title = 503, "service-unavailable", N_("Service unavailable")


def problem(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_BASE + code, "code": code, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return body
