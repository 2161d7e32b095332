"""Citizens' ratings of their decided requests, and the dashboard's rollup of them (dashboard_day.rated, .stars)."""
from peewee import *


def up(migrator, db):
    class ServiceRequest(Model):
        class Meta:
            database = db
            table_name = 'service_request'

    class RequestRating(Model):
        request = ForeignKeyField(ServiceRequest, unique=True, on_delete='CASCADE')
        stars = IntegerField(constraints=[Check('stars BETWEEN 1 AND 5')])
        comment = TextField(default='')
        rated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'request_rating'

    db.create_tables([RequestRating])
    # Plain ALTER TABLE on both databases: SQLite keeps dashboard_day WITHOUT ROWID (migration 0010),
    # which the migrator's rebuild of a table would not. No request has a rating yet: zero is right.
    for column in ('rated', 'stars'):
        db.execute_sql(f'ALTER TABLE dashboard_day ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0')


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column('dashboard_day', 'stars'),
        migrator.drop_column('dashboard_day', 'rated'),
        migrator.drop_table('request_rating'),
    )
