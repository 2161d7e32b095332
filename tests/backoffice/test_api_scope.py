"""Every GraphQL field that returns rows declares whose rows: a new one cannot forget, and a caller
the declaration does not allow is refused before the field resolves."""
import pytest
from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, get_named_type

from backoffice.api.access import declared
from backoffice.api.schema import schema
from models import Citizen, database
from tests.backoffice.api_support import call, citizen_token, error_code, officer_token
from tests.conftest import PASSWORD, make_officer
from tests.rows import snapshot


def root_fields():
    """(type name, Strawberry field) for every field of the root types."""
    for root in (schema.query, schema.mutation):
        if root is not None:
            for field in root.__strawberry_definition__.fields:
                yield root.__name__, field


def test_every_root_field_declares_its_scope():
    undeclared = [f"{root}.{field.python_name}" for root, field in root_fields() if declared(field) is None]
    assert not undeclared, f"declare a scope (backoffice/api/access.py) on: {undeclared}"


def test_the_catalogue_app_config_and_log_in_are_public():
    public = {field.python_name for _, field in root_fields() if declared(field) == "public"}
    assert public == {"districts", "departments", "services", "service", "areas", "app_config",
                      "request_login_code", "log_in", "officer_log_in"}


def _literal(graphql_type):
    """Some value of `graphql_type`, written in a document."""
    if isinstance(graphql_type, GraphQLNonNull):
        return _literal(graphql_type.of_type)
    if isinstance(graphql_type, GraphQLList):
        return "[]"
    if isinstance(graphql_type, GraphQLEnumType):
        return next(iter(graphql_type.values))
    if isinstance(graphql_type, GraphQLInputObjectType):
        needed = {name: f.type for name, f in graphql_type.fields.items() if isinstance(f.type, GraphQLNonNull)}
        return "{%s}" % ", ".join(f"{name}: {_literal(t)}" for name, t in needed.items())
    return {"Int": "1", "Boolean": "true"}.get(graphql_type.name, '"HR-2026-AAAA-AAA0"')


def _document(root, name):
    """An operation calling the root field `name` with every argument it needs."""
    graphql_root = schema._schema.query_type if root == "Query" else schema._schema.mutation_type
    field = graphql_root.fields[name]
    args = ", ".join(f"{arg}: {_literal(a.type)}" for arg, a in field.args.items() if isinstance(a.type, GraphQLNonNull))
    selection = "" if not hasattr(get_named_type(field.type), "fields") and not hasattr(
        get_named_type(field.type), "types") else " { __typename }"
    return f"{'query' if root == 'Query' else 'mutation'} {{ {name}{f'({args})' if args else ''}{selection} }}"


@pytest.mark.parametrize("root, field", [(root, field) for root, field in root_fields()
                                         if declared(field) != "public"], ids=lambda x: getattr(x, "python_name", x))
def test_every_field_not_public_refuses_a_caller_without_a_token_and_changes_nothing(client, root, field):
    with database.connection_context():
        before = snapshot()
    body = call(client, _document(root, schema.config.name_converter.get_graphql_name(field)))
    assert error_code(body) == "UNAUTHENTICATED", body
    with database.connection_context():
        assert snapshot() == before


@pytest.mark.parametrize("root, field", [(root, field) for root, field in root_fields()
                                         if declared(field) in ("citizen", "officer")],
                         ids=lambda x: getattr(x, "python_name", x))
def test_a_citizens_field_refuses_an_officer_and_an_officers_field_a_citizen(client, root, field):
    with database.connection_context():
        Citizen.create(mobile="9812300001", name="Ram Lal")
    other = (officer_token(client, make_officer("officer@example.gov.in").email, PASSWORD)
             if declared(field) == "citizen" else citizen_token(client, "9812300001"))
    with database.connection_context():
        before = snapshot()
    body = call(client, _document(root, schema.config.name_converter.get_graphql_name(field)), other)
    assert error_code(body) == "UNAUTHENTICATED", body
    with database.connection_context():
        assert snapshot() == before
