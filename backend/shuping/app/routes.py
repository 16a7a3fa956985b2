"""How a domain router is mounted under the API prefix: digit-only ids, path heads, operation ids."""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.routing import compile_path

from shuping.core.routing import Router

API_PREFIX = "/api/v1"
_INT_ID = re.compile(r"\{(\w+_id)\}")


def digit_ids(path: str) -> str:
    """The path with each `{x_id}` segment matching digits only."""
    return _INT_ID.sub(r"{\1:int}", path)


def operation_id(route: APIRoute) -> str:
    tag = str(route.tags[0]) if route.tags else "default"
    return f"{tag}-{route.name.replace('_', '-')}"


def mounted(router: APIRouter) -> APIRouter:
    """Prepare a domain router for the API prefix.

    `{x_id}` path segments match digits only, so /cycles/import is never cycle "import" (without
    it, PATCH /cycles/import would answer 422, not an integer, rather than 405). And the router
    learns where its paths begin, so requests for other domains skip its routes.
    """
    heads: set[str] | None = set()
    for route in router.routes:
        if not isinstance(route, APIRoute):
            heads = None  # a nested router or a mount: no cheap rule says where its paths begin
        else:
            path = digit_ids(route.path)
            if path != route.path:
                route.path = path
                route.path_regex, route.path_format, route.param_convertors = compile_path(path)
            if heads is not None:
                heads.add(API_PREFIX + path.split("{", 1)[0])
    if isinstance(router, Router) and heads is not None:
        router.path_heads = tuple(sorted(heads))
    return router
