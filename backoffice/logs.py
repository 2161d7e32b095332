"""Logs as JSON lines, each request's tagged with its request id, which the response carries too.

The id comes from nginx's X-Request-Id when it sent a sane one (so its access
log and ours join), else a new one; a person reporting a fault quotes it from
the response header and the operator finds every line of that request.
"""
import json
import logging
import re
import sys
import time
import uuid

from flask import g, has_request_context, request

HEADER = "X-Request-Id"
# What a proxy's id may look like; anything else (too long, odd characters) could forge log lines.
SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
access = logging.getLogger("backoffice.access")


class JsonLines(logging.Formatter):
    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,  # which gunicorn worker
        }
        if has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


JsonLines.converter = time.gmtime


def configure(log_format):
    """The process's logging: one handler on the root logger, lines in LOG_FORMAT.

    Called by the entry point (wsgi.py: gunicorn, the CLI, the worker), not by
    create_app, so that the tests' apps leave logging as pytest set it.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def init_app(app):
    @app.before_request
    def _tag():
        g.request_started = time.perf_counter()
        offered = request.headers.get(HEADER, "")
        g.request_id = offered if SANE_ID.fullmatch(offered) else uuid.uuid4().hex

    @app.after_request
    def _log(response):
        if "request_id" not in g:  # a response made before any before_request ran
            return response
        response.headers[HEADER] = g.request_id
        access.info("%s %s %s", request.method, request.path, response.status_code, extra={"fields": {
            "request_id": g.request_id, "method": request.method, "path": request.path, "status": response.status_code,
            "endpoint": request.endpoint,
            "duration_ms": round((time.perf_counter() - g.request_started) * 1000, 1),
            "remote_addr": request.remote_addr,
        }})
        return response
