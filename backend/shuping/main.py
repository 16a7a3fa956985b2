"""The application factory: the domains' routers under /api/v1, with the app's parts around them.

Errors as problem+json (`app.problems`), the SPA (`app.spa`), how routers are mounted
(`app.routes`), body limits (`app.body_limits`), start-up and shut-down (`app.lifespan`),
the access log's redaction (`app.access_log`), metrics and the access log (`app.metrics`, `core.logs`).
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI

from shuping.app import bench, health
from shuping.app.access_log import redact_ballot_codes
from shuping.app.body_limits import body_limits
from shuping.app.compression import CompressLargeReads
from shuping.app.lifespan import lifespan
from shuping.app.metrics import Observe, route_templates
from shuping.app.problems import RequestIdMiddleware, add_problem_handlers, app_error
from shuping.app.routes import API_PREFIX, mounted, operation_id
from shuping.app.spa import SpaFiles
from shuping.auth.audit_router import router as audit_router
from shuping.auth.router import auth_router
from shuping.config import get_settings
from shuping.core import logs
from shuping.core.dependencies import single_query_values
from shuping.core.hardening import InputGuard, refuse_control_in_form
from shuping.core.responses import document_body_limits
from shuping.cycles.router import router as cycles_router
from shuping.flows.router import home_router
from shuping.flows.router import router as flows_router
from shuping.ledger.router import opinions_router as ledger_opinions_router
from shuping.ledger.router import public_router as ledger_public_router
from shuping.ledger.router import router as ledger_router
from shuping.ledger.supervision_router import router as ledger_supervision_router
from shuping.meetings.intake import BallotIntake
from shuping.meetings.router import router as meetings_router
from shuping.meetings.router import vote_router
from shuping.orgs.router import router as orgs_router
from shuping.orgs.router import users_router
from shuping.petitions.router import add_openapi_schemas
from shuping.petitions.router import integrations_router as petitions_integrations_router
from shuping.petitions.router import router as petitions_router
from shuping.reports.router import cycle_router as reports_cycle_router
from shuping.reports.router import router as reports_router
from shuping.results.router import router as results_router
from shuping.rubrics.router import router as rubrics_router
from shuping.targets.bulletin_router import public_router as targets_public_router
from shuping.targets.bulletin_router import router as targets_bulletin_router
from shuping.targets.import_router import router as targets_import_router
from shuping.targets.monthly_router import router as targets_monthly_router
from shuping.targets.router import router as targets_router
from shuping.wiring import wire


def create_app() -> FastAPI:
    wire()
    settings = get_settings()
    redact_ballot_codes()
    log_access = logs.configure(
        as_json=settings.logs_as_json, file=settings.log_file, retention_days=settings.log_retention_days
    )

    app = FastAPI(
        title="Shuping 述评 API",
        version="0.1.0",
        description="Two-way report and evaluation of grassroots Party secretaries; rectification; petitions.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
    )

    # Inside the request-id layer, so that its answers carry an id and its failures are problems too.
    app.add_middleware(BallotIntake, render_error=app_error)
    # In front of everything that reads a body (the intake and the signed webhook too): sizes, JSON depth,
    # control characters.
    app.add_middleware(InputGuard, limits=body_limits(), render_error=app_error)
    # Counts and times every request by its route template (the intake's too), logs its access line,
    # and serves GET /metrics; inside the request-id layer, so that all of these know the request's id.
    templates: dict[int, str] = {}  # filled below, as the routers are included
    app.add_middleware(
        Observe,
        templates=templates,
        render_error=app_error,
        serve_metrics=settings.serve_metrics,
        token=settings.metrics_token,
        log_access=log_access,
    )
    app.add_middleware(RequestIdMiddleware)
    # Outermost: compresses what every inner layer answers, problems with a request id included.
    app.add_middleware(CompressLargeReads)
    add_problem_handlers(app)

    # Each domain router hangs directly off the app: one level of nesting less to match through.
    for router in (
        health.router,
        auth_router,
        users_router,
        orgs_router,
        audit_router,
        rubrics_router,
        cycles_router,
        reports_cycle_router,
        reports_router,
        meetings_router,
        vote_router,
        results_router,
        petitions_router,
        petitions_integrations_router,
        ledger_opinions_router,
        ledger_router,
        targets_router,
        targets_import_router,
        targets_bulletin_router,
        targets_monthly_router,
        ledger_supervision_router,
        ledger_public_router,
        targets_public_router,
        flows_router,
        home_router,
    ):
        app.include_router(
            mounted(router),
            prefix=API_PREFIX,
            dependencies=[Depends(single_query_values), Depends(refuse_control_in_form)],
        )
        templates.update(route_templates(router, API_PREFIX))

    if settings.bench_endpoints:
        app.include_router(bench.router, prefix=API_PREFIX)
        templates.update(route_templates(bench.router, API_PREFIX))
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build_openapi()
            add_openapi_schemas(document)
            document_body_limits(document)
        return app.openapi_schema or build_openapi()

    app.openapi = openapi  # type: ignore[method-assign]

    app.state.spa = SpaFiles(settings.static_dir)
    return app


app = create_app()
