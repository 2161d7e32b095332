"""The help desk: tickets' targets and dates, messages as received (raw, sanitised, flagged), attachments,
participants, the system-mail log (messages on no ticket), and the outbox's bounce list."""
from peewee import *


def up(migrator, db):
    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    class HelpTicket(Model):
        class Meta:
            database = db
            table_name = 'help_ticket'

    class TicketMessage(Model):
        class Meta:
            database = db
            table_name = 'ticket_message'

    migrator.migrate(
        migrator.add_column('help_ticket', 'first_response_due', DateTimeField(null=True)),
        migrator.add_column('help_ticket', 'resolution_due', DateTimeField(null=True)),
        migrator.add_column('help_ticket', 'first_responded_at', DateTimeField(null=True)),
        migrator.add_column('help_ticket', 'resolved_at', DateTimeField(null=True)),
        migrator.add_column('help_ticket', 'acknowledged_at', DateTimeField(null=True)),
        # Inbound mail that finds no ticket (auto-replies, bounces) is kept as a message on none.
        migrator.drop_not_null('ticket_message', 'ticket_id'),
        # A note is internal by its kind.
        migrator.drop_column('ticket_message', 'internal'),
        migrator.add_column('ticket_message', 'sender_name', CharField(max_length=300, default='')),
        migrator.add_column('ticket_message', 'subject', TextField(default='')),
        migrator.add_column('ticket_message', 'body_html', TextField(null=True)),
        migrator.add_column('ticket_message', 'raw', BlobField(null=True)),
        migrator.add_column('ticket_message', 'raw_sha256', CharField(max_length=64, null=True, unique=True)),
        migrator.add_column('ticket_message', 'size', IntegerField(null=True)),
        migrator.add_column('ticket_message', 'category', CharField(max_length=12, default='person')),
        migrator.add_column('ticket_message', 'threaded_by', CharField(max_length=8, default='')),
        migrator.add_column('ticket_message', 'charset_guessed', BooleanField(default=False)),
        migrator.add_column('ticket_message', 'quarantined', BooleanField(default=False)),
    )
    # The kind an agent's answer had before mail came both ways.
    db.execute_sql("UPDATE ticket_message SET kind = 'outbound' WHERE kind = 'reply'")

    class TicketAttachment(Model):
        message = ForeignKeyField(TicketMessage, on_delete='CASCADE')
        filename = CharField(max_length=255)
        content_type = CharField(max_length=100)
        size = IntegerField()
        sha256 = CharField(max_length=64, null=True)
        content = BlobField(null=True)
        class Meta:
            database = db
            table_name = 'ticket_attachment'

    class TicketParticipant(Model):
        ticket = ForeignKeyField(HelpTicket, on_delete='CASCADE')
        address = CharField(max_length=254)
        added_at = DateTimeField()
        added_by = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'ticket_participant'
            indexes = ((('ticket', 'address'), True),)

    class BouncedAddress(Model):
        address = CharField(max_length=254, unique=True)
        status = CharField(max_length=16, default='')
        diagnostic = TextField(default='')
        bounced_at = DateTimeField()
        message = ForeignKeyField(TicketMessage, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'bounced_address'

    db.create_tables([TicketAttachment, TicketParticipant, BouncedAddress])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('bounced_address'),
        migrator.drop_table('ticket_participant'),
        migrator.drop_table('ticket_attachment'),
        migrator.drop_column('ticket_message', 'quarantined'),
        migrator.drop_column('ticket_message', 'charset_guessed'),
        migrator.drop_column('ticket_message', 'threaded_by'),
        migrator.drop_column('ticket_message', 'category'),
        migrator.drop_column('ticket_message', 'size'),
        migrator.drop_column('ticket_message', 'raw_sha256'),
        migrator.drop_column('ticket_message', 'raw'),
        migrator.drop_column('ticket_message', 'body_html'),
        migrator.drop_column('ticket_message', 'subject'),
        migrator.drop_column('ticket_message', 'sender_name'),
        migrator.add_column('ticket_message', 'internal', BooleanField(default=False)),
        migrator.add_not_null('ticket_message', 'ticket_id'),
        migrator.drop_column('help_ticket', 'acknowledged_at'),
        migrator.drop_column('help_ticket', 'resolved_at'),
        migrator.drop_column('help_ticket', 'first_responded_at'),
        migrator.drop_column('help_ticket', 'resolution_due'),
        migrator.drop_column('help_ticket', 'first_response_due'),
    )
