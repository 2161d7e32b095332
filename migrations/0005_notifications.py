"""Notifications: the outbox with its attachments, the development SMS log, and password links."""
from peewee import *


def up(migrator, db):
    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    class ServiceRequest(Model):
        class Meta:
            database = db
            table_name = 'service_request'

    class HelpTicket(Model):
        class Meta:
            database = db
            table_name = 'help_ticket'

    class Outbox(Model):
        channel = CharField(max_length=8)
        address = CharField(index=True, max_length=254)
        name = CharField(max_length=150, default='')
        language = CharField(max_length=2)
        template = CharField(max_length=64)
        subject = TextField(default='')
        body_text = TextField()
        body_html = TextField(null=True)
        reply_to = CharField(null=True, max_length=254)
        automatic = BooleanField(default=True)
        message_id = CharField(unique=True, null=True, max_length=255)
        dlt_template_id = CharField(null=True, max_length=32)
        status = CharField(max_length=10, default='pending')
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        claim_token = CharField(index=True, null=True, max_length=32)
        claimed_at = DateTimeField(null=True)
        last_error = TextField(default='')
        created_at = DateTimeField()
        sent_at = DateTimeField(null=True)
        about_request = ForeignKeyField(ServiceRequest, null=True, on_delete='SET NULL')
        about_ticket = ForeignKeyField(HelpTicket, null=True, on_delete='SET NULL')
        about_officer = ForeignKeyField(Officer, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'outbox'
            indexes = ((('status', 'next_attempt_at'), False),)

    class OutboxAttachment(Model):
        outbox = ForeignKeyField(Outbox, on_delete='CASCADE')
        filename = CharField(max_length=255)
        content_type = CharField(max_length=100)
        content = BlobField()
        class Meta:
            database = db
            table_name = 'outbox_attachment'

    class DevelopmentSms(Model):
        outbox = ForeignKeyField(Outbox, null=True, on_delete='CASCADE')
        mobile = CharField(max_length=15)
        text = TextField()
        dlt_template_id = CharField(null=True, max_length=32)
        segments = IntegerField()
        at = DateTimeField()
        class Meta:
            database = db
            table_name = 'development_sms'

    class PasswordLink(Model):
        officer = ForeignKeyField(Officer, on_delete='CASCADE')
        token_hash = CharField(unique=True, max_length=64)
        purpose = CharField(max_length=8)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        session_version = IntegerField()
        class Meta:
            database = db
            table_name = 'password_link'

    db.create_tables([Outbox, OutboxAttachment, DevelopmentSms, PasswordLink])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('password_link'),
        migrator.drop_table('development_sms'),
        migrator.drop_table('outbox_attachment'),
        migrator.drop_table('outbox'),
    )
