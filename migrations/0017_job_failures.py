"""Background jobs that failed after their last try (models/jobs.py), for the admin's Failed jobs screen."""
from peewee import *


def up(migrator, db):
    class JobFailure(Model):
        task = CharField(max_length=100, index=True)
        arguments = TextField(default='')
        error = TextField()
        trace = TextField(default='')
        attempts = IntegerField()
        failed_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'job_failure'

    db.create_tables([JobFailure])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('job_failure'))
