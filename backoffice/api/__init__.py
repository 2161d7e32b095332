"""The GraphQL endpoint for the mobile app, at /graphql.

The schema lives in schema.py; graphql/ at the repository root holds its
exported SDL and the mobile app's operations, and must never hold Python.
"""
from .cli import graphql_cli
from .schema import schema
from .view import ApiView


def init_app(app):
    # GraphiQL only in development: elsewhere a browser asking for HTML gets 404.
    ide = "graphiql" if app.config["GRAPHIQL"] else None
    app.add_url_rule("/graphql", view_func=ApiView.as_view("graphql", schema=schema, graphql_ide=ide))
    app.cli.add_command(graphql_cli)
