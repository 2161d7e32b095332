"""One database connection per web request, closed on teardown; the models' settings."""
from models import forms, holidays
from models.clock import parse_weekly_offs
from models.db import database, open_database


def init_app(app):
    open_database(app.config["DATABASE_URL"])
    holidays.use_weekly_offs(parse_weekly_offs(app.config["WEEKLY_OFFS"]))
    forms.use_grace_days(app.config["FORM_GRACE_DAYS"])

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        if not database.is_closed():
            database.close()
