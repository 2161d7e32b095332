"""The help desk's admin: canned responses in English and Hindi, and tickets merged into another."""
from peewee import *


def up(migrator, db):
    class HelpTicket(Model):
        class Meta:
            database = db
            table_name = 'help_ticket'

    migrator.migrate(
        migrator.add_column('help_ticket', 'merged_into_id',
                            ForeignKeyField(HelpTicket, null=True, on_delete='RESTRICT', field=HelpTicket.id)),
    )

    class CannedResponse(Model):
        title = CharField(max_length=120, unique=True)
        body_en = TextField()
        body_hi = TextField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'canned_response'

    db.create_tables([CannedResponse])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('canned_response'),
        migrator.drop_column('help_ticket', 'merged_into_id'),
    )
