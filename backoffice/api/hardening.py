"""What keeps the endpoint standing against a hostile client, as schema extensions.

Extensions are given to the schema as classes or factories, never as
instances: Strawberry makes new ones for every operation, so no state leaks
from one request into another running at the same time.
"""
import logging
import uuid

from flask import current_app, g
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension

from models import Citizen, Officer

from .access import declared
from .problems import unauthenticated

log = logging.getLogger(__name__)

# The deepest the schema goes today is 7 (a request's service's form's fields' choices);
# aliases and tokens leave room for the app's largest screens, not for 1,000 copies of a field.
MAX_DEPTH = 8
MAX_ALIASES = 15
MAX_TOKENS = 2000
INTERNAL = "INTERNAL_SERVER_ERROR"


class Access(SchemaExtension):
    """Refuse a root field its declared scope (access.py) does not allow the viewer, before it resolves."""

    def resolve(self, _next, root, info, *args, **kwargs):
        # Root fields only; introspection's __schema and __type are no field of ours.
        field = info.parent_type.fields.get(info.field_name) if info.path.prev is None else None
        if field is not None:
            scope = declared(field.extensions["strawberry-definition"])
            viewer = info.context["viewer"]
            if ((scope == "citizen" and not isinstance(viewer, Citizen)) or (scope == "signed_in" and viewer is None)
                    or (scope == "officer" and not isinstance(viewer, Officer))):
                raise unauthenticated()
        return _next(root, info, *args, **kwargs)


class Introspection(SchemaExtension):
    """Introspection only where GRAPHQL_INTROSPECTION allows it (not in production)."""

    def on_operation(self):
        if not current_app.config["GRAPHQL_INTROSPECTION"]:
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules, NoSchemaIntrospectionCustomRule)
        yield


def unexpected(errors):
    """Errors that are our fault (an exception in a resolver), each logged once under a new error id."""
    found = []
    for error in errors:
        cause = error.original_error
        if cause is None or isinstance(cause, GraphQLError):
            continue
        error_id = uuid.uuid4().hex[:12]
        # The request id (backoffice/logs.py) finds the request's other log lines too.
        error.extensions = {**(error.extensions or {}), "code": INTERNAL, "errorId": error_id,
                            "requestId": g.get("request_id")}
        log.error("GraphQL error %s at %s: %s", error_id, ".".join(map(str, error.path or [])), error.message,
                  exc_info=(type(cause), cause, cause.__traceback__))
        found.append(error)
    return found


class MaskUnexpectedErrors(SchemaExtension):
    """In production an unexpected error tells the client only its id; the log has the rest."""

    def on_operation(self):
        yield
        result = self.execution_context.result
        if not getattr(result, "errors", None) or current_app.config["APP_ENV"] != "production":
            return
        result.errors = [_masked(e) if (e.extensions or {}).get("code") == INTERNAL else e for e in result.errors]


def _masked(error):
    error_id = error.extensions["errorId"]
    return GraphQLError(f"Unexpected error; quote error id {error_id} when reporting it.", nodes=error.nodes,
                        path=error.path, extensions={"code": INTERNAL, "errorId": error_id,
                                                     "requestId": error.extensions["requestId"]})


EXTENSIONS = [
    # Factories, read at each operation: the limits are this module's to change.
    lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
    lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
    lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
    Introspection,
    Access,
    MaskUnexpectedErrors,
]
