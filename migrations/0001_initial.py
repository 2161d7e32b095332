"""The first schema: catalogue, people, requests and help-desk tables.

Frozen copies of the models as they were; later migrations change them.
"""
from peewee import *


def up(migrator, db):
    class District(Model):
        code = CharField(unique=True, max_length=8)
        name_en = CharField(max_length=100)
        name_hi = CharField(max_length=100)
        division = CharField(max_length=100, default='')
        headquarters = CharField(max_length=100, default='')
        class Meta:
            database = db
            table_name = 'district'
    db.create_tables([District])

    class Area(Model):
        district = ForeignKeyField(District, on_delete='RESTRICT')
        code = CharField(max_length=16)
        name_en = CharField(max_length=100)
        name_hi = CharField(max_length=100)
        kind = CharField(max_length=32)
        class Meta:
            database = db
            table_name = 'area'
            indexes = ((('district', 'code'), True),)
    db.create_tables([Area])

    class Citizen(Model):
        name = CharField(max_length=150, default='')
        mobile = CharField(unique=True, null=True, max_length=15)
        email = CharField(unique=True, null=True, max_length=254)
        language = CharField(max_length=2, default='hi')
        district = ForeignKeyField(District, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'citizen'
            constraints = [Check('mobile IS NOT NULL OR email IS NOT NULL')]
    db.create_tables([Citizen])

    class Department(Model):
        code = CharField(unique=True, max_length=16)
        name_en = CharField(max_length=150)
        name_hi = CharField(max_length=150)
        kind = CharField(max_length=16, default='department')
        class Meta:
            database = db
            table_name = 'department'
    db.create_tables([Department])

    class Designation(Model):
        department = ForeignKeyField(Department, on_delete='RESTRICT')
        name = CharField(max_length=150)
        level = CharField(max_length=16)
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'designation'
            indexes = ((('department', 'name'), True),)
    db.create_tables([Designation])

    class Officer(Model):
        name = CharField(max_length=150)
        email = CharField(unique=True, max_length=254)
        mobile = CharField(null=True, max_length=15)
        language = CharField(max_length=2, default='en')
        active = BooleanField(default=True)
        password_hash = CharField(default='')
        created_at = DateTimeField()
        last_login_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'officer'
    db.create_tables([Officer])

    class Service(Model):
        code = CharField(unique=True, max_length=40)
        name_en = CharField(max_length=250)
        name_hi = CharField(max_length=250)
        department = ForeignKeyField(Department, on_delete='RESTRICT')
        category = CharField(index=True, max_length=60)
        tat_value = IntegerField(null=True, constraints=[Check('tat_value > 0')])
        tat_unit = CharField(null=True, max_length=16)
        designated_officer = ForeignKeyField(Designation, null=True, on_delete='RESTRICT')
        first_appellate = ForeignKeyField(Designation, null=True, on_delete='RESTRICT')
        second_appellate = ForeignKeyField(Designation, null=True, on_delete='RESTRICT')
        fee = DecimalField(max_digits=10, decimal_places=2, default=0)
        description_en = TextField(default='')
        description_hi = TextField(default='')
        eligibility_en = TextField(default='')
        eligibility_hi = TextField(default='')
        note = TextField(default='')
        status = CharField(index=True, max_length=16, default='draft')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'service'
            constraints = [
                Check('(tat_value IS NULL) = (tat_unit IS NULL)'),
                Check("status <> 'published' OR tat_value IS NOT NULL"),
            ]
    db.create_tables([Service])

    class ServiceRequest(Model):
        tracking_number = CharField(unique=True, max_length=20)
        citizen = ForeignKeyField(Citizen, on_delete='RESTRICT')
        service = ForeignKeyField(Service, on_delete='RESTRICT')
        district = ForeignKeyField(District, on_delete='RESTRICT')
        area = ForeignKeyField(Area, null=True, on_delete='RESTRICT')
        status = CharField(index=True, max_length=20, default='submitted')
        submitted_at = DateTimeField()
        due_at = DateTimeField(index=True, null=True)
        assigned_officer = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        form_values = JSONField(default=dict)
        version = IntegerField(default=1)
        class Meta:
            database = db
            table_name = 'service_request'
    db.create_tables([ServiceRequest])

    class HelpTicket(Model):
        number = CharField(unique=True, max_length=16)
        requester_citizen = ForeignKeyField(Citizen, null=True, on_delete='RESTRICT')
        requester_officer = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        channel = CharField(max_length=8)
        subject = CharField(max_length=300, default='')
        status = CharField(index=True, max_length=24, default='new')
        priority = CharField(max_length=8, default='normal')
        assigned_agent = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        request = ForeignKeyField(ServiceRequest, null=True, on_delete='RESTRICT')
        created_at = DateTimeField()
        updated_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'help_ticket'
    db.create_tables([HelpTicket])

    class Post(Model):
        officer = ForeignKeyField(Officer, on_delete='CASCADE')
        designation = ForeignKeyField(Designation, on_delete='RESTRICT')
        district = ForeignKeyField(District, null=True, on_delete='RESTRICT')
        area = ForeignKeyField(Area, null=True, on_delete='RESTRICT')
        additional_charge = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'post'
    db.create_tables([Post])

    class RequestEvent(Model):
        request = ForeignKeyField(ServiceRequest, on_delete='RESTRICT')
        at = DateTimeField()
        officer = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        kind = CharField(max_length=32)
        from_status = CharField(null=True, max_length=20)
        to_status = CharField(null=True, max_length=20)
        note = TextField(default='')
        class Meta:
            database = db
            table_name = 'request_event'
    db.create_tables([RequestEvent])

    class RoleGrant(Model):
        officer = ForeignKeyField(Officer, on_delete='CASCADE')
        role = CharField(max_length=32)
        department = ForeignKeyField(Department, null=True, on_delete='RESTRICT')
        district = ForeignKeyField(District, null=True, on_delete='RESTRICT')
        granted_by = ForeignKeyField(Officer, null=True, on_delete='SET NULL')
        granted_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'role_grant'
    db.create_tables([RoleGrant])

    class TicketMessage(Model):
        ticket = ForeignKeyField(HelpTicket, on_delete='RESTRICT')
        kind = CharField(max_length=8)
        author_officer = ForeignKeyField(Officer, null=True, on_delete='RESTRICT')
        sender_address = CharField(max_length=254, default='')
        message_id = CharField(unique=True, null=True, max_length=500)
        body_text = TextField(default='')
        internal = BooleanField(default=False)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'ticket_message'
    db.create_tables([TicketMessage])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('ticket_message'))
    migrator.migrate(migrator.drop_table('role_grant'))
    migrator.migrate(migrator.drop_table('request_event'))
    migrator.migrate(migrator.drop_table('post'))
    migrator.migrate(migrator.drop_table('help_ticket'))
    migrator.migrate(migrator.drop_table('service_request'))
    migrator.migrate(migrator.drop_table('service'))
    migrator.migrate(migrator.drop_table('officer'))
    migrator.migrate(migrator.drop_table('designation'))
    migrator.migrate(migrator.drop_table('department'))
    migrator.migrate(migrator.drop_table('citizen'))
    migrator.migrate(migrator.drop_table('area'))
    migrator.migrate(migrator.drop_table('district'))
