"""Control characters are refused in every submitted field and query argument.

PostgreSQL cannot store a NUL (the counter's form and an admin search failed
with a 500 there, while SQLite kept it silently), and nobody types the other
C0 controls; tab, line feed and carriage return are text. Checked once, before
any view reads the request, so no form, search or filter needs its own check.
"""
import re

from flask import abort, request
from flask_babel import gettext as _

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Views that read their body themselves, within limits of their own: the GraphQL endpoint parses a multipart
# body (the app's documents) only for a holder of a bearer token, and only so far (backoffice/api/view.py).
OWN_BODY = {"graphql"}


def refuse_control_characters():
    for values in (request.args,) if request.endpoint in OWN_BODY else (request.args, request.form):
        for name, value in values.items(multi=True):
            if CONTROL.search(name) or CONTROL.search(value):
                # The field's name, cut short: the value is not echoed.
                abort(400, description=_("“%(name)s” holds a control character (such as NUL), which is not text. "
                                         "Remove it and send it again.", name=CONTROL.sub("", name)[:40]))


def init_app(app):
    app.before_request(refuse_control_characters)
