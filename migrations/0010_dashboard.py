"""The dashboard's rollups (per day of receipt, service and district) and the indexes of the open requests it counts."""
from peewee import *


def up(migrator, db):
    class District(Model):
        class Meta:
            database = db
            table_name = 'district'

    class Service(Model):
        class Meta:
            database = db
            table_name = 'service'

    # SQLite stores a table WITHOUT ROWID in its key's order: the dashboard
    # reads a range of days in one sequential pass (PostgreSQL has no such table).
    rows_in_key_order = isinstance(db, SqliteDatabase)

    class DayTally(Model):
        day = DateField()
        service = ForeignKeyField(Service, on_delete='CASCADE')
        district = ForeignKeyField(District, on_delete='CASCADE')
        received = IntegerField(default=0)
        delivered_on_time = IntegerField(default=0)
        delivered_late = IntegerField(default=0)
        rejected_on_time = IntegerField(default=0)
        rejected_late = IntegerField(default=0)
        withdrawn = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'dashboard_day'
            primary_key = CompositeKey('day', 'service', 'district')
            without_rowid = rows_in_key_order

    class DecisionDays(Model):
        day = DateField()
        service = ForeignKeyField(Service, on_delete='CASCADE')
        district = ForeignKeyField(District, on_delete='CASCADE')
        days = IntegerField()
        requests = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'dashboard_decision_days'
            primary_key = CompositeKey('day', 'service', 'district', 'days')
            without_rowid = rows_in_key_order

    # Empty until `flask --app wsgi dashboard rebuild` (docs/dashboard.md): a
    # migration cannot count working days without today's models.
    db.create_tables([DayTally, DecisionDays])
    db.execute_sql("CREATE INDEX service_request_running_due "
                   "ON service_request (due_at, service_id, district_id, submitted_at) "
                   "WHERE status NOT IN ('delivered', 'rejected', 'withdrawn', 'query_raised')")
    db.execute_sql("CREATE INDEX service_request_open_appealed "
                   "ON service_request (submitted_at, service_id, district_id) "
                   "WHERE status NOT IN ('delivered', 'rejected', 'withdrawn') AND appeal_level > 0")


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('service_request', 'service_request_open_appealed'),
        migrator.drop_index('service_request', 'service_request_running_due'),
        migrator.drop_table('dashboard_decision_days'),
        migrator.drop_table('dashboard_day'),
    )
