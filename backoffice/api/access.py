"""Whose rows each GraphQL field may return, declared on the field itself, and who may call it.

Every field of the root types says so in its metadata: PUBLIC for the
catalogue and the log-in anyone may use; CITIZEN for a citizen's own rows
(models.scope.own narrows every query); SIGNED_IN for what any holder of a
valid token may do (log out; the help desk, each his own tickets by
models.scope.own); OFFICER for an officer's work (his queue and circulars,
narrowed by models.scope.rows as on the admin's screens).
tests/backoffice/test_api_scope.py fails on a field that declares nothing,
and `Access` (hardening.py) refuses a call the declaration does not allow
before its resolver runs.
"""
PUBLIC = {"scope": "public"}
CITIZEN = {"scope": "citizen"}
SIGNED_IN = {"scope": "signed_in"}
OFFICER = {"scope": "officer"}


def declared(field):
    """A Strawberry field's declaration, or None."""
    return field.metadata.get("scope")
