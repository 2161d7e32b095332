"""Citizens' service requests and their history."""
from peewee import (
    BlobField, BooleanField, CharField, Check, DateField, DateTimeField, ForeignKeyField, IntegerField,
    IntegrityError, JSONField, TextField,
)

from .catalogue import TAT_UNITS, Area, District, Service
from . import tracking
from .db import BaseModel, choices
from .errors import DomainError
from .forms import FormVersion
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
    # The service's limit when the request arrived: a later change to the
    # service binds new requests only.
    tat_value = IntegerField(null=True)
    tat_unit = CharField(max_length=16, null=True, choices=choices(TAT_UNITS))
    due_at = DateTimeField(null=True, index=True)
    closed_at = DateTimeField(null=True)  # delivered, rejected or withdrawn
    assigned_officer = ForeignKeyField(Officer, null=True, backref="assigned_requests", on_delete="RESTRICT")
    # How the officer was found (models/routing.py's rule: area, district,
    # state, nodal, district_admin) or 'manual' for an administrator's choice.
    # A nodal officer or district administrator holds it only for want of a
    # holder of the post, so such requests stay on the unrouted list.
    routed_by = CharField(max_length=16, null=True)
    # The counter operator who filed it for a walk-in citizen (None: from the app).
    filed_by = ForeignKeyField(Officer, null=True, backref="filed_requests", on_delete="RESTRICT")
    form_values = JSONField(default=dict)
    # The version of the service's form the answers were given in (models/forms.py); None: filed before forms.
    form_version = ForeignKeyField(FormVersion, null=True, backref="requests", on_delete="RESTRICT")
    # Bumped on every change so two officers acting at once cannot overwrite each other.
    version = IntegerField(default=1)
    demo = BooleanField(default=False)
    # The appeal beside the status (models/appeals.py): 0 none, 1 with the first
    # appellate authority, 2 with the second, 3 flagged for the Commission.
    appeal_level = IntegerField(default=0, constraints=[Check("appeal_level BETWEEN 0 AND 3")])
    # The authority it is with now: NULL at level 3, or when nobody holds the post.
    appealed_to = ForeignKeyField(Officer, null=True, backref="appealed_requests", on_delete="RESTRICT")
    appeal_due_at = DateTimeField(null=True)  # when the authority's time runs out (levels 1 and 2)
    decide_by = DateField(null=True)  # the IST date the authority directed the officer to decide by

    class Meta:
        table_name = "service_request"
        # The admin's requests list, newest first (backoffice/admin/requests.py): read from an index in that
        # order, whole or narrowed by status or by district (a district administrator's), not sorted from
        # millions of rows for every page.
        indexes = (
            (("submitted_at",), False),
            (("status", "submitted_at"), False),
            (("district", "submitted_at"), False),
        )

    def __str__(self):
        return self.tracking_number

    @classmethod
    def create_with_tracking_number(cls, attempts=5, **fields):
        """Insert a request under a fresh random tracking number.

        The unique index decides: a collision (one in 32^8 per year) rolls back
        only this savepoint and draws again.
        """
        year = (fields.get("submitted_at") or utcnow()).year
        if "tat_unit" not in fields:
            service = fields["service"]
            service = service if isinstance(service, Service) else Service.get_by_id(service)
            fields.update(tat_value=service.tat_value, tat_unit=service.tat_unit)
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


class History(BaseModel):
    """Rows that are only ever added: they leave only with their request (`demo remove`)."""

    def save(self, force_insert=False, only=None):
        if self._pk is not None and not force_insert:
            raise DomainError("history_is_append_only")
        return super().save(force_insert=force_insert, only=only)

    def delete_instance(self, *args, **kwargs):
        raise DomainError("history_is_append_only")

    @classmethod
    def update(cls, *args, **kwargs):
        raise DomainError("history_is_append_only")


class RequestEvent(History):
    """One immutable line in a request's history.

    Who acted: an officer, the citizen himself (from the app), or neither
    (the system: routing, the clock). Rows are only ever added; a request's
    history leaves only with the request itself (`demo remove`).
    """
    request = ForeignKeyField(ServiceRequest, backref="events", on_delete="RESTRICT")
    at = DateTimeField(default=utcnow)
    officer = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    citizen = ForeignKeyField(Citizen, null=True, backref="+", on_delete="RESTRICT")
    kind = CharField(max_length=32)
    from_status = CharField(max_length=20, null=True)
    to_status = CharField(max_length=20, null=True)
    note = TextField(default="")

    class Meta:
        table_name = "request_event"


class Delivery(BaseModel):
    """What a delivered request handed over: the issued document, or a note for a service without one.

    The document is stored in the database, so that every app server serves
    it and every database backup holds it.
    """
    request = ForeignKeyField(ServiceRequest, unique=True, backref="deliveries", on_delete="RESTRICT")
    note = TextField(default="")
    filename = CharField(max_length=200, null=True)
    content_type = CharField(max_length=100, null=True)
    size = IntegerField(null=True)
    sha256 = CharField(max_length=64, null=True)
    content = BlobField(null=True)
    delivered_by = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")
    delivered_at = DateTimeField()
    # The counter's hand-over of the document to the citizen in person.
    handed_over_at = DateTimeField(null=True)
    handed_over_by = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")

    class Meta:
        table_name = "delivery"
        constraints = [Check("content IS NOT NULL OR note <> ''")]

    def __str__(self):
        return self.filename or self.note[:40]


class RequestRating(BaseModel):
    """The citizen's rating of a decided (delivered or rejected) request: 1 to 5 stars and a comment, once.

    The dashboard's average citizen rating reads it (models/dashboard.py).
    """
    request = ForeignKeyField(ServiceRequest, unique=True, backref="+", on_delete="CASCADE")
    stars = IntegerField(constraints=[Check("stars BETWEEN 1 AND 5")])
    comment = TextField(default="")
    rated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "request_rating"

    def __str__(self):
        return f"{self.stars}/5"
