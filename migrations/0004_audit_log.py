"""The audit log: one row per change, grant, transition or sensitive view."""
from peewee import *


def up(migrator, db):
    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    class AuditEntry(Model):
        at = DateTimeField(index=True)
        officer = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        action = CharField(max_length=16)
        model_name = CharField(max_length=64)
        row_id = CharField(max_length=64)
        changes = JSONField(default=dict)
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'audit_entry'
            indexes = ((('model_name', 'row_id'), False),)

    db.create_tables([AuditEntry])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('audit_entry'))
