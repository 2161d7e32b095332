"""Circulars to field officers, their recipients and attachments, and the daily digest's record."""
from peewee import *


def up(migrator, db):
    class Department(Model):
        class Meta:
            database = db
            table_name = 'department'

    class District(Model):
        class Meta:
            database = db
            table_name = 'district'

    class Designation(Model):
        class Meta:
            database = db
            table_name = 'designation'

    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    class Circular(Model):
        title_en = CharField(max_length=200)
        title_hi = CharField(max_length=200)
        body_en = TextField()
        body_hi = TextField()
        department = ForeignKeyField(Department, null=True, on_delete='RESTRICT')
        district = ForeignKeyField(District, null=True, on_delete='RESTRICT')
        designation = ForeignKeyField(Designation, null=True, on_delete='RESTRICT')
        sent_by = ForeignKeyField(Officer, on_delete='RESTRICT')
        sent_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'circular'

    class CircularAttachment(Model):
        circular = ForeignKeyField(Circular, unique=True, on_delete='CASCADE')
        filename = CharField(max_length=200)
        content_type = CharField(max_length=100)
        size = IntegerField()
        content = BlobField()
        class Meta:
            database = db
            table_name = 'circular_attachment'

    class CircularRecipient(Model):
        circular = ForeignKeyField(Circular, on_delete='CASCADE')
        officer = ForeignKeyField(Officer, on_delete='RESTRICT')
        acknowledged_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'circular_recipient'
            indexes = ((('circular', 'officer'), True),)

    class DigestSent(Model):
        officer = ForeignKeyField(Officer, on_delete='CASCADE')
        day = DateField()
        sent_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'digest_sent'
            indexes = ((('officer', 'day'), True),)

    db.create_tables([Circular, CircularAttachment, CircularRecipient, DigestSent])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('digest_sent'),
        migrator.drop_table('circular_recipient'),
        migrator.drop_table('circular_attachment'),
        migrator.drop_table('circular'),
    )
