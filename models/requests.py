"""Citizens' service requests and their history."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, IntegrityError, JSONField, TextField

from .catalogue import Area, District, Service
from . import tracking
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
    # The counter operator who filed it for a walk-in citizen (None: from the app).
    filed_by = ForeignKeyField(Officer, null=True, backref="filed_requests", on_delete="RESTRICT")
    form_values = JSONField(default=dict)
    # Bumped on every change so two officers acting at once cannot overwrite each other.
    version = IntegerField(default=1)

    class Meta:
        table_name = "service_request"

    def __str__(self):
        return self.tracking_number

    @classmethod
    def create_with_tracking_number(cls, attempts=5, **fields):
        """Insert a request under a fresh random tracking number.

        The unique index decides: a collision (one in 32^8 per year) rolls back
        only this savepoint and draws again.
        """
        year = (fields.get("submitted_at") or utcnow()).year
        for _ in range(attempts):
            number = tracking.generate(year)
            try:
                with cls._meta.database.atomic():
                    return cls.create(tracking_number=number, **fields)
            except IntegrityError:
                # Any other broken constraint is the caller's error, not bad luck.
                if not cls.select().where(cls.tracking_number == number).exists():
                    raise
        raise IntegrityError(f"no free tracking number after {attempts} attempts")

    @classmethod
    def find_by_tracking_number(cls, text):
        canonical = tracking.normalize(text)
        return cls.get_or_none(cls.tracking_number == canonical) if canonical else None


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
