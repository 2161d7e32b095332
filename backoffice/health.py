"""/healthz and /readyz: what a load balancer or an orchestrator asks, unauthenticated and cheap.

/healthz says the process answers (restart it when it does not). /readyz says
whether it can serve: the database answers, no migration is pending, the job
queue answers. Each check's outcome is named, never the error's text, which
could tell a stranger the database's host; the log has the rest.
"""
import logging

from flask import Blueprint, current_app, jsonify

from models import database, migrate

from . import jobs

blueprint = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@blueprint.get("/healthz")
def healthz():
    return jsonify(status="alive")


@blueprint.get("/readyz")
def readyz():
    checks = {}
    try:
        with database.connection_context():
            database.execute_sql("SELECT 1")
            checks["database"] = "ok"
            pending = migrate.pending()
            checks["migrations"] = f"pending: {', '.join(pending)}" if pending else "ok"
    except Exception as error:  # any driver's error: the point is to say so, not to fail
        log.warning("readyz: database unreachable: %s: %s", type(error).__name__, error)
        checks["database"] = f"unreachable ({type(error).__name__})"
        checks.setdefault("migrations", "unknown")
    try:
        jobs.queue_size(current_app)
        checks["queue"] = "ok"
    except Exception as error:
        log.warning("readyz: job queue unreachable: %s: %s", type(error).__name__, error)
        checks["queue"] = f"unreachable ({type(error).__name__})"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503


def init_app(app):
    app.register_blueprint(blueprint)
