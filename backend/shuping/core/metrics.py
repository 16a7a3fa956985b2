"""Prometheus metrics of this process, or of every worker process when PROMETHEUS_MULTIPROC_DIR is set.

Every domain counts through the objects here; `app.metrics` times the requests and serves the
exposition at /metrics. Labels never name a person, a group member, an id or a ballot code: routes
are their templates (`/api/v1/meetings/{meeting_id}/ballots`), ballots only their source.

With several worker processes (uvicorn --workers, gunicorn) each keeps its own counts; set
PROMETHEUS_MULTIPROC_DIR to an empty directory, writable by the workers and emptied before every
start, and prometheus-client's multiprocess mode adds them up (gauges of live processes only).
"""

from __future__ import annotations

import os
from typing import Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

MULTIPROCESS: Final = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
CONTENT_TYPE: Final = CONTENT_TYPE_LATEST
# Set by a layer that answers a request below the router (the ballot intake): the route template
# it answered for, since no route was matched to say it.
ROUTE_TEMPLATE_KEY: Final = "shuping.route_template"

http_requests = Counter(
    "shuping_http_requests",
    "HTTP requests answered, by route template, method and status",
    ["route", "method", "status"],
)
http_request_seconds = Histogram(
    "shuping_http_request_duration_seconds",
    "Time to answer an HTTP request (to the end of its body), by route template and method",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
ballots_accepted = Counter(
    "shuping_ballots_accepted",
    "Ballots newly counted (replays excluded), by source: online (phone or signed in) or paper",
    ["source"],
)
ballot_batch_ballots = Histogram(
    "shuping_ballot_writer_batch_ballots",
    "Ballots stored per transaction of the ballot writer",
    buckets=(1, 2, 5, 10, 25, 50, 100, 200, 300, 400, 512, 1024),
)
ballot_queue_depth = Gauge(
    "shuping_ballot_writer_queue_depth",
    "Ballot requests waiting for the ballot writer when it turns to its next batch",
    multiprocess_mode="livesum",
)
sse_clients = Gauge(
    "shuping_sse_clients",
    "Server-Sent Events streams open (big screens, consoles, phones)",
    multiprocess_mode="livesum",
)
sunshine_sync_runs = Counter(
    "shuping_sunshine_sync_runs",
    "Sunshine (阳光信访) sync runs, by kind (pull, push) and result (ok, partial, failed)",
    ["kind", "result"],
)
sunshine_sync_cases = Counter(
    "shuping_sunshine_sync_cases",
    "Cases received from the Sunshine system, by kind (pull, push) and result "
    "(created, updated, unchanged, stale, error)",
    ["kind", "result"],
)

# Label values of the answers from the bare ASGI layers, so a ballot's count costs no lookup.
ONLINE: Final = ballots_accepted.labels("online")
PAPER: Final = ballots_accepted.labels("paper")


def exposition() -> bytes:
    """The metrics in Prometheus's text format: this process's, or every live worker's added up."""
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def process_exited() -> None:
    """Forget this process's live gauges (multiprocess mode): called as a worker shuts down."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
