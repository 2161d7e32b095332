"""The mobile app's identity: citizens' one-time log-in codes by SMS, and bearer tokens."""
from peewee import *


def up(migrator, db):
    class Citizen(Model):
        class Meta:
            database = db
            table_name = 'citizen'

    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    class LoginCode(Model):
        mobile = CharField(max_length=15, index=True)
        ip = CharField(max_length=45, index=True)
        salt = CharField(max_length=32)
        code_hmac = CharField(max_length=64)
        created_at = DateTimeField(index=True)
        expires_at = DateTimeField()
        tries = IntegerField(default=0)
        used_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'login_code'

    class ApiToken(Model):
        token_hash = CharField(max_length=64, unique=True)
        citizen = ForeignKeyField(Citizen, null=True, on_delete='CASCADE')
        officer = ForeignKeyField(Officer, null=True, on_delete='CASCADE')
        officer_version = IntegerField(null=True)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'api_token'
            constraints = [Check('(citizen_id IS NULL) <> (officer_id IS NULL)')]

    db.create_tables([LoginCode, ApiToken])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('api_token'),
        migrator.drop_table('login_code'),
    )
