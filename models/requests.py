"""Citizens' service requests and their history."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, JSONField, TextField

from .catalogue import Area, District, Service
from .db import BaseModel, choices
from .people import Citizen, Officer
from .timeutil import utcnow

REQUEST_STATUSES = (
    "submitted",
    "assigned",
    "in_progress",
    "query_raised",
    "citizen_responded",
    "approved",
    "delivered",
    "rejected",
    "withdrawn",
)


class ServiceRequest(BaseModel):
    tracking_number = CharField(max_length=20, unique=True)
    citizen = ForeignKeyField(Citizen, backref="requests", on_delete="RESTRICT")
    service = ForeignKeyField(Service, backref="requests", on_delete="RESTRICT")
    district = ForeignKeyField(District, backref="requests", on_delete="RESTRICT")
    area = ForeignKeyField(Area, null=True, backref="requests", on_delete="RESTRICT")
    status = CharField(max_length=20, choices=choices(REQUEST_STATUSES), default="submitted", index=True)
    submitted_at = DateTimeField(default=utcnow)
    due_at = DateTimeField(null=True, index=True)
    assigned_officer = ForeignKeyField(Officer, null=True, backref="assigned_requests", on_delete="RESTRICT")
    form_values = JSONField(default=dict)
    # Bumped on every change so two officers acting at once cannot overwrite each other.
    version = IntegerField(default=1)

    class Meta:
        table_name = "service_request"

    def __str__(self):
        return self.tracking_number


class RequestEvent(BaseModel):
    """One immutable line in a request's history."""
    request = ForeignKeyField(ServiceRequest, backref="events", on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    kind = CharField(max_length=32)
    from_status = CharField(max_length=20, null=True)
    to_status = CharField(max_length=20, null=True)
    note = TextField(default="")

    class Meta:
        table_name = "request_event"
