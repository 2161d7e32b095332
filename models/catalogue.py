"""Where services are offered and by whom: districts, areas, departments, posts, services."""
import re
from decimal import Decimal

from peewee import (
    BooleanField, CharField, Check, DateTimeField, DecimalField, ForeignKeyField,
    IntegerField, TextField,
)

from .db import BaseModel, choices
from .errors import DomainError
from .timeutil import utcnow

DEPARTMENT_KINDS = ("department", "board", "corporation")
DESIGNATION_LEVELS = ("state", "district", "area")
AREA_KINDS = ("sub-division", "tehsil", "block", "municipal corporation", "municipal council", "municipal committee")
TAT_UNITS = ("working_days", "hours")
SERVICE_STATUSES = ("draft", "published", "retired")
# A service's code names it in catalogue files (which upsert by it), links and the requests' records:
# capitals and digits in hyphen-separated parts (its length is the column's, checked with every column's).
SERVICE_CODE = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")
# The notified limits run to weeks; a year of working days (or a month of hours) is beyond any real one,
# keeps a mistyped number out of the database's integer, and every due date far from the end of the
# calendar, where the clock's date arithmetic overflows.
MAX_TAT = {"working_days": 365, "hours": 720}
MAX_FEE = Decimal("100000")  # ₹1 lakh: no citizen service costs more; a bigger figure is a typing mistake


def fee_allowed(fee):
    """Whether `fee` (a Decimal) may be a service's fee: whole paise, from 0 to MAX_FEE."""
    return fee.is_finite() and 0 <= fee <= MAX_FEE and fee == round(fee, 2)


class District(BaseModel):
    code = CharField(max_length=8, unique=True)
    name_en = CharField(max_length=100)
    name_hi = CharField(max_length=100)
    division = CharField(max_length=100, default="")
    headquarters = CharField(max_length=100, default="")

    class Meta:
        table_name = "district"

    def __str__(self):
        return f"{self.name_en} / {self.name_hi}"


class Area(BaseModel):
    """A sub-division, tehsil, block or municipality inside a district."""
    district = ForeignKeyField(District, backref="areas", on_delete="RESTRICT")
    code = CharField(max_length=16)
    name_en = CharField(max_length=100)
    name_hi = CharField(max_length=100)
    kind = CharField(max_length=32, choices=choices(AREA_KINDS))
    demo = BooleanField(default=False)

    class Meta:
        table_name = "area"
        indexes = ((("district", "code"), True),)

    def __str__(self):
        return f"{self.name_en} / {self.name_hi}"


class Department(BaseModel):
    code = CharField(max_length=16, unique=True)
    name_en = CharField(max_length=150)
    name_hi = CharField(max_length=150)
    kind = CharField(max_length=16, choices=choices(DEPARTMENT_KINDS), default="department")

    class Meta:
        table_name = "department"

    def __str__(self):
        return f"{self.name_en} / {self.name_hi}"


class Designation(BaseModel):
    """A post such as 'Tehsildar', owned by a department, at a level."""
    department = ForeignKeyField(Department, backref="designations", on_delete="RESTRICT")
    name = CharField(max_length=150)
    level = CharField(max_length=16, choices=choices(DESIGNATION_LEVELS))
    note = TextField(default="")

    class Meta:
        table_name = "designation"
        indexes = ((("department", "name"), True),)

    def __str__(self):
        return f"{self.name} ({self.department.code})"


class Service(BaseModel):
    code = CharField(max_length=40, unique=True)
    name_en = CharField(max_length=250)
    name_hi = CharField(max_length=250)
    department = ForeignKeyField(Department, backref="services", on_delete="RESTRICT")
    category = CharField(max_length=60, index=True)
    # No time limit means the service cannot be published: see can_publish().
    tat_value = IntegerField(null=True, constraints=[Check("tat_value > 0")])
    tat_unit = CharField(max_length=16, null=True, choices=choices(TAT_UNITS))
    # An illustrative limit `demo load` gave a service with none notified;
    # `demo remove` takes it away again.
    tat_is_demo = BooleanField(default=False)
    designated_officer = ForeignKeyField(Designation, null=True, backref="+", on_delete="RESTRICT")
    first_appellate = ForeignKeyField(Designation, null=True, backref="+", on_delete="RESTRICT")
    second_appellate = ForeignKeyField(Designation, null=True, backref="+", on_delete="RESTRICT")
    fee = DecimalField(max_digits=10, decimal_places=2, default=0)
    description_en = TextField(default="")
    description_hi = TextField(default="")
    eligibility_en = TextField(default="")
    eligibility_hi = TextField(default="")
    note = TextField(default="")
    status = CharField(max_length=16, choices=choices(SERVICE_STATUSES), default="draft", index=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "service"
        constraints = [
            Check("(tat_value IS NULL) = (tat_unit IS NULL)"),
            Check("status <> 'published' OR tat_value IS NOT NULL"),
        ]

    def __str__(self):
        return f"{self.code}: {self.name_en}"

    @property
    def has_time_limit(self):
        return self.tat_value is not None and self.tat_unit is not None

    def validate(self):
        """Raise DomainError for a service that must not be saved as it is (the admin's form and the
        catalogue import both ask)."""
        if not isinstance(self.code, str) or not SERVICE_CODE.fullmatch(self.code):
            raise DomainError("service_code_invalid", code=str(self.code)[:60])
        if (self.tat_value is None) != (self.tat_unit is None):
            raise DomainError("service_time_limit_incomplete", code=self.code)
        if self.tat_value is not None and self.tat_value <= 0:
            raise DomainError("service_time_limit_not_positive", code=self.code, value=self.tat_value)
        if self.tat_unit is not None and self.tat_unit not in TAT_UNITS:
            raise DomainError("service_time_unit_unknown", code=self.code, unit=self.tat_unit)
        if self.tat_value is not None and self.tat_value > MAX_TAT[self.tat_unit]:
            raise DomainError(f"service_time_limit_too_long_{self.tat_unit}", code=self.code,
                              value=self.tat_value, max=MAX_TAT[self.tat_unit])
        if self.fee is not None and not fee_allowed(Decimal(self.fee)):
            raise DomainError("service_fee_invalid", code=self.code, value=self.fee, max=MAX_FEE)
        if self.status == "published" and not self.has_time_limit:
            raise DomainError("service_published_without_time_limit", code=self.code)
