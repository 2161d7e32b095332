"""Whose rows each GraphQL field may return, declared on the field itself.

Every field of the root types says so in its metadata: PUBLIC for the
catalogue anyone may read; an operation acting for an officer names the model
whose models.scope rules narrow it. tests/backoffice/test_api_scope.py fails
on a field that declares nothing.
"""
PUBLIC = {"scope": "public"}


def declared(field):
    """A Strawberry field's declaration, or None."""
    return field.metadata.get("scope")
