"""A router that turns a request away at once when no route of it can start its path.

FastAPI tries routes one after another, each try costing several microseconds; with some 130
operations that is a good part of a small request's cost. Every domain router knows the literal
beginnings of its paths (`/api/v1/meetings/`, `/api/v1/vote/`, …); a path that starts with
none of them cannot match any of its routes, fully or partly.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.routing import Match
from starlette.types import Scope


class Router(APIRouter):
    # Set when the router is mounted (app.routes.mounted): where each of its paths can begin.
    path_heads: tuple[str, ...] | None = None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        heads = self.path_heads
        if heads is not None and not scope.get("path", "").startswith(heads):
            return Match.NONE, {}
        return super().matches(scope)
