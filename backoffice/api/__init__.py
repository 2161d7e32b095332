"""The GraphQL endpoint for the mobile app, at /graphql.

The schema lives in schema.py; graphql/ at the repository root holds its
exported SDL and the mobile app's operations, and must never hold Python.
"""
from . import documents
from .cli import graphql_cli
from .schema import schema
from .view import ApiView


def init_app(app):
    # GraphiQL only in development: elsewhere a browser asking for HTML gets 404.
    ide = "graphiql" if app.config["GRAPHIQL"] else None
    app.add_url_rule("/graphql", view_func=ApiView.as_view(
        "graphql", schema=schema, graphql_ide=ide, multipart_uploads_enabled=True))
    # The documents GraphQL names by URL, fetched with the same bearer token (documents.py).
    app.add_url_rule("/api/documents/<number>/delivered", "api_delivered_document", documents.download)
    app.add_url_rule("/api/documents/<number>/attached/<key>", "api_attached_document", documents.download)
    app.cli.add_command(graphql_cli)
