"""Domain errors and their RFC 9457 problem-details rendering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

PROBLEM_BASE = "https://shuping.example/problems/"


class AppError(Exception):
    """An error a client caused or may act on; rendered as problem+json."""

    status: int = 400
    code: str = "bad-request"
    title: str = "Bad request"
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


class BadRequest(AppError):
    status, code, title = 400, "bad-request", "Bad request"


class Unauthorized(AppError):
    status, code, title = 401, "unauthorized", "Not authenticated"

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": "Bearer"})
        super().__init__(detail, **kwargs)


class Forbidden(AppError):
    status, code, title = 403, "forbidden", "Forbidden"


class NotFound(AppError):
    status, code, title = 404, "not-found", "Not found"


class Conflict(AppError):
    status, code, title = 409, "conflict", "Conflict"


class InvalidState(AppError):
    status, code, title = 409, "invalid-state", "Invalid state"


class FieldError(AppError):
    """Valid-looking input that breaks a rule, located by field."""

    status, code, title = 400, "invalid-input", "Invalid input"

    def __init__(self, loc: Sequence[str | int], msg: str, **kwargs: Any) -> None:
        super().__init__(msg, errors=[{"loc": list(loc), "msg": msg}], **kwargs)


class FieldErrors(AppError):
    """Valid-looking input that breaks several rules at once, every one located (all or nothing)."""

    status, code, title = 400, "invalid-input", "Invalid input"

    def __init__(self, errors: Sequence[dict[str, Any]], detail: str | None = None, **kwargs: Any) -> None:
        errors = list(errors)
        summary = "; ".join(str(e["msg"]) for e in errors[:3]) + (
            f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
        )
        super().__init__(detail or f"{len(errors)} error(s): {summary}", errors=errors, **kwargs)


class FileTooLarge(AppError):
    status, code, title = 413, "file-too-large", "File too large"


class UnsupportedFile(AppError):
    status, code, title = 415, "unsupported-file", "Unsupported file type"


class TooManyRequests(AppError):
    status, code, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, retry_after: int, detail: str | None = None) -> None:
        super().__init__(
            detail or f"Too many attempts; retry after {retry_after} s",
            headers={"Retry-After": str(retry_after)},
            extra={"retry_after": retry_after},
        )


class ServiceUnavailable(AppError):
    status, code, title = 503, "service-unavailable", "Service unavailable"


def problem(
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_BASE + code, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return body
