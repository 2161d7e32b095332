"""The /graphql view: a bearer token names the viewer, the body is capped, the reader's language is set.

No cookie is read here: a page on another site can make a browser send its
cookies, never an Authorization header, so the endpoint has no CSRF hole.
"""
from flask import current_app, g, jsonify, request
from flask_babel import force_locale
from strawberry.flask.views import GraphQLView

from models import form_fields, tokens

from . import persisted
from .problems import unauthenticated

LANGUAGES = ("en", "hi")
# A multipart request carries an application's documents: room for five at the system's
# largest (form_fields.MAX_DOCUMENT_KB), beside the operation itself.
MAX_UPLOAD_DOCUMENTS = 5


def bearer_token(req):
    """The token of `Authorization: Bearer <token>`, or None."""
    scheme, _, token = (req.headers.get("Authorization") or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def reader_language(req, viewer):
    """The endpoint's `?lang=en|hi` argument, else an Accept-Language naming English or Hindi first, else the
    viewer's own language, else English.

    The argument is for clients that cannot set headers per request (a link, a webview), as in the admin.
    """
    argument = req.args.get("lang")
    asked = argument if argument in LANGUAGES else req.accept_languages.best_match(LANGUAGES)
    return asked or getattr(viewer, "language", None) or "en"


class ApiView(GraphQLView):
    def dispatch_request(self):
        # Flask refuses a longer body with 413 before anything parses it, chunked or not.
        request.max_content_length = current_app.config["GRAPHQL_MAX_BODY_BYTES"]
        g.api_token = bearer_token(request)
        g.api_viewer = tokens.holder(g.api_token)
        with force_locale(reader_language(request, g.api_viewer)):
            if request.mimetype == "multipart/form-data":
                # Files are read for a known holder of a token only: no stranger fills the disk, and a
                # form on another site (which can post multipart, never this header) gets nowhere.
                if g.api_viewer is None:
                    return unauthenticated_response()
                request.max_content_length += MAX_UPLOAD_DOCUMENTS * form_fields.MAX_DOCUMENT_KB * 1024
            try:
                return super().dispatch_request()
            except persisted.Refused as refused:
                return jsonify(refused.response())

    def parse_http_body(self, request_adapter):
        data = super().parse_http_body(request_adapter)
        # A batch (a list) is refused by Strawberry itself before this.
        if current_app.config["GRAPHQL_PERSISTED_ONLY"]:
            data = persisted.resolve(data)
        return data

    def get_context(self, request, response):
        return {"request": request, "response": response, "viewer": g.api_viewer, "token": g.api_token}


def unauthenticated_response():
    """HTTP 401 for a request that needs a token and has none that works."""
    response = jsonify({"data": None, "errors": [unauthenticated().formatted]})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = "Bearer"
    return response
