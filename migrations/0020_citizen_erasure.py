"""When a citizen was erased at his request (models/privacy.py): his record is kept, pseudonymised."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('citizen', 'erased_at', DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column('citizen', 'erased_at'))
