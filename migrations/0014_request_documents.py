"""The documents citizens attach to their applications, kept with the request (models/request_documents.py)."""
from peewee import *


def up(migrator, db):
    class ServiceRequest(Model):
        class Meta:
            database = db
            table_name = 'service_request'

    class RequestDocument(Model):
        request = ForeignKeyField(ServiceRequest, on_delete='CASCADE')
        key = CharField(max_length=40)
        filename = CharField(max_length=200)
        content_type = CharField(max_length=100)
        size = IntegerField()
        sha256 = CharField(max_length=64)
        content = BlobField()
        class Meta:
            database = db
            table_name = 'request_document'
            indexes = ((('request', 'key'), True),)

    db.create_tables([RequestDocument])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('request_document'))
