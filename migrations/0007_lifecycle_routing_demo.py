"""The request lifecycle (limit at receipt, closing time, delivery), routing (leave, nodal posts) and demo markers."""
from peewee import *


def up(migrator, db):
    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    class Citizen(Model):
        class Meta:
            database = db
            table_name = 'citizen'

    class ServiceRequest(Model):
        class Meta:
            database = db
            table_name = 'service_request'

    class Delivery(Model):
        request = ForeignKeyField(ServiceRequest, unique=True, on_delete='RESTRICT')
        note = TextField(default='')
        filename = CharField(max_length=200, null=True)
        content_type = CharField(max_length=100, null=True)
        size = IntegerField(null=True)
        sha256 = CharField(max_length=64, null=True)
        content = BlobField(null=True)
        delivered_by = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        delivered_at = DateTimeField()
        handed_over_at = DateTimeField(null=True)
        handed_over_by = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'delivery'
            constraints = [Check("content IS NOT NULL OR note <> ''")]

    migrator.migrate(
        migrator.add_column('officer', 'on_leave', BooleanField(default=False)),
        migrator.add_column('officer', 'demo', BooleanField(default=False)),
        migrator.add_column('post', 'nodal', BooleanField(default=False)),
        migrator.add_column('area', 'demo', BooleanField(default=False)),
        migrator.add_column('citizen', 'demo', BooleanField(default=False)),
        migrator.add_column('service', 'tat_is_demo', BooleanField(default=False)),
        migrator.add_column('service_request', 'tat_value', IntegerField(null=True)),
        migrator.add_column('service_request', 'tat_unit', CharField(max_length=16, null=True)),
        migrator.add_column('service_request', 'closed_at', DateTimeField(null=True)),
        migrator.add_column('service_request', 'routed_by', CharField(max_length=16, null=True)),
        migrator.add_column('service_request', 'demo', BooleanField(default=False)),
        migrator.add_column('request_event', 'citizen_id',
                            ForeignKeyField(Citizen, null=True, field=Citizen.id, on_delete='RESTRICT')),
    )
    db.create_tables([Delivery])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('delivery'),
        migrator.drop_column('request_event', 'citizen_id'),
        migrator.drop_column('service_request', 'demo'),
        migrator.drop_column('service_request', 'routed_by'),
        migrator.drop_column('service_request', 'closed_at'),
        migrator.drop_column('service_request', 'tat_unit'),
        migrator.drop_column('service_request', 'tat_value'),
        migrator.drop_column('service', 'tat_is_demo'),
        migrator.drop_column('citizen', 'demo'),
        migrator.drop_column('area', 'demo'),
        migrator.drop_column('post', 'nodal'),
        migrator.drop_column('officer', 'demo'),
        migrator.drop_column('officer', 'on_leave'),
    )
