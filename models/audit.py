"""The audit log: who changed, granted, moved or viewed which row, when, and what changed.

`changes` holds {field: [before, after]} in JSON terms (dates in ISO 8601,
decimals as strings, foreign keys as ids). Secret columns never reach it: a
change to one is written as the word CHANGED in place of the pair.

Entries are only ever added. AuditEntry refuses updates and deletes itself, so
no path through the ORM (an admin view, a bulk action, a CLI command) can
rewrite the trail; the admin screen is read-only on top of that. A database
trigger would also stop raw SQL, which the application never issues, so there
is none.
"""
import datetime
import decimal
import hashlib
import json

from peewee import CharField, DateTimeField, DecimalField, ForeignKeyField, JSONField, TextField

from .db import BaseModel, choices
from .errors import DomainError
from .people import Officer
from .timeutil import utcnow

# export and erase: a citizen's data under the DPDP Act (models/privacy.py).
ACTIONS = ("create", "update", "delete", "grant", "revoke", "transition", "view", "export", "erase")
# Columns whose values must never be copied out of their row.
SECRET_COLUMNS = frozenset({"password_hash", "totp_secret", "code_hash"})
CHANGED = "(changed)"


class AuditEntry(BaseModel):
    at = DateTimeField(default=utcnow, index=True)
    # Who acted; empty for the system or a command run without a person.
    # RESTRICT, not a bare number: a name stays behind every entry, and an
    # officer with a trail is deactivated rather than deleted.
    officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    action = CharField(max_length=16, choices=choices(ACTIONS))
    model_name = CharField(max_length=64)  # the table's name
    row_id = CharField(max_length=64)
    changes = JSONField(default=dict)
    note = TextField(default="")

    class Meta:
        table_name = "audit_entry"
        indexes = ((("model_name", "row_id"), False),)

    def __str__(self):
        return f"{self.action} {self.model_name} {self.row_id}"

    def save(self, force_insert=False, only=None):
        if self._pk is not None and not force_insert:
            raise DomainError("audit_is_append_only")
        return super().save(force_insert=force_insert, only=only)

    def delete_instance(self, *args, **kwargs):
        raise DomainError("audit_is_append_only")

    # The query-level doors to the same rows.
    @classmethod
    def update(cls, *args, **kwargs):
        raise DomainError("audit_is_append_only")

    @classmethod
    def delete(cls):
        raise DomainError("audit_is_append_only")

    @classmethod
    def replace(cls, *args, **kwargs):
        raise DomainError("audit_is_append_only")

    @classmethod
    def replace_many(cls, *args, **kwargs):
        raise DomainError("audit_is_append_only")


def snapshot(row):
    """The row's field values in JSON terms (foreign keys as ids), for `record`.

    A secret column gives a digest of its value, enough to tell that it
    changed and useless for anything else.
    """
    values = {}
    for field in row._meta.sorted_fields:
        if field is row._meta.primary_key:
            continue
        value = row.__data__.get(field.name)
        if field.name in SECRET_COLUMNS and value is not None:
            value = hashlib.sha256(str(value).encode()).hexdigest()
        values[field.name] = _json_value(field, value)
    return values


def _json_value(field, value):
    if value is None:
        return None
    if isinstance(field, DecimalField):
        # To the column's places, so that a fee set as 5 and read back as 5.00 is one value.
        return str(decimal.Decimal(str(value)).quantize(decimal.Decimal(1).scaleb(-field.decimal_places)))
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    return json.loads(json.dumps(value, default=str))


def changed_fields(before, after):
    """{field: [before, after]} for the fields that differ; secrets as CHANGED."""
    changes = {}
    for name in [*before, *(n for n in after if n not in before)]:
        old, new = before.get(name), after.get(name)
        if old != new:
            changes[name] = CHANGED if name in SECRET_COLUMNS else [old, new]
    return changes


def record(officer, action, row, before=None, after=None, note=""):
    """Add an entry for `action` on `row` by `officer` (an Officer, an id or None).

    `before` and `after` are `snapshot`s: None before a create, None after a
    delete. An update that changed nothing adds nothing and returns None.
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    changes = changed_fields(before or {}, after or {})
    if before is not None and after is not None and not changes:
        return None
    return AuditEntry.create(
        officer=getattr(officer, "id", officer), action=action, model_name=row._meta.table_name,
        row_id=str(row._pk), changes=changes, note=note)


def record_view(officer, row, what):
    """A full view of something sensitive on `row` (a document, an answer), named by `what`."""
    return record(officer, "view", row, note=what)
