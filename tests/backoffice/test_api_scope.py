"""Every GraphQL field that returns rows declares whose rows: a new one cannot forget."""
from backoffice.api.access import declared
from backoffice.api.schema import schema


def root_fields():
    """(type name, Strawberry field) for every field of the root types."""
    for root in (schema.query, schema.mutation):
        if root is not None:
            for field in root.__strawberry_definition__.fields:
                yield root.__name__, field


def test_every_root_field_declares_its_scope():
    undeclared = [f"{root}.{field.python_name}" for root, field in root_fields() if declared(field) is None]
    assert not undeclared, f"declare a scope (backoffice/api/access.py) on: {undeclared}"


def test_the_catalogue_is_public():
    public = {field.python_name for _, field in root_fields() if declared(field) == "public"}
    assert public == {"districts", "departments", "services", "service"}
