"""State-sized histories: demo help-desk tickets are marked (`demo remove` takes them), and the admin's
requests list reads its pages and its appeal worklists from indexes rather than from every request."""
from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('help_ticket', 'demo', BooleanField(default=False)),
        migrator.add_index('service_request', ('submitted_at',), False),
        migrator.add_index('service_request', ('status', 'submitted_at'), False),
        migrator.add_index('service_request', ('district_id', 'submitted_at'), False),
    )
    db.execute_sql("CREATE INDEX service_request_open_appealed_to "
                   "ON service_request (appealed_to_id, appeal_level) "
                   "WHERE status NOT IN ('delivered', 'rejected', 'withdrawn') AND appeal_level > 0")


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index('service_request', 'service_request_open_appealed_to'),
        migrator.drop_index('service_request', 'service_request_district_id_submitted_at'),
        migrator.drop_index('service_request', 'service_request_status_submitted_at'),
        migrator.drop_index('service_request', 'service_request_submitted_at'),
        migrator.drop_column('help_ticket', 'demo'),
    )
