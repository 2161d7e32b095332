"""One database connection per web request, closed on teardown; the models' settings."""
from flask import request

from models import forms, holidays
from models.clock import parse_weekly_offs
from models.db import database, open_database, open_replica, reader

# The health checks and /metrics open their own connection, so that a database
# that is down is reported by them rather than failing every request before them.
OWN_CONNECTION = {"health.healthz", "health.readyz", "metrics.metrics"}


def init_app(app):
    open_database(app.config["DATABASE_URL"])
    open_replica(app.config["DATABASE_REPLICA_URL"])
    holidays.use_weekly_offs(parse_weekly_offs(app.config["WEEKLY_OFFS"]))
    forms.use_grace_days(app.config["FORM_GRACE_DAYS"])

    @app.before_request
    def _connect():
        if request.endpoint not in OWN_CONNECTION:
            database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        if not database.is_closed():
            database.close()
        # The replica's connection, opened by the request that read from it (the dashboard).
        if reader() is not database and not reader().is_closed():
            reader().close()
