"""OpenAPI descriptions of the problem responses a route may give."""

from __future__ import annotations

from typing import Any

from shuping.core.schemas import Problem

_TEXT = {
    400: "A rule was broken by the input",
    401: "Not authenticated",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Conflicts with the current state",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Malformed request",
    429: "Too many requests",
    503: "Service unavailable",
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Describe each status as an application/problem+json Problem."""
    return {
        s: {"model": Problem, "description": _TEXT[s], "content": {"application/problem+json": {}}} for s in statuses
    }


def document_body_limits(document: dict[str, Any]) -> None:
    """Every operation that takes a body may answer 413: the input guard (core.hardening) refuses a
    body over its limit before the route sees it, so the route's own list cannot name it."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation.setdefault("responses", {}).setdefault(
                    "413",
                    {
                        "description": _TEXT[413],
                        "content": {
                            "application/problem+json": {},
                            "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}},
                        },
                    },
                )
