"""Appeals: the level of a request's appeal beside its status, each level reached, and the Commission's decisions."""
from peewee import *

# The statuses in which a request's clock runs (models/appeals.py's RUNNING), written out.
RUNNING = "status IN ('submitted', 'assigned', 'in_progress', 'citizen_responded', 'approved')"


def up(migrator, db):
    class Officer(Model):
        class Meta:
            database = db
            table_name = 'officer'

    class ServiceRequest(Model):
        class Meta:
            database = db
            table_name = 'service_request'

    class Appeal(Model):
        request = ForeignKeyField(ServiceRequest, on_delete='CASCADE', index=False)
        level = IntegerField(constraints=[Check('level BETWEEN 1 AND 3')])
        authority = ForeignKeyField(Officer, null=True, on_delete='RESTRICT', index=False)
        reason = CharField(max_length=16)
        grounds = TextField(default='')
        appealed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'appeal'
            indexes = ((('request', 'level'), True), (('authority', 'appealed_at'), False))

    class CommissionDecision(Model):
        request = ForeignKeyField(ServiceRequest, unique=True, on_delete='CASCADE')
        decided_by = ForeignKeyField(Officer, on_delete='RESTRICT')
        penalty_rupees = IntegerField(default=0)
        penalised_officer = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        compensation_rupees = IntegerField(default=0)
        note = TextField()
        decided_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'commission_decision'
            constraints = [
                Check('penalty_rupees BETWEEN 0 AND 20000'),
                Check('compensation_rupees BETWEEN 0 AND 5000'),
                Check('penalty_rupees = 0 OR penalised_officer_id IS NOT NULL'),
                Check("note <> ''"),
            ]

    migrator.migrate(
        migrator.add_column('service_request', 'appeal_level',
                            IntegerField(default=0, constraints=[Check('appeal_level BETWEEN 0 AND 3')])),
        migrator.add_column('service_request', 'appealed_to_id',
                            ForeignKeyField(Officer, null=True, field=Officer.id, on_delete='RESTRICT')),
        migrator.add_column('service_request', 'appeal_due_at', DateTimeField(null=True)),
        migrator.add_column('service_request', 'decide_by', DateField(null=True)),
    )
    db.execute_sql(f"CREATE INDEX service_request_overdue ON service_request (appeal_level, due_at) WHERE {RUNNING}")
    db.execute_sql("CREATE INDEX service_request_appeal_overdue ON service_request (appeal_level, appeal_due_at) "
                   f"WHERE {RUNNING}")
    db.create_tables([Appeal, CommissionDecision])


def down(migrator, db):
    migrator.migrate(
        migrator.drop_table('commission_decision'),
        migrator.drop_table('appeal'),
        migrator.drop_index('service_request', 'service_request_appeal_overdue'),
        migrator.drop_index('service_request', 'service_request_overdue'),
        migrator.drop_column('service_request', 'decide_by'),
        migrator.drop_column('service_request', 'appeal_due_at'),
        migrator.drop_column('service_request', 'appealed_to_id'),
        migrator.drop_column('service_request', 'appeal_level'),
    )
