"""An officer's employing department; the counter operator who filed a request."""
from peewee import *


def up(migrator, db):
    class Department(Model):
        class Meta:
            database = db
            table_name = 'department'

    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    migrator.migrate(
        migrator.add_column('officer', 'department_id',
                            ForeignKeyField(Department, null=True, on_delete='RESTRICT', field=Department.id)),
        migrator.add_column('service_request', 'filed_by_id',
                            ForeignKeyField(Officer, null=True, on_delete='RESTRICT', field=Officer.id)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('service_request', 'filed_by_id'),
        migrator.drop_column('officer', 'department_id'),
    )
