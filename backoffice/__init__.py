"""The Flask application factory: wires every part, does nothing at import time."""
from flask import Flask, redirect, url_for
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from . import templating


def create_app(config=None):
    settings = config_module.load(config)
    app = Flask(
        __name__,
        template_folder=str(config_module.ROOT / "templates"),
        instance_path=str(config_module.instance_dir()),
    )
    app.config.update(settings)
    app.jinja_options = {**app.jinja_options, "bytecode_cache": templating.shared_cache}
    templating.init_app(app)

    from . import (
        admin, api, auth, cli, control_characters, database, errors, health, i18n, jobs, logs, metrics, notify,
    )

    if app.config["PROXY_COUNT"]:
        # Behind nginx: the client's address (what log-in lockout counts by) and scheme from its X-Forwarded-*,
        # trusting as many hops as there are proxies, so a client cannot forge them.
        hops = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    # First, so that every request has its id and its timing before anything can answer it.
    logs.init_app(app)
    metrics.init_app(app)
    health.init_app(app)
    database.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    notify.init_app(app)
    auth.init_app(app)
    control_characters.init_app(app)
    admin.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    jobs.init_app(app)

    @app.get("/")
    def index():
        return redirect(url_for("admin.index"))

    return app
