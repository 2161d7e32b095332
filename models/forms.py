"""A service's application form over time, and the places it is offered in.

Versions: the form a citizen fills in is a FormVersion of the service.
Editing the form of a published service (or one a request was filed
against) makes a new version and supersedes the current one; a draft's form
is edited in place, since nobody can have filled it in. A submission names
the version it was filled against, accepted while current and for
GRACE_DAYS after it is superseded (FORM_GRACE_DAYS), refused later so that
the citizen refreshes. A request keeps its version, so its answers always
read with the labels they were given under.

Places: a service with no ServiceOffering rows is offered in the whole state;
else in the districts and areas the rows name.

check_submission() is what filing a request asks (models/lifecycle.py's
file): offered there, a version still accepted, every answer valid.
docs/service-forms.md describes it all for the screens and the API built on it.
"""
import datetime
from collections import namedtuple

from peewee import JOIN, DateTimeField, ForeignKeyField, IntegerField, IntegrityError, JSONField

from . import form_fields
from .catalogue import Area, District, Service
from .db import BaseModel, database
from .errors import DomainError
from .people import Officer
from .timeutil import utcnow

GRACE_DAYS = 7

# A setting of the whole deployment (FORM_GRACE_DAYS, docs/settings.md), set at start-up.
_grace_days = GRACE_DAYS


def use_grace_days(days):
    """Set how many days a superseded version is still accepted, as open_database sets the database."""
    global _grace_days
    _grace_days = days


class FormVersion(BaseModel):
    """One version of a service's application form: its fields as form_fields.canonical() keeps them."""
    service = ForeignKeyField(Service, backref="form_versions", on_delete="CASCADE")
    number = IntegerField()
    fields = JSONField(default=list)
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(Officer, null=True, backref="+", on_delete="RESTRICT")  # None: an import
    superseded_at = DateTimeField(null=True)  # None: the current version

    class Meta:
        table_name = "form_version"
        indexes = ((("service", "number"), True),)

    def __str__(self):
        return f"{self.service.code} v{self.number}"


class ServiceOffering(BaseModel):
    """One place a service is offered in: a whole district, or (area set) one area of it."""
    service = ForeignKeyField(Service, backref="offerings", on_delete="CASCADE")
    district = ForeignKeyField(District, backref="+", on_delete="RESTRICT")
    area = ForeignKeyField(Area, null=True, backref="+", on_delete="RESTRICT")

    class Meta:
        table_name = "service_offering"
        indexes = ((("service", "district", "area"), True),)


# NULLs never collide in a unique index, so (service, district, area) alone would let a whole district in twice.
ServiceOffering.add_index(ServiceOffering.index(ServiceOffering.service, ServiceOffering.district, unique=True,
                                                where=ServiceOffering.area.is_null(),
                                                name="service_offering_whole_district"))


# Versions

def current_version(service):
    """The service's current FormVersion, or None when it has no form (any answers go, as before forms)."""
    return (FormVersion.select().where(FormVersion.service == service)
            .order_by(FormVersion.number.desc()).first())


# A number beyond the database's integer is no version either (PostgreSQL would refuse the query).
_MAX_VERSION = 2**31 - 1


def version(service, number):
    """The service's FormVersion `number`, or None."""
    if not 1 <= number <= _MAX_VERSION:
        return None
    return FormVersion.get_or_none(FormVersion.service == service, FormVersion.number == number)


def save_form(service, fields, by=None, *, based_on=None, at=None):
    """Make `fields` the service's form; returns the FormVersion that holds them.

    Refused with DomainError('form_definition_invalid', count, problems=[FieldError ...])
    listing everything wrong with the definition, and with 'form_changed' when
    `based_on` (the version number the editor showed, 0 for none) is no longer
    the current one. The same fields again change nothing.
    """
    problems = form_fields.check_definition(fields)
    if problems:
        raise DomainError("form_definition_invalid", code=service.code, count=len(problems), problems=problems)
    fields = form_fields.canonical(fields)
    at = at or utcnow()
    with database.atomic():
        current = current_version(service)
        if based_on is not None and based_on != (current.number if current else 0):
            raise DomainError("form_changed", code=service.code)
        if current is not None and current.fields == fields:
            return current
        if current is not None and not _in_use(service, current):
            current.fields, current.created_by = fields, by
            current.save()
            return current
        try:
            with database.atomic():
                if current is not None:
                    current.superseded_at = at
                    current.save()
                return FormVersion.create(service=service, number=current.number + 1 if current else 1,
                                          fields=fields, created_at=at, created_by=by)
        except IntegrityError:
            # Another editor's version took the number first.
            raise DomainError("form_changed", code=service.code)


def _in_use(service, current):
    """Whether a citizen may have the version in hand: the service is offered, or a request was filed on it."""
    return service.status == "published" or current.requests.exists()


def accepts(version, at=None, grace_days=None):
    """Whether a submission filled against `version` is accepted at `at`: current, or superseded
    at most `grace_days` (default FORM_GRACE_DAYS) before."""
    if version.superseded_at is None:
        return True
    days = _grace_days if grace_days is None else grace_days
    return (at or utcnow()) <= version.superseded_at + datetime.timedelta(days=days)


def sensitive_keys(version):
    """The keys of the answers that are personal data: shown masked but to those handling the request,
    every full view audited. Aadhaar numbers always are."""
    return {field["key"] for field in (version.fields if version else []) if field["sensitive"]}


Answer = namedtuple("Answer", "key label_en label_hi value sensitive field")


def labelled(version, values):
    """A request's answers with the labels of the version it was filed against, in the form's order.

    Answers the version does not define (requests from before forms) come last,
    labelled with their key and taken for personal data.
    """
    values = dict(values or {})
    answers = [Answer(f["key"], f["label_en"], f["label_hi"], values.pop(f["key"]), f["sensitive"], f)
               for f in (version.fields if version else []) if f["key"] in values]
    return answers + [Answer(key, key, key, value, True, None) for key, value in values.items()]


# Places

def offered_in(service, district, area=None):
    """Whether `service` is offered in `district` (a District or its id), in `area` of it when given.

    A service offered only in some areas of a district is offered to a request
    naming one of those areas, not to one naming the district alone.
    """
    rows = ServiceOffering.select().where(ServiceOffering.service == service)
    if not rows.exists():
        return True
    here = ServiceOffering.area.is_null() if area is None else (
        ServiceOffering.area.is_null() | (ServiceOffering.area == area))
    return rows.where(ServiceOffering.district == district, here).exists()


def services_offered_in(district, area=None):
    """The services a citizen of `district` can find (a Service query): state-wide ones and those offered
    in the district; with `area`, those offered there, else those offered in any area of the district too."""
    here = ServiceOffering.select(ServiceOffering.service).where(ServiceOffering.district == district)
    if area is not None:
        here = here.where(ServiceOffering.area.is_null() | (ServiceOffering.area == area))
    everywhere = Service.id.not_in(ServiceOffering.select(ServiceOffering.service))
    return Service.select().where(everywhere | Service.id.in_(here))


def places(service):
    """The service's ServiceOffering rows with their district and area, by district and area code;
    empty: the whole state."""
    return list(ServiceOffering.select(ServiceOffering, District, Area)
                .join(District).switch(ServiceOffering).join(Area, JOIN.LEFT_OUTER)
                .where(ServiceOffering.service == service)
                .order_by(District.code, Area.code.asc(nulls="first")))


def set_places(service, chosen):
    """Offer `service` in `chosen` ((district, area or None) pairs; empty: the whole state).

    Returns whether anything changed. An area must lie in its district.
    """
    wanted = set()
    for district, area in chosen:
        if area is not None and area.district_id != district.id:
            raise DomainError("area_not_in_district", area=area.name_en, district=district.name_en)
        wanted.add((district.id, area.id if area is not None else None))
    with database.atomic():
        rows = {(row.district_id, row.area_id): row for row in
                ServiceOffering.select().where(ServiceOffering.service == service)}
        if set(rows) == wanted:
            return False
        for place in set(rows) - wanted:
            rows[place].delete_instance()
        added = sorted(wanted - set(rows), key=str)
        if added:
            ServiceOffering.insert_many([{"service": service, "district": d, "area": a} for d, a in added]).execute()
    return True


# Filing

def check_submission(service, district, area, number, answers, documents=None, at=None):
    """What filing a request asks of its form; returns (the FormVersion or None, the clean answers).

    `number` is the version the citizen's form was filled against (None: the
    current one; a posted form's text is read here). Refused with a DomainError, in this order:
    'service_not_offered' where the service is not offered, 'form_version_invalid' for a number
    that is not a whole number, 'form_version_unknown' for one the service never had, or
    'form_version_stale' (the citizen refreshes his form), and 'form_invalid'
    with every FieldError at once in `errors`. A service without a form takes
    any answers, as before forms.
    """
    names = {"code": service.code, "service_en": service.name_en, "service_hi": service.name_hi}
    if not offered_in(service, district, area):
        place = area or district
        raise DomainError("service_not_offered", place_en=place.name_en, place_hi=place.name_hi, **names)
    number = _version_number(number, names)
    form = current_version(service) if number is None else version(service, number)
    if form is None and number is not None:
        raise DomainError("form_version_unknown", number=number, **names)
    if form is None:
        return None, dict(answers or {})
    if not accepts(form, at):
        raise DomainError("form_version_stale", number=number, **names)
    clean, errors = form_fields.validate_submission(form, answers, documents, district=district)
    if errors:
        raise DomainError("form_invalid", count=len(errors), errors=errors, **names)
    return form, clean


def _version_number(number, names):
    """`number` (None, an int, or its decimal text as a form posts it) as an int, or None.

    Never a fallback to the current version: answers filled against a form the
    service never had must not be filed against another one.
    """
    if number is None:
        return None
    if isinstance(number, str) and number.isascii() and number.strip().isdigit() and len(number.strip()) <= 20:
        number = int(number.strip())
    if isinstance(number, bool) or not isinstance(number, int):
        raise DomainError("form_version_invalid", number=str(number)[:20], **names)
    return number
