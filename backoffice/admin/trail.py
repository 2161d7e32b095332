"""What a save or delete on an admin screen writes to the audit log.

A screen's form carries its row and the rows edited inline with it (an
officer's posts and role grants), so both are compared, before and after,
and each row that changed gets its own entry. Role grants read as grants
and revocations: a grant edited in place is the old one revoked and the
new one granted.
"""
from flask_login import current_user

from models import RoleGrant, audit


def inline_links(view):
    """(model, foreign key) for each model edited inline on the view's form.

    The first foreign key pointing at the view's model, as Flask-Admin's
    inline forms pick it.
    """
    links = []
    for inline in view.inline_models or ():
        model = inline[0] if isinstance(inline, tuple) else getattr(inline, "model", inline)
        fk = next(f for f in model._meta.sorted_fields if getattr(f, "rel_model", None) is view.model)
        links.append((model, fk))
    return links


def state(view, row):
    """{(model, id): (row, snapshot)} for the row and its inline rows, as they stand now."""
    found = {(type(row), row._pk): (row, audit.snapshot(row))}
    for model, fk in inline_links(view):
        for part in model.select().where(fk == row._pk).order_by(model._meta.primary_key):
            found[(model, part._pk)] = (part, audit.snapshot(part))
    return found


def record(before, after):
    """Write an entry for every row that differs between two `state`s (main row first)."""
    for key in [*before, *(k for k in after if k not in before)]:
        row, old = before.get(key, (None, None))
        row, new = after.get(key, (row, None))
        if isinstance(row, RoleGrant):
            if old != new:
                if old is not None:
                    audit.record(current_user.id, "revoke", row, old, None)
                if new is not None:
                    audit.record(current_user.id, "grant", row, None, new)
        elif old is None:
            audit.record(current_user.id, "create", row, None, new)
        elif new is None:
            audit.record(current_user.id, "delete", row, old, None)
        else:
            audit.record(current_user.id, "update", row, old, new)
