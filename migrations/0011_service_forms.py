"""Services' application forms in versions, the places a service is offered in, and each request's form version."""
from peewee import *


def up(migrator, db):
    class District(Model):
        class Meta:
            database = db
            table_name = 'district'

    class Area(Model):
        class Meta:
            database = db
            table_name = 'area'

    class Service(Model):
        class Meta:
            database = db
            table_name = 'service'

    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    class FormVersion(Model):
        service = ForeignKeyField(Service, on_delete='CASCADE')
        number = IntegerField()
        fields = JSONField(default=list)
        created_at = DateTimeField()
        created_by = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        superseded_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'form_version'
            indexes = ((('service', 'number'), True),)

    class ServiceOffering(Model):
        service = ForeignKeyField(Service, on_delete='CASCADE')
        district = ForeignKeyField(District, on_delete='RESTRICT')
        area = ForeignKeyField(Area, null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'service_offering'
            indexes = ((('service', 'district', 'area'), True),)
    ServiceOffering.add_index(ServiceOffering.index(ServiceOffering.service, ServiceOffering.district, unique=True,
                                                    where=ServiceOffering.area.is_null(),
                                                    name='service_offering_whole_district'))

    db.create_tables([FormVersion, ServiceOffering])
    migrator.migrate(
        migrator.add_column('service_request', 'form_version_id',
                            ForeignKeyField(FormVersion, null=True, field=FormVersion.id, on_delete='RESTRICT')),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('service_request', 'form_version_id'),
        migrator.drop_table('service_offering'),
        migrator.drop_table('form_version'),
    )
