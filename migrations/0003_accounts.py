"""Accounts: session versions, one-time-code secrets, recovery codes and failed log-ins."""
from peewee import *


def up(migrator, db):
    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    migrator.migrate(
        migrator.add_column('officer', 'session_version', IntegerField(default=1)),
        migrator.add_column('officer', 'totp_secret', CharField(null=True, max_length=32)),
        migrator.add_column('officer', 'totp_last_step', IntegerField(null=True)),
    )

    class LoginAttempt(Model):
        email = CharField(index=True, max_length=254)
        ip = CharField(index=True, max_length=45)
        at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'login_attempt'

    class RecoveryCode(Model):
        officer = ForeignKeyField(Officer, on_delete='CASCADE')
        code_hash = CharField(unique=True, max_length=64)
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'recovery_code'

    db.create_tables([LoginAttempt, RecoveryCode])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('recovery_code'),
        migrator.drop_table('login_attempt'),
        migrator.drop_column('officer', 'totp_last_step'),
        migrator.drop_column('officer', 'totp_secret'),
        migrator.drop_column('officer', 'session_version'),
    )
