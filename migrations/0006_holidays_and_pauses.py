"""The holiday calendar, and the pauses of a request's clock while a query awaits the citizen."""
from peewee import *


def up(migrator, db):
    class District(Model):
        class Meta:
            database = db
            table_name = 'district'

    class ServiceRequest(Model):
        class Meta:
            database = db
            table_name = 'service_request'

    class Holiday(Model):
        date = DateField()
        name_en = CharField(max_length=150)
        name_hi = CharField(max_length=150)
        district = ForeignKeyField(District, null=True, on_delete='RESTRICT')
        class Meta:
            database = db
            table_name = 'holiday'
            indexes = ((('date', 'district'), True),)
    Holiday.add_index(Holiday.index(Holiday.date, unique=True, where=Holiday.district.is_null(),
                                    name='holiday_state_wide_date'))

    class RequestPause(Model):
        request = ForeignKeyField(ServiceRequest, on_delete='RESTRICT')
        paused_at = DateTimeField()
        resumed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'request_pause'
            constraints = [Check('resumed_at IS NULL OR resumed_at >= paused_at')]
    RequestPause.add_index(RequestPause.index(RequestPause.request, unique=True,
                                              where=RequestPause.resumed_at.is_null(), name='request_pause_open'))

    db.create_tables([Holiday, RequestPause])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('request_pause'),
        migrator.drop_table('holiday'),
    )
