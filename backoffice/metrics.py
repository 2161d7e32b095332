"""/metrics in Prometheus's text format: request latency and errors, the outbox, overdue requests, failed jobs.

Every label takes its values from a fixed set, so no client can make the
series grow without end: a view is a Flask endpoint (`other` for addresses
that match none), a GraphQL operation one named in graphql/operations/*.graphql
(the mobile app's set; any other name, or none, is `other`).

Under gunicorn each worker process keeps its counts in files in
PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py sets it), summed at each scrape.
The database figures are counted at each scrape, so every app server
reports the same values for them.

Only a caller with METRICS_TOKEN (as `Authorization: Bearer ...`) or from
METRICS_ALLOW_NETWORKS may read it.
"""
import hmac
import ipaddress
import logging
import os
import re
import time

from flask import Blueprint, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest, multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from models import database, monitoring

from . import jobs
from .config import ROOT

OTHER = "other"
OPERATIONS_DIR = ROOT / "graphql" / "operations"
OPERATION = re.compile(r"^\s*(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)", re.MULTILINE)
log = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram("jansahayak_http_request_duration_seconds",
                            "Time to answer a request, by view (Flask endpoint).", ["view"])
GRAPHQL_SECONDS = Histogram("jansahayak_graphql_request_duration_seconds",
                            "Time to answer a GraphQL request, by operation name.", ["operation"])
SERVER_ERRORS = Counter("jansahayak_http_server_errors_total",
                        "Responses with a 5xx status (unhandled exceptions among them), by view.", ["view"])
GRAPHQL_ERRORS = Counter("jansahayak_graphql_errors_total",
                         "GraphQL responses that carry errors, by operation name.", ["operation"])

blueprint = Blueprint("metrics", __name__)


def operation_names(folder=OPERATIONS_DIR):
    """The operations the mobile app sends, as named in its .graphql files."""
    return frozenset(name for path in sorted(folder.glob("*.graphql"))
                     for name in OPERATION.findall(path.read_text(encoding="utf-8")))


def _operation():
    if request.method == "POST":
        body = request.get_json(silent=True)
        name = body.get("operationName") if isinstance(body, dict) else None
    else:
        name = request.args.get("operationName")
    return name if name in current_app.extensions["graphql_operations"] else OTHER


class DatabaseFigures:
    """A collector that asks the database at each scrape (models/monitoring.py)."""

    def __init__(self, app):
        self.app = app

    def collect(self):
        up = GaugeMetricFamily("jansahayak_database_up", "1 when the database answered this scrape.")
        try:
            with database.connection_context():
                figures = monitoring.figures()
        except Exception as error:  # a scrape still reports the process's counts, and that the database is down
            log.warning("metrics: database unreachable: %s: %s", type(error).__name__, error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        depth = GaugeMetricFamily("jansahayak_outbox_messages", "Messages in the outbox not yet delivered, by status.",
                                  labels=["status"])
        for status, count in figures["outbox"].items():
            depth.add_metric([status], count)
        yield depth
        yield GaugeMetricFamily("jansahayak_outbox_oldest_pending_age_seconds",
                                "Age of the oldest message waiting to be sent (0: none waits).",
                                value=figures["outbox_oldest_pending_seconds"])
        yield GaugeMetricFamily("jansahayak_requests_overdue",
                                "Open requests past their due date with the clock running.",
                                value=figures["requests_overdue"])
        failed = CounterMetricFamily("jansahayak_job_failures", "Background jobs that failed after their last try.",
                                     labels=["task"])
        for task, count in figures["job_failures"].items():
            failed.add_metric([task], count)
        yield failed
        try:
            queued = jobs.queue_size(self.app)
        except Exception as error:
            log.warning("metrics: job queue unreachable: %s: %s", type(error).__name__, error)
        else:
            yield GaugeMetricFamily("jansahayak_jobs_queued", "Jobs waiting in the queue.", value=queued)


def _allowed():
    token = current_app.config["METRICS_TOKEN"]
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.config["METRICS_ALLOW_NETWORKS"])


@blueprint.get("/metrics")
def metrics():
    if not _allowed():
        abort(403)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
    else:
        processes = REGISTRY
    figures = CollectorRegistry()
    figures.register(DatabaseFigures(current_app._get_current_object()))
    return generate_latest(processes) + generate_latest(figures), 200, {"Content-Type": CONTENT_TYPE_LATEST}


def init_app(app):
    app.extensions["graphql_operations"] = operation_names()
    app.register_blueprint(blueprint)

    @app.before_request
    def _start():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        if "metrics_started" not in g:
            return response
        took = time.perf_counter() - g.metrics_started
        view = request.endpoint or OTHER
        REQUEST_SECONDS.labels(view).observe(took)
        if response.status_code >= 500:
            SERVER_ERRORS.labels(view).inc()
        if view == "graphql" and request.method in ("GET", "POST") and response.is_json:
            operation = _operation()
            GRAPHQL_SECONDS.labels(operation).observe(took)
            if (response.get_json(silent=True) or {}).get("errors"):
                GRAPHQL_ERRORS.labels(operation).inc()
        return response
